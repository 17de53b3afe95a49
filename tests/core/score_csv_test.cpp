#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"
#include "tests/common/contains.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace titrate;
using titrate::test::check_contains_all;
using titrate::test::thrown_message;

namespace {

// The message of the InputError `f` throws, or "" if it throws nothing.
template <typename F> std::string error_of(F f) {
  return thrown_message<InputError>(f, "");
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

TEST_CASE(
    "read_csv keeps line breaks inside quoted fields and counts lines from the record start") {
  const auto csv = read_csv("a,b\n\"two\nlines\",x\nlast,y\n", "t.csv");
  REQUIRE(csv.errors.empty());
  REQUIRE(csv.records.size() == 3);
  CHECK(csv.records[1].fields[0] == "two\nlines");
  CHECK(csv.records[1].line == 2);
  CHECK(csv.records[2].line == 4);
}

TEST_CASE("read_csv skips a UTF-8 BOM and accepts UTF-8 text") {
  const auto csv = read_csv("\xEF\xBB\xBF"
                            "at,note\n2026-12-01,caf\xC3\xA9\n",
                            "t.csv");
  REQUIRE(csv.errors.empty());
  CHECK(csv.records[0].fields[0] == "at");
  CHECK(csv.records[1].fields[1] == "caf\xC3\xA9");
}

TEST_CASE(
    "read_csv reports every syntax fault with file and line, in file order, and keeps reading") {
  const auto csv = read_csv("a,b\nx\"y,1\n\"q\"z,2\nok,3\n\xFF,4\n\"open,5\n", "s.csv");
  REQUIRE(csv.errors.size() == 4);
  CHECK_THAT(csv.errors[0], Catch::StartsWith("s.csv:2: field 1: a quote inside an unquoted"));
  CHECK_THAT(csv.errors[1], Catch::StartsWith("s.csv:3: field 1: text after a closing quote"));
  CHECK_THAT(csv.errors[2], Catch::StartsWith("s.csv:5: invalid UTF-8 (byte 0xFF)"));
  CHECK_THAT(csv.errors[3], Catch::StartsWith("s.csv:6: field 1: a quoted field is not closed"));
}

TEST_CASE("read_csv rejects a bare carriage return and invalid UTF-8 forms") {
  CHECK_FALSE(read_csv("a,b\r1,2\n", "t.csv").errors.empty());
  CHECK_FALSE(read_csv("a\xC0\xAF\n", "t.csv").errors.empty());         // overlong '/'
  CHECK_FALSE(read_csv("a\xED\xA0\x80\n", "t.csv").errors.empty());     // a surrogate
  CHECK_FALSE(read_csv("a\xF4\x90\x80\x80\n", "t.csv").errors.empty()); // above U+10FFFF
  CHECK_FALSE(read_csv("a\xE2\x82\n", "t.csv").errors.empty());         // truncated
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

  const auto imp =
      parse_score_csv("patient_id,at,score,note\nP001,2026-12-01,7,x\n", "i.csv", true);
  REQUIRE(imp.size() == 1);
  CHECK(imp[0].patient_id == "P001");
  CHECK(imp[0].entry().score.value() == 7);

  // The header alone: no rows, no error.
  CHECK(parse_score_csv("patient_id,at,score,note\r\n", "s.csv", false).empty());
}

TEST_CASE("parse_score_csv is all or nothing and names every bad row by line and column") {
  const std::string text = "patient_id,at,score,note\n"
                           "P001,2026-12-01,11,\n"    // line 2: out of range
                           "P001,2026-12-02,seven,\n" // line 3: not a number
                           "P001,2026-12-03,7.5,\n"   // line 4: not whole
                           "P001,2026-12-04,,\n"      // line 5: empty
                           "P001,2026-02-30,5,\n"     // line 6: no such day
                           "P001,2026-12-05,5,fine\n" // line 7: good
                           "P001,2026-12-06,5\n"      // line 8: a field short
                           "bad id,2026-12-07,5,\n";  // line 9: bad patient id
  const std::string msg = error_of([&] { parse_score_csv(text, "s.csv", true); });
  CHECK_THAT(msg, Catch::StartsWith("s.csv: 7 errors; nothing was read"));
  check_contains_all(msg, {"\ns.csv:2: score: \"11\"", "\ns.csv:3: score: \"seven\"",
                           "\ns.csv:4: score: \"7.5\"", "\ns.csv:5: score: \"\"",
                           "\ns.csv:6: at: \"2026-02-30\"", "\ns.csv:8: expected 4 fields",
                           "\ns.csv:9: patient_id: \"bad id\""});
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
  CHECK_THAT(
      error_of([] { parse_score_csv("patient_id,at,score\n,2026-12-01,5\n", "s.csv", true); }),
      Catch::Contains("s.csv:2: patient_id: empty"));
  CHECK(parse_score_csv("patient_id,at,score\n,2026-12-01,5\n", "s.csv", false).size() == 1);
}

TEST_CASE("parse_score_csv reports a blank line and caps a long error list") {
  CHECK_THAT(error_of([] { parse_score_csv("at,score\n2026-12-01,5\n\n", "s.csv", false); }),
             Catch::Contains("s.csv:3: empty line"));
  std::string many = "at,score\n";
  for (int i = 0; i < 60; ++i)
    many += "2026-12-01,11\n";
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

namespace {

// A ByteSource over `text` that hands out at most `step` bytes per call, so record, field, CRLF,
// quote and UTF-8 sequence boundaries fall across reads.
ByteSource trickle(const std::string &text, std::size_t step) {
  auto offset = std::make_shared<std::size_t>(0);
  return [text, step, offset](char *buffer, std::size_t capacity) {
    const std::size_t n = std::min({step, capacity, text.size() - *offset});
    text.copy(buffer, n, *offset);
    *offset += n;
    return n;
  };
}

struct Streamed {
  std::vector<ScoreRow> rows;
  std::string error;
};

Streamed stream_all(const std::string &text, std::size_t step, std::size_t max_shown = 50) {
  Streamed out;
  out.error = error_of([&] {
    ScoreCsvReader in(trickle(text, step), "s.csv", true, max_shown);
    ScoreRow r;
    while (in.next(r))
      out.rows.push_back(r);
    in.errors().throw_if_any();
  });
  return out;
}

} // namespace

TEST_CASE("ScoreCsvReader gives parse_score_csv's rows and message, however the bytes arrive") {
  // Inputs written by hand to cover each rule of read_csv and parse_score_csv: good rows with
  // quotes, CRLF, a BOM, a quoted line break, and bad ones of every kind.
  const std::vector<std::string> inputs = {
      "patient_id,at,score,note\nP1,2026-12-01T08:00,5,\"a, \"\"b\"\"\"\r\nP2,2026-12-02,0,\n",
      "\xEF\xBB\xBFpatient_id,at,score\r\nP1,2026-12-01,10\r\nP1,2026-12-01,10",
      "note,score,at,patient_id\n\"two\nlines\",3,2026-12-01T23:59,P1\n",
      "patient_id,at,score\nP1,2026-02-30,5\nP1,2026-12-01,11\n\nP1,x\"y,1\n\"q\"z,1,2\nok\xFF,"
      "2026-12-01,3\n",
      "patient_id,at,score\nP1,2026-12-01,5\r\nP1,2026-12-01,5\rX\n\"open,5\n",
      "patient_id,at\nP1,2026-12-01\n\xE2\x82\n",
      "at,score\n2026-12-01,5\n",
      "",
      "patient_id,at,score,note\nP1,2026-12-01,5,caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n",
  };
  for (const auto &text : inputs) {
    INFO(text);
    std::string whole_error;
    std::vector<ScoreRow> whole;
    whole_error = error_of([&] { whole = parse_score_csv(text, "s.csv", true); });
    for (const std::size_t step :
         {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{1} << 20}) {
      INFO("step " << step);
      const Streamed s = stream_all(text, step);
      CHECK(s.error == whole_error);
      if (whole_error.empty()) {
        REQUIRE(s.rows.size() == whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
          CHECK(s.rows[i].patient_id == whole[i].patient_id);
          CHECK(s.rows[i].at == whole[i].at);
          CHECK(s.rows[i].score == whole[i].score);
          CHECK(s.rows[i].note == whole[i].note);
          CHECK(s.rows[i].line == whole[i].line);
        }
      }
    }
  }
}

TEST_CASE("ScoreCsvReader keeps the first errors by line and counts the rest") {
  std::string text = "patient_id,at,score\n";
  for (int i = 0; i < 5000; ++i)
    text += "P1,2026-12-01,eleven\n";
  const Streamed s = stream_all(text, 4096, 3);
  // 5,000 bad rows on lines 2..5001: the first three shown, 4,997 counted (by hand).
  CHECK(s.error.rfind("s.csv: 5000 errors; nothing was read\ns.csv:2: score", 0) == 0);
  CHECK_THAT(s.error, Catch::Contains("\ns.csv:4: score") && Catch::EndsWith("\nand 4997 more"));
  CHECK_THAT(s.error, !Catch::Contains("s.csv:5:"));
  CHECK(s.rows.empty());
}
