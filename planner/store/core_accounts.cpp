// Accounts once, over a StoreDialect (core_accounts.hpp). The SQL is the subset both back ends
// share; an UPDATE or DELETE counts its rows with RETURNING.
#include "planner/store/core_accounts.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

namespace {

using store::SqlRow;

UserAccount accounts_read_user(const SqlRow &r) {
  UserAccount u;
  u.name = r.text(0);
  u.role = r.text(1);
  u.password_hash = r.text(2);
  u.failed_logins = r.int32(3);
  u.locked_until = r.integer(4);
  u.created = r.integer(5);
  return u;
}

PatientLink accounts_read_link(const SqlRow &r) {
  PatientLink l;
  l.token_hash = r.text(0);
  l.patient = r.text(1);
  l.created = r.integer(2);
  if (!r.null(3))
    l.revoked = r.integer(3);
  return l;
}

Session accounts_read_session(const SqlRow &r) {
  Session s;
  s.id_hash = r.text(0);
  s.user = r.text(1);
  s.csrf = r.text(2);
  s.expires = r.integer(3);
  return s;
}

const std::string accounts_user_columns =
    "SELECT name, role, password_hash, failed_logins, locked_until, created FROM users";

// One transaction on the accounts' connection, with the connection to itself until it ends
// (several server threads share it); rolls back unless committed.
class AccountsTx {
public:
  AccountsTx(std::mutex &m, store::StoreDialect &d, bool write) : lock_(m), d_(d) {
    d_.begin(write);
  }
  struct Relaxed {};
  AccountsTx(std::mutex &m, store::StoreDialect &d, Relaxed) : lock_(m), d_(d) {
    d_.begin_relaxed();
  }
  ~AccountsTx() {
    if (!done_)
      d_.rollback();
  }
  AccountsTx(const AccountsTx &) = delete;
  AccountsTx &operator=(const AccountsTx &) = delete;
  void commit() {
    d_.commit();
    done_ = true;
  }

private:
  std::lock_guard<std::mutex> lock_;
  store::StoreDialect &d_;
  bool done_ = false;
};

} // namespace

CoreAccounts::CoreAccounts(std::unique_ptr<store::StoreDialect> dialect)
    : sql_(std::move(dialect)) {}

CoreAccounts::~CoreAccounts() = default;

store::SqlRows CoreAccounts::run(bool write, const std::string &sql,
                                 const store::SqlParams &params) {
  AccountsTx tx(mutex_, *sql_, write);
  auto rows = sql_->query(sql, params);
  tx.commit();
  return rows;
}

void CoreAccounts::add_user(const UserAccount &u) {
  if (run(true,
          "INSERT INTO users (name, role, password_hash, failed_logins, locked_until, created) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING name",
          {u.name, u.role, u.password_hash, std::int64_t{u.failed_logins}, u.locked_until,
           u.created})
          .empty()) {
    throw RefusedError("user " + u.name + ": already exists");
  }
}

std::optional<UserAccount> CoreAccounts::user(const std::string &name) {
  return store::decode_first(run(false, accounts_user_columns + " WHERE name = $1", {name}),
                             accounts_read_user);
}

std::vector<UserAccount> CoreAccounts::users() {
  const auto r =
      run(false, accounts_user_columns + " ORDER BY name" + std::string(sql_->byte_order()), {});
  return store::decode_rows(r, accounts_read_user);
}

void CoreAccounts::set_login_state(const std::string &name, int failed_logins,
                                   std::int64_t locked_until) {
  if (run(true,
          "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE name = $3 RETURNING 1",
          {std::int64_t{failed_logins}, locked_until, name})
          .empty()) {
    throw NotFoundError("user " + name + ": no such user");
  }
}

int CoreAccounts::record_failed_login(const std::string &name, int max_failures,
                                      std::int64_t lock_until) {
  // One UPDATE ... RETURNING: the increment and the lock are one write, so no failure counted by
  // another connection in between is lost (a concurrent UPDATE of the row waits, then sees it
  // as the other left it). In SET every right-hand side sees the row as it was before.
  const auto r = run(true,
                     "UPDATE users SET "
                     "failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 "
                     "ELSE failed_logins + 1 END, "
                     "locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 "
                     "ELSE locked_until END "
                     "WHERE name = $3 RETURNING failed_logins",
                     {std::int64_t{max_failures}, lock_until, name});
  if (r.empty())
    throw NotFoundError("user " + name + ": no such user");
  const int after = r.front().int32(0);
  return after == 0 ? max_failures : after;
}

void CoreAccounts::add_link(const PatientLink &link) {
  AccountsTx tx(mutex_, *sql_, true);
  if (sql_->query("SELECT 1 FROM patients WHERE id = $1", {link.patient}).empty()) {
    throw NotFoundError("patient " + link.patient + ": not found");
  }
  sql_->query("INSERT INTO patient_links (token_hash, patient_id, created, revoked) "
              "VALUES ($1, $2, $3, $4)",
              {link.token_hash, link.patient, link.created, store::nullable(link.revoked)});
  tx.commit();
}

std::optional<PatientLink> CoreAccounts::link(const std::string &token_hash) {
  const auto r = run(false,
                     "SELECT token_hash, patient_id, created, revoked FROM patient_links "
                     "WHERE token_hash = $1",
                     {token_hash});
  return store::decode_first(r, accounts_read_link);
}

int CoreAccounts::revoke_links(const std::string &patient, std::int64_t at) {
  return static_cast<int>(run(true,
                              "UPDATE patient_links SET revoked = $1 WHERE patient_id = $2 AND "
                              "revoked IS NULL RETURNING 1",
                              {at, patient})
                              .size());
}

void CoreAccounts::add_session(const Session &s) {
  run(true, "INSERT INTO sessions (id_hash, user_name, csrf, expires) VALUES ($1, $2, $3, $4)",
      {s.id_hash, s.user, s.csrf, s.expires});
}

std::optional<Session> CoreAccounts::session(const std::string &id_hash) {
  const auto r =
      run(false, "SELECT id_hash, user_name, csrf, expires FROM sessions WHERE id_hash = $1",
          {id_hash});
  return store::decode_first(r, accounts_read_session);
}

void CoreAccounts::delete_session(const std::string &id_hash) {
  run(true, "DELETE FROM sessions WHERE id_hash = $1", {id_hash});
}

int CoreAccounts::delete_expired_sessions(std::int64_t now) {
  return static_cast<int>(
      run(true, "DELETE FROM sessions WHERE expires <= $1 RETURNING 1", {now}).size());
}

bool CoreAccounts::use_once(const std::string &scope, const std::string &token_id,
                            std::int64_t expires, std::int64_t now) {
  // One transaction: expired tokens go, then the insert, which a used (scope, id) turns into
  // nothing (ON CONFLICT DO NOTHING; on PostgreSQL a concurrent insert of the same key waits for
  // the other transaction and then does nothing), so exactly one caller uses a token.
  // Relaxed: a record lost with the machine (never with the process) lets a token be used once
  // more within its lifetime; waiting for the disk on every CDS call cost more than that is worth
  // (docs/ehr.md).
  AccountsTx tx(mutex_, *sql_, AccountsTx::Relaxed{});
  sql_->query("DELETE FROM used_tokens WHERE expires <= $1", {now});
  const bool fresh = !sql_->query("INSERT INTO used_tokens (scope, token_id, expires) "
                                  "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
                                  {scope, token_id, expires})
                          .empty();
  tx.commit();
  return fresh;
}

bool CoreAccounts::token_used(const std::string &scope, const std::string &token_id,
                              std::int64_t now) {
  return !run(false,
              "SELECT 1 FROM used_tokens WHERE scope = $1 AND token_id = $2 AND expires > $3",
              {scope, token_id, now})
              .empty();
}

void CoreAccounts::release_once(const std::string &scope, const std::string &token_id) {
  run(true, "DELETE FROM used_tokens WHERE scope = $1 AND token_id = $2", {scope, token_id});
}

namespace {

Accounts::LoginFailures read_login_failures(const store::SqlRows &r) {
  if (r.empty())
    return {};
  return Accounts::LoginFailures{r.front().int32(0), r.front().integer(1)};
}

} // namespace

Accounts::LoginFailures CoreAccounts::count_login_failure(const std::string &key, std::int64_t now,
                                                          std::int64_t forget_after) {
  // Quiet counts go first, so the upsert below starts a forgotten key at 1. The upsert is one
  // statement: two servers counting the same key at once both count (on PostgreSQL the second
  // waits for the first's row, then updates it).
  AccountsTx tx(mutex_, *sql_,
                AccountsTx::Relaxed{}); // a count lost with the machine gives a few tries
  sql_->query("DELETE FROM login_failures WHERE last_at <= $1", {now - forget_after});
  auto r = sql_->query("INSERT INTO login_failures (throttle_key, failures, last_at) "
                       "VALUES ($1, 1, $2) ON CONFLICT (throttle_key) DO UPDATE SET "
                       "failures = login_failures.failures + 1, last_at = excluded.last_at "
                       "RETURNING failures, last_at",
                       {key, now});
  tx.commit();
  return read_login_failures(r);
}

Accounts::LoginFailures CoreAccounts::login_failures(const std::string &key, std::int64_t now,
                                                     std::int64_t forget_after) {
  return read_login_failures(run(false,
                                 "SELECT failures, last_at FROM login_failures "
                                 "WHERE throttle_key = $1 AND last_at > $2",
                                 {key, now - forget_after}));
}

void CoreAccounts::forget_login_failures(const std::string &key) {
  run(true, "DELETE FROM login_failures WHERE throttle_key = $1", {key});
}

} // namespace titrate
