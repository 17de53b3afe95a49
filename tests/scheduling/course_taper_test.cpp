// Whole courses that end in a taper (shared/clinical.md G2 #13, #14, #16), over
// the shipped formulary. Each expected value is worked out by hand from clinical.md (A3, A7, B2,
// H6, H8, H10, H14) and written here as a date or a dose, never read back from the code.
#include "planner/assessment/assess.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

const std::vector<AdverseEffect> no_effects;

// One score a day, at 09:00, from `first` (inclusive) to `last` (inclusive).
std::vector<ScoreEntry> daily_scores(const char *first, const char *last, int score) {
  std::vector<ScoreEntry> out;
  for (Date d = day(first); d <= day(last); d += Days(1)) {
    ScoreEntry e;
    e.at = LocalDateTime{d, 9 * 60};
    e.score = PainScore(score);
    out.push_back(e);
  }
  return out;
}

Plan switch_on(const Plan &plan, const Patient &p, const Pathway &pw, Date on) {
  const std::vector<ScoreEntry> none;
  AssessInput in{plan, p, shipped_formulary(), pw, none, no_effects, on, 0};
  Assessment a;
  a.patient = p.id;
  a.date = on;
  a.drug = plan.current_trial()->drug;
  a.decision = DecisionKind::switch_;
  return apply_decision(in, a);
}

// The daily dose of `drug` on `d` across all stages (0 when none).
Dose dose_on(const Plan &plan, const std::string &drug, Date d) {
  Dose total;
  for (const auto &[stage, step] : plan.on(d))
    if (stage->drug == drug)
      total += step->daily;
  return total;
}

long taper_days(const Stage &s) {
  long n = 0;
  for (const auto &st : s.steps)
    n += st.range.days();
  return n;
}

} // namespace

// G2 #13: scenario 2 (68 years, CrCl 25: gabapentin 200 -> 500 -> 700 mg once daily, GAB-US 2.3
// band 15-30), no response at the decision date. GAB-US: reduce "gradually over a minimum of 1
// week" (A7: at least 7 days in all); the reduced once-daily step is 300 mg (the largest dose whole
// units make at or below half of 700 mg, as G2 #13 reads it), then stop. The next drug of
// cipn-esmo is amitriptyline (duloxetine avoid at CrCl 25); A7/H8: a gabapentinoid and a TCA may
// overlap, with a caution for additive sedation, so amitriptyline 10 mg starts on the first taper
// day.
TEST_CASE("G2 #13: gabapentin 700 mg once daily at CrCl 25, no response: 300 mg for 7 days, then "
          "stop, amitriptyline overlaps") {
  Patient p = adult("G2-13");
  p.birth_date = day("1958-03-01"); // 68 on 2026-12-01
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 25;
  p.baseline_pain = PainScore(7);
  const Pathway &pw = shipped_pathway("cipn-esmo");
  const Plan plan = build_plan(p, shipped_formulary(), pw, request("2026-12-01"));
  REQUIRE(plan.stages.size() == 1);
  REQUIRE(plan.stages[0].drug == "gabapentin");
  REQUIRE(plan.stages[0].assessed_dose == mg(700));
  REQUIRE(plan.stages[0].decision_date == day("2026-12-29")); // 700 mg from 12-15, + 14 days

  // The window [12-22, 12-29): pain 7 every day against a baseline of 7 -> 0 % change, at the
  // stage maximum (the next escalation, 2,400 mg, is above the band cap of 700) -> switch.
  const auto scores = daily_scores("2026-12-22", "2026-12-28", 7);
  AssessInput in{plan, p, shipped_formulary(), pw, scores, no_effects, day("2026-12-29"), 0};
  const Assessment a = assess(in);
  REQUIRE(a.decision == DecisionKind::switch_);
  REQUIRE(a.next_drug == std::optional<std::string>("amitriptyline"));
  const Plan sw = apply_decision(in, a);

  REQUIRE(sw.stages.size() == 3);
  const Stage &taper = sw.stages[1];
  CHECK(taper.drug == "gabapentin");
  REQUIRE(taper.steps.size() == 1); // a reduced step, not "Stop gabapentin (no reduced step)"
  CHECK(taper.steps[0].daily == mg(300));
  REQUIRE(taper.steps[0].doses.size() == 1); // still once daily
  CHECK(taper.steps[0].doses[0].units == std::vector<UnitCount>{{mg(300), Form::capsule, 1}});
  CHECK(taper.steps[0].range == DateRange(day("2026-12-29"), day("2027-01-05"))); // 7 days
  for (const auto &w : taper.warnings)
    CHECK(w.rule != "taper.single-administration");
  // Day by day: 700 mg up to 12-28, 300 mg 12-29 to 2027-01-04 (at least 7 days), none after.
  CHECK(dose_on(sw, "gabapentin", day("2026-12-28")) == mg(700));
  for (Date d = day("2026-12-29"); d < day("2027-01-05"); d += Days(1)) {
    CHECK(dose_on(sw, "gabapentin", d) == mg(300));
  }
  CHECK(dose_on(sw, "gabapentin", day("2027-01-05")).is_zero());
  // The next drug follows switching.toml gabapentinoid -> tca (overlap, H8 caution).
  CHECK(taper.role == StageRole::cross_taper);
  const Stage &ami = sw.stages[2];
  CHECK(ami.drug == "amitriptyline");
  CHECK(ami.steps.front().range.begin() == day("2026-12-29"));
  CHECK(ami.steps.front().daily == mg(10));
  CHECK(std::any_of(taper.warnings.begin(), taper.warnings.end(),
                    [](const Finding &w) { return w.rule == "switch.caution"; }));
  CHECK(sw.lint.empty());
}

// G2 #14 (H6): a TCA taken 8 weeks or more is reduced over at least 4 weeks; under 8 weeks it is
// stopped over 1-2 weeks. NICE CG173 puts amitriptyline first: 10 mg at bedtime from 2026-12-01,
// +10 mg a week, 50 mg from 12-29 (A3). The taper cuts 10 mg a day (A7): 40, 30, 20, 10 mg. The
// next drug, duloxetine, starts the day after the last TCA dose (A7, H10: taper the TCA fully
// first; switching.toml gap 1).
TEST_CASE("G2 #14: amitriptyline held 10 weeks tapers over at least 4 weeks, held 5 weeks over 1-2 "
          "weeks") {
  Patient p = adult("G2-14");
  const Pathway &pw = shipped_pathway("nice-cg173");
  const Plan plan = build_plan(p, shipped_formulary(), pw, request("2026-12-01"));
  REQUIRE(plan.stages.at(0).drug == "amitriptyline");
  REQUIRE(plan.stages[0].target_reached == day("2026-12-29"));

  SECTION("held 10 weeks (70 days): 40, 30, 20, 10 mg a week each, 28 days") {
    const Plan sw = switch_on(plan, p, pw, day("2027-02-09")); // 2026-12-01 + 70 days
    REQUIRE(sw.stages.size() == 3);
    const Stage &taper = sw.stages[1];
    REQUIRE(taper.steps.size() == 4);
    const long doses[] = {40, 30, 20, 10};
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(taper.steps[i].daily == mg(doses[i]));
      CHECK(taper.steps[i].range.days() == 7);
    }
    CHECK(taper.steps.front().range.begin() == day("2027-02-09"));
    CHECK(taper.steps.back().range.end() == day("2027-03-09"));
    CHECK(taper_days(taper) >= 28);
    CHECK_THAT(taper.note, Catch::Contains("8 weeks or more"));
    const Stage &dul = sw.stages[2];
    CHECK(dul.drug == "duloxetine");
    CHECK(dul.steps.front().range.begin() == day("2027-03-09")); // last TCA dose 03-08, + 1
    CHECK(sw.lint.empty());
  }
  SECTION("held 8 weeks exactly (56 days) is already the 4-week row") {
    const Plan sw = switch_on(plan, p, pw, day("2027-01-26"));
    CHECK(taper_days(sw.stages.at(1)) >= 28);
    CHECK(sw.lint.empty());
  }
  SECTION("held 5 weeks (35 days, switched early): the same cuts over 14 days") {
    const Plan sw = switch_on(plan, p, pw, day("2027-01-05"));
    REQUIRE(sw.stages.size() == 3);
    const Stage &taper = sw.stages[1];
    REQUIRE(taper.steps.size() == 4);
    // 14 days over 4 cuts: 3, 3, 4, 4 (the lowest doses held longest).
    const long doses[] = {40, 30, 20, 10};
    const long days[] = {3, 3, 4, 4};
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(taper.steps[i].daily == mg(doses[i]));
      CHECK(taper.steps[i].range.days() == days[i]);
    }
    CHECK(taper_days(taper) >= 7);
    CHECK(taper_days(taper) <= 14);
    CHECK(taper.steps.back().range.end() == day("2027-01-19"));
    CHECK_THAT(taper.note, Catch::Contains("under 8 weeks"));
    CHECK(sw.stages[2].steps.front().range.begin() == day("2027-01-19"));
    CHECK(sw.lint.empty());
  }
}

// H6 with few cuts: 30 mg after 10 weeks has two cuts (20, 10 mg) of 7 days = 14 days; the
// 4-week minimum spreads them over 28 days, 14 each.
TEST_CASE("TCA taper from 30 mg after 10 weeks is spread to 4 weeks, unknown time on drug takes "
          "the longer row") {
  const Monograph &ami = shipped_formulary().get("amitriptyline");
  Step at30;
  at30.range = DateRange(day("2027-01-01"), day("2027-02-01"));
  at30.daily = mg(30);
  at30.doses = {{AdminTime::bedtime, mg(30), {{mg(25), Form::tablet, 1}}}};
  for (const std::optional<long> days_on : {std::optional<long>(70), std::optional<long>()}) {
    const Stage t = build_taper_stage(ami, at30, day("2027-02-01"), nullptr, days_on);
    REQUIRE(t.steps.size() == 2);
    CHECK(t.steps[0].daily == mg(20));
    CHECK(t.steps[0].range.days() == 14);
    CHECK(t.steps[1].daily == mg(10));
    CHECK(t.steps[1].range.days() == 14);
  }
  // 3 weeks on drug: 20, 10 mg over 14 days is already within 1-2 weeks: 7 days each.
  const Stage short_course = build_taper_stage(ami, at30, day("2027-02-01"), nullptr, 21);
  REQUIRE(short_course.steps.size() == 2);
  CHECK(short_course.steps[0].range.days() == 7);
  CHECK(short_course.steps[1].range.days() == 7);
  // 10 mg, the lowest tablet: no reduced step can be made; the prescriber is asked to review.
  Step at10 = at30;
  at10.daily = mg(10);
  at10.doses = {{AdminTime::bedtime, mg(10), {{mg(10), Form::tablet, 1}}}};
  const Stage low = build_taper_stage(ami, at10, day("2027-02-01"), nullptr, 70);
  CHECK(low.steps.empty());
  REQUIRE(low.warnings.size() == 1);
  CHECK(low.warnings[0].rule == "taper.no-reduced-step");
}

// Once-daily gabapentinoids (GAB-US, PGB-US: at least 1 week): one reduced step at the largest
// whole-unit dose at or below half, held 7 days.
TEST_CASE("once-daily gabapentinoid tapers have a reduced step of at least 7 days") {
  const Formulary &f = shipped_formulary();
  struct Case {
    const char *drug;
    long from, to;
  };
  // gabapentin (100, 300, 400, 600, 800 mg): 700 -> 300, 500 -> 200, 300 -> 100, 200 -> 100.
  // pregabalin (25, 50, 75, 100, 150, 200, 225, 300 mg): 150 -> 75, 75 -> 25.
  for (const Case c :
       {Case{"gabapentin", 700, 300}, Case{"gabapentin", 500, 200}, Case{"gabapentin", 300, 100},
        Case{"gabapentin", 200, 100}, Case{"pregabalin", 150, 75}, Case{"pregabalin", 75, 25}}) {
    CAPTURE(c.drug, c.from);
    const Monograph &m = f.get(c.drug);
    Step s;
    s.range = DateRange(day("2027-01-01"), day("2027-01-10"));
    s.daily = mg(c.from);
    s.doses = *split_daily(m, mg(c.from), {AdminTime::evening});
    const Stage t = build_taper_stage(m, s, day("2027-01-10"));
    REQUIRE(t.steps.size() == 1);
    CHECK(t.steps[0].daily == mg(c.to));
    CHECK(t.steps[0].doses.size() == 1);
    CHECK(t.steps[0].range == DateRange(day("2027-01-10"), day("2027-01-17")));
    CHECK(t.warnings.empty());
  }
  // gabapentin 100 mg once daily (the lowest capsule): no smaller dose; a caution instead.
  const Monograph &g = f.get("gabapentin");
  Step s;
  s.range = DateRange(day("2027-01-01"), day("2027-01-10"));
  s.daily = mg(100);
  s.doses = *split_daily(g, mg(100), {AdminTime::evening});
  const Stage t = build_taper_stage(g, s, day("2027-01-10"));
  CHECK(t.steps.empty());
  REQUIRE(t.warnings.size() == 1);
  CHECK(t.warnings[0].rule == "taper.single-administration");
}

// Duloxetine (H1, H2): 60 -> 30 mg daily for 14 days (within H2's 1-2 weeks, and the EU leaflet's
// at least 2 weeks), then stop; every step a daily dose (never alternate days).
TEST_CASE("duloxetine taper: 30 mg every day for 14 days, the note says never alternate days") {
  const Monograph &m = shipped_formulary().get("duloxetine");
  Step s;
  s.range = DateRange(day("2027-01-01"), day("2027-01-15"));
  s.daily = mg(60);
  s.doses = *split_daily(m, mg(60), {AdminTime::morning});
  const Stage t = build_taper_stage(m, s, day("2027-01-15"));
  REQUIRE(t.steps.size() == 1);
  CHECK(t.steps[0].daily == mg(30));
  CHECK(t.steps[0].range.days() == 14);
  CHECK_THAT(t.note, Catch::Contains("never alternate-day dosing"));
  CHECK_THAT(t.note, Catch::Contains("go back to the previous dose"));
}

// G2 #16 (H14): haemodialysis on Monday, Wednesday and Friday; CrCl 10 (band 15 or less:
// 100-300 mg once daily, GAB-US 2.3). cipn-esmo: duloxetine avoid (CrCl below 30), gabapentin
// and amitriptyline caution (haemodialysis) -> gabapentin, the first caution drug in pathway
// order. 100 mg from 2026-12-01 (a Tuesday) for 7 days, then 300 mg from 12-08 (A3: the band's
// lowest dose, +300 mg, target min(1,800, 300)). Supplements (Neurontin US PI 2.3 Table 1):
// 125 mg after a session with 100 mg once daily, 350 mg with 300 mg; on dialysis days only.
TEST_CASE("G2 #16: haemodialysis Monday, Wednesday, Friday: the supplement on dialysis days only") {
  Patient p = adult("G2-16");
  p.birth_date = day("1966-05-10"); // 60
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 10;
  p.dialysis = Dialysis{"haemodialysis", {Weekday::monday, Weekday::wednesday, Weekday::friday}};
  const Formulary &f = shipped_formulary();
  PlanRequest r = request("2026-12-01");
  const Plan plan = build_plan(p, f, shipped_pathway("cipn-esmo"), r);
  REQUIRE(plan.stages.size() == 1);
  const Stage &g = plan.stages[0];
  REQUIRE(g.drug == "gabapentin");
  REQUIRE(g.steps.size() == 2);
  CHECK(g.steps[0].daily == mg(100));
  CHECK(g.steps[1].daily == mg(300));
  CHECK(g.steps[1].range.begin() == day("2026-12-08"));
  CHECK_THAT(g.note, Catch::Contains("haemodialysis on Monday, Wednesday and Friday"));
  CHECK_THAT(g.note, Catch::Contains("125 mg with 100 mg once daily"));
  CHECK_THAT(g.note, Catch::Contains("350 mg with 300 mg once daily"));

  // Day by day over the first three weeks: a supplement exactly on Mondays, Wednesdays and
  // Fridays, 125 mg in the 100 mg week (to 12-07), 350 mg from 12-08.
  int sessions = 0;
  for (Date d = day("2026-12-01"); d < day("2026-12-22"); d += Days(1)) {
    const auto sup = dialysis_supplements_on(plan, p, f, d);
    const int w = d.day_of_week().as_number(); // 0 Sunday .. 6 Saturday
    const bool dialysis_day = w == 1 || w == 3 || w == 5;
    CAPTURE(iso(d));
    REQUIRE(sup.size() == (dialysis_day ? 1u : 0u));
    if (!dialysis_day)
      continue;
    ++sessions;
    CHECK(sup[0].supplement == (d < day("2026-12-08") ? mg(125) : mg(350)));
    CHECK(sup[0].maintenance == (d < day("2026-12-08") ? mg(100) : mg(300)));
    CHECK_FALSE(sup[0].buildable); // 125 and 350 mg: no whole-capsule form
    CHECK_THAT(sup[0].text, Catch::Contains("after the haemodialysis session"));
  }
  CHECK(sessions == 9); // 3 weeks x 3 sessions
  CHECK(dialysis_supplements_on(plan, p, f, day("2026-12-02"))[0].supplement == mg(125)); // Wed
  CHECK(dialysis_supplements_on(plan, p, f, day("2026-12-14"))[0].supplement == mg(350)); // Mon
  CHECK(dialysis_supplements_on(plan, p, f, day("2026-12-08")).empty());                  // Tue

  // The haemodialysis condition without dialysis days: no supplement, a caution to record them.
  Patient q = p;
  q.dialysis.reset();
  q.conditions = {"haemodialysis"};
  const Plan plan_q = build_plan(q, f, shipped_pathway("cipn-esmo"), r);
  CHECK(dialysis_supplements_on(plan_q, q, f, day("2026-12-02")).empty());
  CHECK(std::any_of(plan_q.stages[0].warnings.begin(), plan_q.stages[0].warnings.end(),
                    [](const Finding &w) { return w.rule == "dialysis.no-days"; }));
}

// H5: nortriptyline at GFR below 10 mL/min: a note "start with a small dose"; no dose change.
TEST_CASE("nortriptyline at CrCl 8 carries the H5 note, at 10 it does not") {
  Patient p = adult("H5");
  p.serum_creatinine_mg_dl.reset();
  p.medications = {};
  PlanRequest r = request("2026-12-01");
  r.prefer = "nortriptyline";
  // nortriptyline is not in either shipped pathway: use a pathway with it by hand.
  Pathway pw = shipped_pathway("nice-cg173");
  pw.drugs.push_back("nortriptyline");
  pw.first_line.push_back("nortriptyline");
  p.crcl_ml_min = 8;
  const Plan low = build_plan(p, shipped_formulary(), pw, r);
  CHECK_THAT(low.stages.at(0).note, Catch::Contains("start with a small dose"));
  CHECK(low.stages[0].steps[0].daily == mg(10));
  p.crcl_ml_min = 10;
  const Plan at10 = build_plan(p, shipped_formulary(), pw, r);
  CHECK(at10.stages.at(0).note.find("small dose") == std::string::npos);
}

// Property over every dose a taper may start from: the taper rules of clinical.md hold.
// H6 (TCAs): under 8 weeks (55 days or fewer) 7 to 14 days; 8 weeks (56 days) or more at least
// 28 days. A7/GAB-US/PGB-US (gabapentinoids): at least 7 days, never a step up, once daily gets a
// reduced step at or below half (unless no smaller unit exists). Every step is a daily dose.
TEST_CASE("taper property: every TCA and gabapentinoid taper keeps its label and H6 length") {
  const Formulary &f = shipped_formulary();
  auto total_days = [](const Stage &s) {
    long n = 0;
    for (const auto &st : s.steps)
      n += st.range.days();
    return n;
  };
  auto never_up = [](const Stage &s, Dose from) {
    Dose prev = from;
    for (const auto &st : s.steps) {
      if (!(st.daily < prev) || st.daily.is_zero() || st.range.days() < 1)
        return false;
      prev = st.daily;
    }
    return true;
  };
  const Date on = day("2027-03-01");
  for (const char *tca : {"amitriptyline", "nortriptyline"}) {
    const Monograph &m = f.get(tca);
    for (long dose = 10; dose <= 100; dose += 5) {
      const auto doses = split_daily(m, mg(dose), {AdminTime::bedtime});
      if (!doses)
        continue;
      Step s;
      s.range = DateRange(on - Days(7), on);
      s.daily = mg(dose);
      s.doses = *doses;
      for (long days_on = 7; days_on <= 140; days_on += 7) {
        for (const long d : {days_on, days_on - 1}) {
          CAPTURE(tca, dose, d);
          const Stage t = build_taper_stage(m, s, on, nullptr, d);
          CHECK(never_up(t, mg(dose)));
          if (t.steps.empty()) {
            CHECK(dose == 10); // only the lowest tablet or capsule has no reduced step
            continue;
          }
          CHECK(t.steps.back().daily <= mg(10)); // the last cut reaches the lowest dose
          if (d >= 56) {
            CHECK(total_days(t) >= 28);
          } else {
            CHECK(total_days(t) >= 7);
            CHECK(total_days(t) <= 14);
          }
        }
      }
    }
  }
  for (const char *gp : {"gabapentin", "pregabalin"}) {
    const Monograph &m = f.get(gp);
    for (const auto &times :
         {std::vector<AdminTime>{AdminTime::evening},
          std::vector<AdminTime>{AdminTime::morning, AdminTime::evening},
          std::vector<AdminTime>{AdminTime::morning, AdminTime::midday, AdminTime::evening}}) {
      for (long dose = 25; dose <= 3600; dose += 25) {
        const auto doses = split_daily(m, mg(dose), times);
        if (!doses || doses->size() != times.size())
          continue;
        Step s;
        s.range = DateRange(on - Days(7), on);
        s.daily = mg(dose);
        s.doses = *doses;
        CAPTURE(gp, dose, times.size());
        const Stage t = build_taper_stage(m, s, on);
        CHECK(never_up(t, mg(dose)));
        if (t.steps.empty()) {
          CHECK(times.size() == 1);
          CHECK(mg(dose) == m.strengths.front().dose); // the lowest strength: nothing below half
          continue;
        }
        CHECK(total_days(t) >= 7);
        if (times.size() == 1)
          CHECK(t.steps[0].daily * 2 <= mg(dose));
      }
    }
  }
}
