// build_plan over the shipped formulary/ and schedules/cipn-esmo.toml: clinical.md G #1-#6 and
// the rules of A1, A3. Expected dates and doses worked out by hand from clinical.md A3 and the
// marketed strengths (B1, B2), not copied from the program's output.
#include "planner/scheduling/scheduler.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

std::vector<Dose> doses_of(const Step &s) {
  std::vector<Dose> out;
  for (const auto &a : s.doses)
    out.push_back(a.dose);
  return out;
}

bool has_rule(const std::vector<Finding> &fs, const std::string &rule_prefix) {
  for (const auto &f : fs)
    if (f.rule.rfind(rule_prefix, 0) == 0)
      return true;
  return false;
}

} // namespace

TEST_CASE(
    "G1: duloxetine 30 mg daily for 7 days, then 60 mg, decision date = first 60 mg day + 14") {
  const Plan plan = cipn_plan_dec1(adult());
  REQUIRE(plan.stages.size() == 1);
  const Stage &s = plan.stages[0];
  CHECK(s.drug == "duloxetine");
  CHECK(s.role == StageRole::trial);
  REQUIRE(s.steps.size() == 2);
  CHECK(s.steps[0].range == DateRange(day("2026-12-01"), day("2026-12-08")));
  CHECK(s.steps[0].daily == mg(30));
  REQUIRE(s.steps[0].doses.size() == 1);
  CHECK(s.steps[0].doses[0].time == AdminTime::morning);
  CHECK(s.steps[0].doses[0].units == std::vector<UnitCount>{{mg(30), Form::capsule, 1}});
  CHECK(s.steps[1].range == DateRange(day("2026-12-08"), day("2026-12-22")));
  CHECK(s.steps[1].daily == mg(60));
  CHECK(s.steps[1].doses[0].units == std::vector<UnitCount>{{mg(60), Form::capsule, 1}});
  CHECK(s.assessed_dose == mg(60));
  CHECK(s.target_reached == day("2026-12-08"));
  CHECK(s.decision_date == day("2026-12-22"));
  // 7 x 30 mg and 14 x 60 mg capsules to the decision date.
  CHECK(s.dispense ==
        std::vector<UnitCount>{{mg(30), Form::capsule, 7}, {mg(60), Form::capsule, 14}});
  CHECK(s.warnings.empty());
  CHECK(plan.lint.empty());
  CHECK(plan.patient == "P001");
  CHECK(plan.pathway == "cipn-esmo");
}

TEST_CASE("G2: CrCl 25 -> gabapentin once daily from 200 mg/d, never above 700 mg/d") {
  Patient p = adult("P002");
  p.birth_date = day("1958-03-01"); // 68
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 25;
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.size() == 1);
  const Stage &s = plan.stages[0];
  CHECK(s.drug == "gabapentin");
  // Band 15 < CrCl <= 30: 200-700 mg/d once daily; start 200, +300 every 7 d, target min(1,800,
  // 700).
  REQUIRE(s.steps.size() == 3);
  CHECK(s.steps[0].daily == mg(200));
  CHECK(s.steps[0].range == DateRange(day("2026-12-01"), day("2026-12-08")));
  CHECK(s.steps[0].doses[0].units == std::vector<UnitCount>{{mg(100), Form::capsule, 2}});
  CHECK(s.steps[1].daily == mg(500));
  CHECK(s.steps[2].daily == mg(700));
  for (const auto &step : s.steps) {
    CHECK(step.doses.size() == 1); // once daily
    CHECK(step.daily <= mg(700));
  }
  CHECK(s.target_reached == day("2026-12-15"));
  CHECK(s.decision_date == day("2026-12-29"));
  CHECK(plan.lint.empty());
}

TEST_CASE(
    "G3: on sertraline the first stage is gabapentin, --prefer duloxetine carries the warning") {
  Patient p = adult("P003");
  p.medications = {"sertraline"};
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.stages.size() == 1);
  const Stage &g = plan.stages[0];
  CHECK(g.drug == "gabapentin");
  // GAB-US 2.1 opening: 300 mg day 1, 300 mg twice daily day 2, 300 mg three times daily from
  // day 3 for 7 days; then +300 mg/d every 7 days to 1,800 mg/d (600 mg three times daily).
  REQUIRE(g.steps.size() == 6);
  CHECK(g.steps[0].daily == mg(300));
  CHECK(g.steps[0].range.days() == 1);
  CHECK(g.steps[1].daily == mg(600));
  CHECK(doses_of(g.steps[1]) == std::vector<Dose>{mg(300), mg(300)});
  CHECK(g.steps[2].daily == mg(900));
  CHECK(doses_of(g.steps[2]) == std::vector<Dose>{mg(300), mg(300), mg(300)});
  CHECK(g.steps[2].range == DateRange(day("2026-12-03"), day("2026-12-10")));
  CHECK(g.steps[3].daily == mg(1200));
  CHECK(g.steps[4].daily == mg(1500));
  CHECK(g.steps[5].daily == mg(1800));
  CHECK(doses_of(g.steps[5]) == std::vector<Dose>{mg(600), mg(600), mg(600)});
  CHECK(g.target_reached == day("2026-12-24"));
  CHECK(g.decision_date == day("2027-01-07"));
  CHECK(plan.lint.empty());

  const Plan preferred =
      build_plan(p, shipped_formulary(), shipped_pathway(), request("2026-12-01", "duloxetine"));
  REQUIRE(preferred.stages.size() == 1);
  CHECK(preferred.stages[0].drug == "duloxetine");
  CHECK_FALSE(preferred.stages[0].warnings.empty());
  for (const auto &w : preferred.stages[0].warnings)
    CHECK(w.severity == Severity::caution);
  CHECK(preferred.lint.empty());
}

TEST_CASE(
    "G4: phenelzine stopped 7 days before the start -> duloxetine and TCAs avoid, gabapentin") {
  Patient p = adult("P004");
  p.stopped_medications = {{"phenelzine", day("2026-11-24")}};
  const Plan plan = cipn_plan_dec1(p);
  CHECK(plan.stages.at(0).drug == "gabapentin");
  CHECK_THROWS_AS(
      build_plan(p, shipped_formulary(), shipped_pathway(), request("2026-12-01", "duloxetine")),
      RefusedError);
}

TEST_CASE("G5: recent myocardial infarction -> after duloxetine comes gabapentin") {
  Patient p = adult("P005");
  p.conditions = {"recent-myocardial-infarction"};
  PlanRequest r = request("2026-12-01");
  CHECK(build_plan(p, shipped_formulary(), shipped_pathway(), r).stages.at(0).drug == "duloxetine");
  r.tried = {"duloxetine"};
  CHECK(build_plan(p, shipped_formulary(), shipped_pathway(), r).stages.at(0).drug == "gabapentin");
  // gabapentin tried too: amitriptyline is avoid, so nothing is left -> refer.
  r.tried = {"duloxetine", "gabapentin"};
  CHECK_THROWS_WITH(build_plan(p, shipped_formulary(), shipped_pathway(), r),
                    Catch::Contains("refer to specialist pain services"));
}

TEST_CASE("G6: hepatic moderate -> duloxetine avoid, first stage gabapentin") {
  Patient p = adult("P006");
  p.hepatic = Hepatic::moderate;
  CHECK(cipn_plan_dec1(p).stages.at(0).drug == "gabapentin");
}

TEST_CASE("CrCl in the 30-60 band: gabapentin twice daily from 400 mg/d to the band cap 1,400") {
  Patient p = adult("P007");
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 45;
  p.medications = {"sertraline"}; // duloxetine caution -> gabapentin first
  const Plan plan = cipn_plan_dec1(p);
  const Stage &s = plan.stages.at(0);
  REQUIRE(s.drug == "gabapentin");
  // 400, 700, 1,000, 1,300, then the cap 1,400 (GAB-US 2.3: 400-1,400 mg/d, two doses).
  REQUIRE(s.steps.size() == 5);
  CHECK(doses_of(s.steps[0]) == std::vector<Dose>{mg(200), mg(200)});
  CHECK(doses_of(s.steps[1]) == std::vector<Dose>{mg(300), mg(400)});
  CHECK(doses_of(s.steps[2]) == std::vector<Dose>{mg(500), mg(500)});
  CHECK(doses_of(s.steps[3]) == std::vector<Dose>{mg(600), mg(700)});
  CHECK(doses_of(s.steps[4]) == std::vector<Dose>{mg(700), mg(700)});
  CHECK(s.assessed_dose == mg(1400));
  CHECK(plan.lint.empty());
}

TEST_CASE("CrCl boundaries sit in the safer band: 30 -> once daily, 60 -> full titration") {
  Patient p = adult("P008");
  p.serum_creatinine_mg_dl.reset();
  p.medications = {"sertraline"};
  p.crcl_ml_min = 30;
  auto at30 = cipn_plan_dec1(p);
  CHECK(at30.stages.at(0).steps.at(0).daily == mg(200));
  CHECK(at30.stages.at(0).assessed_dose == mg(700));
  p.crcl_ml_min = 60;
  auto at60 = cipn_plan_dec1(p);
  CHECK(at60.stages.at(0).steps.at(0).daily == mg(300));
  CHECK(at60.stages.at(0).assessed_dose == mg(1800));
}

TEST_CASE("plan refuses pregnancy, an avoid --prefer, and a drug not in the pathway") {
  Patient p = adult("P009");
  p.conditions = {"pregnancy"};
  // clinical.md H18: never generated without the clinician naming the drug ...
  CHECK_THROWS_WITH(cipn_plan_dec1(p),
                    Catch::Contains("name the drug (--prefer; clinical.md A1, H18)"));
  // ... with --prefer duloxetine (caution: UKTIS 2022), the plan carries the pregnancy caution;
  const Plan named =
      build_plan(p, shipped_formulary(), shipped_pathway(), request("2026-12-01", "duloxetine"));
  REQUIRE(named.stages.size() == 1);
  CHECK(std::any_of(named.stages[0].warnings.begin(), named.stages[0].warnings.end(),
                    [](const Finding &w) { return w.rule == "condition.pregnancy"; }));
  // ... and pregabalin (avoid unless clearly necessary, MHRA 2022) is never planned.
  CHECK_THROWS_WITH(build_plan(p, shipped_formulary(), shipped_pathway("nice-cg173"),
                               request("2026-12-01", "pregabalin")),
                    Catch::Contains("avoid"));
  Patient q = adult("P010");
  // amitriptyline is in the pathway but not first line of cipn-esmo: the clinician may still
  // choose it; the reason travels in the stage's note.
  PlanRequest ami = request("2026-12-01", "amitriptyline");
  ami.prefer_reason = "poor sleep";
  const Plan chosen = build_plan(q, shipped_formulary(), shipped_pathway(), ami);
  CHECK(chosen.stages.at(0).drug == "amitriptyline");
  CHECK(chosen.stages.at(0).note ==
        "chosen by the prescriber (--prefer amitriptyline): poor sleep");
  CHECK_THROWS_AS(
      build_plan(q, shipped_formulary(), shipped_pathway(), request("2026-12-01", "pregabalin")),
      InputError);
  q.serum_creatinine_mg_dl.reset();
  q.crcl_ml_min = 20; // duloxetine avoid below 30
  CHECK_THROWS_WITH(
      build_plan(q, shipped_formulary(), shipped_pathway(), request("2026-12-01", "duloxetine")),
      Catch::Contains("avoid"));
}

TEST_CASE("a caution drug is planned only when no ok drug is left, with its warnings") {
  Patient p = adult("P011");
  p.birth_date = day("1950-01-01"); // 76: amitriptyline caution (Beers)
  p.medications = {"sertraline"};   // duloxetine caution
  PlanRequest r = request("2026-12-01");
  r.tried = {"gabapentin"};
  const Plan plan = build_plan(p, shipped_formulary(), shipped_pathway(), r);
  // duloxetine and amitriptyline are both caution: the first in pathway order is planned.
  CHECK(plan.stages.at(0).drug == "duloxetine");
  CHECK(has_rule(plan.stages.at(0).warnings, ""));
  CHECK_FALSE(plan.stages.at(0).warnings.empty());
}

TEST_CASE(
    "all caution on sertraline + tramadol: the lightest load, never a third serotonergic drug") {
  Patient p = adult("P013");
  p.medications = {"sertraline", "tramadol"};
  const Plan plan = cipn_plan_dec1(p);
  const Stage &s = plan.stages.at(0);
  CHECK(s.drug == "gabapentin");
  CHECK(has_rule(s.warnings, "choice.all-caution"));
  CHECK_FALSE(has_rule(plan.lint, "lint.third-serotonergic"));
  // The choice function itself: nullopt while an ok drug is left.
  const auto report = check_eligibility(adult("P014"), shipped_formulary(), day("2026-11-25"));
  CHECK_FALSE(choose_caution_drug(report, shipped_formulary(), shipped_pathway(), {}));

  // Preferred by the clinician: duloxetine is planned with its warnings, and lint flags it.
  const Plan dul =
      build_plan(p, shipped_formulary(), shipped_pathway(), request("2026-12-01", "duloxetine"));
  CHECK(dul.stages.at(0).drug == "duloxetine");
  CHECK_FALSE(dul.stages.at(0).warnings.empty());
  CHECK_FALSE(has_rule(dul.stages.at(0).warnings, "choice.all-caution"));
  CHECK(has_rule(dul.lint, "lint.third-serotonergic"));
}

TEST_CASE("leap days, month ends and year ends give contiguous steps and correct decision dates") {
  for (const char *start : {"2028-02-29", "2027-02-28", "2026-12-31", "2026-01-31"}) {
    const Plan plan = build_plan(adult(), shipped_formulary(), shipped_pathway(), request(start));
    const Stage &s = plan.stages.at(0);
    CHECK(s.steps[0].range.begin() == day(start));
    CHECK(s.steps[1].range.begin() == day(start) + Days(7));
    CHECK(s.decision_date == day(start) + Days(21));
    CHECK(plan.lint.empty());
  }
  // 2028-02-29 + 7 = 2028-03-07; + 21 = 2028-03-21 (by hand).
  const Plan leap =
      build_plan(adult(), shipped_formulary(), shipped_pathway(), request("2028-02-29"));
  CHECK(leap.stages[0].target_reached == day("2028-03-07"));
  CHECK(leap.stages[0].decision_date == day("2028-03-21"));
}

TEST_CASE("unknown medications are carried into the plan as unchecked") {
  Patient p = adult("P012");
  p.medications = {"zzz-unknown-drug"};
  const Plan plan = cipn_plan_dec1(p);
  REQUIRE(plan.unchecked_medications.size() == 1);
  CHECK_THAT(plan.unchecked_medications[0], Catch::Contains("zzz-unknown-drug"));
}

// plan.indication (docs/clinical-basis.md): a recorded indication the pathway is not written for
// is a caution on the first stage naming both; a matching or unrecorded one adds nothing. The
// pathways' lists are from clinical.md D3 (cipn-esmo: painful CIPN; nice-cg173: neuropathic pain
// in adults, not trigeminal neuralgia).
TEST_CASE("a recorded indication the pathway is not written for is a caution on the plan") {
  const auto indication_warnings = [](const char *indication, const char *pathway) {
    Patient p = adult();
    p.indication = indication;
    const Plan plan =
        build_plan(p, shipped_formulary(), shipped_pathway(pathway), request("2026-12-01"));
    std::vector<Finding> out;
    for (const auto &w : plan.stages.at(0).warnings)
      if (w.rule == "plan.indication")
        out.push_back(w);
    CHECK(plan.lint.empty()); // a caution, never a lint finding that would block the plan
    return out;
  };
  CHECK(indication_warnings("", "cipn-esmo").empty());
  CHECK(indication_warnings("chemotherapy-induced-neuropathy", "cipn-esmo").empty());
  CHECK(indication_warnings("chemotherapy-induced-neuropathy", "nice-cg173").empty());
  CHECK(indication_warnings("postherpetic-neuralgia", "nice-cg173").empty());

  const auto tn = indication_warnings("trigeminal-neuralgia", "nice-cg173");
  REQUIRE(tn.size() == 1);
  CHECK(tn[0].severity == Severity::caution);
  CHECK_THAT(
      tn[0].text,
      Catch::Contains("recorded indication is trigeminal neuralgia (trigeminal-neuralgia)") &&
          Catch::Contains("pathway nice-cg173 is written for painful chemotherapy-induced "
                          "peripheral neuropathy, painful diabetic peripheral neuropathy, "
                          "post-herpetic neuralgia or other neuropathic pain in adults"));
  CHECK_THAT(tn[0].source, Catch::Contains("clinical.md D3"));

  const auto dpn = indication_warnings("painful-diabetic-neuropathy", "cipn-esmo");
  REQUIRE(dpn.size() == 1);
  CHECK_THAT(dpn[0].text, Catch::Contains("pathway cipn-esmo is written for painful "
                                          "chemotherapy-induced peripheral neuropathy: check"));
}
