// lint must catch each broken invariant: plans built correctly, then damaged by hand.
#include "planner/scheduling/scheduler.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

std::vector<Finding> lint_of(const Plan &p) {
  return lint(p, adult(), shipped_formulary(), shipped_pathway(), day("2026-12-01"));
}

bool has(const std::vector<Finding> &fs, const std::string &rule) {
  for (const auto &f : fs)
    if (f.rule == rule)
      return true;
  return false;
}

} // namespace

TEST_CASE("lint finds nothing in a plan built by the scheduler") {
  CHECK(lint_of(g1_plan()).empty());
}

TEST_CASE("lint: a daily dose above the label maximum (duloxetine 60 mg/d)") {
  Plan p = g1_plan();
  Step &s = p.stages[0].steps[1];
  s.daily = mg(90);
  s.doses[0].dose = mg(90);
  s.doses[0].units = {{mg(60), Form::capsule, 1}, {mg(30), Form::capsule, 1}};
  p.stages[0].assessed_dose = mg(90);
  const auto f = lint_of(p);
  CHECK(has(f, "lint.cap"));
  for (const auto &x : f)
    CHECK(x.severity == Severity::avoid);
}

TEST_CASE("lint: a daily dose above the renal band cap") {
  Patient pt = adult("R");
  pt.serum_creatinine_mg_dl.reset();
  pt.crcl_ml_min = 25;
  PlanRequest r;
  r.start = day("2026-12-01");
  r.today = r.start;
  Plan p = build_plan(pt, shipped_formulary(), shipped_pathway(), r);
  REQUIRE(p.stages[0].drug == "gabapentin");
  Step &s = p.stages[0].steps.back();
  s.daily = mg(900); // band 15-30 caps at 700 mg/d
  s.doses[0].dose = mg(900);
  s.doses[0].units = {{mg(600), Form::tablet, 1}, {mg(300), Form::capsule, 1}};
  CHECK(has(lint(p, pt, shipped_formulary(), shipped_pathway(), r.today), "lint.cap"));
}

TEST_CASE(
    "lint: units that do not add up, a strength not marketed, doses not adding to the daily") {
  Plan p = g1_plan();
  p.stages[0].steps[0].doses[0].units = {{mg(20), Form::capsule, 1}};
  CHECK(has(lint_of(p), "lint.units"));
  Plan q = g1_plan();
  q.stages[0].steps[0].doses[0].units = {{mg(15), Form::capsule, 2}};
  CHECK(has(lint_of(q), "lint.strength"));
  Plan r = g1_plan();
  r.stages[0].steps[0].daily = mg(40);
  CHECK(has(lint_of(r), "lint.daily-sum"));
}

TEST_CASE("lint: fewer than the minimum days at target before the decision date") {
  Plan p = g1_plan();
  p.stages[0].decision_date = day("2026-12-20"); // 12 days at 60 mg
  CHECK(has(lint_of(p), "lint.days-at-target"));
  Plan q = g1_plan();
  q.stages[0].target_reached = day("2026-12-01"); // first day is 30 mg, not the assessed 60
  CHECK(has(lint_of(q), "lint.days-at-target"));
}

TEST_CASE("lint: gaps and overlaps between steps of a stage") {
  Plan p = g1_plan();
  Step &s = p.stages[0].steps[1];
  s.range = DateRange(day("2026-12-09"), s.range.end());
  CHECK(has(lint_of(p), "lint.contiguous"));
  Plan q = g1_plan();
  q.stages[0].steps[1].range = DateRange(day("2026-12-07"), q.stages[0].steps[1].range.end());
  CHECK(has(lint_of(q), "lint.contiguous"));
}

TEST_CASE("lint: a titration step shorter than the minimum interval") {
  Plan p = g1_plan();
  // duloxetine 30 mg for 5 days, then 60 mg: below the 7-day minimum interval.
  p.stages[0].steps[0].range = DateRange(day("2026-12-01"), day("2026-12-06"));
  p.stages[0].steps[1].range = DateRange(day("2026-12-06"), day("2026-12-22"));
  p.stages[0].target_reached = day("2026-12-06");
  CHECK(has(lint_of(p), "lint.min-interval"));
}

TEST_CASE("lint: two serotonergic drugs overlapping outside a switch rule") {
  Plan p = g1_plan();
  // amitriptyline started while duloxetine is still taken: switching.toml says sequential.
  Stage tca;
  tca.drug = "amitriptyline";
  tca.role = StageRole::trial;
  tca.assessed_dose = mg(10);
  tca.steps.push_back({DateRange(day("2026-12-15"), day("2026-12-29")),
                       mg(10),
                       {{AdminTime::bedtime, mg(10), {{mg(10), Form::tablet, 1}}}}});
  p.stages.push_back(tca);
  const auto f = lint_of(p);
  CHECK(has(f, "lint.serotonergic-overlap"));
  CHECK(has(f, "lint.switch-gap"));
}

TEST_CASE("lint: a trial of a drug that is avoid for the patient") {
  Patient pt = adult("AV");
  pt.hepatic = Hepatic::severe; // duloxetine avoid (clinical.md A4)
  CHECK(has(lint(g1_plan(), pt, shipped_formulary(), shipped_pathway(), day("2026-12-01")),
            "lint.avoid"));
}
