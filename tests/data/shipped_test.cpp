// Every shipped formulary and pathway file loads and validates.
#include "planner/pathways/pathway.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

TEST_CASE("the shipped formulary checks clean") {
  const auto faults = check_formulary(test::shipped_formulary_files());
  for (const auto &f : faults)
    UNSCOPED_INFO(f);
  CHECK(faults.empty());
}

TEST_CASE("the shipped pathways check clean against the shipped formulary") {
  const auto formulary = load_formulary(test::shipped_formulary_files());
  const auto files = test::read_dir(test::repo_root() + "/schedules");
  const auto faults = check_pathways(files, formulary);
  for (const auto &f : faults)
    UNSCOPED_INFO(f);
  CHECK(faults.empty());
  const auto pathways = load_pathways(files, formulary);
  REQUIRE(pathways.size() == 2);
  CHECK(pathways[0].name == "cipn-esmo");
  CHECK(pathways[1].name == "nice-cg173");
}
