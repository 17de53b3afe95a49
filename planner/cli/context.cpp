#include "planner/cli/context.hpp"

#include "planner/core/errors.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace titrate::cli {

namespace fs = std::filesystem;

namespace {

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// The installed data (<prefix>/share/titrate/...) when the binary is installed, else the
// source tree this binary was built from.
std::string default_data_dir(const std::string &leaf) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "titrate" / leaf;
    if (fs::is_directory(installed, ec))
      return installed.string();
  }
  return (fs::path(TITRATE_SOURCE_DIR) / leaf).string();
}

} // namespace

Date Context::today() const {
  if (!opt.today.empty())
    return parse_date(opt.today, "--today");
  const std::string e = env("TITRATE_TODAY");
  if (!e.empty())
    return parse_date(e, "TITRATE_TODAY");
  return boost::gregorian::day_clock::local_day();
}

std::string Context::db_location() const {
  if (!opt.db.empty())
    return opt.db;
  if (auto e = env("TITRATE_DB"); !e.empty())
    return e;
  std::string base = env("XDG_DATA_HOME");
  if (base.empty()) {
    const std::string home = env("HOME");
    if (home.empty()) {
      throw InputError("--db: no database location; give --db PATH or set TITRATE_DB "
                       "(neither XDG_DATA_HOME nor HOME is set)");
    }
    base = home + "/.local/share";
  }
  return base + "/titrate/titrate.db";
}

std::string Context::user() const {
  if (!opt.user.empty())
    return opt.user;
  if (auto e = env("TITRATE_USER"); !e.empty())
    return e;
  return env("USER");
}

std::string Context::role() const {
  if (!opt.role.empty())
    return opt.role;
  return env("TITRATE_ROLE");
}

std::string Context::formulary_dir() const {
  return opt.formulary_dir.empty() ? default_data_dir("formulary") : opt.formulary_dir;
}

std::string Context::pathways_dir() const {
  return opt.pathways_dir.empty() ? default_data_dir("schedules") : opt.pathways_dir;
}

const Formulary &Context::formulary() {
  if (!formulary_)
    formulary_ = load_formulary(read_toml_dir(formulary_dir()));
  return *formulary_;
}

const std::vector<Pathway> &Context::pathways() {
  if (!pathways_)
    pathways_ = load_pathways(read_toml_dir(pathways_dir()), formulary());
  return *pathways_;
}

const Pathway &Context::pathway(const std::string &name) {
  const auto &all = pathways();
  for (const auto &p : all)
    if (p.name == name)
      return p;
  std::string known;
  for (const auto &p : all)
    known += (known.empty() ? "" : ", ") + p.name;
  throw NotFoundError("pathway: no pathway named \"" + name + "\"; known: " + known);
}

void Context::print_json(const nlohmann::json &j) {
  out << j.dump(2) << "\n";
}

std::string not_both(std::string_view first, std::string_view second) {
  return std::string(first) + " and " + std::string(second) + ": expected one of them, not both";
}

void report_folder_check(Context &ctx, std::string_view noun, std::string_view check,
                         const std::string &dir, std::size_t files,
                         const std::vector<std::string> &faults) {
  if (ctx.opt.json) {
    ctx.print_json({{"dir", dir}, {"files", files}, {"ok", faults.empty()}, {"faults", faults}});
  } else if (faults.empty()) {
    ctx.out << noun << " " << dir << ": " << files << " files, no faults\n";
  }
  if (!faults.empty()) {
    if (!ctx.opt.json)
      for (const auto &f : faults)
        ctx.err << f << "\n";
    throw DataError(std::string(check) + ": " + std::to_string(faults.size()) + " fault(s) in " +
                    dir);
  }
}

} // namespace titrate::cli
