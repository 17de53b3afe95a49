// The web_form and web_json fuzz entries (targets.hpp): the pure readers of planner/web/forms.hpp
// that the server's handlers call.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/web/forms.hpp"
#include "tests/reliability/hex_digit.hpp"

namespace titrate::fuzz {

namespace {

const Date today(2026, 12, 1);
const LocalDateTime now{today, 10 * 60};

// application/x-www-form-urlencoded -> fields: split on '&', then on the first '='; "+" is a
// space and %XX a byte. The server's own decoding is cpp-httplib's (compiled, not fuzzed here);
// this one only has to reach every byte value in every field.
web::FormFields decode_form(std::string_view body) {
  const auto decode = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size() && test::hex_digit(s[i + 1]) >= 0 &&
                 test::hex_digit(s[i + 2]) >= 0) {
        out += static_cast<char>(test::hex_digit(s[i + 1]) * 16 + test::hex_digit(s[i + 2]));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  web::FormFields fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const auto eq = pair.find('=');
    fields.emplace(decode(pair.substr(0, eq)),
                   eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
    if (amp == std::string_view::npos)
      break;
    body.remove_prefix(amp + 1);
  }
  return fields;
}

void check_score(const ScoreEntry &s) {
  fuzz_check(s.score.value() >= 0 && s.score.value() <= 10, "score outside 0-10");
  fuzz_check(s.at.date <= today, "score dated after today");
  fuzz_check(s.at.minute_of_day >= 0 && s.at.minute_of_day < 1440, "minute_of_day outside a day");
  fuzz_check(is_valid_utf8(s.note), "note is not valid UTF-8");
}

} // namespace

// The first byte picks the form (a third each), the rest is its urlencoded body.
void web_form(std::string_view bytes) {
  if (bytes.empty())
    return;
  const auto form = static_cast<unsigned char>(bytes[0]) % 3;
  const web::FormFields fields = decode_form(bytes.substr(1));
  if (form == 0) {
    expect_only_sendable_errors([&] { check_score(web::score_from_form(fields, now, today)); });
  } else if (form == 1) {
    expect_only_sendable_errors([&] {
      const AdverseEffect ae = web::adverse_effect_from_form(fields, now, today);
      fuzz_check(!ae.description.empty() && is_valid_utf8(ae.description),
                 "side effect without a valid description");
    });
  } else {
    expect_only_sendable_errors([&] {
      const web::PlanDraftForm f = web::plan_draft_from_form(fields);
      fuzz_check(!f.start.is_special(), "plan draft without a start date");
      fuzz_check(!f.prefer || !f.prefer->empty(), "empty preferred drug");
    });
  }
}

void web_json(std::string_view bytes) {
  expect_only_sendable_errors([&] { check_score(web::score_from_json(bytes, now, today)); });
}

} // namespace titrate::fuzz
