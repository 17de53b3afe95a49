#include "planner/core/observations.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <string>

namespace titrate {

namespace {
void not_after_today(const LocalDateTime &at, Date today, std::string_view field) {
  if (at.date > today) {
    throw InputError(std::string(field) + ": " + iso(at) + " is after today (" + iso(today) +
                     "); expected a time that has come");
  }
}
} // namespace

ScoreEntry make_score_entry(std::string_view score, const LocalDateTime &at, std::string_view note,
                            Date today, const ObservationFields &names) {
  ScoreEntry s;
  s.score = PainScore::parse(score, names.score);
  require_free_text(note, names.note);
  not_after_today(at, today, names.at);
  s.at = at;
  s.note = std::string(note);
  return s;
}

AdverseEffect make_adverse_effect(std::string_view description, std::string_view severity,
                                  const LocalDateTime &at, Date today,
                                  const ObservationFields &names) {
  if (severity.empty()) {
    throw InputError(std::string(names.severity) +
                     ": missing; expected mild, moderate, severe or intolerable");
  }
  if (description.find_first_not_of(" \t") == std::string_view::npos) {
    throw InputError(std::string(names.description) +
                     ": missing or empty; describe the effect (e.g. \"dizziness\")");
  }
  require_free_text(description, names.description);
  AdverseEffect ae;
  ae.severity = parse_enum<AeSeverity>(severity, names.severity);
  not_after_today(at, today, names.at);
  ae.at = at;
  ae.description = std::string(description);
  return ae;
}

} // namespace titrate
