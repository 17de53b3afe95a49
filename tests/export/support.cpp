#include "tests/export/support.hpp"

#include "tests/common/banned_patterns.hpp"
#include "tests/common/g1_patient.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace titrate::test {

namespace {

Date d(const char *text) {
  return parse_date(text);
}
LocalDateTime at(const char *text) {
  return parse_local_datetime(text);
}
Dose mg(std::int64_t v) {
  return Dose::milligrams(v);
}

Administration admin(AdminTime t, std::int64_t dose_mg, std::vector<UnitCount> units) {
  return Administration{t, mg(dose_mg), std::move(units)};
}
// A step from `from` up to (not including) `to` of `daily_mg` a day, taken as `doses`.
Step step(const char *from, const char *to, std::int64_t daily_mg,
          std::vector<Administration> doses) {
  return Step{DateRange(d(from), d(to)), mg(daily_mg), std::move(doses)};
}
UnitCount cap(std::int64_t strength, int count) {
  return UnitCount{mg(strength), Form::capsule, count};
}
UnitCount tab(std::int64_t strength, int count) {
  return UnitCount{mg(strength), Form::tablet, count};
}

std::string quote(const std::string &s) {
  return "'" + s + "'";
}

} // namespace

// Codes from clinical.md E1 (ingredient RxCUIs): duloxetine 72625, gabapentin 25480. The tall-man
// form DULoxetine is the ISMP form named (UNVERIFIED) in clinical.md F; gabapentin has none.
Formulary sample_formulary() {
  Formulary f;
  Monograph dul;
  dul.name = "duloxetine";
  dul.drug_class = "snri";
  dul.tall_man = "DULoxetine";
  dul.rxcui = "72625";
  dul.strengths = {Strength{mg(30), Form::capsule, false, "596930", {}},
                   Strength{mg(60), Form::capsule, false, "596934", {}}};
  Monograph gab;
  gab.name = "gabapentin";
  gab.drug_class = "gabapentinoid";
  gab.rxcui = "25480";
  gab.strengths = {Strength{mg(300), Form::capsule, false, "310431", {}},
                   Strength{mg(600), Form::tablet, false, "310433", {}}};
  f.drugs = {dul, gab};
  return f;
}

Patient sample_patient() {
  Patient p = g1_patient("P001", d("1971-03-02"));
  p.baseline_pain = PainScore(8);
  return p;
}

// Shaped like clinical.md G scenario 8 and A3, cut short so a golden file can be checked by hand:
// duloxetine 30 mg daily 7 d then 60 mg daily (decision date = first 60 mg day + 14 d =
// 2026-12-22); switch: duloxetine 30 mg daily 14 d then stop, gabapentin starting on the first
// taper day (300 mg day 1, 300 mg twice daily day 2, then 300 mg three times daily, then
// 1,800 mg/d as 600 mg three times daily, the A3 target).
Plan sample_plan() {
  Plan p;
  p.patient = "P001";
  p.pathway = "cipn-esmo";
  p.start = d("2026-12-01");

  Stage dul;
  dul.drug = "duloxetine";
  dul.role = StageRole::trial;
  dul.steps = {
      step("2026-12-01", "2026-12-08", 30, {admin(AdminTime::morning, 30, {cap(30, 1)})}),
      step("2026-12-08", "2026-12-29", 60, {admin(AdminTime::morning, 60, {cap(60, 1)})}),
  };
  dul.assessed_dose = mg(60);
  dul.target_reached = d("2026-12-08");
  dul.decision_date = d("2026-12-22");
  dul.dispense = {cap(30, 7), cap(60, 21)};

  Stage taper;
  taper.drug = "duloxetine";
  taper.role = StageRole::taper;
  taper.steps = {
      step("2026-12-29", "2027-01-12", 30, {admin(AdminTime::morning, 30, {cap(30, 1)})})};
  taper.note = "discontinuation-symptom check";

  Stage gab;
  gab.drug = "gabapentin";
  gab.role = StageRole::trial;
  gab.steps = {
      step("2026-12-29", "2026-12-30", 300, {admin(AdminTime::bedtime, 300, {cap(300, 1)})}),
      step("2026-12-30", "2026-12-31", 600,
           {admin(AdminTime::morning, 300, {cap(300, 1)}),
            admin(AdminTime::bedtime, 300, {cap(300, 1)})}),
      step("2026-12-31", "2027-01-07", 900,
           {admin(AdminTime::morning, 300, {cap(300, 1)}),
            admin(AdminTime::midday, 300, {cap(300, 1)}),
            admin(AdminTime::bedtime, 300, {cap(300, 1)})}),
      step("2027-01-07", "2027-01-21", 1800,
           {admin(AdminTime::morning, 600, {tab(600, 1)}),
            admin(AdminTime::midday, 600, {tab(600, 1)}),
            admin(AdminTime::bedtime, 600, {tab(600, 1)})}),
  };
  gab.assessed_dose = mg(1800);
  gab.target_reached = d("2027-01-07");
  gab.decision_date = d("2027-01-21");

  p.stages = {dul, taper, gab};
  return p;
}

// Scores: before the first dose (baseline days), two on one day (mean 6.5), and a correction
// (id 11 supersedes id 10: 9 -> 7). Notes hold a comma and quotes to exercise quoting.
std::vector<ScoreEntry> sample_scores() {
  return {
      ScoreEntry{1, at("2026-11-28T09:00"), PainScore(8), "", std::nullopt},
      ScoreEntry{2, at("2026-11-29"), PainScore(8), "", std::nullopt},
      ScoreEntry{3, at("2026-11-30T20:00"), PainScore(7), "bad night, feet burning", std::nullopt},
      ScoreEntry{4, at("2026-12-10T08:30"), PainScore(6), "", std::nullopt},
      ScoreEntry{5, at("2026-12-10T20:00"), PainScore(7), "said \"better\"", std::nullopt},
      ScoreEntry{10, at("2026-12-20T09:00"), PainScore(9), "typo", std::nullopt},
      ScoreEntry{11, at("2026-12-20T09:00"), PainScore(7), "", 10},
  };
}

ExportContext sample_context(ReviewState review, int version) {
  ExportContext c;
  c.plan_version = version;
  c.review = review;
  if (review == ReviewState::approved) {
    c.approved_by = "Ana Ruiz";
    c.approved_at = at("2026-11-30T14:05");
  }
  c.time_zone = "Europe/Paris";
  c.now_utc = at("2026-11-30T15:00");
  return c;
}

std::string write_output(const std::string &name, const std::string &text) {
  const std::filesystem::path dir = TITRATE_EXPORT_OUT;
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f)
    throw std::runtime_error("cannot write " + path);
  return path;
}

std::string read_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

ToolResult run_tool(const std::string &command) {
  ToolResult r;
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) {
    r.output = "cannot run: " + command;
    return r;
  }
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string python() {
  if (const char *p = std::getenv("TITRATE_PYTHON"))
    return p;
  return "/usr/bin/python3";
}

std::string script(const std::string &name) {
  return std::string(TITRATE_EXPORT_TESTS) + "/" + name;
}
std::string golden(const std::string &name) {
  return std::string(TITRATE_EXPORT_TESTS) + "/golden/" + name;
}

ToolResult validate_ics(const std::string &path) {
  return run_tool(python() + " " + quote(script("check_ics.py")) + " " + quote(path));
}
ToolResult validate_csv(const std::string &path) {
  return run_tool(python() + " " + quote(script("check_csv.py")) + " " + quote(path));
}
ToolResult validate_svg(const std::string &path) {
  return run_tool(python() + " " + quote(script("check_svg.py")) + " " + quote(path));
}
ToolResult validate_fhir(const std::string &path) {
  return run_tool("node " + quote(script("validate_fhir.js")) + " " + quote(path));
}

Sample short_sample() {
  Sample s;
  s.plan = short_plan();
  return s;
}

std::string exported(Exporter write, const Sample &s) {
  std::ostringstream out;
  write(out, s.input());
  return out.str();
}

ToolResult require_accepted(Validator validate, const std::string &name, const std::string &text) {
  auto r = validate(write_output(name, text));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return r;
}

void check_golden_accepted(Exporter write, Validator validate, const Sample &s,
                           const std::string &name) {
  const std::string text = exported(write, s);
  check_golden(name, text);
  require_accepted(validate, name, text);
}

nlohmann::json accepted_summary(Validator validate, const std::string &name,
                                const std::string &text) {
  return nlohmann::json::parse(require_accepted(validate, name, text).output);
}

} // namespace titrate::test

namespace titrate::test {

Plan short_plan() {
  Plan p = sample_plan();
  p.stages.resize(1);
  return p;
}

void check_golden(const std::string &name, const std::string &actual) {
  const std::string path = golden(name);
  if (std::getenv("TITRATE_UPDATE_GOLDEN")) {
    std::ofstream f(path, std::ios::binary);
    f << actual;
    FAIL("wrote " << path << ": read it against the specs before committing");
  }
  std::string expected;
  REQUIRE_NOTHROW(expected = read_file(path));
  if (expected != actual) {
    const std::string out = write_output("actual-" + name, actual);
    FAIL("output differs from golden " << path << "; actual output in " << out << " (diff them)");
  }
}

std::vector<std::string> ismp_violations(const std::string &text) {
  // clinical.md F: what must never be printed.
  static const std::vector<BannedPattern> banned = {
      {R"(\d\.0+\b)", "trailing zero"},
      {R"((^|[^0-9])\.\d)", "naked decimal (no leading zero)"},
      {R"(\b(QD|qd|q\.d\.|OD|QOD|HS|hs|QHS|qhs|qn|BID|TID|bid|tid)\b)", "Latin abbreviation"},
      {R"([@&+/])", "symbol instead of a word"},
      {R"(\d{4,} ?mg)", "1,000 or more without a comma"},
      {R"(\dmg)", "number and unit run together"},
      {R"(mg\.)", "unit with a period"},
  };
  return banned_found(text, banned, ": found ");
}

} // namespace titrate::test
