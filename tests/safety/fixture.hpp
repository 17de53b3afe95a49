#pragma once
// A small formulary built in C++ for the eligibility unit tests: the rules and figures of
// shared/clinical.md A2-A5 for a few drugs, written out by hand so that each unit test depends on
// nothing but the engine (the shipped formulary/ files are exercised by scenario_test.cpp).
#include "planner/core/date.hpp"
#include "planner/formulary/monograph.hpp"

#include <string>
#include <vector>

namespace titrate::test {

inline Rule rule(std::string id, Severity s, std::string text, std::string source,
                 bool verified = true) {
  Rule r;
  r.id = std::move(id);
  r.severity = s;
  r.text = std::move(text);
  r.cite = {std::move(source), verified};
  return r;
}

inline RenalBand band(std::optional<double> lower, bool lower_inc, std::optional<double> upper,
                      bool upper_inc, Severity s, std::optional<Dose> max_daily, std::string text) {
  RenalBand b;
  b.lower = lower;
  b.lower_inclusive = lower_inc;
  b.upper = upper;
  b.upper_inclusive = upper_inc;
  b.severity = s;
  b.avoid = s == Severity::avoid;
  b.max_daily = max_daily;
  b.text = std::move(text);
  b.cite = {"renal-source", true};
  return b;
}

inline InteractionRule interaction(std::string cls, Rule r, int washout = 0, int min_count = 1,
                                   int min_age = 0) {
  InteractionRule i;
  i.med_class = std::move(cls);
  i.rule = std::move(r);
  i.washout_days = washout;
  i.min_count = min_count;
  i.min_age = min_age;
  return i;
}

// A rule naming one medication (the "already taking" rule of the drug itself).
inline InteractionRule medication_rule(std::string med, Rule r) {
  InteractionRule i;
  i.medication = std::move(med);
  i.rule = std::move(r);
  return i;
}

// clinical.md A2-A5, for duloxetine, gabapentin, amitriptyline and nortriptyline.
inline Formulary fixture_formulary() {
  using S = Severity;
  auto mg = [](long v) { return Dose::milligrams(v); };
  Formulary f;
  Vocabulary &v = f.vocabulary;
  v.conditions = {"recent-myocardial-infarction",
                  "heart-block",
                  "narrow-angle-glaucoma",
                  "haemodialysis",
                  "falls-history",
                  "pregnancy",
                  "breastfeeding",
                  "respiratory-disease"};
  v.medication_classes = {
      {"sertraline", {"serotonergic", "cns-active"}},
      {"phenelzine", {"maoi", "cns-active"}},
      {"tranylcypromine", {"maoi", "cns-active"}},
      {"paroxetine", {"serotonergic", "cyp2d6-inhibitor", "cns-active"}},
      {"tramadol", {"opioid", "serotonergic", "cns-active"}},
      {"morphine", {"opioid", "cns-active"}},
      {"diazepam", {"cns-depressant", "cns-active"}},
      {"venlafaxine", {"serotonergic", "snri", "cns-active"}},
      {"pregabalin", {"gabapentinoid", "cns-active"}},
      {"warfarin", {"anticoagulant-antiplatelet-nsaid"}},
  };
  v.drug_classes = {{"duloxetine", "snri"},
                    {"gabapentin", "gabapentinoid"},
                    {"amitriptyline", "tca"},
                    {"nortriptyline", "tca"}};
  v.class_members_of_drug = {{"duloxetine", {"serotonergic", "cyp2d6-inhibitor", "cns-active"}},
                             {"gabapentin", {"cns-active"}},
                             {"amitriptyline", {"serotonergic", "cns-active"}},
                             {"nortriptyline", {"serotonergic", "cns-active"}}};

  const auto beers_cns = interaction(
      "cns-active",
      rule("interaction.cns-active", S::caution, "third CNS-active drug", "BEERS 2023 Table 5"), 0,
      2, 65);
  auto pregnancy = [](const std::string &drug) {
    return std::vector<ConditionRule>{
        {"pregnancy", rule("condition.pregnancy." + drug, S::caution,
                           "pregnancy: specialist review", "A1", false)},
        {"breastfeeding", rule("condition.breastfeeding." + drug, S::caution,
                               "breastfeeding: specialist review", "A1", false)}};
  };

  Monograph dul;
  dul.name = "duloxetine";
  dul.drug_class = "snri";
  dul.titration.max_daily = mg(60);
  dul.renal = {
      band(std::nullopt, true, 30.0, false, S::avoid, std::nullopt, "CrCl below 30: avoid"),
      band(30.0, true, std::nullopt, false, S::ok, std::nullopt, "no adjustment")};
  for (auto h : {Hepatic::mild, Hepatic::moderate, Hepatic::severe})
    dul.hepatic.push_back(
        {h, rule("hepatic.duloxetine", S::avoid, "hepatic impairment: avoid", "DUL-US")});
  AgeRule dul_falls;
  dul_falls.min_age = 65;
  dul_falls.requires_conditions = {"falls-history"};
  dul_falls.rule = rule("age.falls.duloxetine", S::caution, "falls: Beers", "BEERS");
  dul.age = {dul_falls};
  dul.conditions = pregnancy("duloxetine");
  dul.conditions.push_back(
      {"narrow-angle-glaucoma",
       rule("condition.glaucoma.duloxetine", S::caution, "angle-closure glaucoma", "DUL-US 5.9")});
  dul.conditions.push_back({"haemodialysis", rule("condition.haemodialysis.duloxetine", S::avoid,
                                                  "haemodialysis: CrCl below 30", "DUL-US 2.4")});
  dul.interactions = {
      interaction("maoi", rule("interaction.maoi.duloxetine", S::avoid, "MAOI", "DUL-US 4"), 14),
      interaction("serotonergic", rule("interaction.serotonergic.duloxetine", S::caution,
                                       "serotonin syndrome", "DUL-US 7")),
      interaction("cyp2d6-inhibitor", rule("interaction.cyp2d6.duloxetine", S::caution,
                                           "CYP2D6 inhibitor raises duloxetine", "DUL-US 7")),
      interaction("anticoagulant-antiplatelet-nsaid",
                  rule("interaction.bleeding.duloxetine", S::caution, "bleeding", "DUL-US 5")),
      beers_cns,
      medication_rule("duloxetine", rule("already-taking.duloxetine", S::caution,
                                         "already taking duloxetine", "project rule")),
      interaction("snri", rule("same-class.duloxetine", S::caution, "already taking another SNRI",
                               "project rule")),
  };

  Monograph gab;
  gab.name = "gabapentin";
  gab.drug_class = "gabapentinoid";
  gab.titration.max_daily = mg(3600);
  // GAB-US 2.3 bands, boundary in the safer band (clinical.md A2).
  gab.renal = {band(60.0, true, std::nullopt, false, S::ok, mg(3600), ">= 60"),
               band(30.0, false, 60.0, false, S::ok, mg(1400), "30-60"),
               band(15.0, false, 30.0, true, S::ok, mg(700), "15-30"),
               band(std::nullopt, true, 15.0, true, S::ok, mg(300), "<= 15")};
  gab.conditions = pregnancy("gabapentin");
  gab.conditions.push_back({"haemodialysis", rule("condition.haemodialysis.gabapentin", S::caution,
                                                  "dialysis dosing needs specialist review",
                                                  "GAB-US 2.3; clinical.md A2")});
  gab.conditions.push_back(
      {"respiratory-disease",
       rule("condition.respiratory.gabapentin", S::caution, "respiratory depression", "FDA-2019")});
  gab.interactions = {
      interaction("opioid", rule("interaction.opioid.gabapentin", S::caution,
                                 "respiratory depression", "FDA-2019")),
      interaction("cns-depressant", rule("interaction.cns-depressant.gabapentin", S::caution,
                                         "respiratory depression", "FDA-2019")),
      beers_cns,
      medication_rule("gabapentin", rule("already-taking.gabapentin", S::caution,
                                         "already taking gabapentin", "project rule")),
      interaction("gabapentinoid", rule("same-class.gabapentin", S::avoid, "a second gabapentinoid",
                                        "project rule")),
  };

  auto tca = [&](const std::string &name, long max_mg, Severity mild) {
    Monograph t;
    t.name = name;
    t.drug_class = "tca";
    t.titration.max_daily = mg(max_mg);
    t.hepatic = {{Hepatic::mild, rule("hepatic.mild." + name, mild, "hepatic: caution", "MSF")},
                 {Hepatic::moderate,
                  rule("hepatic.moderate." + name, S::caution, "hepatic: caution", "MSF")},
                 {Hepatic::severe,
                  rule("hepatic.severe." + name, S::avoid, "severe liver disease", "AMI-UK")}};
    AgeRule beers;
    beers.min_age = 65;
    beers.rule = rule("age.beers." + name, S::caution, "Beers: avoid TCAs", "BEERS");
    t.age = {beers};
    t.conditions = pregnancy(name);
    t.conditions.push_back({"recent-myocardial-infarction",
                            rule("condition.mi." + name, S::avoid, "recent MI", "AMI-UK")});
    t.interactions = {
        interaction("maoi", rule("interaction.maoi." + name, S::avoid, "MAOI", "AMI-UK"), 14),
        interaction("serotonergic", rule("interaction.serotonergic." + name, S::caution,
                                         "serotonin syndrome", "AMI-UK")),
        interaction("cyp2d6-inhibitor", rule("interaction.cyp2d6." + name, S::caution,
                                             "raised TCA levels", "DUL-US 7")),
        beers_cns,
        medication_rule(name, rule("already-taking." + name, S::caution, "already taking " + name,
                                   "project rule")),
        interaction("tca", rule("same-class." + name, S::avoid, "a second TCA", "project rule")),
    };
    return t;
  };
  Monograph ami = tca("amitriptyline", 75, Severity::caution);
  Monograph nor = tca("nortriptyline", 100, Severity::caution);
  // NOR-US elderly 30-50 mg/d: the >= 65 rule also caps the daily dose at 50 mg.
  nor.age[0].rule.max_daily = mg(50);

  f.drugs = {ami, dul, gab, nor}; // sorted by name
  return f;
}

} // namespace titrate::test
