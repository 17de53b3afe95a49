// `titrate check ID | --patient-file P.toml [--json]`: the eligibility of every formulary drug
// for one patient (clinical.md A1-A5): verdict, daily cap, the day a time-bound avoid lifts,
// every reason with its source, and the medications the vocabulary could not check.
#include "planner/cli/commands.hpp"
#include "planner/cli/file_form.hpp"
#include "planner/cli/store_access.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/export/words.hpp"
#include "planner/safety/eligibility.hpp"

#include <iomanip>
#include <memory>
#include <ostream>
#include <sstream>

namespace titrate::cli {

namespace {

struct CheckOptions {
  std::string id;
  std::string patient_file;
};

void print_report(std::ostream &out, const EligibilityReport &r, Date today, const Formulary &fm) {
  out << "Eligibility for patient " << r.patient << " on " << iso(today) << "\n";
  out << "Creatinine clearance: " << words::number(r.crcl_ml_min, 1) << " mL/min"
      << (r.crcl_given ? " (as entered)" : " (Cockcroft-Gault)") << "\n";
  if (r.pregnancy) {
    out << "Pregnancy: every drug needs a specialist decision; titrate plans only a drug the "
           "clinician names with --prefer (clinical.md H18).\n";
  }
  for (const auto &d : r.drugs) {
    out << "\n" << fm.display_name(d.drug) << ": " << to_string(d.verdict) << "\n";
    if (d.available_from)
      out << "  available from " << iso(*d.available_from) << "\n";
    if (d.max_daily) {
      out << "  maximum daily dose " << d.max_daily->str();
      // Name the renal band only when it is the band's cap that binds.
      if (d.renal_band && d.renal_band->max_daily && *d.renal_band->max_daily == *d.max_daily) {
        out << " (renal band " << d.renal_band->describe() << ")";
      }
      out << "\n";
    }
    for (const auto &f : d.reasons) {
      out << "  - " << to_string(f.severity) << ": " << f.text << " [" << f.rule
          << "; source: " << f.source << "]\n";
    }
  }
  if (!r.unchecked_medications.empty()) {
    out << "\n";
    for (const auto &u : r.unchecked_medications)
      out << u << "\n";
  }
  out << "\n" << words::phrase::footer << "\n";
}

void run_check(Context &ctx, const CheckOptions &o) {
  require_one_patient("check", o.id, o.patient_file);
  if (!o.id.empty()) {
    // A stored record is read with a role, and a patient reads only their own (docs/cli.md
    // "Roles"); checked before the database is opened.
    validate_patient_id(o.id);
    require_role(ctx, app::Permission::check_patient, "check", &o.id);
  }
  const Date today = ctx.today();
  const Formulary &f = ctx.formulary();
  const Patient p =
      o.id.empty() ? read_patient_file(ctx, o.patient_file, today) : stored_patient(ctx, o.id);
  const EligibilityReport r = check_eligibility(p, f, today);
  if (ctx.opt.json) {
    ctx.print_json(to_json(r));
  } else {
    print_report(ctx.out, r, today, ctx.formulary());
  }
}

} // namespace

void add_check_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App *cmd = app.add_subcommand(
      "check", "Eligibility of every formulary drug for a patient: ok, caution or avoid, with "
               "every reason and its source");
  add_patient_choice(cmd, o->id, o->patient_file);
  cmd->callback([&ctx, o] { run_check(ctx, *o); });
}

} // namespace titrate::cli
