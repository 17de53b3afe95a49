// The date_time fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/date.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/pain_score.hpp"

#include <string>

namespace titrate::fuzz {

void date_time(std::string_view bytes) {
  expect_only_typed_errors([&] {
    const Date d = parse_date(bytes);
    fuzz_check(iso(d) == bytes, "parse_date accepted a non-canonical form");
  });
  expect_only_typed_errors([&] {
    const LocalDateTime t = parse_local_datetime(bytes);
    fuzz_check(t.minute_of_day >= 0 && t.minute_of_day < 1440, "minute_of_day outside a day");
    fuzz_check(parse_local_datetime(iso(t)) == t, "date-time does not survive iso() and back");
  });
  expect_only_typed_errors([&] {
    const PainScore s = PainScore::parse(bytes);
    fuzz_check(std::to_string(s.value()) == bytes, "score accepted a non-canonical form");
  });
}

} // namespace titrate::fuzz
