// The Accounts contract (planner/store/accounts.hpp): one body, run against both back ends, each
// opened by location through planner/store/open.hpp as the CLI does: a SQLite file and a fresh
// PostgreSQL database of the ctest fixture "pg". Expected values are worked out by hand from the
// interface's comments and the web policy (5 failures lock, web/server.hpp), not from output.
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "tests/pg/pg_test.hpp"
#include "tests/web/web_people.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

namespace titrate::test {

namespace fs = std::filesystem;

namespace {

using web_fixture::adult;
using web_fixture::clinician;

// A new empty database of the back end `kind` ("sqlite" or "postgresql"); removed afterwards
// (the PostgreSQL ones go with the fixture's cluster).
struct Location {
  fs::path dir;
  std::string url;
  explicit Location(const std::string &kind) {
    if (kind == "postgresql") {
      url = fresh_pg_database("web_accounts");
      return;
    }
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("titrate-accounts-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::remove_all(dir);
    fs::create_directories(dir);
    url = (dir / "t.db").string();
  }
  ~Location() {
    std::error_code ec;
    if (!dir.empty())
      fs::remove_all(dir, ec);
  }
  Location(const Location &) = delete;
  Location &operator=(const Location &) = delete;
};

// A new database of `kind` and two connections to it, as two servers on one database.
struct TwoServers {
  Location loc;
  std::unique_ptr<Accounts> accounts, other;
  explicit TwoServers(const std::string &kind)
      : loc(kind), accounts(open_accounts(loc.url)), other(open_accounts(loc.url)) {}
};

UserAccount staff(const std::string &name, const std::string &role, std::int64_t created) {
  return UserAccount{name, role, "$argon2id$v=19$not-a-real-hash-" + name, 0, 0, created};
}

} // namespace

TEST_CASE("accounts contract: users, duplicates and login state") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  Location loc(kind);
  auto accounts = open_accounts(loc.url);
  accounts->add_user(staff("ph.b", "pharmacist", 200));
  accounts->add_user(staff("dr.a", "clinician", 100));
  CHECK_THROWS_AS(accounts->add_user(staff("dr.a", "pharmacist", 300)), RefusedError);

  const auto a = accounts->user("dr.a");
  REQUIRE(a.has_value());
  CHECK(a->role == "clinician"); // the refused duplicate changed nothing
  CHECK(a->password_hash == "$argon2id$v=19$not-a-real-hash-dr.a");
  CHECK(a->failed_logins == 0);
  CHECK(a->locked_until == 0);
  CHECK(a->created == 100);
  CHECK_FALSE(accounts->user("nobody").has_value());

  const auto all = accounts->users();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "dr.a"); // by name
  CHECK(all[1].name == "ph.b");

  accounts->set_login_state("dr.a", 3, 1'796'112'900);
  CHECK(accounts->user("dr.a")->failed_logins == 3);
  CHECK(accounts->user("dr.a")->locked_until == 1'796'112'900);
  CHECK_THROWS_AS(accounts->set_login_state("nobody", 1, 0), NotFoundError);
}

TEST_CASE("accounts contract: failed logins count up and the fifth locks") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  Location loc(kind);
  auto accounts = open_accounts(loc.url);
  accounts->add_user(staff("dr.a", "clinician", 100));
  const std::int64_t lock = 1'796'112'000 + 15 * 60;
  // Failures 1-4 count; the fifth reaches max_failures = 5: locked, count back to 0.
  for (int i = 1; i <= 4; ++i) {
    CHECK(accounts->record_failed_login("dr.a", 5, lock) == i);
    CHECK(accounts->user("dr.a")->failed_logins == i);
    CHECK(accounts->user("dr.a")->locked_until == 0);
  }
  CHECK(accounts->record_failed_login("dr.a", 5, lock) == 5);
  CHECK(accounts->user("dr.a")->failed_logins == 0);
  CHECK(accounts->user("dr.a")->locked_until == lock);
  // A later failure counts 1 again and keeps the lock (it never shortens one).
  CHECK(accounts->record_failed_login("dr.a", 5, lock + 100) == 1);
  CHECK(accounts->user("dr.a")->locked_until == lock);
  CHECK_THROWS_AS(accounts->record_failed_login("nobody", 5, lock), NotFoundError);
}

TEST_CASE("accounts contract: failures from two connections at once all count") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  Location loc(kind);
  auto first = open_accounts(loc.url);
  auto second = open_accounts(loc.url); // as a second server on the same database
  first->add_user(staff("dr.a", "clinician", 100));
  first->add_user(staff("dr.c", "clinician", 100));
  constexpr int per_thread = 40;
  std::vector<int> locks_seen(2, 0);
  const auto hammer = [&](Accounts &acc, int slot) {
    for (int i = 0; i < per_thread; ++i) {
      acc.record_failed_login("dr.a", 1000, 0); // never reaches the lock: a plain count
      if (acc.record_failed_login("dr.c", 5, 9999) == 5)
        ++locks_seen[static_cast<std::size_t>(slot)];
    }
  };
  std::thread t1(hammer, std::ref(*first), 0);
  std::thread t2(hammer, std::ref(*second), 1);
  t1.join();
  t2.join();
  // 2 x 40 = 80 failures: none lost. For dr.c, 80 failures with a lock at every 5th = 16 locks,
  // and the count ends at 80 - 16 x 5 = 0.
  CHECK(first->user("dr.a")->failed_logins == 2 * per_thread);
  CHECK(locks_seen[0] + locks_seen[1] == 16);
  CHECK(first->user("dr.c")->failed_logins == 0);
  CHECK(first->user("dr.c")->locked_until == 9999);
}

TEST_CASE("accounts contract: patient links are for stored patients and revoke once") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  Location loc(kind);
  auto repo = open_repository(loc.url);
  repo->add_patient(adult("P1"), clinician);
  repo->add_patient(adult("P2"), clinician);
  auto accounts = open_accounts(loc.url);
  CHECK_THROWS_AS(accounts->add_link({"ff00", "NOPE", 10, std::nullopt}), NotFoundError);
  accounts->add_link({"aa11", "P1", 10, std::nullopt});
  accounts->add_link({"bb22", "P1", 11, std::nullopt});
  accounts->add_link({"cc33", "P2", 12, std::nullopt});
  accounts->add_link({"dd44", "P2", 13, std::int64_t{14}}); // stored already revoked
  const auto l = accounts->link("aa11");
  REQUIRE(l.has_value());
  CHECK(l->patient == "P1");
  CHECK(l->created == 10);
  CHECK_FALSE(l->revoked.has_value());
  CHECK(accounts->link("dd44")->revoked == std::optional<std::int64_t>(14));
  CHECK_FALSE(accounts->link("ee55").has_value());

  CHECK(accounts->revoke_links("P1", 50) == 2); // both live links of P1
  CHECK(accounts->link("aa11")->revoked == std::optional<std::int64_t>(50));
  CHECK(accounts->link("bb22")->revoked == std::optional<std::int64_t>(50));
  CHECK_FALSE(accounts->link("cc33")->revoked.has_value()); // P2 untouched
  CHECK(accounts->revoke_links("P1", 60) == 0);             // nothing live left
  CHECK(accounts->link("aa11")->revoked == std::optional<std::int64_t>(50));
  CHECK(accounts->revoke_links("P2", 70) == 1); // dd44 was revoked before: only cc33
  CHECK(accounts->link("dd44")->revoked == std::optional<std::int64_t>(14));
}

TEST_CASE("accounts contract: sessions are found, deleted and expire at their time") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  Location loc(kind);
  auto accounts = open_accounts(loc.url);
  accounts->add_user(staff("dr.a", "clinician", 100));
  accounts->add_session({"h1", "dr.a", "c1", 100});
  accounts->add_session({"h2", "dr.a", "c2", 200});
  accounts->add_session({"h3", "dr.a", "c3", 300});
  const auto s = accounts->session("h2");
  REQUIRE(s.has_value());
  CHECK(s->user == "dr.a");
  CHECK(s->csrf == "c2");
  CHECK(s->expires == 200);
  CHECK_FALSE(accounts->session("h9").has_value());

  // A session seen by a second connection (another server) as soon as it is added.
  auto other = open_accounts(loc.url);
  CHECK(other->session("h3").has_value());
  other->delete_session("h3");
  CHECK_FALSE(accounts->session("h3").has_value());

  // Expired means expires <= now: at 200, h1 (100) and h2 (200) go.
  CHECK(accounts->delete_expired_sessions(199) == 1);
  CHECK(accounts->delete_expired_sessions(200) == 1);
  CHECK_FALSE(accounts->session("h2").has_value());
  CHECK(accounts->delete_expired_sessions(1000) == 0);
}

TEST_CASE("accounts contract: a token is used once until it expires, on every connection, "
          "and given back") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  TwoServers two(kind);
  auto &accounts = two.accounts;
  auto &other = two.other;
  const std::string ehr = "cds:https://ehr.example.org";
  // First use at 1000 of a token that expires at 1300.
  CHECK(accounts->use_once(ehr, "j1", 1300, 1000));
  // The same token again, on this connection or the other, before it expires: a replay.
  CHECK_FALSE(accounts->use_once(ehr, "j1", 1300, 1001));
  CHECK_FALSE(other->use_once(ehr, "j1", 1300, 1299));
  // The same id in another scope (another issuer) is another token.
  CHECK(other->use_once("cds:https://other-ehr.example.org", "j1", 1300, 1002));
  // Expired means expires <= now: at 1300 the record of j1 is forgotten (the verifier refuses
  // the token itself by its exp), so the id may be recorded again with a new expiry.
  CHECK(accounts->use_once(ehr, "j1", 1600, 1300));
  CHECK_FALSE(other->use_once(ehr, "j1", 1600, 1400));
  // Two servers taking the same fresh token at once: exactly one accepts it.
  bool a = false, b = false;
  std::thread t1([&] { a = accounts->use_once(ehr, "race", 2000, 1500); });
  std::thread t2([&] { b = other->use_once(ehr, "race", 2000, 1500); });
  t1.join();
  t2.join();
  CHECK(a != b);
  // A token given back (the work it guarded failed) may be used again; only that one.
  CHECK(accounts->use_once("form", "f1", 9000, 2000));
  CHECK(accounts->use_once("form", "f2", 9000, 2000));
  other->release_once("form", "f1");
  CHECK(accounts->use_once("form", "f1", 9000, 2001));
  CHECK_FALSE(accounts->use_once("form", "f2", 9000, 2001));
}

TEST_CASE("accounts contract: failed sign-ins count per key on every connection and are "
          "forgotten after a quiet spell") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO("back end " << kind);
  TwoServers two(kind);
  auto &accounts = two.accounts;
  auto &other = two.other;
  const std::int64_t day = 86400;
  CHECK(accounts->login_failures("client 192.0.2.1", 1000, day).failures == 0);
  CHECK(accounts->count_login_failure("client 192.0.2.1", 1000, day).failures == 1);
  const auto second = other->count_login_failure("client 192.0.2.1", 1005, day);
  CHECK(second.failures == 2);
  CHECK(second.last == 1005);
  // Each key counts alone.
  CHECK(other->count_login_failure("client 192.0.2.2", 1006, day).failures == 1);
  const auto read = accounts->login_failures("client 192.0.2.1", 1010, day);
  CHECK(read.failures == 2);
  CHECK(read.last == 1005);
  // Quiet for a whole day (last failure at 1005, a day later is 87405): forgotten, and the next
  // failure counts from 1.
  CHECK(accounts->login_failures("client 192.0.2.1", 1005 + day - 1, day).failures == 2);
  CHECK(accounts->login_failures("client 192.0.2.1", 1005 + day, day).failures == 0);
  CHECK(other->count_login_failure("client 192.0.2.1", 1005 + day, day).failures == 1);
  // A success starts one key again and leaves the others.
  accounts->forget_login_failures("client 192.0.2.1");
  CHECK(other->login_failures("client 192.0.2.1", 1005 + day, day).failures == 0);
  CHECK(other->login_failures("client 192.0.2.2", 1006 + day - 1, day).failures == 1);
  // Two servers counting one key at once lose none: 2 x 40 failures.
  const auto hammer = [](Accounts &acc) {
    for (int i = 0; i < 40; ++i)
      acc.count_login_failure("name 192.0.2.9\nph.b", 5000 + i, day);
  };
  std::thread t1(hammer, std::ref(*accounts));
  std::thread t2(hammer, std::ref(*other));
  t1.join();
  t2.join();
  CHECK(accounts->login_failures("name 192.0.2.9\nph.b", 5040, day).failures == 80);
}

} // namespace titrate::test
