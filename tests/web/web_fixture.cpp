// The web tests' shared server and helpers (web_fixture.hpp).
#include "tests/web/web_fixture.hpp"

#include "planner/formulary/loader.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/web/crypto.hpp"
#include "tests/common/shipped_formulary.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

namespace titrate::test::web_fixture {

namespace fs = std::filesystem;

const Formulary &formulary() {
  return shipped_formulary();
}

const std::vector<Pathway> &pathways() {
  return shipped_pathways();
}

const Pathway &cipn() {
  return shipped_pathway("cipn-esmo");
}

const std::string password = "correct horse battery";
const std::string &password_hash() {
  static const std::string h = web::hash_password(password); // Argon2id is slow: hash once
  return h;
}

ServerFiles::ServerFiles(const std::string &prefix) {
  static int n = 0;
  dir =
      fs::temp_directory_path() / (prefix + std::to_string(::getpid()) + "-" + std::to_string(++n));
  fs::remove_all(dir);
  fs::create_directories(dir);
  db = (dir / "t.db").string();
  repo = std::make_unique<SqliteStore>(db);
  accounts = std::make_unique<SqliteAccounts>(db);
}

ServerFiles::~ServerFiles() {
  accounts.reset();
  repo.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

httplib::Client loopback_client(int port, int read_timeout_s) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(read_timeout_s, 0);
  return c;
}

Server::Server() : ServerFiles("titrate-web-test-") {
  repo->add_patient(adult("P1"), clinician);
  repo->add_patient(adult("P2"), clinician);
  token1 = web::random_token();
  token2 = web::random_token();
  accounts->add_link({web::token_digest(token1), "P1", now, std::nullopt});
  accounts->add_link({web::token_digest(token2), "P2", now, std::nullopt});
  for (const auto &[name, role] :
       std::vector<std::pair<std::string, std::string>>{{"dr.a", "clinician"},
                                                        {"dr.c", "clinician"},
                                                        {"ph.b", "pharmacist"},
                                                        {"ph.d", "pharmacist"}}) {
    accounts->add_user({name, role, password_hash(), 0, 0, now});
  }
  web::WebConfig cfg;
  cfg.port = 0;
  cfg.threads = 8;
  cfg.today = [this] { return today; };
  cfg.now = [this] { return now.load(); };
  cfg.minute_of_day = [] { return 9 * 60; };
  server = std::make_unique<web::WebServer>(*repo, *accounts, formulary(), pathways(), cfg);
  port = server->start();
}

Server::~Server() {
  server->stop();
}

httplib::Client Server::client() const {
  return loopback_client(port, 30);
}

httplib::Result Server::login_attempt(const std::string &user, const std::string &pw) {
  auto c = client();
  auto page = c.Get("/login");
  REQUIRE(page);
  const std::string pre = set_cookie_pair(page, "titrate_login");
  return c.Post("/login", {{"Cookie", pre}},
                httplib::Params{{"user", user}, {"password", pw}, {"csrf", csrf_in(page->body)}});
}

StaffLogin Server::login(const std::string &user) {
  auto r = login_attempt(user, password);
  REQUIRE(r);
  REQUIRE(r->status == 303);
  StaffLogin s;
  s.cookie = set_cookie_pair(r, "titrate_session");
  REQUIRE(!s.cookie.empty());
  auto c = client();
  auto home = c.Get(r->get_header_value("Location").c_str(), {{"Cookie", s.cookie}});
  REQUIRE(home);
  REQUIRE(home->status == 200);
  s.csrf = csrf_in(home->body);
  REQUIRE(!s.csrf.empty());
  return s;
}

void Server::approved_plan(const std::string &patient) {
  PlanRequest req;
  req.start = today;
  req.today = today;
  const Plan plan = build_plan(adult(patient), formulary(), cipn(), req);
  const int v = repo->save_draft(plan, clinician);
  repo->submit(patient, v, clinician);
  repo->approve(patient, v, Actor{"ph.b", "pharmacist"});
}

bool Server::audited(const std::string &user, const std::string &needle) {
  for (const auto &e : repo->audit(std::nullopt)) {
    if (e.action == "web.refused" && e.user == user && e.detail.find(needle) != std::string::npos)
      return true;
  }
  return false;
}

std::size_t count(const std::string &hay, const std::string &needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1))
    ++n;
  return n;
}

} // namespace titrate::test::web_fixture
