// `titrate plan --patient-file P.toml --start D [--pathway NAME] [--prefer DRUG] [--json]`: the
// dated, dispensable schedule for one patient (clinical.md A1, A3): stage, steps with what to take
// at each time, the decision date, warnings, unchecked medications and the plan's lint. Printed
// for people by ISMP rules (clinical.md F): "gabapentin 300 mg", "1,800 mg", "at bedtime",
// never Latin abbreviations. `plan ID --start D [--submit]` drafts (and submits) a version for a
// stored patient; `--format` writes an export of the plan instead of the text.
#include "planner/app/plans.hpp"
#include "planner/cli/commands.hpp"
#include "planner/cli/export_cli.hpp"
#include "planner/cli/file_form.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/export/registry.hpp"
#include "planner/export/words.hpp"

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

// Output: the plan text (default), or an export (--format) through the writers of
// planner/export, to stdout or -o FILE.
struct PlanOptions : PlanInputs, ExportFlags {
  std::string id;
  std::string reason; // --reason: why the prescriber chose the --prefer drug (recorded)
  bool submit = false;
  bool preview = false;  // stored patient: show the plan, store nothing
  bool backdate = false; // allow a start more than a year before today
};

// The plan in the project's one wording (planner/export/words), then the lint.
void print_body(std::ostream &out, const Plan &plan, const Pathway &pw, const Formulary &f) {
  out << "Plan for patient " << plan.patient << ", pathway " << pw.name;
  if (!pw.title.empty())
    out << " (" << pw.title << ")";
  out << ", from " << iso(plan.start) << "\n";
  out << "Dates are inclusive: each step runs from its first to its last day.\n";
  words::print(out, words::plan(plan, f), "", true);
  out << "\n";
  if (plan.lint.empty()) {
    out << "Lint: no findings\n";
  } else {
    out << "Lint: " << plan.lint.size() << " finding(s)\n";
    for (const auto &l : plan.lint)
      out << "  - " << l.rule << ": " << words::for_people(f, l.text) << "\n";
  }
}

void print_text(std::ostream &out, const Plan &plan, const Pathway &pw, const Formulary &f) {
  print_body(out, plan, pw, f);
  out << "\n" << words::phrase::footer << "\n";
}

void print_plan(Context &ctx, const Plan &plan, const Patient &p, const Pathway &pw,
                const PlanOptions &o, int version, ReviewState review) {
  if (!o.format.empty()) {
    validate_format(o.format);
    ExportContext ec;
    ec.plan_version = version;
    ec.review = review;
    ec.time_zone = export_time_zone(o.tz);
    // The generation time of a plan that is not stored is its start day: deterministic.
    ec.now_utc = LocalDateTime{plan.start, 0};
    ec.response_pct = pw.decisions.response_pct.value;
    const std::vector<ScoreEntry> no_scores;
    write_export(ctx, o.format, ExportInput{plan, p, ctx.formulary(), no_scores, ec}, o.out_file,
                 handout_options(o.handout, o.format));
    return;
  }
  if (ctx.opt.json) {
    nlohmann::json j = to_json(plan);
    if (version > 0) {
      j["version"] = version;
      j["status"] = std::string(to_string(review));
    }
    ctx.print_json(j);
    return;
  }
  print_text(ctx.out, plan, pw, ctx.formulary());
  if (version == 0 && !o.id.empty()) {
    ctx.out << "Preview: nothing was stored (draft it with: titrate plan " << plan.patient
            << " --start " << iso(plan.start) << ")\n";
  }
  if (version > 0) {
    ctx.out << "Plan version " << version << ": " << to_string(review)
            << (review == ReviewState::submitted ? " (awaiting a pharmacist's review)" : "")
            << (review == ReviewState::draft
                    ? " (submit it with: titrate plan " + plan.patient + " --submit)"
                    : "")
            << "\n";
  }
}

// `plan ID --start D [--submit]` drafts a version from the stored profile (and submits it);
// `plan ID --submit` alone submits the latest draft. Clinicians only.
void run_plan_stored(Context &ctx, const PlanOptions &o) {
  require_role(ctx, app::Permission::draft_plan, "plan");
  validate_patient_id(o.id);
  const Actor who = actor(ctx);
  if (o.preview && o.submit) {
    throw InputError("plan: --preview stores nothing, so there is nothing to --submit; drop "
                     "--preview to draft and submit a version");
  }
  if (o.preview && o.start.empty())
    throw missing_start("--preview shows the plan from that day");
  if (o.start.empty() && !o.submit)
    throw missing_start("or --submit alone, to submit the latest draft");
  // `plan ID --start D` drafts a version; an export of a plan nobody stored would look like a
  // preview while a draft is written, so --format goes with --preview (docs/cli.md).
  if (!o.format.empty() && !o.preview) {
    throw InputError("plan " + o.id + ": --format " + o.format +
                     " needs --preview: without it "
                     "`plan " +
                     o.id +
                     " --start D` drafts a new version. Give --preview to see "
                     "the plan without storing it, or `titrate export " +
                     o.id + " --format " + o.format + "` for a stored version");
  }
  if (!o.prefer.empty() && o.reason.empty() && !o.preview) {
    throw InputError("--reason: missing; expected why the prescriber chose " + o.prefer +
                     " (a drafted plan records it: --prefer " + o.prefer + " --reason T)");
  }
  const Date today = ctx.today();
  const std::optional<Date> start_day =
      o.start.empty() ? std::nullopt : std::optional<Date>(parse_date(o.start, "--start"));
  const Formulary &f = ctx.formulary();
  auto repo =
      open_store(ctx, o.preview ? StoreMode::read : StoreMode::write_existing, "patient " + o.id);
  if (!start_day) {
    const PlanVersion submitted = app::submit_latest_draft(*repo, o.id, who);
    const PatientRecord rec = require_patient(*repo, o.id);
    print_plan(ctx, submitted.plan, rec.patient, ctx.pathway(submitted.plan.pathway), o,
               submitted.version, ReviewState::submitted);
    return;
  }
  const Pathway &pw = ctx.pathway(o.pathway);
  app::DraftRequest req;
  req.patient = o.id;
  req.start = *start_day;
  if (!o.prefer.empty())
    req.prefer = o.prefer;
  req.reason = o.reason;
  req.backdate = o.backdate;
  req.submit = o.submit;
  req.how = "plan --start " + iso(*start_day) + (o.backdate ? " --backdate" : "");
  if (o.preview) {
    const app::Drafted d = app::preview_plan(*repo, f, pw, today, req);
    print_plan(ctx, d.plan, d.patient.patient, pw, o, 0, ReviewState::draft);
    return;
  }
  const app::Drafted d = app::draft_plan_version(*repo, f, pw, today, who, req);
  print_plan(ctx, d.plan, d.patient.patient, pw, o, d.version,
             d.submitted ? ReviewState::submitted : ReviewState::draft);
}

void run_plan(Context &ctx, const PlanOptions &o) {
  if (!o.format.empty())
    validate_format(o.format);
  handout_options(o.handout, o.format); // the PDF options go with --format pdf
  if (!o.reason.empty() && o.prefer.empty()) {
    throw InputError("--reason: goes with --prefer DRUG (why the prescriber chose it)");
  }
  require_one_patient("plan", o.id, o.patient_file, "--start D");
  if (!o.id.empty()) {
    run_plan_stored(ctx, o);
    return;
  }
  if (o.submit)
    throw InputError("--submit: only a stored patient's plan can be submitted");
  if (o.start.empty())
    throw missing_start();
  const FilePatient p = read_file_patient(ctx, o, o.backdate);
  const Plan plan = build_file_plan(ctx, p, o, o.reason);
  print_plan(ctx, plan, p.patient, p.pathway, o, 0, ReviewState::draft);
}

} // namespace

void add_plan_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App *cmd = app.add_subcommand(
      "plan", "The dated titration schedule for a patient: steps, what to take at each time, "
              "the decision date and the units to dispense");
  add_patient_choice(cmd, o->id, o->patient_file, "drafts a plan version in the database");
  add_start_option(cmd, *o);
  add_pathway_options(cmd, *o);
  cmd->add_option("--reason", o->reason,
                  "With --prefer: why (recorded in the plan, its version note and the audit; "
                  "required when drafting)");
  cmd->add_flag("--preview", o->preview,
                "Stored patient: show the plan (text, --json or --format) without storing it");
  cmd->add_flag("--backdate", o->backdate,
                "Allow a first day more than a year before --today (recording a past course)");
  add_export_options(cmd, *o, false);
  cmd->add_flag("--submit", o->submit,
                "Stored patient: submit the version for a pharmacist's review (alone: submit "
                "the latest draft)");
  cmd->callback([&ctx, o] { run_plan(ctx, *o); });
}

void print_plan_for_people(std::ostream &out, const Plan &plan, const Pathway &pw,
                           const Formulary &f) {
  print_body(out, plan, pw, f);
}

} // namespace titrate::cli
