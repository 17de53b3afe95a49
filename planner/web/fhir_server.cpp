// Reads from the EHR's FHIR server (fhir_server.hpp) with cpp-httplib's client (Debian's build
// has TLS through OpenSSL, checking the server's certificate against the system's CAs).
#include "planner/web/fhir_server.hpp"

#include <httplib.h>

#include <future>

namespace titrate::web {
namespace {

constexpr std::size_t fhir_read_max_bytes = 8u << 20; // 8 MiB: a prefetch-sized search answer

struct ServerUrl {
  std::string scheme_host_port; // https://host:port
  std::string path;             // /fhir (no trailing slash)
  std::string host;
  bool https = false;
};

std::optional<ServerUrl> split_url(const std::string &base) {
  ServerUrl u;
  std::string rest;
  if (base.rfind("https://", 0) == 0) {
    u.https = true;
    rest = base.substr(8);
  } else if (base.rfind("http://", 0) == 0) {
    rest = base.substr(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (authority.empty() || authority.find('@') != std::string::npos ||
      authority.find_first_of(" \t\r\n?#") != std::string::npos)
    return std::nullopt;
  u.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u.path.empty() && u.path.back() == '/')
    u.path.pop_back();
  if (u.path.find_first_of(" \t\r\n?#") != std::string::npos)
    return std::nullopt;
  u.scheme_host_port = (u.https ? "https://" : "http://") + authority;
  if (authority.front() == '[') {
    u.host = authority.substr(0, authority.find(']') + 1);
  } else {
    u.host = authority.substr(0, authority.find(':'));
  }
  return u;
}

// One GET of `target` (path and query) on `u` under the rules of fhir_server.hpp.
HttpGot get(const ServerUrl &u, const std::string &target, const std::string &token,
            const std::string &accept, std::chrono::milliseconds limit, std::size_t max_bytes) {
  HttpGot out;
  httplib::Client cli(u.scheme_host_port);
  const auto secs = static_cast<time_t>(limit.count() / 1000);
  const auto usecs = static_cast<time_t>((limit.count() % 1000) * 1000);
  cli.set_connection_timeout(secs, usecs);
  cli.set_read_timeout(secs, usecs);
  cli.set_write_timeout(secs, usecs);
  cli.set_follow_location(false);
  if (!token.empty())
    cli.set_bearer_token_auth(token);
  std::string body;
  bool too_big = false;
  auto res =
      cli.Get(target, httplib::Headers{{"Accept", accept}}, [&](const char *data, std::size_t n) {
        if (body.size() + n > max_bytes) {
          too_big = true;
          return false;
        }
        body.append(data, n);
        return true;
      });
  if (too_big) {
    out.error = "the answer is larger than " + (max_bytes % (1u << 20) == 0
                                                    ? std::to_string(max_bytes >> 20) + " MiB"
                                                    : std::to_string(max_bytes >> 10) + " KiB");
    return out;
  }
  if (!res) {
    out.error = "no answer (" + httplib::to_string(res.error()) + ")";
    return out;
  }
  if (res->status != 200) {
    out.error = "HTTP " + std::to_string(res->status);
    return out;
  }
  out.body = std::move(body);
  return out;
}

FhirRead read_one(const ServerUrl &u, const std::string &token, const std::string &query,
                  std::chrono::milliseconds limit) {
  std::string target = u.path + "/";
  for (char c : query)
    target += c == '|' ? std::string("%7C") : std::string(1, c); // a token's system|code
  HttpGot got = get(u, target, token, "application/fhir+json", limit, fhir_read_max_bytes);
  FhirRead out{query, std::nullopt, std::move(got.error)};
  if (!got.body)
    return out;
  auto doc = nlohmann::json::parse(*got.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("resourceType") ||
      !doc["resourceType"].is_string()) {
    out.error = "the answer is not a FHIR resource in JSON";
    return out;
  }
  out.resource = std::move(doc);
  return out;
}

} // namespace

bool loopback_host(const std::string &host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

std::string url_refusal(const std::string &url, const std::string &what) {
  const auto u = split_url(url);
  if (!u && (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) &&
      url.find_first_of("?#") != std::string::npos) {
    return what + " has a query or fragment (? or #); expected a plain URL without one";
  }
  if (!u)
    return what + " is not an http(s) URL";
  if (!u->https && !loopback_host(u->host))
    return what + " is http:// on a host that is not loopback; titrate reads only over https";
  return "";
}

std::string fhir_server_refusal(const std::string &base) {
  return url_refusal(base, "fhirServer");
}

HttpGot http_get(const std::string &url, const std::string &accept, std::chrono::milliseconds limit,
                 std::size_t max_bytes) {
  if (std::string refusal = url_refusal(url, url); !refusal.empty())
    return HttpGot{std::nullopt, std::move(refusal)};
  const ServerUrl u = *split_url(url);
  return get(u, u.path.empty() ? "/" : u.path, "", accept, limit, max_bytes);
}

std::vector<FhirRead> read_fhir(const FhirServerAccess &access,
                                const std::vector<std::string> &queries,
                                std::chrono::milliseconds limit) {
  std::vector<FhirRead> out;
  const std::string refusal = fhir_server_refusal(access.base);
  if (!refusal.empty()) {
    for (const auto &q : queries)
      out.push_back({q, std::nullopt, refusal});
    return out;
  }
  const ServerUrl u = *split_url(access.base);
  std::vector<std::future<FhirRead>> reads;
  for (const auto &q : queries)
    reads.push_back(std::async(std::launch::async, [&u, &access, q, limit] {
      return read_one(u, access.bearer_token, q, limit);
    }));
  for (auto &r : reads)
    out.push_back(r.get());
  return out;
}

} // namespace titrate::web
