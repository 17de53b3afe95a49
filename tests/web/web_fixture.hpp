#pragma once
// The in-process server the web tests share (tests/web/*_test.cpp): the shipped formulary and
// pathways, a hand-checked adult patient, staff accounts with one known password, and a fresh
// SQLite file per test with a WebServer on an ephemeral loopback port. Expected doses in the
// tests are worked out by hand from clinical.md (see web_test.cpp).
#include "planner/formulary/monograph.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "planner/web/server.hpp"

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace titrate::test::web_fixture {

const Formulary &formulary();
const std::vector<Pathway> &pathways();
const Pathway &cipn();
extern const std::string password;
const std::string &password_hash(); // Argon2id is slow: hashed once
// Born 1971-06-15, female, 65 kg, creatinine 0.8 mg/dL, baseline pain 7.
Patient adult(const std::string &id);
extern const Actor clinician;

struct StaffLogin {
  std::string cookie; // "titrate_session=..."
  std::string csrf;
};

std::string set_cookie_pair(const httplib::Result &r, const std::string &name);
std::string csrf_in(const std::string &html);

// Patients P1 and P2 (adults) with links token1 and token2; staff dr.a, dr.c (clinicians), ph.b,
// ph.d (pharmacists); today 2026-12-01, now 2026-12-01T08:00:00Z, a score's minute 09:00.
struct Server {
  std::filesystem::path dir;
  std::string db;
  std::unique_ptr<SqliteStore> repo;
  std::unique_ptr<SqliteAccounts> accounts;
  std::atomic<std::int64_t> now{1'796'112'000}; // 2026-12-01T08:00:00Z
  Date today{2026, 12, 1};
  std::unique_ptr<web::WebServer> server;
  int port = 0;
  std::string token1, token2; // links of P1 and P2

  Server();
  ~Server();
  httplib::Client client() const;
  httplib::Result login_attempt(const std::string &user, const std::string &pw);
  StaffLogin login(const std::string &user);
  // A cipn-esmo plan for the patient from today, drafted by dr.a, submitted, approved by ph.b
  // (direct use of the store, for tests that need an active schedule).
  void approved_plan(const std::string &patient = "P1");
  // A web.refused audit entry of `user` whose detail contains `needle`.
  bool audited(const std::string &user, const std::string &needle);
};

std::size_t count(const std::string &hay, const std::string &needle);

} // namespace titrate::test::web_fixture
