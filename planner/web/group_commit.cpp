#include "planner/web/group_commit.hpp"

#include <exception>
#include <stdexcept>

namespace titrate::web {

struct GroupCommit::Write {
  const std::function<void()> *body = nullptr;
  std::exception_ptr error;
  bool done = false;
};

void GroupCommit::run(const std::function<void()> &write) {
  // A caller waiting in a group while it holds a connection could hold the one the group needs
  // (a pool of one, or every connection held by waiting callers): refused, not left to stall.
  if (pool_.held_by_this_thread()) {
    throw std::logic_error("GroupCommit::run: the caller holds a connection of the pool; release "
                           "its lease before the write");
  }
  Write w{&write, nullptr, false};
  std::unique_lock lock(m_);
  queue_.push_back(&w);
  while (!w.done) {
    if (leading_) {
      changed_.wait(lock);
      continue;
    }
    // Lead one group: every write waiting now, this one among them.
    leading_ = true;
    std::vector<Write *> group;
    group.swap(queue_);
    lock.unlock();
    commit(group);
    lock.lock();
    for (Write *g : group)
      g->done = true;
    ++stats_.groups;
    stats_.writes += static_cast<long>(group.size());
    leading_ = false;
    changed_.notify_all(); // the finished callers, and one to lead the writes queued meanwhile
  }
  lock.unlock();
  if (w.error)
    std::rethrow_exception(w.error);
}

void GroupCommit::commit(const std::vector<Write *> &group) {
  if (group.size() == 1) {
    // Alone: the write is its own transaction, as without group commit (on PostgreSQL a new
    // score is then one statement: no BEGIN, SAVEPOINT, RELEASE or COMMIT around it).
    try {
      RepositoryPool::Lease lease(pool_);
      (*group.front()->body)();
    } catch (...) {
      group.front()->error = std::current_exception();
    }
    return;
  }
  std::vector<std::function<void()>> bodies;
  bodies.reserve(group.size());
  for (const Write *g : group)
    bodies.emplace_back([body = g->body] { (*body)(); });
  try {
    RepositoryPool::Lease lease(pool_);
    const auto errors = pool_.atomically_each(bodies);
    for (std::size_t i = 0; i < group.size(); ++i)
      group[i]->error = errors[i];
  } catch (...) {
    // The transaction itself failed: nothing of the group was kept.
    for (Write *g : group)
      g->error = std::current_exception();
  }
}

GroupCommit::Stats GroupCommit::stats() const {
  std::lock_guard lock(m_);
  return stats_;
}

int GroupCommit::waiting() const {
  std::lock_guard lock(m_);
  return static_cast<int>(queue_.size());
}

bool GroupCommit::leading() const {
  std::lock_guard lock(m_);
  return leading_;
}

} // namespace titrate::web
