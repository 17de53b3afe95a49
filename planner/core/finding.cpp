#include "planner/core/finding.hpp"

#include "planner/core/enum_words.hpp"

#include <array>

namespace titrate {

namespace {
constexpr std::array<EnumWord<Severity>, 3> severity_words{
    {{Severity::ok, "ok"}, {Severity::caution, "caution"}, {Severity::avoid, "avoid"}}};
} // namespace

std::string_view to_string(Severity s) {
  return enum_word(severity_words, s, "?");
}

Severity parse_severity(std::string_view text, std::string_view field) {
  // The whole text is quoted (unlike the 32-byte cut of most enum parsers), as before.
  return parse_enum_word(severity_words, text, field,
                         {"verdict", "one of ok, caution, avoid", std::string_view::npos});
}

} // namespace titrate
