// `titrate formulary list | show DRUG | check [DIR]`: the formulary as validated data. `show`
// prints every figure with its source and marks UNVERIFIED ones; `check` lists every fault
// (file:line: key: what; expected) and exits 2 when there is any.
#include "planner/cli/commands.hpp"
#include "planner/cli/folder_command.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace titrate::cli {

namespace {

nlohmann::json mg_json(const std::optional<Dose> &d) {
  return d ? mg_json(*d) : nlohmann::json(nullptr);
}

void add_cite(nlohmann::json &j, const Citation &c) {
  j["source"] = c.source;
  j["verified"] = c.verified;
  if (!c.confidence.empty())
    j["confidence"] = c.confidence; // clinical.md H
}

nlohmann::json times_json(const std::vector<AdminTime> &times) {
  nlohmann::json a = nlohmann::json::array();
  for (auto t : times)
    a.push_back(std::string(to_string(t)));
  return a;
}

nlohmann::json rule_json(const Rule &r) {
  nlohmann::json j{
      {"rule", r.id}, {"severity", std::string(to_string(r.severity))}, {"text", r.text}};
  add_cite(j, r.cite);
  if (r.max_daily)
    j["max_daily_mg"] = mg_json(*r.max_daily);
  return j;
}

nlohmann::json monograph_json(const Monograph &m, const Formulary &f) {
  nlohmann::json j;
  j["drug"] = m.name;
  j["class"] = m.drug_class;
  j["rxcui"] = {
      {"code", m.rxcui}, {"source", m.rxcui_cite.source}, {"verified", m.rxcui_cite.verified}};
  j["tall_man"] = m.tall_man.empty() ? nlohmann::json(nullptr)
                                     : nlohmann::json{{"text", m.tall_man},
                                                      {"source", m.tall_man_cite.source},
                                                      {"verified", m.tall_man_cite.verified}};
  auto &s = j["strengths"] = nlohmann::json::array();
  for (const auto &x : m.strengths) {
    nlohmann::json e{{"mg", mg_json(x.dose)},
                     {"form", std::string(to_string(x.form))},
                     {"splittable", x.splittable},
                     {"rxcui", x.rxcui}};
    if (!x.note.empty())
      e["note"] = x.note;
    add_cite(e, x.cite);
    s.push_back(e);
  }
  const Titration &t = m.titration;
  nlohmann::json tj{{"increment_mg", mg_json(t.increment)},     {"interval_days", t.interval_days},
                    {"min_interval_days", t.min_interval_days}, {"target_mg", mg_json(t.target)},
                    {"max_daily_mg", mg_json(t.max_daily)},     {"times", times_json(t.times)}};
  tj["escalation_mg"] = nlohmann::json::array();
  for (auto d : t.escalation)
    tj["escalation_mg"].push_back(mg_json(d));
  tj["start"] = nlohmann::json::array();
  for (const auto &st : t.start) {
    nlohmann::json e{
        {"daily_mg", mg_json(st.daily)}, {"days", st.days}, {"times", times_json(st.times)}};
    add_cite(e, st.cite);
    tj["start"].push_back(e);
  }
  add_cite(tj, t.cite);
  j["titration"] = tj;
  auto &r = j["renal"] = nlohmann::json::array();
  for (const auto &b : m.renal) {
    nlohmann::json e{{"band", b.describe()},
                     {"lower", b.lower ? nlohmann::json(*b.lower) : nlohmann::json(nullptr)},
                     {"lower_inclusive", b.lower_inclusive},
                     {"upper", b.upper ? nlohmann::json(*b.upper) : nlohmann::json(nullptr)},
                     {"upper_inclusive", b.upper_inclusive},
                     {"severity", std::string(to_string(b.severity))},
                     {"min_daily_mg", mg_json(b.min_daily)},
                     {"max_daily_mg", mg_json(b.max_daily)},
                     {"times", times_json(b.times)},
                     {"text", b.text}};
    if (!b.note.empty())
      e["note"] = b.note;
    add_cite(e, b.cite);
    r.push_back(e);
  }
  auto &h = j["hepatic"] = nlohmann::json::array();
  for (const auto &x : m.hepatic) {
    auto e = rule_json(x.rule);
    e["class"] = std::string(to_string(x.hepatic));
    h.push_back(e);
  }
  auto &a = j["age"] = nlohmann::json::array();
  for (const auto &x : m.age) {
    auto e = rule_json(x.rule);
    e["min_age"] = x.min_age;
    e["requires_conditions"] = x.requires_conditions;
    a.push_back(e);
  }
  auto &c = j["conditions"] = nlohmann::json::array();
  for (const auto &x : m.conditions) {
    auto e = rule_json(x.rule);
    e["condition"] = x.condition;
    c.push_back(e);
  }
  auto &in = j["interactions"] = nlohmann::json::array();
  for (const auto &x : m.interactions) {
    auto e = rule_json(x.rule);
    e["class"] = x.med_class.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.med_class);
    e["medication"] = x.medication.empty() ? nlohmann::json(nullptr) : nlohmann::json(x.medication);
    e["washout_days"] = x.washout_days;
    e["min_count"] = x.min_count;
    e["min_age"] = x.min_age;
    e["except_self"] = x.except_self;
    in.push_back(e);
  }
  j["not_tolerated"] = {{"effects", m.not_tolerated}};
  add_cite(j["not_tolerated"], m.not_tolerated_cite);
  const TaperRule &tr = m.taper;
  nlohmann::json tp{{"kind", std::string(to_string(tr.kind))},
                    {"decrement_mg", mg_json(tr.decrement)},
                    {"interval_days", tr.interval_days},
                    {"min_total_days", tr.min_total_days},
                    {"note", tr.note}};
  tp["steps"] = nlohmann::json::array();
  for (const auto &st : tr.steps) {
    tp["steps"].push_back({{"from_mg", mg_json(st.from)},
                           {"to_mg", mg_json(st.to)},
                           {"days", st.days},
                           {"requires_strength", st.requires_strength}});
  }
  if (!tr.by_time_on_drug.empty()) {
    tp["by_time_on_drug"] = nlohmann::json::array();
    for (const auto &d : tr.by_time_on_drug) {
      tp["by_time_on_drug"].push_back(
          {{"min_weeks", d.min_weeks},
           {"min_total_days", d.min_total_days},
           {"max_total_days",
            d.max_total_days ? nlohmann::json(*d.max_total_days) : nlohmann::json(nullptr)},
           {"text", d.text}});
    }
  }
  add_cite(tp, tr.cite);
  j["taper"] = tp;
  if (m.haemodialysis) {
    nlohmann::json hd{{"text", m.haemodialysis->text}, {"supplements", nlohmann::json::array()}};
    for (const auto &x : m.haemodialysis->supplements) {
      hd["supplements"].push_back(
          {{"daily_mg", mg_json(x.daily)}, {"supplement_mg", mg_json(x.supplement)}});
    }
    add_cite(hd, m.haemodialysis->cite);
    j["haemodialysis"] = hd;
  }
  j["switches"] = nlohmann::json::array();
  for (const auto &sw : f.switches) {
    if (sw.from != m.name && sw.from != m.drug_class && sw.to != m.name && sw.to != m.drug_class)
      continue;
    nlohmann::json e{{"from", sw.from},
                     {"to", sw.to},
                     {"mode", std::string(to_string(sw.mode))},
                     {"text", sw.text}};
    if (!sw.caution.empty())
      e["caution"] = sw.caution;
    add_cite(e, sw.cite);
    j["switches"].push_back(e);
  }
  j["source_file"] = m.source_file;
  return j;
}

// "[source: X]" or "[source: X; UNVERIFIED]"
std::string cite_text(const Citation &c) {
  return "[source: " + c.source + (c.confidence.empty() ? "" : "; confidence " + c.confidence) +
         (c.verified ? "" : "; UNVERIFIED") + "]";
}

std::string time_text(AdminTime t) {
  return t == AdminTime::bedtime ? "at bedtime" : "in the " + std::string(to_string(t));
}

std::string times_text(const std::vector<AdminTime> &times) {
  std::string s;
  for (std::size_t i = 0; i < times.size(); ++i) {
    s += (i == 0 ? "" : (i + 1 == times.size() ? " and " : ", ")) +
         (times[i] == AdminTime::bedtime ? std::string("bedtime")
                                         : std::string(to_string(times[i])));
  }
  return s;
}

std::string frequency_text(const std::vector<AdminTime> &times) {
  switch (times.size()) {
  case 1:
    return "once daily " + time_text(times[0]);
  case 2:
    return "twice daily (" + times_text(times) + ")";
  case 3:
    return "three times daily (" + times_text(times) + ")";
  default:
    return std::to_string(times.size()) + " times daily (" + times_text(times) + ")";
  }
}

void print_monograph(std::ostream &out, const Monograph &m, const Formulary &f) {
  out << f.display_name(m.name) << " (" << m.drug_class << ")\n";
  if (!m.tall_man.empty())
    out << "  printed form: " << m.tall_man << " " << cite_text(m.tall_man_cite) << "\n";
  out << "  RxNorm ingredient " << m.rxcui << " " << cite_text(m.rxcui_cite) << "\n";
  out << "\nStrengths\n";
  for (const auto &s : m.strengths) {
    out << "  " << s.dose.str() << " " << to_string(s.form)
        << (s.splittable ? ", may be halved" : ", do not split");
    if (!s.rxcui.empty())
      out << ", RxCUI " << s.rxcui;
    out << " " << cite_text(s.cite) << "\n";
    if (!s.note.empty())
      out << "    " << s.note << "\n";
  }
  const Titration &t = m.titration;
  out << "\nTitration " << cite_text(t.cite) << "\n";
  for (const auto &st : t.start) {
    out << "  start: " << st.daily.str() << " per day for " << st.days
        << (st.days == 1 ? " day, " : " days, ")
        << frequency_text(st.times.empty() ? t.times : st.times) << " " << cite_text(st.cite)
        << "\n";
  }
  out << "  then increase by " << t.increment.str() << " per day every " << t.interval_days
      << " days (never sooner than " << t.min_interval_days << " days)\n";
  out << "  target (assessed dose): " << t.target.str() << " per day\n";
  out << "  on partial response: ";
  if (t.escalation.empty())
    out << "no escalation";
  for (std::size_t i = 0; i < t.escalation.size(); ++i)
    out << (i ? ", then " : "") << t.escalation[i].str() << " per day";
  out << "\n  maximum: " << t.max_daily.str() << " per day\n";
  out << "  usual times: " << frequency_text(t.times) << "\n";
  out << "\nRenal bands (CrCl in mL/min)\n";
  for (const auto &b : m.renal) {
    out << "  " << b.describe() << ": " << to_string(b.severity);
    if (b.min_daily && b.max_daily)
      out << ", " << b.min_daily->str() << " to " << b.max_daily->str() << " per day";
    else if (b.max_daily)
      out << ", at most " << b.max_daily->str() << " per day";
    if (!b.times.empty())
      out << ", " << frequency_text(b.times);
    out << "\n    " << b.text << " " << cite_text(b.cite) << "\n";
    if (!b.note.empty())
      out << "    note on the plan: " << b.note << "\n";
  }
  auto rule_line = [&](const std::string &what, const Rule &r) {
    out << "  " << what << ": " << to_string(r.severity) << ": " << r.text;
    if (r.max_daily)
      out << " (at most " << r.max_daily->str() << " per day)";
    out << " " << cite_text(r.cite) << "\n";
  };
  out << "\nHepatic impairment\n";
  if (m.hepatic.empty())
    out << "  no rule (ok)\n";
  for (const auto &h : m.hepatic)
    rule_line(std::string(to_string(h.hepatic)), h.rule);
  out << "\nAge\n";
  if (m.age.empty())
    out << "  no rule (ok)\n";
  for (const auto &a : m.age) {
    std::string what = "age " + std::to_string(a.min_age) + " or over";
    for (const auto &c : a.requires_conditions)
      what += " with " + c;
    rule_line(what, a.rule);
  }
  out << "\nConditions\n";
  if (m.conditions.empty())
    out << "  no rule (ok)\n";
  for (const auto &c : m.conditions)
    rule_line(c.condition, c.rule);
  out << "\nInteractions (by medication class)\n";
  for (const auto &i : m.interactions) {
    std::string what = i.medication.empty() ? i.med_class : "taking " + i.medication;
    if (i.except_self)
      what += " (other than " + m.name + ")";
    if (i.min_count > 1)
      what += ", " + std::to_string(i.min_count) + " or more";
    if (i.min_age > 0)
      what += ", age " + std::to_string(i.min_age) + " or over";
    if (i.washout_days > 0)
      what += ", or stopped less than " + std::to_string(i.washout_days) + " days ago";
    rule_line(what, i.rule);
  }
  out << "\nNot tolerated (adverse effects that count) " << cite_text(m.not_tolerated_cite)
      << "\n  ";
  for (std::size_t i = 0; i < m.not_tolerated.size(); ++i)
    out << (i ? ", " : "") << m.not_tolerated[i];
  const TaperRule &tr = m.taper;
  out << "\n\nTaper " << cite_text(tr.cite) << "\n";
  switch (tr.kind) {
  case TaperKind::explicit_steps:
    for (const auto &s : tr.steps) {
      out << "  from " << s.from.str() << " per day or more: " << s.to.str() << " per day for "
          << s.days << " days, then stop"
          << (s.requires_strength ? " (only if a " + s.to.str() + " unit is stocked)" : "") << "\n";
    }
    break;
  case TaperKind::decrement:
    out << "  reduce by " << tr.decrement.str() << " per day every " << tr.interval_days
        << " days\n";
    break;
  case TaperKind::drop_administration:
    out << "  remove one dose of the day every " << tr.interval_days << " days\n";
    break;
  }
  if (tr.min_total_days > 0)
    out << "  at least " << tr.min_total_days << " days in all\n";
  for (const auto &d : tr.by_time_on_drug) {
    out << "  " << d.text << " (at least " << d.min_total_days << " days";
    if (d.max_total_days)
      out << ", at most " << *d.max_total_days << " days";
    out << ")\n";
  }
  if (!tr.note.empty())
    out << "  " << tr.note << "\n";
  if (m.haemodialysis) {
    out << "\nHaemodialysis " << cite_text(m.haemodialysis->cite) << "\n  " << m.haemodialysis->text
        << ":\n";
    for (const auto &x : m.haemodialysis->supplements) {
      out << "  " << x.supplement.str() << " after each session with " << x.daily.str()
          << " once daily\n";
    }
  }
  bool any = false;
  for (const auto &sw : f.switches) {
    if (sw.from != m.name && sw.from != m.drug_class && sw.to != m.name && sw.to != m.drug_class)
      continue;
    if (!any)
      out << "\nSwitching\n";
    any = true;
    out << "  " << sw.from << " to " << sw.to << " (" << to_string(sw.mode) << "): " << sw.text
        << " " << cite_text(sw.cite) << "\n";
    if (!sw.caution.empty())
      out << "    caution: " << sw.caution << "\n";
  }
  out << "\n" << words::phrase::footer << "\n";
}

void run_list(Context &ctx) {
  const Formulary &f = ctx.formulary();
  if (ctx.opt.json) {
    nlohmann::json j{{"drugs", nlohmann::json::array()}};
    for (const auto &m : f.drugs) {
      nlohmann::json s = nlohmann::json::array();
      for (const auto &x : m.strengths)
        s.push_back({{"mg", mg_json(x.dose)}, {"form", std::string(to_string(x.form))}});
      j["drugs"].push_back({{"drug", m.name},
                            {"class", m.drug_class},
                            {"rxcui", m.rxcui},
                            {"strengths", s},
                            {"target_mg", mg_json(m.titration.target)},
                            {"max_daily_mg", mg_json(m.titration.max_daily)},
                            {"times", times_json(m.titration.times)}});
    }
    ctx.print_json(j);
    return;
  }
  for (const auto &m : f.drugs) {
    ctx.out << m.name << " (" << m.drug_class << "): target " << m.titration.target.str()
            << " per day, maximum " << m.titration.max_daily.str() << " per day, "
            << frequency_text(m.titration.times) << "\n";
  }
}

void run_show(Context &ctx, const std::string &drug) {
  const Formulary &f = ctx.formulary();
  const Monograph &m = f.get(drug); // NotFoundError (exit 3) naming the known drugs
  if (ctx.opt.json) {
    ctx.print_json(monograph_json(m, f));
    return;
  }
  print_monograph(ctx.out, m, f);
}

void run_check(Context &ctx, const std::string &dir_arg) {
  const std::string dir = dir_arg.empty() ? ctx.formulary_dir() : dir_arg;
  const auto files = read_toml_dir(dir);
  report_folder_check(ctx, "formulary", "formulary check", dir, files.size(),
                      check_formulary(files));
}

} // namespace

void add_formulary_command(CLI::App &app, Context &ctx) {
  add_folder_command(app, ctx,
                     {.name = "formulary",
                      .about = "List, show or check the drug monographs",
                      .list_about = "One line per formulary drug",
                      .show_about = "Every figure of one drug with its source",
                      .show_arg = "DRUG",
                      .show_arg_about = "Generic name, e.g. gabapentin",
                      .folder_flag = "--formulary",
                      .list = run_list,
                      .show = run_show,
                      .check = run_check});
}

} // namespace titrate::cli
