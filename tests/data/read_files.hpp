#pragma once
// Test helper: reads data files the way the CLI does (every *.toml directly in a folder, sorted),
// so the pure loaders can be tested on the shipped files and on fixtures.
#include "planner/formulary/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace titrate::test {

inline std::string repo_root() {
  // TITRATE_TEST_DATA is <repo>/tests/<module>/data; the repo root is three levels up.
  return std::filesystem::path(TITRATE_TEST_DATA)
      .parent_path()
      .parent_path()
      .parent_path()
      .string();
}

inline TextFile read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return {path, s.str()};
}

inline std::vector<TextFile> read_dir(const std::string &dir) {
  std::vector<std::string> paths;
  for (const auto &e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".toml")
      paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  std::vector<TextFile> out;
  for (const auto &p : paths)
    out.push_back(read_file(p));
  return out;
}

inline std::vector<TextFile> shipped_formulary_files() {
  return read_dir(repo_root() + "/formulary");
}

} // namespace titrate::test
