#pragma once
// What a patient reports: pain scores (many a day; a correction supersedes an earlier entry,
// never overwrites it) and adverse effects with a severity.
#include "planner/core/date.hpp"
#include "planner/core/pain_score.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace titrate {

struct ScoreEntry {
  std::int64_t id = 0; // store id; 0 for entries not yet stored (stateless CLI)
  LocalDateTime at;
  PainScore score{0};
  std::string note;
  std::optional<std::int64_t> supersedes; // id of the entry this one corrects
};

enum class AeSeverity { mild, moderate, severe, intolerable };
std::string_view to_string(AeSeverity s);
AeSeverity parse_ae_severity(std::string_view text, std::string_view field = "severity");

struct AdverseEffect {
  std::int64_t id = 0;
  LocalDateTime at;
  std::string description;
  AeSeverity severity = AeSeverity::mild;
};

} // namespace titrate
