// Black-box tests of `titrate check --patient-file P.toml [--json]` (design.md §4, §6) against the
// shipped formulary. Expected verdicts come from clinical.md G and A2-A5, worked by hand.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace titrate::test;

namespace {

const std::string g1 = adult_patient_file("G1", "1971-01-10", 7);

RunResult check(const TempDir &d, const std::string &patient_toml, bool json = false) {
  const std::string file = d.write("patient.toml", patient_toml);
  std::vector<std::string> args = {
      "--today", "2026-11-25",     "--formulary", source_dir() + "/formulary",
      "check",   "--patient-file", file};
  if (json)
    args.push_back("--json");
  return run_titrate(d, args);
}

const nlohmann::json &drug(const nlohmann::json &j, const std::string &name) {
  for (const auto &d : j.at("drugs"))
    if (d.at("drug") == name)
      return d;
  FAIL("no drug " << name << " in " << j.dump());
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("check G1 (55 y female, 65 kg, creatinine 0.8): every drug ok, CrCl 81.5, footer") {
  TempDir d;
  auto r = check(d, g1);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Eligibility for patient G1 on 2026-11-25"));
  // (140 - 55) * 65 / (72 * 0.8) * 0.85 = 81.53
  check_contains_all(r.out,
                     {"81.5 mL/min (Cockcroft-Gault)", "DULoxetine: ok", "maximum daily dose 60 mg",
                      "gabapentin: ok", "maximum daily dose 3,600 mg"});
  CHECK_THAT(r.out, Catch::EndsWith("Decision support only; not medical advice.\n"));
}

TEST_CASE("check --json prints the design.md check shape exactly") {
  TempDir d;
  auto r = check(d, g1, true);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.size() == 4);
  CHECK(j.at("patient") == "G1");
  CHECK(j.at("crcl_ml_min").get<double>() == Approx(81.5321).epsilon(1e-5));
  CHECK(j.at("unchecked_medications").is_array());
  REQUIRE(j.at("drugs").size() == 5);
  for (const auto &x : j.at("drugs")) {
    INFO(x.dump());
    CHECK(x.size() == 5);
    CHECK(x.contains("drug"));
    CHECK(x.at("verdict") == "ok");
    CHECK(x.at("available_from").is_null());
    CHECK(x.at("max_daily_mg").is_number_integer());
    CHECK(x.at("reasons").is_array());
  }
  CHECK(drug(j, "duloxetine").at("max_daily_mg") == 60);
}

TEST_CASE("check G4: phenelzine stopped 7 days ago, JSON carries available_from and the reason") {
  TempDir d;
  std::string p = g1;
  p += "stopped_medications = [ { name = \"phenelzine\", stopped = \"2026-11-18\" } ]\n";
  p.replace(p.find("medications = []"), 16, "medications = [\"unobtainium\"]");
  auto r = check(d, p, true);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const char *name : {"duloxetine", "amitriptyline", "nortriptyline"}) {
    INFO(name);
    const auto &x = drug(j, name);
    CHECK(x.at("verdict") == "avoid");
    CHECK(x.at("available_from") == "2026-12-02"); // 2026-11-18 + 14 d
    REQUIRE(x.at("reasons").size() >= 1);
    const auto &reason = x.at("reasons").at(0);
    CHECK(reason.size() == 4);
    CHECK(reason.at("severity") == "avoid");
    CHECK_FALSE(reason.at("rule").get<std::string>().empty());
    CHECK_FALSE(reason.at("source").get<std::string>().empty());
    CHECK_THAT(reason.at("text").get<std::string>(), Catch::Contains("phenelzine"));
  }
  CHECK(drug(j, "gabapentin").at("verdict") == "ok");
  REQUIRE(j.at("unchecked_medications").size() == 1);
  CHECK(j.at("unchecked_medications").at(0) == "not checked: unknown medication unobtainium");
}

TEST_CASE("check human output lists reasons with sources, available_from and unchecked medicines") {
  TempDir d;
  std::string p = g1;
  p += "stopped_medications = [ { name = \"phenelzine\", stopped = \"2026-11-18\" } ]\n";
  p.replace(p.find("medications = []"), 16, "medications = [\"unobtainium\"]");
  auto r = check(d, p);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  check_contains_all(r.out, {"DULoxetine: avoid", "available from 2026-12-02", "source: DUL-US 4",
                             "not checked: unknown medication unobtainium"});
  CHECK_THAT(r.out, Catch::EndsWith("Decision support only; not medical advice.\n"));
}

TEST_CASE("check G2: CrCl 25 given: duloxetine avoid, gabapentin capped at 700 mg in its band") {
  TempDir d;
  std::string p = g1;
  p.replace(p.find("serum_creatinine_mg_dl = 0.8"), 28, "crcl_ml_min = 25");
  p.replace(p.find("1971-01-10"), 10, "1958-03-01");
  auto r = check(d, p);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("25 mL/min (as entered)"));
  CHECK_THAT(r.out, Catch::Contains("DULoxetine: avoid"));
  CHECK_THAT(r.out, Catch::Contains(
                        "maximum daily dose 700 mg (renal band CrCl more than 15 and at most 30)"));
}

TEST_CASE(
    "check with pregnancy: caution (pregabalin avoid) and the need to name the drug is announced") {
  TempDir d;
  std::string p = g1;
  p.replace(p.find("conditions = []"), 15, "conditions = [\"pregnancy\"]");
  auto r = check(d, p, true);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  // clinical.md H18: caution for every drug except pregabalin (avoid unless clearly necessary).
  for (const auto &x : j.at("drugs")) {
    CHECK(x.at("verdict") == (x.at("drug") == "pregabalin" ? "avoid" : "caution"));
  }
  auto h = check(d, p);
  CHECK_THAT(h.out, Catch::Contains("specialist decision"));
  CHECK_THAT(h.out, Catch::Contains("--prefer"));
}

TEST_CASE("check: bad patient files are bad input (exit 2) naming the field") {
  struct Bad {
    const char *what;
    const char *from;
    const char *to;
    const char *field;
  };
  for (Bad b :
       {Bad{"unknown condition", "conditions = []", "conditions = [\"gout\"]", "conditions"},
        Bad{"creatinine of 0", "serum_creatinine_mg_dl = 0.8", "serum_creatinine_mg_dl = 0",
            "serum_creatinine_mg_dl"},
        Bad{"birth date in the future", "1971-01-10", "2027-01-10", "birth_date"},
        Bad{"unknown sex", "\"female\"", "\"other\"", "sex"}}) {
    INFO(b.what);
    TempDir d;
    std::string p = g1;
    p.replace(p.find(b.from), std::string(b.from).size(), b.to);
    auto r = check(d, p);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(b.field));
    CHECK(r.out.empty());
  }
}

TEST_CASE("check needs exactly one of a patient ID or --patient-file") {
  TempDir d;
  auto r = run_titrate(d, {"--today", "2026-11-25", "check"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--patient-file"));
  auto missing =
      run_titrate(d, {"--today", "2026-11-25", "check", "--patient-file", d.file("nope.toml")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("nope.toml"));
}
