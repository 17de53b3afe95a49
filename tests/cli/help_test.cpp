// Every stored-data command's --help names the role it needs and gives an example; the examples,
// run in the order below on one fresh database, make a short course (a patient added, a plan
// drafted, reviewed, taken, scored, assessed, exported and audited), so an example that stops
// working fails here. The roles are checked against docs/cli.md's "Roles" table by hand:
// e.g. `review approve` is for the pharmacist alone, `schedule` for all three (a patient: own
// record only).
#include "expect.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

using namespace titrate::test;

namespace {

struct Expect {
  std::string path;
  std::string role; // what "Role: ..." must say
};

} // namespace

TEST_CASE("help: each stored-data command names its role, and its example runs") {
  const std::vector<Expect> commands = {
      {"patient add", "Role: clinician ("},
      {"patient update", "Role: clinician ("},
      {"patient show", "Role: clinician or pharmacist or patient (own record only)"},
      {"patient list", "Role: clinician or pharmacist ("},
      {"check", "Role: clinician or pharmacist or patient (own record only)"},
      {"plan", "Role: clinician ("},
      {"review list", "Role: pharmacist or clinician ("},
      {"review show", "Role: pharmacist or clinician ("},
      {"review approve", "Role: pharmacist ("},
      {"schedule", "Role: clinician or pharmacist or patient (own record only)"},
      {"log", "Role: clinician or patient (own record only)"},
      {"import scores", "Role: clinician or patient (own record only)"},
      {"due", "Role: clinician or pharmacist ("},
      {"assess", "Role: clinician or pharmacist ("},
      {"decisions", "Role: clinician or pharmacist or patient (own record only)"},
      {"export", "Role: clinician or pharmacist or patient (own record only)"},
      {"audit", "Role: clinician or pharmacist ("},
      {"patient invite", "Role: clinician ("},
      {"patient import", "Role: clinician ("},
      {"report outcomes", "Role: clinician or pharmacist ("},
      {"db checksum", "Role: clinician or pharmacist ("},
  };
  TempDir d;
  const std::vector<std::string> env = {"TITRATE_DB=" + d.file("help.db"),
                                        "TITRATE_TODAY=2026-12-05"};
  d.write("diary.csv",
          "patient_id,at,score,note\nP1,2026-12-03T20:00,5,\nP1,2026-12-04T20:00,4,\n");
  std::filesystem::create_directories(d.path() / "tests/ehr/fhir");
  std::filesystem::copy_file(source_dir() + "/tests/ehr/fhir/demo-bundle.json",
                             d.path() / "tests/ehr/fhir/demo-bundle.json");
  for (const auto &c : commands) {
    auto args = blank_separated(c.path);
    args.push_back("--help");
    const RunResult help = run_titrate(d, args, "", env);
    INFO(c.path << "\n" << help.out << help.err);
    REQUIRE(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains(c.role));
    const auto at = help.out.find("Example: titrate ");
    REQUIRE(at != std::string::npos);
    const std::string line = help.out.substr(at + 17, help.out.find('\n', at) - (at + 17));
    const RunResult r = run_titrate(d, split_words(line), "", env);
    INFO("example: titrate " << line << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
  }
  // The course the examples made: the plan approved by someone else than its author, the
  // patient's score and import stored, the FHIR patient imported.
  const RunResult audit =
      run_titrate(d, {"--role", "clinician", "--user", "dr.ames", "audit"}, "", env);
  // Each entry says it came in through the CLI, and as which operating-system account (the
  // claimed --user is only a claim on a SQLite file).
  const RunResult json = run_titrate(
      d, {"--role", "clinician", "--user", "dr.ames", "--json", "audit", "P1"}, "", env);
  const auto entries = nlohmann::json::parse(json.out)["entries"];
  REQUIRE_FALSE(entries.empty());
  for (const auto &e : entries) {
    CHECK(e["door"] == "cli");
    CHECK_FALSE(e["os_user"].get<std::string>().empty());
  }
  CHECK_THAT(audit.out, Catch::Contains("plan.approve") && Catch::Contains("ph.lee") &&
                            Catch::Contains("score.log") && Catch::Contains("scores.import") &&
                            Catch::Contains("P9"));
}

TEST_CASE("help: the engine commands say a patient file needs no role") {
  TempDir d;
  for (const std::string cmd : {"check", "plan", "assess"}) {
    const RunResult r = run_titrate(d, {cmd, "--help"});
    INFO(r.out);
    CHECK_THAT(r.out, Catch::Contains("with --patient-file: no role, no database."));
  }
}
