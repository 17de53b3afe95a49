#pragma once
// Strict RFC 4180 CSV reading and the two observation files built on it (design.md §6):
// pain scores `patient_id,at,score,note` and adverse effects `at,description,severity`.
// All rows or none: every bad row is reported as "FILE:LINE: COLUMN: message" in one InputError,
// and no row is returned. Pure: the caller hands in the text and the name used in messages.
#include "planner/core/date.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/pain_score.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// One CSV record: its fields (quotes removed, "" unescaped) and the line it starts on (1-based).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// The result of reading CSV text: every record that could be read and every syntax error
// ("FILE:LINE: message"). A leading UTF-8 BOM is skipped; the text must be valid UTF-8;
// records end in CRLF or LF (the last one may have neither); a quoted field may hold commas,
// line breaks and "" (a quote); an unquoted field may hold no quote and no bare CR.
struct CsvText {
  std::vector<CsvRecord> records;
  std::vector<std::string> errors;
};
CsvText read_csv(std::string_view text, std::string_view file_name);

// Throws one InputError listing `errors` (at most `max_shown` lines, then "and N more"), headed
// "FILE: N errors; nothing was read". Does nothing when `errors` is empty.
void throw_if_errors(const std::vector<std::string> &errors, std::string_view file_name,
                     std::size_t max_shown = 50);

struct ScoreRow {
  std::string patient_id; // empty when the file has no patient_id column (stateless form)
  LocalDateTime at;
  PainScore score{0};
  std::string note;
  int line = 0; // where the row starts in the file, for later messages

  ScoreEntry entry() const { return ScoreEntry{0, at, score, note, std::nullopt}; }
};

// Header: `at` and `score` required, `note` optional, `patient_id` required when
// `patient_id_required` (the import form) and optional otherwise; any order, each once.
// `at` is YYYY-MM-DD or YYYY-MM-DDTHH:MM (local); `score` a whole number 0-10.
std::vector<ScoreRow> parse_score_csv(std::string_view text, std::string_view file_name,
                                      bool patient_id_required);

struct AdverseEffectRow {
  LocalDateTime at;
  std::string description;
  AeSeverity severity = AeSeverity::mild;
  int line = 0;

  AdverseEffect entry() const { return AdverseEffect{0, at, description, severity}; }
};

// Header `at,description,severity` (any order, each once, all required); description non-empty;
// severity mild | moderate | severe | intolerable.
std::vector<AdverseEffectRow> parse_adverse_effect_csv(std::string_view text,
                                                       std::string_view file_name);

} // namespace titrate
