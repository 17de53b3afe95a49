#include "tests/reliability/corpus.hpp"

#include "tests/reliability/hex_digit.hpp"

#include <sstream>
#include <stdexcept>

namespace titrate::reliability {

namespace {

using test::hex_digit;

std::vector<std::string> split(const std::string &s, const std::string &sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const auto next = s.find(sep, at);
    out.push_back(s.substr(at, next - at));
    if (next == std::string::npos)
      return out;
    at = next + sep.size();
  }
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

} // namespace

std::string unescape(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    switch (c) {
    case 's':
      out += ' ';
      break;
    case 't':
      out += '\t';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case '\\':
      out += '\\';
      break;
    case 'e':
      break;
    case 'x': {
      const int hi = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        throw std::runtime_error("bad \\x escape in: " + text.substr(0, 80));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
      break;
    }
    default:
      throw std::runtime_error(std::string("unknown escape \\") + c);
    }
  }
  return out;
}

std::string expand(const std::string &text) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const auto open = text.find("{{rep ", at);
    if (open == std::string::npos)
      return out + text.substr(at);
    const auto close = text.find("}}", open);
    if (close == std::string::npos)
      throw std::runtime_error("unclosed {{rep");
    out += text.substr(at, open - at);
    const std::string body = text.substr(open + 6, close - open - 6);
    const auto space = body.find(' ');
    if (space == std::string::npos)
      throw std::runtime_error("{{rep N TEXT}} needs N and TEXT");
    const long n = std::stol(body.substr(0, space));
    const std::string unit = body.substr(space + 1);
    out.reserve(out.size() + static_cast<std::size_t>(n) * unit.size());
    for (long k = 0; k < n; ++k)
      out += unit;
    at = close + 2;
  }
}

std::vector<Case> parse_corpus(const std::string &text) {
  std::vector<Case> cases;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (raw.empty() || raw[0] == '#')
      continue;
    auto fail = [&](const std::string &why) {
      return std::runtime_error("corpus.tsv:" + std::to_string(line_no) + ": " + why);
    };
    const auto cols = split(raw, "\t");
    if (cols.size() < 4)
      throw fail("expected id, exit, must_contain, args[, files...]");
    Case c;
    c.id = cols[0];
    c.line = line_no;
    if (c.id.find('-') == std::string::npos)
      throw fail("id needs a group prefix: " + c.id);
    try {
      c.exit_code = std::stoi(cols[1]);
      for (const auto &alt : split(cols[2], "||"))
        c.must_contain.push_back(unescape(alt));
      const std::string args = expand(cols[3]);
      for (const auto &tok : args.empty() ? std::vector<std::string>{} : split(args, " ")) {
        if (tok.empty())
          throw fail("two spaces in args (write an empty argument as \\e)");
        c.args.push_back(unescape(tok));
      }
      for (std::size_t k = 4; k < cols.size(); ++k) {
        const auto &f = cols[k];
        std::size_t n = 0;
        while (n < f.size() && name_char(f[n]))
          ++n;
        if (n == 0 && f.rfind("-stdin", 0) != 0)
          throw fail("file step without a name: " + f);
        if (f.rfind("-stdin=", 0) == 0)
          n = 6;
        if (n == f.size())
          throw fail("file step without =, < or ~: " + f);
        FileStep s;
        s.name = f.substr(0, n);
        const std::string rest = f.substr(n + 1);
        switch (f[n]) {
        case '=':
          s.kind = FileStep::Kind::write;
          s.content = unescape(expand(rest));
          break;
        case '<':
          s.kind = FileStep::Kind::copy;
          s.content = rest;
          break;
        case '~': {
          const auto arrow = rest.find("=>");
          if (arrow == std::string::npos)
            throw fail("replace step needs OLD=>NEW: " + f);
          s.kind = FileStep::Kind::replace;
          s.content = unescape(rest.substr(0, arrow));
          s.with = unescape(expand(rest.substr(arrow + 2)));
          break;
        }
        default:
          throw fail("file step needs NAME=TEXT, NAME<SOURCE or NAME~OLD=>NEW: " + f);
        }
        c.files.push_back(std::move(s));
      }
    } catch (const std::runtime_error &e) {
      const std::string what = e.what();
      if (what.rfind("corpus.tsv:", 0) == 0)
        throw;
      throw fail(what);
    } catch (const std::logic_error &e) {
      throw fail(std::string("bad number: ") + e.what());
    }
    if (c.must_contain.empty() || c.must_contain[0].empty())
      throw fail("must_contain is empty");
    cases.push_back(std::move(c));
  }
  return cases;
}

} // namespace titrate::reliability
