#pragma once
// Writes from many requests committed together (group commit). On a SQLite file every committed
// transaction waits for its own flush to disk, and under load that flush, not the work, is most of
// a logged score's time; on PostgreSQL a write is also several round trips and a WAL flush
// (docs/web.md, "The web under load"). The writes waiting when a group starts run in one
// transaction, each in a savepoint of its own (Repository::atomically_each): one that fails is
// rolled back alone and its caller gets its own error; the rest are committed with one flush. A
// write that finds no other waiting runs alone, as its own transaction. Every caller returns only
// after the commit that holds its write, so an answer never reports a write that a crash could
// still lose.
//
// One caller leads each group: the first to find no group running takes the waiting writes, its
// own among them, commits them and hands over; so no thread of its own is needed and no caller
// waits for more than the group before its own and its own. One group is committed at a time, on
// one connection; with a pool (PostgreSQL) the other connections serve the other requests' reads
// meanwhile. Measured against each write on a connection of its own, 4 connections: 1.3-1.45x the
// requests per second and half the p99 (docs/deployment.md, "Figures").
#include "planner/store/repository_pool.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

namespace titrate::web {

class GroupCommit {
public:
  explicit GroupCommit(RepositoryPool &pool) : pool_(pool) {}

  // Runs `write` (calls on the pool) in the next group and returns once that group is committed;
  // throws the write's own exception, or the group's. The caller must not hold a lease of the
  // pool (the group needs its connection): std::logic_error if it does.
  void run(const std::function<void()> &write);

  struct Stats {
    long writes = 0; // written through groups
    long groups = 0; // transactions they took
  };
  Stats stats() const;
  int waiting() const;  // writes queued for the next group (tests)
  bool leading() const; // a group is being committed (tests)

private:
  struct Write;
  void commit(const std::vector<Write *> &group);

  RepositoryPool &pool_;
  mutable std::mutex m_;
  std::condition_variable changed_;
  std::vector<Write *> queue_;
  bool leading_ = false; // a caller is committing a group
  Stats stats_;
};

} // namespace titrate::web
