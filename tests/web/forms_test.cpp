// The web's form and JSON body readers (planner/web/forms.hpp), as the handlers call them: each
// value read, each fault an InputError naming the field and what was expected.
#include "planner/core/errors.hpp"
#include "planner/web/forms.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::web;
using Catch::Contains;

namespace {

const Date kToday(2026, 12, 1);
const LocalDateTime kNow{kToday, 10 * 60 + 30};

template <typename F> std::string error_of(F f) {
  return test::thrown_message<InputError>(f, "(no InputError)");
}

} // namespace

TEST_CASE("form_field gives the first value of a field, or nothing") {
  const FormFields f{{"score", "7"}, {"score", "3"}, {"note", ""}};
  CHECK(form_field(f, "score") == "7");
  CHECK(form_field(f, "note").empty());
  CHECK(form_field(f, "missing").empty());
}

TEST_CASE("the pain-score form is logged now, with its note") {
  const ScoreEntry s = score_from_form({{"score", "7"}, {"note", "after the walk"}}, kNow, kToday);
  CHECK(s.score.value() == 7);
  CHECK(s.at == kNow);
  CHECK(s.note == "after the walk");
  CHECK_THAT(error_of([&] {
               (void)score_from_form({{"score", "11"}}, kNow, kToday);
             }),
             Contains("\"11\" is not a pain score"));
  CHECK_THAT(error_of([&] { (void)score_from_form({}, kNow, kToday); }), Contains("score"));
}

TEST_CASE("the side-effect form needs a description and a severity") {
  const AdverseEffect ae =
      adverse_effect_from_form({{"description", "nausea"}, {"severity", "moderate"}}, kNow, kToday);
  CHECK(ae.description == "nausea");
  CHECK(ae.severity == AeSeverity::moderate);
  CHECK(ae.at == kNow);
  CHECK_THAT(
      error_of([&] {
        (void)adverse_effect_from_form({{"description", "nausea"}, {"severity", "awful"}}, kNow,
                                       kToday);
      }),
      Contains("\"awful\" is not a severity; expected mild, moderate, severe or intolerable"));
}

TEST_CASE("the plan-draft form: a start date, a pathway name, an optional drug, submit or not") {
  const PlanDraftForm f = plan_draft_from_form(
      {{"start", "2026-12-02"}, {"pathway", "cipn-esmo"}, {"prefer", " "}, {"submit", "1"}});
  CHECK(f.start == Date(2026, 12, 2));
  CHECK(f.pathway == "cipn-esmo");
  CHECK_FALSE(f.prefer.has_value());
  CHECK(f.submit);
  const PlanDraftForm g = plan_draft_from_form({{"start", "2026-12-02"}, {"prefer", "gabapentin"}});
  CHECK(g.prefer == std::optional<std::string>("gabapentin"));
  CHECK_FALSE(g.submit);
  CHECK_THAT(error_of([&] {
               (void)plan_draft_from_form({{"start", "2026-02-30"}});
             }),
             Contains("start: \"2026-02-30\" is not a date"));
}

TEST_CASE("the API's score body: score as number or text, at and note optional, nothing else") {
  const ScoreEntry s =
      score_from_json(R"({"at": "2026-12-01T07:30", "score": 5, "note": "ok"})", kNow, kToday);
  CHECK(s.score.value() == 5);
  CHECK(s.at == LocalDateTime{kToday, 7 * 60 + 30});
  CHECK(s.note == "ok");
  CHECK(score_from_json(R"({"score": "3", "at": null, "note": null})", kNow, kToday).at == kNow);
  CHECK(error_of([&] { (void)score_from_json("not json", kNow, kToday); }) ==
        "body: not JSON; expected {\"at\": D, \"score\": N, \"note\": T}");
  CHECK(error_of([&] { (void)score_from_json("[5]", kNow, kToday); }) ==
        "body: expected a JSON object {\"at\", \"score\", \"note\"}");
  CHECK(error_of([&] { (void)score_from_json(R"({"score": 5, "who": "x"})", kNow, kToday); }) ==
        "body: unknown field \"who\"; expected at, score, note");
  CHECK(error_of([&] { (void)score_from_json(R"({"note": "x"})", kNow, kToday); }) ==
        "score: missing; expected a whole number 0-10");
  CHECK(error_of([&] { (void)score_from_json(R"({"score": 5.5})", kNow, kToday); }) ==
        "score: 5.5 is not a whole number 0-10");
  CHECK(error_of([&] { (void)score_from_json(R"({"score": 5, "at": 7})", kNow, kToday); }) ==
        "at: expected \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM\"");
  CHECK(error_of([&] { (void)score_from_json(R"({"score": 5, "note": 7})", kNow, kToday); }) ==
        "note: expected text");
  CHECK_THAT(
      error_of([&] { (void)score_from_json(R"({"score": 5, "at": "2026-12-02"})", kNow, kToday); }),
      Contains("after today"));
}

TEST_CASE("a bad value is quoted cut between characters, so the JSON reply can carry the message") {
  const std::string key = std::string(31, 'k') + "\xc3\xa9zz";
  CHECK(error_of([&] {
          (void)score_from_json("{\"" + key + "\": 1, \"score\": 5}", kNow, kToday);
        }) == "body: unknown field \"" + std::string(31, 'k') + "\"; expected at, score, note");
  CHECK(error_of([&] {
          (void)adverse_effect_from_form({{"description", "nausea"}, {"severity", "e\xa0\x12"}},
                                         kNow, kToday);
        }) ==
        "severity: \"e??\" is not a severity; expected mild, moderate, severe or intolerable");
}
