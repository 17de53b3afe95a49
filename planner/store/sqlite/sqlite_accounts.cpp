#include "planner/store/sqlite/sqlite_accounts.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace titrate {

namespace {

constexpr int busy_timeout_ms = 10'000;

UserAccount read_user(SQLite::Statement &q) {
  UserAccount u;
  u.name = q.getColumn(0).getString();
  u.role = q.getColumn(1).getString();
  u.password_hash = q.getColumn(2).getString();
  u.failed_logins = q.getColumn(3).getInt();
  u.locked_until = q.getColumn(4).getInt64();
  u.created = q.getColumn(5).getInt64();
  return u;
}

constexpr const char *user_columns =
    "SELECT name, role, password_hash, failed_logins, locked_until, created FROM users";

} // namespace

SqliteAccounts::SqliteAccounts(const std::string &path) {
  if (path.empty() || path == ":memory:") {
    throw InputError("accounts: expected a database file, not an in-memory database");
  }
  { SqliteStore migrate(path); } // applies every migration, 003 (web accounts) included
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE, busy_timeout_ms);
  db_->exec("PRAGMA foreign_keys = ON");
}

SqliteAccounts::~SqliteAccounts() = default;

void SqliteAccounts::add_user(const UserAccount &u) {
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement exists(*db_, "SELECT 1 FROM users WHERE name = ?");
  exists.bind(1, u.name);
  if (exists.executeStep()) throw RefusedError("user " + u.name + ": already exists");
  SQLite::Statement q(*db_, "INSERT INTO users (name, role, password_hash, failed_logins, "
                            "locked_until, created) VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, u.name);
  q.bind(2, u.role);
  q.bind(3, u.password_hash);
  q.bind(4, u.failed_logins);
  q.bind(5, static_cast<std::int64_t>(u.locked_until));
  q.bind(6, static_cast<std::int64_t>(u.created));
  q.exec();
  tx.commit();
}

std::optional<UserAccount> SqliteAccounts::user(const std::string &name) {
  SQLite::Statement q(*db_, std::string(user_columns) + " WHERE name = ?");
  q.bind(1, name);
  if (!q.executeStep()) return std::nullopt;
  return read_user(q);
}

std::vector<UserAccount> SqliteAccounts::users() {
  SQLite::Statement q(*db_, std::string(user_columns) + " ORDER BY name");
  std::vector<UserAccount> out;
  while (q.executeStep()) out.push_back(read_user(q));
  return out;
}

void SqliteAccounts::set_login_state(const std::string &name, int failed_logins,
                                     std::int64_t locked_until) {
  SQLite::Statement q(*db_, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE name = ?");
  q.bind(1, failed_logins);
  q.bind(2, static_cast<std::int64_t>(locked_until));
  q.bind(3, name);
  if (q.exec() == 0) throw NotFoundError("user " + name + ": no such user");
}

int SqliteAccounts::record_failed_login(const std::string &name, int max_failures,
                                        std::int64_t lock_until) {
  // One UPDATE ... RETURNING (SQLite 3.35+): the increment and the lock are one write, so no
  // failure counted by another connection in between is lost. In SET every right-hand side sees
  // the row as it was before the update.
  SQLite::Statement q(*db_,
                      "UPDATE users SET "
                      "failed_logins = CASE WHEN failed_logins + 1 >= ?1 THEN 0 "
                      "ELSE failed_logins + 1 END, "
                      "locked_until = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 "
                      "ELSE locked_until END "
                      "WHERE name = ?3 RETURNING failed_logins");
  q.bind(1, max_failures);
  q.bind(2, static_cast<std::int64_t>(lock_until));
  q.bind(3, name);
  if (!q.executeStep()) throw NotFoundError("user " + name + ": no such user");
  const int after = q.getColumn(0).getInt();
  q.reset(); // ends the statement, which commits the write
  return after == 0 ? max_failures : after;
}

void SqliteAccounts::add_link(const PatientLink &link) {
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement exists(*db_, "SELECT 1 FROM patients WHERE id = ?");
  exists.bind(1, link.patient);
  if (!exists.executeStep()) throw NotFoundError("patient " + link.patient + ": not found");
  SQLite::Statement q(*db_, "INSERT INTO patient_links (token_hash, patient_id, created, revoked) "
                            "VALUES (?, ?, ?, ?)");
  q.bind(1, link.token_hash);
  q.bind(2, link.patient);
  q.bind(3, static_cast<std::int64_t>(link.created));
  if (link.revoked) {
    q.bind(4, static_cast<std::int64_t>(*link.revoked));
  } else {
    q.bind(4);
  }
  q.exec();
  tx.commit();
}

std::optional<PatientLink> SqliteAccounts::link(const std::string &token_hash) {
  SQLite::Statement q(*db_, "SELECT token_hash, patient_id, created, revoked FROM patient_links "
                            "WHERE token_hash = ?");
  q.bind(1, token_hash);
  if (!q.executeStep()) return std::nullopt;
  PatientLink l;
  l.token_hash = q.getColumn(0).getString();
  l.patient = q.getColumn(1).getString();
  l.created = q.getColumn(2).getInt64();
  if (!q.getColumn(3).isNull()) l.revoked = q.getColumn(3).getInt64();
  return l;
}

int SqliteAccounts::revoke_links(const std::string &patient, std::int64_t at) {
  SQLite::Statement q(*db_, "UPDATE patient_links SET revoked = ? WHERE patient_id = ? AND "
                            "revoked IS NULL");
  q.bind(1, static_cast<std::int64_t>(at));
  q.bind(2, patient);
  return q.exec();
}

void SqliteAccounts::add_session(const Session &s) {
  SQLite::Statement q(*db_, "INSERT INTO sessions (id_hash, user_name, csrf, expires) "
                            "VALUES (?, ?, ?, ?)");
  q.bind(1, s.id_hash);
  q.bind(2, s.user);
  q.bind(3, s.csrf);
  q.bind(4, static_cast<std::int64_t>(s.expires));
  q.exec();
}

std::optional<Session> SqliteAccounts::session(const std::string &id_hash) {
  SQLite::Statement q(*db_, "SELECT id_hash, user_name, csrf, expires FROM sessions "
                            "WHERE id_hash = ?");
  q.bind(1, id_hash);
  if (!q.executeStep()) return std::nullopt;
  Session s;
  s.id_hash = q.getColumn(0).getString();
  s.user = q.getColumn(1).getString();
  s.csrf = q.getColumn(2).getString();
  s.expires = q.getColumn(3).getInt64();
  return s;
}

void SqliteAccounts::delete_session(const std::string &id_hash) {
  SQLite::Statement q(*db_, "DELETE FROM sessions WHERE id_hash = ?");
  q.bind(1, id_hash);
  q.exec();
}

int SqliteAccounts::delete_expired_sessions(std::int64_t now) {
  SQLite::Statement q(*db_, "DELETE FROM sessions WHERE expires <= ?");
  q.bind(1, static_cast<std::int64_t>(now));
  return q.exec();
}

} // namespace titrate
