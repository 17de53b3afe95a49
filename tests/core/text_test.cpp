// Text shown back in messages (planner/core/text.hpp printable): a bad value quoted in an error
// must itself be valid UTF-8, since the web sends messages in JSON bodies (the web_form
// fuzz target found a severity of invalid bytes quoted raw).
#include "planner/core/errors.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/pain_score.hpp"
#include "planner/core/text.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using titrate::test::thrown_message;

TEST_CASE("printable cuts between characters and shows bad bytes and controls as '?'") {
  CHECK(printable("nausea", 32) == "nausea");
  CHECK(printable("caf\xc3\xa9", 4) == "caf"); // the 2-byte é does not fit in 4 bytes
  CHECK(printable("caf\xc3\xa9", 5) == "caf\xc3\xa9");
  CHECK(printable("e\xa0\x12x", 32) == "e??x");
  CHECK(printable("a\tb\x7f", 32) == "a?b?");
  CHECK(printable("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 6) == "\xf0\x9f\x98\x80");
  CHECK(printable("", 8).empty());
}

TEST_CASE("messages quoting a bad severity or score are valid UTF-8") {
  const LocalDateTime now{Date(2026, 12, 1), 600};
  const auto severity = thrown_message<InputError>(
      [&] { (void)make_adverse_effect("nausea", "mod\xe9rate", now, Date(2026, 12, 1)); },
      "(no InputError)");
  CHECK(severity ==
        "severity: \"mod?rate\" is not a severity; expected mild, moderate, severe or intolerable");
  CHECK(is_valid_utf8(severity));
  std::string long_score(31, '1'); // a named string: GCC 12 -O2 misjudges a temporary's memcpy
  long_score.append("\xc3\xa9", 2);
  CHECK(thrown_message<InputError>([&] { (void)PainScore::parse(long_score, "score"); },
                                   "(no InputError)") ==
        "score: \"" + std::string(31, '1') +
            "\" is not a pain score; expected a whole number from 0 to 10");
}

TEST_CASE("free text is limited in characters (code points), not bytes") {
  CHECK(code_points("") == 0);
  CHECK(code_points("caf\xc3\xa9") == 4);
  CHECK(code_points("\xd0\xb6\xd0\xb6") == 2); // two Cyrillic letters, 4 bytes
  CHECK(code_points("\xf0\x9f\x98\x80") == 1); // one emoji, 4 bytes (2 UTF-16 units)
  std::string cyrillic;
  for (int i = 0; i < 500; ++i)
    cyrillic += "\xd0\xb6"; // 500 characters, 1,000 bytes
  CHECK_NOTHROW(require_free_text(cyrillic, "note"));
  cyrillic += "\xd0\xb6";
  CHECK(
      thrown_message<InputError>([&] { require_free_text(cyrillic, "note"); }, "(no InputError)") ==
      "note: 501 characters is too long; expected at most 500 characters");
}

TEST_CASE("escape_markup: HTML and XML share & < > \" and differ on ' and control characters") {
  const std::string in = "<a href=\"x\">Tom's & Jerry's</a>\x01\t\n\x1f\x7f\xc3\xa9";
  CHECK(
      escape_markup(in, Markup::html) ==
      "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;\x01\t\n\x1f\x7f\xc3\xa9");
  CHECK(escape_markup(in, Markup::xml) ==
        "&lt;a href=&quot;x&quot;&gt;Tom&apos;s &amp; Jerry&apos;s&lt;/a&gt; \t\n \x7f\xc3\xa9");
  CHECK(escape_markup("plain 7/10", Markup::html) == "plain 7/10");
  CHECK(escape_markup("", Markup::xml).empty());
}

TEST_CASE("decimal_text writes at most the places asked, no trailing zeros and never -0") {
  CHECK(decimal_text(25, 1) == "25");
  CHECK(decimal_text(27.26, 1) == "27.3");
  CHECK(decimal_text(0.5, 1) == "0.5"); // a leading zero (ISMP)
  CHECK(decimal_text(-0.04, 1) == "0"); // not "-0"
  CHECK(decimal_text(33.333, 2) == "33.33");
  CHECK(decimal_text(7.0, 2) == "7");
  CHECK(decimal_text(-12.5, 0) == "-12"); // printf's tie to even, on the exact binary value
  CHECK(decimal_text(27.25, 1) == "27.2");
}
