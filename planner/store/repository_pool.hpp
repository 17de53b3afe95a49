#pragma once
// Several connections to one database behind the Repository interface, for a server that answers
// requests on many threads (`titrate serve`; on PostgreSQL one pool per instance, docs/web.md).
//
// A thread leases one connection for a request (RepositoryPool::Lease, waiting while all are
// leased); every call the thread makes on the pool goes to that connection, so a request reads its
// own writes and atomically() stays one transaction on one connection. A call made without a lease
// takes one for that call only. Connections open when first needed, up to the size; the first at
// construction, so a bad location is refused before anything is served. Each back end keeps its
// own rules for a lost connection (PgStore connects again at its next transaction).
//
// Several connections are the same as several instances on one database: every call is its own
// transaction (or atomically()'s), and the back ends already keep four eyes and versioning right
// when instances race (docs/storage.md).
#include "planner/store/repository.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace titrate {

class RepositoryPool final : public Repository {
public:
  using Opener = std::function<std::unique_ptr<Repository>()>;

  // Up to `size` connections (>= 1) from `open`; the first is opened here.
  RepositoryPool(Opener open, int size);
  // One connection that the caller owns and keeps alive (a test's or the CLI's store).
  explicit RepositoryPool(Repository &only);
  ~RepositoryPool() override;
  RepositoryPool(const RepositoryPool &) = delete;
  RepositoryPool &operator=(const RepositoryPool &) = delete;

  int size() const { return size_; }
  int opened() const;
  // Whether the calling thread holds a lease of this pool.
  bool held_by_this_thread() const;

  // This thread's connection until release() or the end of the lease. A lease taken while the
  // thread already holds one of this pool shares it (so nested calls cannot wait on themselves).
  class Lease {
  public:
    explicit Lease(RepositoryPool &pool);
    ~Lease();
    Lease(const Lease &) = delete;
    Lease &operator=(const Lease &) = delete;
    void release(); // gives the connection back early (e.g. while waiting on something slow)
    void acquire(); // takes one again after release()
    bool held() const { return held_; }

  private:
    RepositoryPool &pool_;
    bool held_ = false;
    bool shared_ = false; // another lease of this thread holds the connection
  };

  void atomically(const std::function<void()> &body) override;
  std::vector<std::exception_ptr>
  atomically_each(const std::vector<std::function<void()>> &bodies) override;
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
  std::vector<PlanVersion> current_plans() override;
  std::vector<DecisionRecord> all_decisions() override;
  void each_current_trial(const std::function<void(const TrialSummary &)> &f) override;
  std::vector<DecisionSummary> decision_summaries() override;
  std::optional<LoginAccount> login_account() override;
  std::vector<DueEntry> due_list(Date today, int within_days, int window_days) override;
  void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                    const std::string &detail) override;
  std::vector<AuditEntry> audit(const std::optional<std::string> &patient) override;

private:
  Repository *take();          // a free connection, opening one if the size allows; else waits
  void give(Repository *conn); // back to the free list
  Repository *mine() const;    // this thread's leased connection, or nullptr
  // Runs `f` on this thread's connection, or on one leased for the call.
  template <class F> auto on_connection(F &&f) -> decltype(f(std::declval<Repository &>()));

  Opener open_;
  int size_ = 1;
  mutable std::mutex m_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Repository>> owned_;
  std::vector<Repository *> free_;
  int opened_ = 0; // connections opened or being opened
};

} // namespace titrate
