// The small readers every formulary file's parser uses (parse_common.hpp).
#include "planner/formulary/parse_common.hpp"

#include "planner/core/errors.hpp"

namespace titrate::formulary_parse {

std::string idx(const std::string &k, std::size_t i) {
  return k + "[" + std::to_string(i + 1) + "]";
}

bool is_vocab_word(const std::string &s) {
  if (s.empty())
    return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
      return false;
  return s.front() != '-' && s.back() != '-';
}

// `confidence = "low" | "medium" | "medium-high" | "high"` (clinical.md H): optional; a low
// figure must also be verified = false (H: "where a figure is low, encode it with
// verified = false").
void read_confidence(Table &t, Citation &c) {
  auto s = t.str("confidence", false);
  if (!s)
    return;
  if (!is_confidence(*s)) {
    t.fault("confidence", "\"" + *s +
                              "\" is not a confidence; expected low, medium, medium-high "
                              "or high (clinical.md H)");
    return;
  }
  if (*s == "low" && c.verified) {
    t.fault("confidence", "is low but the figure is verified; expected verified = false with "
                          "confidence = \"low\" (clinical.md H)");
  }
  c.confidence = *s;
}

// Fills a Rule from text/severity/source (+ optional max_daily_mg); `id` is derived by the caller.

} // namespace titrate::formulary_parse
