#pragma once
// The CDS Hooks 2.0 service of `titrate serve`, mounted at /cds-services beside the
// clinic pages (same process, same store, same lock): discovery, patient-view, order-select,
// order-sign and each service's feedback endpoint. Every call must carry a JWT signed by a CDS
// client the clinic trusts (jwt.hpp), unless the operator started the server in the local test
// mode (`--cds-unsigned-local-test`, loopback only). What the order services need and the EHR
// did not prefetch is read from the request's fhirServer with its fhirAuthorization token, used
// for that request only and never stored or logged (fhir_server.hpp); what neither gives is a
// 412 with an OperationOutcome (CDS Hooks 2.0 §CDS Service Response).
#include "planner/ehr/codes.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/repository_pool.hpp"
#include "planner/web/jwt.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace httplib {
class Server;
}

namespace titrate::web {

struct CdsConfig {
  // This service's public base URL (scheme, host, port, no trailing slash): the JWT `aud` is
  // base_url + the path called, and card links point at base_url + /clinic/patients/ID.
  std::string base_url;
  std::shared_ptr<JwtVerifier> verifier; // trusted clients; empty: every signed call is refused
  bool allow_unsigned = false;           // local test mode: a call without Authorization passes
  std::shared_ptr<const ehr::EhrCodes> codes;
};

// The trusted CDS clients file (JSON): {"clients": [{"iss": URL, "jwks_file": PATH}]}, PATH
// relative to the file's folder, or "jwks_url": URL in place of jwks_file (https, or http on a
// loopback host for a test EHR; fetched at `now` with `fetch`, and again as jwt.hpp says).
// InputError naming the file and the entry otherwise.
std::shared_ptr<JwtVerifier> load_cds_clients(const std::string &path, std::int64_t now,
                                              const JwtVerifier::FetchJwks &fetch);
// Fetches a JWK Set over HTTP(S) (fhir_server.hpp's rules: no redirects, 5 s, 1 MiB).
JwtVerifier::FetchJwks jwks_fetcher();

struct CdsMount {
  RepositoryPool &repo; // each call leases one connection (RepositoryPool::Lease)
  const Formulary &formulary;
  const std::vector<Pathway> &pathways;
  std::function<Date()> today;
  std::function<std::int64_t()> now;
  CdsConfig config;
};

// Adds the /cds-services routes to `svr`. The mount must outlive the server.
void mount_cds_hooks(httplib::Server &svr, CdsMount &mount);

} // namespace titrate::web
