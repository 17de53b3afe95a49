#pragma once
// The PostgreSQL back end of Repository (libpqxx 6.4), for a health network running several
// clinics and several `titrate serve` instances on one server (docs/deployment.md). Selected by a
// database location of the form postgresql://... (planner/store/open.hpp). Same contract as
// SqliteStore (tests/store/contract.cpp runs against both): the same numbered schema versions
// (migrations/NNN_name.sql, embedded), append-only tables kept by triggers, and every call one
// transaction whose isolation keeps four eyes and versioning right when two instances race
// (READ COMMITTED plus row locks on the patient's plan/profile row; the reasons are in
// pg_store.cpp and docs/storage.md). One PgStore is one connection: use it from one thread.
#include "planner/store/migration.hpp"
#include "planner/store/repository.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pqxx {
class transaction_base;
} // namespace pqxx

namespace titrate {

// Every embedded PostgreSQL migration, in order (generated from planner/store/postgres/migrations/).
const std::vector<Migration> &postgres_migrations();
// The schema version this build writes: the last migration's number (equal to SQLite's).
int postgres_latest_schema_version();

class PgStore final : public Repository {
public:
  // Connects to `url` (postgresql://...) and migrates the database to the latest schema; a newer
  // schema is refused (RefusedError) untouched. Connection errors are InputError naming the URL
  // without its password.
  explicit PgStore(const std::string &url);
  // For migration tests: migrate only up to `schema_version` (<= latest).
  PgStore(const std::string &url, int schema_version);
  ~PgStore() override;
  PgStore(const PgStore &) = delete;
  PgStore &operator=(const PgStore &) = delete;

  int schema_version();

  void atomically(const std::function<void()> &body) override;

  int add_patient(const Patient &p, const Actor &who) override;
  int update_patient(const Patient &p, const Actor &who) override;
  std::optional<PatientRecord> patient(const std::string &id) override;
  std::vector<PatientRecord> patient_history(const std::string &id) override;
  std::vector<PatientRecord> patients() override;

  int save_draft(const Plan &plan, const Actor &who, const std::string &note = {}) override;
  void submit(const std::string &patient, int version, const Actor &who) override;
  void approve(const std::string &patient, int version, const Actor &who) override;
  void reject(const std::string &patient, int version, const Actor &who,
              const std::string &reason) override;
  std::optional<PlanVersion> plan_version(const std::string &patient, int version) override;
  std::vector<PlanVersion> plan_versions(const std::string &patient) override;
  std::optional<PlanVersion> active_plan(const std::string &patient) override;
  std::vector<PlanVersion> active_plans() override;
  std::vector<PlanVersion> awaiting_review() override;
  std::vector<Review> reviews(const std::string &patient) override;

  std::int64_t log_score(const std::string &patient, const ScoreEntry &s,
                         const Actor &who) override;
  using Repository::import_scores;
  ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                             const std::string &source_name) override;
  std::vector<ScoreEntry> scores(const std::string &patient,
                                 bool include_superseded = false) override;
  std::int64_t log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                  const Actor &who) override;
  std::vector<AdverseEffect> adverse_effects(const std::string &patient,
                                             bool include_superseded = false) override;

  std::int64_t record_decision(const Assessment &a, std::optional<int> plan_version,
                               const Actor &who) override;
  std::vector<DecisionRecord> decisions(const std::string &patient) override;

  // One query, the same entries as due_list_generic() (checked by the contract suite).
  std::vector<DueEntry> due_list(Date today, int within_days, int window_days) override;

  void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                    const std::string &detail) override;
  std::vector<AuditEntry> audit(const std::optional<std::string> &patient) override;

private:
  class Tx;
  void open(const std::string &url, int target_version);
  void connect(); // a new connection to url_ (after the server closed the last one)

  std::string url_; // with its password: only ever handed to libpq, never put in a message

  std::string where_; // the URL with its password redacted: the only form put in messages
  std::vector<std::string> secrets_; // the URL's password(s), scrubbed from server messages
  struct Connection; // holds the pqxx::connection (an alias of a template in libpqxx 6: it
                     // cannot be forward-declared)
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<pqxx::transaction_base> tx_; // the open transaction, while depth_ > 0
  int depth_ = 0;
  bool sources_ = true; // patient_versions.sources exists (schema 6 and later)
};

} // namespace titrate
