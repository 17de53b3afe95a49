#pragma once
// Web state for `titrate serve` (design.md §3): staff accounts, patient links and sessions. Only
// hashes of secrets are stored (Argon2id for passwords, an unkeyed BLAKE2b-256 digest for link
// tokens and session ids), never the secrets. Times are UTC seconds since the epoch. Policy
// (session lifetime; failed sign-ins slow the client and lock nothing: planner/web/login_guard.hpp)
// lives in planner/web; this interface only stores. The failure count and lock columns remain:
// a sign-in clears a lock set by an older titrate, which `serve` still honours until it ends.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace titrate {

struct UserAccount {
  std::string name;              // 1-64 characters of [A-Za-z0-9._-] (same form as patient ids)
  std::string role;              // clinician | pharmacist
  std::string password_hash;     // crypto_pwhash_str (Argon2id) encoded string
  int failed_logins = 0;         // consecutive failures since the last success
  std::int64_t locked_until = 0; // no login before this time (0: not locked)
  std::int64_t created = 0;
};

struct PatientLink {
  std::string token_hash; // hex digest of the 128-bit token
  std::string patient;
  std::int64_t created = 0;
  std::optional<std::int64_t> revoked; // a revoked link opens nothing
};

struct Session {
  std::string id_hash; // hex digest of the session id held in the cookie
  std::string user;
  std::string csrf; // the form token of this session (not a secret across sessions)
  std::int64_t expires = 0;
};

class Accounts {
public:
  virtual ~Accounts() = default;

  // RefusedError if the name is taken.
  virtual void add_user(const UserAccount &u) = 0;
  virtual std::optional<UserAccount> user(const std::string &name) = 0;
  virtual std::vector<UserAccount> users() = 0; // by name
  // Records a login outcome: failures so far and the lock (0 = none). NotFoundError if unknown.
  virtual void set_login_state(const std::string &name, int failed_logins,
                               std::int64_t locked_until) = 0;
  // Counts one failed login in a single atomic statement, so that failures seen at once by
  // several servers on one database all count: failed_logins + 1, and when that reaches
  // `max_failures` the account locks until `lock_until` and the count restarts at 0 (a lock
  // already set by someone else is kept either way). Returns the count this failure reached
  // (max_failures when it locked). NotFoundError if the user is unknown.
  virtual int record_failed_login(const std::string &name, int max_failures,
                                  std::int64_t lock_until) = 0;

  // A new link for a patient (the patient must exist in the store: NotFoundError otherwise).
  virtual void add_link(const PatientLink &link) = 0;
  virtual std::optional<PatientLink> link(const std::string &token_hash) = 0;
  // Revokes every live link of the patient at `at`; returns how many were revoked.
  virtual int revoke_links(const std::string &patient, std::int64_t at) = 0;

  virtual void add_session(const Session &s) = 0;
  virtual std::optional<Session> session(const std::string &id_hash) = 0;
  virtual void delete_session(const std::string &id_hash) = 0;
  virtual int delete_expired_sessions(std::int64_t now) = 0;

  // Uses a token that may be used once (a CDS client's JWT id in scope "cds:" + issuer, a
  // patient form's one-time code in scope "form") until it expires at `expires` (UTC seconds).
  // Returns false when the same scope and id are already used and not expired at `now`: a
  // second use, on this or any other server on the database. Forgets expired tokens in the same
  // transaction.
  virtual bool use_once(const std::string &scope, const std::string &token_id, std::int64_t expires,
                        std::int64_t now) = 0;
  // Whether the token is used and not expired at `now` (a read; nothing is written).
  virtual bool token_used(const std::string &scope, const std::string &token_id,
                          std::int64_t now) = 0;
  // Gives a used token back (the work it guarded failed, so a retry with it must not be refused).
  virtual void release_once(const std::string &scope, const std::string &token_id) = 0;

  // Failed sign-ins counted per key (a client, or a client on a typed user name: the web's
  // LoginThrottle, planner/web/login_guard.hpp), shared by every server on the database. A count
  // whose last failure is `forget_after` seconds or more before `now` is forgotten (deleted by the
  // next count of any key).
  struct LoginFailures {
    int failures = 0;      // 0: none remembered
    std::int64_t last = 0; // the last failure, UTC seconds
  };
  // Counts one failure of `key` at `now` in one transaction and returns the count it reached
  // (concurrent counts on several servers are all kept: one INSERT ... ON CONFLICT DO UPDATE).
  virtual LoginFailures count_login_failure(const std::string &key, std::int64_t now,
                                            std::int64_t forget_after) = 0;
  // The count of `key` at `now` (a read; nothing is written).
  virtual LoginFailures login_failures(const std::string &key, std::int64_t now,
                                       std::int64_t forget_after) = 0;
  // The count of `key` starts again (a successful sign-in).
  virtual void forget_login_failures(const std::string &key) = 0;
};

} // namespace titrate
