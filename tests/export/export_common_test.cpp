// The words of the plan's enumerations as the exporters print and the readers parse them
// (planner/export/export_common.hpp, planner/scheduling/plan.hpp, planner/formulary/monograph.hpp),
// and the exact message of each parser for a word it does not know.
#include "planner/core/errors.hpp"
#include "planner/export/export_common.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace titrate;
using titrate::test::thrown_message;

namespace {
std::string input_error_of(void (*parse)()) {
  return thrown_message<InputError>(parse, "(no InputError)");
}
} // namespace

TEST_CASE("export words: every enumerator prints as its word and parses back") {
  for (const auto s :
       {ReviewState::draft, ReviewState::submitted, ReviewState::approved, ReviewState::rejected})
    CHECK(parse_enum<ReviewState>(to_string(s), "review") == s);
  CHECK(to_string(ReviewState::submitted) == "submitted");
  for (const auto r : {StageRole::trial, StageRole::taper, StageRole::cross_taper}) {
    CHECK(parse_enum<StageRole>(to_string(r), "role") == r);
    CHECK(export_detail::role_word(r) == to_string(r));
  }
  CHECK(to_string(StageRole::cross_taper) == "cross-taper");
  for (const auto t :
       {AdminTime::morning, AdminTime::midday, AdminTime::evening, AdminTime::bedtime}) {
    CHECK(parse_enum<AdminTime>(to_string(t), "time") == t);
    CHECK(export_detail::time_key(t) == to_string(t));
  }
  CHECK(to_string(AdminTime::midday) == "midday");
  CHECK(export_detail::form_word(Form::capsule) == "capsule");
  CHECK(export_detail::form_word(Form::tablet) == "tablet");
  CHECK(to_string(Form::tablet) == "tablet");
}

TEST_CASE("export words: an unknown word is an InputError naming the field and the choices") {
  CHECK(input_error_of([] { (void)parse_enum<ReviewState>("Approved", "plan JSON: review"); }) ==
        "plan JSON: review: \"Approved\" is not a review state; expected draft, submitted, "
        "approved or rejected");
  CHECK(input_error_of([] { (void)parse_enum<StageRole>("crosstaper", "role"); }) ==
        "role: \"crosstaper\" is not a stage role; expected trial, taper or cross-taper");
  CHECK(input_error_of([] { (void)parse_enum<AdminTime>("noon", "times"); }) ==
        "times: \"noon\" is not a time of day; expected morning, midday, evening or bedtime");
  // Review states and stage roles quote at most 32 bytes of the text; a time of day all of it.
  const std::string x40(40, 'x');
  CHECK(input_error_of([] { (void)parse_enum<ReviewState>(std::string(40, 'x'), "review"); }) ==
        "review: \"" + std::string(32, 'x') +
            "\" is not a review state; expected draft, submitted, approved or rejected");
  CHECK(input_error_of([] { (void)parse_enum<StageRole>(std::string(40, 'x'), "role"); }) ==
        "role: \"" + std::string(32, 'x') +
            "\" is not a stage role; expected trial, taper or cross-taper");
  CHECK(input_error_of([] { (void)parse_enum<AdminTime>(std::string(40, 'x'), "time"); }) ==
        "time: \"" + x40 + "\" is not a time of day; expected morning, midday, evening or bedtime");
}
