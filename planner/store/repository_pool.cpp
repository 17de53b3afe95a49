#include "planner/store/repository_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace titrate {

namespace {

// The connections this thread holds, one per pool (a thread rarely holds more than one).
struct Held {
  const RepositoryPool *pool;
  Repository *conn;
};
thread_local std::vector<Held> held_by_thread;

} // namespace

RepositoryPool::RepositoryPool(Opener open, int size) : open_(std::move(open)), size_(size) {
  if (size_ < 1)
    throw std::invalid_argument("RepositoryPool: size must be at least 1");
  owned_.push_back(open_());
  free_.push_back(owned_.back().get());
  opened_ = 1;
}

RepositoryPool::RepositoryPool(Repository &only) : size_(1) {
  free_.push_back(&only);
  opened_ = 1;
}

RepositoryPool::~RepositoryPool() = default;

int RepositoryPool::opened() const {
  std::lock_guard lock(m_);
  return opened_;
}

bool RepositoryPool::held_by_this_thread() const {
  return std::any_of(held_by_thread.begin(), held_by_thread.end(),
                     [&](const Held &h) { return h.pool == this; });
}

Repository *RepositoryPool::take() {
  std::unique_lock lock(m_);
  freed_.wait(lock, [&] { return !free_.empty() || opened_ < size_; });
  if (!free_.empty()) {
    Repository *conn = free_.back();
    free_.pop_back();
    return conn;
  }
  ++opened_; // opened outside the lock: connecting takes a round trip or more
  lock.unlock();
  std::unique_ptr<Repository> conn;
  try {
    conn = open_();
  } catch (...) {
    lock.lock();
    --opened_;
    lock.unlock();
    freed_.notify_one();
    throw;
  }
  lock.lock();
  owned_.push_back(std::move(conn));
  return owned_.back().get();
}

void RepositoryPool::give(Repository *conn) {
  {
    std::lock_guard lock(m_);
    free_.push_back(conn);
  }
  freed_.notify_one();
}

Repository *RepositoryPool::mine() const {
  for (const auto &h : held_by_thread)
    if (h.pool == this)
      return h.conn;
  return nullptr;
}

RepositoryPool::Lease::Lease(RepositoryPool &pool) : pool_(pool) {
  acquire();
}

RepositoryPool::Lease::~Lease() {
  release();
}

void RepositoryPool::Lease::acquire() {
  if (held_)
    return;
  if (pool_.mine() != nullptr) {
    shared_ = true;
  } else {
    Repository *conn = pool_.take();
    held_by_thread.push_back(Held{&pool_, conn});
    shared_ = false;
  }
  held_ = true;
}

void RepositoryPool::Lease::release() {
  if (!held_)
    return;
  held_ = false;
  if (shared_)
    return;
  const auto it = std::find_if(held_by_thread.begin(), held_by_thread.end(),
                               [&](const Held &h) { return h.pool == &pool_; });
  Repository *conn = it->conn;
  held_by_thread.erase(it);
  pool_.give(conn);
}

template <class F>
auto RepositoryPool::on_connection(F &&f) -> decltype(f(std::declval<Repository &>())) {
  Lease lease(*this);
  return f(*mine());
}

// ---- every call forwarded to the thread's connection ----

void RepositoryPool::atomically(const std::function<void()> &body) {
  on_connection([&](Repository &r) { r.atomically(body); });
}
std::vector<std::exception_ptr>
RepositoryPool::atomically_each(const std::vector<std::function<void()>> &bodies) {
  return on_connection([&](Repository &r) { return r.atomically_each(bodies); });
}
int RepositoryPool::add_patient(const Patient &p, const Actor &who) {
  return on_connection([&](Repository &r) { return r.add_patient(p, who); });
}
int RepositoryPool::update_patient(const Patient &p, const Actor &who) {
  return on_connection([&](Repository &r) { return r.update_patient(p, who); });
}
std::optional<PatientRecord> RepositoryPool::patient(const std::string &id) {
  return on_connection([&](Repository &r) { return r.patient(id); });
}
std::vector<PatientRecord> RepositoryPool::patient_history(const std::string &id) {
  return on_connection([&](Repository &r) { return r.patient_history(id); });
}
std::vector<PatientRecord> RepositoryPool::patients() {
  return on_connection([&](Repository &r) { return r.patients(); });
}
int RepositoryPool::save_draft(const Plan &plan, const Actor &who, const std::string &note) {
  return on_connection([&](Repository &r) { return r.save_draft(plan, who, note); });
}
void RepositoryPool::submit(const std::string &patient, int version, const Actor &who) {
  on_connection([&](Repository &r) { r.submit(patient, version, who); });
}
void RepositoryPool::approve(const std::string &patient, int version, const Actor &who) {
  on_connection([&](Repository &r) { r.approve(patient, version, who); });
}
void RepositoryPool::reject(const std::string &patient, int version, const Actor &who,
                            const std::string &reason) {
  on_connection([&](Repository &r) { r.reject(patient, version, who, reason); });
}
std::optional<PlanVersion> RepositoryPool::plan_version(const std::string &patient, int version) {
  return on_connection([&](Repository &r) { return r.plan_version(patient, version); });
}
std::vector<PlanVersion> RepositoryPool::plan_versions(const std::string &patient) {
  return on_connection([&](Repository &r) { return r.plan_versions(patient); });
}
std::optional<PlanVersion> RepositoryPool::active_plan(const std::string &patient) {
  return on_connection([&](Repository &r) { return r.active_plan(patient); });
}
std::vector<PlanVersion> RepositoryPool::active_plans() {
  return on_connection([&](Repository &r) { return r.active_plans(); });
}
std::vector<PlanVersion> RepositoryPool::awaiting_review() {
  return on_connection([&](Repository &r) { return r.awaiting_review(); });
}
std::vector<Review> RepositoryPool::reviews(const std::string &patient) {
  return on_connection([&](Repository &r) { return r.reviews(patient); });
}
std::int64_t RepositoryPool::log_score(const std::string &patient, const ScoreEntry &s,
                                       const Actor &who) {
  return on_connection([&](Repository &r) { return r.log_score(patient, s, who); });
}
ImportResult RepositoryPool::import_scores(const ScoreRowSource &next, const Actor &who,
                                           const std::string &source_name) {
  return on_connection([&](Repository &r) { return r.import_scores(next, who, source_name); });
}
std::vector<ScoreEntry> RepositoryPool::scores(const std::string &patient,
                                               bool include_superseded) {
  return on_connection([&](Repository &r) { return r.scores(patient, include_superseded); });
}
std::int64_t RepositoryPool::log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                                const Actor &who) {
  return on_connection([&](Repository &r) { return r.log_adverse_effect(patient, ae, who); });
}
std::vector<AdverseEffect> RepositoryPool::adverse_effects(const std::string &patient,
                                                           bool include_superseded) {
  return on_connection(
      [&](Repository &r) { return r.adverse_effects(patient, include_superseded); });
}
std::int64_t RepositoryPool::record_decision(const Assessment &a, std::optional<int> plan_version,
                                             const Actor &who) {
  return on_connection([&](Repository &r) { return r.record_decision(a, plan_version, who); });
}
std::vector<DecisionRecord> RepositoryPool::decisions(const std::string &patient) {
  return on_connection([&](Repository &r) { return r.decisions(patient); });
}
std::vector<PlanVersion> RepositoryPool::current_plans() {
  return on_connection([&](Repository &r) { return r.current_plans(); });
}
std::vector<DecisionRecord> RepositoryPool::all_decisions() {
  return on_connection([&](Repository &r) { return r.all_decisions(); });
}
void RepositoryPool::each_current_trial(const std::function<void(const TrialSummary &)> &f) {
  on_connection([&](Repository &r) { r.each_current_trial(f); });
}
std::vector<DecisionSummary> RepositoryPool::decision_summaries() {
  return on_connection([&](Repository &r) { return r.decision_summaries(); });
}
std::optional<LoginAccount> RepositoryPool::login_account() {
  return on_connection([&](Repository &r) { return r.login_account(); });
}
std::vector<DueEntry> RepositoryPool::due_list(Date today, int within_days, int window_days) {
  return on_connection([&](Repository &r) { return r.due_list(today, within_days, window_days); });
}
void RepositoryPool::append_audit(const Actor &who, const std::string &action,
                                  const std::string &patient, const std::string &detail) {
  on_connection([&](Repository &r) { r.append_audit(who, action, patient, detail); });
}
std::vector<AuditEntry> RepositoryPool::audit(const std::optional<std::string> &patient) {
  return on_connection([&](Repository &r) { return r.audit(patient); });
}

} // namespace titrate
