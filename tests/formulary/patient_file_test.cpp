// Patient files (design.md §6): the shipped examples parse; every rejected input names its field
// (and line). Expected values by hand from the example files and design.md.
#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/formulary/patient_file.hpp"
#include "tests/common/text_edits.hpp"
#include "tests/common/thrown.hpp"
#include "tests/data/read_files.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using Catch::Contains;
using titrate::test::check_edit_messages;
using titrate::test::parse_error_of;
using titrate::test::replaced;

namespace {

const Vocabulary &vocab() {
  static const Formulary f = load_formulary(test::shipped_formulary_files());
  return f.vocabulary;
}

const Date kToday(2026, 12, 1);

const char *kPatient = R"(id = "P001"
birth_date = "1958-04-02"
sex = "female"
weight_kg = 70
serum_creatinine_mg_dl = 1.1
hepatic = "none"
conditions = ["narrow-angle-glaucoma"]
medications = ["sertraline"]
stopped_medications = [ { name = "phenelzine", stopped = "2026-11-20" } ]
baseline_pain = 7
)";

Patient parse(const std::string &text) {
  return parse_patient_file({"p.toml", text}, vocab(), kToday);
}

const auto error_of = parse_error_of<InputError>(parse);

} // namespace

TEST_CASE("the design.md example patient file parses") {
  const Patient p = parse(kPatient);
  CHECK(p.id == "P001");
  CHECK(p.birth_date == Date(1958, 4, 2));
  CHECK(p.sex == Sex::female);
  CHECK(p.weight_kg == 70);
  REQUIRE(p.serum_creatinine_mg_dl);
  CHECK(*p.serum_creatinine_mg_dl == Approx(1.1));
  CHECK_FALSE(p.crcl_ml_min);
  CHECK(p.hepatic == Hepatic::none);
  CHECK(p.conditions == std::vector<std::string>{"narrow-angle-glaucoma"});
  CHECK(p.medications == std::vector<std::string>{"sertraline"});
  REQUIRE(p.stopped_medications.size() == 1);
  CHECK(p.stopped_medications[0].name == "phenelzine");
  CHECK(p.stopped_medications[0].stopped == Date(2026, 11, 20));
  REQUIRE(p.baseline_pain);
  CHECK(p.baseline_pain->value() == 7);
}

TEST_CASE("numbers may be integers or decimals") {
  const auto a = parse(replaced(kPatient, "serum_creatinine_mg_dl = 1.1", "crcl_ml_min = 30"));
  const auto b = parse(replaced(kPatient, "serum_creatinine_mg_dl = 1.1", "crcl_ml_min = 30.0"));
  REQUIRE(a.crcl_ml_min);
  CHECK(*a.crcl_ml_min == *b.crcl_ml_min);
  CHECK(parse(replaced(kPatient, "weight_kg = 70", "weight_kg = 70.5")).weight_kg == Approx(70.5));
}

TEST_CASE("optional fields may be left out") {
  std::string text = replaced(kPatient, "hepatic = \"none\"\n", "");
  text = replaced(text, "baseline_pain = 7\n", "");
  text = replaced(text, "conditions = [\"narrow-angle-glaucoma\"]\n", "");
  const auto p = parse(text);
  CHECK(p.hepatic == Hepatic::none);
  CHECK_FALSE(p.baseline_pain);
  CHECK(p.conditions.empty());
}

TEST_CASE("rejected patient-file inputs name the field") {
  CHECK_THAT(error_of(kPatient + std::string("shoe_size = 9\n")),
             Contains("p.toml:11: shoe_size: unknown key; expected one of:") &&
                 Contains("baseline_pain"));
  check_edit_messages(
      kPatient,
      {
          {"\"narrow-angle-glaucoma\"",
           "\"cirrhosis\"",
           {"p.toml:7: conditions: \"cirrhosis\" is not a known condition; expected one of: "
            "recent-myocardial-infarction, heart-block"}},
          {"serum_creatinine_mg_dl = 1.1",
           "serum_creatinine_mg_dl = 0",
           {"p.toml:5: serum_creatinine_mg_dl"}},
          {"1958-04-02", "2027-01-01", {"p.toml:2: birth_date", "future"}},
          {"baseline_pain = 7",
           "baseline_pain = 11",
           {"p.toml:10: baseline_pain: 11 is out of range; expected a whole number 0 to 10"}},
          {"baseline_pain = 7",
           "baseline_pain = 6.5",
           {"p.toml:10: baseline_pain: is a decimal number; expected a whole number 0 to 10"}},
          {"sex = \"female\"",
           "sex = \"f\"",
           {"p.toml:3: sex: \"f\" is not a sex; expected female or male"}},
          {"hepatic = \"none\"",
           "hepatic = \"child-pugh-b\"",
           {"p.toml:6: hepatic: \"child-pugh-b\" is not a hepatic class"}},
          {"weight_kg = 70",
           "weight_kg = \"70\"",
           {"p.toml:4: weight_kg: is a string; expected a number"}},
          {"1958-04-02", "1958-02-30", {"p.toml:2: birth_date"}},
          {"[\"sertraline\"]",
           "[\"Sertraline\"]",
           {"p.toml:8: medications: \"Sertraline\" is not a medication name"}},
          {"2026-11-20", "2026-12-05", {"stopped_medications"}},
          {"name = \"phenelzine\", ", "", {"p.toml:9: stopped_medications.name: missing"}},
          {"id = \"P001\"\n", "", {"id: missing"}},
          {"serum_creatinine_mg_dl = 1.1\n", "", {"serum_creatinine_mg_dl: missing"}},
          {"weight_kg = 70", "weight_kg = = 70", {"p.toml:4: syntax:"}},
      },
      error_of);
}

TEST_CASE("every example patient in schedules/examples parses") {
  const auto files = test::read_dir(test::repo_root() + "/schedules/examples");
  REQUIRE(files.size() >= 7);
  for (const auto &f : files) {
    INFO(f.name);
    CHECK_NOTHROW(parse_patient_file(f, vocab(), kToday));
  }
}

TEST_CASE("validate_vocabulary_terms rejects an unknown condition naming the list") {
  Patient p = parse(kPatient);
  CHECK_NOTHROW(validate_vocabulary_terms(p, vocab()));
  p.conditions.push_back("gout");
  CHECK_THROWS_WITH(validate_vocabulary_terms(p, vocab()),
                    Contains("\"gout\" is not a known condition") && Contains("falls-history"));
  p.conditions.pop_back();
  p.medications.push_back("St Johns Wort");
  CHECK_THROWS_AS(validate_vocabulary_terms(p, vocab()), InputError);
}

// What the patient is treated for: a term of vocabulary.toml [indications] or bad input that
// names the field and lists the terms; validate_vocabulary_terms checks a profile typed at a door.
TEST_CASE("indication: a vocabulary term, else bad input naming the field and the terms") {
  CHECK(parse(kPatient).indication.empty());
  CHECK(parse(kPatient + std::string("indication = \"postherpetic-neuralgia\"\n")).indication ==
        "postherpetic-neuralgia");
  CHECK_THAT(error_of(kPatient + std::string("indication = \"migraine\"\n")),
             Contains("p.toml:11: indication: \"migraine\" is not a known indication; expected "
                      "one of: chemotherapy-induced-neuropathy, neuropathic-pain, "
                      "painful-diabetic-neuropathy, postherpetic-neuralgia, trigeminal-neuralgia"));
  Patient p = parse(kPatient);
  p.indication = "Chemotherapy-induced-neuropathy";
  CHECK_THROWS_WITH(validate_vocabulary_terms(p, vocab()),
                    Contains("indication: \"Chemotherapy-induced-neuropathy\" is not a known"));
}

// clinical.md H14: dialysis = "haemodialysis" with its weekdays (both or neither); strictly
// validated; the haemodialysis condition follows from it.
TEST_CASE("dialysis and dialysis_days: parsed, sorted Monday first, validated strictly") {
  const Patient p =
      parse(kPatient + std::string("dialysis = \"haemodialysis\"\n"
                                   "dialysis_days = [\"friday\", \"monday\", \"wednesday\"]\n"));
  REQUIRE(p.dialysis);
  CHECK(p.dialysis->kind == "haemodialysis");
  CHECK(p.dialysis->days ==
        std::vector<Weekday>{Weekday::monday, Weekday::wednesday, Weekday::friday});
  CHECK(p.has_condition("haemodialysis"));
  CHECK(p.dialysis->on(Date(2026, 12, 7)));       // a Monday
  CHECK_FALSE(p.dialysis->on(Date(2026, 12, 8))); // a Tuesday
  CHECK_FALSE(parse(kPatient).dialysis);
  CHECK_FALSE(parse(kPatient).has_condition("haemodialysis"));

  CHECK_THAT(error_of(kPatient + std::string("dialysis = \"haemodialysis\"\n")),
             Contains("p.toml:11: dialysis: has no dialysis_days"));
  CHECK_THAT(error_of(kPatient + std::string("dialysis_days = [\"monday\"]\n")),
             Contains("p.toml:11: dialysis_days: without dialysis"));
  CHECK_THAT(
      error_of(kPatient + std::string("dialysis = \"peritoneal\"\ndialysis_days = [\"monday\"]\n")),
      Contains("p.toml:11: dialysis: \"peritoneal\" is not a dialysis kind titrate knows; expected "
               "haemodialysis"));
  CHECK_THAT(
      error_of(kPatient + std::string("dialysis = \"haemodialysis\"\ndialysis_days = [\"Mon\"]\n")),
      Contains("p.toml:12: dialysis_days: \"Mon\" is not a day of the week"));
  CHECK_THAT(error_of(kPatient + std::string("dialysis = \"haemodialysis\"\ndialysis_days = []\n")),
             Contains("dialysis_days: missing; expected the weekdays"));
  CHECK_THAT(error_of(kPatient + std::string("dialysis = \"haemodialysis\"\n"
                                             "dialysis_days = [\"monday\", \"monday\"]\n")),
             Contains("dialysis_days: a day is listed twice"));
  CHECK_THAT(error_of(kPatient +
                      std::string("dialysis = \"haemodialysis\"\ndialysis_days = \"monday\"\n")),
             Contains("p.toml:12: dialysis_days: is a string; expected an array of strings"));
}
