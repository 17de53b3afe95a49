#pragma once
// Verifying the JWT a CDS Client sends with every CDS Hooks call (CDS Hooks 2.0 §Trusting CDS
// Clients; RFC 7515/7519/7518), with OpenSSL 3. Trusted clients are configured by the clinic:
// each `iss` with the JWK Set (a file) holding its public keys. Accepted: ES256/ES384/ES512 and
// RS256/RS384/RS512 (ES384 and RS384 are the specification's recommendation); `none` and every
// HMAC algorithm are refused, as the specification requires. Checked: header typ "JWT" and kid,
// the signature with the key of that kid in the iss's set (its kty and alg must match), aud equal
// to the endpoint called, exp in the future, iat not in the future, exp at most an hour after
// now (the replay window), jti never seen before within its lifetime (in the database every
// server on it shares, once share_replay_record is called; else in this process). A `jku` header is
// NOT followed: only the configured keys are trusted. Errors are JwtError with a reason fit for the
// audit (never the token itself).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace titrate::web {

class JwtError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct VerifiedJwt {
  std::string iss;
  std::string jti;
  std::string kid;
  std::string alg;
  std::string tenant; // "" when absent
};

class JwtVerifier {
public:
  JwtVerifier();
  ~JwtVerifier();
  JwtVerifier(const JwtVerifier &) = delete;
  JwtVerifier &operator=(const JwtVerifier &) = delete;

  // Trusts `iss` with the keys of a JWK Set document (RFC 7517: {"keys": [...]}). InputError
  // naming `where` and the key when the set or a key cannot be used.
  void trust(const std::string &iss, const std::string &jwks_json, const std::string &where);
  bool empty() const;

  // Verifies `token` for a call to `audience` at `now` (UTC seconds). Thread-safe (the replay
  // cache is locked). JwtError with the reason otherwise.
  VerifiedJwt verify(const std::string &token, const std::string &audience, std::int64_t now);

  // Where used token ids are recorded: (iss, jti, exp, now) -> false for a replay
  // (Accounts::use_once, scope "cds:" + iss, so every server on one database refuses a token used
  // on another). Without it, a map in this process.
  using ReplayRecord = std::function<bool(const std::string &iss, const std::string &jti,
                                          std::int64_t exp, std::int64_t now)>;
  void share_replay_record(ReplayRecord record);

  static constexpr std::int64_t max_lifetime_seconds = 3600;
  static constexpr std::int64_t clock_skew_seconds = 60;

private:
  struct Key;
  std::map<std::string, std::vector<std::shared_ptr<Key>>> keys_; // iss -> keys
  std::mutex replay_mutex_;
  ReplayRecord shared_;
  std::map<std::string, std::int64_t> seen_;        // iss + "\n" + jti -> exp
  std::multimap<std::int64_t, std::string> expiry_; // exp -> key of seen_, to forget in order
};

// base64url without padding (RFC 4648 §5) -> bytes; JwtError on a bad character.
std::string base64url_decode(const std::string &in);

} // namespace titrate::web
