// `titrate plan --patient-file P.toml --start D [--pathway NAME] [--prefer DRUG] [--json]`: the
// dated, dispensable schedule for one patient (clinical.md A1, A3): stage, steps with what to take
// at each time, the decision date, warnings, unchecked medications and the plan's lint. Printed
// for people by ISMP rules (clinical.md F): "gabapentin 300 mg", "1,800 mg", "at bedtime",
// never Latin abbreviations. The stored-patient form (`plan ID ... [--submit]`) is not wired yet.
#include "planner/cli/commands.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/formulary/patient_file.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct PlanOptions {
  std::string id;
  std::string patient_file;
  std::string start;
  std::string pathway = "cipn-esmo";
  std::string prefer;
  // Output format for people. Only "text" is built here; csv, ics, fhir and svg plug in at
  // print_plan() when the exporters are wired.
  std::string format = "text";
};

std::string time_words(AdminTime t) {
  switch (t) {
  case AdminTime::morning: return "in the morning";
  case AdminTime::midday: return "at midday";
  case AdminTime::evening: return "in the evening";
  case AdminTime::bedtime: return "at bedtime";
  }
  return "?";
}

// "once daily", "twice daily", "three times daily"; a single bedtime dose says "at bedtime".
std::string frequency_words(const Step &s) {
  const auto n = s.doses.size();
  if (n == 1 && s.doses[0].time == AdminTime::bedtime) return "at bedtime";
  if (n == 1) return "once daily";
  if (n == 2) return "twice daily";
  if (n == 3) return "three times daily";
  return std::to_string(n) + " times daily";
}

std::string units_words(const std::vector<UnitCount> &units) {
  std::string out;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (i > 0) out += (i + 1 == units.size()) ? " and " : ", ";
    out += units[i].strength.str() + " " + std::string(to_string(units[i].form)) + " x " +
           std::to_string(units[i].count);
  }
  return out;
}

std::string days_words(long n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }

void print_stage(std::ostream &out, const Stage &s, std::size_t index) {
  out << "\nStage " << index + 1 << ": " << s.drug << ", " << to_string(s.role) << "\n";
  for (const auto &step : s.steps) {
    const Date last = step.range.end() - Days(1);
    out << "  " << iso(step.range.begin()) << " to " << iso(last) << " ("
        << days_words(step.range.days()) << "): " << step.daily.str() << " a day, "
        << frequency_words(step) << "\n";
    for (const auto &a : step.doses) {
      out << "    " << time_words(a.time) << ": " << s.drug << " " << a.dose.str() << " = "
          << units_words(a.units) << "\n";
    }
  }
  if (s.role != StageRole::trial) {
    const Date stop = s.steps.empty() ? Date(boost::gregorian::not_a_date_time)
                                      : s.steps.back().range.end();
    if (s.steps.empty()) {
      out << "  Stop " << s.drug << " (no reduced step)\n";
    } else {
      out << "  Stop " << s.drug << " from " << iso(stop) << " (last dose "
          << iso(stop - Days(1)) << ")\n";
    }
  }
  if (s.target_reached) {
    out << "  Assessed dose " << s.assessed_dose.str() << " a day, first taken "
        << iso(*s.target_reached) << "\n";
  }
  if (s.decision_date) out << "  Decision date: " << iso(*s.decision_date) << "\n";
  if (!s.dispense.empty()) out << "  Dispense: " << units_words(s.dispense) << "\n";
  for (const auto &w : s.warnings) {
    out << "  Warning (" << to_string(w.severity) << "): " << w.text << " [" << w.rule
        << "; source: " << w.source << "]\n";
  }
  if (!s.note.empty()) out << "  Note: " << s.note << "\n";
}

void print_text(std::ostream &out, const Plan &plan, const Pathway &pw) {
  out << "Plan for patient " << plan.patient << ", pathway " << pw.name;
  if (!pw.title.empty()) out << " (" << pw.title << ")";
  out << ", from " << iso(plan.start) << "\n";
  out << "Dates are inclusive: each step runs from its first to its last day.\n";
  for (std::size_t i = 0; i < plan.stages.size(); ++i) print_stage(out, plan.stages[i], i);
  if (!plan.unchecked_medications.empty()) {
    out << "\n";
    for (const auto &u : plan.unchecked_medications) out << u << "\n";
  }
  out << "\n";
  if (plan.lint.empty()) {
    out << "Lint: no findings\n";
  } else {
    out << "Lint: " << plan.lint.size() << " finding(s)\n";
    for (const auto &f : plan.lint) out << "  - " << f.rule << ": " << f.text << "\n";
  }
  out << "\nDecision support only; not medical advice.\n";
}

void print_plan(Context &ctx, const Plan &plan, const Pathway &pw, const std::string &format) {
  if (ctx.opt.json) {
    ctx.print_json(to_json(plan));
    return;
  }
  if (format == "text") {
    print_text(ctx.out, plan, pw);
    return;
  }
  throw InputError("plan: --format " + format + " is not available here yet; expected text");
}

void run_plan(Context &ctx, const PlanOptions &o) {
  if (o.patient_file.empty()) {
    if (!o.id.empty()) {
      throw InputError("plan: give --patient-file (stored patients need the database)");
    }
    throw InputError("plan: expected --patient-file P.toml");
  }
  if (!o.id.empty()) {
    throw InputError("plan: give either a patient ID or --patient-file, not both");
  }
  if (o.start.empty()) throw InputError("plan: --start: expected the first day, YYYY-MM-DD");
  const Date start = parse_date(o.start, "--start");
  const Date today = ctx.today();
  const Formulary &f = ctx.formulary();
  const Pathway &pw = ctx.pathway(o.pathway);
  const Patient p =
      parse_patient_file(read_text_file(o.patient_file, "--patient-file"), f.vocabulary, today);
  PlanRequest req;
  req.start = start;
  req.today = today;
  if (!o.prefer.empty()) req.prefer = o.prefer;
  const Plan plan = build_plan(p, f, pw, req);
  print_plan(ctx, plan, pw, o.format);
}

} // namespace

void add_plan_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App *cmd = app.add_subcommand(
      "plan", "The dated titration schedule for a patient: steps, what to take at each time, "
              "the decision date and the units to dispense");
  cmd->add_option("id", o->id, "A stored patient's ID (not available yet: use --patient-file)");
  cmd->add_option("--patient-file", o->patient_file, "A patient file (TOML, docs/cli.md)");
  cmd->add_option("--start", o->start, "The first day of the plan, YYYY-MM-DD");
  cmd->add_option("--pathway", o->pathway, "The pathway (default cipn-esmo)");
  cmd->add_option("--prefer", o->prefer,
                  "Plan this drug first even if it is caution (never if it is avoid)");
  cmd->add_option("--format", o->format, "Output for people: text (default)");
  cmd->callback([&ctx, o] { run_plan(ctx, *o); });
}

} // namespace titrate::cli
