#pragma once
// Abuse limits of `titrate serve` (docs/web.md, "Security under abuse"): failed sign-ins slow down
// per client and per (client, user name) with a doubling wait, counted in the database so that
// every server on it applies the same count, and no account ever locks from failures, so a
// stranger cannot lock out a named account; password checks (Argon2id, 64 MiB each) run at most N
// at a time behind a bounded queue, so memory stays flat under a login flood; refusals anyone can
// cause (unknown links, ...) are counted per minute in each server's memory instead of written to
// the audit one by one. Times are UTC seconds since the epoch.
#include "planner/store/accounts.hpp"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace titrate::web {

// The wait (seconds) after `failures` failures when the first `free_failures` cost nothing: 0 up to
// `free_failures`, then 1, 2, 4, 8, ... seconds, never more than `cap`.
std::int64_t login_delay(int failures, int free_failures, std::int64_t cap);

struct ThrottlePolicy {
  int free_per_name = 3;                    // failures of one client on one user name
  int free_per_client = 20;                 // failures of one client over all names
  std::int64_t max_wait = 15 * 60;          // the longest wait
  std::int64_t forget_after = 24 * 60 * 60; // a count with no failure for this long starts again
};

// Failed sign-ins per (client, name) and per client, kept in the store's `login_failures` table
// (migration 13) so two servers on one database cannot be played against each other for twice the
// tries. The name is the one typed, whether or not such a user exists, so the waits say nothing
// about which names are real. The table holds a row per key failed within the last
// `forget_after`; a row costs its sender one Argon2id check, so it grows no faster than the
// password checks the VerifyGate lets through.
class LoginThrottle {
public:
  LoginThrottle(Accounts &counts, ThrottlePolicy policy = {});
  // Seconds before `client` may try `name` again (0: now).
  std::int64_t wait(const std::string &client, const std::string &name, std::int64_t now) const;
  // Counts a failure; returns the wait it imposes on the next attempt of (client, name).
  std::int64_t failed(const std::string &client, const std::string &name, std::int64_t now);
  // The right password from this client: its count for this name starts again.
  void succeeded(const std::string &client, const std::string &name);
  const ThrottlePolicy &policy() const { return policy_; }

private:
  // Seconds from `now` until the next attempt is let through, after the counts of the
  // (client, name) pair and of the client (0: now).
  std::int64_t seconds_left(const Accounts::LoginFailures &pair,
                            const Accounts::LoginFailures &client, std::int64_t now) const;
  Accounts &counts_;
  ThrottlePolicy policy_;
};

// At most `limit` password verifications at once; up to `max_waiting` more wait their turn and
// anyone beyond that is turned away at once (the server answers 503 with Retry-After).
class VerifyGate {
public:
  VerifyGate(int limit, int max_waiting);
  // false: the queue is full (nothing was entered).
  bool enter();
  void leave();
  struct Stats {
    long verifications = 0; // entries granted
    int max_active = 0;     // the most at once
    long turned_away = 0;
  };
  Stats stats() const;
  int limit() const { return limit_; }

private:
  const int limit_;
  const int max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable turn_;
  int active_ = 0;
  int waiting_ = 0;
  Stats stats_;
};

// Refusals counted per kind and per minute: the first of a kind in a minute is written to the
// audit as it happens, the others of that minute as one row once the minute is over.
class RefusalTally {
public:
  // true: the first of its kind this minute (write it now); false: counted for later.
  bool count(const std::string &kind, std::int64_t now);
  struct Summary {
    std::int64_t minute_start = 0;
    std::string kind;
    long more = 0; // beyond the first, which was written
  };
  // The counts of minutes that ended by `now`, forgotten once taken.
  std::vector<Summary> take_due(std::int64_t now);

private:
  std::map<std::pair<std::int64_t, std::string>, long> counts_; // (minute start, kind)
};

} // namespace titrate::web
