// Golden courses (issue 13 §8; in the manner of ledger's test/baseline): each file in
// tests/cli/golden/*.course is a whole course as a person runs it, command by command, with the
// exact standard output and exit code, checked line by line against shared/clinical.md by a
// person (the file's header says what was checked). The test replays every command on a fresh
// database in a temporary folder and compares. A change of output fails here, so a person reads
// the new transcript before it lands: TITRATE_GOLDEN_UPDATE=1 rewrites the files for that
// reading (never in CI).
//
// Format, one item a line:
//   # ...          a comment (kept as it is)
//   $ ARGS         a command: titrate ARGS, with "--db <temp>/clinic.db" put first; words split at
//                  spaces, "double quotes" keep spaces
//   > TEXT         one line of the expected standard output ("> " alone for an empty line)
//   ? N            the expected exit code (after the output lines)
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace titrate::test;

namespace {

std::vector<std::string> split_words(const std::string &line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any) out.push_back(cur);
  return out;
}

struct Command {
  std::string line; // after "$ "
  std::vector<std::string> expected_out;
  int expected_exit = 0;
};

struct Transcript {
  std::vector<std::string> header; // comment lines before the first command
  std::vector<std::pair<std::vector<std::string>, Command>> commands; // comments before each
};

Transcript parse(const std::string &path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  Transcript t;
  std::vector<std::string> comments;
  Command *cur = nullptr;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("$ ", 0) == 0) {
      t.commands.push_back({comments, Command{line.substr(2), {}, 0}});
      comments.clear();
      cur = &t.commands.back().second;
    } else if (line.rfind(">", 0) == 0) {
      INFO(path << ":" << n << ": output before any command");
      REQUIRE(cur != nullptr);
      cur->expected_out.push_back(line.size() > 2 ? line.substr(2) : "");
    } else if (line.rfind("? ", 0) == 0) {
      INFO(path << ":" << n);
      REQUIRE(cur != nullptr);
      cur->expected_exit = std::stoi(line.substr(2));
    } else {
      (t.commands.empty() ? t.header : comments).push_back(line);
    }
  }
  return t;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream s(text);
  std::string l;
  while (std::getline(s, l)) out.push_back(l);
  return out;
}

void replay(const std::string &path) {
  const Transcript t = parse(path);
  REQUIRE_FALSE(t.commands.empty());
  TempDir d;
  const bool update = std::getenv("TITRATE_GOLDEN_UPDATE") != nullptr;
  std::ostringstream rewritten;
  for (const auto &h : t.header) rewritten << h << "\n";
  for (const auto &[comments, cmd] : t.commands) {
    for (const auto &c : comments) rewritten << c << "\n";
    std::vector<std::string> args = {"--db", d.file("clinic.db")};
    for (auto &w : split_words(cmd.line)) args.push_back(std::move(w));
    const RunResult r = run_titrate(d, args);
    const auto got = lines_of(r.out);
    rewritten << "$ " << cmd.line << "\n";
    for (const auto &l : got) rewritten << (l.empty() ? ">" : "> " + l) << "\n";
    rewritten << "? " << r.exit_code << "\n";
    if (update) continue;
    INFO(path << ": $ " << cmd.line);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == cmd.expected_exit);
    // Line by line, so a failure names the first line that differs.
    for (std::size_t i = 0; i < std::max(got.size(), cmd.expected_out.size()); ++i) {
      const std::string want = i < cmd.expected_out.size() ? cmd.expected_out[i] : "<no line>";
      const std::string have = i < got.size() ? got[i] : "<no line>";
      INFO("output line " << i + 1);
      REQUIRE(have == want);
    }
  }
  if (update) {
    std::ofstream out(path, std::ios::trunc);
    out << rewritten.str();
  }
}

} // namespace

TEST_CASE("golden courses replay exactly") {
  const std::string dir = source_dir() + "/tests/cli/golden";
  std::vector<std::string> files;
  for (const auto &e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".course") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto &f : files) {
    SECTION(std::filesystem::path(f).filename().string()) { replay(f); }
  }
}
