#pragma once
// The value of one hexadecimal digit, for the readers of escaped test input: the corpus's \xHH
// (corpus.cpp) and the %XX of a fuzzed form body (fuzz/target_web.cpp).

namespace titrate::test {

// 0 to 15 for 0-9, a-f or A-F; -1 for any other character.
inline int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace titrate::test
