// Every documented command is a test: each ```sh block of README.md and docs/*.md whose commands
// are titrate's own runs here, as written, in a fresh folder (a shell with the built titrate first
// on PATH, the repository's formulary/, schedules/ and tests/ beside it, HOME in the folder), and
// must exit 0. A block followed by "prints" and a plain block must print each of that block's
// lines. A block that cannot run here (installing, building, a PostgreSQL server on another host,
// benchmarks) must be in `not_run` below with the reason and the test that covers it instead; a
// block that is neither fails, so a new documented command cannot go untested.
#include "run.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

struct Block {
  std::string file;
  int line = 0;                      // of the opening fence
  std::vector<std::string> commands; // continuations joined, comments and blanks dropped
  std::vector<std::string> prints;   // the expected output lines ("prints" + a plain block)
};

std::string strip_comment(const std::string &line) {
  // A '#' after a blank outside quotes starts a comment (the docs' own convention).
  bool single = false, dbl = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'' && !dbl)
      single = !single;
    if (c == '"' && !single)
      dbl = !dbl;
    if (c == '#' && !single && !dbl && (i == 0 || line[i - 1] == ' '))
      return line.substr(0, i);
  }
  return line;
}

std::string trim(const std::string &s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos)
    return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::vector<Block> sh_blocks(const std::string &file) {
  std::ifstream in(source_dir() + "/" + file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  std::vector<Block> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (trim(lines[i]) != "```sh")
      continue;
    Block b{file, static_cast<int>(i + 1), {}, {}};
    std::string joined;
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "```"; ++j) {
      std::string l = lines[j];
      if (!l.empty() && l.back() == '\\') {
        joined += l.substr(0, l.size() - 1) + " ";
        continue;
      }
      const std::string cmd = trim(strip_comment(joined + l));
      joined.clear();
      if (!cmd.empty())
        b.commands.push_back(cmd);
    }
    // "prints" and then a plain block: the output to expect.
    std::size_t k = j + 1;
    while (k < lines.size() && trim(lines[k]).empty())
      ++k;
    if (k + 2 < lines.size() && trim(lines[k]).rfind("prints", 0) == 0) {
      ++k;
      while (k < lines.size() && trim(lines[k]).empty())
        ++k;
      if (k < lines.size() && trim(lines[k]) == "```") {
        for (++k; k < lines.size() && trim(lines[k]) != "```"; ++k)
          if (!trim(lines[k]).empty())
            b.prints.push_back(trim(lines[k]));
      }
    }
    out.push_back(b);
    i = j;
  }
  return out;
}

// titrate's own commands: `titrate ...`, `$T ...`, `T=...`, `export TITRATE_*=...` and
// `echo '...' | titrate ...`.
bool runnable(const std::string &cmd) {
  static const std::regex own(
      R"(^(titrate |\$T |T=\S+$|export TITRATE_\w+=\S+$|echo '[^']*' \| titrate ).*)");
  return std::regex_match(cmd, own);
}

struct NotRun {
  std::string file;
  std::string first; // the block's first command starts with this
  std::string why;
};

const std::vector<NotRun> not_run = {
    {"README.md", "bash .ci/install-deps",
     "installs and builds: it is what CI (.ci/run) does; its last part, docs/demo.sh, is the test "
     "\"cli:docs: the README's demo\" (demo_test.sh)"},
    {"README.md", "cmake --preset dev", "the test command itself (.ci/run runs it)"},
    {"docs/deployment.md", "export TITRATE_DB='postgresql://titrate_app@db.example.org",
     "a server on another host; the same commands run on a local cluster in tests/store "
     "(postgres_test.cpp) and tests/dbcopy"},
    {"docs/deployment.md", "titrate --db 'postgresql://titrate_owner@db.example.org",
     "a server on another host; migrations as the owner run in tests/store/postgres_test.cpp"},
    {"docs/deployment.md", "pg_dump", "PostgreSQL's own tools on another host"},
    {"docs/deployment.md", "TITRATE_DB='postgresql://titrate_app@db.example.org",
     "serve on another host; two instances on one database run in tests/web/two_instances_test"},
    {"docs/deployment.md", "node bench/web_load.js", "a benchmark (docs/performance.md)"},
    {"docs/deployment.md", "titrate db copy --from /srv/clinic/titrate.db",
     "a clinic's paths and another host; db copy and checksum run in tests/dbcopy and "
     "tests/cli/db_copy_test.cpp"},
    {"docs/performance.md", "bench/run", "benchmarks print figures; never timed tests"},
    {"docs/performance.md", "node bench/cds_load.js", "a benchmark"},
    {"docs/performance.md", "bench/startup", "a benchmark: it prints figures, never fails on time"},
    {"docs/reliability.md", "build/release/bench/bench_courses",
     "the simulator's full run; tests/assessment/simulator_test.cpp runs it small"},
    {"docs/ehr.md", "titrate serve --listen 127.0.0.1:8080 --cds-clients",
     "a server that runs until stopped; tests/ehr/mock_ehr_test.js drives it"},
};

const NotRun *skipped(const Block &b) {
  for (const auto &n : not_run)
    if (n.file == b.file && !b.commands.empty() && b.commands.front().rfind(n.first, 0) == 0)
      return &n;
  return nullptr;
}

std::vector<std::string> documents() {
  std::vector<std::string> docs = {"README.md"};
  for (const auto &e : fs::directory_iterator(source_dir() + "/docs"))
    if (e.path().extension() == ".md")
      docs.push_back("docs/" + e.path().filename().string());
  std::sort(docs.begin(), docs.end());
  return docs;
}

} // namespace

TEST_CASE("docs: every documented titrate command runs as written") {
  int ran = 0;
  for (const auto &doc : documents()) {
    for (const auto &b : sh_blocks(doc)) {
      INFO(b.file << ":" << b.line << ": " << (b.commands.empty() ? "" : b.commands.front()));
      if (skipped(b))
        continue;
      bool all_own = !b.commands.empty();
      for (const auto &c : b.commands)
        all_own = all_own && runnable(c);
      CHECK(all_own); // else: make it runnable, or add it to not_run with a reason
      if (!all_own)
        continue;
      TempDir d;
      fs::create_directories(d.path() / "bin");
      fs::create_symlink(TITRATE_BINARY, d.path() / "bin" / "titrate");
      for (const char *dir : {"formulary", "schedules", "tests"})
        fs::create_directory_symlink(source_dir() + "/" + dir, d.path() / dir);
      std::string script = "set -e\ncd '" + d.path().string() + "'\nexport PATH='" +
                           (d.path() / "bin").string() + "':\"$PATH\" HOME='" + d.path().string() +
                           "'\nunset TITRATE_DB TITRATE_USER TITRATE_ROLE "
                           "TITRATE_TODAY\nT=titrate\n";
      for (const auto &c : b.commands) {
        // `titrate serve` runs until it is stopped: the web tests serve; here it only has to
        // parse (--help), so a renamed option still fails.
        if (c.find("titrate serve") != std::string::npos) {
          script += std::regex_replace(c, std::regex("titrate serve.*"), "titrate serve --help") +
                    " >/dev/null\n";
        } else if (c.rfind("T=", 0) == 0) {
          script += "T=titrate\n"; // the README's build/release/titrate: the binary under test
        } else {
          script += c + "\n";
        }
      }
      d.write("block.sh", script);
      const std::string out = d.file("block.out");
      const int status =
          std::system(("sh '" + d.file("block.sh") + "' >'" + out + "' 2>&1").c_str());
      const std::string printed = file_bytes(out);
      INFO("script:\n" << script << "output:\n" << printed);
      CHECK(status == 0);
      for (const auto &p : b.prints)
        CHECK_THAT(printed, Catch::Contains(p));
      ++ran;
    }
  }
  CHECK(ran >= 3); // README's "Using it", docs/ehr.md's import, docs/web.md's set-up
}

TEST_CASE("docs: the block reader finds commands, continuations and expected output") {
  TempDir d;
  // The reader itself must be able to fail: a block it misreads would pass unseen.
  CHECK(strip_comment("titrate due   # the list") == "titrate due   ");
  CHECK(strip_comment("echo 'a # b' | titrate x") == "echo 'a # b' | titrate x");
  CHECK(runnable("titrate --role clinician due"));
  CHECK(runnable("echo 'a long password' | titrate user add a --role clinician"));
  CHECK_FALSE(runnable("pg_dump --format=custom"));
  CHECK_FALSE(runnable("rm -rf /tmp/x; titrate due"));
  const auto ehr = sh_blocks("docs/ehr.md");
  REQUIRE_FALSE(ehr.empty());
  CHECK(ehr.front().commands.size() == 2);
  CHECK_FALSE(ehr.front().prints.empty());
  const auto web = sh_blocks("docs/web.md");
  REQUIRE_FALSE(web.empty());
  CHECK(web.front().commands.at(1).find("--weight-kg 65 --creatinine-mg-dl 0.8") !=
        std::string::npos); // the continuation was joined
}
