// One wording in every view: a plan switched for an intolerable effect, seen through `plan`,
// `review show`, `schedule`, `schedule --on`, `export --format text`, `assess` and `due`. Each view
// that shows the plan shows the same dose lines, the stop, the reason for the switch and every
// warning; none prints a symbol, a trailing zero or an "end excluded" range (clinical.md F).
//
// The figures are those of the hand-checked golden course g02 (clinical.md G #1 with a nausea
// judged intolerable on 2026-12-05): duloxetine 30 mg from 2026-12-01, cross-taper at 20 mg
// 2026-12-05 through 2026-12-11 (clinical.md H7, DUL taper), stop from 2026-12-12, gabapentin
// 300 mg in the evening from 2026-12-05 (A3). Sertraline on the profile adds the serotonergic
// caution (DUL-US 7) that every view must carry with stage 1.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"
#include "tests/common/banned_patterns.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace titrate::test;
using Catch::Contains;

namespace {

// What clinical.md F (ISMP) and the inclusive-date convention forbid in text for people.
std::vector<std::string> wording_faults(const std::string &shown) {
  // A name typed as a command's option stays as the user types it.
  const std::string text = std::regex_replace(shown, std::regex(R"(--[a-z-]+ duloxetine)"), "--x");
  static const std::vector<BannedPattern> banned = {
      {R"(\d\.0+\b)", "trailing zero"},
      {R"((^|[^0-9])\.\d)", "naked decimal"},
      {R"( \+ |<|>)", "symbol instead of a word"},
      {R"(\bx \d)", "'x N' instead of a count in words"},
      {R"(end excluded)", "a half-open range shown to people"},
      {R"(\d{4,} ?mg)", "1,000 or more without a comma"},
      {R"(\b(QD|qd|OD|QOD|HS|hs|QHS|qhs|BID|TID|bid|tid)\b)", "Latin abbreviation"},
      // Tall man (clinical.md H20) except in rule ids (renal.duloxetine) and typed options.
      {R"((^|[^.\w-])duloxetine)", "duloxetine not in tall man"},
  };
  return banned_found(text, banned, ": ");
}

} // namespace

TEST_CASE(
    "one wording: every view of a switched plan shows the same doses, stop, reason and warnings") {
  TempDir d;
  run_ok(d, clin(d, "2026-11-25",
                 {"patient", "add", "W1", "--birth-date", "1971-06-15", "--sex", "female",
                  "--weight-kg", "65", "--creatinine-mg-dl", "0.8", "--medication", "sertraline",
                  "--baseline-pain", "7"}));
  const auto v1 = run_ok(d, clin(d, "2026-11-25",
                                 {"plan", "W1", "--start", "2026-12-01", "--prefer", "duloxetine",
                                  "--reason", "chosen with the patient", "--submit"}));
  run_ok(d, pharm(d, "2026-11-26", {"review", "approve", "W1", "--version", "1"}));
  run_ok(d, as(d, "W1", "patient", "2026-12-05",
               {"log", "W1", "--adverse-effect", "nausea", "--severity", "intolerable", "--at",
                "2026-12-05T07:30"}));
  const auto assessed = run_ok(d, clin(d, "2026-12-05", {"assess", "W1", "--apply"}));
  const auto v2 = run_ok(d, clin(d, "2026-12-05", {"plan", "W1", "--submit"}));
  const auto shown = run_ok(d, pharm(d, "2026-12-05", {"review", "show", "W1", "--version", "2"}));
  run_ok(d, pharm(d, "2026-12-05", {"review", "approve", "W1", "--version", "2"}));
  const auto schedule = run_ok(d, as(d, "W1", "patient", "2026-12-05", {"schedule", "W1"}));
  const auto day =
      run_ok(d, as(d, "W1", "patient", "2026-12-05", {"schedule", "W1", "--on", "2026-12-05"}));
  const auto text = run_ok(d, clin(d, "2026-12-05", {"export", "W1", "--format", "text"}));
  const auto due = run_ok(d, clin(d, "2026-12-05", {"due", "--within", "60"}));

  const std::string taper_dose = "in the morning: DULoxetine 20 mg, take 1 capsule of 20 mg";
  const std::string gaba_dose = "in the evening: gabapentin 300 mg, take 1 capsule of 300 mg";
  const std::string stop = "Stop DULoxetine from 2026-12-12 (last dose on 2026-12-11)";
  const std::string why = "why DULoxetine stops (assessment of 2026-12-05): intolerable adverse "
                          "effect on DULoxetine: nausea (logged 2026-12-05)";
  const std::string warning = "Warning (caution): serotonergic medicine: risk of serotonin "
                              "syndrome (sertraline) [interaction.serotonergic; source: DUL-US 7]";

  SECTION("the plan's views agree line for line") {
    for (const auto *view : {&v2, &shown, &schedule}) {
      INFO(view->out);
      CHECK_THAT(view->out, Contains("  from 2026-12-05 through 2026-12-11 (7 days): 20 mg a day, "
                                     "once daily\n    " +
                                     taper_dose + "\n"));
      CHECK_THAT(view->out, Contains("  on 2026-12-05 (1 day): 300 mg a day, once daily\n    " +
                                     gaba_dose + "\n"));
      CHECK_THAT(view->out, Contains("  " + stop + "\n"));
      CHECK_THAT(view->out, Contains("  Note: " + why));
      CHECK_THAT(view->out, Contains("  " + warning + "\n"));
    }
    // The warning was there from the first version on.
    CHECK_THAT(v1.out, Contains("  " + warning + "\n"));
  }
  SECTION("the day, the text export and the diff use the same phrases") {
    CHECK_THAT(day.out,
               Contains("    " + taper_dose + "\n") && Contains("    " + gaba_dose + "\n"));
    CHECK_THAT(text.out, Contains("\nOn 2026-12-05 (1 day)\n  In the morning: DULoxetine 20 mg, "
                                  "take 1 capsule of 20 mg\n  In the evening: gabapentin 300 mg, "
                                  "take 1 capsule of 300 mg\n"));
    CHECK_THAT(text.out, Contains("STOPPING") && Contains("  " + stop + "\n"));
    CHECK_THAT(text.out, Contains("  DULoxetine: " + warning + "\n"));
    CHECK_THAT(text.out, Contains("  DULoxetine cross-taper: " + why));
    // The pharmacist's diff: the cross-taper stage is new, with its dose, stop and reason.
    CHECK_THAT(shown.out, Contains("changes against approved version 1:"));
    // In short first (checked by hand against g02: the switch on 2026-12-05 ends the trial the
    // day before; gabapentin 300, 600, then 900 mg from 12-07 rising 300 mg a week to 1,800 mg
    // on 12-28, held 14 days).
    CHECK_THAT(shown.out,
               Contains("changes against approved version 1:\n"
                        "  in short: DULoxetine trial changed: last dose on 2026-12-04 (was "
                        "2026-12-21); no decision date (was 2026-12-22)\n"
                        "  in short: DULoxetine cross-taper added: starts on 2026-12-05 at 20 mg a "
                        "day, last dose on 2026-12-11\n"
                        "  in short: gabapentin trial added: starts on 2026-12-05 at 300 mg a day, "
                        "the assessed dose 1,800 mg a day from 2026-12-28, decision on "
                        "2027-01-11\n"));
    CHECK_THAT(shown.out, Contains("  added    Stage 2: DULoxetine, cross-taper\n"));
    CHECK_THAT(shown.out, Contains("  added        " + taper_dose + "\n"));
    CHECK_THAT(shown.out, Contains("  added      " + stop + "\n"));
    CHECK_THAT(shown.out, Contains("           Stage 1: DULoxetine, trial\n"));
    CHECK_THAT(shown.out, Contains("  removed    Decision date: 2026-12-22\n"));
    // The pharmacist sees the verdicts in the same words, and the trailer once, at the end.
    CHECK_THAT(shown.out, Contains("  DULoxetine: caution"));
    CHECK(shown.out.find("Decision support only") == shown.out.rfind("Decision support only"));
    CHECK(shown.out.size() > 43);
    CHECK(shown.out.substr(shown.out.size() - 43) ==
          "Decision support only; not medical advice.\n");
  }
  SECTION("assess and due speak the same way") {
    CHECK_THAT(assessed.out, Contains("Assessment for patient W1 on 2026-12-05: DULoxetine"));
    CHECK_THAT(due.out, Contains("W1  gabapentin  decision date ") && Contains(" through "));
  }
  SECTION(
      "no view prints a symbol, a trailing zero, a half-open range or a lower-case DULoxetine") {
    for (const auto *view : {&v1, &assessed, &v2, &shown, &schedule, &day, &text, &due}) {
      INFO(view->out);
      for (const auto &f : wording_faults(view->out))
        FAIL_CHECK(f);
    }
  }
}

TEST_CASE("wording faults are found (the checker can fail)") {
  CHECK_FALSE(wording_faults("CrCl 25.0 mL/min").empty());
  CHECK_FALSE(wording_faults("300 mg capsule x 2").empty());
  CHECK_FALSE(wording_faults("1 capsule + 1 capsule").empty());
  CHECK_FALSE(wording_faults("CrCl >= 30").empty());
  CHECK_FALSE(wording_faults("window 2026-12-15 to 2026-12-22 (end excluded)").empty());
  CHECK_FALSE(wording_faults("take duloxetine 30 mg").empty());
  CHECK(wording_faults("take DULoxetine 30 mg [renal.duloxetine] (--prefer duloxetine)").empty());
}
