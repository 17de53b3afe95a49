#pragma once
// The formulary model: one Monograph per drug, loaded from formulary/<drug>.toml, plus the
// controlled vocabularies (conditions; medication -> interaction classes) and the switching
// rules between drug pairs. Every clinical number here came from a file table that carries a
// `source` (and `verified = false` where shared/clinical.md marks the figure UNVERIFIED).
// Units: doses are Dose (exact micrograms); CrCl in mL/min; ages in whole years; days are days.
#include "planner/core/dose.hpp"
#include "planner/core/finding.hpp"
#include "planner/core/patient.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

struct Citation {
  std::string source;   // e.g. "GAB-US 2.3"
  bool verified = true; // false where clinical.md says UNVERIFIED
  // clinical.md section H's confidence (high, medium-high, medium, low) where a table gives
  // one (`confidence = "low"`); empty elsewhere. A low figure is also verified = false.
  std::string confidence{};
};
// The confidence words of clinical.md H, in order from the weakest.
bool is_confidence(std::string_view word);

enum class Form { capsule, tablet };
constexpr auto words_of(Form) {
  using enum Form;
  return enum_words<Form>({"form"}, {{capsule, "capsule"}, {tablet, "tablet"}});
}

// Administration times, in the order of a day.
enum class AdminTime { morning, midday, evening, bedtime };
// The parse error quotes the whole text (unlike the 32-byte cut of most enum parsers).
constexpr auto words_of(AdminTime) {
  using enum AdminTime;
  return enum_words<AdminTime>(
      {"time of day", "", std::string_view::npos},
      {{morning, "morning"}, {midday, "midday"}, {evening, "evening"}, {bedtime, "bedtime"}});
}

struct Strength {
  Dose dose;
  Form form = Form::capsule;
  bool splittable = false; // capsules never; a scored tablet only if the label allows halves
  std::string rxcui;       // RxNorm SCD code, may be empty
  Citation cite;
  std::string note{}; // e.g. how to use a half (clinical.md H13); may be empty
};

// A CrCl interval. lower/upper absent = 0 / infinity. The boundary sits in the safer band
// (clinical.md A2), so bands are written with explicit inclusive flags.
struct RenalBand {
  std::optional<double> lower;
  bool lower_inclusive = true;
  std::optional<double> upper;
  bool upper_inclusive = false;
  bool avoid = false;
  Severity severity =
      Severity::ok;              // caution/avoid finding emitted when the patient is in this band
  std::optional<Dose> min_daily; // the band's lowest daily dose (start in this band)
  std::optional<Dose> max_daily; // the band's cap
  std::vector<AdminTime> times;  // administration times in this band (empty = drug default)
  std::string text;
  Citation cite;
  std::string note{}; // shown on a trial stage planned in this band (nortriptyline GFR < 10, H5)

  bool contains(double crcl) const;
  std::string describe() const; // "30 < CrCl < 60"
};

// A rule that fires on a patient attribute and yields a finding.
struct Rule {
  std::string id; // e.g. "condition.heart-block"
  Severity severity = Severity::caution;
  std::string text;
  Citation cite;
  std::optional<Dose> max_daily; // a cap this rule imposes (e.g. nortriptyline >= 65: 50 mg)
};

struct HepaticRule {
  Hepatic hepatic = Hepatic::mild; // the class this rule applies to
  Rule rule;
};

struct AgeRule {
  int min_age = 65;
  std::vector<std::string> requires_conditions; // all must be present (e.g. falls-history)
  Rule rule;
};

struct ConditionRule {
  std::string condition; // vocabulary term
  Rule rule;
};

struct InteractionRule {
  std::string med_class; // vocabulary class, e.g. "maoi"
  int washout_days = 0;  // > 0: also fires for a stopped medication within this many days
  Rule rule;
  // Added for eligibility (Beers 2023 Table 5: age >= 65 and already >= 2 CNS-active drugs):
  // the rule fires only when at least `min_count` distinct medications of the class are taken
  // and the patient is at least `min_age` years old. Defaults keep the plain "any one" meaning.
  int min_count = 1;
  int min_age = 0;
  // The "already taking" rules of clinical.md A5.
  std::string medication;   // exact medication name instead of a class (the drug itself)
  bool except_self = false; // the class rule ignores the drug itself (a *second* gabapentinoid)
};

struct TitrationStart {
  Dose daily;
  int days = 1;
  std::vector<AdminTime> times; // empty = the drug's (or band's) times
  Citation cite;
};

struct Titration {
  std::vector<TitrationStart> start; // explicit opening steps, in order
  Dose increment;                    // daily increase per step after the opening steps
  int interval_days = 7;             // days per step
  int min_interval_days = 7;         // shortest allowed step (lint)
  Dose target;                       // the assessed dose
  std::vector<Dose> escalation;      // higher assessed doses, in order, on partial response
  Dose max_daily;                    // label/pathway maximum
  std::vector<AdminTime> times;      // default administration times
  Citation cite;
};

enum class TaperKind {
  explicit_steps,      // from/to/days table (duloxetine)
  decrement,           // cut by `decrement` every `interval_days` (TCAs)
  drop_administration, // remove one administration's dose every `interval_days` (gabapentinoids)
};
// The words of formulary/*.toml [taper] kind.
constexpr auto words_of(TaperKind) {
  using enum TaperKind;
  return enum_words<TaperKind>({"taper kind"}, {{explicit_steps, "explicit_steps"},
                                                {decrement, "decrement"},
                                                {drop_administration, "drop_administration"}});
}

struct TaperStep {
  Dose from; // applies when the current daily dose is >= from
  Dose to;   // daily dose during this taper step (0 = stop)
  int days = 0;
  bool requires_strength = false; // only if a unit of exactly `to` is stocked (duloxetine 20 mg)
};

// How long a taper lasts by the time on drug (clinical.md H6, TCAs): the row with the highest
// `min_weeks` at or below the weeks taken applies.
struct TaperDuration {
  int min_weeks = 0;                 // on drug at least this many weeks
  int min_total_days = 0;            // the taper lasts at least this long
  std::optional<int> max_total_days; // and at most this long (absent = no upper bound)
  std::string text;                  // e.g. "8 weeks or more: reduce over at least 4 weeks"
};

struct TaperRule {
  TaperKind kind = TaperKind::decrement;
  std::vector<TaperStep> steps;
  Dose decrement;
  int interval_days = 7;
  int min_total_days = 0;
  std::string note; // e.g. discontinuation-symptom check
  Citation cite;
  std::vector<TaperDuration> by_time_on_drug{}; // sorted by min_weeks; empty = min_total_days only

  // The row for `days_on_drug` (nullopt when unknown: the longest-course row, the safer side);
  // nullptr when the rule has no rows.
  const TaperDuration *duration_for(std::optional<long> days_on_drug) const;
  // The shortest taper the rule allows for that time on drug.
  int min_days_for(std::optional<long> days_on_drug) const;
};

// The supplement after each haemodialysis session by the once-daily maintenance dose
// (clinical.md H14: GAB-US 2.3 Table 1).
struct DialysisSupplement {
  Dose daily;      // the once-daily maintenance regimen
  Dose supplement; // given after each 4-hour session
};
struct Haemodialysis {
  std::vector<DialysisSupplement> supplements; // by `daily`, rising
  std::string text;
  Citation cite;
  const DialysisSupplement *for_daily(Dose daily) const; // nullptr: no row for that regimen
};

struct Monograph {
  std::string name;       // generic, lower case; also the file stem
  std::string drug_class; // "snri" | "gabapentinoid" | "tca"
  std::string tall_man;   // printed form where ISMP names one (may be empty)
  std::string rxcui;      // ingredient RxCUI
  std::vector<Strength> strengths;
  Titration titration;
  std::vector<RenalBand> renal; // covers [0, inf) without gap or overlap
  std::vector<HepaticRule> hepatic;
  std::vector<AgeRule> age;
  std::vector<ConditionRule> conditions;
  std::vector<InteractionRule> interactions;
  std::vector<std::string> not_tolerated; // adverse effects that count as "not tolerated"
  TaperRule taper;
  std::optional<Haemodialysis> haemodialysis; // [haemodialysis] (gabapentin, H14)
  std::string source_file;
  Citation rxcui_cite;
  Citation tall_man_cite;
  Citation not_tolerated_cite;

  const RenalBand *renal_band(double crcl) const;
  bool stocks(Dose d) const;
};

// formulary/vocabulary.toml
struct Vocabulary {
  std::vector<std::string> conditions;
  // What the patient is treated for (a pathway lists those it is written for): term -> label.
  std::map<std::string, std::string> indications;
  Citation indications_cite;
  std::map<std::string, std::vector<std::string>> medication_classes; // medication -> classes
  std::map<std::string, std::string> drug_classes; // formulary drug -> its own class (snri, ...)
  std::map<std::string, std::vector<std::string>> class_members_of_drug; // drug -> interaction
  // classes the formulary drug itself belongs to (e.g. duloxetine -> serotonergic,
  // cyp2d6-inhibitor) Every interaction class a rule may name -> plain-language label.
  std::map<std::string, std::string> classes;
  bool knows_class(std::string_view c) const;

  bool knows_condition(std::string_view c) const;
  bool knows_indication(std::string_view i) const;
  // The indication terms, comma-separated, for messages that list what is expected.
  std::string indication_terms() const;
  const std::vector<std::string> *classes_of(std::string_view medication) const;
};

// formulary/switching.toml: how to move from one drug to the next (clinical.md A7).
enum class SwitchMode {
  overlap,     // the next drug starts on the first day of the outgoing taper
  sequential,  // full taper; the next drug's first day = last outgoing dose day + gap_days
  cross_taper, // next starts at once; outgoing cut by `decrement` every `interval_days`
};
// The words of switching.toml mode.
constexpr auto words_of(SwitchMode) {
  using enum SwitchMode;
  return enum_words<SwitchMode>(
      {"switch mode"},
      {{overlap, "overlap"}, {sequential, "sequential"}, {cross_taper, "cross_taper"}});
}
struct SwitchRule {
  std::string from; // drug name or class ("gabapentinoid", "tca", "*")
  std::string to;
  SwitchMode mode = SwitchMode::sequential;
  int gap_days = 0;
  std::optional<Dose> next_start; // override of the next drug's start dose (e.g. TCA 10 mg)
  Dose decrement;                 // cross_taper only
  int interval_days = 0;          // cross_taper only
  std::string text;
  Citation cite;         // cite.confidence: clinical.md H's confidence for the row
  std::string caution{}; // a caution shown on the switch (H8, H11); empty = none
};

struct Formulary {
  std::vector<Monograph> drugs; // sorted by name
  Vocabulary vocabulary;
  std::vector<SwitchRule> switches;

  const Monograph *find(std::string_view name) const;
  const Monograph &get(std::string_view name) const; // throws NotFoundError
  // The name printed for people: the ISMP tall-man form where the monograph has one
  // (`DULoxetine`, clinical.md H20), else the generic name. JSON keeps the plain id.
  std::string display_name(std::string_view drug) const;
  // Most specific rule for a pair: exact names, then class, then "*". nullptr if none.
  const SwitchRule *switch_rule(std::string_view from, std::string_view to) const;
};

} // namespace titrate
