#pragma once
// Test support for the exporters: a hand-built plan, patient, formulary and scores (so these
// tests do not depend on the scheduler or the shipped formulary files), and a runner for the
// external validators (python3-icalendar, libical via ICalGLib, python3 csv, xmllint, the npm
// `fhir` package). A missing validator makes its test FAIL with a message naming
// .ci/install-export-validators; it never skips.
#include "planner/export/export_context.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace titrate::test {

Formulary sample_formulary();
Patient sample_patient();
Plan sample_plan(); // duloxetine trial, duloxetine taper, gabapentin trial (scenario 8 shape)
std::vector<ScoreEntry> sample_scores();
ExportContext sample_context(ReviewState review = ReviewState::draft, int version = 1);

// Owns the data an ExportInput refers to.
struct Sample {
  Formulary formulary = sample_formulary();
  Patient patient = sample_patient();
  Plan plan = sample_plan();
  std::vector<ScoreEntry> scores = sample_scores();
  ExportContext context = sample_context();
  ExportInput input() const { return ExportInput{plan, patient, formulary, scores, context}; }
};

// The sample with short_plan() (the duloxetine trial alone) in place of the whole plan.
Sample short_sample();

struct ToolResult {
  int exit_code = -1;
  std::string output; // stdout and stderr together
};

// Writes `text` to a file in the test output folder (the build tree) and returns its path.
std::string write_output(const std::string &name, const std::string &text);
std::string read_file(const std::string &path);
// Runs a shell command, capturing stdout+stderr.
ToolResult run_tool(const std::string &command);
// The validator commands; each takes the file to check as its last argument.
std::string python(); // $TITRATE_PYTHON, else /usr/bin/python3 (Debian's, with its modules)
std::string script(const std::string &name); // path of tests/export/<name>
std::string golden(const std::string &name); // path of tests/export/golden/<name>

// Validators: each runs the external tool and returns its report; exit_code 0 = accepted.
ToolResult validate_ics(const std::string &path);  // python3-icalendar + libical (ICalGLib)
ToolResult validate_csv(const std::string &path);  // python3 csv module (strict)
ToolResult validate_svg(const std::string &path);  // xmllint --noout + python3 ElementTree
ToolResult validate_fhir(const std::string &path); // npm fhir (R4 StructureDefinitions)

// An exporter of one plan version (write_ics, write_text, ...) and a validator (validate_ics, ...).
using Exporter = void (*)(std::ostream &out, const ExportInput &in);
using Validator = ToolResult (*)(const std::string &path);

// What `write` exports for the sample, as text.
std::string exported(Exporter write, const Sample &s);
// Writes `text` to the output file `name` and REQUIREs that `validate` accepts it (its report
// shown when it does not); returns the report.
ToolResult require_accepted(Validator validate, const std::string &name, const std::string &text);
// The same, with the validator's report (the JSON summary it prints) parsed.
nlohmann::json accepted_summary(Validator validate, const std::string &name,
                                const std::string &text);
// What `write` exports for `s` matches golden/<name> (check_golden), and `validate` accepts it.
void check_golden_accepted(Exporter write, Validator validate, const Sample &s,
                           const std::string &name);

} // namespace titrate::test

namespace titrate::test {

// A short plan for golden files small enough to check line by line: the duloxetine trial only
// (30 mg daily 2026-12-01..07, 60 mg daily 2026-12-08..28, decision date 2026-12-22).
Plan short_plan();

// Every ISMP "do not print" pattern of clinical.md F found in `text` (empty = none), each as
// "what: found X". Used on everything a patient or pharmacist reads.
std::vector<std::string> ismp_violations(const std::string &text);

// Compares `actual` with tests/export/golden/<name>. With TITRATE_UPDATE_GOLDEN=1 it writes the
// golden file instead and fails, so a new golden file is never accepted without a reading.
void check_golden(const std::string &name, const std::string &actual);

} // namespace titrate::test
