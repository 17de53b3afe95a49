#pragma once
// The PostgreSQL back end of Repository (libpqxx 6.4), for a health network running several
// clinics and several `titrate serve` instances on one server (docs/deployment.md). Selected by a
// database location of the form postgresql://... (planner/store/open.hpp). Same contract as
// SqliteStore (tests/store/contract.cpp runs against both): the same numbered schema versions
// (migrations/NNN_name.sql, embedded), append-only tables kept by triggers, and every call one
// transaction whose isolation keeps four eyes and versioning right when two instances race.
#include "planner/store/migration.hpp"
#include "planner/store/repository.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pqxx {
class connection;
}

namespace titrate {

// Every embedded PostgreSQL migration, in order (generated from planner/store/postgres/migrations/).
const std::vector<Migration> &postgres_migrations();

class PgStore final : public Repository {
public:
  // Connects to `url` (postgresql://...) and migrates the database to the latest schema; a newer
  // schema is refused (RefusedError) untouched. Connection errors are InputError naming the URL
  // without its password.
  explicit PgStore(const std::string &url);
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
  std::vector<AdverseEffect> adverse_effects(const std::string &patient) override;

  std::int64_t record_decision(const Assessment &a, std::optional<int> plan_version,
                               const Actor &who) override;
  std::vector<DecisionRecord> decisions(const std::string &patient) override;

  void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                    const std::string &detail) override;
  std::vector<AuditEntry> audit(const std::optional<std::string> &patient) override;

private:
  std::unique_ptr<pqxx::connection> conn_;
};

} // namespace titrate
