#pragma once
// Reading what a CDS Hooks request's prefetch lacks from the EHR's FHIR server (CDS Hooks 2.0
// §"FHIR Resource Access": the request's fhirServer, with the access token of fhirAuthorization
// as a Bearer token). The token is used for that request only: never stored, never logged, never
// put in a message.
//
// Only https:// servers are called, and http:// on a loopback host (127.0.0.1, ::1, localhost)
// for a test EHR on the same machine; redirects are not followed; each read has a time limit and
// a size limit. A read that fails is reported as a reason, never as a guessed value.
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace titrate::web {

struct FhirServerAccess {
  std::string base;         // fhirServer, e.g. https://ehr.example.org/fhir
  std::string bearer_token; // fhirAuthorization.access_token ("" without one)
};

struct FhirRead {
  std::string query;                      // what was read, relative to the base
  std::optional<nlohmann::json> resource; // the answer (a resource or Bundle)
  std::string error;                      // else why not, e.g. "HTTP 404", "timed out"
};

// Whether `url` may be called under the rules above; "" if so, else why not, naming it `what`.
std::string url_refusal(const std::string &url, const std::string &what);

// Whether `host` (of a URL, or of `serve --listen`) is this machine: 127.0.0.1, localhost, ::1.
bool loopback_host(const std::string &host);
// Whether `base` may be called; "" if so, else why not (for the card or the 412's detail).
std::string fhir_server_refusal(const std::string &base);

struct HttpGot {
  std::optional<std::string> body; // the answer's body (status 200)
  std::string error;               // else why not, e.g. "HTTP 404", "no answer (...)"
};
// One GET of `url` (no query string) under the rules above, without credentials, within `limit`
// and `max_bytes`. Never throws for a server's fault.
HttpGot http_get(const std::string &url, const std::string &accept, std::chrono::milliseconds limit,
                 std::size_t max_bytes);

// Reads each query (e.g. "Observation?patient=p1&code=...") from the server, at once, each within
// `limit`; the answers in the order of `queries`. Never throws for a server's fault.
std::vector<FhirRead> read_fhir(const FhirServerAccess &access,
                                const std::vector<std::string> &queries,
                                std::chrono::milliseconds limit);

} // namespace titrate::web
