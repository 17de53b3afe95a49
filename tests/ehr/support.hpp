#pragma once
// Shared by the ehr tests: the shipped formulary and EHR code map, read from the source tree.
#include "planner/ehr/codes.hpp"
#include "planner/formulary/loader.hpp"
#include "tests/common/shipped_formulary.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace titrate::test {

const ehr::EhrCodes &shipped_codes();
std::string read_file(const std::string &path);
nlohmann::json read_json(const std::string &path);
// tests/ehr/<leaf>
std::string ehr_test_path(const std::string &leaf);

} // namespace titrate::test
