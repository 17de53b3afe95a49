// The bytes check every TOML file passes before the parser sees it (toml_text.hpp):
// the two inputs that made toml11 read out of bounds, each kind of refused byte, what titrate
// allows (tab, LF, CRLF, ASCII with escapes, a BOM) and the size bound.
#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/formulary/patient_file.hpp"
#include "planner/formulary/toml_text.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using titrate::test::thrown_message;
using tomlr::check_toml_text;

namespace {

std::string fault_of(std::string_view text) {
  const auto f = check_toml_text(text);
  REQUIRE(f.has_value());
  return std::to_string(f->line) + ": " + f->where + ": " + f->what;
}

std::string patient_error(const std::string &text) {
  return thrown_message<InputError>(
      [&] {
        (void)parse_patient_file({"p.toml", text}, Vocabulary{}, Date(2026, 12, 1));
      },
      "(no InputError)");
}

} // namespace

TEST_CASE(
    "the inputs of issue 19 are refused before toml11 sees them, naming file, line and byte") {
  CHECK(patient_error(std::string("\x27\x8d\x5b\x27", 4)) ==
        "p.toml:1: byte 2 (0x8d): not valid UTF-8; expected a UTF-8 text file");
  CHECK(thrown_message<DataError>(
            [] {
              (void)parse_monograph({"f/x.toml", std::string("\x09\x27\xe6\x27", 4)}, Vocabulary{});
            },
            "(no DataError)") ==
        "f/x.toml:1: byte 3 (0xe6): not valid UTF-8; expected a UTF-8 text file");
}

TEST_CASE("the byte is counted within its line, the line from 1") {
  const std::string not_utf8 = "not valid UTF-8; expected a UTF-8 text file";
  CHECK(fault_of("a = 1\nb = \"caf\xe9\"\n") == "2: byte 9 (0xe9): " + not_utf8);
  CHECK(fault_of("a = 1\r\nb = 2\r\n# \xc0\xaf overlong\n") == "3: byte 3 (0xc0): " + not_utf8);
  CHECK(fault_of("s = \"\xed\xa0\x80\"") == "1: byte 6 (0xed): " + not_utf8);
  CHECK(fault_of("s = \"\xf4\x90\x80\x80\"") == "1: byte 6 (0xf4): " + not_utf8);
  CHECK(fault_of("s = \"\xe2\x82\"") == "1: byte 6 (0xe2): " + not_utf8);
}

TEST_CASE("control characters are refused everywhere, in strings and comments too") {
  const std::string control = "a control character; expected text with no control characters other "
                              "than tab and line ends (TOML 1.0)";
  CHECK(fault_of(std::string("a = \"x\0y\"", 9)) == "1: byte 7 (0x00): " + control);
  CHECK(fault_of("# note \x1b[31m\n") == "1: byte 8 (0x1b): " + control);
  CHECK(fault_of("s = '''\nline\x0c"
                 "feed'''\n") == "2: byte 5 (0x0c): " + control);
  CHECK(fault_of("a = 1\x7f\n") == "1: byte 6 (0x7f): " + control);
  CHECK(fault_of("a = 1\rb = 2\n") ==
        "1: byte 6 (0x0d): a carriage return without a line feed; expected LF or CRLF line ends");
  CHECK(fault_of("a = 1\r") ==
        "1: byte 6 (0x0d): a carriage return without a line feed; expected LF or CRLF line ends");
}

TEST_CASE("what passes: tab, LF, CRLF, ASCII text, escapes and a BOM") {
  CHECK_FALSE(check_toml_text(""));
  CHECK_FALSE(check_toml_text("\xef\xbb\xbfname = \"caf\\u00e9\"\t# dash\r\n"));
  CHECK_FALSE(check_toml_text("s = \"\"\"\nline one\r\n\tline two \\U0001F600\n\"\"\"\n"));
}

TEST_CASE("a TOML file is at most 1 MiB") {
  CHECK_FALSE(check_toml_text(std::string(tomlr::max_toml_bytes, '#')));
  CHECK(fault_of(std::string(tomlr::max_toml_bytes + 1, '#')) ==
        "1: size: 1048577 bytes is too large; expected at most 1048576 bytes (1 MiB) of TOML");
}

TEST_CASE(
    "keys that extend a value are refused before toml11 sees them (it crashes on an empty array)") {
  // Found by the patient_file fuzz target
  // (regressions/patient_file/dotted-key-extends-empty-array).
  const std::string dotted = "a dotted key; expected one key per line, under its [table]";
  const std::string has_value = ", which already has a value; expected a new table name";
  CHECK(fault_of("a = []\na.b = 1\n") == "2: a.b: " + dotted);
  CHECK(fault_of("x = { a = [], a.b = 1 }\n") == "1: a.b: " + dotted);
  CHECK(fault_of("[t]\na = [\n  1,\n]\n[t.a.b]\n") == "5: t.a.b: extends t.a" + has_value);
  CHECK(fault_of("a = []\n[a]\n") == "2: a: extends a" + has_value);
  // What titrate's files do passes: tables, arrays of tables, inline tables, keys in strings.
  CHECK_FALSE(check_toml_text("name = \"a.b = 1\" # c.d = 2\n[t]\nx = [{ n = \"p\", s = 1.5 }]\n"
                              "[[t.band]]\nmax = 1\n[[t.band]]\nmax = 2\n[t.band.sub]\nk = 1\n"
                              "s = '''\nq.r = 3\n[s.x]\n'''\n"));
}

// toml++ 3.3's undefined behaviour (toml_text.hpp), found by the fuzz smoke and longer runs on
// the day the parser changed: text that is not ASCII is refused, naming the character and its
// escape, and the two shapes toml++ asserts on are refused too.
TEST_CASE("a character that is not ASCII is refused anywhere, with the escape to write instead") {
  const std::string advice =
      "expected ASCII text: inside a \"double-quoted string\" write it as \\u00E9, and keep "
      "comments in ASCII";
  CHECK(fault_of("a = 1 \xc3\xa9\n") ==
        "1: byte 7 (0xc3): a character that is not ASCII (U+00E9); " + advice);
  CHECK(fault_of("a = \"caf\xc3\xa9\"\n") ==
        "1: byte 9 (0xc3): a character that is not ASCII (U+00E9); " + advice);
  CHECK(fault_of("# caf\xc3\xa9\na = 1\n") ==
        "1: byte 6 (0xc3): a character that is not ASCII (U+00E9); " + advice);
  CHECK(fault_of("[\"\xc3\xa9\"]\n").rfind("1: byte 3 (0xc3): a character that is not ASCII", 0) ==
        0);
  CHECK(fault_of("s = '\xf0\x9f\x98\x80'\n")
            .find("(U+1F600); expected ASCII text: inside a \"double-quoted string\" write it as "
                  "\\U0001F600") != std::string::npos);
  // The inputs the fuzzers found, each through another of toml++'s whitespace checks.
  CHECK(fault_of("nss =9s'\xef\xbb\x8a\"\"\"").rfind("1: byte 9 (0xef): ", 0) == 0);
  CHECK(fault_of("a = \"\"\"x\\\xc3\xa9\"\"\"\n").rfind("1: byte 10 (0xc3): ", 0) == 0);
  // A byte-order mark at the start is not text (toml++ skips it); anywhere else it is.
  CHECK_FALSE(check_toml_text("\xef\xbb\xbf"
                              "a = 1\n")
                  .has_value());
  CHECK(fault_of("a = 1\xef\xbb\xbf\n").find("(U+FEFF)") != std::string::npos);
}

TEST_CASE("a table header's name starts with a key character or quote") {
  CHECK(fault_of("[# x]\n") == "1: byte 2 (0x23): not the start of a table name; expected a name "
                               "such as [titration] after the bracket");
  CHECK(fault_of("[[ +x]]\n").rfind("1: byte 4 (0x2b): not the start", 0) == 0);
  // After a byte-order mark, the first line still starts at the bracket (found by fuzzing).
  CHECK(fault_of("\xef\xbb\xbf[\\").rfind("1: byte 5 (0x5c): not the start", 0) == 0);
  // A line starting with '[' inside a multi-line array is a value, not a header.
  CHECK_FALSE(check_toml_text("a = [\n[1, 2],\n[3]\n]\n[b]\nc = 1\n").has_value());
  // A '[' or '#' inside a string is not a header or a comment.
  CHECK_FALSE(check_toml_text("a = \"[#\"\nb = '''\n[#x]\n'''\n").has_value());
}

TEST_CASE("a '}' inside an array is refused") {
  CHECK(fault_of("a = [1, }\n") ==
        "1: byte 9 (0x7d): a '}' that closes no inline table; expected a value or ']'");
  CHECK_FALSE(check_toml_text("a = [{b = 1}, {c = [2, 3]}]\nd = \"\"\"x\\ty\"\"\"\n").has_value());
}

TEST_CASE("arrays and inline tables nested deeper than 32 are refused at the 33rd bracket") {
  // 32 deep passes this check (toml++ then reads it); 33 is refused at its opening bracket,
  // byte 37 of the line: "a = " is 4 bytes, then 32 brackets.
  const std::string deep32 = "a = " + std::string(32, '[') + std::string(32, ']') + "\n";
  CHECK_FALSE(check_toml_text(deep32).has_value());
  const std::string deep33 = "a = " + std::string(33, '[') + std::string(33, ']') + "\n";
  CHECK(fault_of(deep33) == "1: byte 37 (0x5b): arrays or tables nested more than 32 deep; "
                            "expected the flat layout of the schema");
  // Inline tables count too, and brackets in strings or comments do not.
  std::string tables = "a = ";
  for (int i = 0; i < 33; ++i)
    tables += "{b = ";
  CHECK(fault_of(tables + "1" + std::string(33, '}') + "\n").find("nested more than 32") !=
        std::string::npos);
  CHECK_FALSE(
      check_toml_text("a = \"" + std::string(100, '[') + "\" # " + std::string(100, '{') + "\n")
          .has_value());
  // 100,000 brackets (the stack overflow this bound prevents) are refused at once.
  CHECK(fault_of("a = " + std::string(100000, '[')).find("nested more than 32") !=
        std::string::npos);
}
