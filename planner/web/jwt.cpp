#include "planner/web/jwt.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <gmp.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>
#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace titrate::web {

using nlohmann::json;

std::string base64url_decode(const std::string &in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t buf = 0;
  int bits = 0;
  for (const char ch : in) {
    int v = -1;
    if (ch >= 'A' && ch <= 'Z')
      v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z')
      v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9')
      v = ch - '0' + 52;
    else if (ch == '-')
      v = 62;
    else if (ch == '_')
      v = 63;
    else
      throw JwtError("not base64url (RFC 4648 section 5)");
    buf = (buf << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  if (bits >= 6)
    throw JwtError("not base64url: a dangling character");
  return out;
}

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// ES algorithms are checked with GNU Nettle (its P-384 verification takes about half of OpenSSL
// 3.0's time: docs/performance.md), RS algorithms with OpenSSL.
struct Alg {
  const char *name;
  bool ec;
  const EVP_MD *(*md)();              // RSA only
  const char *curve;                  // EC only
  int coord_bytes;                    // EC only
  const ecc_curve *(*nettle_curve)(); // EC only
  const nettle_hash *nettle_digest;   // EC only
};

const Alg *find_alg(const std::string &name) {
  static const Alg algs[] = {
      {"ES256", true, nullptr, "P-256", 32, nettle_get_secp_256r1, &nettle_sha256},
      {"ES384", true, nullptr, "P-384", 48, nettle_get_secp_384r1, &nettle_sha384},
      {"ES512", true, nullptr, "P-521", 66, nettle_get_secp_521r1, &nettle_sha512},
      {"RS256", false, EVP_sha256, "", 0, nullptr, nullptr},
      {"RS384", false, EVP_sha384, "", 0, nullptr, nullptr},
      {"RS512", false, EVP_sha512, "", 0, nullptr, nullptr},
  };
  for (const auto &a : algs)
    if (name == a.name)
      return &a;
  return nullptr;
}

const Alg *find_curve(const std::string &crv) {
  for (const char *name : {"ES256", "ES384", "ES512"}) {
    const Alg *a = find_alg(name);
    if (crv == a->curve)
      return a;
  }
  return nullptr;
}

// An unsigned big-endian number (a JWK coordinate, half of a JOSE signature) for Nettle.
struct Mpz {
  mpz_t v;
  explicit Mpz(std::string_view bytes) {
    mpz_init(v);
    mpz_import(v, bytes.size(), 1, 1, 1, 0, bytes.data());
  }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz &) = delete;
  Mpz &operator=(const Mpz &) = delete;
};

std::string member(const json &j, const char *k) {
  const auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A trusted EC public key, as Nettle holds it.
struct EcPoint {
  ecc_point point;
  explicit EcPoint(const ecc_curve *curve) { ecc_point_init(&point, curve); }
  ~EcPoint() { ecc_point_clear(&point); }
  EcPoint(const EcPoint &) = delete;
  EcPoint &operator=(const EcPoint &) = delete;
};

std::unique_ptr<EcPoint> ec_key(const std::string &crv, const std::string &x,
                                const std::string &y) {
  const Alg *a = find_curve(crv);
  if (!a)
    throw InputError("crv \"" + printable(crv, 16) + "\"; expected P-256, P-384 or P-521");
  // RFC 7518 section 6.2.1.2: each coordinate is the full size of one, leading zeros kept.
  const auto n = static_cast<std::size_t>(a->coord_bytes);
  if (x.size() != n || y.size() != n) {
    throw InputError("x and y of " + std::to_string(x.size()) + " and " + std::to_string(y.size()) +
                     " bytes; expected " + std::to_string(n) + " each for " + crv);
  }
  auto key = std::make_unique<EcPoint>(a->nettle_curve());
  // The point must be on the curve: ecc_point_set checks it, so a bad key is refused when loaded.
  if (!ecc_point_set(&key->point, Mpz(x).v, Mpz(y).v))
    throw InputError("an EC public key whose point is not on " + crv);
  return key;
}

Pkey rsa_key(const std::string &n, const std::string &e) {
  BIGNUM *bn_n = BN_bin2bn(reinterpret_cast<const unsigned char *>(n.data()),
                           static_cast<int>(n.size()), nullptr);
  BIGNUM *bn_e = BN_bin2bn(reinterpret_cast<const unsigned char *>(e.data()),
                           static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e);
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY *pkey = nullptr;
  const bool ok = ctx && params && EVP_PKEY_fromdata_init(ctx) > 0 &&
                  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  if (!ok)
    throw InputError("an RSA public key that OpenSSL cannot use");
  if (EVP_PKEY_get_bits(pkey) < 2048) {
    EVP_PKEY_free(pkey);
    throw InputError("an RSA key shorter than 2048 bits (RFC 7518 section 3.3 requires 2048)");
  }
  return Pkey(pkey);
}

// An ECDSA signature's r and s, as Nettle takes them.
struct EcdsaSignature {
  dsa_signature sig;
  EcdsaSignature(std::string_view r, std::string_view s) {
    dsa_signature_init(&sig);
    mpz_import(sig.r, r.size(), 1, 1, 1, 0, r.data());
    mpz_import(sig.s, s.size(), 1, 1, 1, 0, s.data());
  }
  ~EcdsaSignature() { dsa_signature_clear(&sig); }
  EcdsaSignature(const EcdsaSignature &) = delete;
  EcdsaSignature &operator=(const EcdsaSignature &) = delete;
};

// JOSE ECDSA signatures are r || s, each coord_bytes long (RFC 7518 section 3.4). Nettle refuses
// an r or s outside 1..n-1 itself.
bool verify_ecdsa(const ecc_point &key, const Alg &a, const std::string &data,
                  const std::string &raw) {
  if (raw.size() != static_cast<std::size_t>(2 * a.coord_bytes)) {
    throw JwtError("an ECDSA signature of " + std::to_string(raw.size()) + " bytes; expected " +
                   std::to_string(2 * a.coord_bytes));
  }
  union {
    sha256_ctx sha256;
    sha512_ctx sha512; // also SHA-384's
  } ctx;
  std::uint8_t digest[SHA512_DIGEST_SIZE];
  const nettle_hash &h = *a.nettle_digest;
  h.init(&ctx);
  h.update(&ctx, data.size(), reinterpret_cast<const std::uint8_t *>(data.data()));
  h.digest(&ctx, h.digest_size, digest);
  const auto half = static_cast<std::size_t>(a.coord_bytes);
  const EcdsaSignature signature(std::string_view(raw).substr(0, half),
                                 std::string_view(raw).substr(half));
  return ecdsa_verify(&key, h.digest_size, digest, &signature.sig) == 1;
}

bool verify_signature(EVP_PKEY *key, const EVP_MD *md, const std::string &data,
                      const std::string &sig) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char *>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

json decode_json_part(const std::string &part, const char *what) {
  try {
    const json j = json::parse(base64url_decode(part));
    if (!j.is_object())
      throw JwtError(std::string("the JWT ") + what + " is not a JSON object");
    return j;
  } catch (const json::exception &) {
    throw JwtError(std::string("the JWT ") + what + " is not JSON");
  }
}

} // namespace

struct JwtVerifier::Key {
  std::string kid;
  std::string kty; // "EC" | "RSA"
  std::string crv;
  std::string alg;             // the JWK's alg ("" when the set gives none)
  Pkey pkey;                   // RSA
  std::unique_ptr<EcPoint> ec; // EC
};

JwtVerifier::JwtVerifier() = default;
JwtVerifier::~JwtVerifier() = default;

bool JwtVerifier::empty() const {
  const std::lock_guard lock(keys_mutex_);
  return keys_.empty();
}

JwtVerifier::Keys JwtVerifier::parse_set(const std::string &jwks_json, const std::string &where) {
  json set;
  try {
    set = json::parse(jwks_json);
  } catch (const json::exception &) {
    throw InputError(where + ": not JSON; expected a JWK Set {\"keys\": [...]} (RFC 7517)");
  }
  if (!set.is_object() || !set.contains("keys") || !set["keys"].is_array() || set["keys"].empty()) {
    throw InputError(where + ": no \"keys\" array; expected a JWK Set {\"keys\": [...]}");
  }
  Keys list;
  for (const auto &k : set["keys"]) {
    auto key = std::make_shared<Key>();
    key->kid = member(k, "kid");
    key->kty = member(k, "kty");
    key->alg = member(k, "alg");
    const std::string at = where + ": key \"" + printable(key->kid, 40) + "\"";
    if (key->kid.empty())
      throw InputError(at + ": no kid; expected one (CDS Hooks: kid REQUIRED)");
    if (k.contains("d") || k.contains("p")) {
      throw InputError(at + ": holds a private key; give the client's PUBLIC keys only");
    }
    const std::string use = member(k, "use");
    if (!use.empty() && use != "sig")
      throw InputError(at + ": use \"" + use + "\"; expected sig");
    try {
      if (key->kty == "EC") {
        key->crv = member(k, "crv");
        key->ec =
            ec_key(key->crv, base64url_decode(member(k, "x")), base64url_decode(member(k, "y")));
      } else if (key->kty == "RSA") {
        key->pkey = rsa_key(base64url_decode(member(k, "n")), base64url_decode(member(k, "e")));
      } else {
        throw InputError("kty \"" + printable(key->kty, 16) +
                         "\"; expected EC or RSA (no "
                         "symmetric keys: CDS Hooks forbids HMAC)");
      }
    } catch (const JwtError &e) {
      throw InputError(at + ": " + e.what());
    } catch (const InputError &e) {
      throw InputError(at + ": " + e.what());
    }
    for (const auto &other : list) {
      if (other->kid == key->kid)
        throw InputError(at + ": the kid is listed twice");
    }
    list.push_back(std::move(key));
  }
  return list;
}

void JwtVerifier::trust(const std::string &iss, const std::string &jwks_json,
                        const std::string &where) {
  Keys list = parse_set(jwks_json, where);
  const std::lock_guard lock(keys_mutex_);
  Client &c = keys_[iss];
  if (!c.url.empty())
    throw InputError(iss + " is listed twice; expected one JWK Set (a file or a URL) per issuer");
  for (const auto &key : list) {
    for (const auto &other : c.keys) {
      if (other->kid == key->kid) {
        throw InputError(where + ": key \"" + printable(key->kid, 40) +
                         "\": the kid is listed twice for " + iss);
      }
    }
  }
  c.keys.insert(c.keys.end(), list.begin(), list.end());
}

void JwtVerifier::trust_url(const std::string &iss, const std::string &url, FetchJwks fetch,
                            std::int64_t now) {
  std::string body;
  try {
    body = fetch(url);
  } catch (const std::exception &e) {
    throw InputError("cannot fetch the JWK Set of " + iss + " from " + url + ": " + e.what());
  }
  Keys list = parse_set(body, url);
  const std::lock_guard lock(keys_mutex_);
  Client &c = keys_[iss];
  if (!c.keys.empty() || !c.url.empty())
    throw InputError(iss + " is listed twice; expected one JWK Set (a file or a URL) per issuer");
  // `tried` stays 0: the first token with a kid the set lacks may fetch at once (the start's fetch
  // was not asked for by a token).
  c = Client{std::move(list), url, std::move(fetch), now, 0, ""};
}

JwtVerifier::Keys JwtVerifier::keys_for(const std::string &iss, const std::string &kid,
                                        const std::string &jku, std::int64_t now) {
  std::unique_lock lock(keys_mutex_);
  const auto it = keys_.find(iss);
  if (iss.empty() || it == keys_.end())
    throw JwtError("iss \"" + printable(iss, 80) + "\" is not a trusted CDS client");
  Client *c = &it->second;
  if (c->url.empty())
    return c->keys; // a file's keys; a jku header is not followed
  if (!jku.empty() && jku != c->url) {
    throw JwtError("jku \"" + printable(jku, 120) + "\" is not the JWK Set URL configured for " +
                   iss + " (" + c->url + "); it is not fetched");
  }
  const bool known =
      std::any_of(c->keys.begin(), c->keys.end(), [&kid](const auto &k) { return k->kid == kid; });
  const bool old = c->fetched + jwks_refresh_seconds <= now;
  if ((!known || old) && c->tried + jwks_refetch_seconds <= now) {
    // Fetch outside the lock (other calls go on meanwhile); `tried` keeps them from fetching too.
    c->tried = now;
    const std::string url = c->url;
    const FetchJwks fetch = c->fetch;
    lock.unlock();
    std::string error;
    Keys fresh;
    try {
      fresh = parse_set(fetch(url), url);
    } catch (const std::exception &e) {
      error = e.what();
    }
    lock.lock();
    c = &keys_.find(iss)->second;
    if (error.empty()) {
      c->keys = std::move(fresh);
      c->fetched = now;
      c->last_error.clear();
    } else {
      c->last_error = error;
    }
  }
  if (c->fetched + jwks_max_stale_seconds <= now) {
    throw JwtError("the JWK Set of " + iss + " could not be fetched from " + c->url + " for " +
                   std::to_string((now - c->fetched) / 3600) +
                   " hours (last: " + printable(c->last_error, 160) + ")");
  }
  return c->keys;
}

VerifiedJwt JwtVerifier::verify(const std::string &token, const std::string &audience,
                                std::int64_t now) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot1 == std::string::npos || dot2 == std::string::npos ||
      token.find('.', dot2 + 1) != std::string::npos) {
    throw JwtError("not a signed JWT (expected header.payload.signature)");
  }
  const json header = decode_json_part(token.substr(0, dot1), "header");
  const std::string alg = member(header, "alg");
  if (alg == "none" || alg.empty()) {
    throw JwtError("alg \"" + alg + "\": unsigned JWTs are refused (CDS Hooks: SHALL NOT none)");
  }
  if (alg.rfind("HS", 0) == 0) {
    throw JwtError("alg " + printable(alg, 8) +
                   ": HMAC is refused (CDS Hooks: SHALL NOT use a "
                   "symmetric algorithm)");
  }
  const Alg *a = find_alg(alg);
  if (!a) {
    throw JwtError("alg \"" + printable(alg, 16) +
                   "\" is not accepted; expected ES384 or RS384 "
                   "(or ES256, ES512, RS256, RS512)");
  }
  if (member(header, "typ") != "JWT")
    throw JwtError("header typ is not \"JWT\"");
  const std::string kid = member(header, "kid");
  if (kid.empty())
    throw JwtError("header has no kid");
  if (header.contains("crit"))
    throw JwtError("header has crit extensions, which are not understood");

  const json claims = decode_json_part(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload");
  const std::string iss = member(claims, "iss");
  const Keys keys = keys_for(iss, kid, member(header, "jku"), now);
  const Key *key = nullptr;
  for (const auto &k : keys)
    if (k->kid == kid)
      key = k.get();
  if (!key)
    throw JwtError("kid \"" + printable(kid, 40) + "\" is not a key of " + iss);
  if ((a->ec && key->kty != "EC") || (!a->ec && key->kty != "RSA") ||
      (a->ec && key->crv != a->curve) || (!key->alg.empty() && key->alg != alg)) {
    throw JwtError("alg " + alg + " does not match key \"" + kid + "\" (" + key->kty +
                   (key->alg.empty() ? "" : ", " + key->alg) + ")");
  }
  const std::string signature = base64url_decode(token.substr(dot2 + 1));
  const std::string signed_part = token.substr(0, dot2);
  const bool good = a->ec ? verify_ecdsa(key->ec->point, *a, signed_part, signature)
                          : verify_signature(key->pkey.get(), a->md(), signed_part, signature);
  if (!good)
    throw JwtError("bad signature (key \"" + kid + "\" of " + iss + ")");

  // Claims, checked only once the signature holds.
  bool aud_ok = false;
  if (claims.contains("aud")) {
    const json &aud = claims["aud"];
    if (aud.is_string())
      aud_ok = aud.get<std::string>() == audience;
    if (aud.is_array()) {
      for (const auto &x : aud)
        aud_ok = aud_ok || (x.is_string() && x.get<std::string>() == audience);
    }
  }
  if (!aud_ok)
    throw JwtError("aud is not " + audience);
  if (!claims.contains("exp") || !claims["exp"].is_number())
    throw JwtError("no numeric exp");
  if (!claims.contains("iat") || !claims["iat"].is_number())
    throw JwtError("no numeric iat");
  const auto exp = static_cast<std::int64_t>(claims["exp"].get<double>());
  const auto iat = static_cast<std::int64_t>(claims["iat"].get<double>());
  if (exp <= now)
    throw JwtError("expired (exp " + std::to_string(exp) + ")");
  if (iat > now + clock_skew_seconds)
    throw JwtError("iat is in the future");
  if (exp > now + max_lifetime_seconds) {
    throw JwtError("exp is more than " + std::to_string(max_lifetime_seconds) +
                   " s ahead; expected a short-lived token");
  }
  const std::string jti = member(claims, "jti");
  if (jti.empty())
    throw JwtError("no jti");
  const auto replayed = [&jti] {
    return JwtError("jti \"" + printable(jti, 64) + "\" was already used (replay refused)");
  };
  if (shared_) {
    if (!shared_(iss, jti, exp, now))
      throw replayed();
  } else {
    std::lock_guard<std::mutex> lock(replay_mutex_);
    // Forget tokens that have expired (they are refused by exp anyway), oldest first.
    while (!expiry_.empty() && expiry_.begin()->first <= now) {
      seen_.erase(expiry_.begin()->second);
      expiry_.erase(expiry_.begin());
    }
    const std::string replay_key = iss + "\n" + jti;
    if (!seen_.emplace(replay_key, exp).second)
      throw replayed();
    expiry_.emplace(exp, replay_key);
  }
  return {iss, jti, kid, alg, member(claims, "tenant")};
}

void JwtVerifier::share_replay_record(ReplayRecord record) {
  shared_ = std::move(record);
}

} // namespace titrate::web
