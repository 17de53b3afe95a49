#pragma once
// Clinical findings as data, so every reason can be shown at once: a rule id, its severity,
// plain-language text and the source it cites (a key of shared/clinical.md, e.g. "DUL-US 4").
#include <string>
#include <string_view>

namespace titrate {

// ok < caution < avoid: the verdict of a drug is the maximum severity of its findings.
enum class Severity { ok = 0, caution = 1, avoid = 2 };

std::string_view to_string(Severity s);
// "ok" | "caution" | "avoid"; throws InputError naming `field`.
Severity parse_severity(std::string_view text, std::string_view field = "severity");

struct Finding {
  Severity severity = Severity::caution;
  std::string rule;   // stable id, e.g. "interaction.maoi.duloxetine"
  std::string text;   // plain language for the clinician and pharmacist
  std::string source; // citation key(s)
  bool operator==(const Finding &) const = default;
};

} // namespace titrate
