#pragma once
// The SQLite back end of Repository (SQLiteCpp): WAL, foreign keys on, a 10 s busy timeout so
// concurrent writers wait, every call one IMMEDIATE transaction (or joined into atomically()).
// Opening applies the embedded numbered migrations forward in one transaction; a database whose
// schema is newer than this build knows is refused (RefusedError, exit 4) without being written.
#include "planner/store/migration.hpp"
#include "planner/store/repository.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace titrate {

// Every embedded migration, in order (generated from planner/store/sqlite/migrations/).
const std::vector<Migration> &sqlite_migrations();
// The schema version this build writes: the last migration's number.
int sqlite_latest_schema_version();

class SqliteStore final : public Repository {
public:
  // Opens `path` (creating the file, not its folder) and migrates it to the latest schema.
  explicit SqliteStore(const std::string &path);
  // For migration tests: migrate only up to `schema_version` (<= latest).
  SqliteStore(const std::string &path, int schema_version);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore &) = delete;
  SqliteStore &operator=(const SqliteStore &) = delete;

  // The schema version of the open database.
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

  // One query (see sqlite_store.cpp); the same entries as due_list_generic().
  std::vector<DueEntry> due_list(Date today, int within_days, int window_days) override;

  void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                    const std::string &detail) override;
  std::vector<AuditEntry> audit(const std::optional<std::string> &patient) override;

private:
  class Tx;
  void open(const std::string &path, int target_version);

  std::unique_ptr<SQLite::Database> db_;
  int depth_ = 0; // > 0 while a transaction is open (atomically() or a call)
  bool sources_ = true; // patient_versions.sources exists (schema 6 and later)
};

} // namespace titrate
