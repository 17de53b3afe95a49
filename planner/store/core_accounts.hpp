#pragma once
// Accounts written once (the rules and messages of web state: a taken name is refused, a link
// needs a stored patient, a failed login counts and locks in one statement) over a back end's
// StoreDialect (core_store.hpp), on a connection of its own. Each method is one transaction, one
// at a time (thread-safe).
#include "planner/store/accounts.hpp"
#include "planner/store/core_store.hpp"

#include <memory>
#include <mutex>

namespace titrate {

class CoreAccounts : public Accounts {
public:
  ~CoreAccounts() override;
  CoreAccounts(const CoreAccounts &) = delete;
  CoreAccounts &operator=(const CoreAccounts &) = delete;

  void add_user(const UserAccount &u) final;
  std::optional<UserAccount> user(const std::string &name) final;
  std::vector<UserAccount> users() final;
  void set_login_state(const std::string &name, int failed_logins, std::int64_t locked_until) final;
  int record_failed_login(const std::string &name, int max_failures, std::int64_t lock_until) final;

  void add_link(const PatientLink &link) final;
  std::optional<PatientLink> link(const std::string &token_hash) final;
  int revoke_links(const std::string &patient, std::int64_t at) final;

  void add_session(const Session &s) final;
  std::optional<Session> session(const std::string &id_hash) final;
  void delete_session(const std::string &id_hash) final;
  int delete_expired_sessions(std::int64_t now) final;
  bool use_once(const std::string &scope, const std::string &token_id, std::int64_t expires,
                std::int64_t now) final;
  bool token_used(const std::string &scope, const std::string &token_id, std::int64_t now) final;
  void release_once(const std::string &scope, const std::string &token_id) final;
  LoginFailures count_login_failure(const std::string &key, std::int64_t now,
                                    std::int64_t forget_after) final;
  LoginFailures login_failures(const std::string &key, std::int64_t now,
                               std::int64_t forget_after) final;
  void forget_login_failures(const std::string &key) final;

protected:
  explicit CoreAccounts(std::unique_ptr<store::StoreDialect> dialect);

private:
  // One statement in its own transaction (`write`: it changes something).
  store::SqlRows run(bool write, const std::string &sql, const store::SqlParams &params);

  std::unique_ptr<store::StoreDialect> sql_;
  std::mutex mutex_; // one transaction at a time on the connection (AccountsTx)
};

} // namespace titrate
