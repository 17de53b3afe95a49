#pragma once
// FHIR R4 input: one reader for `titrate patient import --fhir` and the CDS Hooks
// service. It takes Bundles (searchset, collection, an IPS document) or single resources and
// fills the patient profile's fields, each with where it came from (ValueSource: resource type
// and id, clinical date, the value as given). Read: Patient (birth date, sex); Observation by
// LOINC (serum creatinine mg/dL or umol/L, eGFR, body weight kg or [lb_av]); MedicationRequest
// and MedicationStatement by RxNorm; Condition by SNOMED CT; AllergyIntolerance (listed).
// Never guesses: an unknown code or a resource it cannot use is listed as "not checked"; a
// malformed value (a date that cannot be true, a unit it cannot convert) is InputError naming
// the resource, the element and what was expected. Pure: `today` is passed in.
#include "planner/core/patient.hpp"
#include "planner/ehr/codes.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace titrate::ehr {

// One value read, the newest of its kind.
struct Reading {
  double value = 0; // in titrate's unit (mg/dL, kg, mL/min/1.73 m2)
  ValueSource source;
  Date date{2000, 1, 1};
  std::string when; // the resource's date-time text, for ordering within a day
};

struct FhirInput {
  std::string patient_resource; // "Patient/ID" ("" when no Patient was read)
  std::optional<Date> birth_date;
  std::optional<Sex> sex;
  std::vector<ValueSource> patient_sources; // birth_date, sex
  std::optional<Reading> creatinine;        // mg/dL
  std::optional<Reading> weight;            // kg
  std::optional<Reading> egfr;              // mL/min/{1.73_m2}: shown, not used for dosing
  std::vector<std::pair<std::string, ValueSource>> medications; // name, source
  std::vector<std::pair<StoppedMedication, ValueSource>> stopped;
  std::vector<std::pair<std::string, ValueSource>> conditions; // vocabulary term, source
  // Indication terms (vocabulary [indications]) of coded Conditions, in the order read; the
  // profile takes the first.
  std::vector<std::pair<std::string, ValueSource>> indications;
  std::vector<std::string> allergies;     // "AllergyIntolerance/ID: TEXT (matches DRUG)" lines
  std::vector<std::string> allergy_drugs; // medications/formulary drugs an allergy names
  std::vector<std::string> not_checked;   // unknown codes, unread resources: one line each
  std::vector<std::string> ignored;       // resources not used on purpose (entered-in-error, ...)
};

class FhirReader {
public:
  FhirReader(const EhrCodes &codes, Date today) : codes_(codes), today_(today) {}
  // A Bundle (searchset, collection, document, transaction-response? no: those three only) or
  // one resource. `where` names the input in messages (a file name, "prefetch.patient").
  void add(const nlohmann::json &resource, const std::string &where);
  const FhirInput &input() const { return in_; }

  // Cautions on the day: a laboratory value older than the project rule (codes.lab_max_age_days).
  std::vector<std::string> cautions() const;

private:
  void add_checked(const nlohmann::json &r, const std::string &where);
  void add_resource(const nlohmann::json &r, const std::string &where);
  void patient(const nlohmann::json &r, const std::string &ref);
  void observation(const nlohmann::json &r, const std::string &ref);
  void medication(const nlohmann::json &r, const std::string &ref, bool statement);
  void condition(const nlohmann::json &r, const std::string &ref);
  void allergy(const nlohmann::json &r, const std::string &ref);

  const EhrCodes &codes_;
  Date today_;
  FhirInput in_;
  std::vector<nlohmann::json> medications_; // Medication resources, for medicationReference
};

// The profile for `patient import`: id, birth date, sex, weight, creatinine, medications,
// stopped medications and conditions from `in`, with their sources. InputError naming what is
// missing (no Patient, no birth date, no body weight, no serum creatinine) and the LOINC codes
// that were looked for.
Patient to_patient(const FhirInput &in, const std::string &id, const EhrCodes &codes);

} // namespace titrate::ehr
