// Decisions over the shipped formulary/ and schedules/cipn-esmo.toml (clinical.md G #7-#10 and
// more of our own). The test reads the files (the library never does); plans are written by
// hand (tests/assessment/fixture.hpp) so that only the decision rules are under test. Expected
// values are worked out from clinical.md A2, A3, A6 by hand, as the comments show.
#include "planner/formulary/loader.hpp"
#include "tests/assessment/fixture.hpp"
#include "tests/common/g1_patient.hpp"
#include "tests/common/shipped_formulary.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace titrate;
using namespace titrate::test;

namespace {

const Formulary &shipped() {
  return shipped_formulary();
}

const Pathway &cipn_esmo() {
  return shipped_pathway("cipn-esmo");
}

// clinical.md G1's patient: 55 y woman, 65 kg, creatinine 0.8 (CrCl about 81 mL/min).
Patient g1(int baseline) {
  Patient p = g1_patient("P001", Date(1971, 5, 1));
  p.baseline_pain = PainScore(baseline);
  return p;
}

// g1 with a measured CrCl in place of the creatinine (so Cockcroft-Gault is not used).
Patient g1_with_crcl(int baseline, double crcl_ml_min) {
  Patient p = g1(baseline);
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = crcl_ml_min;
  return p;
}

const Date start(2026, 12, 1);

Assessment run(const Plan &plan, const Patient &p, const std::vector<ScoreEntry> &scores,
               Date today, const std::vector<AdverseEffect> &effects = {}) {
  return assess(AssessInput{plan, p, shipped(), cipn_esmo(), scores, effects, today, 0});
}

// A3: duloxetine 30 mg x 7 d, 60 mg from 2026-12-08; decision 2026-12-22.
Plan duloxetine() {
  return plan_of({trial_stage("duloxetine", start, {{30, 7}, {60, 0}})});
}

// A3: gabapentin 300, 600, 900 x 7, 1,200 x 7, 1,500 x 7, then `assessed` from 2026-12-24;
// decision 2027-01-07, window 2026-12-31 .. 2027-01-06.
Plan gabapentin(long assessed, std::vector<std::string> tried) {
  return plan_of({trial_stage("gabapentin", start,
                              {{300, 1}, {600, 1}, {900, 7}, {1200, 7}, {1500, 7}, {assessed, 0}})},
                 std::move(tried));
}

// A switch to `drug`: the decision, then the next drug (required) and its name.
void check_switch_to(const Assessment &a, const char *drug) {
  CHECK(a.decision == DecisionKind::switch_);
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == drug);
}

} // namespace

TEST_CASE("shipped data: the cipn-esmo decision parameters are clinical.md A6") {
  const DecisionParams &d = cipn_esmo().decisions;
  CHECK(d.min_days_at_target.value == 14);
  CHECK(d.window_days.value == 7);
  CHECK(d.min_days_with_scores.value == 4);
  CHECK(d.baseline_days.value == 7);
  CHECK(d.baseline_min_days.value == 3);
  CHECK(d.response_pct.value == Approx(30));
  CHECK(d.substantial_pct.value == Approx(50));
  CHECK(d.extension_days.value == 7);
  CHECK(d.max_extensions.value == 2);
}

TEST_CASE("shipped data G7: baseline 7.0, window mean 4.2 at duloxetine 60 mg -> 40 % continue") {
  const auto a = run(duloxetine(), g1(7), daily_scores(Date(2026, 12, 15), {4, 4, 4, 5, 4}),
                     Date(2026, 12, 29));
  CHECK(a.decision == DecisionKind::continue_);
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(40.0));
  CHECK(a.days_at_target == 21);
  CHECK_THAT(a.source, Catch::Contains("IMMPACT"));
}

TEST_CASE(
    "shipped data G8: baseline 8.0, window mean 7.2 at duloxetine 60 mg -> switch to gabapentin") {
  const auto a = run(duloxetine(), g1(8), daily_scores(Date(2026, 12, 15), {7, 7, 7, 7, 8}),
                     Date(2026, 12, 22));
  check_switch_to(a, "gabapentin");
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(10.0));
}

TEST_CASE("shipped data G9: day 5 of duloxetine 30 mg, intolerable nausea -> switch now") {
  const auto a = run(duloxetine(), g1(7), {}, Date(2026, 12, 5),
                     {effect(Date(2026, 12, 5), "nausea", AeSeverity::intolerable)});
  check_switch_to(a, "gabapentin");
}

TEST_CASE("shipped data G10: gabapentin, CrCl 90, 20 % at 1,800 mg/d -> escalate to 2,400, never "
          "above 3,600") {
  const Patient p = g1_with_crcl(5, 90);
  const auto scores = daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}); // (5 - 4) / 5 = 20 %
  const auto a = run(gabapentin(1800, {"duloxetine"}), p, scores, Date(2027, 1, 7));
  CHECK(a.decision == DecisionKind::escalate);
  REQUIRE(a.next_dose);
  CHECK(*a.next_dose == mg(2400));
  const auto b = run(gabapentin(2400, {"duloxetine"}), p, scores, Date(2027, 1, 7));
  REQUIRE(b.next_dose);
  CHECK(*b.next_dose == mg(3600));
  // At 3,600 (A3 max) -> switch to amitriptyline, the last drug of cipn-esmo.
  const auto c = run(gabapentin(3600, {"duloxetine"}), p, scores, Date(2027, 1, 7));
  check_switch_to(c, "amitriptyline");
}

TEST_CASE("shipped data: CrCl 25 caps gabapentin at 700 mg/d, so a partial response switches "
          "(duloxetine avoid)") {
  // A2/B2: 15 < CrCl <= 30 -> 200-700 mg/d; the next A3 step 2,400 is above 700 -> switch.
  // Duloxetine is avoid below 30 mL/min (G2), so the next drug is amitriptyline.
  const Patient p = g1_with_crcl(5, 25);
  const auto a =
      run(gabapentin(700, {}), p, daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}), Date(2027, 1, 7));
  CHECK(a.decision == DecisionKind::switch_);
  CHECK_FALSE(a.next_dose);
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == "amitriptyline");
}

TEST_CASE("shipped data G5: after a myocardial infarction, gabapentin failing at its maximum -> "
          "stop and refer") {
  // A4: recent-myocardial-infarction -> amitriptyline avoid; duloxetine already tried.
  Patient p = g1(5);
  p.conditions = {"recent-myocardial-infarction"};
  const auto a = run(gabapentin(3600, {"duloxetine"}), p,
                     daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}), Date(2027, 1, 7));
  CHECK(a.decision == DecisionKind::stop);
  CHECK_FALSE(a.next_drug);
  bool refer = false;
  for (const auto &r : a.reasons)
    refer = refer || r.find("specialist pain services") != std::string::npos;
  CHECK(refer);
}

TEST_CASE("shipped data: a new MAOI makes duloxetine avoid -> switch at once to gabapentin") {
  // A5: maoi taken now -> duloxetine avoid, TCAs avoid, gabapentinoids ok.
  Patient p = g1(7);
  p.medications = {"phenelzine"};
  const auto a = run(duloxetine(), p, {}, Date(2026, 12, 12));
  CHECK(a.decision == DecisionKind::switch_);
  CHECK(a.rule == "decision.new-contraindication");
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == "gabapentin");
}
