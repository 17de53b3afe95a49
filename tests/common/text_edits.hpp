#pragma once
// Tests of a parser's messages that start from a valid example text and change one piece of it
// (the formulary, patient-file and pathway tests).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace titrate::test {

// `text` with its first `from` replaced by `to`; `from` must be in it.
inline std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// One change to the example, and the parts the message about the changed text must contain.
struct TextEdit {
  std::string from, to;
  std::vector<std::string> says;
};

// For each edit of `example`: the message error_of(changed text) contains each part of `says`,
// one CHECK a part.
template <typename ErrorOf>
void check_edit_messages(const std::string &example, const std::vector<TextEdit> &edits,
                         ErrorOf error_of) {
  for (const auto &e : edits) {
    INFO("replacing " << e.from << " with " << e.to);
    const std::string message = error_of(replaced(example, e.from, e.to));
    for (const auto &part : e.says)
      CHECK_THAT(message, Catch::Contains(part));
  }
}

} // namespace titrate::test
