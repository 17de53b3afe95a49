// The trusted CDS clients file of `titrate serve --cds-clients` (cds_hooks.hpp): each issuer with
// its JWK Set from a file or from a URL, and the fetch of a URL's set (fhir_server.hpp's GET).
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/formulary/files.hpp"
#include "planner/web/cds_hooks.hpp"
#include "planner/web/fhir_server.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace titrate::web {

using nlohmann::json;

JwtVerifier::FetchJwks jwks_fetcher() {
  return [](const std::string &url) {
    const HttpGot got = http_get(url, "application/jwk-set+json, application/json",
                                 std::chrono::seconds(5), 1u << 20);
    if (!got.body)
      throw std::runtime_error(got.error);
    return *got.body;
  };
}

std::shared_ptr<JwtVerifier> load_cds_clients(const std::string &path, std::int64_t now,
                                              const JwtVerifier::FetchJwks &fetch) {
  const std::string expected = "expected {\"clients\": [{\"iss\": URL, \"jwks_file\": PATH}]} "
                               "or \"jwks_url\": URL in place of jwks_file";
  json doc;
  try {
    doc = json::parse(read_text_file(path, "--cds-clients").text);
  } catch (const json::exception &) {
    throw InputError("--cds-clients " + path + ": not JSON; " + expected);
  }
  if (!doc.is_object() || !doc.contains("clients") || !doc["clients"].is_array() ||
      doc["clients"].empty()) {
    throw InputError("--cds-clients " + path + ": no \"clients\" array; " + expected);
  }
  auto v = std::make_shared<JwtVerifier>();
  const auto dir = std::filesystem::path(path).parent_path();
  int n = 0;
  for (const auto &c : doc["clients"]) {
    ++n;
    const std::string at = "--cds-clients " + path + ": client " + std::to_string(n);
    const auto text = [&c](const char *k) { return c.contains(k) && c[k].is_string(); };
    if (!c.is_object() || !text("iss") || c["iss"].get<std::string>().empty() ||
        text("jwks_file") == text("jwks_url")) {
      throw InputError(at + ": expected {\"iss\": URL, \"jwks_file\": PATH} or {\"iss\": URL, "
                            "\"jwks_url\": URL} (exactly one of jwks_file and jwks_url)");
    }
    const std::string iss = c["iss"].get<std::string>();
    try {
      if (text("jwks_url")) {
        const std::string url = c["jwks_url"].get<std::string>();
        if (const std::string refusal =
                url_refusal(url, "jwks_url \"" + printable(url, 120) + "\"");
            !refusal.empty()) {
          throw InputError(refusal);
        }
        v->trust_url(iss, url, fetch, now);
      } else {
        const auto file = (dir / c["jwks_file"].get<std::string>()).string();
        v->trust(iss, read_text_file(file, "jwks_file").text, file);
      }
    } catch (const InputError &e) {
      throw InputError(at + ": " + e.what());
    }
  }
  return v;
}

} // namespace titrate::web
