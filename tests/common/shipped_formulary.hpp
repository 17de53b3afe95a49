#pragma once
// Shared by the tests that run against the shipped data (safety scenarios, scheduling,
// assessment, web, ehr): the formulary/ and schedules/ folders of the source tree (the library
// never reads them), read as the CLI reads a folder (read_toml_dir) and loaded once per test
// executable.
#include "planner/core/errors.hpp"
#include "planner/formulary/files.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/pathways/pathway.hpp"

#include <string>
#include <vector>

namespace titrate::test {

inline const Formulary &shipped_formulary() {
  static const Formulary f =
      load_formulary(read_toml_dir(std::string(TITRATE_SOURCE_DIR) + "/formulary"));
  return f;
}

inline const std::vector<Pathway> &shipped_pathways() {
  static const std::vector<Pathway> all = load_pathways(
      read_toml_dir(std::string(TITRATE_SOURCE_DIR) + "/schedules"), shipped_formulary());
  return all;
}

inline const Pathway &shipped_pathway(const std::string &name = "cipn-esmo") {
  for (const auto &p : shipped_pathways())
    if (p.name == name)
      return p;
  throw NotFoundError("test: no pathway " + name);
}

} // namespace titrate::test
