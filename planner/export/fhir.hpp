#pragma once
// FHIR R4 (4.0.1) JSON: a Bundle of type "collection" holding the Patient, one MedicationRequest
// per stage (intent "plan", RxNorm ingredient coding, one Dosage per step and administration
// time, ordered by `sequence` = step number) and the effective pain scores as Observations
// (LOINC 72514-3, category survey, valueInteger). Resource ids and fullUrls are name-based UUIDs
// (v5) of patient id, stage and score, so a re-export names the same resources. Pure.
#include "planner/export/export_context.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace titrate {

// A stage's sequenced dosageInstruction array (one Dosage per step and administration time,
// `sequence` = step number, timing.repeat.boundsPeriod = the step's days, inclusive end): the
// shape write_fhir uses, shared with the CDS Hooks suggestions. With `from`, steps that
// end on or before that day are left out.
nlohmann::ordered_json fhir_dosage_instructions(const Formulary &f, const Stage &s,
                                                std::optional<Date> from = std::nullopt);

// Throws InputError for an unsupported context.time_zone or a bad context.
void write_fhir(std::ostream &out, const ExportInput &in);

// MedicationRequest.status for a review state: approved -> active, draft/submitted -> draft,
// rejected -> cancelled (R4 value set medicationrequest-status).
std::string_view fhir_medication_request_status(ReviewState r);
// RFC 4122 version-5 UUID (SHA-1, URL namespace) of `name`, lower-case text form.
std::string name_uuid(std::string_view name);

} // namespace titrate
