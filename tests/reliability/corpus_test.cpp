// Runs every case of corpus.tsv against the real titrate binary. Each case gets a fresh folder
// holding a copy of one database made by a successful `patient add` (and one `log`), runs, and
// must: exit with the expected code (never a signal or a sanitizer report), name the bad value on
// stderr, print nothing on stdout, and leave the database (and its WAL) byte-identical.
// controls.tsv holds inputs that must SUCCEED: they prove the corpus's base files are valid, so a
// bad case fails for its one bad value and not for a broken base.
#include "tests/cli/run.hpp"
#include "tests/reliability/corpus.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

using namespace titrate::test;
using namespace titrate::reliability;
namespace fs = std::filesystem;

namespace {

const std::string kToday = "2026-12-01";
const std::string kHere = TITRATE_SOURCE_DIR "/tests/reliability";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string shorten(const std::string &s, std::size_t n = 400) {
  return s.size() <= n ? s : s.substr(0, n) + "...(" + std::to_string(s.size()) + " bytes)";
}

const std::vector<Case> &load(const std::string &file) {
  static std::map<std::string, std::vector<Case>> cache;
  auto it = cache.find(file);
  if (it == cache.end())
    it = cache.emplace(file, parse_corpus(file_bytes(kHere + "/" + file))).first;
  return it->second;
}

// id -> why it is known to fail (a bug in code this harness does not own; see docs/reliability.md).
const std::map<std::string, std::string> &known_failures() {
  static const std::map<std::string, std::string> known = [] {
    std::map<std::string, std::string> m;
    std::istringstream in(file_bytes(kHere + "/known_failures.tsv"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#')
        continue;
      const auto tab = line.find('\t');
      m[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
    }
    return m;
  }();
  return known;
}

std::vector<std::string> env_for(const TempDir &d) {
  return {"TITRATE_DB=" + d.file("titrate.db"), "TITRATE_TODAY=" + kToday, "TITRATE_USER=rel",
          "TITRATE_ROLE=clinician"};
}

// The database every case starts from, made once by the real binary. Empty text = ok.
struct Template {
  std::unique_ptr<TempDir> dir;
  std::string error;
  std::string db_bytes;
};

const Template &database_template() {
  static const Template t = [] {
    Template out;
    out.dir = std::make_unique<TempDir>();
    const auto env = env_for(*out.dir);
    const std::vector<std::vector<std::string>> setup = {
        {"patient", "add", "P001", "--birth-date", "1958-04-02", "--sex", "female", "--weight-kg",
         "70", "--creatinine-mg-dl", "1.1", "--baseline-pain", "7"},
        {"log", "P001", "--score", "6", "--at", "2026-11-20T09:00", "--note", "fixture"},
    };
    for (const auto &args : setup) {
      const auto r = run_titrate(*out.dir, args, "", env);
      if (r.exit_code != 0) {
        out.error = "fixture `titrate " + args[0] + " " + args[1] + "` exited " +
                    std::to_string(r.exit_code) + ": " + shorten(r.err);
        return out;
      }
    }
    out.db_bytes = file_bytes(out.dir->file("titrate.db"));
    if (out.db_bytes.empty())
      out.error = "fixture made no database at " + out.dir->file("titrate.db");
    if (!file_bytes(out.dir->file("titrate.db-wal")).empty())
      out.error = "fixture left a non-empty WAL after a clean exit";
    return out;
  }();
  return t;
}

std::string replace_all(std::string s, const std::string &from, const std::string &to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Prepares the folder; returns the stdin text. Throws when a step cannot apply (a broken case).
std::string prepare(const TempDir &d, const Case &c) {
  std::ofstream(d.file("titrate.db"), std::ios::binary) << database_template().db_bytes;
  std::string input;
  for (const auto &s : c.files) {
    if (s.name == "-stdin") {
      input = s.content;
      continue;
    }
    const fs::path target = d.path() / s.name;
    if (target.has_parent_path())
      fs::create_directories(target.parent_path());
    switch (s.kind) {
    case FileStep::Kind::write:
      std::ofstream(target, std::ios::binary) << s.content;
      break;
    case FileStep::Kind::copy:
      fs::copy(fs::path(source_dir()) / s.content, target,
               fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      break;
    case FileStep::Kind::replace: {
      std::string text = file_bytes(target.string());
      const auto at = text.find(s.content);
      if (at == std::string::npos)
        throw std::runtime_error("case " + c.id + ": \"" + s.content + "\" not found in " + s.name);
      text.replace(at, s.content.size(), s.with);
      std::ofstream(target, std::ios::binary) << text;
      break;
    }
    }
  }
  return input;
}

std::vector<std::string> args_for(const TempDir &d, const Case &c) {
  std::vector<std::string> out;
  for (const auto &a : c.args)
    out.push_back(replace_all(a, "{dir}", d.path().string()));
  return out;
}

bool contains_any(const std::string &text, const std::vector<std::string> &alts) {
  const auto t = lower(text);
  return std::any_of(alts.begin(), alts.end(), [&](const std::string &a) {
    return a == "*" || t.find(lower(a)) != std::string::npos;
  });
}

// Every way a bad-input case can go wrong, as sentences (empty = the case passes).
std::vector<std::string> problems(const Case &c, const RunResult &r, const std::string &db_before,
                                  const std::string &db_after, const std::string &wal_after) {
  std::vector<std::string> p;
  if (r.exit_code >= 128)
    p.push_back("crashed: signal " + std::to_string(r.exit_code - 128));
  if (r.exit_code != c.exit_code)
    p.push_back("exit " + std::to_string(r.exit_code) + ", expected " +
                std::to_string(c.exit_code));
  if (r.err.find("AddressSanitizer") != std::string::npos ||
      r.err.find("runtime error:") != std::string::npos ||
      r.err.find("LeakSanitizer") != std::string::npos)
    p.push_back("sanitizer report on stderr");
  if (!contains_any(r.err, c.must_contain))
    p.push_back("stderr does not contain \"" + c.must_contain[0] + "\"");
  if (r.err.find("internal error") != std::string::npos)
    p.push_back("bad input reported as an internal error");
  if (!r.out.empty())
    p.push_back("stdout not empty: " + shorten(r.out, 200));
  if (db_after != db_before)
    p.push_back("database changed");
  if (!wal_after.empty())
    p.push_back("a non-empty WAL was left behind");
  return p;
}

// Runs the cases of `group` whose position in it is `part` modulo `parts` (each ctest test must
// finish inside its timeout on a busy machine with the sanitizers on).
void run_group(const std::string &group, int part = 0, int parts = 1) {
  const auto &t = database_template();
  if (!t.error.empty())
    FAIL(t.error);
  int ran = 0, known = 0, position = -1;
  for (const auto &c : load("corpus.tsv")) {
    if (c.group() != group)
      continue;
    if (++position % parts != part)
      continue;
    ++ran;
    TempDir d;
    const std::string input = prepare(d, c);
    const auto r = run_titrate(d, args_for(d, c), input, env_for(d));
    const auto p = problems(c, r, t.db_bytes, file_bytes(d.file("titrate.db")),
                            file_bytes(d.file("titrate.db-wal")));
    std::string summary = "case " + c.id + " (corpus.tsv:" + std::to_string(c.line) + "):";
    for (const auto &s : p)
      summary += "\n  - " + s;
    summary += "\n  stderr: " + shorten(r.err);
    const auto k = known_failures().find(c.id);
    if (k != known_failures().end()) {
      ++known;
      if (p.empty())
        WARN(c.id + " is listed in known_failures.tsv but now passes: remove it");
      else
        WARN("known failure " + summary + "\n  known because: " + k->second);
      continue;
    }
    if (!p.empty())
      FAIL_CHECK(summary);
  }
  CHECK(ran > 0);
  if (known > 0)
    WARN(group + ": " + std::to_string(known) + " known failures (known_failures.tsv)");
}

} // namespace

TEST_CASE("the corpus is well formed: at least 200 cases with unique ids in known groups") {
  const auto &cases = load("corpus.tsv");
  CHECK(cases.size() >= 200);
  const std::set<std::string> groups = {"cli", "pat", "date", "score", "csv",
                                        "pf",  "fm",  "pw",   "huge"};
  std::set<std::string> ids;
  for (const auto &c : cases) {
    INFO("case " << c.id << " at corpus.tsv:" << c.line);
    CHECK(ids.insert(c.id).second);
    CHECK(groups.count(c.group()) == 1);
    CHECK(c.exit_code >= 1);
    CHECK(c.exit_code <= 4);
  }
  for (const auto &[id, why] : known_failures()) {
    INFO("known_failures.tsv names " << id);
    CHECK(ids.count(id) == 1);
  }
}

TEST_CASE("controls: the corpus's base inputs are valid and succeed") {
  const auto &t = database_template();
  if (!t.error.empty())
    FAIL(t.error);
  for (const auto &c : load("controls.tsv")) {
    TempDir d;
    const std::string input = prepare(d, c);
    const auto r = run_titrate(d, args_for(d, c), input, env_for(d));
    INFO("control " << c.id << " (controls.tsv:" << c.line << ")\nstderr: " << shorten(r.err)
                    << "\nstdout: " << shorten(r.out));
    CHECK(r.exit_code == c.exit_code);
    CHECK(contains_any(r.out + r.err, c.must_contain));
  }
}

TEST_CASE("bad input corpus: global options and commands (part 1 of 2)") {
  run_group("cli", 0, 2);
}
TEST_CASE("bad input corpus: global options and commands (part 2 of 2)") {
  run_group("cli", 1, 2);
}
TEST_CASE("bad input corpus: patient add and update options (part 1 of 3)") {
  run_group("pat", 0, 3);
}
TEST_CASE("bad input corpus: patient add and update options (part 2 of 3)") {
  run_group("pat", 1, 3);
}
TEST_CASE("bad input corpus: patient add and update options (part 3 of 3)") {
  run_group("pat", 2, 3);
}
TEST_CASE("bad input corpus: dates and times (part 1 of 3)") {
  run_group("date", 0, 3);
}
TEST_CASE("bad input corpus: dates and times (part 2 of 3)") {
  run_group("date", 1, 3);
}
TEST_CASE("bad input corpus: dates and times (part 3 of 3)") {
  run_group("date", 2, 3);
}
TEST_CASE("bad input corpus: pain scores on the command line") {
  run_group("score");
}
TEST_CASE("bad input corpus: score CSV files (part 1 of 3)") {
  run_group("csv", 0, 3);
}
TEST_CASE("bad input corpus: score CSV files (part 2 of 3)") {
  run_group("csv", 1, 3);
}
TEST_CASE("bad input corpus: score CSV files (part 3 of 3)") {
  run_group("csv", 2, 3);
}
TEST_CASE("bad input corpus: patient files (part 1 of 3)") {
  run_group("pf", 0, 3);
}
TEST_CASE("bad input corpus: patient files (part 2 of 3)") {
  run_group("pf", 1, 3);
}
TEST_CASE("bad input corpus: patient files (part 3 of 3)") {
  run_group("pf", 2, 3);
}
TEST_CASE("bad input corpus: formulary folders (part 1 of 2)") {
  run_group("fm", 0, 2);
}
TEST_CASE("bad input corpus: formulary folders (part 2 of 2)") {
  run_group("fm", 1, 2);
}
TEST_CASE("bad input corpus: pathway folders") {
  run_group("pw");
}
TEST_CASE("bad input corpus: huge and non-UTF-8 input") {
  run_group("huge");
}
