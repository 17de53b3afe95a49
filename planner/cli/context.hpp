#pragma once
// What every command shares: global options (design.md §4), the lazily loaded formulary and
// pathways, "today", the acting user and role, and output streams. This is an edge: it reads
// files, the environment and (only when nothing is given) the clock.
#include "planner/core/date.hpp"
#include "planner/formulary/files.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/pathways/pathway.hpp"

#include <nlohmann/json_fwd.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate::cli {

struct GlobalOptions {
  std::string db;
  std::string formulary_dir;
  std::string pathways_dir;
  std::string today;
  std::string user;
  std::string role;
  bool json = false;
};

class Context {
public:
  Context(std::ostream &out_stream, std::ostream &err_stream) : out(out_stream), err(err_stream) {}

  GlobalOptions opt;
  std::ostream &out;
  std::ostream &err;
  // The database location a command opened (open_store), so the one catch site in main can
  // name it when a fault of that database surfaces later (a read-only file, a full disk).
  mutable std::string opened_db;

  // --today, else $TITRATE_TODAY, else the local calendar day. Bad text: InputError.
  Date today() const;
  // --db, else $TITRATE_DB, else $XDG_DATA_HOME/titrate/titrate.db (~/.local/share/...).
  std::string db_location() const;
  // --user, else $TITRATE_USER, else $USER; --role, else $TITRATE_ROLE (may be empty).
  std::string user() const;
  std::string role() const;

  std::string formulary_dir() const;
  std::string pathways_dir() const;
  const Formulary &formulary();
  const std::vector<Pathway> &pathways();
  const Pathway &pathway(const std::string &name); // NotFoundError naming the known ones

  void print_json(const nlohmann::json &j);

private:
  std::optional<Formulary> formulary_;
  std::optional<std::vector<Pathway>> pathways_;
};

// The answer of a folder check (`formulary check`, `pathway check`) of `files` files in `dir`:
// with --json {dir, files, ok, faults}, else "<noun> DIR: N files, no faults". Faults are also
// written one a line to stderr (text only) and end the command: DataError "<check>: N fault(s)
// in DIR" (exit 2).
void report_folder_check(Context &ctx, std::string_view noun, std::string_view check,
                         const std::string &dir, std::size_t files,
                         const std::vector<std::string> &faults);

// "FIRST and SECOND: expected one of them, not both", the words for two inputs that exclude each
// other given together (ID and --patient-file, --format and --json).
std::string not_both(std::string_view first, std::string_view second);

// planner/formulary/files.hpp
using titrate::read_text_file;
using titrate::read_toml_dir;

} // namespace titrate::cli
