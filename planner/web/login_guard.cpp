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

namespace {

std::string client_key(const std::string &client) {
  return "client " + client;
}

std::string name_key(const std::string &client, const std::string &name) {
  return "name " + client + '\n' + name;
}

} // namespace

LoginThrottle::LoginThrottle(Accounts &counts, ThrottlePolicy policy)
    : counts_(counts), policy_(policy) {}

std::int64_t LoginThrottle::seconds_left(const Accounts::LoginFailures &pair,
                                         const Accounts::LoginFailures &client,
                                         std::int64_t now) const {
  const auto until = [this](const Accounts::LoginFailures &f, int free_failures) -> std::int64_t {
    return f.failures == 0 ? 0 : f.last + login_delay(f.failures, free_failures, policy_.max_wait);
  };
  const std::int64_t t =
      std::max(until(pair, policy_.free_per_name), until(client, policy_.free_per_client));
  return t > now ? t - now : 0;
}

std::int64_t LoginThrottle::wait(const std::string &client, const std::string &name,
                                 std::int64_t now) const {
  return seconds_left(counts_.login_failures(name_key(client, name), now, policy_.forget_after),
                      counts_.login_failures(client_key(client), now, policy_.forget_after), now);
}

std::int64_t LoginThrottle::failed(const std::string &client, const std::string &name,
                                   std::int64_t now) {
  return seconds_left(
      counts_.count_login_failure(name_key(client, name), now, policy_.forget_after),
      counts_.count_login_failure(client_key(client), now, policy_.forget_after), now);
}

void LoginThrottle::succeeded(const std::string &client, const std::string &name) {
  counts_.forget_login_failures(name_key(client, name));
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
