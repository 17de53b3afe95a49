// `titrate assess --patient-file P.toml --start D --scores S.csv [--adverse-effects A.csv]
// [--pathway NAME] [--prefer DRUG]` (design.md §4): the decision at --today for a patient
// given by file, with the numbers behind it (clinical.md A6). The plan is built as `titrate
// plan` builds it; the score and adverse-effect files are read all or nothing.
// The stored form (`assess ID [--apply]`) assesses the active (approved) plan with the stored
// scores and adverse effects; --apply records the decision and, when it changes the plan
// (escalate, switch, extend, or a stop that tapers), drafts the next plan version.
#include "planner/app/assess.hpp"
#include "planner/assessment/assess.hpp"
#include "planner/cli/commands.hpp"
#include "planner/cli/file_form.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/score_csv.hpp"
#include "planner/export/json.hpp"
#include "planner/export/words.hpp"
#include "planner/export/words_assessment.hpp"

#include <cstdio>
#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct AssessOptions : PlanInputs {
  std::string id;
  std::string scores;
  std::string adverse_effects;
  std::string decision; // --decision KIND: the clinician's own decision (maintenance)
  std::string reason;
  bool apply = false;
};

void print_assessment(std::ostream &out, const Assessment &a, const Formulary &f) {
  for (const auto &l : words::assessment(a, f))
    out << (l.depth > 0 ? "  - " : "") << l.text << "\n";
  out << "\n" << words::phrase::footer << "\n";
}

// The assessment as the command shows it: its JSON shape with --json, else its text.
void show_assessment(Context &ctx, const Assessment &a) {
  if (ctx.opt.json) {
    ctx.print_json(to_json(a));
  } else {
    print_assessment(ctx.out, a, ctx.formulary());
  }
}

void run_assess_stored(Context &ctx, const AssessOptions &o) {
  if (!o.start.empty() || !o.scores.empty() || !o.adverse_effects.empty() || !o.prefer.empty()) {
    // (--decision is checked below, once the role is known)
    throw InputError("assess " + o.id +
                     ": --start, --scores, --adverse-effects and --prefer go "
                     "with --patient-file; a stored patient is assessed on the stored plan and "
                     "scores");
  }
  if (o.apply) {
    require_role(ctx, app::Permission::apply_decision, "assess --apply");
  } else {
    require_role(ctx, app::Permission::assess, "assess");
  }
  if (!o.reason.empty() && o.decision.empty()) {
    throw InputError("--reason: goes with --decision KIND (the clinician's own decision)");
  }
  std::optional<DecisionKind> chosen;
  if (!o.decision.empty()) {
    chosen = parse_enum<DecisionKind>(o.decision, "--decision");
    if (!o.apply) {
      throw InputError("--decision: goes with --apply (a clinician's decision is recorded; "
                       "without --apply titrate shows its own)");
    }
  }
  validate_patient_id(o.id);
  const Date today = ctx.today();
  auto repo =
      open_store(ctx, o.apply ? StoreMode::write_existing : StoreMode::read, "patient " + o.id);
  const app::PathwayLookup pathway = [&ctx](const std::string &name) -> const Pathway & {
    return ctx.pathway(name);
  };
  app::AssessRequest req;
  req.patient = o.id;
  req.decision = chosen;
  req.reason = o.reason;
  req.names = {"--decision", "--reason"};
  if (!o.apply) {
    const Assessment a = app::assess_stored(*repo, ctx.formulary(), pathway, today, req).assessment;
    show_assessment(ctx, a);
    return;
  }
  const app::Applied r =
      app::apply_assessment(*repo, ctx.formulary(), pathway, today, actor(ctx), req);
  const Assessment &a = r.assessed.assessment;
  if (ctx.opt.json) {
    nlohmann::json j = to_json(a);
    j["applied"] = {
        {"decision_id", r.decision_id},
        {"plan_version", r.version > 0 ? nlohmann::json(r.version) : nlohmann::json(nullptr)}};
    ctx.print_json(j);
    return;
  }
  print_assessment(ctx.out, a, ctx.formulary());
  ctx.out << "\nRecorded decision #" << r.decision_id << ".";
  if (r.version > 0) {
    ctx.out << " Drafted plan version " << r.version << "; submit it for review with: titrate plan "
            << o.id << " --submit";
  } else {
    ctx.out << " The plan is unchanged.";
  }
  ctx.out << "\n";
}

void run_assess(Context &ctx, const AssessOptions &o) {
  require_one_patient("assess", o.id, o.patient_file, "--start D --scores S.csv");
  if (!o.id.empty()) {
    run_assess_stored(ctx, o);
    return;
  }
  if (o.apply)
    throw InputError("--apply: only a stored patient's decision can be applied");
  if (!o.decision.empty() || !o.reason.empty()) {
    throw InputError("--decision and --reason: only for a stored patient's plan in maintenance "
                     "(titrate assess ID --apply --decision KIND --reason TEXT)");
  }
  if (o.start.empty())
    throw missing_start();
  if (o.scores.empty()) {
    throw InputError("--scores: missing; expected a score CSV with header at,score,note");
  }

  // A course may be assessed long after it began, but not before the birth or beyond a year
  // from today.
  const FilePatient p = read_file_patient(ctx, o, /*backdate=*/true);

  // Both files are read and checked before anything is computed: all rows or none.
  const TextFile score_file = read_text_file(o.scores, "--scores");
  const auto rows = parse_score_csv(score_file.text, score_file.name, false);
  std::vector<std::string> errors;
  std::vector<ScoreEntry> scores;
  for (const auto &r : rows) {
    if (!r.patient_id.empty() && r.patient_id != p.patient.id) {
      errors.push_back(score_file.name + ":" + std::to_string(r.line) + ": patient_id: \"" +
                       r.patient_id + "\" is not the patient of " + o.patient_file + " (" +
                       p.patient.id + "); expected " + p.patient.id + " or an empty value");
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

  const Plan plan = build_file_plan(ctx, p, o);
  const Assessment a =
      assess(AssessInput{plan, p.patient, ctx.formulary(), p.pathway, scores, effects, p.today, 0});
  show_assessment(ctx, a);
}

} // namespace

void add_assess_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<AssessOptions>();
  CLI::App *cmd = app.add_subcommand(
      "assess", "The decision at --today (continue, escalate, switch, extend, stop or review) "
                "with the baseline, window mean, change and the rule that fired");
  add_patient_choice(cmd, o->id, o->patient_file, "assesses the active approved plan");
  cmd->add_flag("--apply", o->apply,
                "Stored patient: record the decision and draft the next plan version");
  add_start_option(cmd, *o);
  cmd->add_option("--scores", o->scores,
                  "Pain scores CSV: header at,score,note (patient_id optional); at is "
                  "YYYY-MM-DD or YYYY-MM-DDTHH:MM, score a whole number 0-10");
  cmd->add_option("--adverse-effects", o->adverse_effects,
                  "Adverse effects CSV: header at,description,severity "
                  "(mild|moderate|severe|intolerable)");
  add_pathway_options(cmd, *o);
  cmd->add_option("--decision", o->decision,
                  "With --apply, for a plan in maintenance: the clinician's own decision, one of "
                  "continue, reduce, escalate, switch, stop (needs --reason)");
  cmd->add_option("--reason", o->reason, "Why the clinician decides so (recorded and audited)");
  cmd->callback([&ctx, o] { run_assess(ctx, *o); });
}

} // namespace titrate::cli
