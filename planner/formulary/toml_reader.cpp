// The TOML reader every formulary and pathway file goes through (toml_reader.hpp): toml++ parses,
// and each typed read records a fault "FILE:LINE: KEY: what; expected ..." instead of throwing, so
// a check lists every fault at once.
#include "planner/formulary/loader.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/formulary/toml_reader.hpp"
#include "planner/formulary/toml_text.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace titrate {

// ---------------------------------------------------------------------------------------------
// Strict TOML reading (toml_reader.hpp)
namespace tomlr {

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string out;
  for (const auto &s : items)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string file_stem(const std::string &name) {
  const auto slash = name.find_last_of("/\\");
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  const auto dot = base.rfind('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

std::string type_name(const Value &v) {
  switch (v.type()) {
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a decimal number";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::table:
    return "a table";
  case toml::node_type::none:
    return "nothing";
  default:
    return "a date or time";
  }
}

std::uint_least32_t line_of(const Value &v) {
  const auto line = v.source().begin.line;
  return line > 0 ? static_cast<std::uint_least32_t>(line) : 1;
}

std::vector<std::string> keys(const Value &v) {
  std::vector<std::string> out;
  if (const auto *t = v.as_table())
    for (const auto &[k, x] : *t)
      out.emplace_back(k.str());
  return out;
}

const Value *at(const Value &v, const std::string &key) {
  const auto *t = v.as_table();
  return t ? t->get(key) : nullptr;
}

void Faults::fault_line(std::uint_least32_t line, const std::string &key, const std::string &what) {
  ++count_;
  const std::string msg = file_ + ":" + std::to_string(line) + ": " + key + ": " + what;
  if (!collect_) {
    if (kind_ == ErrorKind::input)
      throw InputError(msg);
    throw DataError(msg);
  }
  collect_->push_back(msg);
}

void Faults::fault(const Value *at, const std::string &key, const std::string &what) {
  fault_line(at ? line_of(*at) : 1, key, what);
}

namespace {
// Line `n` (1-based) of `text`, quoted for a message (quoted(), text.hpp).
std::string line_text(const std::string &text, std::size_t n) {
  std::size_t begin = 0;
  for (std::size_t i = 1; i < n && begin != std::string::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string::npos)
      ++begin;
  }
  if (begin == std::string::npos || begin > text.size())
    return "\"\"";
  const auto end = text.find('\n', begin);
  std::string_view line(text.data() + begin,
                        (end == std::string::npos ? text.size() : end) - begin);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return quoted(line);
}
} // namespace

std::optional<Document> parse_text(const std::string &text, Faults &faults) {
  // The parser only ever sees well-formed text (toml_text.hpp): toml11, the parser before toml++,
  // read out of bounds otherwise, and the check costs little.
  if (auto bad = check_toml_text(text)) {
    faults.fault_line(static_cast<std::uint_least32_t>(bad->line), bad->where, bad->what);
    return std::nullopt;
  }
  try {
    return toml::parse(text);
  } catch (const toml::parse_error &e) {
    const auto line = e.source().begin.line > 0 ? e.source().begin.line : 1;
    faults.fault_line(static_cast<std::uint_least32_t>(line), "syntax",
                      std::string(e.description()) + " in " + line_text(text, line) +
                          "; expected valid TOML (https://toml.io)");
  } catch (const std::exception &e) {
    faults.fault_line(1, "syntax", std::string(e.what()) + "; expected valid TOML");
  }
  return std::nullopt;
}

Table::Table(Faults &faults, const Value &v, std::string path)
    : faults_(faults), v_(v), path_(std::move(path)) {
  if (!v_.is_table())
    faults_.fault(&v_, path_.empty() ? "(file)" : path_,
                  "is " + type_name(v_) + "; expected a table");
}

bool Table::has(const std::string &k) const {
  return at(v_, k) != nullptr;
}

const Value *Table::raw(const std::string &k, bool required) {
  known_.insert(k);
  if (!has(k)) {
    if (required) {
      const std::string here = path_.empty() ? std::string("the file") : "[" + path_ + "]";
      // A key missing here but present in a table of this one: most likely a [header] line put
      // the keys after it into that table. Name it.
      if (v_.is_table()) {
        for (const auto &[name, child] : *v_.as_table()) {
          if (child.is_table() && at(child, k)) {
            const std::string t = key(std::string(name.str()));
            faults_.fault(&child, key(k),
                          "missing; expected this key in " + here + ", not under [" + t +
                              "] (the line [" + t + "] puts every key after it into that table)");
            return nullptr;
          }
        }
      }
      faults_.fault(&v_, key(k), "missing; expected this key in " + here);
    }
    return nullptr;
  }
  return at(v_, k);
}

void Table::fault(const std::string &k, const std::string &what) {
  const Value *here = at(v_, k);
  faults_.fault(here ? here : &v_, key(k), what);
}

void Table::fault_here(const std::string &what) {
  faults_.fault(&v_, path_.empty() ? "(file)" : path_, what);
}

const Value *Table::raw_of_kind(const std::string &k, bool required,
                                bool (Value::*is)() const noexcept, const std::string &expected) {
  const Value *v = raw(k, required);
  if (!v || (v->*is)())
    return v;
  fault(k, "is " + type_name(*v) + "; expected " + expected);
  return nullptr;
}

std::optional<std::string> Table::str(const std::string &k, bool required) {
  const Value *v = raw_of_kind(k, required, &Value::is_string, "a string");
  if (!v)
    return std::nullopt;
  return v->as_string()->get();
}

std::optional<int> Table::integer(const std::string &k, bool required, int min, int max) {
  const Value *v = raw_of_kind(k, required, &Value::is_integer, "a whole number");
  if (!v)
    return std::nullopt;
  const std::int64_t x = v->as_integer()->get();
  if (x < min || x > max) {
    fault(k, std::to_string(x) + " is out of range; expected " + std::to_string(min) + " to " +
                 std::to_string(max));
    return std::nullopt;
  }
  return static_cast<int>(x);
}

std::optional<double> Table::number(const std::string &k, bool required) {
  const Value *v = raw(k, required);
  if (!v)
    return std::nullopt;
  if (v->is_integer())
    return static_cast<double>(v->as_integer()->get());
  if (v->is_floating_point()) {
    const double x = v->as_floating_point()->get();
    if (!std::isfinite(x)) {
      fault(k, "is not a finite number; expected a number");
      return std::nullopt;
    }
    return x;
  }
  fault(k, "is " + type_name(*v) + "; expected a number");
  return std::nullopt;
}

std::optional<bool> Table::boolean(const std::string &k, bool required) {
  const Value *v = raw_of_kind(k, required, &Value::is_boolean, "true or false");
  if (!v)
    return std::nullopt;
  return v->as_boolean()->get();
}

namespace {
std::optional<Dose> to_dose(Faults &faults, const Value &v, const std::string &key,
                            bool allow_zero) {
  double mg = 0;
  if (v.is_integer()) {
    mg = static_cast<double>(v.as_integer()->get());
  } else if (v.is_floating_point()) {
    mg = v.as_floating_point()->get();
  } else {
    faults.fault(&v, key, "is " + type_name(v) + "; expected a number of milligrams");
    return std::nullopt;
  }
  if (!std::isfinite(mg) || mg < 0 || (!allow_zero && mg == 0) || mg > 1.0e6) {
    faults.fault(&v, key, "is not a valid dose; expected a number of milligrams above 0");
    return std::nullopt;
  }
  try {
    return Dose::from_mg_double(mg, key);
  } catch (const Error &e) {
    faults.fault(&v, key, std::string(e.what()));
    return std::nullopt;
  }
}
} // namespace

std::optional<Dose> Table::dose_mg(const std::string &k, bool required, bool allow_zero) {
  const Value *v = raw(k, required);
  if (!v)
    return std::nullopt;
  return to_dose(faults_, *v, key(k), allow_zero);
}

std::optional<std::vector<std::string>> Table::strings(const std::string &k, bool required) {
  const Value *v = raw_of_kind(k, required, &Value::is_array, "an array of strings");
  if (!v)
    return std::nullopt;
  std::vector<std::string> out;
  for (const auto &e : *v->as_array()) {
    if (!e.is_string()) {
      faults_.fault(&e, key(k), "holds " + type_name(e) + "; expected an array of strings");
      return std::nullopt;
    }
    out.push_back(e.as_string()->get());
  }
  return out;
}

std::optional<std::vector<Dose>> Table::doses_mg(const std::string &k, bool required) {
  const Value *v = raw_of_kind(k, required, &Value::is_array, "an array of milligram numbers");
  if (!v)
    return std::nullopt;
  std::vector<Dose> out;
  for (const auto &e : *v->as_array()) {
    auto d = to_dose(faults_, e, key(k), false);
    if (!d)
      return std::nullopt;
    out.push_back(*d);
  }
  return out;
}

std::vector<const Value *> Table::tables(const std::string &k, bool required) {
  const Value *v =
      raw_of_kind(k, required, &Value::is_array, "an array of tables ([[" + key(k) + "]])");
  std::vector<const Value *> out;
  if (!v)
    return out;
  for (const auto &e : *v->as_array()) {
    if (!e.is_table()) {
      faults_.fault(&e, key(k), "holds " + type_name(e) + "; expected tables ([[" + key(k) + "]])");
      continue;
    }
    out.push_back(&e);
  }
  return out;
}

const Value *Table::table(const std::string &k, bool required) {
  return raw_of_kind(k, required, &Value::is_table, "a table ([" + key(k) + "])");
}

Citation Table::citation() {
  Citation c;
  known_.insert("source");
  if (!has("source")) {
    fault_here("source: missing; every table holding a figure needs source = \"KEY\" "
               "(a source key of shared/clinical.md, e.g. \"GAB-US 2.3\")");
  } else if (auto s = str("source"); s) {
    if (s->find_first_not_of(" \t") == std::string::npos) {
      fault("source", "is empty; expected a source key of shared/clinical.md");
    }
    c.source = *s;
  }
  if (auto v = boolean("verified", false))
    c.verified = *v;
  return c;
}

void Table::finish() {
  if (!v_.is_table())
    return;
  for (const auto &[k, v] : *v_.as_table()) {
    const std::string name(k.str());
    if (known_.count(name))
      continue;
    std::vector<std::string> expected(known_.begin(), known_.end());
    faults_.fault(&v, key(name), "unknown key; expected one of: " + join(expected));
  }
}

} // namespace tomlr

} // namespace titrate
