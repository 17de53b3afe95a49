#include "planner/core/finding.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

std::string_view to_string(Severity s) {
  switch (s) {
  case Severity::ok:
    return "ok";
  case Severity::caution:
    return "caution";
  case Severity::avoid:
    return "avoid";
  }
  return "?";
}

Severity parse_severity(std::string_view text, std::string_view field) {
  if (text == "ok")
    return Severity::ok;
  if (text == "caution")
    return Severity::caution;
  if (text == "avoid")
    return Severity::avoid;
  throw InputError(std::string(field) + ": \"" + std::string(text) +
                   "\" is not a verdict; expected one of ok, caution, avoid");
}

} // namespace titrate
