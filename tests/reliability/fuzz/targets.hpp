#pragma once
// The fuzzed entry points, shared by the libFuzzer targets (fuzz_*.cpp, built by run.sh with
// clang) and by the regression test (../fuzz_regression_test.cpp, built with the project).
// Each takes arbitrary bytes and calls a parser. A typed titrate::Error (bad input, bad data) is
// the expected answer to garbage and is swallowed; any other exception escapes (a bug), and a
// broken invariant on a parse that succeeded aborts via fuzz_check (a bug).
#include "planner/core/errors.hpp"

#include <string>
#include <string_view>

namespace titrate {
struct Formulary;
struct Vocabulary;
} // namespace titrate

namespace titrate::fuzz {

void score_csv(std::string_view bytes);    // parse_score_csv, parse_adverse_effect_csv, read_csv
void patient_file(std::string_view bytes); // parse_patient_file
void formulary(std::string_view bytes);    // parse_monograph, parse_vocabulary, parse_switching
void date_time(std::string_view bytes);    // parse_date, parse_local_datetime, PainScore::parse
void pathway(std::string_view bytes);      // parse_pathway with the shipped formulary
void web_form(std::string_view bytes);     // the web's score, side-effect and plan-draft forms
void web_json(std::string_view bytes);     // the web API's score body (POST .../scores)

bool message_is_utf8(const char *message);

// Aborts with `what` when `ok` is false (libFuzzer reports the input that got there).
void fuzz_check(bool ok, const char *what);

// A file of the source tree, as bytes ("" if it cannot be read).
std::string shipped_file(const char *relative_path);
// formulary/vocabulary.toml, parsed once; an empty vocabulary if it does not load.
const Vocabulary &shipped_vocabulary();
// formulary/*.toml, loaded once; an empty formulary if it does not load.
const Formulary &shipped_formulary();

// Runs f; a typed titrate::Error is the documented answer to bad input and is swallowed.
template <typename F> void expect_only_typed_errors(F f) {
  try {
    f();
  } catch (const Error &) {
  }
}

// The same, for answers the web sends: the message goes into a JSON body, so it must be valid
// UTF-8 (nlohmann::json::dump throws otherwise, and the caller would get a 500, not a 400).
template <typename F> void expect_only_sendable_errors(F f) {
  try {
    f();
  } catch (const Error &e) {
    fuzz_check(message_is_utf8(e.what()), "error message is not valid UTF-8");
  }
}

} // namespace titrate::fuzz
