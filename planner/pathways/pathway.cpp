#include "planner/pathways/pathway.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/toml_reader.hpp"

#include <algorithm>
#include <type_traits>

namespace titrate {

namespace {

using tomlr::Faults;
using tomlr::file_stem;
using tomlr::Table;
using tomlr::Value;

std::string known_drugs(const Formulary &f) {
  std::vector<std::string> names;
  for (const auto &m : f.drugs)
    names.push_back(m.name);
  return tomlr::join(names);
}

// A [decisions.KEY] table: value (within [min, max]) and its citation.
template <typename T>
void read_param(Table &decisions, const std::string &key, Sourced<T> &out, double min, double max) {
  const Value *v = decisions.table(key);
  if (!v)
    return;
  Table t(decisions.faults(), *v, decisions.key(key));
  if constexpr (std::is_same_v<T, int>) {
    if (auto n = t.integer("value", true, static_cast<int>(min), static_cast<int>(max)))
      out.value = *n;
  } else {
    if (auto x = t.number("value")) {
      if (*x < min || *x > max) {
        t.fault("value", std::to_string(*x) + " is out of range; expected " + std::to_string(min) +
                             " to " + std::to_string(max));
      }
      out.value = *x;
    }
  }
  out.cite = t.citation();
  t.finish();
}

void parse_into(Faults &f, const TextFile &file, const Formulary &formulary, Pathway &p) {
  auto doc = tomlr::parse_text(file.text, f);
  if (!doc)
    return;
  Table top(f, *doc, "");
  p.name = file_stem(file.name);
  p.source_file = file.name;
  if (auto s = top.str("title"))
    p.title = *s;
  auto drug_list = [&](const std::string &key) {
    std::vector<std::string> out;
    auto names = top.strings(key);
    if (!names)
      return out;
    if (names->empty())
      top.fault(key, "is empty; expected at least one drug");
    for (const auto &n : *names) {
      if (!formulary.find(n)) {
        top.fault(key, "\"" + n + "\" is not a formulary drug; expected one of: " +
                           known_drugs(formulary));
        continue;
      }
      if (std::find(out.begin(), out.end(), n) != out.end()) {
        top.fault(key, "\"" + n + "\" is listed twice; expected each drug once");
        continue;
      }
      out.push_back(n);
    }
    return out;
  };
  p.drugs = drug_list("drugs");
  p.first_line = drug_list("first_line");
  for (const auto &d : p.first_line) {
    if (std::find(p.drugs.begin(), p.drugs.end(), d) == p.drugs.end()) {
      top.fault("first_line",
                "\"" + d +
                    "\" is not in drugs; expected first-line drugs from the pathway's drugs");
    }
  }
  if (auto s = top.str("after_last"))
    p.after_last = *s;
  if (auto list = top.strings("indications", false)) {
    for (const auto &i : *list) {
      if (!formulary.vocabulary.knows_indication(i)) {
        top.fault("indications", "\"" + i + "\" is not an indication; expected one of: " +
                                     formulary.vocabulary.indication_terms());
      } else if (std::find(p.indications.begin(), p.indications.end(), i) != p.indications.end()) {
        top.fault("indications", "\"" + i + "\" is listed twice; expected each indication once");
      } else {
        p.indications.push_back(i);
      }
    }
  }
  p.cite = top.citation();
  if (const Value *v = top.table("decisions")) {
    Table d(f, *v, "decisions");
    auto &dp = p.decisions;
    // 14 days at an adequate dose is the project's floor for any trial (clinical.md A6, D2):
    // a pathway may ask more, never less.
    read_param(d, "min_days_at_target", dp.min_days_at_target, 14, 365);
    read_param(d, "window_days", dp.window_days, 1, 365);
    read_param(d, "min_days_with_scores", dp.min_days_with_scores, 1, 365);
    read_param(d, "baseline_days", dp.baseline_days, 1, 365);
    read_param(d, "baseline_min_days", dp.baseline_min_days, 1, 365);
    read_param(d, "response_pct", dp.response_pct, 0.0, 100.0);
    read_param(d, "substantial_pct", dp.substantial_pct, 0.0, 100.0);
    read_param(d, "extension_days", dp.extension_days, 1, 365);
    read_param(d, "max_extensions", dp.max_extensions, 0, 20);
    read_param(d, "maintenance_review_days", dp.maintenance_review_days, 7, 365);
    d.finish();
    if (dp.min_days_with_scores.value > dp.window_days.value) {
      d.fault("min_days_with_scores", "is longer than window_days; expected at most window_days");
    }
    if (dp.baseline_min_days.value > dp.baseline_days.value) {
      d.fault("baseline_min_days", "is longer than baseline_days; expected at most baseline_days");
    }
    if (dp.substantial_pct.value < dp.response_pct.value) {
      d.fault("substantial_pct", "is below response_pct; expected substantial >= response");
    }
  }
  top.finish();
}

std::vector<Pathway> load_impl(const std::vector<TextFile> &files, const Formulary &formulary,
                               std::vector<std::string> *collect) {
  std::vector<Pathway> out;
  for (const auto &file : files) {
    Faults f(file.name, tomlr::ErrorKind::data, collect);
    Pathway p;
    parse_into(f, file, formulary, p);
    if (f.count() == 0)
      out.push_back(std::move(p));
  }
  if (files.empty()) {
    const std::string msg = "pathways: no *.toml pathway files; expected at least one";
    if (!collect)
      throw DataError(msg);
    collect->push_back(msg);
  }
  std::sort(out.begin(), out.end(),
            [](const Pathway &a, const Pathway &b) { return a.name < b.name; });
  return out;
}

} // namespace

Pathway parse_pathway(const TextFile &file, const Formulary &formulary) {
  Faults f(file.name, tomlr::ErrorKind::data);
  Pathway p;
  parse_into(f, file, formulary, p);
  return p;
}

std::vector<Pathway> load_pathways(const std::vector<TextFile> &files, const Formulary &formulary) {
  return load_impl(files, formulary, nullptr);
}

std::vector<std::string> check_pathways(const std::vector<TextFile> &files,
                                        const Formulary &formulary) {
  std::vector<std::string> faults;
  load_impl(files, formulary, &faults);
  return faults;
}

} // namespace titrate
