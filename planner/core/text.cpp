#include "planner/core/text.hpp"

#include "planner/core/errors.hpp"

#include <cstdio>
#include <sstream>
#include <string>

namespace titrate {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (overlong forms,
// surrogates and code points above U+10FFFF are invalid, per RFC 3629).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80)
    return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0; // no overlong
    if (c == 0xED)
      hi = 0x9F; // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90; // no overlong
    if (c == 0xF4)
      hi = 0x8F; // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  if (b(i + 1) < lo || b(i + 1) > hi)
    return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF)
      return 0;
  return len;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_sequence(s, i);
    if (len == 0)
      return false;
    i += len;
  }
  return true;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out += printable(s, 64);
  if (s.size() > 64)
    out += "...";
  return out + "\"";
}

std::string printable(std::string_view s, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_sequence(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    const bool shown = len > 0 && !(len == 1 && (c < 0x20 || c == 0x7F));
    const std::size_t width = shown ? len : 1;
    if (out.size() + width > max_bytes)
      break;
    if (shown)
      out.append(s, i, len);
    else
      out += '?';
    i += shown ? len : 1;
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) // every byte but a continuation byte
      ++n;
  return n;
}

void require_free_text(std::string_view text, std::string_view field, std::size_t max_chars) {
  if (!is_valid_utf8(text)) {
    throw InputError(std::string(field) + ": not valid UTF-8 text; expected UTF-8");
  }
  if (const std::size_t n = code_points(text); n > max_chars) {
    throw InputError(std::string(field) + ": " + std::to_string(n) +
                     " characters is too long; expected at most " + std::to_string(max_chars) +
                     " characters");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) {
      throw InputError(std::string(field) +
                       ": contains a control character; expected one line of text");
    }
  }
}

std::string escape_markup(std::string_view text, Markup dialect) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += dialect == Markup::html ? "&#39;" : "&apos;";
      break;
    default:
      if (dialect == Markup::xml && static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
        out += ' ';
      else
        out += c;
    }
  }
  return out;
}

std::string number_text(double v, int significant) {
  std::ostringstream s;
  s.precision(significant);
  s << v;
  return s.str();
}

std::string decimal_text(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.')
      s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

} // namespace titrate
