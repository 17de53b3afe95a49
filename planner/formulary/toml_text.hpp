#pragma once
// The bytes a TOML file must be before the parser sees them: at most max_toml_bytes,
// well-formed UTF-8 (RFC 3629), no control character other than tab, LF and the CR of a CRLF
// (TOML 1.0 allows no other anywhere), and ASCII but for a byte-order mark at the start (toml++
// 3.3, Debian 12, has undefined behaviour on characters that are not ASCII; a string holds them
// as escapes, "\u00e9"). Then two shapes toml++ asserts on (a header without a name, `[#x]`; a
// '}' inside an array), arrays and inline tables nested deeper than max_toml_nesting (a parser's
// recursion), and two key shapes toml11 3.7 (the parser before) crashed on when they
// extend an empty array, both forbidden by TOML and unused by titrate's files: a dotted key
// (`a.b = 1`) and a [table] header extending a key that has a value (`a = []`, then `[a.b]`).
// Pure; positions are 1-based.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace titrate::tomlr {

inline constexpr std::size_t max_toml_bytes = 1024 * 1024; // our largest file is ~8 KB
inline constexpr std::size_t max_toml_nesting = 32;        // our files nest at most 3 deep

struct TextFault {
  std::size_t line = 1;
  std::string where; // "byte 2 (0x8d)" (the byte's place in its line), "size" or the key
  std::string what;  // "not valid UTF-8; expected a UTF-8 text file"
};

// The first fault in file order, if any.
std::optional<TextFault> check_toml_text(std::string_view text);

} // namespace titrate::tomlr
