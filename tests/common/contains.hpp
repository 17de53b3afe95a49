#pragma once
// One CHECK for each part a text must contain: for tests that read a page, a message or an
// output for several pieces in a row.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>

namespace titrate::test {

// CHECK_THAT(text, Contains(part)) for each part, one CHECK a part.
inline void check_contains_all(const std::string &text, std::initializer_list<std::string> parts) {
  for (const auto &part : parts)
    CHECK_THAT(text, Catch::Contains(part));
}

} // namespace titrate::test
