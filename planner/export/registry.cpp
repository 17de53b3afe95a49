#include "planner/export/registry.hpp"

#include "planner/core/errors.hpp"
#include "planner/export/csv.hpp"
#include "planner/export/fhir.hpp"
#include "planner/export/ics.hpp"
#include "planner/export/pdf.hpp"
#include "planner/export/svg.hpp"
#include "planner/export/text.hpp"

#include <ostream>
#include <vector>

namespace titrate {

namespace {

void write_scores(std::ostream &out, const ExportInput &in) {
  write_scores_csv(out, in.patient.id, in.scores);
}

void write_handout(std::ostream &out, const ExportInput &in) {
  write_pdf(out, in, in.context.handout);
}

const std::vector<ExportFormat> &format_table() {
  static const std::vector<ExportFormat> t = {
      {"text", "text/plain; charset=utf-8", "txt",
       "the schedule for people: steps, doses by time of day, stops, warnings", write_text},
      {"csv", "text/csv; charset=utf-8", "csv", "one row per dose (RFC 4180)", write_schedule_csv},
      {"ics", "text/calendar; charset=utf-8", "ics",
       "a calendar (RFC 5545): an event per dose time with a reminder", write_ics},
      {"fhir", "application/fhir+json", "json",
       "a FHIR R4 Bundle of MedicationRequests with sequenced dosage instructions", write_fhir},
      {"svg", "image/svg+xml", "svg", "a chart of the daily dose and the logged pain scores",
       write_svg},
      {"scores-csv", "text/csv; charset=utf-8", "csv",
       "the patient's pain scores (the import format of `import scores`)", write_scores},
      {"pdf", "application/pdf", "pdf",
       "the patient handout: a step table by time of day, a diary per month, stopping and side "
       "effects",
       write_handout},
  };
  return t;
}

} // namespace

std::span<const ExportFormat> export_formats() {
  return format_table();
}

std::string export_format_names(std::string_view separator) {
  std::string s;
  for (const auto &f : format_table()) {
    if (!s.empty())
      s += separator;
    s += f.name;
  }
  return s;
}

const ExportFormat &export_format(std::string_view name, std::string_view field) {
  for (const auto &f : format_table())
    if (f.name == name)
      return f;
  throw InputError(std::string(field) + ": \"" + std::string(name.substr(0, 32)) +
                   "\" is not a format; expected " + export_format_names(", "));
}

} // namespace titrate
