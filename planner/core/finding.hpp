#pragma once
// Clinical findings as data, so every reason can be shown at once: a rule id, its severity,
// plain-language text and the source it cites (a key of shared/clinical.md, e.g. "DUL-US 4").
#include "planner/core/enum_words.hpp"

#include <string>
#include <string_view>

namespace titrate {

// ok < caution < avoid: the verdict of a drug is the maximum severity of its findings.
enum class Severity { ok = 0, caution = 1, avoid = 2 };

// The parse error quotes the whole text (unlike the 32-byte cut of most enum parsers).
constexpr auto words_of(Severity) {
  using enum Severity;
  return enum_words<Severity>({"verdict", "", std::string_view::npos},
                              {{ok, "ok"}, {caution, "caution"}, {avoid, "avoid"}});
}

struct Finding {
  Severity severity = Severity::caution;
  std::string rule;   // stable id, e.g. "interaction.maoi.duloxetine"
  std::string text;   // plain language for the clinician and pharmacist
  std::string source; // citation key(s)
  bool operator==(const Finding &) const = default;
};

} // namespace titrate
