// One drug's monograph (formulary/<drug>.toml, schema in formulary/README.md): strengths,
// titration, renal and hepatic bands, age caps, conditions, interactions and the taper, each
// figure with its source; every fault names the file, line and key. One coherent thing, so it is
// longer than most files.
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

namespace formulary_parse {

namespace {

std::optional<Severity> read_severity(Table &t, bool allow_ok) {
  auto s = t.str("severity");
  if (!s)
    return std::nullopt;
  if (*s == "caution")
    return Severity::caution;
  if (*s == "avoid")
    return Severity::avoid;
  if (*s == "ok" && allow_ok)
    return Severity::ok;
  t.fault("severity", "\"" + *s + "\" is not a severity; expected " +
                          (allow_ok ? "ok, caution or avoid" : "caution or avoid"));
  return std::nullopt;
}

std::vector<AdminTime> read_times(Table &t, const std::string &k, bool required) {
  std::vector<AdminTime> out;
  auto names = t.strings(k, required);
  if (!names)
    return out;
  if (names->empty() && required)
    t.fault(k, "is empty; expected at least one time of day");
  for (const auto &n : *names) {
    const auto a = enum_named<AdminTime>(n);
    if (!a)
      t.fault(k, "\"" + n + "\" is not a time of day; expected " + enum_expected<AdminTime>());
    else if (std::find(out.begin(), out.end(), *a) != out.end())
      t.fault(k, "\"" + n + "\" appears twice; expected each time of day once");
    else
      out.push_back(*a);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Rule read_rule(Table &t, std::string id) {
  Rule r;
  r.id = std::move(id);
  if (auto s = read_severity(t, false))
    r.severity = *s;
  if (auto s = t.str("text")) {
    if (s->empty())
      t.fault("text", "is empty; expected the plain-language reason");
    r.text = *s;
  }
  r.cite = t.citation();
  read_confidence(t, r.cite);
  if (auto d = t.dose_mg("max_daily_mg", false))
    r.max_daily = *d;
  return r;
}

// Can `dose` (one administration) be made from marketed units? Capsules whole; a splittable
// tablet also in halves. Unbounded coin change on the gcd-reduced grid.
bool buildable(const std::vector<Strength> &strengths, Dose dose) {
  if (dose.is_zero())
    return true;
  std::vector<std::int64_t> units;
  for (const auto &s : strengths) {
    units.push_back(s.dose.ug());
    if (s.splittable && s.dose.ug() % 2 == 0)
      units.push_back(s.dose.ug() / 2);
  }
  if (units.empty())
    return false;
  std::int64_t g = 0;
  for (auto u : units)
    g = std::gcd(g, u);
  if (g <= 0 || dose.ug() % g != 0)
    return false;
  const auto target = static_cast<std::size_t>(dose.ug() / g);
  if (target > 2'000'000)
    return false;
  std::vector<char> can(target + 1, 0);
  can[0] = 1;
  for (std::size_t x = 1; x <= target; ++x) {
    for (auto u : units) {
      const auto step = static_cast<std::size_t>(u / g);
      if (step <= x && can[x - step]) {
        can[x] = 1;
        break;
      }
    }
  }
  return can[target] != 0;
}

// Checks a daily dose split evenly over `times`: each administration must be exact and buildable.
void check_buildable(Table &t, const std::string &key, const Monograph &m, Dose daily,
                     const std::vector<AdminTime> &times) {
  if (times.empty() || m.strengths.empty())
    return;
  const auto n = static_cast<std::int64_t>(times.size());
  std::string units;
  for (const auto &s : m.strengths)
    units += (units.empty() ? "" : ", ") + s.dose.str();
  if (daily.ug() % n != 0) {
    t.fault(key, daily.str() + " a day cannot be split into " + std::to_string(n) +
                     " equal doses; expected a daily dose each administration can take exactly");
    return;
  }
  const Dose each = Dose::micrograms(daily.ug() / n);
  if (!buildable(m.strengths, each)) {
    t.fault(key, daily.str() + " a day in " + std::to_string(n) + " dose(s) needs " + each.str() +
                     " per dose, which no combination of the marketed strengths (" + units +
                     ") can build; expected a dose made of whole units");
  }
}

void parse_strengths(Table &top, Monograph &m) {
  const auto list = top.tables("strengths");
  if (list.empty() && top.has("strengths"))
    top.fault("strengths", "is empty; expected at least one strength");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Table t(top.faults(), *list[i], idx("strengths", i));
    Strength s;
    if (auto d = t.dose_mg("mg"))
      s.dose = *d;
    if (auto f = t.str("form")) {
      if (*f == "capsule")
        s.form = Form::capsule;
      else if (*f == "tablet")
        s.form = Form::tablet;
      else
        t.fault("form", "\"" + *f + "\" is not a form; expected capsule or tablet");
    }
    if (auto b = t.boolean("splittable", false))
      s.splittable = *b;
    if (s.splittable && s.form == Form::capsule) {
      t.fault("splittable", "a capsule cannot be split; expected false");
    }
    if (auto r = t.str("rxcui", false)) {
      if (r->empty() || r->find_first_not_of("0123456789") != std::string::npos) {
        t.fault("rxcui", "\"" + *r + "\" is not an RxCUI; expected digits");
      }
      s.rxcui = *r;
    }
    if (auto n = t.str("note", false))
      s.note = *n;
    s.cite = t.citation();
    read_confidence(t, s.cite);
    t.finish();
    for (const auto &o : m.strengths) {
      if (o.dose == s.dose && o.form == s.form) {
        t.fault("mg", s.dose.str() + " " + std::string(to_string(s.form)) +
                          " is listed twice; expected each strength once");
      }
    }
    m.strengths.push_back(s);
  }
  std::sort(m.strengths.begin(), m.strengths.end(),
            [](const Strength &a, const Strength &b) { return a.dose < b.dose; });
}

void parse_titration(Table &top, Monograph &m) {
  const Value *v = top.table("titration");
  if (!v)
    return;
  Table t(top.faults(), *v, "titration");
  Titration &ti = m.titration;
  if (auto d = t.dose_mg("increment_mg"))
    ti.increment = *d;
  if (auto n = t.integer("interval_days", true, 1, 365))
    ti.interval_days = *n;
  if (auto n = t.integer("min_interval_days", true, 1, 365))
    ti.min_interval_days = *n;
  if (auto d = t.dose_mg("target_mg"))
    ti.target = *d;
  if (auto e = t.doses_mg("escalation_mg"))
    ti.escalation = *e;
  if (auto d = t.dose_mg("max_daily_mg"))
    ti.max_daily = *d;
  ti.times = read_times(t, "times", true);
  ti.cite = t.citation();
  read_confidence(t, ti.cite);

  const auto starts = t.tables("start");
  if (starts.empty() && t.has("start"))
    t.fault("start", "is empty; expected at least one opening step");
  for (std::size_t i = 0; i < starts.size(); ++i) {
    Table s(t.faults(), *starts[i], idx("titration.start", i));
    TitrationStart st;
    if (auto d = s.dose_mg("daily_mg"))
      st.daily = *d;
    if (auto n = s.integer("days", true, 1, 365))
      st.days = *n;
    st.times = read_times(s, "times", false);
    st.cite = s.citation();
    read_confidence(s, st.cite);
    s.finish();
    const Dose max = ti.max_daily;
    if (!max.is_zero() && st.daily > max) {
      s.fault("daily_mg", st.daily.str() + " is above the maximum daily dose " + max.str() +
                              "; expected at most titration.max_daily_mg");
    }
    if (!ti.start.empty() && st.daily < ti.start.back().daily) {
      s.fault("daily_mg",
              st.daily.str() + " is below the previous opening step; expected rising steps");
    }
    check_buildable(s, "daily_mg", m, st.daily, st.times.empty() ? ti.times : st.times);
    ti.start.push_back(st);
  }
  t.finish();

  // Cross-field checks; each names the key that breaks the rule.
  if (ti.min_interval_days > ti.interval_days) {
    t.fault("min_interval_days",
            std::to_string(ti.min_interval_days) + " is longer than interval_days " +
                std::to_string(ti.interval_days) + "; expected at most interval_days");
  }
  const Dose max = ti.max_daily;
  if (ti.target.is_zero())
    return; // unreadable target: already reported, no cross-checks
  if (!max.is_zero() && ti.target > max) {
    t.fault("target_mg", ti.target.str() + " is above the maximum daily dose " + max.str() +
                             "; expected at most max_daily_mg");
  }
  if (!ti.start.empty() && ti.target < ti.start.back().daily) {
    t.fault("target_mg", ti.target.str() + " is below the last opening step " +
                             ti.start.back().daily.str() +
                             "; expected target >= the opening steps");
  }
  Dose prev = ti.target;
  for (const auto &e : ti.escalation) {
    if (!max.is_zero() && e > max) {
      t.fault("escalation_mg", e.str() + " is above the maximum daily dose " + max.str() +
                                   "; expected every escalation at most max_daily_mg");
    }
    if (e <= prev) {
      t.fault("escalation_mg", e.str() + " is not above " + prev.str() +
                                   "; expected escalations rising above the target");
    }
    prev = e;
  }
  // Every dose the ramp passes through must be buildable with the default times: from the last
  // opening step by `increment` to the target, then on through each escalation level.
  if (!ti.increment.is_zero() && !max.is_zero() && ti.target <= max) {
    Dose d = ti.start.empty() ? ti.increment : ti.start.back().daily;
    std::vector<Dose> levels{ti.target};
    levels.insert(levels.end(), ti.escalation.begin(), ti.escalation.end());
    for (const Dose level : levels) {
      if (level > max)
        break;
      while (d < level) {
        d = std::min(d + ti.increment, level);
        const std::string key =
            d == level ? (level == ti.target ? "target_mg" : "escalation_mg") : "increment_mg";
        check_buildable(t, key, m, d, ti.times);
      }
      if (ti.start.empty() && d == level && level == ti.increment) {
        check_buildable(t, "target_mg", m, d, ti.times);
      }
    }
  }
}

void parse_renal(Table &top, Monograph &m) {
  const auto list = top.tables("renal");
  if (list.empty() && top.has("renal"))
    top.fault("renal", "is empty; expected bands covering CrCl 0 to infinity");
  std::vector<std::pair<RenalBand, std::uint_least32_t>> bands;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Table t(top.faults(), *list[i], idx("renal", i));
    RenalBand b;
    if (auto x = t.number("lower")) {
      if (*x < 0)
        t.fault("lower", "is negative; expected a CrCl in mL/min, 0 or more");
      b.lower = *x;
    }
    if (auto x = t.boolean("lower_inclusive"))
      b.lower_inclusive = *x;
    if (auto x = t.number("upper", false)) {
      if (b.lower && *x <= *b.lower)
        t.fault("upper", "is not above lower; expected lower < upper");
      b.upper = *x;
      if (auto y = t.boolean("upper_inclusive"))
        b.upper_inclusive = *y;
    } else if (t.has("upper_inclusive")) {
      t.boolean("upper_inclusive");
      t.fault("upper_inclusive",
              "given without upper; expected upper with it (no upper = infinity)");
    }
    if (auto s = read_severity(t, true))
      b.severity = *s;
    b.avoid = b.severity == Severity::avoid;
    b.min_daily = t.dose_mg("min_daily_mg", false);
    b.max_daily = t.dose_mg("max_daily_mg", false);
    b.times = read_times(t, "times", false);
    if (auto s = t.str("text"))
      b.text = *s;
    if (auto s = t.str("note", false))
      b.note = *s;
    b.cite = t.citation();
    read_confidence(t, b.cite);
    t.finish();
    const Dose label_max = m.titration.max_daily;
    if (b.max_daily && !label_max.is_zero() && *b.max_daily > label_max) {
      t.fault("max_daily_mg", b.max_daily->str() + " is above the drug's maximum " +
                                  label_max.str() + "; expected at most titration.max_daily_mg");
    }
    if (b.min_daily && b.max_daily && *b.min_daily > *b.max_daily) {
      t.fault("min_daily_mg", b.min_daily->str() + " is above max_daily_mg; expected min <= max");
    }
    const auto &times = b.times.empty() ? m.titration.times : b.times;
    if (b.min_daily)
      check_buildable(t, "min_daily_mg", m, *b.min_daily, times);
    if (b.max_daily)
      check_buildable(t, "max_daily_mg", m, *b.max_daily, times);
    bands.emplace_back(b, tomlr::line_of(*list[i]));
  }
  // The bands must tile [0, inf): sorted by lower bound, each upper meets the next lower with
  // exactly one side inclusive.
  std::stable_sort(bands.begin(), bands.end(), [](const auto &a, const auto &b) {
    return a.first.lower.value_or(0) < b.first.lower.value_or(0);
  });
  Faults &f = top.faults();
  if (!bands.empty()) {
    const auto &first = bands.front();
    if (first.first.lower.value_or(0) > 0 || !first.first.lower_inclusive) {
      f.fault_line(first.second, "renal",
                   "gap: CrCl from 0 up to the band \"" + first.first.describe() +
                       "\" is in no band; expected the first band to start at lower = 0, "
                       "lower_inclusive = true");
    }
    for (std::size_t i = 0; i + 1 < bands.size(); ++i) {
      const RenalBand &a = bands[i].first;
      const RenalBand &b = bands[i + 1].first;
      const auto line = bands[i + 1].second;
      const std::string pair = "bands \"" + a.describe() + "\" and \"" + b.describe() + "\"";
      if (!a.upper) {
        f.fault_line(
            line, "renal",
            "overlap: " + pair +
                " overlap (the first has no upper bound); expected bands that do not overlap");
        continue;
      }
      const double bl = b.lower.value_or(0);
      if (bl < *a.upper || (bl == *a.upper && a.upper_inclusive && b.lower_inclusive)) {
        f.fault_line(line, "renal",
                     "overlap: " + pair + " overlap; expected each CrCl in exactly one band");
      } else if (bl > *a.upper || (!a.upper_inclusive && !b.lower_inclusive)) {
        f.fault_line(line, "renal",
                     "gap: " + pair + " leave a gap; expected each CrCl in exactly one band");
      }
    }
    if (bands.back().first.upper) {
      f.fault_line(bands.back().second, "renal",
                   "gap: CrCl above " + bands.back().first.describe() +
                       " is in no band; expected the last band without upper (to infinity)");
    }
  }
  for (auto &b : bands)
    m.renal.push_back(b.first);
}

// Each optional [[name]] table of a rule list (hepatic, age, conditions, interactions): `read(t)`
// gives the entry with its rule, the table is finished, `check(t, entry)` holds it against the
// entries before it and the drug, and the entry is added to `into`.
template <class Entry, class Read, class Check>
void parse_rule_tables(Table &top, const char *name, std::vector<Entry> &into, Read read,
                       Check check) {
  const auto list = top.tables(name, false);
  for (std::size_t i = 0; i < list.size(); ++i) {
    Table t(top.faults(), *list[i], idx(name, i));
    const Entry e = read(t);
    t.finish();
    check(t, e);
    into.push_back(e);
  }
}

// A condition a rule names under `key`: one of the vocabulary's.
void check_condition(Table &t, const char *key, const std::string &condition,
                     const Vocabulary &vocab) {
  if (!vocab.knows_condition(condition)) {
    t.fault(key, "\"" + condition + "\" is not a known condition; expected one of: " +
                     tomlr::join(vocab.conditions));
  }
}

void parse_hepatic(Table &top, Monograph &m) {
  parse_rule_tables(
      top, "hepatic", m.hepatic,
      [](Table &t) {
        HepaticRule h;
        if (auto c = t.str("class")) {
          const auto named = enum_named<Hepatic>(*c); // "none" has no rule of its own
          if (named && *named != Hepatic::none)
            h.hepatic = *named;
          else
            t.fault("class",
                    "\"" + *c + "\" is not a hepatic class; expected mild, moderate or severe");
        }
        h.rule = read_rule(t, "hepatic." + std::string(to_string(h.hepatic)));
        return h;
      },
      [&m](Table &t, const HepaticRule &h) {
        for (const auto &o : m.hepatic)
          if (o.hepatic == h.hepatic)
            t.fault("class", "\"" + std::string(to_string(h.hepatic)) +
                                 "\" has two rules; expected one rule per class");
      });
}

void parse_age(Table &top, Monograph &m, const Vocabulary &vocab) {
  parse_rule_tables(
      top, "age", m.age,
      [&vocab](Table &t) {
        AgeRule a;
        if (auto n = t.integer("min_age", true, 0, 130))
          a.min_age = *n;
        if (auto c = t.strings("requires_conditions", false)) {
          for (const auto &x : *c)
            check_condition(t, "requires_conditions", x, vocab);
          a.requires_conditions = *c;
        }
        std::string id = "age." + std::to_string(a.min_age);
        for (const auto &c : a.requires_conditions)
          id += "+" + c;
        a.rule = read_rule(t, id);
        return a;
      },
      [&m](Table &t, const AgeRule &a) {
        if (a.rule.max_daily && !m.titration.max_daily.is_zero() &&
            *a.rule.max_daily > m.titration.max_daily) {
          t.fault("max_daily_mg", a.rule.max_daily->str() + " is above the drug's maximum " +
                                      m.titration.max_daily.str() +
                                      "; expected at most titration.max_daily_mg");
        }
      });
}

void parse_conditions(Table &top, Monograph &m, const Vocabulary &vocab) {
  parse_rule_tables(
      top, "conditions", m.conditions,
      [&vocab](Table &t) {
        ConditionRule c;
        if (auto s = t.str("condition")) {
          check_condition(t, "condition", *s, vocab);
          c.condition = *s;
        }
        c.rule = read_rule(t, "condition." + c.condition);
        return c;
      },
      [&m](Table &t, const ConditionRule &c) {
        for (const auto &o : m.conditions)
          if (o.condition == c.condition)
            t.fault("condition",
                    "\"" + c.condition + "\" has two rules; expected one rule per condition");
      });
}

void parse_interactions(Table &top, Monograph &m, const Vocabulary &vocab) {
  parse_rule_tables(
      top, "interactions", m.interactions,
      [&vocab](Table &t) {
        InteractionRule r;
        const bool has_class = t.has("class");
        const bool has_med = t.has("medication");
        if (has_class == has_med) {
          t.fault_here("needs exactly one of class or medication; expected class = \"maoi\" or "
                       "medication = \"NAME\"");
        }
        if (auto c = t.str("class", false)) {
          if (!vocab.knows_class(*c)) {
            std::vector<std::string> known;
            for (const auto &[k, _] : vocab.classes)
              known.push_back(k);
            t.fault("class", "\"" + *c + "\" is not a known medication class; expected one of: " +
                                 tomlr::join(known));
          }
          r.med_class = *c;
        }
        if (auto med = t.str("medication", false)) {
          if (!is_vocab_word(*med)) {
            t.fault("medication",
                    "\"" + *med + "\" is not a medication name; expected lower case and hyphens");
          } else if (!vocab.classes_of(*med) && !vocab.drug_classes.count(*med)) {
            t.fault("medication", "\"" + *med +
                                      "\" is not in the vocabulary; expected a medication of "
                                      "formulary/vocabulary.toml");
          }
          r.medication = *med;
        }
        if (auto n = t.integer("washout_days", false, 0, 365))
          r.washout_days = *n;
        if (auto n = t.integer("min_count", false, 1, 20))
          r.min_count = *n;
        if (auto n = t.integer("min_age", false, 0, 130))
          r.min_age = *n;
        if (auto b = t.boolean("except_self", false))
          r.except_self = *b;
        r.rule = read_rule(t, r.medication.empty() ? "interaction." + r.med_class
                                                   : "interaction.medication." + r.medication);
        return r;
      },
      [](Table &, const InteractionRule &) {});
}

void parse_taper(Table &top, Monograph &m) {
  const Value *v = top.table("taper");
  if (!v)
    return;
  Table t(top.faults(), *v, "taper");
  TaperRule &tr = m.taper;
  if (auto k = t.str("kind")) {
    if (const auto kind = enum_named<TaperKind>(*k))
      tr.kind = *kind;
    else
      t.fault(
          "kind",
          "\"" + *k +
              "\" is not a taper kind; expected explicit_steps, decrement or drop_administration");
  }
  const bool steps_kind = tr.kind == TaperKind::explicit_steps;
  if (auto d = t.dose_mg("decrement_mg", tr.kind == TaperKind::decrement))
    tr.decrement = *d;
  if (auto n = t.integer("interval_days", !steps_kind, 1, 365))
    tr.interval_days = *n;
  if (auto n = t.integer("min_total_days", false, 0, 365))
    tr.min_total_days = *n;
  if (auto s = t.str("note", false))
    tr.note = *s;
  tr.cite = t.citation();
  read_confidence(t, tr.cite);
  // [[taper.by_time_on_drug]] (clinical.md H6): rising min_weeks, the first at 0.
  const auto rows = t.tables("by_time_on_drug", false);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Table r(t.faults(), *rows[i], idx("taper.by_time_on_drug", i));
    TaperDuration d;
    if (auto n = r.integer("min_weeks", true, 0, 520))
      d.min_weeks = *n;
    if (auto n = r.integer("min_total_days", true, 0, 365))
      d.min_total_days = *n;
    if (auto n = r.integer("max_total_days", false, 1, 365))
      d.max_total_days = *n;
    if (auto x = r.str("text"))
      d.text = *x;
    r.finish();
    if (d.max_total_days && *d.max_total_days < d.min_total_days) {
      r.fault("max_total_days", std::to_string(*d.max_total_days) + " is below min_total_days " +
                                    std::to_string(d.min_total_days) + "; expected min <= max");
    }
    if (i == 0 && d.min_weeks != 0) {
      r.fault("min_weeks", "the first row starts at " + std::to_string(d.min_weeks) +
                               " weeks; expected 0 so that every time on drug has a row");
    }
    if (!tr.by_time_on_drug.empty() && d.min_weeks <= tr.by_time_on_drug.back().min_weeks) {
      r.fault("min_weeks", std::to_string(d.min_weeks) + " is not above the previous row; "
                                                         "expected rising min_weeks");
    }
    tr.by_time_on_drug.push_back(d);
  }
  const auto steps = t.tables("steps", steps_kind);
  if (steps_kind && steps.empty() && t.has("steps"))
    t.fault("steps", "is empty; expected at least one step");
  if (!steps_kind && t.has("steps"))
    t.fault("steps", "only explicit_steps tapers have steps; expected kind = \"explicit_steps\"");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Table s(t.faults(), *steps[i], idx("taper.steps", i));
    TaperStep st;
    if (auto d = s.dose_mg("from_mg"))
      st.from = *d;
    if (auto d = s.dose_mg("to_mg", true, true))
      st.to = *d;
    if (auto n = s.integer("days", true, 1, 365))
      st.days = *n;
    if (auto b = s.boolean("requires_strength", false))
      st.requires_strength = *b;
    s.finish();
    if (st.to >= st.from)
      s.fault("to_mg",
              st.to.str() + " is not below from_mg " + st.from.str() + "; expected a lower dose");
    if (!st.to.is_zero() && !st.requires_strength) {
      check_buildable(s, "to_mg", m, st.to, m.titration.times);
    }
    tr.steps.push_back(st);
  }
  t.finish();
}

} // namespace

void parse_monograph_into(Faults &f, const TextFile &file, const Vocabulary &vocab, Monograph &m) {
  auto doc = tomlr::parse_text(file.text, f);
  if (!doc)
    return;
  Table top(f, *doc, "");
  m.source_file = file.name;
  if (auto n = top.str("name")) {
    m.name = *n;
    const std::string stem = file_stem(file.name);
    if (*n != stem)
      top.fault("name", "\"" + *n + "\" does not match the file name; expected \"" + stem + "\"");
  }
  if (auto c = top.str("drug_class")) {
    m.drug_class = *c;
    auto it = vocab.drug_classes.find(m.name);
    if (it == vocab.drug_classes.end()) {
      if (!vocab.drug_classes.empty())
        top.fault("name", "\"" + m.name +
                              "\" is not listed under [drugs] in vocabulary.toml; expected every "
                              "formulary drug there");
    } else if (it->second != *c) {
      top.fault("drug_class", "\"" + *c + "\" differs from vocabulary.toml ([drugs." + m.name +
                                  "] class = \"" + it->second + "\"); expected the same class");
    }
  }
  if (const Value *v = top.table("rxnorm")) {
    Table t(f, *v, "rxnorm");
    if (auto r = t.str("rxcui")) {
      if (r->empty() || r->find_first_not_of("0123456789") != std::string::npos)
        t.fault("rxcui", "\"" + *r + "\" is not an RxCUI; expected digits");
      m.rxcui = *r;
    }
    m.rxcui_cite = t.citation();
    t.finish();
  }
  if (const Value *v = top.table("tall_man", false)) {
    Table t(f, *v, "tall_man");
    if (auto s = t.str("text"))
      m.tall_man = *s;
    m.tall_man_cite = t.citation();
    read_confidence(t, m.tall_man_cite);
    t.finish();
  }
  parse_strengths(top, m);
  parse_titration(top, m);
  parse_renal(top, m);
  parse_hepatic(top, m);
  parse_age(top, m, vocab);
  parse_conditions(top, m, vocab);
  parse_interactions(top, m, vocab);
  if (const Value *v = top.table("adverse_effects")) {
    Table t(f, *v, "adverse_effects");
    if (auto l = t.strings("not_tolerated")) {
      if (l->empty())
        t.fault("not_tolerated",
                "is empty; expected the adverse effects that count as not tolerated");
      m.not_tolerated = *l;
    }
    m.not_tolerated_cite = t.citation();
    t.finish();
  }
  parse_taper(top, m);
  if (const Value *v = top.table("haemodialysis", false)) {
    // clinical.md H14: the supplement after each session by the once-daily regimen. The
    // supplement need not be buildable from the stocked units (125 mg is not): the plan says so.
    Table t(f, *v, "haemodialysis");
    Haemodialysis h;
    if (auto s = t.str("text"))
      h.text = *s;
    h.cite = t.citation();
    read_confidence(t, h.cite);
    const auto rows = t.tables("supplements");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Table r(f, *rows[i], idx("haemodialysis.supplements", i));
      DialysisSupplement d;
      if (auto x = r.dose_mg("daily_mg"))
        d.daily = *x;
      if (auto x = r.dose_mg("supplement_mg"))
        d.supplement = *x;
      r.finish();
      if (!h.supplements.empty() && d.daily <= h.supplements.back().daily) {
        r.fault("daily_mg", d.daily.str() + " is not above the previous row; expected rising "
                                            "daily doses, each once");
      }
      h.supplements.push_back(d);
    }
    if (rows.empty() && t.has("supplements"))
      t.fault("supplements", "is empty; expected rows");
    t.finish();
    m.haemodialysis = std::move(h);
  }
  top.finish();
}

} // namespace formulary_parse

Monograph parse_monograph(const TextFile &file, const Vocabulary &vocabulary) {
  formulary_parse::Faults f(file.name, tomlr::ErrorKind::data);
  Monograph m;
  formulary_parse::parse_monograph_into(f, file, vocabulary, m);
  return m;
}

} // namespace titrate
