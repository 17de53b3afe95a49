#pragma once
// The "--name value" options of the benchmark programs. A name that is not known, a name given
// last without its value, or a value its option refuses (a count that is not a whole number) is
// named on stderr with what was expected, and the program exits 2 before it measures anything.
#include <charconv>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct Option {
  std::string_view name; // "--courses"
  std::string_view what; // "a whole number of courses", shown when the value is refused
  std::function<bool(const std::string &)> set; // false: the value is refused
};

// A whole number from `lo` up that fits `out`'s type, into `out`.
template <typename N> std::function<bool(const std::string &)> whole(N &out, N lo) {
  return [&out, lo](const std::string &v) {
    N n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < lo)
      return false;
    out = n;
    return true;
  };
}

inline std::function<bool(const std::string &)> text(std::string &out) {
  return [&out](const std::string &v) {
    out = v;
    return !v.empty();
  };
}

// Reads argv[1..]; true when every option was known and took its value.
inline bool read_options(int argc, char **argv, std::string_view program,
                         const std::vector<Option> &options) {
  std::string names;
  for (const auto &o : options)
    names += (names.empty() ? "" : ", ") + std::string(o.name);
  for (int i = 1; i < argc; i += 2) {
    const std::string k = argv[i];
    const Option *opt = nullptr;
    for (const auto &o : options)
      if (o.name == k)
        opt = &o;
    if (!opt) {
      std::cerr << program << ": unknown option " << k << "; expected " << names << "\n";
      return false;
    }
    if (i + 1 >= argc) {
      std::cerr << program << ": " << k << ": missing its value; expected " << opt->what << "\n";
      return false;
    }
    if (!opt->set(argv[i + 1])) {
      std::cerr << program << ": " << k << ": \"" << argv[i + 1] << "\" is not " << opt->what
                << "\n";
      return false;
    }
  }
  return true;
}

} // namespace bench
