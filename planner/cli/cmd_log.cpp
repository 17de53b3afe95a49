// `titrate log ID --score N [--at D[THH:MM]] [--note T] [--supersedes SCORE_ID]` and
// `titrate log ID --adverse-effect T --severity mild|moderate|severe|intolerable [--at D]`:
// one append-only observation. For the patient (their own record) or a clinician on their behalf.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/plausible.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct LogOptions {
  std::string id, score, at, note, adverse_effect, severity, supersedes;
};

void run_log(Context &ctx, const LogOptions &o) {
  const Role role = require_role(ctx, {Role::patient, Role::clinician}, "log");
  require_own_record(ctx, role, o.id, "log");
  const Actor who = actor(ctx);
  validate_patient_id(o.id);
  const bool is_score = !o.score.empty();
  const bool is_ae = !o.adverse_effect.empty() || !o.severity.empty();
  if (is_score == is_ae) {
    throw InputError("log: give either --score N or --adverse-effect T --severity S");
  }
  const Date today = ctx.today();
  // Without --at the entry is dated --today (no clock time: runs stay reproducible).
  const LocalDateTime at = o.at.empty() ? LocalDateTime{today, 0} : parse_local_datetime(o.at, "--at");
  const ObservationFields names{"--at", "--score", "--note", "--adverse-effect", "--severity"};
  if (is_score) {
    ScoreEntry s = make_score_entry(o.score, at, o.note, today, names);
    if (!o.supersedes.empty()) {
      std::size_t used = 0;
      long long v = 0;
      try {
        v = std::stoll(o.supersedes, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != o.supersedes.size() || v <= 0) {
        throw InputError("--supersedes: \"" + o.supersedes.substr(0, 32) +
                         "\" is not a score id; expected the positive number shown when it was logged");
      }
      s.supersedes = v;
    }
    auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
    check_observation_time(s.at, require_patient(*repo, o.id).patient.birth_date, today, "--at");
    const auto id = repo->log_score(o.id, s, who);
    if (ctx.opt.json) {
      ctx.print_json({{"patient", o.id}, {"kind", "score"}, {"id", id}, {"at", iso(at)},
                      {"score", s.score.value()}, {"note", s.note},
                      {"supersedes", s.supersedes ? nlohmann::json(*s.supersedes) : nlohmann::json(nullptr)}});
    } else {
      ctx.out << "logged score " << s.score.value() << " of 10 for " << o.id << " at " << iso(at)
              << " (#" << id << (s.supersedes ? ", corrects #" + std::to_string(*s.supersedes) : "")
              << ")\n";
    }
    return;
  }
  if (!o.note.empty() || !o.supersedes.empty()) {
    throw InputError("--note and --supersedes go with --score, not --adverse-effect");
  }
  const AdverseEffect ae = make_adverse_effect(o.adverse_effect, o.severity, at, today, names);
  auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
  check_observation_time(ae.at, require_patient(*repo, o.id).patient.birth_date, today, "--at");
  const auto id = repo->log_adverse_effect(o.id, ae, who);
  if (ctx.opt.json) {
    ctx.print_json({{"patient", o.id}, {"kind", "adverse-effect"}, {"id", id}, {"at", iso(at)},
                    {"description", ae.description},
                    {"severity", std::string(to_string(ae.severity))}});
  } else {
    ctx.out << "logged adverse effect \"" << ae.description << "\" (" << to_string(ae.severity)
            << ") for " << o.id << " at " << iso(at) << " (#" << id << ")\n";
  }
}

} // namespace

void add_log_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<LogOptions>();
  CLI::App *cmd = app.add_subcommand("log", "Log a pain score or an adverse effect (append-only)");
  cmd->add_option("ID", o->id, "The patient id")->required();
  cmd->add_option("--score", o->score, "Pain 0-10 (whole number)");
  cmd->add_option("--at", o->at, "YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time (default: --today)");
  cmd->add_option("--note", o->note, "Free text with the score");
  cmd->add_option("--supersedes", o->supersedes, "Id of an earlier score this one corrects");
  cmd->add_option("--adverse-effect", o->adverse_effect, "What happened, e.g. \"dizziness\"");
  cmd->add_option("--severity", o->severity, "mild | moderate | severe | intolerable");
  cmd->callback([&ctx, o] { run_log(ctx, *o); });
}

} // namespace titrate::cli
