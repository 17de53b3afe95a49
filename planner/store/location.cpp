// Location kinds and redaction (planner/store/location.hpp).
#include "planner/store/location.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

void require_supported_location(const std::string &location) {
  if (location.empty()) {
    throw InputError("database location: empty; give a file path or a postgresql:// URL");
  }
  if (location.find("://") != std::string::npos && !is_postgres_location(location)) {
    throw InputError("database location " + redact_location(location) +
                     ": not a supported URL; expected postgresql://... or a SQLite file path");
  }
}

bool is_postgres_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redact_location(const std::string &location) {
  // Any URL, not only PostgreSQL's: a mistyped scheme must not print its password either.
  if (location.find("://") == std::string::npos)
    return location;
  std::string out = location;
  // user:password@host: the userinfo ends at the first '@' before the path.
  const std::size_t scheme_end = out.find("://") + 3;
  const std::size_t path = out.find_first_of("/?", scheme_end);
  const std::size_t at = out.rfind('@', path == std::string::npos ? out.size() : path);
  if (at != std::string::npos && at >= scheme_end) {
    const std::size_t colon = out.find(':', scheme_end);
    if (colon != std::string::npos && colon < at)
      out.replace(colon + 1, at - colon - 1, "***");
  }
  // ?password=...&... in the query string.
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const std::size_t begin = pos + 9;
    const std::size_t end = out.find('&', begin);
    out.replace(begin, (end == std::string::npos ? out.size() : end) - begin, "***");
  }
  return out;
}

} // namespace titrate
