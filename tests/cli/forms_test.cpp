// Every command form docs/cli.md documents (each `titrate ...` in a "###" heading) has a golden
// transcript: some tests/cli/golden/*.course runs that command with the form's required options,
// and its stdout, stderr and exit code are compared line by line (golden_course_test.cpp).
#include "expect.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace titrate::test;

namespace {

struct Form {
  std::string text;               // as documented
  std::vector<std::string> path;  // "patient", "add"
  std::vector<std::string> flags; // required options ("--patient-file", "--start")
};

bool is_command_word(const std::string &w) {
  return !w.empty() && w[0] >= 'a' && w[0] <= 'z' && w.find('.') == std::string::npos;
}

// "check ID | --patient-file P.toml [--json]" -> check {} and check {--patient-file}
std::vector<Form> parse_form(const std::string &text) {
  std::vector<std::vector<std::string>> alternatives(1);
  int depth = 0;
  for (const auto &w : blank_separated(text.substr(std::string("titrate ").size()))) {
    const bool top = depth == 0;
    for (char c : w)
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (!top)
      continue;
    if (w == "|") {
      alternatives.emplace_back();
    } else if (w[0] != '[') {
      alternatives.back().push_back(w);
    }
  }
  std::vector<Form> out;
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    Form f{text, {}, {}};
    const auto &a = alternatives[i];
    std::size_t k = 0;
    if (i > 0) {
      f.path = {out.front().path.front()};
      if (a.empty() || !is_command_word(a.front()))
        f.path = out.front().path;
    }
    for (; k < a.size() && is_command_word(a[k]); ++k)
      f.path.push_back(a[k]);
    for (; k < a.size(); ++k)
      if (a[k].rfind("--", 0) == 0)
        f.flags.push_back(a[k]);
    out.push_back(f);
  }
  return out;
}

std::vector<Form> documented_forms() {
  std::ifstream in(source_dir() + "/docs/cli.md");
  std::vector<Form> out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("### ", 0) != 0)
      continue;
    for (std::size_t at = line.find("`titrate "); at != std::string::npos;
         at = line.find("`titrate ", at + 1)) {
      const auto end = line.find('`', at + 1);
      for (auto &f : parse_form(line.substr(at + 1, end - at - 1)))
        out.push_back(f);
    }
  }
  return out;
}

// The command words of each "$ " line of every course, global options dropped.
std::vector<std::vector<std::string>> course_commands() {
  std::vector<std::vector<std::string>> out;
  for (const auto &e : std::filesystem::directory_iterator(source_dir() + "/tests/cli/golden")) {
    std::ifstream in(e.path());
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("$ ", 0) != 0)
        continue;
      auto w = blank_separated(line.substr(2));
      std::size_t i = 0;
      static const std::set<std::string> with_value = {"--today", "--user",      "--role",
                                                       "--db",    "--formulary", "--pathways"};
      while (i < w.size() && (with_value.count(w[i]) || w[i] == "--json"))
        i += with_value.count(w[i]) ? 2 : 1;
      out.emplace_back(w.begin() + static_cast<long>(std::min(i, w.size())), w.end());
    }
  }
  return out;
}

bool covered(const Form &f, const std::vector<std::vector<std::string>> &runs) {
  for (const auto &r : runs) {
    if (r.size() < f.path.size() || !std::equal(f.path.begin(), f.path.end(), r.begin()))
      continue;
    bool all = true;
    for (const auto &flag : f.flags)
      all = all && std::find(r.begin(), r.end(), flag) != r.end();
    if (all)
      return true;
  }
  return false;
}

} // namespace

TEST_CASE("forms: the form reader finds paths and required options") {
  auto f = parse_form("titrate check ID | --patient-file P.toml [--json]");
  REQUIRE(f.size() == 2);
  CHECK(f[0].path == std::vector<std::string>{"check"});
  CHECK(f[1].flags == std::vector<std::string>{"--patient-file"});
  f = parse_form("titrate formulary list | show DRUG | check [DIR]");
  REQUIRE(f.size() == 3);
  CHECK(f[2].path == std::vector<std::string>{"formulary", "check"});
  f = parse_form("titrate assess ID --apply --decision KIND --reason T");
  CHECK(f[0].flags == std::vector<std::string>{"--apply", "--decision", "--reason"});
  CHECK_FALSE(covered(f[0], {{"assess", "P1", "--apply"}}));
  CHECK(covered(f[0], {{"assess", "P1", "--apply", "--decision", "stop", "--reason", "x"}}));
}

TEST_CASE("forms: every command form of docs/cli.md has a golden transcript") {
  const auto forms = documented_forms();
  REQUIRE(forms.size() >= 30);
  const auto runs = course_commands();
  for (const auto &f : forms) {
    // `serve` runs until stopped: the web, EHR and browser tests drive it instead.
    if (f.path == std::vector<std::string>{"serve"})
      continue;
    INFO(f.text);
    CHECK(covered(f, runs));
  }
}
