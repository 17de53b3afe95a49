// `titrate due [--within DAYS]`: patients whose active (approved) plan reaches its decision date
// by --today + DAYS, with a warning when the assessment window (the 7 days before the decision
// date, clinical.md A6) has fewer than 4 days with scores.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

void run_due(Context &ctx, int within) {
  require_role(ctx, {Role::clinician, Role::pharmacist}, "due");
  const Date today = ctx.today();
  if (within < 0) {
    throw InputError("--within: " + std::to_string(within) + " is negative; expected 0 or more days");
  }
  auto repo = open_store(ctx, StoreMode::read);
  const auto due = due_list(*repo, today, within);
  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &e : due) {
      a.push_back({{"patient", e.patient},
                   {"version", e.version},
                   {"drug", e.drug},
                   {"decision_date", iso(e.decision_date)},
                   {"days_until", e.days_until},
                   {"window", {{"start", iso(e.decision_date - Days(7))},
                               {"end", iso(e.decision_date)},
                               {"days_with_scores", e.window_days_with_scores}}},
                   {"missing_scores", e.missing_scores}});
    }
    ctx.print_json({{"date", iso(today)}, {"within", within}, {"due", a}});
    return;
  }
  if (due.empty()) {
    ctx.out << "no decision dates on or before " << iso(today + Days(within)) << "\n";
    return;
  }
  for (const auto &e : due) {
    ctx.out << e.patient << "  " << e.drug << "  decision date " << iso(e.decision_date) << " (";
    if (e.days_until > 0) {
      ctx.out << "in " << e.days_until << " day" << (e.days_until == 1 ? "" : "s");
    } else if (e.days_until == 0) {
      ctx.out << "today";
    } else {
      ctx.out << -e.days_until << " day" << (e.days_until == -1 ? "" : "s") << " overdue";
    }
    ctx.out << "), plan version " << e.version << "; window " << iso(e.decision_date - Days(7))
            << " to " << iso(e.decision_date) << " (end excluded): " << e.window_days_with_scores
            << " of 7 days with scores\n";
    if (e.missing_scores) {
      ctx.out << "  warning: missing scores: fewer than 4 days with scores in the window\n";
    }
  }
}

} // namespace

void add_due_command(CLI::App &app, Context &ctx) {
  auto within = std::make_shared<int>(0);
  CLI::App *cmd = app.add_subcommand("due", "Patients whose decision date has come or is near");
  cmd->add_option("--within", *within, "Also list decision dates up to DAYS after --today (default 0)");
  cmd->callback([&ctx, within] { run_due(ctx, *within); });
}

} // namespace titrate::cli
