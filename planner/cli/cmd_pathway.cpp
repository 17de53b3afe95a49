// `titrate pathway list | show NAME | check [DIR]`: the pathways (schedules/*.toml) as validated
// data: trial order, first-line drugs and the decision parameters, each with its source.
#include "planner/cli/commands.hpp"
#include "planner/cli/folder_command.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace titrate::cli {

namespace {

std::string cite_text(const Citation &c) {
  return "[source: " + c.source + (c.verified ? "" : "; UNVERIFIED") + "]";
}

template <typename T> nlohmann::json param_json(const Sourced<T> &p) {
  return {{"value", p.value}, {"source", p.cite.source}, {"verified", p.cite.verified}};
}

nlohmann::json pathway_json(const Pathway &p) {
  const DecisionParams &d = p.decisions;
  return {{"pathway", p.name},
          {"title", p.title},
          {"drugs", p.drugs},
          {"first_line", p.first_line},
          {"after_last", p.after_last},
          {"indications", p.indications},
          {"source", p.cite.source},
          {"verified", p.cite.verified},
          {"decisions",
           {{"min_days_at_target", param_json(d.min_days_at_target)},
            {"window_days", param_json(d.window_days)},
            {"min_days_with_scores", param_json(d.min_days_with_scores)},
            {"baseline_days", param_json(d.baseline_days)},
            {"baseline_min_days", param_json(d.baseline_min_days)},
            {"response_pct", param_json(d.response_pct)},
            {"substantial_pct", param_json(d.substantial_pct)},
            {"extension_days", param_json(d.extension_days)},
            {"max_extensions", param_json(d.max_extensions)}}},
          {"source_file", p.source_file}};
}

std::string join(const std::vector<std::string> &v, const std::string &sep) {
  std::string s;
  for (const auto &x : v)
    s += (s.empty() ? "" : sep) + x;
  return s;
}

void print_pathway(std::ostream &out, const Pathway &p) {
  const DecisionParams &d = p.decisions;
  out << p.name << ": " << p.title << " " << cite_text(p.cite) << "\n";
  out << "  trial order: " << join(p.drugs, ", then ") << ", then " << p.after_last << "\n";
  out << "  first line: " << join(p.first_line, ", ") << "\n";
  if (!p.indications.empty())
    out << "  written for: " << join(p.indications, ", ") << "\n";
  out << "\nDecision parameters\n";
  auto line = [&](const std::string &what, const std::string &value, const Citation &c) {
    out << "  " << what << ": " << value << " " << cite_text(c) << "\n";
  };
  line("days at the assessed dose before deciding", std::to_string(d.min_days_at_target.value),
       d.min_days_at_target.cite);
  line("window before the decision date", std::to_string(d.window_days.value) + " days",
       d.window_days.cite);
  line("days with scores needed in the window", std::to_string(d.min_days_with_scores.value),
       d.min_days_with_scores.cite);
  line("baseline: days before the first dose", std::to_string(d.baseline_days.value),
       d.baseline_days.cite);
  line("baseline: fewest days with scores (else the entered baseline)",
       std::to_string(d.baseline_min_days.value), d.baseline_min_days.cite);
  line("response (continue) at a fall of at least", number_text(d.response_pct.value) + " percent",
       d.response_pct.cite);
  line("substantial response at a fall of at least",
       number_text(d.substantial_pct.value) + " percent", d.substantial_pct.cite);
  line("extension when too few scores", std::to_string(d.extension_days.value) + " days",
       d.extension_days.cite);
  line("extensions before review", std::to_string(d.max_extensions.value), d.max_extensions.cite);
  out << "\n" << words::phrase::footer << "\n";
}

void run_list(Context &ctx) {
  const auto &all = ctx.pathways();
  if (ctx.opt.json) {
    nlohmann::json j{{"pathways", nlohmann::json::array()}};
    for (const auto &p : all)
      j["pathways"].push_back({{"pathway", p.name},
                               {"title", p.title},
                               {"drugs", p.drugs},
                               {"first_line", p.first_line}});
    ctx.print_json(j);
    return;
  }
  for (const auto &p : all)
    ctx.out << p.name << ": " << p.title << " (" << join(p.drugs, ", then ") << ")\n";
}

void run_show(Context &ctx, const std::string &name) {
  const Pathway &p = ctx.pathway(name); // NotFoundError (exit 3) naming the known pathways
  if (ctx.opt.json) {
    ctx.print_json(pathway_json(p));
    return;
  }
  print_pathway(ctx.out, p);
}

void run_check(Context &ctx, const std::string &dir_arg) {
  const std::string dir = dir_arg.empty() ? ctx.pathways_dir() : dir_arg;
  const auto files = read_toml_dir(dir);
  report_folder_check(ctx, "pathways", "pathway check", dir, files.size(),
                      check_pathways(files, ctx.formulary()));
}

} // namespace

void add_pathway_command(CLI::App &app, Context &ctx) {
  add_folder_command(app, ctx,
                     {.name = "pathway",
                      .about = "List, show or check the treatment pathways",
                      .list_about = "One line per pathway",
                      .show_about = "Trial order and decision parameters with sources",
                      .show_arg = "NAME",
                      .show_arg_about = "Pathway name, e.g. cipn-esmo",
                      .folder_flag = "--pathways",
                      .list = run_list,
                      .show = run_show,
                      .check = run_check});
}

} // namespace titrate::cli
