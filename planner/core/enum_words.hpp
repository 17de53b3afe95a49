#pragma once
// An enumeration's words (the ones stored, exported and typed by people): one table per enum of
// (value, word) pairs serves both directions, so a printer and a parser cannot drift apart.
// Header-only; a word not in the table is an InputError naming the field and what was expected.
#include "planner/core/errors.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace titrate {

template <typename E> struct EnumWord {
  E value;
  std::string_view word;
};

// The word of `value`, or `fallback` for a value the table does not list.
template <typename E, std::size_t N>
constexpr std::string_view enum_word(const std::array<EnumWord<E>, N> &words, E value,
                                     std::string_view fallback) {
  for (const auto &w : words)
    if (w.value == value)
      return w.word;
  return fallback;
}

// How a parse failure reads: `<field>: "<text>" is not a <what>; expected <expected>`, the text
// quoted up to `quote_limit` bytes (npos: whole).
struct EnumSyntax {
  std::string_view what;     // "time of day"
  std::string_view expected; // "morning, midday, evening or bedtime"
  std::size_t quote_limit = 32;
};

// The value whose word is exactly `text`, or nothing (for a parser with its own message).
template <typename E, std::size_t N>
constexpr std::optional<E> find_enum_word(const std::array<EnumWord<E>, N> &words,
                                          std::string_view text) {
  for (const auto &w : words)
    if (w.word == text)
      return w.value;
  return std::nullopt;
}

// The value whose word is exactly `text`; throws InputError otherwise.
template <typename E, std::size_t N>
E parse_enum_word(const std::array<EnumWord<E>, N> &words, std::string_view text,
                  std::string_view field, const EnumSyntax &syntax) {
  if (const auto value = find_enum_word(words, text))
    return *value;
  throw InputError(std::string(field) + ": \"" + std::string(text.substr(0, syntax.quote_limit)) +
                   "\" is not a " + std::string(syntax.what) + "; expected " +
                   std::string(syntax.expected));
}

} // namespace titrate
