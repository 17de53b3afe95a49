#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace titrate;

namespace {

// The message of the InputError `f` throws, or "" if it throws nothing.
template <typename F> std::string error_of(F f) {
  try {
    f();
  } catch (const InputError &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("read_csv follows RFC 4180: quotes, doubled quotes, CRLF and LF, optional last newline") {
  const auto csv = read_csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n1,2,3", "t.csv");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.records.size() == 3);
  CHECK(csv.records[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(csv.records[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", ""});
  CHECK(csv.records[2].fields == std::vector<std::string>{"1", "2", "3"});
  CHECK(csv.records[2].line == 3);

  const auto lf = read_csv("a,b\n1,2\n", "t.csv");
  REQUIRE(lf.errors.empty());
  CHECK(lf.records.size() == 2);
}

TEST_CASE("read_csv keeps line breaks inside quoted fields and counts lines from the record start") {
  const auto csv = read_csv("a,b\n\"two\nlines\",x\nlast,y\n", "t.csv");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.records.size() == 3);
  CHECK(csv.records[1].fields[0] == "two\nlines");
  CHECK(csv.records[1].line == 2);
  CHECK(csv.records[2].line == 4);
}

TEST_CASE("read_csv skips a UTF-8 BOM and accepts UTF-8 text") {
  const auto csv = read_csv("\xEF\xBB\xBF" "at,note\n2026-12-01,caf\xC3\xA9\n", "t.csv");
  REQUIRE(csv.errors.empty());
  CHECK(csv.records[0].fields[0] == "at");
  CHECK(csv.records[1].fields[1] == "caf\xC3\xA9");
}

TEST_CASE("read_csv reports every syntax fault with file and line, in file order, and keeps reading") {
  const auto csv = read_csv("a,b\nx\"y,1\n\"q\"z,2\nok,3\n\xFF,4\n\"open,5\n", "s.csv");
  REQUIRE(csv.errors.size() == 4);
  CHECK_THAT(csv.errors[0], Catch::StartsWith("s.csv:2: field 1: a quote inside an unquoted"));
  CHECK_THAT(csv.errors[1], Catch::StartsWith("s.csv:3: field 1: text after a closing quote"));
  CHECK_THAT(csv.errors[2], Catch::StartsWith("s.csv:5: invalid UTF-8 (byte 0xFF)"));
  CHECK_THAT(csv.errors[3], Catch::StartsWith("s.csv:6: field 1: a quoted field is not closed"));
}

TEST_CASE("read_csv rejects a bare carriage return and invalid UTF-8 forms") {
  CHECK_FALSE(read_csv("a,b\r1,2\n", "t.csv").errors.empty());
  CHECK_FALSE(read_csv("a\xC0\xAF\n", "t.csv").errors.empty());     // overlong '/'
  CHECK_FALSE(read_csv("a\xED\xA0\x80\n", "t.csv").errors.empty()); // a surrogate
  CHECK_FALSE(read_csv("a\xF4\x90\x80\x80\n", "t.csv").errors.empty()); // above U+10FFFF
  CHECK_FALSE(read_csv("a\xE2\x82\n", "t.csv").errors.empty());     // truncated
  CHECK(read_csv("\xE2\x82\xAC,\xF0\x9F\x98\x80\n", "t.csv").errors.empty());
}

TEST_CASE("parse_score_csv reads the stateless and the import form") {
  const auto rows = parse_score_csv("at,score,note\n2026-12-01,7,\n2026-12-01T20:30,6,\"after "
                                    "walk, tired\"\n",
                                    "s.csv", false);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at == LocalDateTime{Date(2026, 12, 1), 0});
  CHECK(rows[0].score.value() == 7);
  CHECK(rows[1].at == LocalDateTime{Date(2026, 12, 1), 20 * 60 + 30});
  CHECK(rows[1].note == "after walk, tired");
  CHECK(rows[1].line == 3);
  CHECK(rows[1].patient_id.empty());

  const auto imp = parse_score_csv("patient_id,at,score,note\nP001,2026-12-01,7,x\n", "i.csv", true);
  REQUIRE(imp.size() == 1);
  CHECK(imp[0].patient_id == "P001");
  CHECK(imp[0].entry().score.value() == 7);

  // The header alone: no rows, no error.
  CHECK(parse_score_csv("patient_id,at,score,note\r\n", "s.csv", false).empty());
}

TEST_CASE("parse_score_csv is all or nothing and names every bad row by line and column") {
  const std::string text = "patient_id,at,score,note\n"
                           "P001,2026-12-01,11,\n"       // line 2: out of range
                           "P001,2026-12-02,seven,\n"    // line 3: not a number
                           "P001,2026-12-03,7.5,\n"      // line 4: not whole
                           "P001,2026-12-04,,\n"         // line 5: empty
                           "P001,2026-02-30,5,\n"        // line 6: no such day
                           "P001,2026-12-05,5,fine\n"    // line 7: good
                           "P001,2026-12-06,5\n"         // line 8: a field short
                           "bad id,2026-12-07,5,\n";     // line 9: bad patient id
  const std::string msg = error_of([&] { parse_score_csv(text, "s.csv", true); });
  CHECK_THAT(msg, Catch::StartsWith("s.csv: 7 errors; nothing was read"));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:2: score: \"11\""));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:3: score: \"seven\""));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:4: score: \"7.5\""));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:5: score: \"\""));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:6: at: \"2026-02-30\""));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:8: expected 4 fields"));
  CHECK_THAT(msg, Catch::Contains("\ns.csv:9: patient_id: \"bad id\""));
  CHECK_THAT(msg, !Catch::Contains("s.csv:7"));
}

TEST_CASE("parse_score_csv checks the header") {
  CHECK_THAT(error_of([] { parse_score_csv("", "s.csv", false); }),
             Catch::Contains("s.csv:1: no header line"));
  CHECK_THAT(error_of([] { parse_score_csv("at,scores\n2026-12-01,5\n", "s.csv", false); }),
             Catch::Contains("unknown column \"scores\""));
  CHECK_THAT(error_of([] { parse_score_csv("at,score\n2026-12-01,5\n", "s.csv", true); }),
             Catch::Contains("missing column \"patient_id\""));
  CHECK_THAT(error_of([] { parse_score_csv("at,score,at\n", "s.csv", false); }),
             Catch::Contains("\"at\" appears twice"));
  // patient_id required in the import form: an empty value is an error there only.
  CHECK_THAT(error_of([] { parse_score_csv("patient_id,at,score\n,2026-12-01,5\n", "s.csv", true); }),
             Catch::Contains("s.csv:2: patient_id: empty"));
  CHECK(parse_score_csv("patient_id,at,score\n,2026-12-01,5\n", "s.csv", false).size() == 1);
}

TEST_CASE("parse_score_csv reports a blank line and caps a long error list") {
  CHECK_THAT(error_of([] { parse_score_csv("at,score\n2026-12-01,5\n\n", "s.csv", false); }),
             Catch::Contains("s.csv:3: empty line"));
  std::string many = "at,score\n";
  for (int i = 0; i < 60; ++i) many += "2026-12-01,11\n";
  const std::string msg = error_of([&] { parse_score_csv(many, "s.csv", false); });
  CHECK_THAT(msg, Catch::StartsWith("s.csv: 60 errors"));
  CHECK_THAT(msg, Catch::Contains("s.csv:51: score"));
  CHECK_THAT(msg, !Catch::Contains("s.csv:52: score"));
  CHECK_THAT(msg, Catch::EndsWith("\nand 10 more"));
}

TEST_CASE("parse_adverse_effect_csv reads at,description,severity and names bad values") {
  const auto rows = parse_adverse_effect_csv(
      "at,description,severity\n2026-12-05,nausea,intolerable\n2026-12-06T08:00,dizzy,mild\n",
      "a.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].severity == AeSeverity::intolerable);
  CHECK(rows[0].entry().description == "nausea");
  CHECK(rows[1].at.minute_of_day == 8 * 60);

  const std::string msg = error_of([] {
    parse_adverse_effect_csv("at,description,severity\n2026-12-05,,awful\n2026-13-01,x,mild\n",
                             "a.csv");
  });
  CHECK_THAT(msg, Catch::Contains("a.csv:2: description: empty"));
  CHECK_THAT(msg, Catch::Contains("a.csv:2: severity: \"awful\""));
  CHECK_THAT(msg, Catch::Contains("a.csv:3: at: \"2026-13-01\""));
  CHECK_THAT(error_of([] { parse_adverse_effect_csv("at,description\n", "a.csv"); }),
             Catch::Contains("missing column \"severity\""));
}
