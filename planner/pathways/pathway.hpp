#pragma once
// A pathway (schedules/<name>.toml): the order in which drugs are tried and the decision
// parameters of design.md §5, each with its source. Pure parsing of handed text.
#include "planner/formulary/loader.hpp"

#include <string>
#include <vector>

namespace titrate {

template <typename T> struct Sourced {
  T value{};
  Citation cite;
};

struct DecisionParams {
  Sourced<int> min_days_at_target;      // 14: hold at the assessed dose before deciding
  Sourced<int> window_days;             // 7: the window before the decision date
  Sourced<int> min_days_with_scores;    // 4: days with scores in the window
  Sourced<int> baseline_days;           // 7: days before the first dose that form the baseline
  Sourced<int> baseline_min_days;       // 3: fewer -> the entered baseline
  Sourced<double> response_pct;         // 30: >= continue
  Sourced<double> substantial_pct;      // 50: reported as substantial
  Sourced<int> extension_days;          // 7
  Sourced<int> max_extensions;          // 2: then review
  Sourced<int> maintenance_review_days; // after a response: the dose continues, reviewed then
};

struct Pathway {
  std::string name; // file stem, e.g. "cipn-esmo"
  std::string title;
  std::vector<std::string> drugs;      // trial order (stage choice, clinical.md A1)
  std::vector<std::string> first_line; // the guideline's first line (shown; not a --prefer limit)
  std::string after_last;              // what happens when no drug is left: text ("refer ...")
  // What the pathway is written for (vocabulary [indications]); empty: not stated, not checked.
  std::vector<std::string> indications;
  DecisionParams decisions;
  Citation cite;
  std::string source_file;
};

Pathway parse_pathway(const TextFile &file, const Formulary &formulary);
std::vector<Pathway> load_pathways(const std::vector<TextFile> &files, const Formulary &formulary);
std::vector<std::string> check_pathways(const std::vector<TextFile> &files,
                                        const Formulary &formulary);

} // namespace titrate
