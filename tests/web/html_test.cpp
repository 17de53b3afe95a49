// The HTML builder (planner/web/html.hpp): text is escaped wherever it is appended, markup only
// comes from "..."_html literals (or the named Html::trusted), and nothing converts a std::string
// into markup.
#include "planner/web/html.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace titrate::test {

using web::Html;
using web::operator""_html;

// Nothing turns runtime text into markup without saying so.
static_assert(!std::is_convertible_v<std::string, Html>);
static_assert(!std::is_constructible_v<Html, std::string>);
static_assert(!std::is_convertible_v<std::string_view, Html>);
static_assert(!std::is_constructible_v<Html, std::string_view>);
static_assert(!std::is_constructible_v<Html, const char *>);
// And no markup leaks out as a std::string to be appended somewhere unescaped.
static_assert(!std::is_convertible_v<Html, std::string>);

// A bare string literal next to an Html is refused: it must say "..."_html (markup) or be text.
template <class T>
concept appends = requires(Html h, const T &t) {
  h += t;
};
template <class T>
concept adds_right = requires(const Html &h, const T &t) {
  h + t;
};
template <class T>
concept adds_left = requires(const Html &h, const T &t) {
  t + h;
};
static_assert(!appends<char[4]>);
static_assert(!adds_right<char[4]>);
static_assert(!adds_left<char[4]>);
static_assert(appends<std::string> && appends<std::string_view> && appends<const char *>);
static_assert(adds_right<std::string> && adds_left<std::string> && adds_right<Html>);

TEST_CASE("html: text appended to markup is escaped, markup is not") {
  const std::string attack = "<script>alert('x') & \"y\"</script>";
  const Html h = "<p title=\""_html + attack + "\">"_html + attack + "</p>"_html;
  CHECK(h.str() == "<p title=\"&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
                   "\">&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>");
}

TEST_CASE("html: every way of adding text escapes it") {
  const std::string s = "a&b";
  const std::string_view v = "<i>";
  const char *p = "\"q\"";
  Html h;
  h += s;
  h += v;
  h += p;
  CHECK(h.str() == "a&amp;b&lt;i&gt;&quot;q&quot;");
  CHECK((s + "<br>"_html).str() == "a&amp;b<br>"); // text on the left
  CHECK((s + Html("<br>"_html)).str() == "a&amp;b<br>");
  CHECK(("<br>"_html + s).str() == "<br>a&amp;b"); // text on the right of a literal
  CHECK((Html() + p + "<br>"_html).str() == "&quot;q&quot;<br>");
  CHECK(Html::text("it's").str() == "it&#39;s");
}

TEST_CASE("html: an Html appended is not escaped twice") {
  const Html inner = "<b>"_html + std::string("x & y") + "</b>"_html;
  CHECK(inner.str() == "<b>x &amp; y</b>");
  Html outer = "<p>"_html;
  outer += inner;
  outer += "</p>"_html;
  CHECK(outer.str() == "<p><b>x &amp; y</b></p>");
  CHECK(("<div>"_html + inner + "</div>"_html).str() == "<div><b>x &amp; y</b></div>");
  CHECK((Html::text("&") + Html::text("&")).str() == "&amp;&amp;");
}

TEST_CASE("html: join, trusted and a whole page") {
  const std::vector<Html> items{"<li>a</li>"_html, "<li>"_html + std::string("<b>") + "</li>"_html};
  CHECK(Html::join(items, "\n"_html).str() == "<li>a</li>\n<li>&lt;b&gt;</li>");
  CHECK(Html::trusted("<svg/>").str() == "<svg/>");
  const std::string page =
      web::page("A <title>", "<p>"_html + std::string("\"body\"") + "</p>"_html, "dr.<x>", "c0ffee",
                "clinician")
          .str();
  CHECK(page.find("<title>A &lt;title&gt; - titrate</title>") != std::string::npos);
  CHECK(page.find("<p>&quot;body&quot;</p>") != std::string::npos);
  CHECK(page.find("<span id=\"signed-in\">dr.&lt;x&gt; (clinician)</span>") != std::string::npos);
  CHECK(page.find("<input type=\"hidden\" name=\"csrf\" value=\"c0ffee\">") != std::string::npos);
}

} // namespace titrate::test
