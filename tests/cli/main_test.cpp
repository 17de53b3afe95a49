#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>

using namespace titrate::test;

TEST_CASE("titrate with no command is bad input (exit 2) and says what is expected") {
  TempDir d;
  auto r = run_titrate(d, {});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("expected a command"));
}

TEST_CASE("an unknown option is bad input (exit 2) naming it") {
  TempDir d;
  auto r = run_titrate(d, {"--no-such-option"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--no-such-option"));
}

TEST_CASE("version and help flags exit 0") {
  TempDir d;
  auto v = run_titrate(d, {"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::Contains("titrate"));
  auto h = run_titrate(d, {"--help"});
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.out, Catch::Contains("not medical advice"));
}

TEST_CASE("a bad --today is rejected naming the option") {
  TempDir d;
  auto r = run_titrate(d, {"--today", "2026-02-30", "formulary", "list"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--today"));
}

TEST_CASE("mistyped commands and options are named, with the nearest name and the command") {
  TempDir d;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"plna"}, "titrate: plna: not a command; did you mean plan?; see titrate --help"},
      {{"revie", "approve"}, "titrate: revie: not a command; did you mean review?"},
      {{"patient", "ad", "X"},
       "titrate: patient ad: not a command; did you mean add?; see titrate patient --help"},
      {{"log", "G1", "--scor", "5"},
       "titrate: log: --scor: not an option of this command; did you mean --score?; see titrate "
       "log --help"},
      {{"due", "--jsn"},
       "titrate: due: --jsn: not an option of this command; did you mean --json?"},
      {{"due", "--within", "week"},
       "titrate: --within: \"week\" is not a whole number; expected a whole number"},
      {{"review"}, "titrate: review: expected a command: list, show, approve or reject"},
      {{"import"},
       "titrate: import: expected a command: scores (import scores FILE.csv); see titrate import "
       "--help\n"},
      {{"log"},
       "titrate: log: ID: missing; expected a stored patient's ID; see titrate log --help"},
      {{"export"},
       "titrate: export: ID: missing; expected a stored patient's ID; see titrate export --help"},
      {{"plan", "--patient-file"}, "titrate: --patient-file: missing its value; expected a value"},
      {{"frobnicate"}, "titrate: frobnicate: not a command; see titrate --help"}, // nothing near it
  };
  for (const auto &[args, says] : cases) {
    auto r = run_titrate(d, args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith(says));
    CHECK(r.out.empty());
  }
}

TEST_CASE("check, plan and assess word one mistake one way (planner/cli/file_form.cpp)") {
  TempDir d;
  const std::string file = d.write("p.toml", "id = \"P1\"\n");
  const std::string both = ": ID and --patient-file: expected one of them, not both\n";
  const std::string neither =
      ": ID or --patient-file: missing; expected a stored patient's ID, or --patient-file P.toml";
  const std::string no_start =
      "titrate: --start: missing; expected the first day of the plan, YYYY-MM-DD";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"check", "P1", "--patient-file", file}, "titrate: check" + both},
      {{"plan", "P1", "--patient-file", file, "--start", "2026-12-01"}, "titrate: plan" + both},
      {{"assess", "P1", "--patient-file", file}, "titrate: assess" + both},
      {{"check"}, "titrate: check" + neither + "\n"},
      {{"plan"}, "titrate: plan" + neither + " --start D\n"},
      {{"assess"}, "titrate: assess" + neither + " --start D --scores S.csv\n"},
      {{"plan", "--patient-file", file}, no_start + "\n"},
      {{"assess", "--patient-file", file, "--scores", "s.csv"}, no_start + "\n"},
      {{"--role", "clinician", "--user", "dr.a", "plan", "P1"},
       no_start + " (or --submit alone, to submit the latest draft)\n"},
      {{"--role", "clinician", "--user", "dr.a", "plan", "P1", "--preview"},
       no_start + " (--preview shows the plan from that day)\n"},
  };
  for (const auto &[args, says] : cases) {
    auto r = run_titrate(d, args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err == says);
    CHECK(r.out.empty());
  }
}

TEST_CASE("the patient argument is ID in every command's help") {
  TempDir d;
  for (const char *cmd : {"check", "plan", "assess", "export", "log", "schedule", "decisions"}) {
    auto r = run_titrate(d, {cmd, "--help"});
    INFO(cmd << ": " << r.out);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("ID") && Catch::Contains("A stored patient's ID"));
    CHECK_THAT(r.out, !Catch::Contains(" id ") && !Catch::Contains("[id]"));
  }
}
