// The command table (commands.hpp) and the choice of which commands a run adds.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"

namespace titrate::cli {
namespace {

void add_patient_and_invite(CLI::App &app, Context &ctx) {
  add_patient_command(app, ctx);
  add_invite_command(app, ctx);
}

// The command word of `args`: the first argument that is neither a global option of `app` nor
// the value of one; "" when there is none (only options, or --help).
std::string command_word(const CLI::App &app, const std::vector<std::string> &args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--")
      return "";
    if (a.size() < 2 || a[0] != '-')
      return a;
    const auto eq = a.find('=');
    const std::string name = a.substr(0, eq);
    const CLI::Option *opt = app.get_option_no_throw(name);
    if (opt == nullptr)
      return ""; // an option titrate does not have: let CLI11 report it with every command known
    if (eq == std::string::npos && opt->get_expected_max() > 0)
      ++i; // its value
  }
  return "";
}

} // namespace

const std::vector<Command> &command_table() {
  static const std::vector<Command> table = {
      {"formulary", add_formulary_command},
      {"pathway", add_pathway_command},
      {"check", add_check_command},
      {"plan", add_plan_command},
      {"assess", add_assess_command},
      {"patient", add_patient_and_invite},
      {"schedule", add_schedule_command},
      {"log", add_log_command},
      {"import", add_import_command},
      {"due", add_due_command},
      {"review", add_review_command},
      {"audit", add_audit_command},
      {"decisions", add_decisions_command},
      {"serve", add_serve_command},
      {"user", add_user_command},
      {"export", add_export_command},
      {"db", add_db_command},
      {"report", add_report_command},
  };
  return table;
}

void add_commands(CLI::App &app, Context &ctx, const std::vector<std::string> &args) {
  const std::string word = command_word(app, args);
  for (const auto &c : command_table()) {
    if (c.name == word) {
      c.add(app, ctx);
      return;
    }
  }
  for (const auto &c : command_table())
    c.add(app, ctx);
}

} // namespace titrate::cli
