#include "planner/core/observations.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

std::string_view to_string(AeSeverity s) {
  switch (s) {
  case AeSeverity::mild: return "mild";
  case AeSeverity::moderate: return "moderate";
  case AeSeverity::severe: return "severe";
  case AeSeverity::intolerable: return "intolerable";
  }
  return "?";
}

AeSeverity parse_ae_severity(std::string_view text, std::string_view field) {
  if (text == "mild") return AeSeverity::mild;
  if (text == "moderate") return AeSeverity::moderate;
  if (text == "severe") return AeSeverity::severe;
  if (text == "intolerable") return AeSeverity::intolerable;
  throw InputError(std::string(field) + ": \"" + std::string(text.substr(0, 32)) +
                   "\" is not a severity; expected mild, moderate, severe or intolerable");
}

} // namespace titrate
