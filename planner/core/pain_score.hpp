#pragma once
// PainScore: an integer on the 0-10 numeric rating scale (LOINC 72514-3). Nothing else exists.
#include <compare>
#include <string_view>

namespace titrate {

class PainScore {
public:
  // Throws InputError for anything outside 0..10.
  explicit PainScore(int value);
  // Strict text form: "0".."10" only ("7.5", "seven", "", "-1", "11" are rejected, naming `field`).
  static PainScore parse(std::string_view text, std::string_view field = "score");
  int value() const { return value_; }
  auto operator<=>(const PainScore &) const = default;

private:
  int value_;
};

} // namespace titrate
