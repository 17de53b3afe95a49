// Printable schedule. The golden file golden/schedule_draft.txt was checked BY HAND, line by
// line, against the spec (style.md "Printed output", clinical.md F) and against the
// hand-built plan in support.cpp: day runs split at every step boundary, doses per time of day,
// daily totals, assessment dates 2026-12-22 (2026-12-08 + 14 d) and 2027-01-21.
#include "planner/core/errors.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/text.hpp"
#include "planner/export/words.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace titrate;
using namespace titrate::test;

TEST_CASE("text schedule matches the hand-checked golden file") {
  Sample s;
  check_golden("schedule_draft.txt", exported(write_text, s));
}

TEST_CASE("text schedule states the pharmacist's approval or its absence") {
  Sample s;
  CHECK_THAT(exported(write_text, s), Catch::Contains("NOT YET APPROVED"));
  s.context = sample_context(ReviewState::submitted, 2);
  CHECK_THAT(exported(write_text, s), Catch::Contains("NOT YET APPROVED"));
  s.context = sample_context(ReviewState::approved, 2);
  const std::string approved = exported(write_text, s);
  CHECK_THAT(approved, Catch::Contains("Approved by pharmacist Ana Ruiz on 2026-11-30 at 14:05."));
  CHECK_THAT(approved, Catch::Contains("Plan version 2"));
  CHECK_THAT(approved, !Catch::Contains("NOT YET APPROVED"));
  s.context = sample_context(ReviewState::rejected, 2);
  const std::string rejected = exported(write_text, s);
  CHECK_THAT(rejected, Catch::Contains("NOT APPROVED: a pharmacist rejected this plan"));
  CHECK_THAT(rejected, !Catch::Contains("Approved by"));
}

TEST_CASE("text schedule uses ISMP-safe wording") {
  Sample s;
  const std::string text = exported(write_text, s);
  CHECK(ismp_violations(text).empty());
  for (const auto &v : ismp_violations(text))
    FAIL_CHECK(v);
  CHECK_THAT(text, Catch::Contains("1,800 mg"));
  CHECK_THAT(text, Catch::Contains("At bedtime: gabapentin 300 mg, take 1 capsule of 300 mg"));
  CHECK_THAT(text, Catch::Contains("DULoxetine 60 mg, take 1 capsule of 60 mg"));
  CHECK_THAT(text, !Catch::Contains("duloxetine")); // tall man wherever the name is printed
  CHECK(text.substr(text.size() - 43) == "Decision support only; not medical advice.\n");
}

TEST_CASE("unit wording keeps the leading zero and the thousands comma") {
  CHECK(words::units({UnitCount{Dose::micrograms(500), Form::tablet, 1}}) == "1 tablet of 0.5 mg");
  CHECK(words::units({UnitCount{Dose::milligrams(1000), Form::tablet, 2}}) ==
        "2 tablets of 1,000 mg");
  CHECK(words::units({UnitCount{Dose::micrograms(12500), Form::capsule, 3},
                      UnitCount{Dose::milligrams(10), Form::capsule, 1}}) ==
        "3 capsules of 12.5 mg and 1 capsule of 10 mg");
}

TEST_CASE("text export is deterministic and refuses a bad context") {
  Sample s;
  CHECK(exported(write_text, s) == exported(write_text, s));
  s.context.plan_version = -1;
  CHECK_THROWS_AS(exported(write_text, s), InputError);
  // 0 is a draft shown without being stored (plan --patient-file --format); never approved.
  s.context.plan_version = 0;
  CHECK_THAT(exported(write_text, s), Catch::Contains("Plan not stored (preview)"));
  s.context.review = ReviewState::approved;
  CHECK_THROWS_AS(exported(write_text, s), InputError);
}

TEST_CASE("text schedule shows a washout gap between medicines") {
  Sample s;
  // Sequential switch by hand: the taper ends 2027-01-12 (half-open), gabapentin starts
  // 2027-01-15, so 2027-01-12 to 2027-01-14 (3 days) has no dose.
  auto &gab = s.plan.stages[2];
  gab.steps.resize(1);
  gab.steps[0].range = DateRange(parse_date("2027-01-15"), parse_date("2027-01-16"));
  const std::string text = exported(write_text, s);
  CHECK_THAT(text,
             Catch::Contains("\nFrom 2027-01-12 through 2027-01-14 (3 days)\n"
                             "  No medicine from this plan on these days (gap between medicines).\n"
                             "\nOn 2027-01-15 (1 day)\n"
                             "  At bedtime: gabapentin 300 mg, take 1 capsule of 300 mg\n"));
}

// clinical.md H14 (G2 #16): the post-dialysis supplement is its own line, naming the dialysis
// weekdays; 300 mg once daily -> 350 mg after each session. 350 mg has no whole-unit form in the
// sample's strengths (300 and 600 mg), so the line says the pharmacist supplies it.
TEST_CASE("text schedule: the haemodialysis supplement on the dialysis weekdays only") {
  Formulary f = sample_formulary();
  Monograph *g = nullptr;
  for (auto &m : f.drugs)
    if (m.name == "gabapentin")
      g = &m;
  REQUIRE(g != nullptr);
  Haemodialysis hd;
  hd.supplements = {{Dose::milligrams(300), Dose::milligrams(350)}};
  hd.cite = {"Neurontin US PI 2.3 Table 1", true};
  g->haemodialysis = hd;
  Patient p = sample_patient();
  p.dialysis = Dialysis{"haemodialysis", {Weekday::monday, Weekday::wednesday, Weekday::friday}};
  Plan plan;
  plan.patient = p.id;
  plan.pathway = "cipn-esmo";
  plan.start = Date(2026, 12, 1);
  Stage s;
  s.drug = "gabapentin";
  Step st;
  st.range = DateRange(Date(2026, 12, 1), Date(2026, 12, 8));
  st.daily = Dose::milligrams(300);
  st.doses = {
      {AdminTime::evening, Dose::milligrams(300), {{Dose::milligrams(300), Form::capsule, 1}}}};
  s.steps = {st};
  plan.stages = {s};
  const std::vector<ScoreEntry> scores;
  const ExportContext ctx = sample_context();
  std::ostringstream out;
  write_text(out, ExportInput{plan, p, f, scores, ctx});
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("After each haemodialysis session (Monday, Wednesday and Friday "
                                   "only): gabapentin 350 mg (supplement with 300 mg once daily); "
                                   "350 mg cannot be made from the stocked capsules and tablets"));
  CHECK(ismp_violations(text).empty());
  // Without dialysis days in the profile: no such line.
  p.dialysis.reset();
  std::ostringstream none;
  write_text(none, ExportInput{plan, p, f, scores, ctx});
  CHECK_THAT(none.str(), !Catch::Contains("haemodialysis session"));
}

// The pharmacist's "in short" (issue 15 item 2): one sentence per stage that changed. Each
// expected sentence below was written by hand from the dates of support.cpp's plans (half-open
// ranges: a step to 2026-12-29 has its last dose on 2026-12-28).
TEST_CASE("words::changes says in sentences what a new version changes, stage by stage") {
  const Formulary f = sample_formulary();
  const Plan one = short_plan();  // duloxetine 30 mg 12-01..07, 60 mg 12-08..28, decision 12-22
  const Plan all = sample_plan(); // and a duloxetine taper, a gabapentin trial from 12-29
  using V = std::vector<std::string>;
  CHECK(words::changes(nullptr, all, f).empty()); // nothing approved before: all of it is new
  CHECK(words::changes(&all, all, f).empty());
  const V added = words::changes(&one, all, f);
  CHECK(added == V{"DULoxetine taper added: starts on 2026-12-29 at 30 mg a day, last dose on "
                   "2027-01-11",
                   "gabapentin trial added: starts on 2026-12-29 at 300 mg a day, the assessed "
                   "dose 1,800 mg a day from 2027-01-07, decision on 2027-01-21"});
  const V removed = words::changes(&all, one, f);
  CHECK(removed == V{"DULoxetine taper removed (was from 2026-12-29 through 2027-01-11)",
                     "gabapentin trial removed (was from 2026-12-29 through 2027-01-20)"});
  // An escalation on the decision date: 90 mg from 2026-12-22 held 14 days.
  Plan up = one;
  Stage &t = up.stages[0];
  Step higher = t.steps[1];
  higher.daily = Dose::milligrams(90);
  higher.range = DateRange(Date(2026, 12, 22), Date(2027, 1, 19));
  t.steps[1].range = DateRange(Date(2026, 12, 8), Date(2026, 12, 22));
  t.steps.push_back(higher);
  t.assessed_dose = Dose::milligrams(90);
  t.target_reached = Date(2026, 12, 22);
  t.decision_date = Date(2027, 1, 5);
  const V escalated = words::changes(&one, up, f);
  CHECK(escalated ==
        V{"DULoxetine trial changed: 90 mg a day from 2026-12-22 (was 60 mg a day); last dose on "
          "2027-01-18 (was 2026-12-28); decision on 2027-01-05 (was 2026-12-22); assessed dose "
          "90 mg a day (was 60 mg a day)"});
  for (const auto *v : {&added, &removed, &escalated})
    for (const auto &sentence : *v)
      CHECK(ismp_violations(sentence).empty());
}
