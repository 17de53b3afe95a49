#include "planner/formulary/files.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace titrate {

namespace fs = std::filesystem;

TextFile read_text_file(const std::string &path, const std::string &what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw InputError(what + ": " + path + " is a directory; expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(what + ": cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return {path, s.str()};
}

std::vector<TextFile> read_toml_dir(const std::string &dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError("data folder: " + dir + " is not a readable directory");
  }
  std::vector<std::string> paths;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<TextFile> files;
  for (const auto &p : paths)
    files.push_back(read_text_file(p, "data file"));
  return files;
}

} // namespace titrate
