#pragma once
// Importing many pain scores at once (a clinic's CSV or a patient's diary), the same from every
// door: all rows or none, every bad row reported by line and column, rows equal to stored ones
// skipped and counted, one transaction, streamed from the door's ByteSource.
#include "planner/app/authorize.hpp"
#include "planner/core/csv.hpp"
#include "planner/store/repository.hpp"

#include <optional>
#include <string>

namespace titrate::app {

struct ScoreImport {
  std::string file_name; // in messages: "FILE:LINE: ..."
  // One patient's diary (the web's patient page): `patient_id` is optional and every row must be
  // this patient's. Without it (the CLI), `patient_id` is required on every row.
  std::optional<std::string> only_patient;
};

struct ScoreImported {
  long rows = 0;
  ImportResult result;
};

// Faults anywhere refuse the whole import: CSV faults first, then dates after today, then a row
// of another patient (RefusedError for role patient; InputError for a diary of `only_patient`),
// then unknown patients (from the store).
ScoreImported import_scores(Repository &repo, ByteSource source, const ScoreImport &what,
                            const Actor &who, Role role, Date today);

} // namespace titrate::app
