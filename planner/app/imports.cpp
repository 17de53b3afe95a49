#include "planner/app/imports.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"

namespace titrate::app {

ScoreImported import_scores(Repository &repo, ByteSource source, const ScoreImport &what,
                            const Actor &who, Role role, Date today) {
  const std::string &file = what.file_name;
  ScoreCsvReader reader(std::move(source), file, !what.only_patient);
  ErrorList future(file);
  ErrorList foreign(file);            // a diary's rows of another patient
  std::optional<std::string> refusal; // the first row of another patient, for role patient
  long rows_read = 0;
  const ScoreRowSource next = [&](ScoreImportRow &out) {
    ScoreRow r;
    while (reader.next(r)) {
      ++rows_read;
      if (what.only_patient) {
        if (r.patient_id.empty()) {
          r.patient_id = *what.only_patient;
        } else if (r.patient_id != *what.only_patient) {
          foreign.add(file + ":" + std::to_string(r.line) + ": patient_id: \"" + r.patient_id +
                      "\" is not this patient; expected " + *what.only_patient +
                      " or an empty value");
          continue;
        }
      }
      if (r.at.date > today) {
        future.add(file + ":" + std::to_string(r.line) + ": at: " + iso(r.at) +
                   " is after today (" + iso(today) + ")");
        continue;
      }
      if (role == Role::patient && r.patient_id != who.user) {
        if (!refusal) {
          refusal = "import scores: refused for role patient: " + file + ":" +
                    std::to_string(r.line) + " is for " + r.patient_id + "; user \"" + who.user +
                    "\" may import only their own scores";
        }
        continue;
      }
      // Once anything is wrong nothing will be kept: the store need see no more rows.
      if (!reader.errors().empty() || !future.empty() || !foreign.empty() || refusal)
        continue;
      out.patient = std::move(r.patient_id);
      out.at = r.at;
      out.score = r.score;
      out.note = std::move(r.note);
      out.line = r.line;
      return true;
    }
    // The end of the file: a fault anywhere refuses the import (the store rolls it back).
    reader.errors().throw_if_any();
    foreign.throw_if_any();
    future.throw_if_any();
    if (refusal)
      throw RefusedError(*refusal);
    return false;
  };
  ScoreImported out;
  out.result = repo.import_scores(next, who, file);
  out.rows = rows_read;
  return out;
}

} // namespace titrate::app
