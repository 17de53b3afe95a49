// The model functions on the shipped formulary. Expected values come by hand from
// shared/clinical.md (section cited at each case), not from the code's output.
#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"
#include "tests/common/thrown.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using titrate::test::thrown_message;

namespace {
const Formulary &shipped() {
  static const Formulary f = load_formulary(test::shipped_formulary_files());
  return f;
}
Dose mg(std::int64_t x) {
  return Dose::milligrams(x);
}
} // namespace

TEST_CASE("the shipped formulary holds the five drugs, sorted by name") {
  const auto &f = shipped();
  REQUIRE(f.drugs.size() == 5);
  CHECK(f.drugs[0].name == "amitriptyline");
  CHECK(f.drugs[1].name == "duloxetine");
  CHECK(f.drugs[2].name == "gabapentin");
  CHECK(f.drugs[3].name == "nortriptyline");
  CHECK(f.drugs[4].name == "pregabalin");
}

TEST_CASE("gabapentin renal bands put each boundary in the safer band (clinical.md A2)") {
  const auto &g = shipped().get("gabapentin");
  // 30 -> the 15-30 band (max 700 mg/d, once daily); 59.5 -> 30-60 (max 1,400); 60 -> full.
  REQUIRE(g.renal_band(30) != nullptr);
  CHECK(g.renal_band(30)->max_daily == mg(700));
  CHECK(g.renal_band(30)->min_daily == mg(200));
  CHECK(g.renal_band(30)->times.size() == 1);
  CHECK(g.renal_band(59.5)->max_daily == mg(1400));
  CHECK(g.renal_band(59.5)->times.size() == 2);
  CHECK(g.renal_band(60)->max_daily == mg(3600));
  CHECK(g.renal_band(60)->times.size() == 3);
  CHECK(g.renal_band(15)->max_daily == mg(300));
  CHECK(g.renal_band(15.5)->max_daily == mg(700));
  CHECK(g.renal_band(0)->max_daily == mg(300));
  CHECK(g.renal_band(25)->describe() == "CrCl more than 15 and at most 30");
  CHECK(g.renal_band(45)->describe() == "CrCl more than 30 and less than 60");
  CHECK(g.renal_band(90)->describe() == "CrCl 60 or more");
  CHECK(g.renal_band(10)->describe() == "CrCl at most 15");
}

TEST_CASE("pregabalin renal caps follow PGB-US 2.7 (clinical.md B4)") {
  const auto &p = shipped().get("pregabalin");
  CHECK(p.renal_band(60)->max_daily == mg(600));
  CHECK(p.renal_band(30)->max_daily == mg(150));
  CHECK(p.renal_band(31)->max_daily == mg(300));
  CHECK(p.renal_band(15)->max_daily == mg(75));
}

TEST_CASE("duloxetine: CrCl below 30 is avoid, 30 exactly is allowed (clinical.md A2)") {
  const auto &d = shipped().get("duloxetine");
  CHECK(d.renal_band(29.9)->avoid);
  CHECK(d.renal_band(29.9)->severity == Severity::avoid);
  CHECK_FALSE(d.renal_band(30)->avoid);
  CHECK(d.renal_band(30)->describe() == "CrCl 30 or more");
  CHECK(d.renal_band(0)->describe() == "CrCl less than 30");
}

// clinical.md H5 (medium): no dose change for either TCA; nortriptyline below GFR 10: a note.
TEST_CASE("TCA renal bands: no dose change (H5), nortriptyline below 10 mL/min carries a note") {
  const auto &a = shipped().get("amitriptyline");
  REQUIRE(a.renal.size() == 1);
  CHECK(a.renal_band(0) == a.renal_band(500));
  CHECK(a.renal[0].cite.verified);
  CHECK(a.renal[0].cite.confidence == "medium");
  CHECK(a.renal[0].describe() == "any CrCl");
  CHECK_FALSE(a.renal[0].max_daily);
  const auto &n = shipped().get("nortriptyline");
  REQUIRE(n.renal.size() == 2);
  CHECK(n.renal_band(9.9)->note == "GFR below 10 mL/min: start with a small dose");
  CHECK(n.renal_band(10)->note.empty());
  for (const auto &b : n.renal) {
    CHECK_FALSE(b.max_daily);
    CHECK(b.severity == Severity::ok);
  }
}

TEST_CASE("titration figures match clinical.md A3") {
  const auto &f = shipped();
  const auto &d = f.get("duloxetine").titration;
  REQUIRE(d.start.size() == 1);
  CHECK(d.start[0].daily == mg(30));
  CHECK(d.start[0].days == 7);
  CHECK(d.target == mg(60));
  CHECK(d.max_daily == mg(60));
  CHECK(d.escalation.empty());
  const auto &g = f.get("gabapentin").titration;
  REQUIRE(g.start.size() == 3);
  CHECK(g.start[0].daily == mg(300));
  CHECK(g.start[1].daily == mg(600));
  CHECK(g.start[2].daily == mg(900));
  CHECK(g.increment == mg(300));
  CHECK(g.min_interval_days == 3);
  CHECK(g.target == mg(1800));
  CHECK(g.escalation == std::vector<Dose>{mg(2400), mg(3600)});
  CHECK(g.max_daily == mg(3600));
  const auto &a = f.get("amitriptyline").titration;
  CHECK(a.start[0].daily == mg(10));
  CHECK(a.times == std::vector<AdminTime>{AdminTime::bedtime});
  CHECK(a.target == mg(50));
  CHECK(a.max_daily == mg(75));
  const auto &p = f.get("pregabalin").titration;
  CHECK(p.start[0].daily == mg(150));
  CHECK(p.times.size() == 2);
  CHECK(p.target == mg(300));
  CHECK(p.escalation == std::vector<Dose>{mg(450), mg(600)});
  const auto &n = f.get("nortriptyline");
  CHECK(n.titration.max_daily == mg(100));
  CHECK(n.titration.escalation == std::vector<Dose>{mg(75), mg(100)});
  REQUIRE_FALSE(n.age.empty());
  CHECK(n.age[0].min_age == 65);
  CHECK(n.age[0].rule.max_daily == mg(50));
}

TEST_CASE("stocks() knows the marketed strengths") {
  const auto &d = shipped().get("duloxetine");
  CHECK(d.stocks(mg(20)));
  CHECK(d.stocks(mg(30)));
  CHECK(d.stocks(mg(60)));
  CHECK_FALSE(d.stocks(mg(25)));
  CHECK_FALSE(shipped().get("gabapentin").stocks(mg(200)));
}

TEST_CASE("interaction rules: MAOI washout is 14 days for duloxetine and TCAs (clinical.md A5)") {
  for (const char *drug : {"duloxetine", "amitriptyline", "nortriptyline"}) {
    const auto &m = shipped().get(drug);
    const InteractionRule *maoi = nullptr;
    for (const auto &r : m.interactions)
      if (r.med_class == "maoi")
        maoi = &r;
    REQUIRE(maoi != nullptr);
    CHECK(maoi->washout_days == 14);
    CHECK(maoi->rule.severity == Severity::avoid);
  }
  for (const auto &r : shipped().get("gabapentin").interactions)
    CHECK(r.med_class != "maoi");
}

TEST_CASE("a second gabapentinoid is avoid, the drug itself is an already-taking caution") {
  const auto &g = shipped().get("gabapentin");
  bool second = false, self = false;
  for (const auto &r : g.interactions) {
    if (r.med_class == "gabapentinoid") {
      second = true;
      CHECK(r.except_self);
      CHECK(r.rule.severity == Severity::avoid);
    }
    if (r.medication == "gabapentin") {
      self = true;
      CHECK(r.rule.severity == Severity::caution);
    }
  }
  CHECK(second);
  CHECK(self);
}

TEST_CASE("vocabulary: conditions, medication classes, formulary drugs' own classes") {
  const auto &v = shipped().vocabulary;
  CHECK(v.conditions.size() == 20); // clinical.md A8 lists 20 terms
  CHECK(v.knows_condition("falls-history"));
  CHECK_FALSE(v.knows_condition("cirrhosis"));
  const auto *tramadol = v.classes_of("tramadol");
  REQUIRE(tramadol != nullptr);
  CHECK(std::count(tramadol->begin(), tramadol->end(), "serotonergic") == 1);
  CHECK(std::count(tramadol->begin(), tramadol->end(), "opioid") == 1);
  const auto *dul = v.classes_of("duloxetine");
  REQUIRE(dul != nullptr);
  CHECK(std::count(dul->begin(), dul->end(), "cyp2d6-inhibitor") == 1);
  CHECK(v.classes_of("no-such-medicine") == nullptr);
  CHECK(v.drug_classes.at("pregabalin") == "gabapentinoid");
  CHECK(v.knows_class("maoi"));
  CHECK_FALSE(v.knows_class("ssri"));
}

TEST_CASE("switch rules pick the most specific row (clinical.md A7)") {
  const auto &f = shipped();
  const auto *r = f.switch_rule("duloxetine", "amitriptyline");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::sequential);
  CHECK(r->gap_days == 4);
  CHECK(r->next_start == mg(10));
  r = f.switch_rule("duloxetine", "gabapentin");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::overlap);
  CHECK(r->cite.verified); // H7 (medium): trials added the gabapentinoid to duloxetine
  CHECK(r->cite.confidence == "medium");
  r = f.switch_rule("gabapentin", "duloxetine");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::cross_taper);
  CHECK(r->decrement == mg(300));
  CHECK(r->interval_days == 4);
  r = f.switch_rule("gabapentin", "pregabalin");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::sequential);
  CHECK(r->gap_days == 1);
  CHECK(r->cite.confidence == "medium"); // H12
  r = f.switch_rule("amitriptyline", "gabapentin");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::overlap);
  CHECK(r->cite.confidence == "medium-high"); // H8
  CHECK_THAT(r->caution, Catch::Contains("additive sedation"));
  // H11 (low): pregabalin -> duloxetine overlaps, with a caution, unverified.
  r = f.switch_rule("pregabalin", "duloxetine");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::overlap);
  CHECK_FALSE(r->caution.empty());
  CHECK_FALSE(r->cite.verified);
  CHECK(r->cite.confidence == "low");
  // H9 (low): TCA to TCA: stop one, start the other the next day at its own start dose.
  for (const auto &[from, to] :
       {std::pair{"amitriptyline", "nortriptyline"}, std::pair{"nortriptyline", "amitriptyline"}}) {
    r = f.switch_rule(from, to);
    REQUIRE(r != nullptr);
    CHECK(r->mode == SwitchMode::sequential);
    CHECK(r->gap_days == 1);
    CHECK_FALSE(r->next_start); // no 1:1 conversion: the drug's own start dose
    CHECK_FALSE(r->cite.verified);
    CHECK(r->cite.confidence == "low");
  }
  // H10 (medium): TCA -> duloxetine taper fully first.
  r = f.switch_rule("nortriptyline", "duloxetine");
  REQUIRE(r != nullptr);
  CHECK(r->mode == SwitchMode::sequential);
  CHECK(r->cite.confidence == "medium");
}

TEST_CASE("duloxetine taper: 60 -> 30 mg for 14 days, 30 -> 20 mg for 7 days if stocked") {
  const auto &t = shipped().get("duloxetine").taper;
  CHECK(t.kind == TaperKind::explicit_steps);
  REQUIRE(t.steps.size() == 2);
  CHECK(t.steps[0].from == mg(60));
  CHECK(t.steps[0].to == mg(30));
  CHECK(t.steps[0].days == 14);
  CHECK(t.steps[1].to == mg(20));
  CHECK(t.steps[1].days == 7);
  CHECK(t.steps[1].requires_strength);
  const auto &a = shipped().get("amitriptyline").taper;
  CHECK(a.kind == TaperKind::decrement);
  CHECK(a.decrement == mg(10));
  CHECK(a.interval_days == 7);
  // H6 (low): under 8 weeks 7-14 days; 8 weeks or more at least 28 days.
  REQUIRE(a.by_time_on_drug.size() == 2);
  CHECK(a.by_time_on_drug[0].min_weeks == 0);
  CHECK(a.by_time_on_drug[0].min_total_days == 7);
  CHECK(a.by_time_on_drug[0].max_total_days == 14);
  CHECK(a.by_time_on_drug[1].min_weeks == 8);
  CHECK(a.by_time_on_drug[1].min_total_days == 28);
  CHECK_FALSE(a.by_time_on_drug[1].max_total_days);
  CHECK_FALSE(a.cite.verified);
  CHECK(a.cite.confidence == "low");
  CHECK(shipped().get("nortriptyline").taper.by_time_on_drug.size() == 2);
  const auto &g = shipped().get("gabapentin").taper;
  CHECK(g.kind == TaperKind::drop_administration);
  CHECK(g.interval_days == 4);
  CHECK(g.min_total_days == 7);
  CHECK_THAT(t.note, Catch::Contains("never alternate-day dosing")); // H2
}

// clinical.md H14: 125/150/200/250/350 mg after each session for 100/125/150/200/300 mg once daily.
TEST_CASE("gabapentin haemodialysis supplements are the label's table (H14)") {
  const auto &g = shipped().get("gabapentin");
  REQUIRE(g.haemodialysis);
  const long table[][2] = {{100, 125}, {125, 150}, {150, 200}, {200, 250}, {300, 350}};
  REQUIRE(g.haemodialysis->supplements.size() == 5);
  for (const auto &row : table) {
    const DialysisSupplement *s = g.haemodialysis->for_daily(mg(row[0]));
    REQUIRE(s != nullptr);
    CHECK(s->supplement == mg(row[1]));
  }
  CHECK(g.haemodialysis->for_daily(mg(700)) == nullptr);
  CHECK(g.haemodialysis->cite.verified);
  CHECK_FALSE(shipped().get("pregabalin").haemodialysis); // no pregabalin table in clinical.md
}

// clinical.md H13 (600/800 mg scored, half may be used, discard within 28 days) and H16
// (pregabalin capsules 25, 50, 75, 100, 150, 200, 225, 300 mg).
TEST_CASE("gabapentin 600/800 mg tablets are scored with the half-tablet note, pregabalin "
          "strengths verified") {
  const auto &g = shipped().get("gabapentin");
  for (const auto &s : g.strengths) {
    const bool scored = s.dose == mg(600) || s.dose == mg(800);
    CHECK(s.splittable == scored);
    if (scored)
      CHECK_THAT(s.note, Catch::Contains("28 days"));
  }
  const auto &p = shipped().get("pregabalin");
  std::vector<Dose> doses;
  for (const auto &s : p.strengths) {
    doses.push_back(s.dose);
    CHECK(s.cite.verified);
    CHECK(s.form == Form::capsule);
  }
  CHECK(doses ==
        std::vector<Dose>{mg(25), mg(50), mg(75), mg(100), mg(150), mg(200), mg(225), mg(300)});
}

TEST_CASE("get() of an unknown drug is NotFoundError naming the known ones") {
  CHECK_THAT(
      thrown_message<NotFoundError>([] { shipped().get("venlafaxine"); }, "(no NotFoundError)"),
      Catch::Contains("venlafaxine") && Catch::Contains("gabapentin"));
  CHECK(shipped().find("venlafaxine") == nullptr);
}

TEST_CASE("admin times and forms print and parse") {
  CHECK(to_string(AdminTime::bedtime) == "bedtime");
  CHECK(to_string(Form::tablet) == "tablet");
  CHECK(parse_enum<AdminTime>("midday", "time") == AdminTime::midday);
  CHECK_THROWS_AS(parse_enum<AdminTime>("qhs", "time"), InputError);
  CHECK_THROWS_WITH(parse_enum<AdminTime>("noon", "times"),
                    Catch::Contains("times") && Catch::Contains("bedtime"));
}

TEST_CASE("UNVERIFIED figures are marked verified = false") {
  const auto &f = shipped();
  CHECK(f.get("duloxetine").tall_man == "DULoxetine");
  CHECK(f.get("duloxetine").tall_man_cite.verified); // H20 (medium-high)
  CHECK(f.display_name("duloxetine") == "DULoxetine");
  CHECK(f.display_name("gabapentin") == "gabapentin");
  CHECK(f.get("gabapentin").tall_man.empty());
  CHECK(f.get("nortriptyline").titration.cite.verified); // H4 (medium-high)
  CHECK(f.get("amitriptyline").titration.cite.verified); // H3 (medium-high)
  CHECK_FALSE(f.get("duloxetine").taper.cite.verified);  // H2 shape: low
  CHECK_FALSE(f.get("pregabalin").rxcui_cite.verified);  // not covered by H
  CHECK(f.get("duloxetine").titration.cite.verified);
  CHECK(f.get("duloxetine").rxcui == "72625");
  CHECK(f.get("pregabalin").rxcui == "187832");
}
