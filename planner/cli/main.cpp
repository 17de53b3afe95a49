// The composition root: global options, the command list, and the one catch site that maps
// typed errors to the exit codes of docs/cli.md (0 ok, 2 bad input, 3 not found, 4 refused,
// 1 internal).
#include "planner/cli/commands.hpp"
#include "planner/cli/parse_errors.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"

#include <exception>
#include <iostream>

int main(int argc, char **argv) {
  using namespace titrate;
  cli::Context ctx(std::cout, std::cerr);
  CLI::App app{"titrate: dose-titration planner for neuropathic pain.\n"
               "Decision support for clinicians and pharmacists; not medical advice.",
               "titrate"};
  app.set_version_flag("--version", std::string("titrate ") + TITRATE_VERSION);
  app.fallthrough();
  auto &o = ctx.opt;
  app.add_option("--db", o.db,
                 "Database file (default $TITRATE_DB, else $XDG_DATA_HOME/titrate/titrate.db)");
  app.add_option("--formulary", o.formulary_dir,
                 "Formulary folder (default: the installed or source data)");
  app.add_option("--pathways", o.pathways_dir,
                 "Pathway folder (default: the installed or source data)");
  app.add_option("--today", o.today,
                 "The date to act on, YYYY-MM-DD (default $TITRATE_TODAY, else today)")
      ->check([](const std::string &text) {
        // Checked while parsing, so a bad --today is refused by every command, even one that
        // would not have needed the date.
        try {
          parse_date(text, "--today");
          return std::string();
        } catch (const InputError &e) {
          return std::string(e.what());
        }
      });
  app.add_option("--user", o.user, "Who is acting (default $TITRATE_USER, else $USER)");
  app.add_option("--role", o.role, "clinician | pharmacist | patient (default $TITRATE_ROLE)");
  app.add_flag("--json", o.json, "Print one JSON document on stdout; messages go to stderr");

  const std::vector<std::string> args(argv + 1, argv + argc);
  cli::add_commands(app, ctx, args);
  cli::add_role_help(app);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      throw InputError("expected a command (e.g. titrate plan --patient-file P.toml --start D); "
                       "see titrate --help");
    }
    return 0;
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    std::cerr << "titrate: " << cli::explain_parse_error(e, app, args) << "\n";
    return static_cast<int>(ExitCode::bad_input);
  } catch (const Error &e) {
    std::cerr << "titrate: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception &e) {
    // A fault of the database the command opened (read-only, full disk, ...) is named with its
    // location and exit code; only the rest is an internal error.
    if (!ctx.opened_db.empty()) {
      try {
        throw_storage_fault(e, ctx.opened_db);
      } catch (const Error &typed) {
        std::cerr << "titrate: " << typed.what() << "\n";
        return static_cast<int>(typed.code());
      }
    }
    std::cerr << "titrate: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::internal);
  }
}
