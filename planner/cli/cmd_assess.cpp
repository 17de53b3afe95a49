// `titrate assess --patient-file P.toml --start D --scores S.csv [--adverse-effects A.csv]
// [--pathway NAME] [--prefer DRUG]` (design.md §4): the decision at --today for a patient
// given by file, with the numbers behind it (clinical.md A6). The plan is built as `titrate
// plan` builds it; the score and adverse-effect files are read all or nothing.
// The stored form (`assess ID [--apply]`) needs the database and is not wired here yet.
#include "planner/assessment/assess.hpp"
#include "planner/cli/commands.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"
#include "planner/export/json.hpp"
#include "planner/formulary/patient_file.hpp"

#include <cstdio>
#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct AssessOptions {
  std::string id;
  std::string patient_file;
  std::string start;
  std::string scores;
  std::string adverse_effects;
  std::string pathway = "cipn-esmo";
  std::string prefer;
};

// ISMP-safe number: at most `decimals` places, no trailing zeros, a leading zero.
std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

void print_assessment(std::ostream &out, const Assessment &a) {
  out << "Assessment for patient " << a.patient << " on " << iso(a.date);
  if (!a.drug.empty()) out << ": " << a.drug;
  out << "\n";
  out << "Decision: " << to_string(a.decision);
  if (a.next_dose) out << " to " << a.next_dose->str() << " daily";
  if (a.next_drug) out << " to " << *a.next_drug;
  if (a.next_decision_date) out << " to a new decision date " << iso(*a.next_decision_date);
  if (a.substantial) out << " (substantial response)";
  out << "\n";
  out << "Baseline pain: " << (a.baseline ? num(*a.baseline, 2) + " of 10" : "none") << "\n";
  if (a.window.start < a.window.end) {
    out << "Window: " << iso(a.window.start) << " to " << iso(a.window.end - Days(1)) << ", "
        << a.window.scores << (a.window.scores == 1 ? " day" : " days") << " with scores";
    if (a.window.mean) out << ", mean " << num(*a.window.mean, 2) << " of 10";
    out << "\n";
  }
  if (a.change_pct) {
    const double c = *a.change_pct;
    out << "Change from baseline: "
        << (c >= 0 ? num(c, 1) + " % less pain" : num(-c, 1) + " % more pain") << "\n";
  }
  out << "Days at target dose: " << a.days_at_target << "\n";
  out << "Rule: " << a.rule << " (source: " << a.source << ")\n";
  out << "Reasons:\n";
  for (const auto &r : a.reasons) out << "  - " << r << "\n";
  out << "\nDecision support only; not medical advice.\n";
}

void run_assess(Context &ctx, const AssessOptions &o) {
  if (o.patient_file.empty()) {
    if (!o.id.empty()) {
      throw InputError("assess: give --patient-file (stored patients need the database)");
    }
    throw InputError("assess: expected --patient-file P.toml --start D --scores S.csv");
  }
  if (!o.id.empty()) {
    throw InputError("assess: expected a patient ID or --patient-file, not both");
  }
  if (o.start.empty()) throw InputError("--start: missing; expected the plan's start date YYYY-MM-DD");
  if (o.scores.empty()) {
    throw InputError("--scores: missing; expected a score CSV with header at,score,note");
  }

  const Date today = ctx.today();
  const Date start = parse_date(o.start, "--start");
  const Formulary &f = ctx.formulary();
  const Pathway &pw = ctx.pathway(o.pathway);
  const Patient patient =
      parse_patient_file(read_text_file(o.patient_file, "--patient-file"), f.vocabulary, today);

  // Both files are read and checked before anything is computed: all rows or none.
  const TextFile score_file = read_text_file(o.scores, "--scores");
  const auto rows = parse_score_csv(score_file.text, score_file.name, false);
  std::vector<std::string> errors;
  std::vector<ScoreEntry> scores;
  for (const auto &r : rows) {
    if (!r.patient_id.empty() && r.patient_id != patient.id) {
      errors.push_back(score_file.name + ":" + std::to_string(r.line) + ": patient_id: \"" +
                       r.patient_id + "\" is not the patient of " + o.patient_file + " (" +
                       patient.id + "); expected " + patient.id + " or an empty value");
    }
    scores.push_back(r.entry());
  }
  throw_if_errors(errors, score_file.name);
  std::vector<AdverseEffect> effects;
  if (!o.adverse_effects.empty()) {
    const TextFile ae_file = read_text_file(o.adverse_effects, "--adverse-effects");
    for (const auto &r : parse_adverse_effect_csv(ae_file.text, ae_file.name)) {
      effects.push_back(r.entry());
    }
  }

  PlanRequest req;
  req.start = start;
  req.today = today;
  if (!o.prefer.empty()) req.prefer = o.prefer;
  const Plan plan = build_plan(patient, f, pw, req);

  const Assessment a = assess(AssessInput{plan, patient, f, pw, scores, effects, today, 0});
  if (ctx.opt.json) {
    ctx.print_json(to_json(a));
  } else {
    print_assessment(ctx.out, a);
  }
}

} // namespace

void add_assess_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<AssessOptions>();
  CLI::App *cmd = app.add_subcommand(
      "assess", "The decision at --today (continue, escalate, switch, extend, stop or review) "
                "with the baseline, window mean, change and the rule that fired");
  cmd->add_option("id", o->id, "A stored patient's ID (needs the database; not yet available)");
  cmd->add_option("--patient-file", o->patient_file, "A patient file (TOML, docs/cli.md)");
  cmd->add_option("--start", o->start, "The plan's start date, YYYY-MM-DD");
  cmd->add_option("--scores", o->scores,
                  "Pain scores CSV: header at,score,note (patient_id optional); at is "
                  "YYYY-MM-DD or YYYY-MM-DDTHH:MM, score a whole number 0-10");
  cmd->add_option("--adverse-effects", o->adverse_effects,
                  "Adverse effects CSV: header at,description,severity "
                  "(mild|moderate|severe|intolerable)");
  cmd->add_option("--pathway", o->pathway, "Pathway name (default cipn-esmo)");
  cmd->add_option("--prefer", o->prefer, "A drug the clinician names for the first stage");
  cmd->callback([&ctx, o] { run_assess(ctx, *o); });
}

} // namespace titrate::cli
