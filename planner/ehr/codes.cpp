#include "planner/ehr/codes.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/toml_reader.hpp"

#include <algorithm>

namespace titrate::ehr {

std::optional<std::string> EhrCodes::medication_of(const std::string &rxcui) const {
  const auto it = rxnorm.find(rxcui);
  if (it == rxnorm.end())
    return std::nullopt;
  return it->second;
}

namespace {

bool plain_code(const std::string &s, const std::string &allowed) {
  return !s.empty() && s.size() <= 20 && s.find_first_not_of(allowed) == std::string::npos;
}

} // namespace

EhrCodes parse_ehr_codes(const std::string &text, const std::string &file, const Formulary &f) {
  tomlr::Faults faults(file, tomlr::ErrorKind::data);
  const auto doc = tomlr::parse_text(text, faults);
  EhrCodes c;
  tomlr::Table top(faults, *doc, "");

  if (const auto *rules_v = top.table("rules")) {
    tomlr::Table rules(faults, *rules_v, "rules");
    if (const auto days = rules.integer("lab_max_age_days", true, 1, 3650))
      c.lab_max_age_days = *days;
    if (const auto reason = rules.str("reason"))
      c.lab_max_age_reason = *reason;
    c.lab_max_age_cite = rules.citation();
    rules.finish();
  }

  if (const auto *loinc_v = top.table("loinc")) {
    tomlr::Table loinc(faults, *loinc_v, "loinc");
    std::set<std::string> seen;
    const auto codes = [&](const std::string &key, std::set<std::string> &into) {
      for (const auto &code : loinc.strings(key).value_or(std::vector<std::string>{})) {
        if (!plain_code(code, "0123456789-")) {
          loinc.fault(key,
                      "\"" + code + "\" is not a LOINC code; expected digits, '-', check digit");
        } else if (!seen.insert(code).second) {
          loinc.fault(key, "\"" + code + "\" is listed twice; expected each code once");
        }
        into.insert(code);
      }
    };
    codes("serum_creatinine_mass", c.creatinine_mass);
    codes("serum_creatinine_substance", c.creatinine_substance);
    codes("egfr", c.egfr);
    codes("body_weight", c.body_weight);
    c.loinc_source = *loinc.str("source");
    loinc.finish();
  }

  // A table of TERM = code rows with its source ([rxnorm], [snomed], [snomed_indications]):
  // `row(t, TERM)` for each row, the source aside, then the table is finished.
  const auto sourced_rows = [&](const char *name, std::string &source, auto row) {
    const auto *v = top.table(name);
    if (!v)
      return;
    tomlr::Table t(faults, *v, name);
    source = *t.str("source");
    for (const std::string &key : tomlr::keys(*v)) {
      if (key == "source")
        continue;
      row(t, key);
    }
    t.finish();
  };

  sourced_rows("rxnorm", c.rxnorm_source, [&](tomlr::Table &rx, const std::string &key) {
    const auto code = rx.str(key);
    if (!code)
      return;
    if (!f.vocabulary.classes_of(key) && !f.find(key)) {
      rx.fault(key, "\"" + key +
                        "\" is not a medication of formulary/vocabulary.toml; expected "
                        "one of its [medications]");
    } else if (!plain_code(*code, "0123456789")) {
      rx.fault(key, "\"" + *code + "\" is not an RxCUI; expected digits");
    } else if (!c.rxnorm.emplace(*code, key).second) {
      rx.fault(key, "RxCUI " + *code + " is listed twice; expected each code once");
    }
  });

  // [snomed] (conditions) and [snomed_indications]: TERM = ["SCTID", ...], each code once in both.
  const auto snomed_table = [&](const char *name, std::map<std::string, std::string> &into,
                                std::string &source, const auto &known, const char *what) {
    sourced_rows(name, source, [&](tomlr::Table &t, const std::string &key) {
      const auto list = t.strings(key);
      if (!list)
        return;
      if (!known(key)) {
        t.fault(key, "\"" + key + "\" is not " + what + " of formulary/vocabulary.toml");
        return;
      }
      for (const auto &code : *list) {
        if (!plain_code(code, "0123456789")) {
          t.fault(key, "\"" + code + "\" is not a SNOMED CT code; expected digits");
        } else if (c.snomed.count(code) || c.snomed_indications.count(code)) {
          t.fault(key, "SNOMED CT " + code + " is listed twice; expected each code once");
        } else {
          into.emplace(code, key);
        }
      }
    });
  };
  snomed_table(
      "snomed", c.snomed, c.snomed_source,
      [&f](const std::string &k) { return f.vocabulary.knows_condition(k); }, "a condition");
  snomed_table(
      "snomed_indications", c.snomed_indications, c.snomed_indications_source,
      [&f](const std::string &k) { return f.vocabulary.knows_indication(k); }, "an indication");
  top.finish();

  // The formulary drugs' own codes: ingredient and every stocked strength (clinical.md E1, E2).
  for (const auto &m : f.drugs) {
    if (!m.rxcui.empty())
      c.rxnorm.emplace(m.rxcui, m.name);
    for (const auto &s : m.strengths) {
      if (!s.rxcui.empty())
        c.rxnorm.emplace(s.rxcui, m.name);
    }
  }
  return c;
}

} // namespace titrate::ehr
