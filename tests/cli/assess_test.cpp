// Black-box tests of `titrate assess --patient-file ...` (design.md §4, §6). Expected numbers
// are worked out by hand from clinical.md: G1's patient (55 y woman, 65 kg, creatinine 0.8) on
// cipn-esmo from 2026-12-01 takes duloxetine 30 mg daily x 7 d, then 60 mg from 2026-12-08
// (A3); decision date 2026-12-22 (A6: + 14 d); window 2026-12-15 .. 2026-12-21.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

using namespace titrate::test;

namespace {

std::string patient_file(int baseline) {
  return adult_patient_file("P001", "1971-05-01", baseline);
}

// The two files assess_args names: p.toml (the patient, baseline pain `baseline`) and s.csv.
void write_inputs(const TempDir &d, int baseline, const std::string &scores_csv) {
  d.write("p.toml", patient_file(baseline));
  d.write("s.csv", scores_csv);
}

std::vector<std::string> assess_args(const TempDir &d, const std::string &today, bool json = true) {
  std::vector<std::string> a = {"--today",        today,     "assess",     "--patient-file",
                                d.file("p.toml"), "--start", "2026-12-01", "--scores",
                                d.file("s.csv")};
  if (json)
    a.push_back("--json");
  return a;
}

} // namespace

TEST_CASE("assess G7 through the CLI: baseline 7, window mean 4.2 -> continue, JSON shape exact") {
  TempDir d;
  // 4, 4, 4, 5, 4 -> 4.2; (7 - 4.2) / 7 = 40 %; 2026-12-08 -> 2026-12-29 = 21 days at target.
  write_inputs(d, 7,
               "at,score,note\n2026-12-15,4,\n2026-12-16T08:00,4,\n2026-12-17,4,\n"
               "2026-12-18,5,\"tired, slept badly\"\n2026-12-19,4,\n");
  auto r = run_titrate(d, assess_args(d, "2026-12-29"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> keys;
  for (const auto &[k, v] : j.items())
    keys.insert(k);
  CHECK(keys == std::set<std::string>{"patient", "date", "drug", "decision", "baseline", "window",
                                      "change_pct", "days_at_target", "rule", "source", "reasons"});
  CHECK(j["patient"] == "P001");
  CHECK(j["date"] == "2026-12-29");
  CHECK(j["drug"] == "duloxetine");
  CHECK(j["decision"] == "continue");
  CHECK(j["baseline"].get<double>() == Approx(7.0));
  CHECK(j["window"]["start"] == "2026-12-15");
  CHECK(j["window"]["end"] == "2026-12-22");
  CHECK(j["window"]["mean"].get<double>() == Approx(4.2));
  CHECK(j["window"]["scores"] == 5);
  CHECK(j["change_pct"].get<double>() == Approx(40.0));
  CHECK(j["days_at_target"] == 21);
  CHECK(j["rule"] == "decision.response");
  CHECK_THAT(j["source"].get<std::string>(), Catch::Contains("IMMPACT"));
  CHECK(j["reasons"].is_array());
}

TEST_CASE(
    "assess G8 through the CLI: 10 % at duloxetine 60 mg -> switch to gabapentin, ISMP text") {
  TempDir d;
  // 7, 7, 7, 7, 8 -> 7.2; (8 - 7.2) / 8 = 10 %.
  write_inputs(d, 8,
               "at,score\r\n2026-12-15,7\r\n2026-12-16,7\r\n2026-12-17,7\r\n2026-12-18,7\r\n"
               "2026-12-19,8\r\n");
  auto r = run_titrate(d, assess_args(d, "2026-12-22", false));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_contains_all(r.out, {"Decision: switch to gabapentin", "Baseline pain: 8 of 10",
                             "mean 7.2 of 10", "Change from baseline: 10 % less pain",
                             "Decision support only; not medical advice."});
  CHECK_THAT(r.out, !Catch::Contains(".0 "));
}

TEST_CASE("assess G9 through the CLI: intolerable nausea on day 5 -> switch now") {
  TempDir d;
  write_inputs(d, 7, "at,score,note\n");
  d.write("a.csv", "at,description,severity\n2026-12-05,nausea,intolerable\n");
  auto args = assess_args(d, "2026-12-05");
  args.push_back("--adverse-effects");
  args.push_back(d.file("a.csv"));
  auto r = run_titrate(d, args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["decision"] == "switch");
  CHECK(j["rule"] == "decision.intolerable");
  CHECK(j["window"]["mean"].is_null());
  CHECK(j["change_pct"].is_null());
}

TEST_CASE(
    "assess refuses a bad score CSV (exit 2) naming every bad line and column, printing nothing") {
  TempDir d;
  write_inputs(d, 7,
               "at,score,note\n"
               "2026-12-15,11,\n"    // 2: out of range
               "2026-12-16,seven,\n" // 3: a word
               "2026-12-17,7.5,\n"   // 4: not whole
               "2026-12-18,,\n"      // 5: empty
               "2026-02-30,5,\n"     // 6: no such day
               "2026-12-19,5,fine\n");
  auto r = run_titrate(d, assess_args(d, "2026-12-29"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  check_contains_all(r.err, {"s.csv: 5 errors; nothing was read", "s.csv:2: score: \"11\"",
                             "s.csv:3: score: \"seven\"", "s.csv:4: score: \"7.5\"",
                             "s.csv:5: score: \"\"", "s.csv:6: at: \"2026-02-30\""});
}

TEST_CASE("assess refuses each kind of bad score on its own (exit 2)") {
  for (const std::string bad :
       {"2026-12-15,11", "2026-12-15,seven", "2026-12-15,7.5", "2026-12-15,", "2026-02-30,5"}) {
    INFO(bad);
    TempDir d;
    write_inputs(d, 7, "at,score\n2026-12-14,5\n" + bad + "\n");
    auto r = run_titrate(d, assess_args(d, "2026-12-29"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("s.csv:3: "));
  }
}

TEST_CASE("assess refuses a bad adverse-effect CSV and another patient's scores (exit 2)") {
  TempDir d;
  write_inputs(d, 7, "patient_id,at,score\nP002,2026-12-15,4\nP001,2026-12-16,4\n");
  auto r = run_titrate(d, assess_args(d, "2026-12-29"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("s.csv:2: patient_id: \"P002\""));

  d.write("s.csv", "at,score\n");
  d.write("a.csv", "at,description,severity\n2026-12-05,nausea,awful\n");
  auto args = assess_args(d, "2026-12-29");
  args.push_back("--adverse-effects");
  args.push_back(d.file("a.csv"));
  auto a = run_titrate(d, args);
  CHECK(a.exit_code == 2);
  CHECK_THAT(a.err, Catch::Contains("a.csv:2: severity: \"awful\""));
}

TEST_CASE("assess of an unknown stored patient is not found, and missing options are bad input") {
  TempDir d;
  auto id_only = run_titrate(d, {"--today", "2026-12-29", "--role", "clinician", "assess", "P001"});
  CHECK(id_only.exit_code == 3);
  CHECK_THAT(id_only.err, Catch::Contains("P001"));
  auto mixed = run_titrate(
      d, {"--today", "2026-12-29", "--role", "clinician", "assess", "P001", "--scores", "s.csv"});
  CHECK(mixed.exit_code == 2);
  CHECK_THAT(mixed.err, Catch::Contains("--scores"));

  d.write("p.toml", patient_file(7));
  auto no_scores = run_titrate(d, {"--today", "2026-12-29", "assess", "--patient-file",
                                   d.file("p.toml"), "--start", "2026-12-01"});
  CHECK(no_scores.exit_code == 2);
  CHECK_THAT(no_scores.err, Catch::Contains("--scores"));

  auto missing_file =
      run_titrate(d, {"--today", "2026-12-29", "assess", "--patient-file", d.file("p.toml"),
                      "--start", "2026-12-01", "--scores", d.file("nope.csv")});
  CHECK(missing_file.exit_code == 2);
  CHECK_THAT(missing_file.err, Catch::Contains("nope.csv"));
}
