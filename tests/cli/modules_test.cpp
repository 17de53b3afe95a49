// The PostgreSQL back end, the PDF handout and the web door are modules the titrate binary loads
// only when a command needs them (planner/core/plugin.hpp, issue 18 item 1). The dynamic loader's
// own report (LD_DEBUG=files, glibc) shows which shared objects a run maps: a command on a SQLite
// file maps no module's chain; a postgresql:// location maps titrate-postgres.so (every symbol
// resolved at load, so a symbol the executable does not export would fail here); a PDF maps
// titrate-pdf.so; `serve` maps titrate-web.so with cpp-httplib and OpenSSL.
// A binary whose modules are missing refuses with a message naming the file and where it looked.
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace titrate::test;
using Catch::Contains;

namespace {

// Whether the loader's report in `err` shows `file` being mapped.
bool mapped(const std::string &err, const std::string &file) {
  return err.find("file=" + file) != std::string::npos || err.find("/" + file) != std::string::npos;
}

const std::vector<std::string> loader_report = {"LD_DEBUG=files"};

} // namespace

TEST_CASE("modules: a command on a SQLite file maps neither libpq nor cairo nor cpp-httplib") {
  TempDir d;
  auto r = run_titrate(
      d, {"--db", d.file("t.db"), "--user", "dr.a", "--role", "clinician", "patient", "list"}, "",
      loader_report);
  INFO(r.err.substr(0, 4000));
  CHECK(r.exit_code == 0);
  REQUIRE(mapped(r.err, "libsqlite3.so")); // the loader's report is there to read
  CHECK_FALSE(mapped(r.err, "titrate-postgres.so"));
  CHECK_FALSE(mapped(r.err, "libpq.so"));
  CHECK_FALSE(mapped(r.err, "titrate-pdf.so"));
  CHECK_FALSE(mapped(r.err, "libcairo.so"));
  CHECK_FALSE(mapped(r.err, "libpango-1.0.so"));
  CHECK_FALSE(mapped(r.err, "titrate-web.so"));
  CHECK_FALSE(mapped(r.err, "libcpp-httplib.so"));
  CHECK_FALSE(mapped(r.err, "libssl.so"));
  CHECK_FALSE(mapped(r.err, "libcrypto.so"));
}

TEST_CASE("modules: serve loads the web module, which checks its options") {
  TempDir d;
  // Every symbol of the module is resolved at load (RTLD_NOW), so one the executable lacks would
  // fail here; the module's own check of --listen then refuses the value, and nothing is written.
  auto r = run_titrate(d,
                       {"--db", d.file("t.db"), "--user", "dr.a", "--role", "clinician", "serve",
                        "--listen", "127.0.0.1:99999"},
                       "", loader_report);
  INFO(r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0));
  CHECK(mapped(r.err, "titrate-web.so"));
  CHECK(mapped(r.err, "libcpp-httplib.so"));
  CHECK_FALSE(mapped(r.err, "libpq.so"));
  CHECK_FALSE(mapped(r.err, "libcairo.so"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--listen: \"127.0.0.1:99999\" is not HOST:PORT"));
  CHECK_THAT(r.err, !Contains("did not load")); // plugin.cpp's words for a failed dlopen
  CHECK_FALSE(std::filesystem::exists(d.file("t.db")));
}

TEST_CASE("modules: a postgresql:// location loads the PostgreSQL module, then connects") {
  TempDir d;
  // Port 1 on loopback: nothing listens, so the module loads and the connection is refused.
  auto r = run_titrate(d,
                       {"--db", "postgresql://titrate:secret@127.0.0.1:1/none", "--user", "dr.a",
                        "--role", "clinician", "patient", "list"},
                       "", loader_report);
  INFO(r.err.substr(0, 4000));
  CHECK(mapped(r.err, "titrate-postgres.so"));
  CHECK(mapped(r.err, "libpq.so"));
  CHECK_FALSE(mapped(r.err, "libcairo.so"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("postgresql://titrate:***@127.0.0.1:1/none"));
  CHECK_THAT(r.err, !Contains("secret"));
  CHECK_THAT(r.err, !Contains("module"));
}

TEST_CASE("modules: a PDF loads the PDF module") {
  TempDir d;
  const std::string file = d.write("h2.toml", "id = \"H2\"\nbirth_date = \"1960-03-01\"\n"
                                              "sex = \"female\"\nweight_kg = 70\n"
                                              "serum_creatinine_mg_dl = 0.9\n");
  auto r = run_titrate(d,
                       {"--today", "2026-11-25", "plan", "--patient-file", file, "--start",
                        "2026-12-01", "--format", "pdf", "-o", "h.pdf"},
                       "", loader_report);
  INFO(r.err.substr(0, 4000));
  CHECK(r.exit_code == 0);
  CHECK(mapped(r.err, "titrate-pdf.so"));
  CHECK(mapped(r.err, "libcairo.so"));
  CHECK_FALSE(mapped(r.err, "libpq.so"));
  CHECK(file_bytes(d.file("h.pdf")).rfind("%PDF-", 0) == 0);
}

TEST_CASE("modules: a titrate without its modules refuses (exit 4) naming the file and where it "
          "looked, and writes nothing") {
  TempDir d;
  // The binary alone in a folder of its own (a hard link where the file system allows it).
  const std::filesystem::path lonely = d.path() / "bin" / "titrate";
  std::filesystem::create_directories(lonely.parent_path());
  std::error_code ec;
  std::filesystem::create_hard_link(TITRATE_BINARY, lonely, ec);
  if (ec)
    std::filesystem::copy_file(TITRATE_BINARY, lonely);
  const std::string file = d.write("h2.toml", "id = \"H2\"\nbirth_date = \"1960-03-01\"\n"
                                              "sex = \"female\"\nweight_kg = 70\n"
                                              "serum_creatinine_mg_dl = 0.9\n");
  auto pdf = run_binary(lonely.string(), d,
                        {"--today", "2026-11-25", "plan", "--patient-file", file, "--start",
                         "2026-12-01", "--format", "pdf", "-o", "h.pdf"});
  INFO(pdf.err);
  CHECK(pdf.exit_code == 4);
  CHECK_THAT(pdf.err, Contains("cannot write a PDF handout: titrate's module titrate-pdf.so was "
                               "not found (looked for " +
                               lonely.parent_path().string() + "/titrate-pdf.so"));
  CHECK_FALSE(std::filesystem::exists(d.file("h.pdf")));
  auto pg = run_binary(lonely.string(), d,
                       {"--db", "postgresql://titrate@127.0.0.1:1/none", "--user", "dr.a", "--role",
                        "clinician", "patient", "list"});
  INFO(pg.err);
  CHECK(pg.exit_code == 4);
  CHECK_THAT(pg.err, Contains("cannot open a PostgreSQL database: titrate's module "
                              "titrate-postgres.so was not found"));
  auto web = run_binary(lonely.string(), d,
                        {"--db", d.file("w.db"), "--user", "dr.a", "--role", "clinician", "serve",
                         "--listen", "127.0.0.1:0"});
  INFO(web.err);
  CHECK(web.exit_code == 4);
  CHECK_THAT(web.err, Contains("cannot serve the web pages: titrate's module titrate-web.so was "
                               "not found"));
  CHECK_FALSE(std::filesystem::exists(d.file("w.db")));
  // A SQLite file needs no module.
  auto ok = run_binary(
      lonely.string(), d,
      {"--db", d.file("t.db"), "--user", "dr.a", "--role", "clinician", "patient", "list"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}
