#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace titrate::test {

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json(const std::string &path) {
  return nlohmann::json::parse(read_file(path));
}

std::string ehr_test_path(const std::string &leaf) {
  return std::string(TITRATE_SOURCE_DIR) + "/tests/ehr/" + leaf;
}

const ehr::EhrCodes &shipped_codes() {
  static const ehr::EhrCodes c = [] {
    const std::string p = std::string(TITRATE_SOURCE_DIR) + "/formulary/ehr/codes.toml";
    return ehr::parse_ehr_codes(read_file(p), p, shipped_formulary());
  }();
  return c;
}

} // namespace titrate::test
