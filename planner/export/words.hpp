#pragma once
// The one wording of titrate for people: a plan, a diff between two versions, one day's doses
// and free text, in the words every human-readable view prints (plan, schedule, review show,
// the text, calendar and FHIR exports, the web pages, which escape them into HTML).
//
// The conventions (clinical.md F, ISMP): no symbols for words (`+`, `<`, `>=`, `x`), no trailing
// zeros, commas from 1,000, a space between name, number and unit, "once daily" and "at bedtime";
// tall man where the monograph has one (clinical.md H20, `DULoxetine`); dates inclusive for
// people ("from 2026-12-01 through 2026-12-07"). Half-open ranges stay in the model and in JSON.
// Pure: no store, no clock.
#include "planner/core/finding.hpp"
#include "planner/export/export_context.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/plan.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace titrate::words {

// What a line is, so that a renderer can show it as it should (the web: a heading, a warning).
enum class Kind { heading, step, dose, fact, stop, warning, note, removed, added };

struct Line {
  Kind kind = Kind::fact;
  int depth = 0; // 0: a stage heading; 1: under it; 2: under a step
  std::string text;
  bool operator==(const Line &) const = default;
};
using Lines = std::vector<Line>;

// ---- phrases
std::string drug(const Formulary &f, std::string_view generic); // "DULoxetine", "gabapentin"
std::string days(long n);                                       // "1 day", "14 days"
// At most `decimals` places, no trailing zeros, a leading zero: 25 -> "25", 27.26 -> "27.3"
// (decimal_text, planner/core/text.hpp).
std::string number(double v, int decimals = 1);
// Inclusive: "from 2026-12-01 through 2026-12-07 (7 days)", one day "on 2026-12-01 (1 day)".
std::string dates(Date first, Date last);
std::string dates(const DateRange &half_open);
// "1 capsule of 30 mg", "2 capsules of 300 mg and 1 capsule of 100 mg".
std::string units(const std::vector<UnitCount> &units);
std::string frequency(const Step &s); // "once daily", "twice daily", "at bedtime"
// "DULoxetine 30 mg, take 1 capsule of 30 mg"
std::string dose(const Formulary &f, std::string_view drug, const Administration &a);
// "in the morning: DULoxetine 30 mg, take 1 capsule of 30 mg"
std::string administration(const Formulary &f, std::string_view drug, const Administration &a);
// A step's days and daily total; a maintenance stage's last step has no end date.
std::string step(const Stage &s, const Step &st);
// "Stop DULoxetine from 2027-01-05 (last dose on 2027-01-04)"; none for a trial stage.
std::optional<std::string> stop(const Formulary &f, const Stage &s);
// "Warning (caution): text [rule; source: S]", the text for people (for_people).
std::string warning(const Formulary &f, const Finding &w);
// Free text (a note, a reason) for people: generic names in tall man where the monograph has one,
// except a name that follows a `--option` (a command to type) or is part of a rule id.
std::string for_people(const Formulary &f, std::string_view text);
std::string capitalised(std::string s);

// ---- whole views
// Every stage: its heading, each step and its doses, the stop, the assessed dose, the decision
// date, the dispense, every warning and the note (which carries the reason for a switch); then
// the medications not checked.
Lines plan(const Plan &plan, const Formulary &f);
// Grouped by stage, in order: stage N of each version against stage N of the other. An
// unchanged stage gives nothing; a changed one its heading (as context, or removed and added when
// the heading changed), then its removed blocks before its added ones (a block: a step with its
// doses, or one other line).
Lines diff(const Plan *before, const Plan &after, const Formulary &f);
// The same change in sentences, one per stage that changed, a stage being the drug in one role
// (its trial, its taper): "gabapentin trial added: starts on 2026-12-28 at 300 mg a day, the
// assessed dose 1,800 mg a day from 2027-01-11"; "DULoxetine taper removed (was from 2026-12-22
// through 2027-01-04)"; "DULoxetine trial changed: 90 mg a day from 2027-01-05 (was 60 mg a
// day); decision on 2027-01-19 (was 2027-01-05)". Empty when nothing changed (or `before` is
// null: everything is new).
std::vector<std::string> changes(const Plan *before, const Plan &after, const Formulary &f);
// What to take on one day, per stage: "DULoxetine (trial), 60 mg a day:" and its doses.
Lines day(const Plan &plan, const Formulary &f, Date d);

// A recorded indication as "label (term)", e.g. "trigeminal neuralgia (trigeminal-neuralgia)";
// "not recorded" for none.
std::string indication(const Formulary &f, const std::string &term);

// The patient a plan is checked against (`review show`, the pharmacy version page): age, sex,
// weight, CrCl and how it was obtained, hepatic impairment (depth 0); the indication when
// recorded, conditions and medicines (depth 0); then each drug's eligibility verdict with its
// reasons (depth 1).
Lines patient(const Patient &p, const EligibilityReport &er, const Formulary &f, Date today);

// ---- the patient's schedule: the text export and the PDF handout print these same words, so the
// two never disagree (docs/exports.md).
// A run of days with one set of doses, across stages (a cross-taper gives two drugs on the same
// days). `open_ended`: the maintenance stage whose dose goes on past `last`, until its review.
struct Run {
  Date first{2000, 1, 1};
  Date last{2000, 1, 1};
  std::vector<std::pair<const Stage *, const Step *>> active;
  const Stage *open_ended = nullptr;
};
// The plan's calendar cut at every step boundary, in date order.
std::vector<Run> runs(const Plan &plan);
// "From 2026-12-01 through 2026-12-07 (7 days)", or for an open-ended run "from 2026-12-08, with
// no end date: keep taking these doses until your clinic review on 2027-02-16".
std::string run_dates(const Run &r);
// "Total each day: DULoxetine 60 mg, once daily" (and ", (taper: reducing to stop)").
std::string run_total(const Formulary &f, const Stage &s, const Step &st);
// "Plan version 3, pathway cipn-esmo" | "Plan not stored (preview)"
std::string plan_version(const Plan &plan, int version);
// "Approved by pharmacist ph.bell on 2026-11-26 at 10:00." | "NOT APPROVED: ..." | "NOT YET ..."
std::string approval(const ExportContext &c);
// The clinic's phone line: "Clinic: Name    Telephone: 0123", a line to write on for each one
// absent; clinic_parts gives its two halves, for a page too narrow for both on one line.
std::string clinic(std::string_view name, std::string_view phone);
std::pair<std::string, std::string> clinic_parts(std::string_view name, std::string_view phone);
// "Do not stop taking gabapentin suddenly: ... [source: S]": from the monograph's taper rule.
std::string do_not_stop(const Formulary &f, std::string_view drug);
// "Tell your clinic if you have: nausea, dizziness [source: S]"; none when the monograph lists
// none.
std::optional<std::string> side_effects(const Formulary &f, std::string_view drug);

// The fixed words of the schedule and handout.
namespace phrase {
inline constexpr std::string_view schedule_title = "MEDICATION SCHEDULE";
inline constexpr std::string_view handout_title = "Your medicine schedule";
inline constexpr std::string_view patient = "Patient: ";
inline constexpr std::string_view prepared_on = "Prepared on ";
inline constexpr std::string_view what_to_take = "WHAT TO TAKE";
inline constexpr std::string_view nothing_planned = "Nothing is planned.";
inline constexpr std::string_view gap =
    "No medicine from this plan on these days (gap between medicines).";
inline constexpr std::string_view stopping =
    "STOPPING (do not stop a medicine suddenly except as written here)";
inline constexpr std::string_view warnings = "WARNINGS FOR YOUR CLINIC AND PHARMACIST";
inline constexpr std::string_view notes = "NOTES";
inline constexpr std::string_view assessment_dates =
    "ASSESSMENT DATES (your pain scores are reviewed and the next step is decided)";
inline constexpr std::string_view none_planned = "None planned.";
// The disclaimer of the CLI's texts, the outcome reports, the schedule, the handout, the calendar
// and the chart.
inline constexpr std::string_view footer = "Decision support only; not medical advice.";
// The handout's own headings and labels.
inline constexpr std::string_view dates = "Dates";
inline constexpr std::string_view total = "Total each day";
inline constexpr std::string_view diary = "Diary for "; // + "December 2026"
inline constexpr std::string_view diary_help =
    "Tick each box when you have taken that dose. Write your pain each day from 0 (no pain) to 10 "
    "(the worst pain you can imagine).";
inline constexpr std::string_view day = "Day";
inline constexpr std::string_view pain = "Pain (0 to 10)";
inline constexpr std::string_view assessment = "assessment";
inline constexpr std::string_view page = "Page ";
inline constexpr std::string_view side_effects_title = "SIDE EFFECTS AND STOPPING";
inline constexpr std::string_view dialysis_title = "AFTER HAEMODIALYSIS";
inline constexpr std::string_view your_link = "Your personal link (keep it private):";
} // namespace phrase
// "December 2026"; "Tue 1" style labels are spelled out: "Tuesday 1".
std::string month_name(Date first_of_month);
std::string weekday_day(Date d);
// The column heading of an administration time: "In the morning", ..., "At bedtime".
std::string time_heading(AdminTime t);

// ---- the patient's page (docs/web.md "Pages"): today and the next days, in the words above.
// A logged time for the patient: "09:45 today", "yesterday at 21:10", else "2026-11-28 at 09:45".
std::string when(const LocalDateTime &at, Date today);
// "today (2026-12-01)", "tomorrow (2026-12-02)", else "Tuesday 2026-12-08".
std::string day_word(Date d, Date today);
// What to take at each administration time on `d`, one line per time, every drug taken at that
// time on it: "In the morning: DULoxetine 30 mg, take 1 capsule of 30 mg" (two drugs joined by
// "; "). Empty: nothing to take.
struct TimeLine {
  AdminTime time = AdminTime::morning;
  std::string text;
  // The supplement after a haemodialysis session (app::day_schedule), not a time of day's dose.
  bool after_dialysis = false;
  bool operator==(const TimeLine &) const = default;
};
std::vector<TimeLine> time_lines(const Plan &plan, const Formulary &f, Date d);
// "Keep taking these doses every day until your clinic review on 2027-02-16." (maintenance)
std::string keep_taking_until(Date review);
// The last day of a taper: "Today is your last dose of DULoxetine. Stop DULoxetine from
// 2027-01-05 (last dose on 2027-01-04): take no more of it from tomorrow."
std::string last_taper_day(const Formulary &f, const Stage &s);
// After the plan's last day (`last`), for each drug of its last stages: a taper's stop, or, for a
// trial whose planned days are over, the monograph's do_not_stop(); then whom to call.
std::vector<std::string> after_plan(const Formulary &f, const Plan &plan, Date last);
// Whom to call, as lines for a page that puts each on its own: {"Call your clinic: Hope Pain
// Clinic", "Telephone: 0123"}; only what is known ("Call your clinic: Hope Pain Clinic", "Call
// your clinic on 0123"), or "Call your clinic." when neither is configured (a web page has no
// line to write on). A given telephone number always ends the last line.
std::vector<std::string> call_clinic_lines(std::string_view name, std::string_view phone);

// Two spaces per depth; in a diff, removed and added lines start with those words (never `-` or
// `+`, clinical.md F) and the others with as many spaces.
// `blank_before_headings`: an empty line before each stage heading (a plan, not a diff).
void print(std::ostream &out, const Lines &lines, std::string_view indent = "",
           bool blank_before_headings = false);
// One string per line, as print() writes them (a diff's JSON "lines").
std::vector<std::string> texts(const Lines &lines);

} // namespace titrate::words
