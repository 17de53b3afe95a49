#pragma once
// The PostgreSQL back end of Accounts (web state: staff accounts, patient links, sessions and
// login lockouts), so that any `titrate serve` instance on the same database can answer any
// request. Its own connection; opening migrates the database through PgStore first.
#include "planner/store/accounts.hpp"

#include <memory>
#include <string>

namespace titrate {

class PgAccounts final : public Accounts {
public:
  explicit PgAccounts(const std::string &url);
  ~PgAccounts() override;
  PgAccounts(const PgAccounts &) = delete;
  PgAccounts &operator=(const PgAccounts &) = delete;

  void add_user(const UserAccount &u) override;
  std::optional<UserAccount> user(const std::string &name) override;
  std::vector<UserAccount> users() override;
  void set_login_state(const std::string &name, int failed_logins,
                       std::int64_t locked_until) override;
  int record_failed_login(const std::string &name, int max_failures,
                          std::int64_t lock_until) override;

  void add_link(const PatientLink &link) override;
  std::optional<PatientLink> link(const std::string &token_hash) override;
  int revoke_links(const std::string &patient, std::int64_t at) override;

  void add_session(const Session &s) override;
  std::optional<Session> session(const std::string &id_hash) override;
  void delete_session(const std::string &id_hash) override;
  int delete_expired_sessions(std::int64_t now) override;

private:
  // A pqxx::connection (in libpqxx 6 `connection` is an alias of a template, so it cannot be
  // forward-declared; the wrapper keeps libpqxx out of this header).
  struct Connection;
  std::unique_ptr<Connection> conn_;
};

} // namespace titrate
