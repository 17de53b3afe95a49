// `titrate due [--within DAYS]`: patients whose active (approved) plan reaches its decision date
// by --today + DAYS, with a warning when the assessment window (the pathway's window_days before
// the decision date, clinical.md A6) has fewer than its min_days_with_scores days with scores.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>

namespace titrate::cli {

namespace {

void run_due(Context &ctx, int within) {
  require_role(ctx, app::Permission::read_due, "due");
  const Date today = ctx.today();
  if (within < 0) {
    throw InputError("--within: " + std::to_string(within) +
                     " is negative; expected 0 or more days");
  }
  if (within > max_due_within_days) {
    throw InputError("--within: " + std::to_string(within) +
                     " days is more than a year ahead; expected 0 to " +
                     std::to_string(max_due_within_days) + " days");
  }
  auto repo = open_store(ctx, StoreMode::read);
  const auto due = due_list(*repo, today, within, ctx.pathways());
  if (ctx.opt.json) {
    ctx.print_json(due_json(due, today, within));
    return;
  }
  if (due.empty()) {
    ctx.out << "no decision or review dates on or before " << iso(today + Days(within)) << "\n";
    return;
  }
  // One string, one write: at 10^5 patients the list runs to tens of thousands of lines, and
  // appending to a string is cheaper than a stream insertion per field.
  std::string text;
  text.reserve(due.size() * 160);
  for (const auto &e : due) {
    text += e.patient;
    text += "  ";
    text += words::drug(ctx.formulary(), e.drug);
    text += e.review ? "  maintenance review " : "  decision date ";
    text += iso(e.decision_date);
    text += " (";
    if (e.days_until > 0) {
      text += "in " + std::to_string(e.days_until) + (e.days_until == 1 ? " day" : " days");
    } else if (e.days_until == 0) {
      text += "today";
    } else {
      text += std::to_string(-e.days_until) + (e.days_until == -1 ? " day" : " days") + " overdue";
    }
    text += "), plan version ";
    text += std::to_string(e.version);
    text += "; window ";
    text += iso(e.decision_date - Days(e.window_days));
    text += " through ";
    text += iso(e.decision_date - Days(1));
    text += ": ";
    text += std::to_string(e.window_days_with_scores);
    text += " of " + std::to_string(e.window_days) + " days with scores\n";
    if (e.missing_scores) {
      text += "  warning: missing scores: fewer than " + std::to_string(e.min_days_with_scores) +
              " days with scores in the window\n";
    }
  }
  ctx.out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

} // namespace

void add_due_command(CLI::App &app, Context &ctx) {
  auto within = std::make_shared<int>(0);
  CLI::App *cmd = app.add_subcommand("due", "Patients whose decision date has come or is near");
  cmd->add_option("--within", *within,
                  "Also list decision dates up to DAYS after --today (default 0, at most 366)");
  cmd->callback([&ctx, within] { run_due(ctx, *within); });
}

} // namespace titrate::cli
