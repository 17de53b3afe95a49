// `titrate import scores FILE.csv`: many pain scores at once (header patient_id,at,score[,note]),
// all rows or none. Every bad row is reported by line and column; rows equal to stored ones are
// skipped and counted, so importing the same diary twice is harmless. One transaction.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

void run_import_scores(Context &ctx, const std::string &file) {
  const Role role = require_role(ctx, {Role::patient, Role::clinician}, "import scores");
  const Actor who = actor(ctx);
  const TextFile text = read_text_file(file, "import scores");
  const auto parsed = parse_score_csv(text.text, file, true);
  const Date today = ctx.today();
  std::vector<std::string> errors;
  std::vector<ScoreImportRow> rows;
  rows.reserve(parsed.size());
  for (const auto &r : parsed) {
    if (r.at.date > today) {
      errors.push_back(file + ":" + std::to_string(r.line) + ": at: " + iso(r.at) +
                       " is after today (" + iso(today) + ")");
    }
    rows.push_back({r.patient_id, r.at, r.score, r.note, r.line});
  }
  throw_if_errors(errors, file);
  if (role == Role::patient) {
    for (const auto &r : rows) {
      if (r.patient != who.user) {
        throw RefusedError("import scores: refused for role patient: " + file + ":" +
                           std::to_string(r.line) + " is for " + r.patient + "; user \"" +
                           who.user + "\" may import only their own scores");
      }
    }
  }
  // A database that does not exist yet knows no patient: every row is reported, nothing created.
  std::error_code ec;
  const bool exists = std::filesystem::exists(ctx.db_location(), ec);
  auto repo = open_store(ctx, exists ? StoreMode::write_existing : StoreMode::read);
  const ImportResult r = repo->import_scores(rows, who, file);
  if (ctx.opt.json) {
    ctx.print_json({{"file", file}, {"rows", rows.size()}, {"imported", r.imported},
                    {"duplicates", r.duplicates}});
  } else {
    ctx.out << "imported " << r.imported << " score" << (r.imported == 1 ? "" : "s") << " from "
            << file << "; skipped " << r.duplicates << " duplicate"
            << (r.duplicates == 1 ? "" : "s") << " already stored\n";
  }
}

} // namespace

void add_import_command(CLI::App &app, Context &ctx) {
  CLI::App *cmd = app.add_subcommand("import", "Import observations from a file (all or nothing)");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App *scores = cmd->add_subcommand("scores", "Pain scores: CSV patient_id,at,score[,note]");
  scores->add_option("FILE", *file, "The CSV file")->required();
  scores->callback([&ctx, file] { run_import_scores(ctx, *file); });
}

} // namespace titrate::cli
