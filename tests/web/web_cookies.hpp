#pragma once
// What a web test reads from an answer of titrate serve to sign in as a browser would: a cookie
// the answer sets and the CSRF token of its form (the in-process server and the two processes).
#include <httplib.h>

#include <regex>
#include <string>

namespace titrate::test::web_fixture {

// "name=value" of the Set-Cookie header of `r` for cookie `name`, or "" if it sets none.
inline std::string set_cookie_pair(const httplib::Result &r, const std::string &name) {
  for (const auto &[k, v] : r->headers) {
    if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0)
      return v.substr(0, v.find(';'));
  }
  return {};
}

// The value of the hidden csrf field of a page, or "" if it has none.
inline std::string csrf_in(const std::string &html) {
  static const std::regex re(R"re(name="csrf" value="([0-9a-f]+)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

} // namespace titrate::test::web_fixture
