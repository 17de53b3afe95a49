// Issue 13 items 5-7 through the real binary: rules that cannot be walked around (roles, dates
// that cannot be true, preview versus draft), database faults named with their path, and the
// clinician's choice of any drug that is not avoid. Each case asserts the exit code, the message
// and that a refused command wrote nothing.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> with_data(std::vector<std::string> args) {
  std::vector<std::string> all = {"--formulary", source_dir() + "/formulary", "--pathways",
                                  source_dir() + "/schedules"};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

RunResult run_as(const TempDir &d, const std::string &user, const std::string &role,
                 const std::string &today, std::vector<std::string> args) {
  return run_titrate(d, with_data(as(d, user, role, today, std::move(args))));
}

void add_patient(const TempDir &d, std::vector<std::string> profile) {
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-20", std::move(profile));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

void add_p1_with_data(const TempDir &d) {
  add_patient(d, p1_profile);
}

// The tests' clinic: patient P1 added with the shipped formulary and pathways.
struct RulesClinic : ClinicWithP1 {
  RulesClinic() : ClinicWithP1(add_p1_with_data) {}
};

std::vector<std::string> p2_profile() {
  auto p = p1_profile;
  p[2] = "P2";
  return p;
}

} // namespace

TEST_CASE("rules: a patient reads only their own check, check ID needs a role") {
  TempDir d;
  add_patient(d, p1_profile);
  add_patient(d, p2_profile());
  const auto db = d.file("clinic/titrate.db");
  const auto before = file_bytes(db);

  auto r = run_as(d, "P1", "patient", "2026-11-25", {"check", "P2"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("check: refused for role patient: user \"P1\" may act only on "
                                    "their own record, not on P2"));
  CHECK(r.out.empty());

  r = run_titrate(d,
                  with_data({"--db", db, "--today", "2026-11-25", "--user", "x", "check", "P1"}));
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("check: no role given"));

  r = run_as(d, "P1", "patient", "2026-11-25", {"check", "P1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Eligibility for patient P1"));
  r = run_as(d, "ph.bell", "pharmacist", "2026-11-25", {"check", "P2"});
  CHECK(r.exit_code == 0);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("rules: plan --patient-file --format works for every format, as a draft not stored") {
  TempDir d;
  const std::string demo = source_dir() + "/schedules/examples/demo.toml";
  struct Case {
    std::string format;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {"text", {"MEDICATION SCHEDULE", "Plan not stored (preview), pathway cipn-esmo"}},
      {"csv", {"date,time,drug,strength_mg,form,count,dose_mg,daily_total_mg,stage,step"}},
      {"ics", {"BEGIN:VCALENDAR", "SEQUENCE:0"}},
      {"fhir", {"\"Bundle\"", "Plan not stored, a preview (draft)."}},
      {"svg", {"<svg", "plan not stored (preview)"}},
  };
  for (const auto &c : cases) {
    INFO(c.format);
    auto r =
        run_titrate(d, with_data({"--today", "2026-11-25", "plan", "--patient-file", demo,
                                  "--start", "2026-12-01", "--format", c.format, "--tz", "UTC"}));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    for (const auto &s : c.says)
      CHECK_THAT(r.out, Catch::Contains(s));
  }
  CHECK_FALSE(fs::exists(d.file("titrate")));
}

TEST_CASE_METHOD(RulesClinic,
                 "rules: plan ID --preview stores nothing, --format without --preview is refused") {
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-25",
                  {"plan", "P1", "--start", "2026-12-01", "--preview"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: DULoxetine") &&
                        Catch::Contains("Preview: nothing was stored (draft it with: titrate plan "
                                        "P1 --start 2026-12-01)"));
  r = run_as(d, "dr.ames", "clinician", "2026-11-25",
             {"plan", "P1", "--start", "2026-12-01", "--preview", "--format", "text"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Plan not stored (preview)"));
  r = run_as(d, "dr.ames", "clinician", "2026-11-25",
             {"--json", "plan", "P1", "--start", "2026-12-01", "--preview"});
  CHECK(r.exit_code == 0);
  CHECK_FALSE(nlohmann::json::parse(r.out).contains("version"));
  CHECK(file_bytes(db) == before);

  struct Bad {
    std::vector<std::string> args;
    int exit;
    std::string says;
  };
  const std::vector<Bad> refused = {
      {{"plan", "P1", "--start", "2026-12-01", "--format", "text"},
       2,
       "plan P1: --format text needs --preview: without it `plan P1 --start D` drafts a new "
       "version. Give --preview to see the plan without storing it, or `titrate export P1 "
       "--format text` for a stored version"},
      {{"plan", "P1", "--start", "2026-12-01", "--preview", "--submit"},
       2,
       "plan: --preview stores nothing, so there is nothing to --submit"},
      {{"plan", "P1", "--preview"},
       2,
       "--start: missing; expected the first day of the plan, YYYY-MM-DD (--preview shows the "
       "plan from that day)"},
  };
  for (const auto &b : refused) {
    auto rr = run_as(d, "dr.ames", "clinician", "2026-11-25", b.args);
    INFO(rr.err);
    CHECK(rr.exit_code == b.exit);
    CHECK_THAT(rr.err, Catch::Contains(b.says));
    CHECK(rr.out.empty());
    CHECK(file_bytes(db) == before);
  }
  // A preview against a database that does not exist: not found, and nothing is created.
  TempDir empty;
  r = run_as(empty, "dr.ames", "clinician", "2026-11-25",
             {"plan", "P1", "--start", "2026-12-01", "--preview"});
  CHECK(r.exit_code == 3);
  CHECK_FALSE(fs::exists(empty.file("clinic")));

  // Without --preview the same command drafts, every time.
  r = run_as(d, "dr.ames", "clinician", "2026-11-25", {"plan", "P1", "--start", "2026-12-01"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Plan version 1: draft"));
}

TEST_CASE_METHOD(RulesClinic,
                 "rules: a plan start more than a year away is bad input unless --backdate") {
  struct Bad {
    std::string start;
    bool backdate;
    std::string says;
  };
  for (const auto &b : std::vector<Bad>{
           {"9999-12-25", false,
            "--start: 9999-12-25 is too far in the future; expected a first day from 2025-11-25 "
            "through 2027-11-25"},
           {"1999-11-30", false,
            "--start: 1999-11-30 is too far in the past; expected a first day from 2025-11-25 "
            "through 2027-11-25 (give --backdate to record a plan that started more than a year "
            "ago)"},
           {"1957-01-01", true,
            "--start: 1957-01-01 is too far in the past; expected a first day from 1958-04-02 "
            "through 2027-11-25 (not before the patient's birth, 1958-04-02)"},
       }) {
    std::vector<std::string> args = {"plan", "P1", "--start", b.start};
    if (b.backdate)
      args.push_back("--backdate");
    auto r = run_as(d, "dr.ames", "clinician", "2026-11-25", args);
    INFO(b.start);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(b.says));
    CHECK(file_bytes(db) == before);
  }
  // The same rule for a patient file.
  auto r = run_titrate(
      d, with_data({"--today", "2026-11-25", "plan", "--patient-file",
                    source_dir() + "/schedules/examples/demo.toml", "--start", "9999-12-25"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--start: 9999-12-25 is too far in the future"));
  // assess --patient-file: a course may be assessed long after it began, but 9999 is refused.
  const auto scores = d.write("scores.csv", "at,score\n2026-11-20,5\n");
  r = run_titrate(d, with_data({"--today", "2026-11-25", "assess", "--patient-file",
                                source_dir() + "/schedules/examples/demo.toml", "--start",
                                "9999-12-25", "--scores", scores}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--start: 9999-12-25 is too far in the future; expected a "
                                    "first day from 1966-05-12 through 2027-11-25"));

  r = run_as(d, "dr.ames", "clinician", "2026-11-25",
             {"plan", "P1", "--start", "1999-11-30", "--backdate"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = run_as(d, "dr.ames", "clinician", "2026-11-25", {"audit", "P1"});
  CHECK_THAT(r.out, Catch::Contains("plan --start 1999-11-30 --backdate"));
}

TEST_CASE_METHOD(RulesClinic,
                 "rules: observations before the patient's birth or after today are bad input") {
  const auto clinician = [&](std::vector<std::string> args) {
    return with_data(as(d, "dr.ames", "clinician", "2026-11-25", std::move(args)));
  };
  check_refused(
      d, db,
      {
          {clinician({"log", "P1", "--score", "5", "--at", "1900-01-01"}), 2,
           "--at: 1900-01-01T00:00 is before the patient's birth (1958-04-02); expected "
           "a time from 1958-04-02 through 2026-11-25"},
          {clinician({"log", "P1", "--adverse-effect", "dizziness", "--severity", "mild", "--at",
                      "1958-04-01T23:59"}),
           2, "--at: 1958-04-01T23:59 is before the patient's birth (1958-04-02)"},
          {clinician({"log", "P1", "--score", "5", "--at", "2026-11-26"}), 2, "is after today"},
      });
  const auto csv = d.write("s.csv", "patient_id,at,score\nP1,2026-11-20,5\nP1,1900-01-01,4\n");
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-25", {"import", "scores", csv});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err,
             Catch::Contains("1 row dated before the patient's birth; nothing was imported") &&
                 Catch::Contains("s.csv:3: at: 1900-01-01T00:00 is before the birth of P1 "
                                 "(1958-04-02)"));
  CHECK(file_bytes(db) == before);
  // The day of birth itself is possible.
  r = run_as(d, "dr.ames", "clinician", "2026-11-25",
             {"log", "P1", "--score", "5", "--at", "1958-04-02"});
  CHECK(r.exit_code == 0);
}

namespace {
const char *sertraline_tramadol = R"(id = "ST1"
birth_date = "1960-03-01"
sex = "male"
weight_kg = 80
serum_creatinine_mg_dl = 1.0
hepatic = "none"
conditions = []
medications = ["sertraline", "tramadol"]
baseline_pain = 7
)";
} // namespace

TEST_CASE(
    "rules: all caution on sertraline + tramadol: not a third serotonergic drug, --prefer any "
    "drug that is not avoid") {
  TempDir d;
  const auto file = d.write("st.toml", sertraline_tramadol);
  const auto plan = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--today", "2026-11-25", "plan",      "--patient-file",
                                     file,      "--start",    "2026-12-01"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_titrate(d, with_data(args));
  };
  // Every drug is caution (clinical.md A5: serotonergic, opioid, CNS-active rules); duloxetine
  // would be the third serotonergic medicine, so gabapentin (two caution findings) is chosen.
  auto r = plan({});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(
      r.out,
      Catch::Contains("Stage 1: gabapentin, trial") && Catch::Contains("choice.all-caution") &&
          Catch::Contains("gabapentin was chosen as the one with the fewest and least "
                          "serious caution findings (gabapentin 2 caution findings; "
                          "against DULoxetine 2 caution findings and would make 3 "
                          "serotonergic medicines at once") &&
          Catch::Contains("should review the choice") && Catch::Contains("Lint: no findings"));

  // The clinician may choose duloxetine: planned with every warning, and lint flags it.
  r = plan({"--prefer", "duloxetine", "--reason", "patient's choice after discussion"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: DULoxetine, trial") &&
                        Catch::Contains("serotonergic medicine: risk of serotonin syndrome") &&
                        Catch::Contains("Note: chosen by the prescriber (--prefer duloxetine): "
                                        "patient's choice after discussion") &&
                        Catch::Contains("lint.third-serotonergic: stage 1 (DULoxetine trial): "
                                        "adds a serotonergic drug to sertraline, tramadol"));
  // A drug that is not first line (gabapentin on cipn-esmo) is no longer refused.
  r = plan({"--prefer", "gabapentin"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: gabapentin, trial"));
  r = plan({"--reason", "x"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--reason: goes with --prefer DRUG"));
}

TEST_CASE_METHOD(
    RulesClinic,
    "rules: a stored --prefer needs --reason, kept in the plan, the version and the audit") {
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-25",
                  {"plan", "P1", "--start", "2026-12-01", "--prefer", "amitriptyline"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--reason: missing; expected why the prescriber chose "
                                    "amitriptyline (a drafted plan records it: --prefer "
                                    "amitriptyline --reason T)"));
  CHECK(file_bytes(db) == before);
  r = run_as(d, "dr.ames", "clinician", "2026-11-25",
             {"plan", "P1", "--start", "2026-12-01", "--prefer", "amitriptyline", "--reason",
              "poor sleep"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Stage 1: amitriptyline, trial") &&
                        Catch::Contains("Note: chosen by the prescriber (--prefer amitriptyline): "
                                        "poor sleep"));
  r = run_as(d, "dr.ames", "clinician", "2026-11-25", {"audit", "P1"});
  CHECK_THAT(r.out, Catch::Contains("plan.draft") &&
                        Catch::Contains("; prefer amitriptyline: poor sleep"));
}

TEST_CASE("rules: database faults are named with the path, exit 2 or 4, and nothing is written") {
  TempDir d;
  const auto text = d.write("notes.txt", "not a database\n");
  const auto folder = d.file("a-folder");
  fs::create_directory(folder);
  const auto zero = d.write("zero.db", "");
  const auto as_db = [&](const std::string &db, std::vector<std::string> args) {
    std::vector<std::string> all = {"--db",   db,        "--today", "2026-11-25",
                                    "--user", "dr.ames", "--role",  "clinician"};
    all.insert(all.end(), args.begin(), args.end());
    return run_titrate(d, with_data(all));
  };
  for (const auto &args : std::vector<std::vector<std::string>>{
           {"patient", "list"}, {"log", "P1", "--score", "5"}, p1_profile}) {
    INFO(args[0]);
    auto r = as_db(text, args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("database " + text +
                                      ": cannot be read as a SQLite "
                                      "database (file is not a database); expected a titrate "
                                      "database file"));
    CHECK(file_bytes(text) == "not a database\n");
    CHECK_FALSE(fs::exists(text + "-wal"));
    CHECK_FALSE(fs::exists(text + "-shm"));

    r = as_db(folder, args);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--db: " + folder +
                                      " is a folder; expected a titrate "
                                      "database file (SQLite) or a postgresql:// URL"));
  }
  // A zero-byte file reads as an empty database and stays zero bytes.
  auto r = as_db(zero, {"patient", "list"});
  CHECK(r.exit_code == 0);
  r = as_db(zero, {"log", "P1", "--score", "5"});
  CHECK(r.exit_code == 3);
  CHECK(fs::file_size(zero) == 0);
  CHECK_FALSE(fs::exists(zero + "-wal"));
  CHECK_FALSE(fs::exists(zero + "-shm"));
}

TEST_CASE_METHOD(
    RulesClinic,
    "rules: a full disk while writing is refused naming the database, nothing is kept") {
  // A file-size limit of 512 bytes stands in for a full disk: the first write-ahead log frame
  // (4 KiB) cannot be written. SIGXFSZ is ignored so the write fails instead of killing titrate.
  const std::string cmd = "cd " + d.path().string() + " && (trap '' XFSZ; ulimit -f 1; exec " +
                          std::string(TITRATE_BINARY) + " --db " + db +
                          " --today 2026-11-25 --user dr.ames --role clinician"
                          " log P1 --score 5) >out.txt 2>err.txt";
  const int status = std::system(cmd.c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string err = file_bytes(d.file("err.txt"));
  INFO(err);
  CHECK(exit_code == 4);
  CHECK_THAT(err, Catch::Contains("database " + db + ": "));
  CHECK_THAT(err, !Catch::Contains("internal error"));
  CHECK(file_bytes(db) == before);
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-25", {"--json", "audit", "P1"});
  CHECK(nlohmann::json::parse(r.out)["entries"].size() == 1); // patient.add only
}

TEST_CASE_METHOD(RulesClinic,
                 "rules: a database this user cannot write is refused before SQLite opens it") {
  // Root writes any file, so the read-only case runs as nobody (setpriv) when the tests run as
  // root, and as the test's own user otherwise.
  const bool root = ::geteuid() == 0;
  if (root && !fs::exists("/usr/bin/setpriv")) {
    WARN("running as root without /usr/bin/setpriv: the read-only database case is not run");
    return;
  }
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(d.path(), fs::perms::others_exec | fs::perms::others_read, fs::perm_options::add);
  const std::string as_user =
      root ? "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  for (const std::string args : {"patient list", "log P1 --score 5"}) {
    INFO(args);
    const std::string cmd = "cd " + d.path().string() + " && " + as_user +
                            std::string(TITRATE_BINARY) + " --db " + db + " --formulary " +
                            source_dir() + "/formulary --pathways " + source_dir() +
                            "/schedules --today 2026-11-25 --user dr.ames --role "
                            "clinician " +
                            args + " >out.txt 2>err.txt";
    const int status = std::system(cmd.c_str());
    const std::string err = file_bytes(d.file("err.txt"));
    INFO(err);
    CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 4);
    CHECK_THAT(err, Catch::Contains("database " + db +
                                    ": cannot be opened: the file is read-only "
                                    "for this user; titrate needs write access to the database "
                                    "file and its folder"));
    CHECK(file_bytes(db) == before);
    CHECK_FALSE(fs::exists(db + "-wal"));
    CHECK_FALSE(fs::exists(db + "-shm"));
  }
}
