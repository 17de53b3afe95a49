// Scenario tests over the shipped formulary/ files (clinical.md G #1-#6, A2-A5 and more of our
// own). The test reads the files (the library never does) and hands them to load_formulary.
// Expected verdicts and figures are taken from clinical.md by hand, not from the engine.
#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/safety/eligibility.hpp"
#include "tests/common/g1_patient.hpp"
#include "tests/common/shipped_formulary.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace titrate;

namespace {

const Date today = parse_date("2026-11-25");

const Formulary &shipped() {
  return titrate::test::shipped_formulary();
}

Patient base() {
  return test::g1_patient("S001", parse_date("1971-01-10")); // 55
}

EligibilityReport check(const Patient &p) {
  return check_eligibility(p, shipped(), today);
}

Severity verdict(const EligibilityReport &r, const char *drug) {
  const DrugVerdict *d = r.find(drug);
  REQUIRE(d != nullptr);
  return d->verdict;
}

const DrugVerdict &get(const EligibilityReport &r, const char *drug) {
  const DrugVerdict *d = r.find(drug);
  REQUIRE(d != nullptr);
  return *d;
}

// The verdict of each of the five shipped drugs, checked one CHECK a drug.
struct Verdicts {
  Severity duloxetine, gabapentin, pregabalin, amitriptyline, nortriptyline;
};

void check_verdicts(const EligibilityReport &r, const Verdicts &v) {
  CHECK(verdict(r, "duloxetine") == v.duloxetine);
  CHECK(verdict(r, "gabapentin") == v.gabapentin);
  CHECK(verdict(r, "pregabalin") == v.pregabalin);
  CHECK(verdict(r, "amitriptyline") == v.amitriptyline);
  CHECK(verdict(r, "nortriptyline") == v.nortriptyline);
}

// The verdict of each drug named, one CHECK a drug, for a test that names only some of them.
void check_named_verdicts(const EligibilityReport &r,
                          std::initializer_list<std::pair<const char *, Severity>> expected) {
  for (const auto &[drug, v] : expected) {
    INFO(drug);
    CHECK(verdict(r, drug) == v);
  }
}

constexpr Severity ok = Severity::ok;
constexpr Severity caution = Severity::caution;
constexpr Severity avoid = Severity::avoid;

} // namespace

TEST_CASE("G1: 55 y female 65 kg creatinine 0.8, no medicines: duloxetine ok, CrCl 81.5") {
  auto r = check(base());
  // (140 - 55) * 65 / (72 * 0.8) * 0.85 = 81.53
  CHECK(r.crcl_ml_min == Approx(81.5321).epsilon(1e-5));
  CHECK(verdict(r, "duloxetine") == ok);
  CHECK(*get(r, "duloxetine").max_daily == Dose::milligrams(60)); // DUL-US DPNP max
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict == ok);
  }
  CHECK(r.unchecked_medications.empty());
}

TEST_CASE("G2: 68 y, CrCl 25: duloxetine avoid, gabapentin once daily 200-700 mg/d band") {
  Patient p = base();
  p.birth_date = parse_date("1958-03-01"); // 68
  p.crcl_ml_min = 25;
  auto r = check(p);
  CHECK(verdict(r, "duloxetine") == avoid);
  CHECK_FALSE(get(r, "duloxetine").available_from);
  const auto &g = get(r, "gabapentin");
  CHECK(g.verdict == ok);
  REQUIRE(g.renal_band != nullptr);
  CHECK(g.renal_band->min_daily == Dose::milligrams(200)); // GAB-US 2.3: 200-700 once daily
  CHECK(*g.max_daily == Dose::milligrams(700));
  CHECK(g.renal_band->times.size() == 1);
  // 68 alone: TCAs caution (Beers), gabapentinoids ok (clinical.md A4)
  CHECK(verdict(r, "amitriptyline") == caution);
  CHECK(verdict(r, "nortriptyline") == caution);
  CHECK(*get(r, "nortriptyline").max_daily == Dose::milligrams(50)); // NOR-US elderly
  CHECK(verdict(r, "pregabalin") == ok);
  CHECK(*get(r, "pregabalin").max_daily == Dose::milligrams(150)); // PGB-US 15-30 band
}

TEST_CASE("G3: on sertraline: duloxetine and amitriptyline caution, gabapentin ok") {
  Patient p = base();
  p.medications = {"sertraline"};
  auto r = check(p);
  check_verdicts(r, {.duloxetine = caution,
                     .gabapentin = ok,
                     .pregabalin = ok,
                     .amitriptyline = caution,
                     .nortriptyline = caution});
  CHECK_THAT(get(r, "duloxetine").reasons.at(0).text, Catch::Contains("sertraline"));
}

TEST_CASE("G4: phenelzine stopped 7 days ago: duloxetine and TCAs avoid until stop + 14 d") {
  Patient p = base();
  p.stopped_medications = {{"phenelzine", parse_date("2026-11-18")}};
  auto r = check(p);
  for (const char *d : {"duloxetine", "amitriptyline", "nortriptyline"}) {
    INFO(d);
    CHECK(verdict(r, d) == avoid);
    REQUIRE(get(r, d).available_from);
    CHECK(iso(*get(r, d).available_from) == "2026-12-02"); // 2026-11-18 + 14 d
  }
  CHECK(verdict(r, "gabapentin") == ok);
  CHECK(verdict(r, "pregabalin") == ok);

  // On the day it lifts, no finding is left.
  auto later = check_eligibility(p, shipped(), parse_date("2026-12-02"));
  CHECK(verdict(later, "duloxetine") == ok);
  CHECK(get(later, "duloxetine").reasons.empty());
}

TEST_CASE("G5: myocardial infarction 4 weeks ago: amitriptyline and nortriptyline avoid") {
  Patient p = base();
  p.conditions = {"recent-myocardial-infarction"};
  auto r = check(p);
  check_named_verdicts(
      r,
      {{"amitriptyline", avoid}, {"nortriptyline", avoid}, {"duloxetine", ok}, {"gabapentin", ok}});
}

TEST_CASE(
    "G6: cirrhosis, hepatic moderate: duloxetine avoid, amitriptyline caution, gabapentin ok") {
  Patient p = base();
  p.hepatic = Hepatic::moderate;
  auto r = check(p);
  check_verdicts(r, {.duloxetine = avoid,
                     .gabapentin = ok,
                     .pregabalin = ok,
                     .amitriptyline = caution,
                     .nortriptyline = caution});
}

TEST_CASE("shipped renal bands: boundaries 30, 59.5, 60 and 15 (clinical.md A2)") {
  struct Case {
    double crcl;
    long gabapentin_cap; // GAB-US 2.3
    long pregabalin_cap; // PGB-US 2.7
    Severity duloxetine;
  };
  for (Case c : {Case{30, 700, 150, ok}, Case{59.5, 1400, 300, ok}, Case{60, 3600, 600, ok},
                 Case{15, 300, 75, avoid}, Case{29.99, 700, 150, avoid}, Case{90, 3600, 600, ok}}) {
    INFO("CrCl " << c.crcl);
    Patient p = base();
    p.crcl_ml_min = c.crcl;
    auto r = check(p);
    CHECK(*get(r, "gabapentin").max_daily == Dose::milligrams(c.gabapentin_cap));
    CHECK(*get(r, "pregabalin").max_daily == Dose::milligrams(c.pregabalin_cap));
    CHECK(verdict(r, "duloxetine") == c.duloxetine);
  }
}

// clinical.md H18, H19: pregnancy and breastfeeding are caution with their sources (UKTIS,
// MHRA, LactMed, SPS) and a specialist decision, except pregabalin in pregnancy: avoid unless
// clearly necessary (MHRA April 2022), encoded as avoid.
TEST_CASE("shipped: pregnancy is caution with its source (pregabalin avoid) and flags the report") {
  Patient p = base();
  p.conditions = {"pregnancy"};
  auto r = check(p);
  CHECK(r.pregnancy);
  REQUIRE(r.drugs.size() == shipped().drugs.size());
  const std::pair<const char *, const char *> sources[] = {{"duloxetine", "UKTIS 2022"},
                                                           {"gabapentin", "UKTIS 2019"},
                                                           {"pregabalin", "MHRA"},
                                                           {"amitriptyline", "UKTIS"},
                                                           {"nortriptyline", "UKTIS"}};
  for (const auto &[drug, source] : sources) {
    INFO(drug);
    const DrugVerdict &d = get(r, drug);
    CHECK(d.verdict == (std::string(drug) == "pregabalin" ? avoid : caution));
    const auto it = std::find_if(d.reasons.begin(), d.reasons.end(),
                                 [](const Finding &f) { return f.rule == "condition.pregnancy"; });
    REQUIRE(it != d.reasons.end());
    CHECK(it->source.find(source) != std::string::npos);
    CHECK(it->source.find("UNVERIFIED") == std::string::npos); // H18 is high confidence
  }
  CHECK(get(r, "pregabalin").reasons.front().text.find("avoid unless clearly necessary") !=
        std::string::npos);
  CHECK_FALSE(get(r, "pregabalin").available_from); // not time-bound
  p.conditions = {"breastfeeding"};
  r = check(p);
  CHECK_FALSE(r.pregnancy);
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict == caution);
    CHECK(d.reasons.front().source.find("clinical.md H19") != std::string::npos);
  }
  // H19: gabapentin is the preferred gabapentinoid, nortriptyline the preferred TCA.
  CHECK(get(r, "gabapentin").reasons.front().text.find("preferred gabapentinoid") !=
        std::string::npos);
  CHECK(get(r, "amitriptyline").reasons.front().text.find("nortriptyline is the preferred TCA") !=
        std::string::npos);
}

// clinical.md H17 (project rule): the CYP1A2 interaction of ciprofloxacin ends 2 days after the
// last dose: stopped 2026-11-24 -> duloxetine avoid on 11-25, available from 11-26.
TEST_CASE(
    "shipped: ciprofloxacin stopped yesterday: duloxetine avoid until 2 days after the stop") {
  Patient p = base();
  p.stopped_medications = {{"ciprofloxacin", parse_date("2026-11-24")}};
  auto r = check(p);
  CHECK(verdict(r, "duloxetine") == avoid);
  CHECK(get(r, "duloxetine").available_from == parse_date("2026-11-26"));
  CHECK(get(r, "duloxetine").reasons.front().source.find("UNVERIFIED") != std::string::npos);
  p.stopped_medications = {{"ciprofloxacin", parse_date("2026-11-23")}}; // lifted on 11-25
  r = check(p);
  CHECK(verdict(r, "duloxetine") == ok);
  // Taken now: avoid with no day it lifts (the course's end is not known).
  p.stopped_medications.clear();
  p.medications = {"ciprofloxacin"};
  r = check(p);
  CHECK(verdict(r, "duloxetine") == avoid);
  CHECK_FALSE(get(r, "duloxetine").available_from);
  // The TCAs keep their class caution only; the gabapentinoids are not affected.
  CHECK(verdict(r, "gabapentin") == ok);
}

// A patient with `dialysis` has the haemodialysis condition (clinical.md A4, H14).
TEST_CASE("shipped: a dialysis profile counts as the haemodialysis condition") {
  Patient p = base();
  p.crcl_ml_min = 10;
  p.dialysis = Dialysis{"haemodialysis", {Weekday::tuesday, Weekday::thursday, Weekday::saturday}};
  auto r = check(p);
  check_named_verdicts(
      r, {{"gabapentin", caution}, {"duloxetine", avoid}, {"amitriptyline", caution}});
}

TEST_CASE(
    "shipped: haemodialysis makes gabapentinoids caution (dialysis dosing) and duloxetine avoid") {
  Patient p = base();
  p.crcl_ml_min = 10;
  p.conditions = {"haemodialysis"};
  auto r = check(p);
  check_named_verdicts(r, {{"gabapentin", caution},
                           {"pregabalin", caution},
                           {"duloxetine", avoid},
                           {"amitriptyline", caution}});
  CHECK(*get(r, "gabapentin").max_daily == Dose::milligrams(300)); // GAB-US 2.3, CrCl <= 15
}

TEST_CASE("shipped: A4 condition table rows") {
  struct Row {
    const char *condition;
    Severity duloxetine, gabapentin, amitriptyline, nortriptyline;
  };
  // clinical.md A4, column by column (pregabalin = gabapentin)
  for (Row row :
       {Row{"heart-block", ok, ok, avoid, caution}, Row{"arrhythmia", ok, ok, avoid, caution},
        Row{"coronary-artery-disease", ok, ok, avoid, caution},
        Row{"qt-prolongation", ok, ok, caution, caution},
        Row{"narrow-angle-glaucoma", caution, ok, avoid, caution},
        Row{"urinary-retention", caution, ok, caution, caution},
        Row{"prostatic-hypertrophy", caution, ok, caution, caution},
        Row{"seizure-disorder", caution, ok, caution, caution},
        Row{"bipolar-disorder", caution, ok, caution, caution},
        Row{"hyperthyroidism", ok, ok, caution, caution},
        Row{"uncontrolled-hypertension", avoid, ok, ok, ok},
        Row{"heavy-alcohol-use", avoid, caution, caution, caution},
        Row{"respiratory-disease", ok, caution, ok, ok}, Row{"hyponatraemia", caution, ok, ok, ok},
        Row{"bleeding-disorder", caution, ok, ok, ok}}) {
    INFO(row.condition);
    Patient p = base();
    p.conditions = {row.condition};
    auto r = check(p);
    check_verdicts(
        r, {row.duloxetine, row.gabapentin, row.gabapentin, row.amitriptyline, row.nortriptyline});
  }
}

TEST_CASE("shipped: A4 hepatic rows, mild and severe") {
  Patient p = base();
  p.hepatic = Hepatic::mild;
  auto r = check(p);
  check_named_verdicts(r, {{"duloxetine", avoid}, {"amitriptyline", caution}, {"gabapentin", ok}});
  p.hepatic = Hepatic::severe;
  r = check(p);
  CHECK(verdict(r, "amitriptyline") == avoid);
  CHECK(verdict(r, "nortriptyline") == caution);
}

TEST_CASE("shipped: age 65 with falls-history makes every drug caution") {
  Patient p = base();
  p.birth_date = parse_date("1960-05-05"); // 66
  p.conditions = {"falls-history"};
  auto r = check(p);
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict == caution);
  }
}

TEST_CASE("shipped: A5 class rows") {
  struct Row {
    const char *medication;
    Severity duloxetine, gabapentin, tca;
  };
  for (Row row :
       {Row{"linezolid", avoid, ok, caution}, Row{"methylene-blue", avoid, ok, caution},
        Row{"fluvoxamine", avoid, ok, caution}, Row{"tramadol", caution, caution, caution},
        Row{"paroxetine", caution, ok, caution}, Row{"thioridazine", avoid, ok, caution},
        Row{"morphine", ok, caution, caution}, Row{"diazepam", ok, caution, caution},
        Row{"warfarin", caution, ok, ok}, Row{"amiodarone", ok, ok, caution},
        Row{"phenelzine", avoid, ok, avoid}}) {
    INFO(row.medication);
    Patient p = base();
    p.medications = {row.medication};
    auto r = check(p);
    check_verdicts(r, {row.duloxetine, row.gabapentin, row.gabapentin, row.tca, row.tca});
  }
}

TEST_CASE("shipped: a current MAOI has no available_from, ciprofloxacin makes duloxetine avoid") {
  Patient p = base();
  p.medications = {"phenelzine"};
  auto r = check(p);
  CHECK(verdict(r, "duloxetine") == avoid);
  CHECK_FALSE(get(r, "duloxetine").available_from);
  p.medications = {"ciprofloxacin"}; // strong CYP1A2 inhibitor (DUL-UK 4.3)
  r = check(p);
  CHECK(verdict(r, "duloxetine") == avoid);
  CHECK(verdict(r, "gabapentin") == ok);
}

TEST_CASE("shipped: already taking the drug itself is caution, a second of the class is avoid") {
  Patient p = base();
  p.medications = {"gabapentin"};
  auto r = check(p);
  CHECK(verdict(r, "gabapentin") == caution);
  CHECK(verdict(r, "pregabalin") == avoid);
  p.medications = {"amitriptyline"};
  r = check(p);
  CHECK(verdict(r, "amitriptyline") == caution);
  CHECK(verdict(r, "nortriptyline") == avoid);
  // amitriptyline is serotonergic (clinical.md B1): duloxetine caution
  CHECK(verdict(r, "duloxetine") == caution);
  p.medications = {"venlafaxine"};
  r = check(p);
  CHECK(verdict(r, "duloxetine") == caution);
  CHECK(r.unchecked_medications.empty());
}

TEST_CASE("shipped: Beers, age 65 or over already on two CNS-active drugs -> caution for all") {
  Patient p = base();
  p.birth_date = parse_date("1955-01-01"); // 71
  p.medications = {"oxycodone", "zolpidem"};
  auto r = check(p);
  for (const auto &d : r.drugs) {
    INFO(d.drug);
    CHECK(d.verdict >= caution);
  }
  CHECK(verdict(r, "duloxetine") == caution); // only the Beers count applies to duloxetine
  p.birth_date = parse_date("1970-01-01");    // 56
  r = check(p);
  CHECK(verdict(r, "duloxetine") == ok);
}

TEST_CASE("shipped: an unknown medication is listed as not checked") {
  Patient p = base();
  p.medications = {"unobtainium"};
  auto r = check(p);
  REQUIRE(r.unchecked_medications.size() == 1);
  CHECK(r.unchecked_medications[0] == "not checked: unknown medication unobtainium");
  CHECK(verdict(r, "duloxetine") == ok);
}

TEST_CASE("shipped data: every drug has pregnancy, breastfeeding and already-taking rules") {
  for (const auto &m : shipped().drugs) {
    INFO(m.name);
    auto has_condition = [&](const char *c) {
      return std::any_of(m.conditions.begin(), m.conditions.end(),
                         [&](const ConditionRule &r) { return r.condition == c; });
    };
    CHECK(has_condition("pregnancy"));
    CHECK(has_condition("breastfeeding"));
    CHECK(std::any_of(m.interactions.begin(), m.interactions.end(),
                      [&](const InteractionRule &r) { return r.medication == m.name; }));
  }
}
