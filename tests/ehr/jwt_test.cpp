// JWT trust (planner/web/jwt): the CDS Hooks 2.0.1 specification's own example (section
// "Trusting CDS Clients" > "Example": its ES384 JWT and the JWK Set holding the public key) is
// verified, so the signature check is tested against a vector titrate did not make; then the
// refusals and the JWK Set checks. The mock EHR (mock_ehr.js) tests the same over HTTP.
#include "planner/core/errors.hpp"
#include "planner/web/fhir_server.hpp"
#include "planner/web/jwt.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::web;

namespace {

const std::string spec_token =
    "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci"
    "5leGFt"
    "cGxlLmNvbS9qd2tfdXJpIn0."
    "eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2Rz"
    "LmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MD"
    "k3MCwi"
    "anRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NG"
    "M2LWEz"
    "MDUtNTIxMTFhZDMwMmEyIn0."
    "d1WfLjGRKlcWB94l9do4cM8REXeYJLL6SGUBO8VHZhfM8mwKYP70EMxJ67War4TQblEpaQrp11wx"
    "5p7oPFm2ETYgCicS84vXWEIYTdjooZdooCSDf2L8-i4awdoUwiEb"
    "";

const std::string spec_jwks = R"({"keys": [{"kty": "EC", "use": "sig", "crv": "P-384",
  "kid": "example-kid", "x": "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
  "y": "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI", "alg": "ES384"}]})";
const std::string spec_iss = "https://fhir-ehr.example.com/";
const std::string spec_aud = "https://cds.example.org/cds-services/some-service";
const std::int64_t spec_exp = 1422568860;

JwtVerifier &trusted(JwtVerifier &v) {
  v.trust(spec_iss, spec_jwks, "spec-jwks.json");
  return v;
}

} // namespace

TEST_CASE("jwt: the specification's example token verifies with its key", "[ehr][jwt]") {
  JwtVerifier v;
  trusted(v);
  const auto ok = v.verify(spec_token, spec_aud, spec_exp - 100);
  CHECK(ok.iss == spec_iss);
  CHECK(ok.kid == "example-kid");
  CHECK(ok.alg == "ES384");
  CHECK(ok.jti == "ee22b021-e1b7-4611-ba5b-8eec6a33ac1e");
  CHECK(ok.tenant == "2ddd6c3a-8e9a-44c6-a305-52111ad302a2");
  // The same token again: a replay.
  CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, spec_exp - 99), Catch::Contains("replay"));
}

TEST_CASE("jwt: refusals name the reason", "[ehr][jwt]") {
  JwtVerifier v;
  trusted(v);
  // Today the example has long expired (exp 1422568860 is 2015-01-29).
  CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, 1796000000), Catch::Contains("expired"));
  CHECK_THROWS_WITH(v.verify(spec_token, spec_aud + "/x", spec_exp - 100), Catch::Contains("aud"));
  // A token valid for more than an hour ahead is refused (the replay window).
  CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, spec_exp - 7200),
                    Catch::Contains("more than 3600"));
  // One changed signature character.
  std::string bad = spec_token;
  bad[bad.size() - 5] = bad[bad.size() - 5] == 'A' ? 'B' : 'A';
  CHECK_THROWS_WITH(v.verify(bad, spec_aud, spec_exp - 100), Catch::Contains("signature"));
  // Unknown issuer: an empty verifier trusts no one.
  JwtVerifier none;
  CHECK_THROWS_WITH(none.verify(spec_token, spec_aud, spec_exp - 100),
                    Catch::Contains("not a trusted"));
  CHECK_THROWS_WITH(v.verify("abc.def", spec_aud, spec_exp - 100),
                    Catch::Contains("header.payload.signature"));
  // alg none and HS256 in the header, whatever follows.
  const auto with_header = [](const std::string &h) {
    std::string out;
    static const char *b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::uint32_t buf = 0;
    int bits = 0;
    for (unsigned char c : h) {
      buf = (buf << 8) | c;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        out.push_back(b[(buf >> bits) & 63]);
      }
    }
    if (bits > 0)
      out.push_back(b[(buf << (6 - bits)) & 63]);
    return out + spec_token.substr(spec_token.find('.'));
  };
  CHECK_THROWS_WITH(v.verify(with_header(R"({"alg":"none","typ":"JWT","kid":"example-kid"})"),
                             spec_aud, spec_exp - 100),
                    Catch::Contains("unsigned"));
  CHECK_THROWS_WITH(v.verify(with_header(R"({"alg":"HS256","typ":"JWT","kid":"example-kid"})"),
                             spec_aud, spec_exp - 100),
                    Catch::Contains("HMAC"));
}

TEST_CASE("jwt: a JWK Set is refused when it cannot be trusted", "[ehr][jwt]") {
  JwtVerifier v;
  CHECK_THROWS_WITH(v.trust("i", R"({"keys": []})", "k.json"), Catch::Contains("keys"));
  CHECK_THROWS_WITH(
      v.trust("i", R"({"keys": [{"kty": "oct", "kid": "s", "k": "c2VjcmV0"}]})", "k.json"),
      Catch::Contains("HMAC"));
  // A JWK Set of one EC key: the specification's coordinates unless others are given.
  const std::string x = "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk";
  const std::string y = "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI";
  const auto ec_set = [&](const std::string &members, const std::string &kx,
                          const std::string &ky) {
    return R"({"keys": [{"kty": "EC", )" + members + R"(, "x": ")" + kx + R"(", "y": ")" + ky +
           R"("}]})";
  };
  CHECK_THROWS_WITH(v.trust("i", ec_set(R"("kid": "p", "crv": "P-384", "d": "x")", x, y), "k.json"),
                    Catch::Contains("private key"));
  // The example point with one coordinate changed is not on P-384.
  std::string off_curve = x;
  off_curve.back() = 'l';
  CHECK_THROWS_WITH(v.trust("i", ec_set(R"("kid": "c", "crv": "P-384")", off_curve, y), "k.json"),
                    Catch::Contains("point is not on P-384"));
  CHECK_THROWS_WITH(v.trust("i", ec_set(R"("crv": "P-384")", "", ""), "k.json"),
                    Catch::Contains("no kid"));
  // A coordinate shorter than its curve's size (RFC 7518 section 6.2.1.2: the full size, leading
  // zero bytes kept).
  CHECK_THROWS_WITH(v.trust("i", ec_set(R"("kid": "z", "crv": "P-384")", x.substr(2), y), "k.json"),
                    Catch::Contains("bytes; expected 48 each for P-384"));
  CHECK_THROWS_WITH(v.trust("i", ec_set(R"("kid": "w", "crv": "P-256")", x, y), "k.json"),
                    Catch::Contains("expected 32 each for P-256"));
  CHECK_THROWS_WITH(base64url_decode("a+b"), Catch::Contains("base64url"));
}

namespace {

// ES256 and ES512 tokens and their keys, signed by the npm package jose 5.10 (the mock EHR's
// library, over Node's OpenSSL) for this test: vectors titrate did not make, for the two curves
// the specification's example does not use.
struct OtherCurve {
  const char *alg;
  std::string jwks;
  std::string token;
};

const OtherCurve other_curves[] = {
    {"ES256",
     R"({"keys":[{"kty":"EC","x":"L4K2u0yianFRNglVvjJXu8eFBTWO6QHbdoq-EXk_ywI","y":"3eSMheLkJ4RxDzEBOByyW5tF-xk7tNUFJmkJpFxtNKw","crv":"P-256","kid":"k-ES256","alg":"ES256","use":"sig"}]})",
     "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImstRVMyNTYifQ.eyJqdGkiOiJqdGktRVMyNTYiLCJpc"
     "3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL"
     "2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJpYXQiOjE0MjI1NjgwMDAsImV4cCI6MTQyMjU2ODg2MH0.dCeZk"
     "06M-pAYejXgZEB-XGxgl717xzpL2S0V-rr0uFlWOrXPU2tgMO6gS1-FEBxFAJOXq49jdZaWw7i_IiX7SA"},
    {"ES512",
     R"({"keys":[{"kty":"EC","x":"AR_2yAAYqOjsdGpo2xUeo7DFphW80pax4dk912txI14pBjvh-p8fx5kX5v54GDL_feMYPs62skTQ_FgEekjALPF9","y":"AJvUKjA_089WPLk1v7_PRrQ6y1gVivbzaydxYqqWy1x4LDSl0VLHHAT1VX_5fuVO7ZICYLt02tvGcbxaJjm4ERYx","crv":"P-521","kid":"k-ES512","alg":"ES512","use":"sig"}]})",
     "eyJhbGciOiJFUzUxMiIsInR5cCI6IkpXVCIsImtpZCI6ImstRVM1MTIifQ.eyJqdGkiOiJqdGktRVM1MTIiLCJpc"
     "3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL"
     "2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJpYXQiOjE0MjI1NjgwMDAsImV4cCI6MTQyMjU2ODg2MH0.ACRHj"
     "orMwaoiEwfSip60dZwwG5zy3nhkNMhQ3dUIMsTtwxIDiJGvilmEEvYUsXIwopl5EpbxvCeTGr0cjCyKqUmJAUhS3"
     "FGUG7kcFFtXxfZoRTPXelPa_hT9GXVWtvWe94eudFADbzNkx64KTiqHoUFCbGI_tpzhEX3BlfHtw0Z7RpH1"},
};

} // namespace

TEST_CASE(
    "jwt: ES256 and ES512 tokens signed by another library verify, and a changed one does not",
    "[ehr][jwt]") {
  for (const auto &c : other_curves) {
    INFO(c.alg);
    JwtVerifier v;
    v.trust(spec_iss, c.jwks, "other.json");
    const auto ok = v.verify(c.token, spec_aud, spec_exp - 100);
    CHECK(ok.alg == c.alg);
    CHECK(ok.jti == std::string("jti-") + c.alg);
    std::string bad = c.token;
    bad[bad.size() - 3] = bad[bad.size() - 3] == 'A' ? 'B' : 'A';
    JwtVerifier fresh;
    fresh.trust(spec_iss, c.jwks, "other.json");
    CHECK_THROWS_WITH(fresh.verify(bad, spec_aud, spec_exp - 100),
                      Catch::Contains("bad signature"));
    // A signature one byte short.
    std::string shorter = c.token.substr(0, c.token.size() - 2);
    CHECK_THROWS_WITH(fresh.verify(shorter, spec_aud, spec_exp - 100),
                      Catch::Contains("ECDSA signature of") && Catch::Contains("bytes; expected"));
  }
}

namespace {

// A JWK Set served by a test "URL": what it answers now, and how often it was asked.
struct FakeJwksUrl {
  std::string answer = spec_jwks;
  bool down = false;
  int fetches = 0;
  JwtVerifier::FetchJwks fetcher() {
    return [this](const std::string &url) {
      ++fetches;
      CHECK(url == "https://fhir-ehr.example.com/jwk_uri");
      if (down)
        throw std::runtime_error("no answer (Connection)");
      return answer;
    };
  }
};

// The specification's key under another kid: a set that lacks "example-kid".
std::string renamed_set(const std::string &kid) {
  std::string s = spec_jwks;
  s.replace(s.find("example-kid"), 11, kid);
  return s;
}

const std::string spec_jku = "https://fhir-ehr.example.com/jwk_uri"; // the example's jku header

} // namespace

TEST_CASE("jwt: a client's JWK Set from its URL, fetched again for a new kid and when old",
          "[ehr][jwt]") {
  const std::int64_t t0 = spec_exp - 3000; // the example token is valid from here on
  SECTION("the example token verifies with the set at its configured URL, which its jku names") {
    FakeJwksUrl url;
    JwtVerifier v;
    v.trust_url(spec_iss, spec_jku, url.fetcher(), t0);
    CHECK(url.fetches == 1);
    CHECK(v.verify(spec_token, spec_aud, t0 + 10).kid == "example-kid");
    CHECK(url.fetches == 1); // a known kid and a fresh set: no fetch
  }
  SECTION("a key the set did not have is fetched once, then found (a rotated key)") {
    FakeJwksUrl url;
    url.answer = renamed_set("old-kid");
    JwtVerifier v;
    v.trust_url(spec_iss, spec_jku, url.fetcher(), t0);
    url.answer = spec_jwks; // the EHR rotates: the new set has example-kid
    CHECK(v.verify(spec_token, spec_aud, t0 + 100).kid == "example-kid");
    CHECK(url.fetches == 2);
  }
  SECTION("an unknown kid fetches at most once every 30 seconds") {
    FakeJwksUrl url;
    url.answer = renamed_set("old-kid");
    JwtVerifier v;
    v.trust_url(spec_iss, spec_jku, url.fetcher(), t0);
    CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, t0 + 40), Catch::Contains("not a key of"));
    CHECK(url.fetches == 2);
    CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, t0 + 69), Catch::Contains("not a key of"));
    CHECK(url.fetches == 2); // 29 s after the last attempt: not asked again
    url.answer = spec_jwks;
    CHECK(v.verify(spec_token, spec_aud, t0 + 70).kid == "example-kid");
    CHECK(url.fetches == 3);
  }
  SECTION("an hour-old set is fetched again, so a key the EHR withdrew stops working") {
    FakeJwksUrl url;
    JwtVerifier v;
    v.trust_url(spec_iss, spec_jku, url.fetcher(), t0 - 3600);
    url.answer = renamed_set("new-kid"); // example-kid withdrawn
    CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, t0), Catch::Contains("not a key of"));
    CHECK(url.fetches == 2);
  }
  SECTION("an unreachable URL: the keys are kept for a day after the last fetch, then refused") {
    FakeJwksUrl url;
    JwtVerifier v;
    v.trust_url(spec_iss, spec_jku, url.fetcher(), t0 - 86400 + 100);
    url.down = true;
    CHECK(v.verify(spec_token, spec_aud, t0).kid == "example-kid"); // 23.97 h old: still used
    CHECK(url.fetches == 2);
    JwtVerifier w;
    FakeJwksUrl gone;
    w.trust_url(spec_iss, spec_jku, gone.fetcher(), t0 - 86400);
    gone.down = true;
    CHECK_THROWS_WITH(w.verify(spec_token, spec_aud, t0),
                      Catch::Contains("could not be fetched from " + spec_jku + " for 24 hours") &&
                          Catch::Contains("no answer (Connection)"));
  }
  SECTION("the first fetch failing or giving no set is refused at start, naming the URL") {
    FakeJwksUrl url;
    url.down = true;
    JwtVerifier v;
    CHECK_THROWS_WITH(v.trust_url(spec_iss, spec_jku, url.fetcher(), t0),
                      Catch::Contains("cannot fetch the JWK Set of " + spec_iss + " from " +
                                      spec_jku + ": no answer (Connection)"));
    FakeJwksUrl empty;
    empty.answer = R"({"keys": []})";
    CHECK_THROWS_WITH(v.trust_url(spec_iss, spec_jku, empty.fetcher(), t0),
                      Catch::Contains(spec_jku + ": no \"keys\" array"));
  }
}

TEST_CASE("jwt: a token whose jku is not the client's configured URL is refused", "[ehr][jwt]") {
  // The same key configured at another URL: the example's jku header no longer matches.
  JwtVerifier v;
  const std::string other = "https://keys.fhir-ehr.example.com/jwks";
  v.trust_url(
      spec_iss, other, [](const std::string &) { return spec_jwks; }, spec_exp - 3000);
  CHECK_THROWS_WITH(v.verify(spec_token, spec_aud, spec_exp - 100),
                    Catch::Contains("jku \"" + spec_jku +
                                    "\" is not the JWK Set URL configured for " + spec_iss) &&
                        Catch::Contains("not fetched"));
  // With the set from a file the jku is not followed: the file's keys verify it.
  JwtVerifier f;
  trusted(f);
  CHECK(f.verify(spec_token, spec_aud, spec_exp - 100).kid == "example-kid");
}

TEST_CASE("jwt: a JWK Set URL is refused with the reason, before anything is fetched",
          "[ehr][jwt]") {
  using titrate::web::url_refusal;
  CHECK(url_refusal("https://ehr.example/jwks.json", "jwks_url").empty());
  CHECK(url_refusal("http://127.0.0.1:9/jwks", "jwks_url").empty()); // a test EHR on loopback
  CHECK(url_refusal("http://ehr.example/jwks", "jwks_url") ==
        "jwks_url is http:// on a host that is not loopback; titrate reads only over https");
  CHECK(url_refusal("https://ehr.example/jwks?tenant=1", "jwks_url") ==
        "jwks_url has a query or fragment (? or #); expected a plain URL without one");
  CHECK(url_refusal("https://ehr.example/jwks#keys", "jwks_url") ==
        "jwks_url has a query or fragment (? or #); expected a plain URL without one");
  CHECK(url_refusal("ftp://ehr.example/jwks", "jwks_url") == "jwks_url is not an http(s) URL");
  CHECK(url_refusal("https://user@ehr.example/jwks", "jwks_url") ==
        "jwks_url is not an http(s) URL");
}
