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

} // namespace titrate::test
