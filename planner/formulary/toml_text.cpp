#include "planner/formulary/toml_text.hpp"

#include "planner/core/text.hpp"

#include <cstdio>

namespace titrate::tomlr {

namespace {
std::string byte_at(std::size_t column, unsigned char b) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", b);
  return "byte " + std::to_string(column) + " (" + hex + ")";
}
} // namespace

std::optional<TextFault> check_toml_text(std::string_view text) {
  if (text.size() > max_toml_bytes) {
    return TextFault{1, "size",
                     std::to_string(text.size()) + " bytes is too large; expected at most " +
                         std::to_string(max_toml_bytes) + " bytes (1 MiB) of TOML"};
  }
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t column = i - line_start + 1;
    if (b == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (b == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
        continue;
      }
      return TextFault{line, byte_at(column, b),
                       "a carriage return without a line feed; expected LF or CRLF line ends"};
    }
    if ((b < 0x20 && b != '\t') || b == 0x7F) {
      return TextFault{line, byte_at(column, b),
                       "a control character; expected text with no control characters other "
                       "than tab and line ends (TOML 1.0)"};
    }
    const std::size_t len = utf8_sequence(text, i);
    if (len == 0) {
      return TextFault{line, byte_at(column, b), "not valid UTF-8; expected a UTF-8 text file"};
    }
    i += len;
  }
  return std::nullopt;
}

} // namespace titrate::tomlr
