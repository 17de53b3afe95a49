// apply_decision over the shipped formulary: escalate (G #10), extend, switch with taper and
// overlap (G #8), sequential switch with a gap (duloxetine -> TCA), an early switch for an
// intolerable effect (G #9), no drug left. Expected values by hand from clinical.md A3, A6, A7
// and formulary/switching.toml.
#include "planner/assessment/assess.hpp"
#include "tests/common/assessments.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

const std::vector<ScoreEntry> no_scores;
const std::vector<AdverseEffect> no_effects;

Plan apply(const Plan &plan, const Patient &p, DecisionKind kind, Date on,
           std::optional<Dose> next_dose = std::nullopt) {
  AssessInput in{plan, p, shipped_formulary(), shipped_pathway(), no_scores, no_effects, on, 0};
  Assessment a = assessment_of(p.id, on, plan.current_trial()->drug, kind);
  a.next_dose = next_dose;
  return apply_decision(in, a);
}

Patient gabapentin_patient() {
  Patient p = adult("G10");
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 90;
  p.medications = {"sertraline"}; // duloxetine caution, so gabapentin is the first stage
  return p;
}

} // namespace

TEST_CASE(
    "G10: escalate gabapentin 1,800 -> 2,400 mg/d, hold 14 days from the first 2,400 mg day") {
  const Patient p = gabapentin_patient();
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.at(0).assessed_dose == mg(1800));
  const Date dd = *plan.stages[0].decision_date; // 2027-01-07
  REQUIRE(dd == day("2027-01-07"));
  const Plan up = apply(plan, p, DecisionKind::escalate, dd);
  const Stage &s = up.stages.at(0);
  CHECK(s.assessed_dose == mg(2400));
  // the hold at 1,800 ends on the decision date; 2,100 for 7 days; 2,400 from 2027-01-14.
  const auto n = s.steps.size();
  REQUIRE(n >= 3);
  CHECK(s.steps[n - 3].daily == mg(1800));
  CHECK(s.steps[n - 3].range.end() == dd);
  CHECK(s.steps[n - 2].daily == mg(2100));
  CHECK(s.steps[n - 2].range == DateRange(dd, day("2027-01-14")));
  CHECK(s.steps[n - 1].daily == mg(2400));
  CHECK(s.target_reached == day("2027-01-14"));
  CHECK(s.decision_date == day("2027-01-28"));
  CHECK(up.lint.empty());

  // Next escalation: 3,600 mg/d (the label maximum), then nothing higher.
  const Plan top = apply(up, p, DecisionKind::escalate, *s.decision_date);
  CHECK(top.stages.at(0).assessed_dose == mg(3600));
  for (const auto &step : top.stages[0].steps)
    CHECK(step.daily <= mg(3600));
  CHECK(top.lint.empty());
  CHECK_THROWS_AS(apply(top, p, DecisionKind::escalate, *top.stages[0].decision_date),
                  RefusedError);
}

TEST_CASE("escalation never passes the renal band cap") {
  Patient p = gabapentin_patient();
  p.crcl_ml_min = 45; // band cap 1,400 mg/d = the assessed dose
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.at(0).assessed_dose == mg(1400));
  CHECK_THROWS_AS(apply(plan, p, DecisionKind::escalate, *plan.stages[0].decision_date),
                  RefusedError);
}

TEST_CASE("extend moves the decision date by the pathway's extension and lengthens the hold") {
  const Patient p = adult();
  const Plan plan = cipn_plan_dec1(p);
  const Plan ext = apply(plan, p, DecisionKind::extend, day("2026-12-22"));
  CHECK(ext.stages[0].decision_date == day("2026-12-29")); // + 7 days (cipn-esmo extension_days)
  CHECK(ext.stages[0].steps.back().range.end() == day("2026-12-29"));
  // 7 more 60 mg capsules to the new decision date: 21 in all.
  CHECK(ext.stages[0].dispense ==
        std::vector<UnitCount>{{mg(30), Form::capsule, 7}, {mg(60), Form::capsule, 21}});
  CHECK(ext.lint.empty());
}

TEST_CASE("continue inside the window and review leave the plan unchanged") {
  const Patient p = adult();
  const Plan plan = cipn_plan_dec1(p);
  for (auto k : {DecisionKind::continue_, DecisionKind::review}) {
    CHECK(apply(plan, p, k, day("2026-12-22")) == plan);
  }
}

TEST_CASE(
    "a stop at the decision date tapers by the label, a stop after the plan ran out does not") {
  const Patient p = adult();
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.next_assessment() == day("2026-12-22"));
  // The hold's last day is 2026-12-21: at the decision date the patient took 60 mg yesterday, so
  // a stop tapers (A7: 30 mg daily for 14 days, then stop) and starts nothing else.
  const Plan stopped = apply(plan, p, DecisionKind::stop, day("2026-12-22"));
  REQUIRE(stopped.stages.size() == 2);
  CHECK(stopped.stages[1].role == StageRole::taper);
  CHECK(stopped.stages[1].steps.at(0).daily == mg(30));
  CHECK(stopped.stages[1].steps.at(0).range == DateRange(day("2026-12-22"), day("2027-01-05")));
  CHECK(stopped.tried == std::vector<std::string>{"duloxetine"});
  CHECK_FALSE(stopped.next_assessment()); // no longer due
  // Two days after the plan ran out nothing was taken yesterday: nothing to taper, but the drug
  // is stopped all the same.
  const Plan late = apply(plan, p, DecisionKind::stop, day("2026-12-24"));
  CHECK(late.stages == plan.stages);
  CHECK(late.tried == std::vector<std::string>{"duloxetine"});
  CHECK_FALSE(late.next_assessment());
}

TEST_CASE("G8: switch from duloxetine 60 mg: 30 mg daily 14 days then stop, gabapentin on the "
          "first taper day") {
  const Date dd = day("2026-12-22");
  const Plan sw = apply(g1_plan(), adult(), DecisionKind::switch_, dd);
  REQUIRE(sw.stages.size() == 3);
  CHECK(sw.tried == std::vector<std::string>{"duloxetine"});
  // the trial ends on the decision date
  CHECK(sw.stages[0].steps.back().range.end() == dd);
  const Stage &taper = sw.stages[1];
  CHECK(taper.drug == "duloxetine");
  CHECK(taper.role == StageRole::cross_taper); // gabapentin overlaps it (switching.toml: overlap)
  REQUIRE(taper.steps.size() == 1);
  CHECK(taper.steps[0].daily == mg(30));
  CHECK(taper.steps[0].range == DateRange(dd, day("2027-01-05")));
  CHECK(taper.dispense == std::vector<UnitCount>{{mg(30), Form::capsule, 14}});
  CHECK_FALSE(taper.target_reached);
  CHECK_FALSE(taper.decision_date);
  const Stage &next = sw.stages[2];
  CHECK(next.drug == "gabapentin");
  CHECK(next.role == StageRole::trial);
  CHECK(next.steps.front().range.begin() == dd);
  CHECK(next.steps.front().daily == mg(300));
  CHECK(sw.lint.empty());
}

TEST_CASE("switch duloxetine -> amitriptyline is sequential: taper fully, start 4 days after the "
          "last dose at 10 mg") {
  Patient p = adult("SEQ");
  p.medications = {"pregabalin"}; // a second gabapentinoid is avoid: gabapentin is out
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.at(0).drug == "duloxetine");
  const Plan sw = apply(plan, p, DecisionKind::switch_, day("2026-12-22"));
  REQUIRE(sw.stages.size() == 3);
  CHECK(sw.stages[1].role == StageRole::taper);
  // last duloxetine day 2027-01-04; + 4 days = 2027-01-08 (switching.toml gap_days = 4).
  CHECK(sw.stages[1].steps.back().range.end() == day("2027-01-05"));
  const Stage &tca = sw.stages[2];
  CHECK(tca.drug == "amitriptyline");
  CHECK(tca.steps.front().range.begin() == day("2027-01-08"));
  CHECK(tca.steps.front().daily == mg(10));
  CHECK(tca.steps.front().doses.at(0).time == AdminTime::bedtime);
  CHECK(sw.lint.empty());
}

TEST_CASE("G9: an intolerable effect on day 5 switches at once: 30 mg -> 20 mg for 7 days, "
          "gabapentin overlaps") {
  const Date on = day("2026-12-05");
  const Plan sw = apply(g1_plan(), adult(), DecisionKind::switch_, on);
  REQUIRE(sw.stages.size() == 3);
  const Stage &trial = sw.stages[0];
  REQUIRE(trial.steps.size() == 1);
  CHECK(trial.steps[0].range == DateRange(day("2026-12-01"), on));
  CHECK_FALSE(trial.target_reached);
  CHECK_FALSE(trial.decision_date);
  // clinical.md A7: from 30 mg, 20 mg daily for 7 days where 20 mg is stocked (it is).
  const Stage &taper = sw.stages[1];
  REQUIRE(taper.steps.size() == 1);
  CHECK(taper.steps[0].daily == mg(20));
  CHECK(taper.steps[0].range.days() == 7);
  CHECK(sw.stages[2].drug == "gabapentin");
  CHECK(sw.stages[2].steps.front().range.begin() == on);
  CHECK(sw.lint.empty());
}

TEST_CASE("gabapentin taper drops one administration every 4 days, at least 7 days in all") {
  Patient p = gabapentin_patient();
  p.medications.clear();
  p.hepatic = Hepatic::moderate; // duloxetine avoid, amitriptyline caution
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.at(0).drug == "gabapentin");
  const Date dd = *plan.stages[0].decision_date;
  // gabapentin -> amitriptyline: switching.toml gabapentinoid -> tca is overlap.
  const Plan sw = apply(plan, p, DecisionKind::switch_, dd);
  REQUIRE(sw.stages.size() == 3);
  const Stage &taper = sw.stages[1];
  CHECK(taper.drug == "gabapentin");
  REQUIRE(taper.steps.size() == 2);
  // 600 x 3 -> (midday, evening) 600 + 600 for 4 days -> evening 600 for 4 days: 8 days >= 7.
  CHECK(taper.steps[0].daily == mg(1200));
  CHECK(taper.steps[0].doses.size() == 2);
  CHECK(taper.steps[0].range.days() == 4);
  CHECK(taper.steps[1].daily == mg(600));
  CHECK(taper.steps[1].doses.at(0).time == AdminTime::evening);
  CHECK(taper.steps[1].range.days() == 4);
  CHECK(sw.lint.empty());
}

TEST_CASE("no drug left after a switch: the taper only, with a note to refer") {
  Patient p = adult("REF");
  p.conditions = {"recent-myocardial-infarction"}; // amitriptyline avoid
  PlanRequest r = request("2026-12-01");
  r.tried = {"gabapentin"};
  const Plan plan = build_plan(p, shipped_formulary(), shipped_pathway(), r);
  REQUIRE(plan.stages.at(0).drug == "duloxetine");
  const Plan sw = apply(plan, p, DecisionKind::switch_, day("2026-12-22"));
  REQUIRE(sw.stages.size() == 2);
  CHECK(sw.stages[1].role == StageRole::taper);
  CHECK_THAT(sw.stages[1].note, Catch::Contains("refer to specialist pain services"));
  CHECK(sw.tried == std::vector<std::string>{"gabapentin", "duloxetine"});
  CHECK(sw.lint.empty());
}

TEST_CASE("gabapentin -> duloxetine cross-taper: gabapentin cut by 300 mg/d every 4 days, "
          "duloxetine 30 mg at once") {
  const Patient p = gabapentin_patient(); // sertraline: duloxetine and amitriptyline both caution
  const Plan plan = cipn_plan_dec1(p);
  const Date dd = *plan.stages[0].decision_date;
  const Plan sw = apply(plan, p, DecisionKind::switch_, dd);
  REQUIRE(sw.stages.size() == 3);
  const Stage &taper = sw.stages[1];
  CHECK(taper.role == StageRole::cross_taper);
  // 1,800 -> 1,500, 1,200, 900, 600, 300, each 4 days, then stop (switching.toml).
  REQUIRE(taper.steps.size() == 5);
  const long expected[] = {1500, 1200, 900, 600, 300};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(taper.steps[i].daily == mg(expected[i]));
    CHECK(taper.steps[i].range.days() == 4);
  }
  const Stage &dul = sw.stages[2];
  CHECK(dul.drug == "duloxetine");
  CHECK(dul.steps.front().range.begin() == dd);
  CHECK(dul.steps.front().daily == mg(30));
  // duloxetine stays at 30 mg until gabapentin is at or below 900 mg/d (half of 1,800), which is
  // the third taper step, from dd + 8 days; then 60 mg.
  CHECK(dul.steps.front().range.end() == dd + Days(8));
  REQUIRE(dul.steps.size() == 2);
  CHECK(dul.steps[1].daily == mg(60));
  CHECK(dul.target_reached == dd + Days(8));
  CHECK_FALSE(dul.warnings.empty()); // caution (serotonergic with sertraline) is carried
  CHECK(sw.lint.empty());
}
