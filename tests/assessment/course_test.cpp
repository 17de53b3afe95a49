// Whole courses through assess() and apply_decision() on the shipped formulary and cipn-esmo
// pathway, several decisions in a row (clinical.md G2 #11 and #12, and the maintenance reviews
// of clinical.md A6). Every date below was worked out by hand from clinical.md A3, A6 and A7 and
// the pathway's maintenance_review_days (56, a project rule):
//   G1 patient, start 2026-12-01: duloxetine 30 mg 2026-12-01..07, 60 mg from 2026-12-08;
//   decision date 2026-12-22 (first 60 mg day + 14); window 2026-12-15..21.
//   A response on 2026-12-22 -> maintenance, review 2027-02-16 (+56); its window 2027-02-09..15;
//   a held response there -> next review 2027-04-13 (+56).
#include "planner/assessment/assess.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

Patient g1() {
  Patient p = adult("G1");
  p.baseline_pain = PainScore(7);
  return p;
}

// One score a day (at 09:00) from `from` for `n` days.
void daily_scores(std::vector<ScoreEntry> &out, const char *from, int n, int score) {
  for (int i = 0; i < n; ++i) {
    ScoreEntry s;
    s.at = LocalDateTime{day(from) + Days(i), 9 * 60};
    s.score = PainScore(score);
    out.push_back(s);
  }
}

struct Course {
  Patient patient = g1();
  Plan plan;
  std::vector<ScoreEntry> scores;
  std::vector<AdverseEffect> effects;

  Assessment assess_on(const char *on, int extensions = 0) const {
    return assess(AssessInput{plan, patient, shipped_formulary(), shipped_pathway(), scores,
                              effects, day(on), extensions});
  }
  // Assess and apply, as `assess ID --apply` then review approve.
  Assessment step(const char *on) {
    const Assessment a = assess_on(on);
    plan = apply_decision(AssessInput{plan, patient, shipped_formulary(), shipped_pathway(), scores,
                                      effects, day(on), 0},
                          a);
    return a;
  }
  Assessment clinician(const char *on, DecisionKind kind, const char *reason) {
    const AssessInput in{plan,    patient, shipped_formulary(), shipped_pathway(), scores, effects,
                         day(on), 0};
    const Assessment a = clinician_decision(in, kind, reason);
    plan = apply_decision(in, a);
    return a;
  }
  // What is taken on a day: "drug daily" per stage, e.g. {"duloxetine 60 mg"}.
  std::vector<std::string> taken(const char *on) const {
    std::vector<std::string> out;
    for (const auto &[stage, step] : plan.on(day(on)))
      out.push_back(stage->drug + " " + step->daily.str());
    return out;
  }
};

using Names = std::vector<std::string>;

} // namespace

TEST_CASE("G2 #11: after a response duloxetine 60 mg goes on with no end, reviewed at 8 weeks") {
  Course c;
  c.plan = cipn_plan_dec1(c.patient);
  REQUIRE(c.plan.stages.size() == 1);
  REQUIRE(c.plan.stages[0].decision_date == day("2026-12-22"));
  daily_scores(c.scores, "2026-12-15", 7, 4); // window mean 4 against baseline 7: 42.9 %

  const Assessment a = c.step("2026-12-22");
  CHECK(a.decision == DecisionKind::continue_);
  CHECK(a.rule == "decision.response");
  CHECK(a.next_decision_date == day("2027-02-16"));
  const Stage &s = c.plan.stages.at(0);
  CHECK(s.maintenance());
  CHECK(s.review_date == day("2027-02-16"));
  CHECK(c.plan.next_assessment() == day("2027-02-16")); // what due lists, not 2026-12-22
  CHECK(c.plan.lint.empty());

  // Every day from the decision date on: 60 mg, also long after the review date (no end).
  for (const char *d : {"2026-12-22", "2026-12-23", "2027-01-31", "2027-02-16", "2027-06-01"}) {
    CAPTURE(d);
    CHECK(c.taken(d) == Names{"duloxetine 60 mg"});
  }
  // Inside maintenance and before the review: continue, nothing changes.
  const Plan before = c.plan;
  const Assessment mid = c.step("2027-01-20");
  CHECK(mid.decision == DecisionKind::continue_);
  CHECK(mid.rule == "decision.maintenance");
  CHECK(c.plan == before);

  SECTION("the response holds at the review: the next review 8 weeks on") {
    daily_scores(c.scores, "2027-02-09", 7, 3);
    const Assessment r = c.step("2027-02-16");
    CHECK(r.decision == DecisionKind::continue_);
    CHECK(r.rule == "decision.maintenance-response");
    CHECK(r.window.start == day("2027-02-09"));
    CHECK(r.window.scores == 7);
    CHECK(c.plan.stages[0].review_date == day("2027-04-13"));
    CHECK(c.plan.next_assessment() == day("2027-04-13"));
    CHECK(c.taken("2027-03-01") == Names{"duloxetine 60 mg"});
  }
  SECTION("the response is lost at the review: a clinician decides; the dose goes on") {
    daily_scores(c.scores, "2027-02-09", 7, 6); // 14.3 %, below 30 %
    const Assessment r = c.step("2027-02-16");
    CHECK(r.decision == DecisionKind::review);
    CHECK(r.rule == "decision.maintenance-response-lost");
    CHECK(c.taken("2027-02-20") == Names{"duloxetine 60 mg"});

    // The clinician reduces: 30 mg (the opening step) from today, judged after 14 days.
    const Assessment red = c.clinician("2027-02-16", DecisionKind::reduce, "nausea; try less");
    CHECK(red.decision == DecisionKind::reduce);
    CHECK(red.next_dose == Dose::milligrams(30));
    const Stage &st = c.plan.stages[0];
    CHECK_FALSE(st.maintenance());
    CHECK(st.assessed_dose == Dose::milligrams(30));
    CHECK(st.target_reached == day("2027-02-16"));
    CHECK(st.decision_date == day("2027-03-02"));
    CHECK(c.taken("2027-02-15") == Names{"duloxetine 60 mg"});
    CHECK(c.taken("2027-02-16") == Names{"duloxetine 30 mg"});
    CHECK(c.plan.lint.empty());
    // 30 mg holds the response (window 2027-02-23..03-01, mean 4): maintenance at 30 mg.
    daily_scores(c.scores, "2027-02-23", 7, 4);
    const Assessment again = c.step("2027-03-02");
    CHECK(again.decision == DecisionKind::continue_);
    CHECK(c.plan.stages[0].review_date == day("2027-04-27"));
    CHECK(c.taken("2027-05-01") == Names{"duloxetine 30 mg"});
  }
  SECTION("the clinician stops from maintenance: a taper by the label, no next drug") {
    const Assessment stop = c.clinician("2027-02-16", DecisionKind::stop, "pain resolved");
    CHECK(stop.decision == DecisionKind::stop);
    REQUIRE(c.plan.stages.size() == 2);
    CHECK_FALSE(c.plan.stages[0].maintenance());
    CHECK(c.plan.stages[1].role == StageRole::taper);
    // A7: 60 -> 30 mg daily for 14 days, then stop (the 20 mg step only where it is stocked).
    CHECK(c.taken("2027-02-16") == Names{"duloxetine 30 mg"});
    CHECK(c.taken("2027-03-01") == Names{"duloxetine 30 mg"});
    CHECK(c.plan.stages[1].note.find("the clinician stopped duloxetine") != std::string::npos);
    for (const auto &st : c.plan.stages)
      CHECK(st.drug == "duloxetine");
  }
  SECTION("a clinician's decision needs a reason and a plan in maintenance") {
    const AssessInput in{c.plan,   c.patient, shipped_formulary(), shipped_pathway(),
                         c.scores, c.effects, day("2027-02-16"),   0};
    CHECK_THROWS_AS(clinician_decision(in, DecisionKind::reduce, " "), InputError);
    CHECK_THROWS_AS(clinician_decision(in, DecisionKind::extend, "why"), InputError);
    Course fresh;
    fresh.plan = cipn_plan_dec1(fresh.patient);
    const AssessInput trial{fresh.plan,   fresh.patient, shipped_formulary(), shipped_pathway(),
                            fresh.scores, fresh.effects, day("2026-12-10"),   0};
    CHECK_THROWS_AS(clinician_decision(trial, DecisionKind::stop, "why"), RefusedError);
  }
}

TEST_CASE("G2 #12: intolerable nausea at 07:30 on a switch day stays duloxetine's") {
  Course c;
  c.plan = cipn_plan_dec1(c.patient);
  // Day 5 of duloxetine 30 mg (G #9): intolerable nausea at 07:30, logged with the plan active.
  AdverseEffect nausea;
  nausea.id = 1;
  nausea.at = LocalDateTime{day("2026-12-05"), 7 * 60 + 30};
  nausea.description = "nausea";
  nausea.severity = AeSeverity::intolerable;
  CHECK(c.plan.drugs_taken_at(nausea.at) == Names{"duloxetine"});

  SECTION("stored with its attribution") {
    nausea.drugs = c.plan.drugs_taken_at(nausea.at);
    nausea.attributed = true;
  }
  SECTION("attributed on read against the plan in hand (no stored attribution)") {}
  c.effects.push_back(nausea);

  const Assessment a = c.step("2026-12-05");
  CHECK(a.decision == DecisionKind::switch_);
  CHECK(a.rule == "decision.intolerable");
  CHECK(a.next_drug == std::string("gabapentin"));
  // A7: the gabapentin titration starts on the first day of the duloxetine taper (2026-12-05).
  const auto on_switch_day = c.taken("2026-12-05");
  CHECK(on_switch_day.size() == 2);
  // On the new plan too, 07:30 on the switch day is before the first gabapentin dose (A7, the
  // gabapentinoid starts that day; its first dose is later in the day): duloxetine's alone.
  CHECK(c.plan.drugs_taken_at(nausea.at) == Names{"duloxetine"});
  // An effect that evening, after the first gabapentin dose, belongs to both drugs taken then.
  CHECK(c.plan.drugs_taken_at(LocalDateTime{day("2026-12-05"), 23 * 60}) ==
        Names{"duloxetine", "gabapentin"});

  // The next assessments of gabapentin are not switches because of duloxetine's nausea.
  for (const char *d : {"2026-12-06", "2026-12-12", "2026-12-20"}) {
    CAPTURE(d);
    const Assessment next = c.assess_on(d);
    CHECK(next.drug == "gabapentin");
    CHECK(next.decision != DecisionKind::switch_);
    CHECK(next.rule != "decision.intolerable");
  }

  // A correction that retracts the nausea leaves nothing against duloxetine either.
  AdverseEffect retract;
  retract.id = 2;
  retract.supersedes = 1;
  retract.retracted = true;
  retract.at = LocalDateTime{day("2026-12-06"), 0};
  retract.description = "logged for the wrong patient";
  Course before;
  before.plan = cipn_plan_dec1(before.patient);
  before.effects = {nausea, retract};
  CHECK(before.assess_on("2026-12-06").decision == DecisionKind::continue_);
}

TEST_CASE(
    "G2 #15: a re-plan on day 28 of a duloxetine to gabapentin switch keeps the taper and dose") {
  // G #8: baseline 8, window mean 7.2 at duloxetine 60 mg (10 %) -> switch on 2026-12-22:
  // duloxetine 30 mg daily 2026-12-22..2027-01-04 (A7), gabapentin from 2026-12-22.
  Course c;
  c.patient.baseline_pain = PainScore(8);
  c.plan = cipn_plan_dec1(c.patient);
  for (int i = 0; i < 7; ++i) {
    ScoreEntry s;
    s.at = LocalDateTime{day("2026-12-15") + Days(i), 9 * 60};
    s.score = PainScore(i < 5 ? 7 : 8); // mean 7.29: 8.9 % less pain
    c.scores.push_back(s);
  }
  const Assessment a = c.step("2026-12-22");
  REQUIRE(a.decision == DecisionKind::switch_);
  const Plan running = c.plan;
  const Date from = day("2026-12-28");
  Dose gabapentin_taken;
  for (const auto &[stage, step] : running.on(from))
    if (stage->drug == "gabapentin")
      gabapentin_taken = step->daily;
  REQUIRE(gabapentin_taken > Dose::milligrams(300)); // up-titrated since 2026-12-22

  PlanRequest req = request("2026-12-28");
  const Draft d = draft_plan(c.patient, shipped_formulary(), shipped_pathway(), req, &running);
  CHECK(d.continued);
  CHECK(d.plan.lint.empty());
  Course next = c;
  next.plan = d.plan;
  // The running taper goes on to its last day; gabapentin goes on from the dose taken.
  for (const char *dd : {"2026-12-28", "2027-01-04"}) {
    CAPTURE(dd);
    const auto t = next.taken(dd);
    CHECK(std::find(t.begin(), t.end(), "duloxetine 30 mg") != t.end());
  }
  CHECK(next.taken("2027-01-05").size() == 1); // 14 taper days: the last was 2027-01-04
  CHECK(next.taken("2026-12-28") == c.taken("2026-12-28"));
  CHECK(d.plan.current_trial()->assessed_dose == running.current_trial()->assessed_dose);

  // A plan built afresh (what titrate drafted before) drops the taper and restarts gabapentin:
  // lint says so, as avoid findings naming the day and the doses.
  req.tried = running.tried;
  const Plan fresh = build_plan(c.patient, shipped_formulary(), shipped_pathway(), req);
  const auto findings = lint_continuity(fresh, running, from);
  const auto has = [&](const std::string &rule) {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding &f) {
      return f.rule == rule && f.severity == Severity::avoid;
    });
  };
  CHECK(has("lint.dropped-taper"));
  CHECK(has("lint.cut-dose"));
  // --prefer another drug builds afresh, and the same findings come with it.
  req.prefer = "amitriptyline";
  const Draft other = draft_plan(c.patient, shipped_formulary(), shipped_pathway(), req, &running);
  CHECK_FALSE(other.continued);
  CHECK(std::any_of(other.plan.lint.begin(), other.plan.lint.end(),
                    [](const Finding &f) { return f.rule == "lint.dropped-taper"; }));
}

TEST_CASE("re-planning a responder keeps maintenance, lowered only to a new renal cap") {
  Course c;
  c.plan = cipn_plan_dec1(c.patient);
  daily_scores(c.scores, "2026-12-15", 7, 4);
  c.step("2026-12-22");
  REQUIRE(c.plan.stages[0].maintenance());
  PlanRequest req = request("2027-01-10");
  Draft d = draft_plan(c.patient, shipped_formulary(), shipped_pathway(), req, &c.plan);
  CHECK(d.continued);
  CHECK(d.plan == [&] {
    Plan p = c.plan;
    p.lint = d.plan.lint;
    return p;
  }());
  CHECK(d.plan.lint.empty());
}

// Found by the course simulator (seed 20261130, nice-cg173, course C5753; docs/reliability.md):
// a switch on pregabalin's first day leaves that one day of the pregabalin trial at 150 mg, then
// a cross-taper at 75 mg and amitriptyline; renal function falls to CrCl 10 mL/min the same day
// and the clinician re-plans from that day. The re-plan must cap what is left of the earlier
// trial as it caps a running taper: no dose from the re-plan day on above today's cap (pregabalin
// at CrCl under 15 mL/min: 25-75 mg a day, clinical.md pregabalin renal row [PGB-US] 2.7), said
// in a replan.capped warning.
TEST_CASE("a re-plan caps the days left of a trial a switch cut short, as it caps a taper") {
  const Formulary &f = shipped_formulary();
  const Monograph &gaba = f.get("gabapentin");
  const Monograph &pgb = f.get("pregabalin");
  const Monograph &ami = f.get("amitriptyline");
  const auto stage = [](const Monograph &m, StageRole role,
                        std::vector<std::tuple<const char *, const char *, long>> steps) {
    Stage s;
    s.drug = m.name;
    s.role = role;
    for (const auto &[b, e, mgd] : steps) {
      auto doses = split_daily(m, mg(mgd), m.titration.times);
      REQUIRE(doses);
      s.steps.push_back(Step{DateRange(day(b), day(e)), mg(mgd), *doses});
    }
    return s;
  };
  Plan running;
  running.patient = "C5753";
  running.pathway = "nice-cg173";
  running.start = day("2030-04-01");
  running.stages = {stage(gaba, StageRole::trial, {{"2030-04-01", "2030-04-11", 300}}),
                    stage(pgb, StageRole::trial, {{"2030-04-11", "2030-04-12", 150}}),
                    stage(pgb, StageRole::cross_taper, {{"2030-04-12", "2030-04-19", 75}}),
                    stage(ami, StageRole::trial, {{"2030-04-12", "2030-04-19", 10}})};
  Patient p = adult("C5753");
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 10;
  const Date from = day("2030-04-11");
  const auto next = continue_plan(running, p, f, shipped_pathway("nice-cg173"), from, from);
  REQUIRE(next);
  const EligibilityReport report = check_eligibility(p, f, from);
  const Dose cap = daily_cap(pgb, *report.find("pregabalin"));
  CHECK(cap == mg(75)); // clinical.md [PGB-US] 2.7: CrCl under 15 mL/min, 25-75 mg a day
  bool warned = false;
  for (const auto &s : next->stages) {
    if (s.drug != "pregabalin")
      continue;
    for (const auto &st : s.steps) {
      INFO(to_string(s.role) << " " << iso(st.range.begin()) << " " << st.daily.str());
      if (st.range.end() > from)
        CHECK(st.daily <= cap);
    }
    for (const auto &w : s.warnings)
      warned = warned || w.rule == "replan.capped";
  }
  CHECK(warned);
}

// Found by the course simulator (seed 20261130, nice-cg173, courses C1274 and C2940;
// docs/reliability.md): amitriptyline fails at its maximum and is tapered for 7 weeks (more than 8
// weeks on it: at least 4 weeks, clinical.md H10), duloxetine to follow when the taper ends. The
// same day renal function falls to CrCl 10 mL/min: duloxetine is now avoid (CrCl below 30,
// DUL-US 2.4) before its first day. The decision (switch) used to throw at --apply ("before the
// start of duloxetine"). Never taken, duloxetine needs no taper: it leaves the plan; the next drug
// of nice-cg173 (gabapentin) starts on the day duloxetine would have, in the CrCl <= 15 band
// (GAB-US 2.3: 100-300 mg a day, clinical.md A3: start at the band's lowest dose).
TEST_CASE("a drug given up before its first day leaves the plan, untapered, and the next follows") {
  const Formulary &f = shipped_formulary();
  const Pathway &pw = shipped_pathway("nice-cg173");
  const Monograph &ami = f.get("amitriptyline");
  const Monograph &dul = f.get("duloxetine");
  Stage trial;
  trial.drug = ami.name;
  trial.role = StageRole::trial;
  trial.steps.push_back(Step{DateRange(day("2028-02-29"), day("2028-05-16")), mg(75),
                             *split_daily(ami, mg(75), ami.titration.times)});
  trial.assessed_dose = mg(75);
  trial.target_reached = day("2028-04-25");
  trial.decision_date = day("2028-05-16");
  Stage taper;
  taper.drug = ami.name;
  taper.role = StageRole::taper;
  taper.steps.push_back(Step{DateRange(day("2028-05-16"), day("2028-07-04")), mg(10),
                             *split_daily(ami, mg(10), ami.titration.times)});
  Course c;
  c.patient = adult("C1274");
  c.patient.baseline_pain = PainScore(9);
  c.patient.serum_creatinine_mg_dl.reset();
  c.patient.crcl_ml_min = 10;
  const EligibilityReport report = check_eligibility(c.patient, f, day("2028-05-16"));
  REQUIRE(report.find("duloxetine")->verdict == Severity::avoid);
  c.plan.patient = "C1274";
  c.plan.pathway = pw.name;
  c.plan.start = day("2028-02-29");
  c.plan.tried = {"amitriptyline"};
  c.plan.stages = {trial, taper,
                   build_trial_stage(dul, *report.find("duloxetine"), pw, day("2028-07-04"))};

  SECTION("titrate's switch: gabapentin from the day duloxetine would have started") {
    const AssessInput in{c.plan, c.patient, f, pw, c.scores, c.effects, day("2028-05-16"), 0};
    const Assessment a = assess(in);
    CHECK(a.decision == DecisionKind::switch_);
    CHECK(a.rule == "decision.new-contraindication");
    CHECK(a.next_drug == "gabapentin");
    CHECK(a.reasons.back() ==
          "duloxetine was to start on 2028-07-04: it is not started, and needs no taper");
    const Plan next = apply_decision(in, a);
    for (const auto &s : next.stages)
      CHECK(s.drug != "duloxetine"); // never taken: no trial, no taper
    CHECK(std::find(next.tried.begin(), next.tried.end(), "duloxetine") != next.tried.end());
    const Stage *gaba = next.current_trial();
    REQUIRE(gaba != nullptr);
    CHECK(gaba->drug == "gabapentin");
    CHECK(gaba->steps.front().range.begin() == day("2028-07-04"));
    CHECK(gaba->steps.front().daily == mg(100));
    for (const auto &st : gaba->steps)
      CHECK(st.daily <= mg(300));
    CHECK(gaba->note.find("duloxetine was to start on 2028-07-04 and is not started") !=
          std::string::npos);
    // The running taper is kept as it was.
    CHECK(next.stages[1].steps.back().range == DateRange(day("2028-05-16"), day("2028-07-04")));
    CHECK(next.next_assessment() == gaba->decision_date);
  }
  SECTION("no drug left: a stop, nothing follows the taper, and the plan says why") {
    c.plan.tried = {"amitriptyline", "gabapentin", "pregabalin"};
    const AssessInput in{c.plan, c.patient, f, pw, c.scores, c.effects, day("2028-05-16"), 0};
    const Assessment a = assess(in);
    CHECK(a.decision == DecisionKind::stop);
    CHECK(a.rule == "decision.no-stage-left");
    const Plan next = apply_decision(in, a);
    REQUIRE(next.stages.size() == 2);
    CHECK(next.on(day("2028-07-04")).empty());
    CHECK(next.on(day("2028-07-03")).size() == 1); // the last amitriptyline taper day
    const std::string &note = next.stages[1].note;
    CHECK(note.find("duloxetine was to start on 2028-07-04 and is not started") !=
          std::string::npos);
    CHECK(note.find("no further drug") != std::string::npos);
    CHECK(!next.next_assessment());
  }
}

// Found by the course simulator's invariant 7 (seed 20261130, cipn-esmo, course C5998): an
// intolerable effect on duloxetine switches to gabapentin on 2028-01-21 (cross-taper); an
// intolerable effect on gabapentin's first day stops it (nothing left: refer), leaving that one
// day at 300 mg and a gabapentin taper. Renal function changes the same day (CrCl 50 mL/min:
// the 30-60 band, at most 1,400 mg a day, GAB-US 2.3) and the clinician re-plans. The re-plan
// used to take gabapentin, given up, for the current trial and titrate it again from 600 mg up
// to 1,400 mg. A drug given up is history: what is left of it goes on as planned, within today's
// cap, and it is never raised again.
TEST_CASE("a re-plan never titrates a drug that was given up on its first day") {
  const Formulary &f = shipped_formulary();
  const Monograph &dul = f.get("duloxetine");
  const Monograph &gaba = f.get("gabapentin");
  const auto step = [](const Monograph &m, const char *b, const char *e, long mgd) {
    auto doses = split_daily(m, mg(mgd), m.titration.times);
    REQUIRE(doses);
    return Step{DateRange(day(b), day(e)), mg(mgd), *doses};
  };
  Plan running;
  running.patient = "C5998";
  running.pathway = "cipn-esmo";
  running.start = day("2028-01-06");
  running.tried = {"duloxetine", "gabapentin"};
  Stage d;
  d.drug = dul.name;
  d.role = StageRole::trial;
  d.steps = {step(dul, "2028-01-06", "2028-01-13", 30), step(dul, "2028-01-13", "2028-01-21", 60)};
  d.assessed_dose = mg(60);
  Stage dx;
  dx.drug = dul.name;
  dx.role = StageRole::cross_taper;
  dx.steps = {step(dul, "2028-01-21", "2028-02-04", 30)};
  Stage g;
  g.drug = gaba.name;
  g.role = StageRole::trial;
  g.steps = {step(gaba, "2028-01-21", "2028-01-22", 300)};
  g.assessed_dose = mg(1800); // as planned before the stop cut it
  Stage gt;
  gt.drug = gaba.name;
  gt.role = StageRole::taper;
  gt.steps = {step(gaba, "2028-01-22", "2028-01-29", 100)};
  running.stages = {d, dx, g, gt};
  Patient p = adult("C5998");
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 50;
  const Date from = day("2028-01-21");
  const auto next = continue_plan(running, p, f, shipped_pathway(), from, from);
  REQUIRE(next);
  for (Date x = from; x < day("2028-03-01"); x += Days(1)) {
    Dose gabapentin;
    for (const auto &[stage, st] : next->on(x))
      if (stage->drug == "gabapentin")
        gabapentin += st->daily;
    INFO(iso(x));
    // 300 mg on its one trial day, then the 100 mg taper to 2028-01-28, then none.
    CHECK(gabapentin == (x == from ? mg(300) : x < day("2028-01-29") ? mg(100) : Dose{}));
  }
  CHECK(!next->next_assessment());
}
