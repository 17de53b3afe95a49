#pragma once
// What a patient reports: pain scores (many a day; a correction supersedes an earlier entry,
// never overwrites it) and adverse effects with a severity.
#include "planner/core/date.hpp"
#include "planner/core/enum_words.hpp"
#include "planner/core/pain_score.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

struct ScoreEntry {
  std::int64_t id = 0; // store id; 0 for entries not yet stored (stateless CLI)
  LocalDateTime at;
  PainScore score{0};
  std::string note;
  std::optional<std::int64_t> supersedes; // id of the entry this one corrects (or withdraws)
  // A withdrawal: this entry withdraws entry `supersedes` (its note is the reason; its time and
  // score are the withdrawn entry's) and is itself no score.
  bool retracted = false;
};

enum class AeSeverity { mild, moderate, severe, intolerable };
constexpr auto words_of(AeSeverity) {
  using enum AeSeverity;
  return enum_words<AeSeverity>(
      {"severity"},
      {{mild, "mild"}, {moderate, "moderate"}, {severe, "severe"}, {intolerable, "intolerable"}});
}

struct AdverseEffect {
  std::int64_t id = 0;
  LocalDateTime at;
  std::string description;
  AeSeverity severity = AeSeverity::mild;
  // The drugs being taken at `at`, from the active plan when it was logged (Plan::drugs_taken_at);
  // `attributed` false: logged with no plan to read (or before attribution was stored), and
  // whoever reads it attributes it against the plan in hand.
  std::vector<std::string> drugs;
  bool attributed = false;
  // Append-only corrections, as for scores: this entry replaces entry `supersedes`; a retraction
  // withdraws it (its description is the reason) and is itself no effect.
  std::optional<std::int64_t> supersedes;
  bool retracted = false;
};

// What a patient or clinician logs, validated the same way by every front end (CLI and web):
// the names of the fields as that front end shows them, so messages name what the user typed.
struct ObservationFields {
  std::string_view at = "at";
  std::string_view score = "score";
  std::string_view note = "note";
  std::string_view description = "description";
  std::string_view severity = "severity";
};

// A score: 0-10, a note of valid UTF-8 one-line text (at most max_free_text_chars characters),
// not after `today`. Throws InputError.
ScoreEntry make_score_entry(std::string_view score, const LocalDateTime &at, std::string_view note,
                            Date today, const ObservationFields &names = {});
// An adverse effect: a non-blank description (valid UTF-8, at most max_free_text_chars
// characters), a severity, not after `today`. Throws InputError.
AdverseEffect make_adverse_effect(std::string_view description, std::string_view severity,
                                  const LocalDateTime &at, Date today,
                                  const ObservationFields &names = {});

} // namespace titrate
