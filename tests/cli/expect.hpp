#pragma once
// What the CLI transcript tests share beside run.hpp: a run that must succeed (its stdout and
// stderr shown when it does not), and the split of a command line into words.
#include "tests/cli/run.hpp"
#include "tests/common/contains.hpp"

#include <catch2/catch.hpp>

#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace titrate::test {

inline RunResult run_ok(const TempDir &d, const std::vector<std::string> &args,
                        const std::string &input = "") {
  auto r = run_titrate(d, args, input);
  INFO(r.out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

// The patient file (docs/cli.md) of a woman of 65 kg with creatinine 0.8 mg/dL, hepatic function
// normal and no conditions or medicines, born on `birth_date`; a baseline pain line only if given.
inline std::string adult_patient_file(const std::string &id, const std::string &birth_date,
                                      std::optional<int> baseline_pain = std::nullopt) {
  std::string text = "id = \"" + id + "\"\nbirth_date = \"" + birth_date +
                     "\"\nsex = \"female\"\nweight_kg = 65\nserum_creatinine_mg_dl = 0.8\n"
                     "hepatic = \"none\"\nconditions = []\nmedications = []\n";
  if (baseline_pain)
    text += "baseline_pain = " + std::to_string(*baseline_pain) + "\n";
  return text;
}

// "a  b\tc" -> {a, b, c}: the words between runs of white space, quotes kept as they are.
inline std::vector<std::string> blank_separated(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

// "a b \"c d\"" -> {a, b, c d}; "" keeps an empty word.
inline std::vector<std::string> split_words(const std::string &line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any)
        out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any)
    out.push_back(cur);
  return out;
}

} // namespace titrate::test
