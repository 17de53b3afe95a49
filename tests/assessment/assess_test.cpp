// Decisions of clinical.md A6 on hand-built plans (tests/assessment/fixture.hpp). Expected
// values are worked out by hand from clinical.md (A3 doses, A6 thresholds, G scenarios 7-10),
// as the comments show; none is copied from the code's output.
#include "tests/assessment/fixture.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

const Formulary formulary = fixture_formulary();
const Pathway pathway = fixture_pathway();

// Duloxetine per clinical.md A3: 30 mg daily x 7 d from 2026-12-01, then 60 mg from 2026-12-08
// (target reached), held 14 d: decision date 2026-12-22, window 2026-12-15 .. 2026-12-21.
const Date start(2026, 12, 1);
Plan duloxetine_plan(long hold = 14) {
  return plan_of({trial_stage("duloxetine", start, {{30, 7}, {60, 0}}, hold)});
}

// Gabapentin per clinical.md A3 (GAB-US 2.1): 300 mg day 1, 600 mg day 2, 900 mg x 7 d, then
// +300 mg/d every 7 d: 1,200 from 12-10, 1,500 from 12-17, 1,800 from 12-24 (target reached);
// decision date 2027-01-07, window 2026-12-31 .. 2027-01-06.
Plan gabapentin_plan(long assessed = 1800, std::vector<std::string> tried = {}) {
  return plan_of({trial_stage("gabapentin", start,
                              {{300, 1}, {600, 1}, {900, 7}, {1200, 7}, {1500, 7}, {assessed, 0}})},
                 std::move(tried));
}

Assessment run(const Plan &plan, const Patient &patient, const std::vector<ScoreEntry> &scores,
               Date today, const std::vector<AdverseEffect> &effects = {}, int extensions = 0) {
  return assess(AssessInput{plan, patient, formulary, pathway, scores, effects, today, extensions});
}

bool has_reason(const Assessment &a, const std::string &text) {
  for (const auto &r : a.reasons)
    if (r.find(text) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_CASE("to_string names every decision as the JSON contract spells it") {
  CHECK(to_string(DecisionKind::continue_) == "continue");
  CHECK(to_string(DecisionKind::escalate) == "escalate");
  CHECK(to_string(DecisionKind::switch_) == "switch");
  CHECK(to_string(DecisionKind::extend) == "extend");
  CHECK(to_string(DecisionKind::stop) == "stop");
  CHECK(to_string(DecisionKind::review) == "review");
}

TEST_CASE("scenario G7: baseline 7.0, three weeks at duloxetine 60 mg, window mean 4.2 -> 40 % "
          "continue") {
  // Window 2026-12-15..21: 4, 4, 4, 5, 4 on five days -> 21 / 5 = 4.2; (7 - 4.2) / 7 = 40 %.
  const auto a = run(duloxetine_plan(), fixture_patient(7),
                     daily_scores(Date(2026, 12, 15), {4, 4, 4, 5, 4}), Date(2026, 12, 29));
  CHECK(a.decision == DecisionKind::continue_);
  CHECK(a.patient == "P001");
  CHECK(a.drug == "duloxetine");
  CHECK(a.date == Date(2026, 12, 29));
  REQUIRE(a.baseline);
  CHECK(*a.baseline == Approx(7.0));
  CHECK(a.window.start == Date(2026, 12, 15));
  CHECK(a.window.end == Date(2026, 12, 22));
  REQUIRE(a.window.mean);
  CHECK(*a.window.mean == Approx(4.2));
  CHECK(a.window.scores == 5);
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(40.0));
  CHECK(a.days_at_target == 21); // 2026-12-08 -> 2026-12-29
  CHECK_FALSE(a.substantial);
  CHECK(a.rule == "decision.response");
  CHECK_THAT(a.source, Catch::Contains("IMMPACT"));
  CHECK(has_reason(a, "change 40 % from baseline"));
}

TEST_CASE("scenario G8: baseline 8.0, window mean 7.2 (10 %) at the duloxetine maximum -> switch "
          "to gabapentin") {
  // 7, 7, 7, 7, 8 -> 36 / 5 = 7.2; (8 - 7.2) / 8 = 10 % < 30 %; duloxetine has no escalation
  // (A3: max 60 mg) -> switch; the next drug of cipn-esmo not tried is gabapentin.
  const auto a = run(duloxetine_plan(), fixture_patient(8),
                     daily_scores(Date(2026, 12, 15), {7, 7, 7, 7, 8}), Date(2026, 12, 22));
  CHECK(a.decision == DecisionKind::switch_);
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == "gabapentin");
  CHECK_FALSE(a.next_dose);
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(10.0));
  CHECK(a.days_at_target == 14);
  CHECK(a.rule == "decision.switch-at-maximum");
  CHECK(has_reason(a, "at the stage maximum"));
  CHECK(has_reason(a, "switch to gabapentin"));
}

TEST_CASE("scenario G9: day 5 of duloxetine 30 mg, intolerable nausea -> switch now") {
  const auto a = run(duloxetine_plan(), fixture_patient(7), {}, Date(2026, 12, 5),
                     {effect(Date(2026, 12, 5), "nausea", AeSeverity::intolerable)});
  CHECK(a.decision == DecisionKind::switch_);
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == "gabapentin");
  CHECK(a.rule == "decision.intolerable");
  CHECK(a.days_at_target == 0);
  CHECK(has_reason(a, "intolerable adverse effect on duloxetine: nausea"));
}

TEST_CASE("scenario G10: gabapentin, CrCl 90, 20 % at 1,800 mg/d -> escalate to 2,400 mg/d") {
  // Baseline 5, window 4, 4, 4, 4 -> (5 - 4) / 5 = 20 %; A3: next step 2,400 <= 3,600 (CrCl 90).
  const auto a = run(gabapentin_plan(), fixture_patient(5, 90),
                     daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}), Date(2027, 1, 7));
  CHECK(a.decision == DecisionKind::escalate);
  REQUIRE(a.next_dose);
  CHECK(*a.next_dose == mg(2400));
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(20.0));
  CHECK(a.rule == "decision.escalate");
  CHECK_THAT(a.source, Catch::Contains("GAB-US"));
  CHECK(has_reason(a, "to 2,400 mg daily"));
}

TEST_CASE("gabapentin escalation goes 2,400 -> 3,600, then switches at 3,600 and stops when "
          "nothing is left") {
  const auto scores = daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}); // 20 % from 5
  const auto at_2400 = run(gabapentin_plan(2400), fixture_patient(5), scores, Date(2027, 1, 7));
  CHECK(at_2400.decision == DecisionKind::escalate);
  REQUIRE(at_2400.next_dose);
  CHECK(*at_2400.next_dose == mg(3600));

  // At 3,600 no higher step (A3 max 3,600): switch to the next untried drug, amitriptyline.
  const auto at_max =
      run(gabapentin_plan(3600, {"duloxetine"}), fixture_patient(5), scores, Date(2027, 1, 7));
  CHECK(at_max.decision == DecisionKind::switch_);
  REQUIRE(at_max.next_drug);
  CHECK(*at_max.next_drug == "amitriptyline");

  // Every drug of the pathway tried -> stop and refer (A6 "No stage left").
  const auto none = run(gabapentin_plan(3600, {"duloxetine", "amitriptyline"}), fixture_patient(5),
                        scores, Date(2027, 1, 7));
  CHECK(none.decision == DecisionKind::stop);
  CHECK_FALSE(none.next_drug);
  CHECK(none.rule == "decision.no-stage-left");
  CHECK(has_reason(none, "refer to specialist pain services"));
}

TEST_CASE("a renal band cap blocks the escalation step: CrCl 45 at 1,400 mg/d -> switch") {
  // A2/B2: 30 < CrCl < 60 -> at most 1,400 mg/d; the target is the band maximum 1,400; the
  // next A3 step 2,400 is above the cap, so a partial response means switch.
  const auto a = run(gabapentin_plan(1400, {"duloxetine"}), fixture_patient(5, 45),
                     daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}), Date(2027, 1, 7));
  CHECK(a.decision == DecisionKind::switch_);
  CHECK_FALSE(a.next_dose);
  CHECK(has_reason(a, "above the cap 1,400 mg"));
}

TEST_CASE("a severe adverse effect blocks escalation: the dose is held and the reason shown") {
  const auto a =
      run(gabapentin_plan(), fixture_patient(5), daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}),
          Date(2027, 1, 7), {effect(Date(2026, 12, 28), "dizziness", AeSeverity::severe)});
  CHECK(a.decision == DecisionKind::continue_);
  CHECK_FALSE(a.next_dose);
  CHECK(a.rule == "decision.severe-hold");
  CHECK(has_reason(a, "no escalation; the dose is held at 1,800 mg daily"));

  // An effect logged before this drug started does not count against it.
  const auto before = run(gabapentin_plan(), fixture_patient(5),
                          daily_scores(Date(2026, 12, 31), {4, 4, 4, 4}), Date(2027, 1, 7),
                          {effect(Date(2026, 11, 20), "dizziness", AeSeverity::severe),
                           effect(Date(2026, 11, 21), "nausea", AeSeverity::intolerable)});
  CHECK(before.decision == DecisionKind::escalate);
}

TEST_CASE("before the decision date: continue, window not complete: N of 14 days") {
  // Target reached 2026-12-08; on 2026-12-18 that is 10 of the 14 days.
  const auto a = run(duloxetine_plan(), fixture_patient(7), {}, Date(2026, 12, 18));
  CHECK(a.decision == DecisionKind::continue_);
  CHECK(a.rule == "decision.window-not-complete");
  CHECK(a.days_at_target == 10);
  CHECK(has_reason(a, "window not complete: 10 of 14 days"));
  // Still titrating (30 mg): 0 of 14 days.
  const auto early = run(duloxetine_plan(), fixture_patient(7), {}, Date(2026, 12, 4));
  CHECK(early.decision == DecisionKind::continue_);
  CHECK(has_reason(early, "window not complete: 0 of 14 days"));
  // On the decision date itself the decision is made.
  const auto on = run(duloxetine_plan(), fixture_patient(7),
                      daily_scores(Date(2026, 12, 15), {4, 4, 4, 4}), Date(2026, 12, 22));
  CHECK(on.rule != "decision.window-not-complete");
}

TEST_CASE("fewer than 4 days with scores in the window -> extend by 7 days, after 2 extensions -> "
          "review") {
  // Three days with scores (the fourth score is outside the window, on the decision date).
  auto scores = daily_scores(Date(2026, 12, 15), {4, 4, 4});
  scores.push_back(score(Date(2026, 12, 22), 4));
  const auto a = run(duloxetine_plan(), fixture_patient(7), scores, Date(2026, 12, 22));
  CHECK(a.decision == DecisionKind::extend);
  CHECK(a.window.scores == 3);
  CHECK(a.rule == "decision.extend");
  REQUIRE(a.next_decision_date);
  CHECK(*a.next_decision_date == Date(2026, 12, 29));

  // After one extension the plan's decision date is 2026-12-29 (hold 21): window 12-22..28.
  const auto second = run(duloxetine_plan(21), fixture_patient(7),
                          daily_scores(Date(2026, 12, 22), {4, 4}), Date(2026, 12, 29), {}, 1);
  CHECK(second.decision == DecisionKind::extend);
  CHECK(second.window.start == Date(2026, 12, 22));
  REQUIRE(second.next_decision_date);
  CHECK(*second.next_decision_date == Date(2027, 1, 5));

  const auto third = run(duloxetine_plan(28), fixture_patient(7), {}, Date(2027, 1, 5), {}, 2);
  CHECK(third.decision == DecisionKind::review);
  CHECK(third.rule == "decision.extensions-used");
  CHECK(third.window.scores == 0);
  CHECK_FALSE(third.window.mean);
}

TEST_CASE("no baseline, or a baseline of 0 -> review") {
  // Two days with scores before the first dose (3 needed) and nothing entered.
  auto scores = daily_scores(Date(2026, 11, 28), {7, 7});
  const auto window = daily_scores(Date(2026, 12, 15), {4, 4, 4, 4});
  scores.insert(scores.end(), window.begin(), window.end());
  const auto a = run(duloxetine_plan(), fixture_patient(), scores, Date(2026, 12, 22));
  CHECK(a.decision == DecisionKind::review);
  CHECK(a.rule == "decision.no-baseline");
  CHECK_FALSE(a.baseline);
  CHECK_FALSE(a.change_pct);
  CHECK(has_reason(a, "no baseline"));

  const auto zero = run(duloxetine_plan(), fixture_patient(0), window, Date(2026, 12, 22));
  CHECK(zero.decision == DecisionKind::review);
  CHECK(zero.rule == "decision.no-baseline");
}

TEST_CASE("the baseline is the mean of daily means in the 7 days before the first dose, else the "
          "entered one") {
  // 2026-11-24..30: 11-24 {8, 8}, 11-27 {6}, 11-30 {7} -> daily means 8, 6, 7 -> 7.0; the
  // entered 9 is not used. 11-23 (8 days before) and 12-01 (the first dose day) do not count.
  std::vector<ScoreEntry> scores = {score(Date(2026, 11, 23), 0),
                                    score(Date(2026, 11, 24), 8),
                                    score(Date(2026, 11, 24), 8, 0, 20 * 60),
                                    score(Date(2026, 11, 27), 6),
                                    score(Date(2026, 11, 30), 7),
                                    score(Date(2026, 12, 1), 0)};
  const auto window = daily_scores(Date(2026, 12, 15), {4, 4, 4, 5, 4}); // 4.2
  scores.insert(scores.end(), window.begin(), window.end());
  const auto a = run(duloxetine_plan(), fixture_patient(9), scores, Date(2026, 12, 22));
  REQUIRE(a.baseline);
  CHECK(*a.baseline == Approx(7.0));
  REQUIRE(a.change_pct);
  CHECK(*a.change_pct == Approx(40.0));

  // Only two such days: the entered 9 -> (9 - 4.2) / 9 = 53.3 %: substantial.
  std::vector<ScoreEntry> two = {score(Date(2026, 11, 24), 8), score(Date(2026, 11, 30), 7)};
  two.insert(two.end(), window.begin(), window.end());
  const auto b = run(duloxetine_plan(), fixture_patient(9), two, Date(2026, 12, 22));
  REQUIRE(b.baseline);
  CHECK(*b.baseline == Approx(9.0));
  CHECK(b.decision == DecisionKind::continue_);
  CHECK(b.substantial);
  CHECK(b.rule == "decision.response-substantial");
}

TEST_CASE("many scores a day count as one day: the window mean is a mean of daily means") {
  // 12-15 {2, 2, 2} -> 2; 12-16 {6}; 12-17 {4}; 12-18 {4}: daily means 2, 6, 4, 4 -> 4.0 over
  // 4 days (the mean of all six scores would be 3.33). Baseline 8 -> 50 %: substantial.
  std::vector<ScoreEntry> s = {
      score(Date(2026, 12, 15), 2, 0, 480),  score(Date(2026, 12, 15), 2, 0, 720),
      score(Date(2026, 12, 15), 2, 0, 1200), score(Date(2026, 12, 16), 6),
      score(Date(2026, 12, 17), 4),          score(Date(2026, 12, 18), 4)};
  const auto a = run(duloxetine_plan(), fixture_patient(8), s, Date(2026, 12, 22));
  CHECK(a.window.scores == 4);
  REQUIRE(a.window.mean);
  CHECK(*a.window.mean == Approx(4.0));
  CHECK(a.decision == DecisionKind::continue_);
  CHECK(a.substantial);
}

TEST_CASE("a correction supersedes the entry it names, the superseded score is dropped") {
  // 12-15: id 10 = 9, corrected by id 11 = 4; 12-16..18: 4. Live daily means 4, 4, 4, 4 -> 4.0
  // and 50 % from 8. Were 9 kept, 12-15 would be 6.5 and the mean 4.625 (42 %).
  std::vector<ScoreEntry> s = {score(Date(2026, 12, 15), 9, 10, 480),
                               score(Date(2026, 12, 15), 4, 11, 600, 10),
                               score(Date(2026, 12, 16), 4, 12), score(Date(2026, 12, 17), 4, 13),
                               score(Date(2026, 12, 18), 4, 14)};
  const auto a = run(duloxetine_plan(), fixture_patient(8), s, Date(2026, 12, 22));
  REQUIRE(a.window.mean);
  CHECK(*a.window.mean == Approx(4.0));
  CHECK(a.window.scores == 4);
  CHECK(a.substantial);

  // A correction that moves an entry out of the window leaves one day fewer: extend.
  std::vector<ScoreEntry> moved = {
      score(Date(2026, 12, 15), 4, 20), score(Date(2026, 12, 14), 4, 21, 600, 20),
      score(Date(2026, 12, 16), 4, 22), score(Date(2026, 12, 17), 4, 23),
      score(Date(2026, 12, 18), 4, 24)};
  CHECK(run(duloxetine_plan(), fixture_patient(8), moved, Date(2026, 12, 22)).decision ==
        DecisionKind::extend);
}

TEST_CASE("exactly 30 % is a response, just below is not") {
  // Baseline 10, window 7, 7, 7, 7 -> 30 % exactly: continue (A6: >= 30 %).
  const auto a = run(duloxetine_plan(), fixture_patient(10),
                     daily_scores(Date(2026, 12, 15), {7, 7, 7, 7}), Date(2026, 12, 22));
  CHECK(a.decision == DecisionKind::continue_);
  CHECK_FALSE(a.substantial);
  // Window 7, 7, 7, 8 -> 7.25 -> 27.5 %: not a response; duloxetine at its maximum -> switch.
  const auto b = run(duloxetine_plan(), fixture_patient(10),
                     daily_scores(Date(2026, 12, 15), {7, 7, 7, 8}), Date(2026, 12, 22));
  CHECK(b.decision == DecisionKind::switch_);
}

TEST_CASE("a drug that is now avoid (a new contraindication) is switched at once, on any day") {
  // A4: hepatic impairment -> duloxetine avoid. Day 10, before any window.
  Patient p = fixture_patient(7);
  p.hepatic = Hepatic::moderate;
  const auto a = run(duloxetine_plan(), p, {}, Date(2026, 12, 10));
  CHECK(a.decision == DecisionKind::switch_);
  CHECK(a.rule == "decision.new-contraindication");
  CHECK_THAT(a.source, Catch::Contains("DUL-UK 4.3"));
  REQUIRE(a.next_drug);
  CHECK(*a.next_drug == "gabapentin");
  CHECK(has_reason(a, "duloxetine is now avoid"));
}
