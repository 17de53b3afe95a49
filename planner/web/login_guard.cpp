#include "planner/web/login_guard.hpp"

#include <algorithm>

namespace titrate::web {

std::int64_t login_delay(int failures, int free_failures, std::int64_t cap) {
  if (failures <= free_failures)
    return 0;
  const int doublings = failures - free_failures - 1;
  if (doublings >= 30)
    return cap;
  return std::min<std::int64_t>(std::int64_t{1} << doublings, cap);
}

LoginThrottle::LoginThrottle(ThrottlePolicy policy) : policy_(policy) {}

std::int64_t LoginThrottle::wait(const std::string &client, const std::string &name,
                                 std::int64_t now) const {
  const std::lock_guard lock(mutex_);
  std::int64_t until = 0;
  if (const auto p = pairs_.find(client + '\n' + name); p != pairs_.end())
    until = std::max(until, p->second.until);
  if (const auto c = clients_.find(client); c != clients_.end())
    until = std::max(until, c->second.until);
  return until > now ? until - now : 0;
}

LoginThrottle::Entry &LoginThrottle::entry(Table &table, const std::string &key, std::int64_t now) {
  if (table.size() >= policy_.max_entries && table.find(key) == table.end()) {
    // Forget the quiet ones first; if the table is still full, the stalest.
    std::erase_if(table,
                  [&](const auto &kv) { return kv.second.last + policy_.forget_after < now; });
    while (table.size() >= policy_.max_entries) {
      table.erase(std::min_element(table.begin(), table.end(), [](const auto &a, const auto &b) {
        return a.second.last < b.second.last;
      }));
    }
  }
  Entry &e = table[key];
  if (e.failures > 0 && e.last + policy_.forget_after < now)
    e = Entry{};
  return e;
}

std::int64_t LoginThrottle::failed(const std::string &client, const std::string &name,
                                   std::int64_t now) {
  const std::lock_guard lock(mutex_);
  Entry &p = entry(pairs_, client + '\n' + name, now);
  ++p.failures;
  p.last = now;
  p.until = now + login_delay(p.failures, policy_.free_per_name, policy_.max_wait);
  Entry &c = entry(clients_, client, now);
  ++c.failures;
  c.last = now;
  c.until = now + login_delay(c.failures, policy_.free_per_client, policy_.max_wait);
  return std::max(p.until, c.until) - now;
}

void LoginThrottle::succeeded(const std::string &client, const std::string &name) {
  const std::lock_guard lock(mutex_);
  pairs_.erase(client + '\n' + name);
}

VerifyGate::VerifyGate(int limit, int max_waiting)
    : limit_(std::max(1, limit)), max_waiting_(std::max(0, max_waiting)) {}

bool VerifyGate::enter() {
  std::unique_lock lock(mutex_);
  if (active_ >= limit_) {
    if (waiting_ >= max_waiting_) {
      ++stats_.turned_away;
      return false;
    }
    ++waiting_;
    turn_.wait(lock, [this] { return active_ < limit_; });
    --waiting_;
  }
  ++active_;
  ++stats_.verifications;
  stats_.max_active = std::max(stats_.max_active, active_);
  return true;
}

void VerifyGate::leave() {
  {
    const std::lock_guard lock(mutex_);
    --active_;
  }
  turn_.notify_one();
}

VerifyGate::Stats VerifyGate::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

bool RefusalTally::count(const std::string &kind, std::int64_t now) {
  const std::int64_t minute = now - ((now % 60) + 60) % 60;
  return ++counts_[{minute, kind}] == 1;
}

std::vector<RefusalTally::Summary> RefusalTally::take_due(std::int64_t now) {
  std::vector<Summary> due;
  for (auto it = counts_.begin(); it != counts_.end();) {
    if (it->first.first + 60 > now) {
      ++it;
      continue;
    }
    if (it->second > 1)
      due.push_back(Summary{it->first.first, it->first.second, it->second - 1});
    it = counts_.erase(it);
  }
  return due;
}

} // namespace titrate::web
