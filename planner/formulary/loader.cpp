// The vocabulary (formulary/vocabulary.toml), the switching rules (formulary/switching.toml) and
// the cross-file load of a formulary folder: every drug's monograph (monograph_parser.cpp), then
// the checks that span files (switch rules name known drugs).
#include "planner/formulary/loader.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/toml_reader.hpp"
#include "planner/formulary/toml_text.hpp"

#include "planner/formulary/parse_common.hpp"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace titrate {

namespace {

using namespace formulary_parse;

void parse_vocabulary_into(Faults &f, const TextFile &file, Vocabulary &voc) {
  auto doc = tomlr::parse_text(file.text, f);
  if (!doc)
    return;
  Table top(f, *doc, "");
  if (const Value *v = top.table("conditions")) {
    Table t(f, *v, "conditions");
    if (auto terms = t.strings("terms")) {
      for (const auto &c : *terms) {
        if (!is_vocab_word(c))
          t.fault("terms",
                  "\"" + c + "\" is not a vocabulary word; expected lower case and hyphens");
        if (voc.knows_condition(c))
          t.fault("terms", "\"" + c + "\" is listed twice; expected each condition once");
        voc.conditions.push_back(c);
      }
    }
    t.citation();
    t.finish();
  }
  // A table of NAME = ... rows with its source: `row(t, NAME)` for each row (source and verified
  // aside), then the table is finished. Its citation, or none when it is absent and not required.
  const auto cited_rows = [&](const char *table, bool required, auto row) {
    const Value *v = top.table(table, required);
    if (!v)
      return Citation{};
    Table t(f, *v, table);
    const Citation cite = t.citation();
    for (const std::string &k : tomlr::keys(*v)) {
      if (k == "source" || k == "verified")
        continue;
      row(t, k);
    }
    t.finish();
    return cite;
  };
  // A table of NAME = "label" rows: the indications and the classes.
  const auto labels = [&](const char *table, bool required, const char *what,
                          std::map<std::string, std::string> &out) {
    return cited_rows(table, required, [&](Table &t, const std::string &k) {
      if (auto s = t.str(k)) {
        if (!is_vocab_word(k))
          t.fault(k, std::string("is not ") + what + "; expected lower case and hyphens");
        out[k] = *s;
      }
    });
  };
  voc.indications_cite = labels("indications", false, "an indication term", voc.indications);
  labels("classes", true, "a class name", voc.classes);
  auto known_classes = [&](Table &t, const std::string &k, const std::vector<std::string> &cls) {
    for (const auto &c : cls) {
      if (!voc.knows_class(c))
        t.fault(k, "\"" + c + "\" is not a class declared in [classes]; expected one of them");
    }
  };
  cited_rows("medications", true, [&](Table &t, const std::string &k) {
    if (!is_vocab_word(k))
      t.fault(k, "is not a medication name; expected lower case and hyphens");
    if (auto cls = t.strings(k)) {
      known_classes(t, k, *cls);
      voc.medication_classes[k] = *cls;
    }
  });
  cited_rows("drugs", true, [&](Table &t, const std::string &k) {
    const Value *dv = t.table(k);
    if (!dv)
      return;
    Table d(f, *dv, "drugs." + k);
    if (auto c = d.str("class")) {
      known_classes(d, "class", {*c});
      voc.drug_classes[k] = *c;
    }
    if (auto cls = d.strings("classes")) {
      known_classes(d, "classes", *cls);
      voc.class_members_of_drug[k] = *cls;
      if (voc.medication_classes.count(k)) {
        d.fault_here(
            "\"" + k +
            "\" is also listed under [medications]; expected formulary drugs only under [drugs]");
      }
      voc.medication_classes[k] = *cls; // a formulary drug is a medication too
    }
    d.finish();
  });
  top.finish();
}

void parse_switching_into(Faults &f, const TextFile &file, const Vocabulary &voc,
                          std::vector<SwitchRule> &out) {
  auto doc = tomlr::parse_text(file.text, f);
  if (!doc)
    return;
  Table top(f, *doc, "");
  const auto list = top.tables("switch");
  std::vector<std::string> classes;
  for (const auto &[d, c] : voc.drug_classes)
    if (std::find(classes.begin(), classes.end(), c) == classes.end())
      classes.push_back(c);
  for (std::size_t i = 0; i < list.size(); ++i) {
    Table t(f, *list[i], idx("switch", i));
    SwitchRule r;
    for (const char *side : {"from", "to"}) {
      if (auto s = t.str(side)) {
        const bool ok = *s == "*" || voc.drug_classes.count(*s) ||
                        std::find(classes.begin(), classes.end(), *s) != classes.end();
        if (!ok) {
          std::vector<std::string> known;
          for (const auto &[d, c] : voc.drug_classes)
            known.push_back(d);
          t.fault(side, "\"" + *s + "\" is not a formulary drug or drug class; expected one of: " +
                            tomlr::join(known) + ", " + tomlr::join(classes) + " or \"*\"");
        }
        (std::string(side) == "from" ? r.from : r.to) = *s;
      }
    }
    if (auto m = t.str("mode")) {
      if (const auto mode = enum_named<SwitchMode>(*m))
        r.mode = *mode;
      else
        t.fault("mode",
                "\"" + *m + "\" is not a switch mode; expected overlap, sequential or cross_taper");
    }
    if (auto n = t.integer("gap_days", r.mode == SwitchMode::sequential, 0, 365))
      r.gap_days = *n;
    r.next_start = t.dose_mg("next_start_mg", false);
    const bool cross = r.mode == SwitchMode::cross_taper;
    if (auto d = t.dose_mg("decrement_mg", cross))
      r.decrement = *d;
    if (auto n = t.integer("interval_days", cross, 1, 365))
      r.interval_days = *n;
    if (!cross && (t.has("decrement_mg") || t.has("interval_days"))) {
      t.fault(t.has("decrement_mg") ? "decrement_mg" : "interval_days",
              "only cross_taper rules cut the outgoing drug; expected mode = \"cross_taper\" or no "
              "such key");
    }
    if (r.mode != SwitchMode::sequential && t.has("gap_days")) {
      t.fault("gap_days",
              "only sequential rules have a gap; expected mode = \"sequential\" or no gap_days");
    }
    if (auto s = t.str("text"))
      r.text = *s;
    if (auto s = t.str("caution", false)) {
      if (s->empty())
        t.fault("caution", "is empty; expected the caution to show, or no key");
      r.caution = *s;
    }
    r.cite = t.citation();
    read_confidence(t, r.cite);
    t.finish();
    for (const auto &o : out)
      if (o.from == r.from && o.to == r.to)
        t.fault("to", "a rule from \"" + r.from + "\" to \"" + r.to +
                          "\" already exists; expected one rule per pair");
    out.push_back(r);
  }
  top.finish();
}

bool is_named(const TextFile &f, const std::string &stem) {
  return file_stem(f.name) == stem;
}

Formulary load_impl(const std::vector<TextFile> &files, std::vector<std::string> *collect) {
  Formulary out;
  const TextFile *vocab_file = nullptr;
  const TextFile *switch_file = nullptr;
  for (const auto &f : files) {
    if (is_named(f, "vocabulary"))
      vocab_file = &f;
    if (is_named(f, "switching"))
      switch_file = &f;
  }
  auto missing = [&](const std::string &what) {
    const std::string msg = "formulary: " + what + " is missing; expected it beside the drug files";
    if (!collect)
      throw DataError(msg);
    collect->push_back(msg);
  };
  if (!vocab_file)
    missing("vocabulary.toml");
  if (!switch_file)
    missing("switching.toml");
  if (vocab_file) {
    Faults f(vocab_file->name, tomlr::ErrorKind::data, collect);
    parse_vocabulary_into(f, *vocab_file, out.vocabulary);
  }
  for (const auto &file : files) {
    if (&file == vocab_file || &file == switch_file)
      continue;
    Faults f(file.name, tomlr::ErrorKind::data, collect);
    Monograph m;
    parse_monograph_into(f, file, out.vocabulary, m);
    if (f.count() == 0) {
      for (const auto &o : out.drugs)
        if (o.name == m.name)
          f.fault_line(1, "name",
                       "\"" + m.name + "\" is defined twice; expected one file per drug");
      out.drugs.push_back(std::move(m));
    }
  }
  std::sort(out.drugs.begin(), out.drugs.end(),
            [](const Monograph &a, const Monograph &b) { return a.name < b.name; });
  if (vocab_file) {
    Faults f(vocab_file->name, tomlr::ErrorKind::data, collect);
    for (const auto &[drug, cls] : out.vocabulary.drug_classes) {
      bool has_file = false;
      for (const auto &file : files)
        has_file = has_file || is_named(file, drug);
      if (!has_file)
        f.fault_line(1, "drugs." + drug,
                     "no " + drug +
                         ".toml monograph; expected one file per drug listed under [drugs]");
    }
  }
  if (switch_file) {
    Faults f(switch_file->name, tomlr::ErrorKind::data, collect);
    parse_switching_into(f, *switch_file, out.vocabulary, out.switches);
  }
  return out;
}

} // namespace

Vocabulary parse_vocabulary(const TextFile &file) {
  formulary_parse::Faults f(file.name, tomlr::ErrorKind::data);
  Vocabulary v;
  parse_vocabulary_into(f, file, v);
  return v;
}

std::vector<SwitchRule> parse_switching(const TextFile &file, const Vocabulary &vocabulary) {
  formulary_parse::Faults f(file.name, tomlr::ErrorKind::data);
  std::vector<SwitchRule> out;
  parse_switching_into(f, file, vocabulary, out);
  return out;
}

Formulary load_formulary(const std::vector<TextFile> &files) {
  return load_impl(files, nullptr);
}

std::vector<std::string> check_formulary(const std::vector<TextFile> &files) {
  std::vector<std::string> faults;
  load_impl(files, &faults);
  return faults;
}

} // namespace titrate
