#pragma once
// The SQLite back end of Accounts (web state, migration 003): the same database file as
// SqliteStore, its own connection (WAL, foreign keys on, 10 s busy timeout). Opening migrates
// the file through SqliteStore first, so the tables exist. Needs a file path (not ":memory:",
// which a second connection could not see).
#include "planner/store/accounts.hpp"

#include <memory>
#include <string>

namespace SQLite {
class Database;
}

namespace titrate {

class SqliteAccounts final : public Accounts {
public:
  explicit SqliteAccounts(const std::string &path);
  ~SqliteAccounts() override;
  SqliteAccounts(const SqliteAccounts &) = delete;
  SqliteAccounts &operator=(const SqliteAccounts &) = delete;

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
  std::unique_ptr<SQLite::Database> db_;
};

} // namespace titrate
