// Black-box tests of `titrate plan --patient-file P.toml --start D`: clinical.md G
// #1-#3 through the real binary, the §6 JSON shape, refusals (exit 4) and bad input (exit 2).
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace titrate::test;

namespace {

std::string example(const std::string &name) {
  return source_dir() + "/schedules/examples/" + name + ".toml";
}

RunResult plan(const TempDir &d, std::vector<std::string> args) {
  std::vector<std::string> all{"--today", "2026-12-01", "plan"};
  all.insert(all.end(), args.begin(), args.end());
  return run_titrate(d, all);
}

const std::string kPatient = adult_patient_file("CLI1", "1971-06-15");

} // namespace

TEST_CASE("plan G1: duloxetine 30 mg daily 7 days, then 60 mg, decision date, ISMP-safe text") {
  TempDir d;
  const auto file = d.write("p.toml", kPatient);
  auto r = plan(d, {"--patient-file", file, "--start", "2026-12-01"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: DULoxetine, trial"));
  CHECK_THAT(r.out, Catch::Contains(
                        "from 2026-12-01 through 2026-12-07 (7 days): 30 mg a day, once daily"));
  CHECK_THAT(r.out, Catch::Contains("in the morning: DULoxetine 30 mg, take 1 capsule of 30 mg"));
  CHECK_THAT(r.out, Catch::Contains("from 2026-12-08 through 2026-12-21 (14 days): 60 mg a day"));
  CHECK_THAT(r.out, Catch::Contains("Decision date: 2026-12-22"));
  CHECK_THAT(r.out, Catch::Contains("Dispense: 7 capsules of 30 mg and 14 capsules of 60 mg"));
  CHECK_THAT(r.out, Catch::Contains("Lint: no findings"));
  CHECK_THAT(r.out, Catch::Contains("Decision support only; not medical advice."));
  for (const char *banned : {"QD", "QHS", "BID", "TID", "30mg", ".0 mg"}) {
    CHECK_THAT(r.out, !Catch::Contains(banned));
  }
}

TEST_CASE("plan --json prints the design.md §6 plan shape") {
  TempDir d;
  const auto file = d.write("p.toml", kPatient);
  auto r = plan(d, {"--patient-file", file, "--start", "2026-12-01", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["patient"] == "CLI1");
  CHECK(j["pathway"] == "cipn-esmo");
  CHECK(j["lint"].empty());
  const auto &s = j["stages"][0];
  CHECK(s["drug"] == "duloxetine");
  CHECK(s["role"] == "trial");
  CHECK(s["decision_date"] == "2026-12-22");
  CHECK(s["target_reached"] == "2026-12-08");
  CHECK(s["steps"][1]["start"] == "2026-12-08");
  CHECK(s["steps"][1]["end"] == "2026-12-22");
  CHECK(s["steps"][1]["daily_mg"] == 60);
  CHECK(s["steps"][1]["doses"][0]["units"][0]["strength_mg"] == 60);
}

TEST_CASE("plan G2: CrCl 25 -> gabapentin once daily from 200 mg, at most 700 mg") {
  TempDir d;
  auto r =
      plan(d, {"--patient-file", example("g2-renal-crcl25"), "--start", "2026-12-01", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto &s = j["stages"][0];
  CHECK(s["drug"] == "gabapentin");
  CHECK(s["steps"][0]["daily_mg"] == 200);
  for (const auto &step : s["steps"]) {
    CHECK(step["doses"].size() == 1);
    CHECK(step["daily_mg"].get<int>() <= 700);
  }
}

TEST_CASE("plan G3: sertraline -> gabapentin, --prefer duloxetine plans it with the warning") {
  TempDir d;
  auto r = plan(d, {"--patient-file", example("g3-sertraline"), "--start", "2026-12-01"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: gabapentin, trial"));
  CHECK_THAT(r.out, Catch::Contains("1,800 mg a day, three times daily"));
  auto p = plan(d, {"--patient-file", example("g3-sertraline"), "--start", "2026-12-01", "--prefer",
                    "duloxetine"});
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.out, Catch::Contains("Stage 1: DULoxetine, trial"));
  CHECK_THAT(p.out, Catch::Contains("Warning (caution)"));
}

TEST_CASE("plan refuses pregnancy and an avoid --prefer with exit 4") {
  TempDir d;
  std::string preg = kPatient;
  preg.replace(preg.find("conditions = []"), 15, "conditions = [\"pregnancy\"]");
  auto r = plan(d, {"--patient-file", d.write("preg.toml", preg), "--start", "2026-12-01"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("pregnancy"));
  CHECK_THAT(r.err, Catch::Contains("--prefer"));
  CHECK(r.out.empty());
  // Named by the clinician (clinical.md H18): planned, with the pregnancy caution and its source.
  auto named = plan(d, {"--patient-file", d.write("preg2.toml", preg), "--start", "2026-12-01",
                        "--prefer", "duloxetine"});
  INFO(named.err);
  CHECK(named.exit_code == 0);
  CHECK_THAT(named.out, Catch::Contains("UKTIS 2022"));
  auto a = plan(d, {"--patient-file", example("g2-renal-crcl25"), "--start", "2026-12-01",
                    "--prefer", "duloxetine"});
  CHECK(a.exit_code == 4);
  CHECK_THAT(a.err, Catch::Contains("avoid"));
}

TEST_CASE("plan: bad input names the value and exits 2") {
  TempDir d;
  const auto file = d.write("p.toml", kPatient);
  auto no_start = plan(d, {"--patient-file", file});
  CHECK(no_start.exit_code == 2);
  CHECK_THAT(no_start.err, Catch::Contains("--start"));
  auto bad_start = plan(d, {"--patient-file", file, "--start", "2026-13-01"});
  CHECK(bad_start.exit_code == 2);
  CHECK_THAT(bad_start.err, Catch::Contains("--start"));
  auto not_in_pathway =
      plan(d, {"--patient-file", file, "--start", "2026-12-01", "--prefer", "tramadol"});
  CHECK(not_in_pathway.exit_code == 2);
  CHECK_THAT(not_in_pathway.err, Catch::Contains("tramadol"));
  // A stored patient's plan is a clinician's command (exit 4 without the role), and an unknown
  // patient is not found (exit 3), naming the id.
  auto id_no_role = plan(d, {"P001", "--start", "2026-12-01"});
  CHECK(id_no_role.exit_code == 4);
  CHECK_THAT(id_no_role.err, Catch::Contains("clinician"));
  auto id_unknown =
      plan(d, {"--role", "clinician", "--user", "dr.a", "P001", "--start", "2026-12-01"});
  CHECK(id_unknown.exit_code == 3);
  CHECK_THAT(id_unknown.err, Catch::Contains("P001"));
  std::string bad_cond = kPatient;
  bad_cond.replace(bad_cond.find("conditions = []"), 15, "conditions = [\"gout\"]");
  auto cond = plan(d, {"--patient-file", d.write("c.toml", bad_cond), "--start", "2026-12-01"});
  CHECK(cond.exit_code == 2);
  CHECK_THAT(cond.err, Catch::Contains("gout"));
  auto no_pathway = plan(d, {"--patient-file", file, "--start", "2026-12-01", "--pathway", "nope"});
  CHECK(no_pathway.exit_code == 3);
}
