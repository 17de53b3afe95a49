// `titrate log ID --score N [--at D[THH:MM]] [--note T] [--supersedes SCORE_ID]` and
// `titrate log ID --adverse-effect T --severity mild|moderate|severe|intolerable [--at D]
// [--supersedes EFFECT_ID]`, `titrate log ID --retract EFFECT_ID --reason T` and `titrate log ID
// --retract-score SCORE_ID --reason T`: one append-only
// observation. An adverse effect is stored with the drugs taken at its time (the active plan's).
// For the patient (their own record) or a clinician on their behalf.
#include "planner/app/observations.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/plausible.hpp"
#include "planner/core/text.hpp"
#include "planner/export/export_common.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct LogOptions {
  std::string id, score, at, note, adverse_effect, severity, supersedes, retract, retract_score,
      reason;
};

// A positive entry id given as `flag`'s value.
std::int64_t entry_id(const std::string &text, const char *flag, const char *what) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used != text.size() || v <= 0) {
    throw InputError(std::string(flag) + ": \"" + text.substr(0, 32) + "\" is not " + what +
                     "; expected the positive number shown when it was logged");
  }
  return v;
}

void print_effect(Context &ctx, const std::string &patient, std::int64_t id,
                  const AdverseEffect &ae, Repository &repo) {
  // What was stored, attribution included (read back: the store decided it).
  std::vector<std::string> drugs;
  bool attributed = false;
  for (const auto &e : repo.adverse_effects(patient, true)) {
    if (e.id == id) {
      drugs = e.drugs;
      attributed = e.attributed;
    }
  }
  if (ctx.opt.json) {
    ctx.print_json(
        {{"patient", patient},
         {"kind", "adverse-effect"},
         {"id", id},
         {"at", iso(ae.at)},
         {"description", ae.description},
         {"severity", std::string(to_string(ae.severity))},
         {"drugs", attributed ? nlohmann::json(drugs) : nlohmann::json(nullptr)},
         {"supersedes", ae.supersedes ? nlohmann::json(*ae.supersedes) : nlohmann::json(nullptr)},
         {"retracted", ae.retracted}});
    return;
  }
  if (ae.retracted) {
    ctx.out << "retracted adverse effect #" << *ae.supersedes << " for " << patient << " (#" << id
            << "; reason: " << ae.description << ")\n";
    return;
  }
  std::string names;
  for (const auto &d : drugs)
    names += (names.empty() ? "" : ", ") + export_detail::display_name(ctx.formulary(), d);
  ctx.out << "logged adverse effect \"" << ae.description << "\" (" << to_string(ae.severity)
          << ") for " << patient << " at " << iso(ae.at) << " (#" << id
          << (ae.supersedes ? ", corrects #" + std::to_string(*ae.supersedes) : "") << ")\n";
  ctx.out << (!attributed ? "  no approved plan: the effect is attributed when a plan is assessed\n"
              : names.empty() ? "  no drug of the plan was being taken then\n"
                              : "  attributed to " + names + " (taken then)\n");
}

void run_log(Context &ctx, const LogOptions &o) {
  require_role(ctx, app::Permission::log_observation, "log", &o.id);
  const Actor who = actor(ctx);
  validate_patient_id(o.id);
  const bool is_score = !o.score.empty();
  const bool is_ae = !o.adverse_effect.empty() || !o.severity.empty();
  const bool is_retract = !o.retract.empty();
  const bool is_retract_score = !o.retract_score.empty();
  if (int(is_score) + int(is_ae) + int(is_retract) + int(is_retract_score) != 1) {
    throw InputError("log: give one of --score N, --adverse-effect T --severity S, "
                     "--retract EFFECT_ID --reason T or --retract-score SCORE_ID --reason T");
  }
  if (!o.reason.empty() && !is_retract && !is_retract_score) {
    throw InputError("--reason: goes with --retract EFFECT_ID or --retract-score SCORE_ID (why "
                     "the entry is withdrawn)");
  }
  if ((is_retract || is_retract_score) &&
      (!o.at.empty() || !o.note.empty() || !o.supersedes.empty())) {
    throw InputError(std::string(is_retract ? "--retract" : "--retract-score") +
                     " takes only --reason; --at, --note and --supersedes go with --score or "
                     "--adverse-effect");
  }
  if ((is_retract || is_retract_score) && o.reason.find_first_not_of(" \t") == std::string::npos) {
    throw InputError("--reason: missing; expected why " +
                     std::string(is_retract ? "adverse effect #" + o.retract
                                            : "pain score #" + o.retract_score) +
                     " is withdrawn (e.g. \"logged for the wrong patient\")");
  }
  if (is_retract_score) {
    ScoreEntry s;
    s.supersedes = entry_id(o.retract_score, "--retract-score", "a score id");
    s.retracted = true;
    s.note = o.reason;
    require_free_text(s.note, "--reason");
    s.at = LocalDateTime{ctx.today(), 0}; // the store keeps the withdrawn score's own time
    auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
    const auto id = app::record_score(*repo, o.id, s, who, ctx.today(), "--at");
    if (ctx.opt.json) {
      ctx.print_json({{"patient", o.id},
                      {"kind", "score"},
                      {"id", id},
                      {"supersedes", *s.supersedes},
                      {"retracted", true},
                      {"note", s.note}});
    } else {
      ctx.out << "withdrew pain score #" << *s.supersedes << " for " << o.id << " (#" << id
              << "; reason: " << s.note << ")\n";
    }
    return;
  }
  if (is_retract) {
    AdverseEffect ae;
    ae.supersedes = entry_id(o.retract, "--retract", "an adverse effect id");
    ae.retracted = true;
    ae.description = o.reason;
    ae.at = LocalDateTime{ctx.today(), 0};
    auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
    // The withdrawn entry's severity is kept on the retraction row (the column is required).
    for (const auto &e : repo->adverse_effects(o.id, true)) {
      if (e.id == *ae.supersedes)
        ae.severity = e.severity;
    }
    const auto id = app::record_adverse_effect(*repo, o.id, ae, who, ctx.today(), "--at");
    print_effect(ctx, o.id, id, ae, *repo);
    return;
  }
  const Date today = ctx.today();
  // Without --at the entry is dated --today (no clock time: runs stay reproducible).
  const LocalDateTime at =
      o.at.empty() ? LocalDateTime{today, 0} : parse_local_datetime(o.at, "--at");
  const ObservationFields names{"--at", "--score", "--note", "--adverse-effect", "--severity"};
  if (is_score) {
    ScoreEntry s = make_score_entry(o.score, at, o.note, today, names);
    if (!o.supersedes.empty()) {
      s.supersedes = entry_id(o.supersedes, "--supersedes", "a score id");
    }
    auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
    const auto id = app::record_score(*repo, o.id, s, who, today, "--at");
    if (ctx.opt.json) {
      ctx.print_json(
          {{"patient", o.id},
           {"kind", "score"},
           {"id", id},
           {"at", iso(at)},
           {"score", s.score.value()},
           {"note", s.note},
           {"supersedes", s.supersedes ? nlohmann::json(*s.supersedes) : nlohmann::json(nullptr)}});
    } else {
      ctx.out << "logged score " << s.score.value() << " of 10 for " << o.id << " at " << iso(at)
              << " (#" << id << (s.supersedes ? ", corrects #" + std::to_string(*s.supersedes) : "")
              << ")\n";
    }
    return;
  }
  if (!o.note.empty()) {
    throw InputError("--note: goes with --score, not --adverse-effect (describe the effect in "
                     "--adverse-effect)");
  }
  AdverseEffect ae = make_adverse_effect(o.adverse_effect, o.severity, at, today, names);
  if (!o.supersedes.empty()) {
    ae.supersedes = entry_id(o.supersedes, "--supersedes", "an adverse effect id");
  }
  auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
  const auto id = app::record_adverse_effect(*repo, o.id, ae, who, today, "--at");
  print_effect(ctx, o.id, id, ae, *repo);
}

} // namespace

void add_log_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<LogOptions>();
  CLI::App *cmd = app.add_subcommand("log", "Log a pain score or an adverse effect (append-only)");
  cmd->add_option("ID", o->id, stored_patient_id_help())->required();
  cmd->add_option("--score", o->score, "Pain 0-10 (whole number)");
  cmd->add_option("--at", o->at, "YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time (default: --today)");
  cmd->add_option("--note", o->note, "Free text with the score");
  cmd->add_option("--supersedes", o->supersedes,
                  "Id of an earlier score (with --score) or adverse effect (with --adverse-effect) "
                  "this one corrects");
  cmd->add_option("--retract", o->retract,
                  "Id of an adverse effect to withdraw (logged in error); needs --reason");
  cmd->add_option("--retract-score", o->retract_score,
                  "Id of a pain score to withdraw (logged in error); needs --reason");
  cmd->add_option("--reason", o->reason,
                  "With --retract or --retract-score: why the entry is withdrawn");
  cmd->add_option("--adverse-effect", o->adverse_effect, "What happened, e.g. \"dizziness\"");
  cmd->add_option("--severity", o->severity, "mild | moderate | severe | intolerable");
  cmd->callback([&ctx, o] { run_log(ctx, *o); });
}

} // namespace titrate::cli
