// Golden courses (in the manner of ledger's test/baseline): each file in
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
//   ! TEXT         one line of the expected standard error (after the output lines)
//   ? N            the expected exit code (after the output lines)
//   @ NAME         before a command: writes the file NAME in the temporary folder from the
//   | TEXT         "| " lines that follow (a diary to import, a FHIR bundle)
//   @ NAME = PATH  before a command: copies the repository's file PATH to NAME
//   < TEXT         before a command: its standard input (a password for `user add`)
// What a run cannot repeat is written in the transcript as a placeholder: a UTC time the store
// records ("2026-11-30T17:15:35Z") as <utc>, a patient link's token as <token>, a SHA-256 (of
// tables holding such times, salts and tokens) as <sha256>, the temporary folder as <tmp> and the
// repository as <src>, the operating-system user an audit entry names as <os user>.
#include "tests/cli/expect.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <pwd.h>
#include <regex>
#include <sstream>
#include <unistd.h>

using namespace titrate::test;

namespace {

struct Command {
  std::string line; // after "$ "
  std::vector<std::string> expected_out;
  std::vector<std::string> expected_err;
  int expected_exit = 0;
  std::vector<std::pair<std::string, std::vector<std::string>>> files; // "@ NAME" + "| " lines
  std::string input;                                                   // "< " lines
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
  Command pending; // files and input given before the next command
  Command *cur = nullptr;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("$ ", 0) == 0) {
      pending.line = line.substr(2);
      t.commands.push_back({comments, pending});
      pending = Command{};
      comments.clear();
      cur = &t.commands.back().second;
    } else if (line.rfind("@ ", 0) == 0) {
      pending.files.push_back({line.substr(2), {}});
    } else if (line.rfind("|", 0) == 0) {
      INFO(path << ":" << n << ": a file line before any @ NAME");
      REQUIRE_FALSE(pending.files.empty());
      pending.files.back().second.push_back(line.size() > 2 ? line.substr(2) : "");
    } else if (line.rfind("< ", 0) == 0) {
      pending.input += line.substr(2) + "\n";
    } else if (line.rfind("!", 0) == 0) {
      INFO(path << ":" << n << ": error output before any command");
      REQUIRE(cur != nullptr);
      cur->expected_err.push_back(line.size() > 2 ? line.substr(2) : "");
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

// The output with what a run cannot repeat replaced (see the format above).
std::vector<std::string> lines_of(const std::string &text, const std::string &tmp) {
  static const std::regex utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  static const std::regex token(R"(/p/[0-9a-f]{32})");
  static const std::regex sha256(R"(\b[0-9a-f]{64}\b)");
  std::vector<std::string> out;
  std::istringstream s(text);
  std::string l;
  while (std::getline(s, l)) {
    for (auto at = l.find(tmp); at != std::string::npos; at = l.find(tmp, at))
      l.replace(at, tmp.size(), "<tmp>");
    const std::string src = source_dir();
    for (auto at = l.find(src); at != std::string::npos; at = l.find(src, at))
      l.replace(at, src.size(), "<src>");
    l = std::regex_replace(l, sha256, "<sha256>");
    static const std::string os_user = [] {
      const passwd *pw = ::getpwuid(::geteuid());
      return std::string(pw && pw->pw_name ? pw->pw_name : "");
    }();
    const std::string os_text = "OS user " + os_user + "]";
    for (auto at = l.find(os_text); !os_user.empty() && at != std::string::npos;
         at = l.find(os_text, at))
      l.replace(at, os_text.size(), "OS user <os user>]");
    l = std::regex_replace(l, utc, "<utc>");
    out.push_back(std::regex_replace(l, token, "/p/<token>"));
  }
  return out;
}

void compare(const std::vector<std::string> &got, const std::vector<std::string> &want,
             const char *stream) {
  // Line by line, so a failure names the first line that differs.
  for (std::size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const std::string w = i < want.size() ? want[i] : "<no line>";
    const std::string h = i < got.size() ? got[i] : "<no line>";
    INFO(stream << " line " << i + 1);
    REQUIRE(h == w);
  }
}

void replay(const std::string &path) {
  const Transcript t = parse(path);
  REQUIRE_FALSE(t.commands.empty());
  TempDir d;
  const bool update = std::getenv("TITRATE_GOLDEN_UPDATE") != nullptr;
  std::ostringstream rewritten;
  for (const auto &h : t.header)
    rewritten << h << "\n";
  for (const auto &[comments, cmd] : t.commands) {
    for (const auto &c : comments)
      rewritten << c << "\n";
    for (const auto &[name, lines] : cmd.files) {
      rewritten << "@ " << name << "\n";
      if (const auto eq = name.find(" = "); eq != std::string::npos) {
        const auto target = d.path() / name.substr(0, eq);
        std::filesystem::create_directories(target.parent_path());
        std::filesystem::copy_file(source_dir() + "/" + name.substr(eq + 3), target);
        continue;
      }
      std::string text;
      for (const auto &l : lines) {
        rewritten << (l.empty() ? "|" : "| " + l) << "\n";
        text += l + "\n";
      }
      std::filesystem::create_directories((d.path() / name).parent_path());
      d.write(name, text);
    }
    std::istringstream input_lines(cmd.input);
    for (std::string l; std::getline(input_lines, l);)
      rewritten << "< " << l << "\n";
    std::vector<std::string> args = {"--db", d.file("clinic.db")};
    for (auto &w : split_words(cmd.line))
      args.push_back(std::move(w));
    const RunResult r = run_titrate(d, args, cmd.input);
    const auto got = lines_of(r.out, d.path().string());
    const auto got_err = lines_of(r.err, d.path().string());
    rewritten << "$ " << cmd.line << "\n";
    for (const auto &l : got)
      rewritten << (l.empty() ? ">" : "> " + l) << "\n";
    for (const auto &l : got_err)
      rewritten << (l.empty() ? "!" : "! " + l) << "\n";
    rewritten << "? " << r.exit_code << "\n";
    if (update)
      continue;
    INFO(path << ": $ " << cmd.line);
    CHECK(r.exit_code == cmd.expected_exit);
    compare(got, cmd.expected_out, "output");
    compare(got_err, cmd.expected_err, "error output");
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
    if (e.path().extension() == ".course")
      files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto &f : files) {
    SECTION(std::filesystem::path(f).filename().string()) {
      replay(f);
    }
  }
}
