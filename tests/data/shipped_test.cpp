// Every shipped formulary and pathway file loads and validates.
#include "planner/pathways/pathway.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

TEST_CASE("the shipped formulary checks clean") {
  const auto faults = check_formulary(test::shipped_formulary());
  for (const auto &f : faults) UNSCOPED_INFO(f);
  CHECK(faults.empty());
}
