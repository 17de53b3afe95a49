#pragma once
// Strict TOML reading shared by the formulary, pathway and patient-file parsers (internal to
// planner/formulary and planner/pathways). Every fault becomes "FILE:LINE: KEY: what is wrong;
// expected ..."; a Faults sink either throws at the first fault or collects them all (check).
#include "planner/core/dose.hpp"
#include "planner/formulary/monograph.hpp"

// toml++'s internal assertions are off in every build, as they are in Debian's release build of
// it: on malformed input toml++ 3.3 breaks its own assumptions in many places (a header without a
// name, a date cut short, ...) and then reports a syntax error. With them on, the sanitizer and
// fuzz builds stopped at the first such assertion instead of checking what the parser does next
// for real memory errors and undefined behaviour (docs/reliability.md).
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif
#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace titrate::tomlr {

// A parsed TOML value (toml++, Debian's libtomlplusplus-dev). Its tables are ordered by key, so
// listings and messages follow a stable (sorted) order.
using Value = toml::node;
using Document = toml::table;

enum class ErrorKind { data, input };

class Faults {
public:
  // collect == nullptr: throw at the first fault (DataError or InputError by `kind`).
  Faults(std::string file, ErrorKind kind, std::vector<std::string> *collect = nullptr)
      : file_(std::move(file)), kind_(kind), collect_(collect) {}

  const std::string &file() const { return file_; }
  // "FILE:LINE: KEY: what"
  void fault(const Value *at, const std::string &key, const std::string &what);
  void fault_line(std::uint_least32_t line, const std::string &key, const std::string &what);
  int count() const { return count_; }

private:
  std::string file_;
  ErrorKind kind_;
  std::vector<std::string> *collect_;
  int count_ = 0;
};

// Parses the text; a syntax error is a fault (and returns nullopt in collect mode).
std::optional<Document> parse_text(const std::string &text, Faults &faults);

// One TOML table read strictly: every key read is remembered; finish() reports the rest as
// unknown keys, naming the keys that are expected.
class Table {
public:
  Table(Faults &faults, const Value &v, std::string path);

  const std::string &path() const { return path_; }
  const Value &value() const { return v_; }
  std::string key(const std::string &k) const { return path_.empty() ? k : path_ + "." + k; }

  bool has(const std::string &k) const;
  const Value *raw(const std::string &k, bool required);

  std::optional<std::string> str(const std::string &k, bool required = true);
  // A whole number within [min, max] (every one the files hold is an int: days, ages, counts).
  std::optional<int> integer(const std::string &k, bool required = true, int min = 0,
                             int max = INT32_MAX);
  // Integer or decimal.
  std::optional<double> number(const std::string &k, bool required = true);
  std::optional<bool> boolean(const std::string &k, bool required = true);
  // A whole or decimal number of milligrams (>= 0; > 0 unless allow_zero).
  std::optional<Dose> dose_mg(const std::string &k, bool required = true, bool allow_zero = false);
  std::optional<std::vector<std::string>> strings(const std::string &k, bool required = true);
  std::optional<std::vector<Dose>> doses_mg(const std::string &k, bool required = true);
  // An array of tables (each element's path is KEY[i], 1-based).
  std::vector<const Value *> tables(const std::string &k, bool required = true);
  const Value *table(const std::string &k, bool required = true);
  // `source` (required, non-empty) and `verified` (optional, default true).
  Citation citation();

  void fault(const std::string &k, const std::string &what);
  void fault_here(const std::string &what); // at the table itself
  // Unknown keys -> faults ("unknown key; expected one of: a, b").
  void finish();

  Faults &faults() { return faults_; }

private:
  // raw(k, required) when it is absent or of the kind `is` tests; otherwise a fault "is <type>;
  // expected <expected>" and nullptr.
  const Value *raw_of_kind(const std::string &k, bool required, bool (Value::*is)() const noexcept,
                           const std::string &expected);

  Faults &faults_;
  const Value &v_;
  std::string path_;
  std::set<std::string> known_;
};

std::string type_name(const Value &v);
// The line a value starts on (1 when toml++ does not know it).
std::uint_least32_t line_of(const Value &v);
// The keys of a table, in order (none for a value that is not a table).
std::vector<std::string> keys(const Value &v);
// The value at KEY of a table (nullptr when absent or `v` is not a table).
const Value *at(const Value &v, const std::string &key);
std::string join(const std::vector<std::string> &items, const std::string &sep = ", ");
// A data file's name without its folder and extension: "formulary/gabapentin.toml" ->
// "gabapentin" (a monograph's drug, a pathway's name).
std::string file_stem(const std::string &name);

} // namespace titrate::tomlr
