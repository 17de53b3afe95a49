// Shared by the PostgreSQL store and table access (planner/store/postgres/pg_common.hpp).
#include "planner/store/postgres/pg_common.hpp"

namespace titrate {

std::vector<std::string> pg_url_secrets(const std::string &url) {
  std::vector<std::string> out;
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos)
    return out;
  const std::size_t begin = scheme + 3;
  const std::size_t path = url.find_first_of("/?", begin);
  const std::size_t at = url.rfind('@', path == std::string::npos ? url.size() : path);
  if (at != std::string::npos && at >= begin) {
    const std::size_t colon = url.find(':', begin);
    if (colon != std::string::npos && colon < at && at > colon + 1) {
      out.push_back(url.substr(colon + 1, at - colon - 1));
    }
  }
  for (std::size_t pos = url.find("password="); pos != std::string::npos;
       pos = url.find("password=", pos + 1)) {
    const std::size_t b = pos + 9;
    const std::size_t e = url.find('&', b);
    if (e != b)
      out.push_back(url.substr(b, e == std::string::npos ? std::string::npos : e - b));
  }
  return out;
}

std::string pg_scrub(std::string message, const std::vector<std::string> &secrets) {
  for (const auto &s : secrets) {
    if (s.empty())
      continue;
    for (std::size_t p = message.find(s); p != std::string::npos; p = message.find(s, p + 3)) {
      message.replace(p, s.size(), "***");
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  return message;
}

} // namespace titrate
