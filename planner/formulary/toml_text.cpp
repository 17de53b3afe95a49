#include "planner/formulary/toml_text.hpp"

#include "planner/core/text.hpp"

#include <cctype>
#include <cstdio>
#include <set>
#include <vector>

namespace titrate::tomlr {

namespace {
std::string byte_at(std::size_t column, unsigned char b) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", b);
  return "byte " + std::to_string(column) + " (" + hex + ")";
}

// The code point of one valid UTF-8 sequence of 2 to 4 bytes.
unsigned utf8_code_point(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  unsigned cp = s.size() == 2 ? (b0 & 0x1Fu) : s.size() == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (std::size_t k = 1; k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3Fu);
  return cp;
}

// Keys, read just far enough to find the two shapes toml11 3.7 crashes on (it calls back() on an
// empty array in insert_nested_key): a dotted key (`a.b = 1`, also inside an inline table) and a
// [table] header extending a key that already has a value (`a = []` then `[a.b]`). Both extend a
// value, which TOML forbids anyway, and no titrate file uses a dotted key. Anything this reader
// does not follow is left to the parser (nullopt), which then reports its own syntax error.
class KeyScan {
public:
  explicit KeyScan(std::string_view t) : t_(t) {}

  std::optional<TextFault> run() {
    while (i_ < t_.size()) {
      skip_ws();
      if (i_ >= t_.size())
        break;
      const char c = t_[i_];
      if (c == '\n') {
        ++line_;
        ++i_;
      } else if (c == '\r') {
        ++i_;
      } else if (c == '#') {
        skip_comment();
      } else if (c == '[') {
        if (!header())
          return fault_;
      } else {
        if (!key_value())
          return fault_;
      }
    }
    return fault_;
  }

private:
  static constexpr char sep = '\x1f';

  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t'))
      ++i_;
  }
  void skip_comment() {
    while (i_ < t_.size() && t_[i_] != '\n')
      ++i_;
  }
  // At a quote: past the string (one-line or multi-line); false if it does not end.
  bool skip_string() {
    const char q = t_[i_];
    const bool multi = t_.substr(i_, 3) == std::string_view(std::string(3, q));
    i_ += multi ? 3 : 1;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '\\' && q == '"') {
        i_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi)
          return false;
        ++line_;
      }
      if (c == q && (!multi || t_.substr(i_, 3) == std::string_view(std::string(3, q)))) {
        i_ += multi ? 3 : 1;
        while (multi && i_ < t_.size() && t_[i_] == q)
          ++i_; // """a"""" ends in quotes
        return true;
      }
      ++i_;
    }
    return false;
  }
  // A key up to `stop` (not consumed): its parts, unquoted (escapes kept as written).
  std::optional<std::vector<std::string>> key(char stop) {
    std::vector<std::string> parts;
    for (;;) {
      skip_ws();
      if (i_ >= t_.size())
        return std::nullopt;
      const char c = t_[i_];
      if (c == '"' || c == '\'') {
        const std::size_t begin = i_;
        if (t_.substr(i_, 3) == std::string_view(std::string(3, c)))
          return std::nullopt;
        if (!skip_string())
          return std::nullopt;
        parts.emplace_back(t_.substr(begin + 1, i_ - begin - 2));
      } else {
        const std::size_t begin = i_;
        while (i_ < t_.size() &&
               (std::isalnum(static_cast<unsigned char>(t_[i_])) || t_[i_] == '_' || t_[i_] == '-'))
          ++i_;
        if (i_ == begin)
          return std::nullopt;
        parts.emplace_back(t_.substr(begin, i_ - begin));
      }
      skip_ws();
      if (i_ >= t_.size())
        return std::nullopt;
      if (t_[i_] == '.') {
        ++i_;
        continue;
      }
      if (t_[i_] != stop)
        return std::nullopt;
      return parts;
    }
  }
  static std::string dotted(const std::vector<std::string> &parts, char with = '.') {
    std::string out;
    for (const auto &p : parts)
      out += (out.empty() ? "" : std::string(1, with)) + p;
    return out;
  }
  bool refuse(const std::vector<std::string> &parts, std::string what) {
    fault_ = TextFault{line_, dotted(parts), std::move(what)};
    return false;
  }
  // false: stop (a fault, or something left to the parser).
  bool header() {
    const bool array = t_.substr(i_, 2) == "[[";
    i_ += array ? 2 : 1;
    const auto parts = key(']');
    if (!parts)
      return false;
    std::vector<std::string> prefix;
    for (const auto &p : *parts) {
      prefix.push_back(p);
      if (assigned_.count(dotted(prefix, sep))) {
        return refuse(*parts, "extends " + dotted(prefix) +
                                  ", which already has a value; expected a new table name");
      }
    }
    if (array) { // a new element: the keys of the previous one are gone
      const std::string under = dotted(*parts, sep) + sep;
      assigned_.erase(assigned_.lower_bound(under), assigned_.lower_bound(under + '\x7f'));
    }
    table_ = *parts;
    i_ += array ? 2 : 1;
    return true;
  }
  bool key_value() {
    const auto parts = key('=');
    if (!parts)
      return false;
    if (parts->size() > 1) {
      return refuse(*parts, "a dotted key; expected one key per line, under its [table]");
    }
    std::vector<std::string> path = table_;
    path.push_back(parts->front());
    assigned_.insert(dotted(path, sep));
    ++i_; // '='
    return value();
  }
  // Past one value, to the end of its line; inline tables' keys are checked as above.
  bool value() {
    std::vector<char> open;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '"' || c == '\'') {
        if (!skip_string())
          return false;
        continue;
      }
      if (c == '#') {
        skip_comment();
        continue;
      }
      if (c == '\n') {
        if (open.empty())
          return true;
        ++line_;
        ++i_;
        continue;
      }
      ++i_;
      if (c == '[') {
        open.push_back(c);
      } else if (c == '{' || (c == ',' && !open.empty() && open.back() == '{')) {
        if (c == '{')
          open.push_back(c);
        skip_ws();
        if (i_ < t_.size() && t_[i_] == '}')
          continue;
        const auto parts = key('=');
        if (!parts)
          return false;
        if (parts->size() > 1) {
          return refuse(*parts, "a dotted key; expected one key per line, under its [table]");
        }
        ++i_;
      } else if (c == ']' || c == '}') {
        if (open.empty() || open.back() != (c == ']' ? '[' : '{'))
          return false;
        open.pop_back();
      }
    }
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
  std::vector<std::string> table_;
  std::set<std::string> assigned_; // full paths of keys given a value, parts joined by sep
  std::optional<TextFault> fault_;
};

std::string nested_too_deep() {
  return "arrays or tables nested more than " + std::to_string(max_toml_nesting) +
         " deep; expected the flat layout of the schema";
}

// Two shapes toml++ 3.3 (Debian 12) asserts on, so that a sanitizer or fuzz build (assertions on)
// stops there: a table header whose name does not start with a key character or a quote
// (`[#x]`, `[ +x]`), and a '}' inside an array (`a = [}`). Strings and comments are skipped; a
// quote opens a string only where a key or value starts (toml++ reads `a = 9s'x` as one bare
// value). With assertions off (release) toml++ reports both as syntax errors itself. Also
// brackets nested deeper than max_toml_nesting, which toml++ would follow by recursion.
std::optional<TextFault> assertion_shapes(std::string_view t) {
  enum class State { normal, comment, basic, literal, ml_basic, ml_literal };
  State state = State::normal;
  std::size_t line = 1, line_start = 0;
  std::string open; // the value brackets open here, innermost last
  bool line_begins = true, header = false;
  char before =
      '\n'; // the last character read outside strings and comments ('\n' at a line's start)
  std::size_t i = t.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // a byte-order mark is not text
  const auto fault = [&](std::size_t at, std::string what) {
    return TextFault{line, byte_at(at - line_start + 1, static_cast<unsigned char>(t[at])),
                     std::move(what)};
  };
  const auto starts = [&](std::size_t at, std::string_view s) {
    return t.substr(at, s.size()) == s;
  };
  // At three quotes `q`: past them (and any more: """a"""" ends in a quote), back to normal.
  const auto ends_multi_line = [&](char q) {
    if (!starts(i, std::string(3, q)))
      return false;
    i += 3;
    while (i < t.size() && t[i] == q)
      ++i;
    state = State::normal;
    before = q;
    return true;
  };
  while (i < t.size()) {
    const auto b = static_cast<unsigned char>(t[i]);
    if (b == '\n') {
      ++line;
      line_start = i + 1;
      if (state == State::comment || state == State::basic || state == State::literal)
        state = State::normal; // a one-line string left open is toml++'s error to report
      if (state == State::normal) {
        line_begins = true;
        header = false;
        before = '\n';
      }
      ++i;
      continue;
    }
    switch (state) {
    case State::comment:
      ++i;
      continue;
    case State::basic:
    case State::literal:
      if (b == '\\' && state == State::basic) {
        i += 2;
        continue;
      }
      if ((state == State::basic && b == '"') || (state == State::literal && b == '\'')) {
        state = State::normal;
        before = static_cast<char>(b);
      }
      ++i;
      continue;
    case State::ml_basic:
      if (b == '\\') {
        i += 2;
        continue;
      }
      if (!ends_multi_line('"'))
        ++i;
      continue;
    case State::ml_literal:
      if (!ends_multi_line('\''))
        ++i;
      continue;
    case State::normal:
      break;
    }
    if (b == ' ' || b == '\t' || b == '\r') {
      ++i;
      continue;
    }
    const bool first = line_begins;
    line_begins = false;
    const bool string_starts = std::string_view("\n=[{,.").find(before) != std::string_view::npos;
    before = static_cast<char>(b);
    if (b == '#') {
      state = State::comment;
    } else if (b == '"' && string_starts) {
      state = starts(i, "\"\"\"") ? State::ml_basic : State::basic;
      i += state == State::ml_basic ? 3 : 1;
      continue;
    } else if (b == '\'' && string_starts) {
      state = starts(i, "\'\'\'") ? State::ml_literal : State::literal;
      i += state == State::ml_literal ? 3 : 1;
      continue;
    } else if (b == '[') {
      if (first && open.empty()) {
        header = true;
        std::size_t n = i + (starts(i, "[[") ? 2 : 1);
        while (n < t.size() && (t[n] == ' ' || t[n] == '\t'))
          ++n;
        const char c = n < t.size() ? t[n] : '\n';
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '"' ||
              c == '\'' || c == ']'))
          return fault(n < t.size() ? n : i, "not the start of a table name; expected a name "
                                             "such as [titration] after the bracket");
        i = starts(i, "[[") ? i + 2 : i + 1;
        continue;
      }
      if (!header)
        open += '[';
      if (open.size() > max_toml_nesting)
        return fault(i, nested_too_deep());
    } else if (b == '{') {
      open += '{';
      if (open.size() > max_toml_nesting)
        return fault(i, nested_too_deep());
    } else if ((b == ']' || b == '}') && !header) {
      if (b == '}' && (open.empty() || open.back() != '{'))
        return fault(i, "a '}' that closes no inline table; expected a value or ']'");
      if (!open.empty())
        open.pop_back();
    }
    ++i;
  }
  return std::nullopt;
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
    // ASCII only (but a byte-order mark at the start, which toml++ skips): toml++ 3.3 (Debian 12)
    // reaches __builtin_unreachable, undefined behaviour, when it asks whether a character that
    // is not ASCII is whitespace, which it does in more places than a pre-check can follow (found
    // by fuzzing, docs/reliability.md). Every shipped file is ASCII; a string may still hold any
    // character as an escape.
    if (len > 1 && !(i == 0 && text.substr(0, 3) == "\xEF\xBB\xBF")) {
      const unsigned cp = utf8_code_point(text.substr(i, len));
      char name[16], escape[16];
      std::snprintf(name, sizeof name, "U+%04X", cp);
      std::snprintf(escape, sizeof escape, cp > 0xFFFF ? "\\U%08X" : "\\u%04X", cp);
      return TextFault{
          line, byte_at(column, b),
          std::string("a character that is not ASCII (") + name +
              "); expected ASCII text: inside a \"double-quoted string\" write it as " + escape +
              ", and keep comments in ASCII"};
    }
    i += len;
  }
  if (auto f = assertion_shapes(text))
    return f;
  return KeyScan(text).run();
}

} // namespace titrate::tomlr
