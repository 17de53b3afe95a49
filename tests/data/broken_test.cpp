// One broken fixture per validation rule (tests/data/broken/RULE/FILE): each is a copy of a
// shipped file with one fault. Swapped into the shipped set, it must be the only fault, reported
// as FILE:LINE: KEY: what; expected. Line numbers were counted by hand in the fixture files.
#include "planner/core/errors.hpp"
#include "planner/pathways/pathway.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace titrate;
using Catch::Contains;

namespace {

std::string stem_of(const std::string &path) {
  return std::filesystem::path(path).filename().string();
}

// The shipped formulary with `fixture` in place of the shipped file of the same name.
std::vector<TextFile> with_fixture(const std::string &rule, const std::string &file) {
  const std::string path = test::repo_root() + "/tests/data/broken/" + rule + "/" + file;
  REQUIRE(std::filesystem::exists(path));
  auto files = test::shipped_formulary_files();
  for (auto &f : files)
    if (stem_of(f.name) == file)
      f = test::read_file(path);
  return files;
}

void expect_single_fault(const std::string &rule, const std::string &file,
                         const std::string &expected) {
  INFO(rule);
  const auto files = with_fixture(rule, file);
  const auto faults = check_formulary(files);
  for (const auto &f : faults)
    UNSCOPED_INFO(f);
  REQUIRE(faults.size() == 1);
  CHECK_THAT(faults[0], Contains("broken/" + rule + "/" + file + ":" + expected));
  CHECK_THROWS_AS(load_formulary(files), DataError);
  CHECK_THROWS_WITH(load_formulary(files), Contains(expected));
}

} // namespace

TEST_CASE("broken: unknown key") {
  expect_single_fault("unknown-key", "gabapentin.toml",
                      "53: titration.increment_per_week_mg: unknown key; expected one of:");
}

TEST_CASE("broken: missing source") {
  expect_single_fault("missing-source", "duloxetine.toml", "25: strengths[2]: source: missing");
}

TEST_CASE("broken: wrong type") {
  expect_single_fault("wrong-type", "amitriptyline.toml",
                      "66: titration.target_mg: is a string; expected a number of milligrams");
}

TEST_CASE("broken: target above the maximum") {
  expect_single_fault("step-above-max", "duloxetine.toml",
                      "51: titration.target_mg: 90 mg is above the maximum daily dose 60 mg");
}

TEST_CASE("broken: a step no marketed strength can build") {
  expect_single_fault(
      "unbuildable-step", "gabapentin.toml",
      "63: titration.start[1].daily_mg: 250 mg a day in 1 dose(s) needs 250 mg per dose, "
      "which no combination of the marketed strengths (100 mg, 300 mg, 400 mg, 600 mg, 800 mg) "
      "can build");
}

TEST_CASE("broken: renal band gap") {
  expect_single_fault("renal-gap", "gabapentin.toml",
                      "82: renal: gap: bands \"CrCl more than 30 and less than 59\" and \"CrCl 60 "
                      "or more\" leave a gap");
}

TEST_CASE("broken: renal band overlap") {
  expect_single_fault("renal-overlap", "gabapentin.toml",
                      "92: renal: overlap: bands \"CrCl more than 15 and at most 30\" and \"CrCl "
                      "30 or more and less than 60\" overlap");
}

TEST_CASE("broken: unknown condition") {
  expect_single_fault(
      "unknown-condition", "amitriptyline.toml",
      "126: conditions[2].condition: \"heart-failure\" is not a known condition; expected one of:");
}

TEST_CASE("broken: unknown medication class") {
  expect_single_fault(
      "unknown-class", "duloxetine.toml",
      "212: interactions[6].class: \"antipsychotic\" is not a known medication class");
}

TEST_CASE("broken: switch rule naming an unknown drug") {
  expect_single_fault("switch-unknown-drug", "switching.toml",
                      "31: switch[3].to: \"venlafaxine\" is not a formulary drug or drug class");
}

TEST_CASE("broken: pathway naming an unknown drug") {
  const auto formulary = load_formulary(test::shipped_formulary_files());
  const std::string path =
      test::repo_root() + "/tests/data/broken/pathway-unknown-drug/cipn-esmo.toml";
  const std::vector<TextFile> files{test::read_file(path)};
  const auto faults = check_pathways(files, formulary);
  REQUIRE(faults.size() == 1);
  CHECK_THAT(
      faults[0],
      Contains("pathway-unknown-drug/cipn-esmo.toml:6: drugs: \"amitryptiline\" is not a formulary "
               "drug; expected one of: amitriptyline, duloxetine, gabapentin, nortriptyline, "
               "pregabalin"));
  CHECK_THROWS_AS(load_pathways(files, formulary), DataError);
}

TEST_CASE("broken: pathway decision parameter without source") {
  const auto formulary = load_formulary(test::shipped_formulary_files());
  const std::string path =
      test::repo_root() + "/tests/data/broken/pathway-missing-source/cipn-esmo.toml";
  const auto faults = check_pathways({test::read_file(path)}, formulary);
  REQUIRE(faults.size() == 1);
  CHECK_THAT(
      faults[0],
      Contains("pathway-missing-source/cipn-esmo.toml:15: decisions.window_days: source: missing"));
}
