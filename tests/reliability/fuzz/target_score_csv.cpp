// The score_csv fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"

namespace titrate::fuzz {

void score_csv(std::string_view bytes) {
  const bool need_id = !bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 1);
  expect_only_typed_errors([&] {
    const auto rows = parse_score_csv(bytes, "f.csv", need_id);
    int last_line = 0;
    for (const auto &r : rows) {
      fuzz_check(r.score.value() >= 0 && r.score.value() <= 10, "score outside 0-10");
      fuzz_check(r.line > last_line, "row lines not increasing");
      fuzz_check(r.at.minute_of_day >= 0 && r.at.minute_of_day < 1440,
                 "minute_of_day outside a day");
      fuzz_check(!need_id || !r.patient_id.empty(), "import row without a patient id");
      last_line = r.line;
    }
  });
  expect_only_typed_errors([&] { (void)parse_adverse_effect_csv(bytes, "a.csv"); });
  const auto csv = read_csv(bytes, "r.csv");
  int last = 0;
  for (const auto &r : csv.records) {
    fuzz_check(r.line > last, "record lines not increasing");
    last = r.line;
  }
}

} // namespace titrate::fuzz
