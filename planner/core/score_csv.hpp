#pragma once
// The two observation files, read with the strict RFC 4180 reader of csv.hpp (design.md §6):
// pain scores `patient_id,at,score,note` and adverse effects `at,description,severity`.
// All rows or none: every bad row is reported as "FILE:LINE: COLUMN: message" in one InputError,
// and no row is returned. Pure: the caller hands in the text (or a ByteSource that it feeds from
// a file, for the streaming readers) and the name used in messages.
#include "planner/core/csv.hpp"
#include "planner/core/date.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/pain_score.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

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

// The same, streamed: next() returns the well-formed rows one at a time; every fault (syntax,
// header, value) goes to errors(), and a bad row is not returned. All or none stays the caller's
// job: read to the end, then errors().throw_if_any() before keeping anything. A header missing a
// required column makes next() read the rest for syntax faults, then throw them all.
class ScoreCsvReader {
public:
  ScoreCsvReader(ByteSource source, std::string_view file_name, bool patient_id_required,
                 std::size_t max_shown = 50);
  bool next(ScoreRow &row);
  const ErrorList &errors() const { return errors_; }

private:
  void read_header();

  std::string file_;
  bool patient_id_required_;
  ErrorList errors_;
  CsvStream csv_;
  CsvRecord rec_;
  bool header_done_ = false;
  std::size_t width_ = 0;
  std::optional<std::size_t> pid_, at_, score_, note_;
};

struct AdverseEffectRow {
  LocalDateTime at;
  std::string description;
  AeSeverity severity = AeSeverity::mild;
  int line = 0;

  AdverseEffect entry() const {
    AdverseEffect e;
    e.at = at;
    e.description = description;
    e.severity = severity;
    return e;
  }
};

// Header `at,description,severity` (any order, each once, all required); description non-empty;
// severity mild | moderate | severe | intolerable.
std::vector<AdverseEffectRow> parse_adverse_effect_csv(std::string_view text,
                                                       std::string_view file_name);

} // namespace titrate
