// The PostgreSQL back end of Accounts (pg_accounts.hpp). Same behaviour and errors as
// SqliteAccounts: every method is one SQL statement run in autocommit (pqxx::nontransaction), so
// each is atomic on its own and the rules that need two steps lean on constraints instead (a
// taken name is the primary key, a link's patient the foreign key). Statements are prepared once
// per connection.
#include "planner/store/postgres/pg_accounts.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/location.hpp"
#include "planner/store/postgres/pg_store.hpp"

#include <pqxx/pqxx>

namespace titrate {

namespace {

UserAccount read_user(const pqxx::row &r) {
  UserAccount u;
  u.name = r[0].as<std::string>();
  u.role = r[1].as<std::string>();
  u.password_hash = r[2].as<std::string>();
  u.failed_logins = r[3].as<int>();
  u.locked_until = r[4].as<std::int64_t>();
  u.created = r[5].as<std::int64_t>();
  return u;
}

const std::string user_columns =
    "SELECT name, role, password_hash, failed_logins, locked_until, created FROM users";

void prepare_all(pqxx::connection &c) {
  c.prepare("acc_add_user",
            "INSERT INTO users (name, role, password_hash, failed_logins, locked_until, created) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING");
  c.prepare("acc_user", user_columns + " WHERE name = $1");
  c.prepare("acc_users", user_columns + " ORDER BY name COLLATE \"C\""); // byte order, as SQLite
  c.prepare("acc_set_login",
            "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE name = $3");
  // Under READ COMMITTED a concurrent UPDATE of the same row waits for the other to commit and
  // then re-evaluates SET on the row it left, so no failure counted elsewhere is lost. SET's
  // right-hand sides all see the row as it was before this update.
  c.prepare("acc_failed_login",
            "UPDATE users SET "
            "failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END, "
            "locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END "
            "WHERE name = $3 RETURNING failed_logins");
  c.prepare("acc_patient_exists", "SELECT 1 FROM patients WHERE id = $1");
  c.prepare("acc_add_link", "INSERT INTO patient_links (token_hash, patient_id, created, revoked) "
                            "VALUES ($1, $2, $3, $4)");
  c.prepare("acc_link", "SELECT token_hash, patient_id, created, revoked FROM patient_links "
                        "WHERE token_hash = $1");
  c.prepare("acc_revoke", "UPDATE patient_links SET revoked = $1 WHERE patient_id = $2 AND "
                          "revoked IS NULL");
  c.prepare("acc_add_session",
            "INSERT INTO sessions (id_hash, user_name, csrf, expires) VALUES ($1, $2, $3, $4)");
  c.prepare("acc_session",
            "SELECT id_hash, user_name, csrf, expires FROM sessions WHERE id_hash = $1");
  c.prepare("acc_delete_session", "DELETE FROM sessions WHERE id_hash = $1");
  c.prepare("acc_delete_expired", "DELETE FROM sessions WHERE expires <= $1");
}

} // namespace

struct PgAccounts::Connection {
  pqxx::connection c;
  explicit Connection(const std::string &url) : c(url) {}
};

PgAccounts::PgAccounts(const std::string &url) {
  { PgStore migrate(url); } // connects (errors name the URL without its password) and migrates
  try {
    conn_ = std::make_unique<Connection>(url);
  } catch (const pqxx::broken_connection &e) {
    // libpq's message names the host or socket, never the password.
    throw InputError("database " + redact_location(url) + ": cannot connect to PostgreSQL: " +
                     e.what());
  }
  prepare_all(conn_->c);
}

PgAccounts::~PgAccounts() = default;

void PgAccounts::add_user(const UserAccount &u) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_add_user", u.name, u.role, u.password_hash,
                                  u.failed_logins, u.locked_until, u.created);
  if (r.affected_rows() == 0) throw RefusedError("user " + u.name + ": already exists");
}

std::optional<UserAccount> PgAccounts::user(const std::string &name) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_user", name);
  if (r.empty()) return std::nullopt;
  return read_user(r[0]);
}

std::vector<UserAccount> PgAccounts::users() {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_users");
  std::vector<UserAccount> out;
  out.reserve(r.size());
  for (const auto &row : r) out.push_back(read_user(row));
  return out;
}

void PgAccounts::set_login_state(const std::string &name, int failed_logins,
                                 std::int64_t locked_until) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_set_login", failed_logins, locked_until, name);
  if (r.affected_rows() == 0) throw NotFoundError("user " + name + ": no such user");
}

int PgAccounts::record_failed_login(const std::string &name, int max_failures,
                                    std::int64_t lock_until) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_failed_login", max_failures, lock_until, name);
  if (r.empty()) throw NotFoundError("user " + name + ": no such user");
  const int after = r[0][0].as<int>();
  return after == 0 ? max_failures : after;
}

void PgAccounts::add_link(const PatientLink &link) {
  pqxx::nontransaction tx(conn_->c);
  if (tx.exec_prepared("acc_patient_exists", link.patient).empty()) {
    throw NotFoundError("patient " + link.patient + ": not found");
  }
  try {
    tx.exec_prepared("acc_add_link", link.token_hash, link.patient, link.created, link.revoked);
  } catch (const pqxx::foreign_key_violation &) {
    // (the patient vanished between the check and the insert: patients are never deleted, so
    // this is only a restored or hand-edited database)
    throw NotFoundError("patient " + link.patient + ": not found");
  }
}

std::optional<PatientLink> PgAccounts::link(const std::string &token_hash) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_link", token_hash);
  if (r.empty()) return std::nullopt;
  PatientLink l;
  l.token_hash = r[0][0].as<std::string>();
  l.patient = r[0][1].as<std::string>();
  l.created = r[0][2].as<std::int64_t>();
  if (!r[0][3].is_null()) l.revoked = r[0][3].as<std::int64_t>();
  return l;
}

int PgAccounts::revoke_links(const std::string &patient, std::int64_t at) {
  pqxx::nontransaction tx(conn_->c);
  return static_cast<int>(tx.exec_prepared("acc_revoke", at, patient).affected_rows());
}

void PgAccounts::add_session(const Session &s) {
  pqxx::nontransaction tx(conn_->c);
  tx.exec_prepared("acc_add_session", s.id_hash, s.user, s.csrf, s.expires);
}

std::optional<Session> PgAccounts::session(const std::string &id_hash) {
  pqxx::nontransaction tx(conn_->c);
  const auto r = tx.exec_prepared("acc_session", id_hash);
  if (r.empty()) return std::nullopt;
  Session s;
  s.id_hash = r[0][0].as<std::string>();
  s.user = r[0][1].as<std::string>();
  s.csrf = r[0][2].as<std::string>();
  s.expires = r[0][3].as<std::int64_t>();
  return s;
}

void PgAccounts::delete_session(const std::string &id_hash) {
  pqxx::nontransaction tx(conn_->c);
  tx.exec_prepared("acc_delete_session", id_hash);
}

int PgAccounts::delete_expired_sessions(std::int64_t now) {
  pqxx::nontransaction tx(conn_->c);
  return static_cast<int>(tx.exec_prepared("acc_delete_expired", now).affected_rows());
}

} // namespace titrate
