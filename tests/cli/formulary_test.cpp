// Black-box: titrate formulary / pathway list | show | check on the real binary (design.md §4
// exit codes: 0 ok, 2 bad input or broken data, 3 not found). Figures expected by hand from
// shared/clinical.md A3.
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace titrate::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

// A copy of the shipped formulary in `dir/name`, with the given broken fixtures swapped in.
std::string formulary_copy(const TempDir &dir, const std::string &name,
                           const std::vector<std::string> &fixtures) {
  const fs::path to = dir.path() / name;
  fs::create_directories(to);
  for (const auto &e : fs::directory_iterator(fs::path(source_dir()) / "formulary"))
    if (e.path().extension() == ".toml")
      fs::copy_file(e.path(), to / e.path().filename());
  for (const auto &f : fixtures) {
    const fs::path from = fs::path(source_dir()) / "tests/data/broken" / f;
    fs::copy_file(from, to / from.filename(), fs::copy_options::overwrite_existing);
  }
  return to.string();
}

} // namespace

TEST_CASE("formulary list names the five drugs with target and maximum") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "list"});
  CHECK(r.exit_code == 0);
  for (const char *drug :
       {"amitriptyline", "duloxetine", "gabapentin", "nortriptyline", "pregabalin"})
    CHECK_THAT(r.out, Contains(drug));
  CHECK_THAT(
      r.out,
      Contains("gabapentin (gabapentinoid): target 1,800 mg per day, maximum 3,600 mg per day"));
}

TEST_CASE("formulary list --json is one JSON document") {
  TempDir d;
  auto r = run_titrate(d, {"--json", "formulary", "list"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.at("drugs").size() == 5);
  CHECK(j["drugs"][2]["drug"] == "gabapentin");
  CHECK(j["drugs"][2]["max_daily_mg"] == 3600);
}

TEST_CASE(
    "formulary show prints every figure with its source, ISMP-safe, and marks UNVERIFIED ones") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "show", "gabapentin"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("target (assessed dose): 1,800 mg per day"));
  CHECK_THAT(r.out, Contains("CrCl more than 15 and at most 30: ok, 200 mg to 700 mg per day, once "
                             "daily in the evening"));
  CHECK_THAT(r.out, Contains("[source: GAB-US 2.3]"));
  CHECK_THAT(r.out, Contains("UNVERIFIED"));
  CHECK_THAT(r.out, Contains("not medical advice"));
  CHECK_THAT(r.out,
             !Contains("mg/d") && !Contains(".0 mg") && !Contains("1800") && !Contains("TID"));
  auto dul = run_titrate(d, {"formulary", "show", "duloxetine"});
  CHECK(dul.exit_code == 0);
  CHECK_THAT(dul.out, Contains("printed form: DULoxetine [source: ISMP tall-man list (clinical.md "
                               "F, H20); confidence medium-high]"));
  CHECK_THAT(dul.out, Contains("CrCl less than 30: avoid"));
  auto ami = run_titrate(d, {"formulary", "show", "amitriptyline"});
  CHECK_THAT(ami.out, Contains("once daily at bedtime"));
}

TEST_CASE("formulary show --json gives the monograph") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "show", "pregabalin", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["drug"] == "pregabalin");
  CHECK(j["titration"]["target_mg"] == 300);
  CHECK(j["titration"]["escalation_mg"] == nlohmann::json::array({450, 600}));
  CHECK(j["renal"].size() == 4);
  CHECK(j["rxcui"]["verified"] == false);
}

TEST_CASE("formulary show of an unknown drug is not found (exit 3) naming the known ones") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "show", "venlafaxine"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("venlafaxine") && Contains("duloxetine"));
  CHECK(r.out.empty());
}

TEST_CASE("formulary check of the shipped data exits 0") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "check"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("no faults"));
}

TEST_CASE("formulary check lists every fault with file, line and key, and exits 2") {
  TempDir d;
  const auto dir = formulary_copy(
      d, "broken", {"renal-gap/gabapentin.toml", "unknown-condition/amitriptyline.toml"});
  auto r = run_titrate(d, {"formulary", "check", dir});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("gabapentin.toml:82: renal: gap:"));
  CHECK_THAT(r.err, Contains("amitriptyline.toml:126: conditions[2].condition: \"heart-failure\""));
  CHECK_THAT(r.err, Contains("2 fault(s)"));
  auto j = run_titrate(d, {"--json", "formulary", "check", dir});
  CHECK(j.exit_code == 2);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["ok"] == false);
  CHECK(doc["faults"].size() == 2);
}

TEST_CASE("a broken --formulary folder makes list fail with exit 2 naming the fault") {
  TempDir d;
  const auto dir = formulary_copy(d, "broken", {"step-above-max/duloxetine.toml"});
  auto r = run_titrate(d, {"--formulary", dir, "formulary", "list"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(
      r.err,
      Contains(
          "duloxetine.toml:51: titration.target_mg: 90 mg is above the maximum daily dose 60 mg"));
}

TEST_CASE("formulary check of a missing folder is bad input") {
  TempDir d;
  auto r = run_titrate(d, {"formulary", "check", d.file("nowhere")});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("nowhere"));
}

TEST_CASE("pathway list and show") {
  TempDir d;
  auto r = run_titrate(d, {"pathway", "list"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("cipn-esmo") && Contains("nice-cg173"));
  auto s = run_titrate(d, {"pathway", "show", "cipn-esmo"});
  CHECK(s.exit_code == 0);
  CHECK_THAT(
      s.out,
      Contains(
          "trial order: duloxetine, then gabapentin, then amitriptyline, then stop and refer"));
  CHECK_THAT(s.out, Contains("days at the assessed dose before deciding: 14"));
  CHECK_THAT(s.out,
             Contains("response (continue) at a fall of at least: 30 percent [source: IMMPACT"));
  auto j = run_titrate(d, {"--json", "pathway", "show", "nice-cg173"});
  REQUIRE(j.exit_code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["first_line"].size() == 4);
  CHECK(doc["decisions"]["max_extensions"]["value"] == 2);
  auto l = run_titrate(d, {"--json", "pathway", "list"});
  CHECK(nlohmann::json::parse(l.out)["pathways"].size() == 2);
}

TEST_CASE("pathway show of an unknown pathway is not found (exit 3)") {
  TempDir d;
  auto r = run_titrate(d, {"pathway", "show", "who-ladder"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("who-ladder") && Contains("cipn-esmo"));
}

TEST_CASE("pathway check: shipped ok, a pathway naming an unknown drug exits 2 with file:line") {
  TempDir d;
  CHECK(run_titrate(d, {"pathway", "check"}).exit_code == 0);
  const fs::path dir = d.path() / "pw";
  fs::create_directories(dir);
  fs::copy_file(fs::path(source_dir()) / "tests/data/broken/pathway-unknown-drug/cipn-esmo.toml",
                dir / "cipn-esmo.toml");
  auto r = run_titrate(d, {"pathway", "check", dir.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("cipn-esmo.toml:6: drugs: \"amitryptiline\" is not a formulary drug"));
}
