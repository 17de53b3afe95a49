// Unit tests of the eligibility engine, one per rule of clinical.md A1-A5, against the C++
// fixture formulary (fixture.hpp). Expected values are computed by hand from clinical.md; the
// arithmetic is written out beside each figure.
#include "planner/core/errors.hpp"
#include "planner/safety/eligibility.hpp"
#include "tests/common/g1_patient.hpp"
#include "tests/safety/fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace titrate;
using titrate::test::fixture_formulary;

namespace {

const Date today = parse_date("2026-11-25");

// 55 years old on `today` (clinical.md G #1), no medicines.
Patient adult() {
  return test::g1_patient("P001", parse_date("1971-01-10"));
}

Patient with_crcl(double crcl) {
  Patient p = adult();
  p.crcl_ml_min = crcl;
  return p;
}

const Formulary &formulary();

// The report on adult() taking `medications` now.
EligibilityReport taking(std::vector<std::string> medications) {
  Patient p = adult();
  p.medications = std::move(medications);
  return check_eligibility(p, formulary(), today);
}

// 70 on `today` (the Beers criteria apply from 65), taking `medications` now.
Patient aged_70_taking(std::vector<std::string> medications) {
  Patient p = adult();
  p.birth_date = parse_date("1956-01-01");
  p.medications = std::move(medications);
  return p;
}

const DrugVerdict &drug(const EligibilityReport &r, const char *name) {
  const DrugVerdict *d = r.find(name);
  REQUIRE(d != nullptr);
  return *d;
}

bool has_rule(const DrugVerdict &d, const std::string &id) {
  return std::any_of(d.reasons.begin(), d.reasons.end(),
                     [&](const Finding &f) { return f.rule == id; });
}

const Formulary &formulary() {
  static const Formulary f = fixture_formulary();
  return f;
}

} // namespace

// ---- A2: Cockcroft-Gault -------------------------------------------------------------------

TEST_CASE("Cockcroft-Gault: 55 y female 65 kg creatinine 0.8 gives 81.53 mL/min") {
  // (140 - 55) * 65 / (72 * 0.8) * 0.85 = 5525 / 57.6 * 0.85 = 95.9201 * 0.85 = 81.5321
  CHECK(creatinine_clearance(adult(), today) == Approx(81.5321).epsilon(1e-5));
}

TEST_CASE("Cockcroft-Gault: male 70 y 80 kg creatinine 1.2 has no 0.85 factor") {
  Patient p = adult();
  p.sex = Sex::male;
  p.birth_date = parse_date("1956-06-01"); // 70 on 2026-11-25
  p.weight_kg = 80;
  p.serum_creatinine_mg_dl = 1.2;
  // (140 - 70) * 80 / (72 * 1.2) = 5600 / 86.4 = 64.8148
  CHECK(creatinine_clearance(p, today) == Approx(64.8148).epsilon(1e-5));
}

TEST_CASE("Cockcroft-Gault: age is whole years on today, the birthday counting on the day") {
  Patient p = adult();
  p.birth_date = parse_date("1971-11-26"); // 54 until tomorrow
  // (140 - 54) * 65 / 57.6 * 0.85 = 5590 / 57.6 * 0.85 = 82.4913
  CHECK(creatinine_clearance(p, today) == Approx(82.4913).epsilon(1e-5));
  p.birth_date = parse_date("1971-11-25"); // 55 today
  CHECK(creatinine_clearance(p, today) == Approx(81.5321).epsilon(1e-5));
}

TEST_CASE("a CrCl given directly wins over the creatinine") {
  Patient p = with_crcl(45);
  CHECK(creatinine_clearance(p, today) == 45);
  auto r = check_eligibility(p, formulary(), today);
  CHECK(r.crcl_ml_min == 45);
  CHECK(r.crcl_given);
  CHECK_FALSE(check_eligibility(adult(), formulary(), today).crcl_given);
}

TEST_CASE("CrCl cannot be computed from a creatinine of 0 or a missing creatinine") {
  Patient p = adult();
  p.serum_creatinine_mg_dl = 0.0;
  CHECK_THROWS_AS(creatinine_clearance(p, today), InputError);
  CHECK_THROWS_WITH(creatinine_clearance(p, today), Catch::Contains("serum_creatinine_mg_dl"));
  p.serum_creatinine_mg_dl.reset();
  CHECK_THROWS_WITH(check_eligibility(p, formulary(), today),
                    Catch::Contains("serum_creatinine_mg_dl"));
}

// ---- A2: renal bands -------------------------------------------------------------------------

TEST_CASE("renal bands put the boundary in the safer band: 30, 59.5, 60, 15 (clinical.md A2)") {
  struct Case {
    double crcl;
    long cap_mg; // GAB-US 2.3 band maximum
  };
  for (Case c : {Case{30, 700}, Case{59.5, 1400}, Case{60, 3600}, Case{15, 300}, Case{15.5, 700},
                 Case{30.5, 1400}, Case{120, 3600}, Case{0, 300}}) {
    INFO("CrCl " << c.crcl);
    auto r = check_eligibility(with_crcl(c.crcl), formulary(), today);
    const auto &g = drug(r, "gabapentin");
    REQUIRE(g.max_daily);
    CHECK(*g.max_daily == Dose::milligrams(c.cap_mg));
    CHECK(g.verdict == Severity::ok);
    REQUIRE(g.renal_band != nullptr);
    CHECK(g.renal_band->max_daily == Dose::milligrams(c.cap_mg));
  }
}

TEST_CASE("duloxetine: CrCl below 30 is avoid, 30 exactly is allowed") {
  auto low = check_eligibility(with_crcl(29.9), formulary(), today);
  const auto &d = drug(low, "duloxetine");
  CHECK(d.verdict == Severity::avoid);
  CHECK_FALSE(d.available_from);
  REQUIRE(d.reasons.size() == 1);
  CHECK(d.reasons[0].rule == "renal.duloxetine");
  CHECK(d.reasons[0].source == "renal-source");
  CHECK_THAT(d.reasons[0].text, Catch::Contains("29.9"));

  auto at30 = check_eligibility(with_crcl(30), formulary(), today);
  CHECK(drug(at30, "duloxetine").verdict == Severity::ok);
  CHECK(drug(at30, "duloxetine").reasons.empty());
}

TEST_CASE("a computed CrCl selects the band: 80 y female 50 kg creatinine 1.5") {
  Patient p = adult();
  p.birth_date = parse_date("1946-01-01"); // 80
  p.weight_kg = 50;
  p.serum_creatinine_mg_dl = 1.5;
  // (140 - 80) * 50 / (72 * 1.5) * 0.85 = 3000 / 108 * 0.85 = 23.61 -> 15-30 band
  auto r = check_eligibility(p, formulary(), today);
  CHECK(r.crcl_ml_min == Approx(23.6111).epsilon(1e-5));
  CHECK(*drug(r, "gabapentin").max_daily == Dose::milligrams(700));
  CHECK(drug(r, "duloxetine").verdict == Severity::avoid);
}

// ---- A1: verdicts ----------------------------------------------------------------------------

TEST_CASE("no rule fired: every drug ok with the label maximum as its cap") {
  auto r = check_eligibility(adult(), formulary(), today);
  CHECK(r.patient == "P001");
  REQUIRE(r.drugs.size() == 4);
  CHECK(r.drugs[0].drug == "amitriptyline"); // formulary order
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict == Severity::ok);
    CHECK(d.reasons.empty());
    CHECK_FALSE(d.available_from);
  }
  CHECK(*drug(r, "duloxetine").max_daily == Dose::milligrams(60));
  CHECK(*drug(r, "amitriptyline").max_daily == Dose::milligrams(75));
  CHECK(r.unchecked_medications.empty());
  CHECK_FALSE(r.pregnancy);
}

TEST_CASE("the verdict is the maximum severity and every finding is a reason") {
  Patient p = adult();
  p.conditions = {"recent-myocardial-infarction"};
  p.medications = {"sertraline"};
  auto r = check_eligibility(p, formulary(), today);
  const auto &a = drug(r, "amitriptyline");
  CHECK(a.verdict == Severity::avoid);
  REQUIRE(a.reasons.size() == 2);
  CHECK(has_rule(a, "condition.mi.amitriptyline"));
  CHECK(has_rule(a, "interaction.serotonergic.amitriptyline"));
  for (const auto &f : a.reasons) {
    CHECK_FALSE(f.text.empty());
    CHECK_FALSE(f.source.empty());
  }
}

TEST_CASE("an UNVERIFIED source is printed as such") {
  Patient p = adult();
  p.conditions = {"breastfeeding"};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "gabapentin").reasons.at(0).source == "A1 (UNVERIFIED)");
}

// ---- A4: hepatic, age, conditions, pregnancy -------------------------------------------------

TEST_CASE(
    "hepatic class: duloxetine avoid for any impairment, TCA caution mild/moderate, avoid severe") {
  Patient p = adult();
  p.hepatic = Hepatic::moderate;
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "duloxetine").verdict == Severity::avoid);
  CHECK(drug(r, "amitriptyline").verdict == Severity::caution);
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
  p.hepatic = Hepatic::severe;
  r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "amitriptyline").verdict == Severity::avoid);
  CHECK(has_rule(drug(r, "amitriptyline"), "hepatic.severe.amitriptyline"));
  CHECK_FALSE(has_rule(drug(r, "amitriptyline"), "hepatic.moderate.amitriptyline"));
}

TEST_CASE("age 65 or over: TCAs caution (Beers), 64 is not") {
  Patient p = adult();
  p.birth_date = parse_date("1961-11-25"); // 65 today
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "amitriptyline").verdict == Severity::caution);
  CHECK(drug(r, "nortriptyline").verdict == Severity::caution);
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
  p.birth_date = parse_date("1961-11-26"); // 64 until tomorrow
  r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "amitriptyline").verdict == Severity::ok);
}

TEST_CASE("an age rule's max_daily lowers the cap: nortriptyline 50 mg/d at 65 or over") {
  Patient p = adult();
  p.birth_date = parse_date("1951-03-01"); // 75
  auto r = check_eligibility(p, formulary(), today);
  CHECK(*drug(r, "nortriptyline").max_daily == Dose::milligrams(50)); // NOR-US elderly 30-50
  CHECK(*drug(r, "amitriptyline").max_daily == Dose::milligrams(75));
  CHECK(*check_eligibility(adult(), formulary(), today).find("nortriptyline")->max_daily ==
        Dose::milligrams(100));
}

TEST_CASE("age rule with falls-history requires both the age and the condition") {
  Patient p = adult();
  p.conditions = {"falls-history"};
  auto r = check_eligibility(p, formulary(), today); // 55: no
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
  p.birth_date = parse_date("1956-01-01"); // 70
  r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "duloxetine").verdict == Severity::caution);
  CHECK(has_rule(drug(r, "duloxetine"), "age.falls.duloxetine"));
  p.conditions.clear();
  r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
}

TEST_CASE("condition rules: recent myocardial infarction makes TCAs avoid, duloxetine ok") {
  Patient p = adult();
  p.conditions = {"recent-myocardial-infarction"};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "amitriptyline").verdict == Severity::avoid);
  CHECK(drug(r, "nortriptyline").verdict == Severity::avoid);
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
}

TEST_CASE("haemodialysis: gabapentinoid caution for dialysis dosing, duloxetine avoid (A2, A4)") {
  Patient p = with_crcl(12);
  p.conditions = {"haemodialysis"};
  auto r = check_eligibility(p, formulary(), today);
  const auto &g = drug(r, "gabapentin");
  CHECK(g.verdict == Severity::caution);
  CHECK(has_rule(g, "condition.haemodialysis.gabapentin"));
  CHECK_THAT(g.reasons.at(0).text, Catch::Contains("dialysis dosing needs specialist review"));
  CHECK(*g.max_daily == Dose::milligrams(300));
  CHECK(drug(r, "duloxetine").verdict == Severity::avoid);
}

TEST_CASE("an unknown condition is bad input naming the list") {
  Patient p = adult();
  p.conditions = {"gout"};
  CHECK_THROWS_AS(check_eligibility(p, formulary(), today), InputError);
  CHECK_THROWS_WITH(check_eligibility(p, formulary(), today),
                    Catch::Contains("gout") && Catch::Contains("falls-history"));
}

TEST_CASE("pregnancy: every drug caution with specialist review, and the report flags it") {
  Patient p = adult();
  p.conditions = {"pregnancy"};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(r.pregnancy);
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict == Severity::caution);
    REQUIRE(d.reasons.size() == 1);
    CHECK_THAT(d.reasons[0].text, Catch::Contains("specialist review"));
  }
}

TEST_CASE("breastfeeding: every drug caution but plan is not refused") {
  Patient p = adult();
  p.conditions = {"breastfeeding"};
  auto r = check_eligibility(p, formulary(), today);
  CHECK_FALSE(r.pregnancy);
  for (const auto &d : r.drugs)
    CHECK(d.verdict == Severity::caution);
}

// ---- A5: interactions ------------------------------------------------------------------------

TEST_CASE("sertraline: duloxetine and TCAs caution (serotonergic), gabapentin ok") {
  auto r = taking({"sertraline"});
  CHECK(drug(r, "duloxetine").verdict == Severity::caution);
  CHECK(has_rule(drug(r, "duloxetine"), "interaction.serotonergic.duloxetine"));
  CHECK_THAT(drug(r, "duloxetine").reasons.at(0).text, Catch::Contains("sertraline"));
  CHECK(drug(r, "amitriptyline").verdict == Severity::caution);
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
}

TEST_CASE("a medication in several classes fires each class rule: paroxetine, tramadol") {
  auto r = taking({"paroxetine", "tramadol"});
  const auto &d = drug(r, "duloxetine");
  CHECK(has_rule(d, "interaction.serotonergic.duloxetine"));
  CHECK(has_rule(d, "interaction.cyp2d6.duloxetine"));
  CHECK(d.reasons.size() == 2);
  CHECK_THAT(d.reasons.at(0).text, Catch::Contains("paroxetine") && Catch::Contains("tramadol"));
  CHECK(drug(r, "gabapentin").verdict == Severity::caution); // tramadol is an opioid
  CHECK(has_rule(drug(r, "gabapentin"), "interaction.opioid.gabapentin"));
}

TEST_CASE("an MAOI taken now is avoid with no day it lifts") {
  auto r = taking({"phenelzine"});
  CHECK(drug(r, "duloxetine").verdict == Severity::avoid);
  CHECK_FALSE(drug(r, "duloxetine").available_from);
  CHECK(drug(r, "amitriptyline").verdict == Severity::avoid);
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
}

TEST_CASE("an MAOI stopped within 14 days: avoid until stop + 14 d, lifted on that day") {
  Patient p = adult();
  // stopped 2026-11-18 (7 days ago) -> available from 2026-12-02
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-18")}};
  auto r = check_eligibility(p, formulary(), today);
  for (const char *name : {"duloxetine", "amitriptyline", "nortriptyline"}) {
    INFO(name);
    const auto &d = drug(r, name);
    CHECK(d.verdict == Severity::avoid);
    REQUIRE(d.available_from);
    CHECK(iso(*d.available_from) == "2026-12-02");
    CHECK_THAT(d.reasons.at(0).text, Catch::Contains("2026-12-02"));
  }
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);

  // stopped 13 days ago: still within the washout, lifts tomorrow
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-12")}};
  r = check_eligibility(p, formulary(), today);
  CHECK(iso(*drug(r, "duloxetine").available_from) == "2026-11-26");
  // stopped exactly 14 days ago: the washout is over, no finding at all
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-11")}};
  r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
  CHECK(drug(r, "duloxetine").reasons.empty());
}

TEST_CASE("two stopped MAOIs: the later washout decides available_from") {
  Patient p = adult();
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-18")},
                           {"tranylcypromine", parse_date("2026-11-20")}};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(iso(*drug(r, "duloxetine").available_from) == "2026-12-04"); // 11-20 + 14
}

TEST_CASE("a time-bound avoid and a permanent avoid: no available_from") {
  Patient p = adult();
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-18")}};
  p.conditions = {"recent-myocardial-infarction"};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "amitriptyline").verdict == Severity::avoid);
  CHECK_FALSE(drug(r, "amitriptyline").available_from);
  CHECK(iso(*drug(r, "duloxetine").available_from) == "2026-12-02");
}

TEST_CASE("a stopped medication without washout has no effect") {
  Patient p = adult();
  p.stopped_medications = {{"sertraline", parse_date("2026-11-24")}};
  auto r = check_eligibility(p, formulary(), today);
  CHECK(drug(r, "duloxetine").verdict == Severity::ok);
}

TEST_CASE("unknown medications are reported as not checked and change no verdict") {
  Patient p = adult();
  p.medications = {"wonderdrug", "sertraline", "wonderdrug"};
  p.stopped_medications = {{"wonderdrug", parse_date("2026-11-01")},
                           {"oldpill", parse_date("2026-10-01")}};
  auto r = check_eligibility(p, formulary(), today);
  REQUIRE(r.unchecked_medications.size() == 2);
  CHECK(r.unchecked_medications[0] == "not checked: unknown medication wonderdrug");
  CHECK(r.unchecked_medications[1] == "not checked: unknown medication oldpill");
  CHECK(drug(r, "gabapentin").verdict == Severity::ok);
}

TEST_CASE("a formulary drug taken as a medication is known, never unchecked") {
  auto r = taking({"gabapentin"});
  CHECK(r.unchecked_medications.empty());
}

TEST_CASE("already taking the drug itself: caution, and not also its own class rule") {
  auto r = taking({"gabapentin"});
  const auto &g = drug(r, "gabapentin");
  CHECK(g.verdict == Severity::caution);
  REQUIRE(g.reasons.size() == 1);
  CHECK(g.reasons[0].rule == "already-taking.gabapentin");

  r = taking({"duloxetine"});
  const auto &d = drug(r, "duloxetine");
  // duloxetine is serotonergic and a CYP2D6 inhibitor, but it does not interact with itself
  REQUIRE(d.reasons.size() == 1);
  CHECK(d.reasons[0].rule == "already-taking.duloxetine");
  // ...while the TCAs see it as serotonergic and CYP2D6-inhibiting
  CHECK(has_rule(drug(r, "amitriptyline"), "interaction.cyp2d6.amitriptyline"));
  CHECK(has_rule(drug(r, "amitriptyline"), "interaction.serotonergic.amitriptyline"));
}

TEST_CASE("a second gabapentinoid or TCA is avoid, another SNRI is caution") {
  auto r = taking({"pregabalin"});
  CHECK(drug(r, "gabapentin").verdict == Severity::avoid);
  CHECK(has_rule(drug(r, "gabapentin"), "same-class.gabapentin"));

  r = taking({"amitriptyline"});
  CHECK(drug(r, "nortriptyline").verdict == Severity::avoid);
  CHECK(drug(r, "amitriptyline").verdict == Severity::caution);

  r = taking({"venlafaxine"});
  CHECK(drug(r, "duloxetine").verdict == Severity::caution);
  CHECK(has_rule(drug(r, "duloxetine"), "same-class.duloxetine"));
}

TEST_CASE("Beers: age 65 or over and two CNS-active drugs already -> caution for every candidate") {
  Patient p = aged_70_taking({"morphine", "diazepam"});
  auto r = check_eligibility(p, formulary(), today);
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(has_rule(d, "interaction.cns-active"));
    CHECK(d.verdict >= Severity::caution);
  }
  CHECK(drug(r, "duloxetine").verdict == Severity::caution);

  // one CNS-active drug: no Beers count finding
  p.medications = {"morphine"};
  r = check_eligibility(p, formulary(), today);
  CHECK_FALSE(has_rule(drug(r, "duloxetine"), "interaction.cns-active"));

  // under 65: no Beers count finding
  p = adult();
  p.medications = {"morphine", "diazepam"};
  r = check_eligibility(p, formulary(), today);
  CHECK_FALSE(has_rule(drug(r, "duloxetine"), "interaction.cns-active"));
}

TEST_CASE("Beers count: the candidate itself does not count toward the two") {
  const auto r = check_eligibility(aged_70_taking({"gabapentin", "morphine"}), formulary(), today);
  CHECK_FALSE(has_rule(drug(r, "gabapentin"), "interaction.cns-active"));
  CHECK(has_rule(drug(r, "duloxetine"), "interaction.cns-active"));
}
