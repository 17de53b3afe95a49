#include "planner/formulary/patient_file.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/parse_common.hpp"
#include "planner/formulary/toml_reader.hpp"

#include <algorithm>

namespace titrate {

namespace {

using tomlr::Faults;
using tomlr::Table;
using tomlr::Value;

// A vocabulary word of at most 64 bytes.
bool is_medication_name(const std::string &s) {
  return s.size() <= 64 && formulary_parse::is_vocab_word(s);
}

void check_medication_name(const std::string &field, const std::string &name) {
  if (!is_medication_name(name)) {
    throw InputError(field + ": \"" + name.substr(0, 64) +
                     "\" is not a medication name; expected a generic name in lower case with "
                     "hyphens for spaces (e.g. st-johns-wort)");
  }
}

// A date written as a string "YYYY-MM-DD" or as a TOML local date.
std::optional<Date> read_date(Table &t, const std::string &k, bool required) {
  const Value *v = t.raw(k, required);
  if (!v)
    return std::nullopt;
  try {
    if (v->is_string())
      return parse_date(v->as_string()->get(), t.key(k));
    if (v->is_date()) {
      const toml::date d = v->as_date()->get();
      return Date(static_cast<unsigned short>(d.year), static_cast<unsigned short>(d.month),
                  static_cast<unsigned short>(d.day));
    }
  } catch (const std::exception &e) {
    std::string what = e.what();
    const std::string prefix = t.key(k) + ": ";
    if (what.rfind(prefix, 0) == 0)
      what = what.substr(prefix.size());
    t.fault(k, what);
    return std::nullopt;
  }
  t.fault(k, "is " + tomlr::type_name(*v) + "; expected a date \"YYYY-MM-DD\"");
  return std::nullopt;
}

} // namespace

Patient parse_patient_file(const TextFile &file, const Vocabulary &vocabulary, Date today) {
  Faults f(file.name, tomlr::ErrorKind::input);
  auto doc = tomlr::parse_text(file.text, f);
  Table top(f, *doc, "");
  Patient p;
  if (auto s = top.str("id"))
    p.id = *s;
  if (auto d = read_date(top, "birth_date", true))
    p.birth_date = *d;
  if (auto s = top.str("sex")) {
    try {
      p.sex = parse_enum<Sex>(*s, "sex");
    } catch (const InputError &) {
      top.fault("sex", "\"" + *s + "\" is not a sex; expected female or male");
    }
  }
  if (auto x = top.number("weight_kg"))
    p.weight_kg = *x;
  if (auto x = top.number("serum_creatinine_mg_dl", false))
    p.serum_creatinine_mg_dl = *x;
  if (auto x = top.number("crcl_ml_min", false))
    p.crcl_ml_min = *x;
  if (auto s = top.str("hepatic", false)) {
    try {
      p.hepatic = parse_enum<Hepatic>(*s, "hepatic");
    } catch (const InputError &) {
      top.fault("hepatic",
                "\"" + *s + "\" is not a hepatic class; expected none, mild, moderate or severe");
    }
  }
  if (auto c = top.strings("conditions", false)) {
    for (const auto &x : *c) {
      if (!vocabulary.knows_condition(x)) {
        top.fault("conditions", "\"" + x + "\" is not a known condition; expected one of: " +
                                    tomlr::join(vocabulary.conditions));
      }
      if (std::find(p.conditions.begin(), p.conditions.end(), x) == p.conditions.end())
        p.conditions.push_back(x);
    }
  }
  if (auto s = top.str("indication", false)) {
    if (!vocabulary.knows_indication(*s)) {
      top.fault("indication", "\"" + s->substr(0, 64) +
                                  "\" is not a known indication; expected one of: " +
                                  vocabulary.indication_terms());
    }
    p.indication = *s;
  }
  if (auto m = top.strings("medications", false)) {
    for (const auto &x : *m) {
      if (!is_medication_name(x)) {
        top.fault("medications",
                  "\"" + x.substr(0, 64) +
                      "\" is not a medication name; expected a generic "
                      "name in lower case with hyphens for spaces (e.g. st-johns-wort)");
      }
      if (std::find(p.medications.begin(), p.medications.end(), x) == p.medications.end())
        p.medications.push_back(x);
    }
  }
  for (const Value *v : top.tables("stopped_medications", false)) {
    Table t(f, *v, "stopped_medications");
    StoppedMedication s;
    if (auto n = t.str("name")) {
      if (!is_medication_name(*n)) {
        t.fault("name", "\"" + n->substr(0, 64) +
                            "\" is not a medication name; expected a generic name in "
                            "lower case with hyphens for spaces");
      }
      s.name = *n;
    }
    if (auto d = read_date(t, "stopped", true))
      s.stopped = *d;
    t.finish();
    p.stopped_medications.push_back(s);
  }
  if (const Value *v = top.raw("baseline_pain", false)) {
    if (!v->is_integer()) {
      top.fault("baseline_pain",
                "is " + tomlr::type_name(*v) + "; expected a whole number 0 to 10");
    } else if (v->as_integer()->get() < 0 || v->as_integer()->get() > 10) {
      top.fault("baseline_pain", std::to_string(v->as_integer()->get()) +
                                     " is out of range; expected a whole number 0 to 10");
    } else {
      p.baseline_pain = PainScore(static_cast<int>(v->as_integer()->get()));
    }
  }
  // Haemodialysis (clinical.md H14): dialysis = "haemodialysis" with its weekdays, both or
  // neither.
  {
    auto kind = top.str("dialysis", false);
    auto days = top.strings("dialysis_days", false);
    if (kind && !days) {
      top.fault("dialysis", "has no dialysis_days; expected dialysis_days = [\"monday\", ...] "
                            "with the weekdays of the sessions");
    } else if (days && !kind) {
      top.fault("dialysis_days", "without dialysis; expected dialysis = \"haemodialysis\" too");
    } else if (kind && days) {
      Dialysis d;
      d.kind = *kind;
      bool ok = true;
      for (const auto &x : *days) {
        try {
          d.days.push_back(parse_enum<Weekday>(x, "dialysis_days"));
        } catch (const InputError &) {
          ok = false;
          top.fault("dialysis_days", "\"" + x.substr(0, 32) +
                                         "\" is not a day of the week; expected monday, tuesday, "
                                         "wednesday, thursday, friday, saturday or sunday");
        }
      }
      if (ok) {
        try {
          validate_dialysis(d);
          p.dialysis = d;
        } catch (const InputError &e) {
          const std::string msg = e.what();
          const std::string field = msg.substr(0, msg.find(':'));
          top.fault(field, msg.substr(msg.find(':') + 2));
        }
      }
    }
  }
  top.finish();
  // Range checks shared with the CLI path; their messages start with the field name, which is
  // mapped back to its line here.
  try {
    validate_patient(p, today);
  } catch (const InputError &e) {
    const std::string msg = e.what();
    const std::string field = msg.substr(0, msg.find(':'));
    const Value *here = tomlr::at(*doc, field);
    throw InputError(file.name + ":" + std::to_string(tomlr::line_of(here ? *here : *doc)) + ": " +
                     msg);
  }
  return p;
}

void validate_vocabulary_terms(const Patient &p, const Vocabulary &vocabulary) {
  for (const auto &c : p.conditions) {
    if (!vocabulary.knows_condition(c)) {
      throw InputError(
          "condition: \"" + c.substr(0, 64) +
          "\" is not a known condition; expected one of: " + tomlr::join(vocabulary.conditions));
    }
  }
  if (!p.indication.empty() && !vocabulary.knows_indication(p.indication)) {
    throw InputError(
        "indication: \"" + p.indication.substr(0, 64) +
        "\" is not a known indication; expected one of: " + vocabulary.indication_terms());
  }
  for (const auto &m : p.medications)
    check_medication_name("medication", m);
  for (const auto &s : p.stopped_medications)
    check_medication_name("stopped-medication", s.name);
}

} // namespace titrate
