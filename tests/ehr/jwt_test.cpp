// JWT trust (planner/web/jwt): the CDS Hooks 2.0.1 specification's own example (section
// "Trusting CDS Clients" > "Example": its ES384 JWT and the JWK Set holding the public key) is
// verified, so the signature check is tested against a vector titrate did not make; then the
// refusals and the JWK Set checks. The mock EHR (mock_ehr.js) tests the same over HTTP.
#include "planner/core/errors.hpp"
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
  CHECK_THROWS_WITH(v.trust("i", R"({"keys": [{"kty": "EC", "kid": "p", "crv": "P-384", "d": "x",
                                     "x": "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk",
                                     "y": "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI"}]})",
                            "k.json"),
                    Catch::Contains("private key"));
  // The example point with one coordinate changed is not on P-384.
  CHECK_THROWS_AS(v.trust("i", R"({"keys": [{"kty": "EC", "kid": "c", "crv": "P-384",
                                     "x": "46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEl",
                                     "y": "XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI"}]})",
                          "k.json"),
                  InputError);
  CHECK_THROWS_WITH(
      v.trust("i", R"({"keys": [{"kty": "EC", "crv": "P-384", "x": "", "y": ""}]})", "k.json"),
      Catch::Contains("no kid"));
  CHECK_THROWS_WITH(base64url_decode("a+b"), Catch::Contains("base64url"));
}
