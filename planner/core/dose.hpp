#pragma once
// Dose: an amount of drug as an exact integer number of micrograms. Never a float, so it can
// never print as "1.0000001 mg". Printing follows ISMP: "0.5 mg", "10 mg", "1,000 mg"; never
// "10.0 mg", ".5 mg" or "300mg".
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace titrate {

class Dose {
public:
  constexpr Dose() = default;
  static constexpr Dose micrograms(std::int64_t ug) { return Dose(ug); }
  static constexpr Dose milligrams(std::int64_t mg) { return Dose(mg * 1000); }
  // Parses a decimal number of milligrams ("300", "0.5", "12.25"); at most 3 decimals, >= 0.
  // Throws InputError naming `field` otherwise.
  static Dose parse_mg(std::string_view text, std::string_view field = "dose");
  // From a value read as a double (TOML/JSON): must be a non-negative whole number of micrograms.
  static Dose from_mg_double(double mg, std::string_view field = "dose");

  constexpr std::int64_t ug() const { return ug_; }
  // Whole milligrams, truncated; use only when is_whole_mg().
  constexpr std::int64_t whole_mg() const { return ug_ / 1000; }
  constexpr bool is_whole_mg() const { return ug_ % 1000 == 0; }
  constexpr bool is_zero() const { return ug_ == 0; }
  // Milligrams as a double, for JSON and arithmetic on ratios only (exact for < 2^53 ug).
  double mg() const { return static_cast<double>(ug_) / 1000.0; }

  // "0.5", "10", "1,000": the number of milligrams, ISMP-safe, with thousands separators.
  std::string mg_text() const;
  // Plain number without separators, for CSV and machine formats: "0.5", "1000".
  std::string mg_plain() const;
  // "10 mg", "1,000 mg".
  std::string str() const { return mg_text() + " mg"; }

  constexpr auto operator<=>(const Dose &) const = default;
  constexpr Dose operator+(Dose o) const { return Dose(ug_ + o.ug_); }
  constexpr Dose operator-(Dose o) const { return Dose(ug_ - o.ug_); }
  constexpr Dose operator*(std::int64_t n) const { return Dose(ug_ * n); }
  constexpr Dose &operator+=(Dose o) {
    ug_ += o.ug_;
    return *this;
  }
  constexpr Dose &operator-=(Dose o) {
    ug_ -= o.ug_;
    return *this;
  }

private:
  constexpr explicit Dose(std::int64_t ug) : ug_(ug) {}
  std::int64_t ug_ = 0;
};

} // namespace titrate
