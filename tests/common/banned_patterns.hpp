#pragma once
// The search behind the wording checks of printed output (the exporters' ISMP list in
// tests/export, the CLI's words in tests/cli): each check keeps its own list of what must never
// be printed; this finds which of them a text shows.
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace titrate::test {

// A regular expression and what a match of it is ("trailing zero").
using BannedPattern = std::pair<const char *, const char *>;

// For each pattern of `banned` found in `text`, in list order: its `what`, then `before_match`,
// then the first match in quotes ("trailing zero: found \"5.0\"").
inline std::vector<std::string> banned_found(const std::string &text,
                                             const std::vector<BannedPattern> &banned,
                                             const std::string &before_match) {
  std::vector<std::string> found;
  for (const auto &[pattern, what] : banned) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex(pattern)))
      found.push_back(std::string(what) + before_match + "\"" + m.str() + "\"");
  }
  return found;
}

} // namespace titrate::test
