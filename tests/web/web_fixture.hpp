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
#include "tests/web/web_cookies.hpp"
#include "tests/web/web_people.hpp"

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
struct StaffLogin {
  std::string cookie; // "titrate_session=..."
  std::string csrf;
};

// A fresh folder "<prefix><pid>-<n>" in the temporary directory with a SQLite database opened as
// the repository and the accounts. On destruction the stores close, then the folder goes; a test
// server derived from it stops its WebServer in its own destructor, before that.
struct ServerFiles {
  std::filesystem::path dir;
  std::string db;
  std::unique_ptr<SqliteStore> repo;
  std::unique_ptr<SqliteAccounts> accounts;

  explicit ServerFiles(const std::string &prefix);
  ~ServerFiles();
  ServerFiles(const ServerFiles &) = delete;
  ServerFiles &operator=(const ServerFiles &) = delete;
};

// A client of the server on the loopback `port`, waiting at most `read_timeout_s` for an answer.
httplib::Client loopback_client(int port, int read_timeout_s);

// Patients P1 and P2 (adults) with links token1 and token2; staff dr.a, dr.c (clinicians), ph.b,
// ph.d (pharmacists); today 2026-12-01, now 2026-12-01T08:00:00Z, a score's minute 09:00.
struct Server : ServerFiles {
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
