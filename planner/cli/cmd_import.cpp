// `titrate import scores FILE.csv`: many pain scores at once (header patient_id,at,score[,note]),
// all rows or none. Every bad row is reported by line and column (the first 50 shown); rows equal
// to stored ones are skipped and counted, so importing the same diary twice is harmless. One
// transaction, streamed: memory does not grow with the file.
#include "planner/app/imports.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

namespace titrate::cli {

namespace {

// The CSV file, read a chunk at a time (the reader keeps one chunk and one record in memory).
class CsvFile {
public:
  explicit CsvFile(const std::string &path) : path_(path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      throw InputError("import scores: " + path + " is a directory; expected a file");
    }
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_)
      throw InputError("import scores: cannot read " + path + ": " + std::strerror(errno));
  }
  ~CsvFile() { std::fclose(f_); }
  CsvFile(const CsvFile &) = delete;
  CsvFile &operator=(const CsvFile &) = delete;

  std::size_t read(char *buffer, std::size_t capacity) {
    const std::size_t n = std::fread(buffer, 1, capacity, f_);
    if (n == 0 && std::ferror(f_)) {
      throw InputError("import scores: cannot read " + path_ + ": " + std::strerror(errno));
    }
    return n;
  }

private:
  std::string path_;
  std::FILE *f_ = nullptr;
};

// Streams the file into the store in one transaction: the CSV is parsed and checked row by row
// while the rows are inserted, and any fault found anywhere (syntax, value, a date after today,
// another patient's row for role patient, an unknown patient) rolls the whole import back. The
// faults are reported as before the streaming: CSV faults first, then dates after today, then a
// refusal, then unknown patients (from the store).
void run_import_scores(Context &ctx, const std::string &file) {
  const Role role = require_role(ctx, app::Permission::import_scores, "import scores");
  const Actor who = actor(ctx);
  const Date today = ctx.today();
  CsvFile in(file);
  // A database that does not exist yet knows no patient: every row is reported, nothing created.
  std::error_code ec;
  const bool exists = std::filesystem::exists(ctx.db_location(), ec);
  auto repo = open_store(ctx, exists ? StoreMode::write_existing : StoreMode::read);
  const app::ScoreImported imported = app::import_scores(
      *repo, [&in](char *b, std::size_t n) { return in.read(b, n); },
      app::ScoreImport{file, std::nullopt}, who, role, today);
  const long rows_read = imported.rows;
  const ImportResult &r = imported.result;
  if (ctx.opt.json) {
    ctx.print_json({{"file", file},
                    {"rows", rows_read},
                    {"imported", r.imported},
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
  // Not require_subcommand(1): CLI11 would answer `import patients x.csv` with "A subcommand is
  // required", never naming the word it did not know; now the unknown words are named as
  // unexpected arguments, and a bare `import` gets the message below, worded as parse_errors.cpp
  // words a missing command of the others ("review: expected a command: ...").
  cmd->require_subcommand(0, 1);
  cmd->callback([cmd] {
    if (cmd->get_subcommands().empty()) {
      throw InputError("import: expected a command: scores (import scores FILE.csv); see titrate "
                       "import --help");
    }
  });
  auto file = std::make_shared<std::string>();
  CLI::App *scores = cmd->add_subcommand("scores", "Pain scores: CSV patient_id,at,score[,note]");
  scores->add_option("FILE", *file, "The CSV file")->required();
  scores->callback([&ctx, file] { run_import_scores(ctx, *file); });
}

} // namespace titrate::cli
