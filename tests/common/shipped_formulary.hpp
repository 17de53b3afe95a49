#pragma once
// Shared by the tests that run against the shipped formulary/ files (safety scenarios, ehr): the
// files are read from the source tree (the library never reads them) in name order and loaded
// once per test executable.
#include "planner/formulary/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace titrate::test {

inline const Formulary &shipped_formulary() {
  static const Formulary f = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(TITRATE_SOURCE_DIR) / "formulary";
    std::vector<std::string> paths;
    for (const auto &e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".toml")
        paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
    std::vector<TextFile> files;
    for (const auto &p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      files.push_back({p, s.str()});
    }
    return load_formulary(files);
  }();
  return f;
}

} // namespace titrate::test
