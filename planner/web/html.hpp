#pragma once
// Server-rendered HTML, escaped by default: a page is an Html value, and the only ways to put
// markup into one are a string literal written "..."_html in the source and Html::trusted
// (markup made elsewhere by code that escapes it, named at each use). Any other text appended to
// an Html (std::string, std::string_view, a const char * variable) is escaped: & < > " ' become
// entities (escape_markup, planner/core/text.hpp, in its HTML dialect), the same for text and
// attribute values. Also the page frame (viewport meta for phones, the style sheet, no script
// needed).
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace titrate::web {

// A string literal of markup: made only by the consteval operator""_html below.
class HtmlLiteral {
public:
  constexpr std::string_view view() const { return text_; }

private:
  constexpr explicit HtmlLiteral(std::string_view text) : text_(text) {}
  friend consteval HtmlLiteral operator""_html(const char *text, std::size_t size);
  std::string_view text_;
};

// "<td>"_html: markup written in the source. consteval on a string literal, so text read at run
// time cannot become markup this way.
consteval HtmlLiteral operator""_html(const char *text, std::size_t size) {
  return HtmlLiteral(std::string_view(text, size));
}

class Html {
public:
  Html() = default;
  Html(HtmlLiteral markup) : s_(markup.view()) {} // NOLINT: literals are markup

  // Text, escaped.
  static Html text(std::string_view text);
  // The escape hatch: markup that other code has already escaped (the SVG exporter's chart, the
  // outcome report's HTML sections). Never for text from a request or the store.
  static Html trusted(std::string markup);

  Html &operator+=(const Html &more) {
    s_ += more.s_;
    return *this;
  }
  Html &operator+=(HtmlLiteral more) {
    s_ += more.view();
    return *this;
  }
  // Runtime text: escaped.
  Html &operator+=(std::string_view text);
  // A bare string literal is neither: say "..."_html (markup) or Html::text("...").
  template <std::size_t N> Html &operator+=(const char (&)[N]) = delete;

  const std::string &str() const & { return s_; }
  std::string str() && { return std::move(s_); }
  bool empty() const { return s_.empty(); }
  std::size_t size() const { return s_.size(); }
  void reserve(std::size_t n) { s_.reserve(n); }

  // `parts` with `separator` between them.
  template <class Range> static Html join(const Range &parts, const Html &separator) {
    Html out;
    bool first = true;
    for (const auto &p : parts) {
      if (!first)
        out += separator;
      first = false;
      out += p;
    }
    return out;
  }

  friend bool operator==(const Html &, const Html &) = default;

private:
  std::string s_;
};

inline Html operator+(Html a, const Html &b) {
  a += b;
  return a;
}
inline Html operator+(Html a, HtmlLiteral b) {
  a += b;
  return a;
}
inline Html operator+(HtmlLiteral a, HtmlLiteral b) {
  return Html(a) + b;
}
// Text on either side of an Html is escaped.
inline Html operator+(Html a, std::string_view text) {
  a += text;
  return a;
}
inline Html operator+(std::string_view text, const Html &b) {
  return Html::text(text) + b;
}
inline Html operator+(HtmlLiteral a, std::string_view text) {
  return Html(a) + text;
}
inline Html operator+(std::string_view text, HtmlLiteral b) {
  return Html::text(text) + b;
}
// A bare string literal next to an Html: say "..."_html or Html::text("...").
template <std::size_t N> Html operator+(const Html &, const char (&)[N]) = delete;
template <std::size_t N> Html operator+(const char (&)[N], const Html &) = delete;
template <std::size_t N> Html operator+(HtmlLiteral, const char (&)[N]) = delete;
template <std::size_t N> Html operator+(const char (&)[N], HtmlLiteral) = delete;

// A whole document: <title>, the style sheet, a header (with a logout form when `csrf` is not
// empty: staff pages) and `body`. The header links the sections of `role` only (clinician:
// Clinic; pharmacist: Pharmacy; empty: both, for a caller that does not say).
Html page(std::string_view title, const Html &body, std::string_view user = {},
          std::string_view csrf = {}, std::string_view role = {});

// <input type="hidden" name="csrf" value="..."> for staff forms.
Html csrf_field(std::string_view csrf);

} // namespace titrate::web
