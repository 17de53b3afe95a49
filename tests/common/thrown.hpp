#pragma once
// The message a parser's typed error carries, for tests that compare what a bad input is told.

#include <string>

namespace titrate::test {

// The what() of the `Error` that `f()` throws, or `if_none` when it throws nothing. Any other
// exception passes through (the test fails on it).
template <typename Error, typename F> std::string thrown_message(F f, const std::string &if_none) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return if_none;
}

// The error_of of a parser's tests: a function of a text to the what() of the `Error` that
// `parse(text)` throws, or "(no error)" when the text parses.
template <typename Error, typename Parse> auto parse_error_of(Parse parse) {
  return [parse](const std::string &text) {
    return thrown_message<Error>([&] { (void)parse(text); }, "(no error)");
  };
}

} // namespace titrate::test
