// Loader/validator unit tests on small inline files: each validation rule rejects with
// "FILE:LINE: KEY: what; expected ...". Line numbers are counted by hand in the texts below.
#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"
#include "tests/common/text_edits.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using Catch::Contains;
using titrate::test::check_edit_messages;
using titrate::test::parse_error_of;
using titrate::test::replaced;
using titrate::test::thrown_message;

namespace {

const char *kVocabulary = R"([conditions]
terms = ["heart-block", "falls-history"]
source = "T"
[classes]
source = "T"
maoi = "MAOI"
gabapentinoid = "gabapentinoid"
[medications]
source = "T"
phenelzine = ["maoi"]
[drugs]
source = "T"
[drugs.testdrug]
class = "gabapentinoid"
classes = ["gabapentinoid"]
)";

// Line numbers (1-based) are noted where tests rely on them.
const char *kDrug = R"(name = "testdrug"
drug_class = "gabapentinoid"
[rxnorm]
rxcui = "1"
source = "T"
[[strengths]]
mg = 100
form = "capsule"
source = "T"
[titration]
increment_mg = 100
interval_days = 7
min_interval_days = 3
target_mg = 300
escalation_mg = [600]
max_daily_mg = 600
times = ["morning"]
source = "T"
[[titration.start]]
daily_mg = 100
days = 7
source = "T"
[[renal]]
lower = 0
lower_inclusive = true
upper = 30
upper_inclusive = false
severity = "avoid"
text = "low"
source = "T"
[[renal]]
lower = 30
lower_inclusive = true
severity = "ok"
text = "rest"
source = "T"
[[conditions]]
condition = "heart-block"
severity = "avoid"
text = "no"
source = "T"
[[interactions]]
class = "maoi"
washout_days = 14
severity = "avoid"
text = "no"
source = "T"
[adverse_effects]
not_tolerated = ["dizziness"]
source = "T"
[taper]
kind = "decrement"
decrement_mg = 100
interval_days = 7
source = "T"
)";
// line 7: mg = 100 | 14: target_mg | 19: [[titration.start]] | 20: daily_mg | 23: [[renal]] #1
// 26: upper = 30 | 31: [[renal]] #2 | 32: lower = 30 | 37: [[conditions]] | 38: condition
// 42: [[interactions]] | 43: class

Vocabulary vocab() {
  return parse_vocabulary({"f/vocabulary.toml", kVocabulary});
}

Monograph parse(const std::string &text) {
  return parse_monograph({"f/testdrug.toml", text}, vocab());
}

const auto error_of = parse_error_of<DataError>(parse);

} // namespace

TEST_CASE("a valid minimal monograph parses onto the model") {
  const Monograph m = parse(kDrug);
  CHECK(m.name == "testdrug");
  CHECK(m.rxcui == "1");
  REQUIRE(m.strengths.size() == 1);
  CHECK(m.strengths[0].dose == Dose::milligrams(100));
  CHECK(m.titration.target == Dose::milligrams(300));
  CHECK(m.renal.size() == 2);
  CHECK(m.conditions[0].rule.id == "condition.heart-block");
  CHECK(m.interactions[0].rule.id == "interaction.maoi");
  CHECK(m.interactions[0].washout_days == 14);
  CHECK(m.source_file == "f/testdrug.toml");
}

TEST_CASE("decimal milligrams are exact") {
  const Monograph m = parse(replaced(kDrug, "mg = 100\n", "mg = 100.0\n"));
  CHECK(m.strengths[0].dose == Dose::milligrams(100));
}

TEST_CASE("an unknown key is rejected with file, line, key and the expected keys") {
  const auto e =
      error_of(replaced(kDrug, "form = \"capsule\"\n", "form = \"capsule\"\ncolour = \"red\"\n"));
  CHECK_THAT(e, Contains("f/testdrug.toml:9: strengths[1].colour: unknown key; expected one of:") &&
                    Contains("splittable"));
}

TEST_CASE("a table without source is rejected") {
  const auto e =
      error_of(replaced(kDrug, "form = \"capsule\"\nsource = \"T\"\n", "form = \"capsule\"\n"));
  CHECK_THAT(e, Contains("f/testdrug.toml:6: strengths[1]: source: missing") &&
                    Contains("GAB-US 2.3"));
}

TEST_CASE("an empty source is rejected") {
  const auto e = error_of(
      replaced(kDrug, "form = \"capsule\"\nsource = \"T\"", "form = \"capsule\"\nsource = \"\""));
  CHECK_THAT(e, Contains("f/testdrug.toml:9: strengths[1].source: is empty"));
}

TEST_CASE("a wrong type is rejected naming the type expected") {
  const auto e = error_of(replaced(kDrug, "mg = 100\n", "mg = \"100\"\n"));
  CHECK_THAT(
      e,
      Contains("f/testdrug.toml:7: strengths[1].mg: is a string; expected a number of milligrams"));
  const auto e2 = error_of(replaced(kDrug, "\ndays = 7\n", "\ndays = 7.5\n"));
  CHECK_THAT(e2, Contains("f/testdrug.toml:21: titration.start[1].days: is a decimal number; "
                          "expected a whole number"));
}

TEST_CASE("a missing required key is rejected") {
  const auto e = error_of(replaced(kDrug, "target_mg = 300\n", ""));
  CHECK_THAT(e, Contains("f/testdrug.toml:10: titration.target_mg: missing"));
}

TEST_CASE("target, escalation and opening steps above the maximum are rejected") {
  CHECK_THAT(error_of(replaced(kDrug, "target_mg = 300", "target_mg = 700")),
             Contains("f/testdrug.toml:14: titration.target_mg: 700 mg is above the maximum daily "
                      "dose 600 mg"));
  CHECK_THAT(error_of(replaced(kDrug, "escalation_mg = [600]", "escalation_mg = [800]")),
             Contains("f/testdrug.toml:15: titration.escalation_mg: 800 mg is above the maximum "
                      "daily dose 600 mg"));
  CHECK_THAT(error_of(replaced(kDrug, "daily_mg = 100", "daily_mg = 1000")),
             Contains("f/testdrug.toml:20: titration.start[1].daily_mg: 1,000 mg is above the "
                      "maximum daily dose 600 mg"));
}

TEST_CASE("a step no combination of strengths can build is rejected") {
  // Only 100 mg capsules: 150 mg per dose cannot be built.
  CHECK_THAT(error_of(replaced(kDrug, "daily_mg = 100", "daily_mg = 150")),
             Contains("f/testdrug.toml:20: titration.start[1].daily_mg: 150 mg a day in 1 dose(s) "
                      "needs 150 mg per "
                      "dose, which no combination of the marketed strengths (100 mg) can build"));
  // Twice daily: the 100 mg opening step would need 50 mg a dose.
  CHECK_THAT(
      error_of(replaced(kDrug, "times = [\"morning\"]", "times = [\"morning\", \"evening\"]")),
      Contains("f/testdrug.toml:20: titration.start[1].daily_mg: 100 mg a day in 2 dose(s) needs "
               "50 mg per dose"));
}

TEST_CASE("a monograph's times of day are the enum's words, each once") {
  const std::string noon = error_of(replaced(kDrug, "times = [\"morning\"]", "times = [\"noon\"]"));
  CHECK_THAT(noon, Contains("\"noon\" is not a time of day; expected morning, midday, evening or "
                            "bedtime"));
  CHECK_THAT(
      error_of(replaced(kDrug, "times = [\"morning\"]", "times = [\"morning\", \"morning\"]")),
      Contains("\"morning\" appears twice; expected each time of day once"));
}

TEST_CASE("a scored tablet marked splittable builds half doses, a capsule may not be split") {
  const std::string tablet =
      replaced(kDrug, "form = \"capsule\"", "form = \"tablet\"\nsplittable = true");
  CHECK_NOTHROW(parse(replaced(tablet, "daily_mg = 100", "daily_mg = 150")));
  CHECK_THAT(
      error_of(replaced(kDrug, "form = \"capsule\"", "form = \"capsule\"\nsplittable = true")),
      Contains("strengths[1].splittable: a capsule cannot be split"));
}

TEST_CASE("a renal band gap is rejected") {
  check_edit_messages(
      kDrug,
      {{"lower = 30\nlower_inclusive = true",
        "lower = 30\nlower_inclusive = false",
        {"f/testdrug.toml:31: renal: gap: bands \"CrCl less than 30\" and \"CrCl more than 30\" "
         "leave a gap"}},
       {"lower = 30\n", "lower = 40\n", {"f/testdrug.toml:31: renal: gap:"}},
       {"lower = 0\n", "lower = 5\n", {"f/testdrug.toml:23: renal: gap: CrCl from 0"}}},
      error_of);
}

TEST_CASE("a renal band overlap is rejected") {
  check_edit_messages(kDrug,
                      {{"upper = 30\nupper_inclusive = false",
                        "upper = 30\nupper_inclusive = true",
                        {"f/testdrug.toml:31: renal: overlap: bands \"CrCl at most 30\" and "
                         "\"CrCl 30 or more\" overlap"}},
                       {"upper = 30\n", "upper = 45\n", {"f/testdrug.toml:31: renal: overlap:"}}},
                      error_of);
}

TEST_CASE("bands that stop short of infinity are rejected") {
  const auto text =
      replaced(kDrug, "lower = 30\nlower_inclusive = true\n",
               "lower = 30\nlower_inclusive = true\nupper = 200\nupper_inclusive = true\n");
  CHECK_THAT(error_of(text), Contains("renal: gap: CrCl above") &&
                                 Contains("expected the last band without upper"));
}

TEST_CASE("an unknown condition in a rule is rejected naming the vocabulary") {
  CHECK_THAT(
      error_of(replaced(kDrug, "condition = \"heart-block\"", "condition = \"cirrhosis\"")),
      Contains(
          "f/testdrug.toml:38: conditions[1].condition: \"cirrhosis\" is not a known condition; "
          "expected one of: heart-block, falls-history"));
}

TEST_CASE("an unknown class in an interaction rule is rejected") {
  CHECK_THAT(
      error_of(replaced(kDrug, "class = \"maoi\"", "class = \"ssri\"")),
      Contains(
          "f/testdrug.toml:43: interactions[1].class: \"ssri\" is not a known medication class; "
          "expected one of: gabapentinoid, maoi"));
}

TEST_CASE("a severity outside caution/avoid is rejected") {
  CHECK_THAT(
      error_of(replaced(kDrug, "severity = \"avoid\"\ntext = \"no\"",
                        "severity = \"never\"\ntext = \"no\"")),
      Contains("conditions[1].severity: \"never\" is not a severity; expected caution or avoid"));
}

TEST_CASE("a name that differs from the file stem is rejected") {
  CHECK_THAT(error_of(replaced(kDrug, "name = \"testdrug\"", "name = \"otherdrug\"")),
             Contains("f/testdrug.toml:1: name: \"otherdrug\" does not match the file name; "
                      "expected \"testdrug\""));
}

TEST_CASE("a TOML syntax error names file and line") {
  CHECK_THAT(error_of(replaced(kDrug, "\ndays = 7\n", "\ndays = = 7\n")),
             Contains("f/testdrug.toml:21: syntax:"));
}

TEST_CASE("switch rules naming an unknown drug are rejected") {
  const char *text = "[[switch]]\nfrom = \"testdrug\"\nto = \"venlafaxine\"\nmode = "
                     "\"overlap\"\ntext = \"x\"\nsource = \"T\"\n";
  const auto error = thrown_message<DataError>(
      [&] {
        parse_switching({"f/switching.toml", text}, vocab());
      },
      "(no DataError)");
  CHECK_THAT(error,
             Contains("f/switching.toml:3: switch[1].to: \"venlafaxine\" is not a formulary drug "
                      "or drug class; expected one of: testdrug, gabapentinoid or \"*\""));
}

TEST_CASE("sequential switch rules need gap_days, cross_taper needs decrement and interval") {
  const char *seq = "[[switch]]\nfrom = \"testdrug\"\nto = \"*\"\nmode = \"sequential\"\ntext = "
                    "\"x\"\nsource = \"T\"\n";
  CHECK_THROWS_WITH(parse_switching({"s.toml", seq}, vocab()),
                    Contains("s.toml:1: switch[1].gap_days: missing"));
  const char *cross = "[[switch]]\nfrom = \"testdrug\"\nto = \"*\"\nmode = \"cross_taper\"\ntext = "
                      "\"x\"\nsource = \"T\"\n";
  CHECK_THROWS_WITH(parse_switching({"s.toml", cross}, vocab()),
                    Contains("switch[1].decrement_mg: missing"));
}

TEST_CASE("vocabulary: a medication in an undeclared class is rejected") {
  const std::string text =
      replaced(kVocabulary, "phenelzine = [\"maoi\"]", "phenelzine = [\"mao-inhibitor\"]");
  CHECK_THROWS_WITH(parse_vocabulary({"v.toml", text}),
                    Contains("v.toml:10: medications.phenelzine: \"mao-inhibitor\" is not a class "
                             "declared in [classes]"));
}

TEST_CASE("check_formulary collects every fault across files") {
  // Two faults in the drug file (an unknown condition, an unknown key appended to [taper] as
  // line 56) and one in switching.toml.
  const std::string worse =
      replaced(kDrug, "condition = \"heart-block\"", "condition = \"cirrhosis\"") + "colour = 1\n";
  const std::vector<TextFile> files{
      {"f/vocabulary.toml", kVocabulary},
      {"f/switching.toml", "[[switch]]\nfrom = \"nodrug\"\nto = \"*\"\nmode = \"overlap\"\ntext = "
                           "\"x\"\nsource = \"T\"\n"},
      {"f/testdrug.toml", worse}};
  const auto faults = check_formulary(files);
  REQUIRE(faults.size() == 3);
  CHECK_THAT(faults[0], Contains("f/testdrug.toml:38: conditions[1].condition"));
  CHECK_THAT(faults[1], Contains("f/testdrug.toml:56: taper.colour: unknown key"));
  CHECK_THAT(faults[2], Contains("f/switching.toml:2: switch[1].from: \"nodrug\""));
  CHECK_THROWS_AS(load_formulary(files), DataError);
}

TEST_CASE("a formulary folder without vocabulary.toml is rejected") {
  const auto faults = check_formulary({{"f/testdrug.toml", kDrug}});
  REQUIRE(faults.size() >= 2);
  CHECK_THAT(faults[0], Contains("vocabulary.toml is missing"));
}

// clinical.md H: confidence words, and "where a figure is low, encode it with verified = false".
TEST_CASE("confidence: a known word, low only with verified = false") {
  const std::string taper =
      "[taper]\nkind = \"decrement\"\ndecrement_mg = 100\ninterval_days = 7\nsource = \"T\"\n";
  const Monograph ok =
      parse(replaced(kDrug, taper, taper + "verified = false\nconfidence = \"low\"\n"));
  CHECK(ok.taper.cite.confidence == "low");
  CHECK_FALSE(ok.taper.cite.verified);
  CHECK_THAT(
      error_of(replaced(kDrug, taper, taper + "confidence = \"low\"\n")),
      Contains("taper.confidence: is low but the figure is verified; expected verified = false"));
  CHECK_THAT(error_of(replaced(kDrug, taper, taper + "confidence = \"moderate\"\n")),
             Contains("taper.confidence: \"moderate\" is not a confidence; expected low, medium, "
                      "medium-high or high"));
}

// clinical.md H6: taper rows by time on drug, rising from 0 weeks; min <= max.
TEST_CASE("taper.by_time_on_drug rows: parsed, first at 0 weeks, rising, min <= max") {
  const std::string taper =
      "[taper]\nkind = \"decrement\"\ndecrement_mg = 100\ninterval_days = 7\nsource = \"T\"\n";
  const std::string rows =
      "[[taper.by_time_on_drug]]\nmin_weeks = 0\nmin_total_days = 7\nmax_total_days = 14\ntext = "
      "\"short\"\n"
      "[[taper.by_time_on_drug]]\nmin_weeks = 8\nmin_total_days = 28\ntext = \"long\"\n";
  const Monograph m = parse(replaced(kDrug, taper, taper + rows));
  REQUIRE(m.taper.by_time_on_drug.size() == 2);
  CHECK(m.taper.by_time_on_drug[0].max_total_days == 14);
  CHECK_FALSE(m.taper.by_time_on_drug[1].max_total_days);
  // 55 days (7 weeks 6 days) is the short row; 56 days (8 weeks) the long one; unknown: long.
  CHECK(m.taper.duration_for(55)->text == "short");
  CHECK(m.taper.duration_for(56)->text == "long");
  CHECK(m.taper.duration_for(std::nullopt)->text == "long");
  CHECK(m.taper.min_days_for(10) == 7);
  CHECK(m.taper.min_days_for(70) == 28);
  CHECK_THAT(
      error_of(replaced(kDrug, taper, taper + replaced(rows, "min_weeks = 0", "min_weeks = 2"))),
      Contains("min_weeks: the first row starts at 2 weeks; expected 0"));
  CHECK_THAT(
      error_of(replaced(kDrug, taper, taper + replaced(rows, "min_weeks = 8", "min_weeks = 0"))),
      Contains("min_weeks: 0 is not above the previous row"));
  CHECK_THAT(
      error_of(replaced(kDrug, taper,
                        taper + replaced(rows, "max_total_days = 14", "max_total_days = 5"))),
      Contains("max_total_days: 5 is below min_total_days 7"));
}

// clinical.md H14: [haemodialysis] supplements by once-daily regimen, rising.
TEST_CASE("haemodialysis supplements: parsed by regimen, rising daily doses") {
  const std::string hd = "[haemodialysis]\ntext = \"after each session\"\nsource = \"T\"\n"
                         "[[haemodialysis.supplements]]\ndaily_mg = 100\nsupplement_mg = 125\n"
                         "[[haemodialysis.supplements]]\ndaily_mg = 300\nsupplement_mg = 350\n";
  const Monograph m = parse(kDrug + hd);
  REQUIRE(m.haemodialysis);
  REQUIRE(m.haemodialysis->for_daily(Dose::milligrams(300)) != nullptr);
  CHECK(m.haemodialysis->for_daily(Dose::milligrams(300))->supplement == Dose::milligrams(350));
  CHECK(m.haemodialysis->for_daily(Dose::milligrams(200)) == nullptr);
  CHECK_THAT(error_of(kDrug + replaced(hd, "daily_mg = 300", "daily_mg = 100")),
             Contains("daily_mg: 100 mg is not above the previous row"));
}
