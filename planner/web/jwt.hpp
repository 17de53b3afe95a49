#pragma once
// Verifying the JWT a CDS Client sends with every CDS Hooks call (CDS Hooks 2.0 §Trusting CDS
// Clients; RFC 7515/7519/7518), with OpenSSL 3. Trusted clients are configured by the clinic:
// each `iss` with the JWK Set holding its public keys, from a file or from a URL the clinic names
// (the specification's allowlist of iss and jku). Accepted: ES256/ES384/ES512 and
// RS256/RS384/RS512 (ES384 and RS384 are the specification's recommendation); `none` and every
// HMAC algorithm are refused, as the specification requires. Checked: header typ "JWT" and kid,
// the signature with the key of that kid in the iss's set (its kty and alg must match), aud equal
// to the endpoint called, exp in the future, iat not in the future, exp at most an hour after
// now (the replay window), jti never seen before within its lifetime (in the database every
// server on it shares, once share_replay_record is called; else in this process). A `jku` header is
// never fetched: a client with a file ignores it; a client with a URL must name that URL (else
// refused). A URL's set is fetched again when a token names a kid it lacks (at most every
// jwks_refetch_seconds) and when it is jwks_refresh_seconds old; a failed refresh keeps the keys
// until they are jwks_max_stale_seconds old. Errors are JwtError with a reason fit for the audit
// (never the token itself).
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
  // Fetches a JWK Set document from a URL; throws (any std::exception) with the reason.
  using FetchJwks = std::function<std::string(const std::string &url)>;
  // Trusts `iss` with the keys of the JWK Set at `url`, fetched now (at `now`) with `fetch` and
  // again as said above. InputError naming the URL when the first fetch fails or the set cannot
  // be used.
  void trust_url(const std::string &iss, const std::string &url, FetchJwks fetch, std::int64_t now);
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
  static constexpr std::int64_t jwks_refetch_seconds = 30;   // an unknown kid: at most this often
  static constexpr std::int64_t jwks_refresh_seconds = 3600; // a revoked key goes within an hour
  static constexpr std::int64_t jwks_max_stale_seconds =
      86400; // the URL unreachable this long: refused

private:
  struct Key;
  using Keys = std::vector<std::shared_ptr<Key>>;
  struct Client {
    Keys keys;
    std::string url; // "" for a file's keys
    FetchJwks fetch;
    std::int64_t fetched = 0; // when the keys were last fetched
    std::int64_t tried = 0;   // the last fetch a token asked for
    std::string last_error;   // of the last failed attempt
  };
  // The keys of a JWK Set document (InputError naming `where` otherwise).
  static Keys parse_set(const std::string &jwks_json, const std::string &where);
  // Fetches the set of `iss` again if `kid` is unknown or the keys are old (not too often), and
  // returns the keys to verify with; JwtError when they are too stale to use.
  Keys keys_for(const std::string &iss, const std::string &kid, const std::string &jku,
                std::int64_t now);
  mutable std::mutex keys_mutex_;
  std::map<std::string, Client> keys_; // iss -> its keys and where they come from
  std::mutex replay_mutex_;
  ReplayRecord shared_;
  std::map<std::string, std::int64_t> seen_;        // iss + "\n" + jti -> exp
  std::multimap<std::int64_t, std::string> expiry_; // exp -> key of seen_, to forget in order
};

// base64url without padding (RFC 4648 §5) -> bytes; JwtError on a bad character.
std::string base64url_decode(const std::string &in);

} // namespace titrate::web
