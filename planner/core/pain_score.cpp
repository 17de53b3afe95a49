#include "planner/core/pain_score.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <string>

namespace titrate {

PainScore::PainScore(int value) : value_(value) {
  if (value < 0 || value > 10) {
    throw InputError("score: " + std::to_string(value) +
                     " is out of range; expected a whole number from 0 to 10");
  }
}

PainScore PainScore::parse(std::string_view text, std::string_view field) {
  const bool digits_only = !text.empty() && text.size() <= 2 &&
                           text.find_first_not_of("0123456789") == std::string_view::npos;
  int v = -1;
  if (digits_only) {
    v = 0;
    for (char c : text)
      v = v * 10 + (c - '0');
  }
  if (!digits_only || v > 10 || (text.size() == 2 && text[0] == '0')) {
    const std::string shown = printable(text, 32);
    throw InputError(std::string(field) + ": \"" + shown +
                     "\" is not a pain score; expected a whole number from 0 to 10");
  }
  return PainScore(v);
}

} // namespace titrate
