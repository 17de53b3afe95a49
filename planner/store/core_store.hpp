#pragma once
// The store core: Repository written once (the plan lifecycle, four eyes, the audit wording,
// validation and its messages, the row decoding of patients, plans, decisions and observations)
// over a narrow SQL dialect that each back end implements, in the manner of Orthanc's IndexBackend
// over its database drivers. The core's SQL is the subset SQLite 3.40 and PostgreSQL 15 share:
// parameters $1..$n, RETURNING, ON CONFLICT ... DO NOTHING, the column "user" always quoted.
// What differs stays in the back end: connections and transactions, binding, the row-lock clause,
// migrations, the bulk import and the date arithmetic of the due-list query.
#include "planner/store/repository.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace titrate::store {

// A statement parameter or a result cell: NULL, an integer, a real or text.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// NULL for an empty optional.
template <class T> SqlValue nullable(const std::optional<T> &v) {
  if (!v)
    return std::monostate{};
  if constexpr (std::is_integral_v<T>) {
    return static_cast<std::int64_t>(*v);
  } else {
    return SqlValue(*v);
  }
}

// One result row. A back end gives cells typed (SQLite) or as text (PostgreSQL); the accessors
// convert, and a cell that is not what was asked for is a StorageError (corrupt data).
class SqlRow {
public:
  explicit SqlRow(std::vector<SqlValue> cells) : cells_(std::move(cells)) {}
  bool null(std::size_t i) const;
  std::string text(std::size_t i) const; // "" for NULL
  std::optional<std::string> opt_text(std::size_t i) const;
  std::int64_t integer(std::size_t i) const;
  int int32(std::size_t i) const;
  double real(std::size_t i) const;

private:
  const SqlValue &at(std::size_t i) const;
  std::vector<SqlValue> cells_;
};
using SqlRows = std::vector<SqlRow>;

// Every row decoded by `decode(row)`, in the rows' order.
template <class Decode> auto decode_rows(const SqlRows &rows, Decode decode) {
  std::vector<std::invoke_result_t<Decode &, const SqlRow &>> out;
  out.reserve(rows.size());
  for (const auto &row : rows)
    out.push_back(decode(row));
  return out;
}

// The first row decoded by `decode(row)`; nothing when there are no rows.
template <class Decode>
auto decode_first(const SqlRows &rows, Decode decode)
    -> std::optional<std::invoke_result_t<Decode &, const SqlRow &>> {
  if (rows.empty())
    return std::nullopt;
  return decode(rows.front());
}

// The rows a score import refuses, worded once for every back end's import: each kind counted,
// the first max_listed of each listed by line ("and N more" after them). Nothing is imported
// when any row is refused.
class ImportRefusals {
public:
  static constexpr std::int64_t max_listed = 50;
  explicit ImportRefusals(std::string source) : source_(std::move(source)) {}
  void before_birth(std::int64_t line, const std::string &at, const std::string &patient,
                    const std::string &birth);
  void unknown_patient(std::int64_t line, const std::string &patient);
  bool any() const { return early_ > 0 || unknown_ > 0; }
  // InputError for rows dated before the patient's birth (first), else NotFoundError for rows
  // of unknown patients; nothing when no row was refused.
  void throw_if_any() const;

private:
  std::string source_;
  std::int64_t early_ = 0, unknown_ = 0;
  std::string early_lines_, unknown_lines_;
};

// What a back end gives the core. Every call happens between begin() and commit()/rollback()
// of the outermost repository call (or atomically()).
class StoreDialect {
public:
  virtual ~StoreDialect() = default;
  // `write`: the call changes something. SQLite takes the write lock at BEGIN for a write and
  // reads outside a transaction otherwise; PostgreSQL opens READ COMMITTED either way.
  virtual void begin(bool write) = 0;
  // A writing transaction whose commit may be lost if the machine (not the process) stops right
  // after it; for records whose loss is harmless (a used token id, a count of failed sign-ins),
  // so they need not wait for the disk. SQLite: synchronous NORMAL for it; PostgreSQL:
  // synchronous_commit off for it. Default: an ordinary write.
  virtual void begin_relaxed() { begin(true); }
  // Whether one statement sent outside a transaction is atomic by itself and a WITH may hold
  // INSERTs (PostgreSQL): the core then writes a row and its audit entry as ONE statement, with
  // no BEGIN and COMMIT around it (CoreStore::log_score). SQLite: no (its WITH holds SELECTs only).
  virtual bool one_statement_writes() const { return false; }
  // Opens a write of exactly one statement: where one_statement_writes(), nothing is sent (the
  // statement commits by itself); otherwise an ordinary write. A connection lost while that
  // statement runs leaves its outcome unknown, and the error says so.
  virtual void begin_one_statement() { begin(true); }
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Runs one statement of the core's SQL ($1..$n parameters) and returns every row.
  virtual SqlRows query(const std::string &sql, const SqlParams &params) = 0;
  // The same, handing each row to `f` as it is read instead of keeping every row.
  virtual void each_row(const std::string &sql, const SqlParams &params,
                        const std::function<void(SqlRow)> &f) = 0;
  // Appended to a SELECT whose rows the transaction must hold until it ends (" FOR UPDATE" on
  // PostgreSQL; "" where a writing transaction already excludes every other writer).
  virtual std::string_view lock_rows() const = 0;
  // Appended to a text column in ORDER BY for byte order (SQLite's own order; on PostgreSQL
  // ' COLLATE "C"' for a column not declared so).
  virtual std::string_view byte_order() const = 0;
  // The database login of the connection (PostgreSQL's session_user); nullopt where the back end
  // has no logins of its own (a SQLite file: whoever can write it can change it).
  virtual std::optional<std::string> session_login() { return std::nullopt; }
  // The bulk import (Repository::import_scores) inside the open transaction; `at` is its time,
  // `audit_actor_columns` whether audit has door and os_user (schema 7 and later).
  virtual ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                                     const std::string &source_name, const std::string &at,
                                     bool audit_actor_columns) = 0;
  // SQL for the day `days` days before `date` as YYYY-MM-DD text, from two SQL expressions:
  // `date` YYYY-MM-DD text, `days` a whole number (the date arithmetic the two SQLs spell
  // differently).
  virtual std::string days_before(std::string_view date, std::string_view days) const = 0;
  // The open database's schema version (its schema_version table).
  virtual int schema_version() = 0;
};

} // namespace titrate::store

namespace titrate {

class CoreStore : public Repository {
public:
  ~CoreStore() override;
  CoreStore(const CoreStore &) = delete;
  CoreStore &operator=(const CoreStore &) = delete;

  void atomically(const std::function<void()> &body) final;
  std::vector<std::exception_ptr>
  atomically_each(const std::vector<std::function<void()>> &bodies) final;

  int add_patient(const Patient &p, const Actor &who) final;
  int update_patient(const Patient &p, const Actor &who) final;
  std::optional<PatientRecord> patient(const std::string &id) final;
  std::vector<PatientRecord> patient_history(const std::string &id) final;
  std::vector<PatientRecord> patients() final;

  int save_draft(const Plan &plan, const Actor &who, const std::string &note = {}) final;
  void submit(const std::string &patient, int version, const Actor &who) final;
  void approve(const std::string &patient, int version, const Actor &who) final;
  void reject(const std::string &patient, int version, const Actor &who,
              const std::string &reason) final;
  std::optional<PlanVersion> plan_version(const std::string &patient, int version) final;
  std::vector<PlanVersion> plan_versions(const std::string &patient) final;
  std::optional<PlanVersion> active_plan(const std::string &patient) final;
  std::vector<PlanVersion> active_plans() final;
  std::vector<PlanVersion> awaiting_review() final;
  std::vector<Review> reviews(const std::string &patient) final;

  std::int64_t log_score(const std::string &patient, const ScoreEntry &s, const Actor &who) final;
  using Repository::import_scores;
  ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                             const std::string &source_name) final;
  std::vector<ScoreEntry> scores(const std::string &patient, bool include_superseded = false) final;
  std::int64_t log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                  const Actor &who) final;
  std::vector<AdverseEffect> adverse_effects(const std::string &patient,
                                             bool include_superseded = false) final;

  std::int64_t record_decision(const Assessment &a, std::optional<int> plan_version,
                               const Actor &who) final;
  std::vector<DecisionRecord> decisions(const std::string &patient) final;
  std::vector<PlanVersion> current_plans() final;
  std::vector<DecisionRecord> all_decisions() final;
  void each_current_trial(const std::function<void(const TrialSummary &)> &f) final;
  std::vector<DecisionSummary> decision_summaries() final;
  std::optional<LoginAccount> login_account() final;

  std::vector<DueEntry> due_list(Date today, int within_days, int window_days) final;

  void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                    const std::string &detail) final;
  std::vector<AuditEntry> audit(const std::optional<std::string> &patient) final;

  // The open database's schema version. It decides the columns the core may use: a store opened
  // at an older schema, as the migration tests do, reads defaults and writes without them.
  int schema_version();

protected:
  explicit CoreStore(std::unique_ptr<store::StoreDialect> dialect);
  store::StoreDialect &dialect() { return *sql_; }

private:
  class Tx;
  store::SqlRows q(const std::string &sql, const store::SqlParams &params = {});
  // One statement read on its own, in a read transaction (where the back end uses one).
  store::SqlRows read(const std::string &sql, const store::SqlParams &params = {});
  void write_audit(const Actor &who, const std::string &action, const std::string &patient,
                   const std::string &detail, const std::string &at);
  struct VersionRow;
  VersionRow find_version(const std::string &patient, int version, bool lock);
  // The version a pharmacist may judge (`verb`: "approve" or "reject"): submitted, and neither
  // drafted nor submitted by `who` (four eyes). RefusedError otherwise.
  VersionRow reviewable_version(const std::string &patient, int version, const Actor &who,
                                std::string_view verb);
  void require_patient(const std::string &id, bool lock = false);
  std::int64_t log_new_score(const std::string &patient, const ScoreEntry &s, const Actor &who);
  std::vector<PlanVersion> versions_where(const std::string &where,
                                          const store::SqlParams &params = {});
  std::vector<DecisionRecord> decisions_where(const std::string &where,
                                              const store::SqlParams &params);

  std::unique_ptr<store::StoreDialect> sql_;
  int depth_ = 0;            // > 0 while a transaction is open (atomically() or a call)
  bool sources_ = true;      // patient_versions.sources exists (schema 6 and later)
  bool audit_actor_ = true;  // audit.door and audit.os_user exist (schema 7 and later)
  bool indication_ = true;   // patient_versions.indication exists (schema 9 and later)
  bool stage_review_ = true; // stages.review_date exists (schema 10 and later)
  std::optional<LoginAccount> login_account_; // the login's account, once found
};

} // namespace titrate
