#pragma once
// The patient profile (design.md §3): what eligibility and dosing need, nothing more.
// Units: weight in kg, serum creatinine in mg/dL, CrCl in mL/min. Validation of a profile is
// in validate_patient(); vocabularies (conditions, medications) are checked by the formulary.
#include "planner/core/date.hpp"
#include "planner/core/enum_words.hpp"
#include "planner/core/pain_score.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

enum class Sex { female, male };
enum class Hepatic { none, mild, moderate, severe }; // Child-Pugh A/B/C for mild/moderate/severe

constexpr auto words_of(Sex) {
  using enum Sex;
  return enum_words<Sex>({"sex"}, {{female, "female"}, {male, "male"}});
}
constexpr auto words_of(Hepatic) {
  using enum Hepatic;
  return enum_words<Hepatic>(
      {"hepatic class"},
      {{none, "none"}, {mild, "mild"}, {moderate, "moderate"}, {severe, "severe"}});
}

// Haemodialysis (clinical.md H14): the kind and the weekdays of the sessions. The only kind is
// "haemodialysis" (the label's supplement is for haemodialysis); the days are what the schedule
// uses to show the post-dialysis supplement on those days only.
enum class Weekday { monday, tuesday, wednesday, thursday, friday, saturday, sunday };
constexpr auto words_of(Weekday) {
  using enum Weekday;
  return enum_words<Weekday>({"day of the week"}, {{monday, "monday"},
                                                   {tuesday, "tuesday"},
                                                   {wednesday, "wednesday"},
                                                   {thursday, "thursday"},
                                                   {friday, "friday"},
                                                   {saturday, "saturday"},
                                                   {sunday, "sunday"}});
}
Weekday weekday_of(Date d);

struct Dialysis {
  std::string kind = "haemodialysis";
  std::vector<Weekday> days; // distinct, Monday first
  bool operator==(const Dialysis &) const = default;
  bool on(Date d) const;
};
// Checks a dialysis description: kind "haemodialysis", 1-7 distinct days. Throws InputError
// naming the field. Sorts the days Monday first.
void validate_dialysis(Dialysis &d);

struct StoppedMedication {
  std::string name;
  Date stopped;
  bool operator==(const StoppedMedication &) const = default;
};

// Where a profile value came from when it was read from an EHR: the field it fills
// (e.g. "serum_creatinine_mg_dl", "medications:sertraline"), the FHIR resource ("Observation/abc"),
// its clinical date (effective/authored/recorded, ISO, may be empty when the resource gives none)
// and a note (the value as given, a unit conversion). Values typed by hand carry none.
struct ValueSource {
  std::string field;
  std::string resource;
  std::string date;
  std::string note;
  bool operator==(const ValueSource &) const = default;
};

struct Patient {
  std::string id;
  Date birth_date;
  Sex sex = Sex::female;
  double weight_kg = 0;
  std::optional<double> serum_creatinine_mg_dl;
  std::optional<double> crcl_ml_min; // given directly: wins over Cockcroft-Gault
  Hepatic hepatic = Hepatic::none;
  std::vector<std::string> conditions;  // controlled vocabulary (formulary/vocabulary.toml)
  std::vector<std::string> medications; // generic names, lower case, hyphens
  std::vector<StoppedMedication> stopped_medications;
  std::optional<PainScore> baseline_pain;
  std::optional<Dialysis> dialysis; // haemodialysis and its weekdays (clinical.md H14)
  // What the patient is treated for: a vocabulary term (formulary/vocabulary.toml
  // [indications]), e.g. chemotherapy-induced-neuropathy; empty when not recorded.
  std::string indication;
  std::vector<ValueSource> sources; // provenance of values read from FHIR (empty: typed in)

  // A patient with `dialysis` also has the `haemodialysis` condition (the eligibility rules of
  // clinical.md A4 read the condition).
  bool has_condition(std::string_view c) const;
  bool operator==(const Patient &) const = default;
};

// Checks ranges that need no vocabulary: id form, birth date not after `today`, weight 1-400 kg,
// creatinine 0.1-20 mg/dL, CrCl 0-250 mL/min, one of creatinine or CrCl present, stop dates not
// after today. Throws InputError naming the field and what was expected.
void validate_patient(const Patient &p, Date today);

// Patient ids: 1-64 characters of [A-Za-z0-9._-]. Throws InputError otherwise.
void validate_patient_id(std::string_view id);

} // namespace titrate
