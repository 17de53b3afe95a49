#include "planner/core/dose.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <cmath>
#include <limits>

namespace titrate {

Dose Dose::parse_mg(std::string_view text, std::string_view field) {
  auto bad = [&]() {
    return InputError(std::string(field) + ": " + quoted(text) +
                      " is not a dose; expected a number of mg such as 300 or 0.5 "
                      "(at most 3 decimals, not negative)");
  };
  if (text.empty() || text.size() > 15)
    throw bad();
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  int frac_digits = 0;
  bool seen_dot = false;
  bool seen_digit_before = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_dot || !seen_digit_before)
        throw bad();
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9')
      throw bad();
    if (seen_dot) {
      if (++frac_digits > 3)
        throw bad();
      frac = frac * 10 + (c - '0');
    } else {
      seen_digit_before = true;
      whole = whole * 10 + (c - '0');
    }
  }
  if (seen_dot && frac_digits == 0)
    throw bad();
  while (frac_digits < 3) {
    frac *= 10;
    ++frac_digits;
  }
  return Dose(whole * 1000 + frac);
}

Dose Dose::from_mg_double(double mg, std::string_view field) {
  if (!std::isfinite(mg) || mg < 0 || mg > 1e9) {
    throw InputError(std::string(field) + ": " + std::to_string(mg) +
                     " is not a dose; expected a non-negative number of mg");
  }
  const double ug = mg * 1000.0;
  const double rounded = std::round(ug);
  if (std::fabs(ug - rounded) > 1e-6) {
    throw InputError(std::string(field) + ": " + std::to_string(mg) +
                     " mg has more than 3 decimals; expected whole micrograms");
  }
  return Dose(static_cast<std::int64_t>(rounded));
}

std::string Dose::mg_plain() const {
  const std::int64_t whole = ug_ / 1000;
  std::int64_t frac = ug_ % 1000;
  std::string out = std::to_string(whole);
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string Dose::mg_text() const {
  std::string plain = mg_plain();
  const auto dot = plain.find('.');
  std::string whole = plain.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : plain.substr(dot);
  // ISMP: commas for amounts of 1,000 and above.
  for (int pos = static_cast<int>(whole.size()) - 3; pos > 0; pos -= 3) {
    whole.insert(static_cast<std::size_t>(pos), ",");
  }
  return whole + rest;
}

} // namespace titrate
