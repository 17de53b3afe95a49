// Pathway loading: the shipped pathways carry clinical.md A6 figures (by hand) and the order of
// ESMO / NICE CG173; faults name file, line and key.
#include "planner/core/errors.hpp"
#include "planner/pathways/pathway.hpp"
#include "tests/common/text_edits.hpp"
#include "tests/common/thrown.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using Catch::Contains;
using titrate::test::parse_error_of;
using titrate::test::replaced;

namespace {

const Formulary &formulary() {
  static const Formulary f = load_formulary(test::shipped_formulary_files());
  return f;
}

std::vector<Pathway> shipped() {
  return load_pathways(test::read_dir(test::repo_root() + "/schedules"), formulary());
}

const char *kPathway = R"(title = "T"
drugs = ["duloxetine", "gabapentin"]
first_line = ["duloxetine"]
after_last = "refer"
source = "T"
[decisions.min_days_at_target]
value = 14
source = "A6"
[decisions.window_days]
value = 7
source = "A6"
[decisions.min_days_with_scores]
value = 4
source = "A6"
[decisions.baseline_days]
value = 7
source = "A6"
[decisions.baseline_min_days]
value = 3
source = "A6"
[decisions.response_pct]
value = 30
source = "IMMPACT"
[decisions.substantial_pct]
value = 50.0
source = "IMMPACT"
[decisions.extension_days]
value = 7
source = "A6"
[decisions.max_extensions]
value = 2
source = "A6"
[decisions.maintenance_review_days]
value = 56
source = "project rule"
verified = false
)";

const auto error_of = parse_error_of<DataError>([](const std::string &text) {
  return parse_pathway({"s/p.toml", text}, formulary());
});

} // namespace

TEST_CASE("cipn-esmo: duloxetine, then gabapentin, then amitriptyline, duloxetine first line") {
  const auto all = shipped();
  REQUIRE(all.size() == 2);
  const Pathway &p = all[0];
  CHECK(p.name == "cipn-esmo");
  CHECK(p.drugs == std::vector<std::string>{"duloxetine", "gabapentin", "amitriptyline"});
  CHECK(p.first_line == std::vector<std::string>{"duloxetine"});
  CHECK_THAT(p.after_last, Contains("refer"));
  CHECK_THAT(p.source_file, Contains("schedules/cipn-esmo.toml"));
}

TEST_CASE("nice-cg173: any of four first line") {
  const Pathway p = shipped()[1];
  CHECK(p.name == "nice-cg173");
  CHECK(p.drugs.size() == 4);
  CHECK(p.first_line.size() == 4);
  CHECK(std::count(p.drugs.begin(), p.drugs.end(), "pregabalin") == 1);
  CHECK(std::count(p.drugs.begin(), p.drugs.end(), "nortriptyline") == 0);
}

TEST_CASE("both pathways carry the clinical.md A6 decision parameters with sources") {
  for (const auto &p : shipped()) {
    INFO(p.name);
    const auto &d = p.decisions;
    CHECK(d.min_days_at_target.value == 14);
    CHECK(d.window_days.value == 7);
    CHECK(d.min_days_with_scores.value == 4);
    CHECK(d.baseline_days.value == 7);
    CHECK(d.baseline_min_days.value == 3);
    CHECK(d.response_pct.value == 30.0);
    CHECK(d.substantial_pct.value == 50.0);
    CHECK(d.extension_days.value == 7);
    CHECK(d.max_extensions.value == 2);
    // No source gives a maintenance review interval: a project rule, shown as unverified.
    CHECK(d.maintenance_review_days.value == 56);
    CHECK_FALSE(d.maintenance_review_days.cite.verified);
    CHECK_THAT(d.maintenance_review_days.cite.source, Contains("project rule"));
    CHECK_THAT(d.response_pct.cite.source, Contains("IMMPACT"));
    CHECK_FALSE(d.window_days.cite.source.empty());
  }
}

TEST_CASE("a minimal pathway parses, integers and decimals both work for percentages") {
  const Pathway p = parse_pathway({"s/mine.toml", kPathway}, formulary());
  CHECK(p.name == "mine");
  CHECK(p.decisions.substantial_pct.value == 50.0);
  CHECK(p.decisions.response_pct.value == 30.0);
}

TEST_CASE("pathway faults name file, line and key") {
  CHECK_THAT(error_of(replaced(kPathway, "\"gabapentin\"]", "\"venlafaxine\"]")),
             Contains("s/p.toml:2: drugs: \"venlafaxine\" is not a formulary drug; expected one "
                      "of: amitriptyline"));
  CHECK_THAT(error_of(replaced(kPathway, "first_line = [\"duloxetine\"]",
                               "first_line = [\"pregabalin\"]")),
             Contains("s/p.toml:3: first_line: \"pregabalin\" is not in drugs"));
  CHECK_THAT(error_of(replaced(kPathway, "value = 4\n", "value = 4\nnote = \"x\"\n")),
             Contains("s/p.toml:14: decisions.min_days_with_scores.note: unknown key"));
  CHECK_THAT(
      error_of(replaced(kPathway, "value = 7\nsource = \"A6\"\n[decisions.min_days_with_scores]",
                        "value = 7\n[decisions.min_days_with_scores]")),
      Contains("s/p.toml:9: decisions.window_days: source: missing"));
  CHECK_THAT(
      error_of(replaced(kPathway, "value = 14\n", "value = \"14\"\n")),
      Contains(
          "s/p.toml:7: decisions.min_days_at_target.value: is a string; expected a whole number"));
  CHECK_THAT(error_of(replaced(kPathway, "value = 30\n", "value = 130\n")),
             Contains("s/p.toml:22: decisions.response_pct.value:") && Contains("out of range"));
  CHECK_THAT(
      error_of(replaced(kPathway, "[decisions.max_extensions]\nvalue = 2\nsource = \"A6\"\n", "")),
      Contains("s/p.toml:6: decisions.max_extensions: missing"));
  CHECK_THAT(error_of(replaced(kPathway, "title = \"T\"\n", "")), Contains("title: missing"));
  CHECK_THAT(error_of(replaced(kPathway, "value = 56\n", "value = 3\n")),
             Contains("decisions.maintenance_review_days.value:"));
}

TEST_CASE("check_pathways collects the faults of every file") {
  const std::vector<TextFile> files{
      {"s/a.toml", replaced(kPathway, "\"gabapentin\"]", "\"venlafaxine\"]")},
      {"s/b.toml", replaced(kPathway, "title = \"T\"\n", "title = \"T\"\ncolour = 1\n")},
      {"s/c.toml", kPathway}};
  const auto faults = check_pathways(files, formulary());
  REQUIRE(faults.size() == 2);
  CHECK_THAT(faults[0], Contains("s/a.toml:2: drugs"));
  CHECK_THAT(faults[1], Contains("s/b.toml:2: colour: unknown key"));
  CHECK_THROWS_AS(load_pathways(files, formulary()), DataError);
  CHECK(check_pathways({files[2]}, formulary()).empty());
}
