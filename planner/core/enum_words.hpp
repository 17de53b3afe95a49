#pragma once
// An enumeration's words (the ones stored, exported and typed by people): one table per enum of
// (value, word) pairs serves both directions, so a printer and a parser cannot drift apart.
//
// An enum has words when its header defines, beside it, a constexpr `words_of(E)` (found by
// argument-dependent lookup) returning `enum_words<E>(syntax, {{value, "word"}, ...})`, after
// `using enum E;` so that the table reads `{{none, "none"}, {mild, "mild"}, ...}`. Then
// to_string(E), enum_named<E>(text) and parse_enum<E>(text, field) come from here, once for every
// enum. A word not in the table is an InputError naming the field, the value and what was
// expected; the value is quoted through printable() (control characters shown as '?').
// Header-only. A table for another vocabulary of the same enum (a FHIR code, a phrase) uses
// enum_word() and find_enum_word() on a local std::array<EnumWord<E>, N>.
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

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

// The value whose word is exactly `text`, or nothing.
template <typename E, std::size_t N>
constexpr std::optional<E> find_enum_word(const std::array<EnumWord<E>, N> &words,
                                          std::string_view text) {
  for (const auto &w : words)
    if (w.word == text)
      return w.value;
  return std::nullopt;
}

// How a parse failure reads: `<field>: "<text>" is not a <what>; expected <expected>`, the text
// quoted up to `quote_limit` bytes (npos: whole). An empty `expected` is every word of the table
// in its order, "morning, midday, evening or bedtime", so the list cannot drift from the table.
struct EnumSyntax {
  std::string_view what;          // "time of day"
  std::string_view expected = {}; // only where fewer words are for people to type
  std::size_t quote_limit = 32;
};

// An enum's words and how a wrong one is reported; what `words_of(E)` returns.
template <typename E, std::size_t N> struct EnumWords {
  EnumSyntax syntax;
  std::array<EnumWord<E>, N> words;
};

template <typename E, std::size_t N>
constexpr EnumWords<E, N> enum_words(EnumSyntax syntax, const EnumWord<E> (&words)[N]) {
  return {syntax, std::to_array(words)};
}

template <typename E>
concept WordedEnum = std::is_enum_v<E> && requires(E e) {
  words_of(e).words;
};

// The word of `value`; "?" for a value outside the enum (never a plausible word in its place).
template <WordedEnum E> constexpr std::string_view to_string(E value) {
  return enum_word(words_of(value).words, value, "?");
}

// The value whose word is exactly `text`, or nothing (for a caller with its own message).
template <WordedEnum E> constexpr std::optional<E> enum_named(std::string_view text) {
  return find_enum_word(words_of(E{}).words, text);
}

// What a word of E is expected to be, as its messages say it: the syntax's `expected`, else
// every word in order, "morning, midday, evening or bedtime".
template <WordedEnum E> std::string enum_expected() {
  const auto table = words_of(E{});
  std::string expected(table.syntax.expected);
  for (std::size_t i = 0; table.syntax.expected.empty() && i < table.words.size(); ++i) {
    expected += (i == 0 ? "" : i + 1 == table.words.size() ? " or " : ", ");
    expected += table.words[i].word;
  }
  return expected;
}

// The value whose word is exactly `text`; InputError otherwise.
template <WordedEnum E> E parse_enum(std::string_view text, std::string_view field) {
  if (const auto value = enum_named<E>(text))
    return *value;
  const EnumSyntax &s = words_of(E{}).syntax;
  throw InputError(std::string(field) + ": \"" + printable(text, s.quote_limit) + "\" is not a " +
                   std::string(s.what) + "; expected " + enum_expected<E>());
}

} // namespace titrate
