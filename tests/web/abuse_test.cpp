// `titrate serve` under abuse (issue 15 items 4 and 5; docs/web.md, "Security under abuse"):
// unknown links counted instead of audited one by one, failed sign-ins slowed per client and per
// (client, name) without locking the account, the same answer and the same work for an unknown
// name, a wrong password and a locked account, at most N Argon2id checks at once under a flood,
// the headers of every response, and each role's navigation. An in-process server on an ephemeral
// loopback port over a fresh SQLite file; the clock is the test's, so no assertion is timed.
// Figures (audit rows, RSS) are printed; assertions are on counts, statuses and generous bounds.
#include "planner/core/errors.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/login_guard.hpp"
#include "planner/web/server.hpp"
#include "tests/web/web_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <map>
#include <thread>

namespace titrate::test {

namespace {

// The whole Set-Cookie value of `name`, attributes too (web_fixture::set_cookie_pair keeps only
// "name=value").
std::string abuse_cookie(const httplib::Result &r, const std::string &name) {
  for (const auto &[k, v] : r->headers) {
    if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0)
      return v;
  }
  return {};
}

// kB of a /proc/self/status line ("VmRSS:", "VmHWM:").
long proc_status_kb(const std::string &key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0)
      return std::stol(line.substr(key.size()));
  }
  return -1;
}

struct AbuseOptions {
  bool behind_tls = false;
  int threads = 8;
  int checks = 2;
  int queue = 16;
};

struct AbuseServer : web_fixture::ServerFiles {
  std::atomic<std::int64_t> now{1'796'112'000}; // 2026-12-01T08:00:00Z
  std::unique_ptr<web::WebServer> server;
  int port = 0;
  std::string token; // P1's link

  explicit AbuseServer(AbuseOptions o = {}) : ServerFiles("titrate-abuse-test-") {
    repo->add_patient(web_fixture::adult("P1"), web_fixture::clinician);
    token = web::random_token();
    accounts->add_link({web::token_digest(token), "P1", now, std::nullopt});
    for (const auto &[name, role] : std::vector<std::pair<std::string, std::string>>{
             {"dr.a", "clinician"}, {"ph.b", "pharmacist"}, {"ph.only", "pharmacist"}}) {
      accounts->add_user({name, role, web_fixture::password_hash(), 0, 0, now});
    }
    web::WebConfig cfg;
    cfg.port = 0;
    cfg.threads = o.threads;
    cfg.behind_tls = o.behind_tls;
    cfg.login_verifications = o.checks;
    cfg.login_queue = o.queue;
    cfg.today = [] { return Date(2026, 12, 1); };
    cfg.now = [this] { return now.load(); };
    cfg.minute_of_day = [] { return 9 * 60; };
    server = std::make_unique<web::WebServer>(*repo, *accounts, web_fixture::formulary(),
                                              web_fixture::pathways(), cfg);
    port = server->start();
  }
  ~AbuseServer() { server->stop(); }

  httplib::Client client() const { return web_fixture::loopback_client(port, 120); }

  // A login form's cookie ("titrate_login=...") and its token.
  std::pair<std::string, std::string> login_form(const httplib::Headers &h = {}) {
    auto c = client();
    auto page = c.Get("/login", h);
    REQUIRE(page);
    return {web_fixture::set_cookie_pair(page, "titrate_login"), web_fixture::csrf_in(page->body)};
  }

  httplib::Result attempt(const std::string &user, const std::string &pw,
                          const std::string &forwarded_for = "") {
    httplib::Headers h;
    if (!forwarded_for.empty())
      h.emplace("X-Forwarded-For", forwarded_for);
    const auto [cookie, csrf] = login_form(h);
    h.emplace("Cookie", cookie);
    auto c = client();
    return c.Post("/login", h, httplib::Params{{"user", user}, {"password", pw}, {"csrf", csrf}});
  }

  // The session cookie pair and the csrf token of a signed-in user.
  std::pair<std::string, std::string> sign_in(const std::string &user) {
    auto r = attempt(user, web_fixture::password);
    REQUIRE(r);
    REQUIRE(r->status == 303);
    const std::string cookie = web_fixture::set_cookie_pair(r, "titrate_session");
    auto c = client();
    auto home = c.Get(r->get_header_value("Location").c_str(), {{"Cookie", cookie}});
    REQUIRE(home);
    REQUIRE(home->status == 200);
    return {cookie, web_fixture::csrf_in(home->body)};
  }

  std::size_t audit_rows() { return repo->audit(std::nullopt).size(); }
};

int retry_after(const httplib::Result &r) {
  return r->has_header("Retry-After") ? std::stoi(r->get_header_value("Retry-After")) : 0;
}

} // namespace

TEST_CASE("login delay: free failures, then 1, 2, 4 seconds, doubling up to the cap") {
  CHECK(web::login_delay(0, 3, 900) == 0);
  CHECK(web::login_delay(3, 3, 900) == 0);
  CHECK(web::login_delay(4, 3, 900) == 1);
  CHECK(web::login_delay(5, 3, 900) == 2);
  CHECK(web::login_delay(6, 3, 900) == 4);
  CHECK(web::login_delay(13, 3, 900) == 512);
  CHECK(web::login_delay(14, 3, 900) == 900);
  CHECK(web::login_delay(1000, 3, 900) == 900);
}

TEST_CASE("login throttle: per (client, name) and per client, forgotten after a quiet day") {
  AbuseServer s; // for its database
  web::ThrottlePolicy p;
  web::LoginThrottle t(*s.accounts, p);
  const std::int64_t now = 1000;
  for (int i = 0; i < 3; ++i)
    CHECK(t.failed("10.0.0.1", "ph.b", now) == 0);
  CHECK(t.failed("10.0.0.1", "ph.b", now) == 1);
  CHECK(t.wait("10.0.0.1", "ph.b", now) == 1);
  CHECK(t.wait("10.0.0.2", "ph.b", now) == 0); // the owner elsewhere is not slowed
  CHECK(t.wait("10.0.0.1", "dr.a", now) == 0); // nor this client on another name (yet)
  CHECK(t.wait("10.0.0.1", "ph.b", now + 1) == 0);
  t.succeeded("10.0.0.1", "ph.b");
  CHECK(t.failed("10.0.0.1", "ph.b", now + 1) == 0);
  // A day without failures starts the count again.
  CHECK(t.failed("10.0.0.1", "ph.b", now + 2 + p.forget_after) == 0);
  // The client's own count: 20 failures over many names are free, the 21st waits 1 s, the 22nd
  // 2 s (each name tried once, so no name's count is past its 3 free failures).
  const std::int64_t later = now + 10 * p.forget_after;
  for (int i = 0; i < 20; ++i)
    CHECK(t.failed("10.0.0.3", "n" + std::to_string(i), later) == 0);
  CHECK(t.failed("10.0.0.3", "n20", later) == 1);
  CHECK(t.failed("10.0.0.3", "n21", later) == 2);
  CHECK(t.wait("10.0.0.3", "never-tried", later + 1) == 1);
  // A second throttle on the same database (a second server) sees the same counts.
  web::LoginThrottle second(*s.accounts, p);
  CHECK(second.wait("10.0.0.3", "never-tried", later) == 2);
}

TEST_CASE("verify gate: at most the limit inside, a bounded queue, the rest turned away") {
  web::VerifyGate gate(1, 0);
  REQUIRE(gate.enter());
  CHECK_FALSE(gate.enter()); // one inside, no room to wait
  gate.leave();
  CHECK(gate.enter());
  gate.leave();
  const auto st = gate.stats();
  CHECK(st.verifications == 2);
  CHECK(st.turned_away == 1);
  CHECK(st.max_active == 1);
}

TEST_CASE("refusal tally: the first of a minute at once, the rest as one row when it is over") {
  web::RefusalTally t;
  CHECK(t.count("GET /p/{token}: unknown", 120));
  for (int i = 0; i < 999; ++i)
    CHECK_FALSE(t.count("GET /p/{token}: unknown", 121 + i % 50));
  CHECK(t.take_due(179).empty()); // the minute is not over
  const auto due = t.take_due(180);
  REQUIRE(due.size() == 1);
  CHECK(due[0].more == 999);
  CHECK(due[0].minute_start == 120);
  CHECK(t.take_due(10'000).empty()); // taken once
  CHECK(t.count("GET /p/{token}: unknown", 181));
}

TEST_CASE("abuse: 1,000 unknown-link requests write at most a handful of audit rows") {
  AbuseServer s;
  const std::size_t before = s.audit_rows();
  auto c = s.client();
  c.set_keep_alive(true);
  int not_found = 0;
  for (int i = 0; i < 1000; ++i) {
    auto r = c.Get(("/p/" + web::random_token()).c_str());
    REQUIRE(r);
    not_found += r->status == 404;
  }
  CHECK(not_found == 1000);
  s.server->stop(); // the minute's count is written when the server stops (or the minute ends)
  const auto rows = s.repo->audit(std::nullopt);
  const std::size_t written = rows.size() - before;
  std::cout << "abuse figure: 1,000 unknown-link requests -> " << written << " audit rows\n";
  CHECK(written <= 3);
  CHECK(written >= 2);
  bool summary = false;
  for (const auto &e : rows)
    summary = summary ||
              e.detail.find("999 more in the minute from 2026-12-01 08:00 UTC: GET "
                            "/p/{token}: unknown or revoked patient link") != std::string::npos;
  CHECK(summary);
}

TEST_CASE("abuse: the next minute's first unknown link is written, and the last minute's count") {
  AbuseServer s;
  auto c = s.client();
  for (int i = 0; i < 10; ++i)
    c.Get(("/p/" + web::random_token()).c_str());
  const std::size_t mid = s.audit_rows();
  s.now += 60;
  c.Get(("/p/" + web::random_token()).c_str());
  // "9 more" for the first minute and the first of the second.
  CHECK(s.audit_rows() == mid + 2);
}

TEST_CASE("abuse: a stranger's 20 bad logins are slowed and do not keep the owner out") {
  AbuseServer s(AbuseOptions{.behind_tls = true});
  const std::string stranger = "203.0.113.7", owner = "198.51.100.4";
  std::vector<int> waits;
  for (int i = 1; i <= 20; ++i) {
    auto r = s.attempt("ph.only", "not the password", "10.9.9.9, " + stranger);
    REQUIRE(r);
    const std::int64_t expected = web::login_delay(i, 3, 15 * 60);
    CHECK(r->status == (expected > 0 ? 429 : 403));
    CHECK(retry_after(r) == expected);
    waits.push_back(retry_after(r));
    if (expected > 0) {
      // Trying again before the wait is over: 429 again, and no password is checked.
      const long checks = s.server->login_stats().verifications;
      auto early = s.attempt("ph.only", web_fixture::password, stranger);
      CHECK(early->status == 429);
      CHECK(retry_after(early) == expected);
      CHECK(s.server->login_stats().verifications == checks);
    }
    s.now += retry_after(r);
  }
  std::cout << "abuse figure: waits (s) after each of a stranger's 20 failures:";
  for (const int w : waits)
    std::cout << ' ' << w;
  std::cout << '\n';
  // The owner, from their own client, is neither locked nor slowed.
  CHECK(s.attempt("ph.only", "a typo in it", owner)->status == 403);
  CHECK(s.attempt("ph.only", web_fixture::password, owner)->status == 303);
  CHECK(s.accounts->user("ph.only")->locked_until == 0);
  // X-Forwarded-For: only the address the proxy appended last counts; the stranger's own
  // entries in front of it change nothing.
  CHECK(s.attempt("ph.only", "not the password", owner + ", " + stranger)->status == 429);
}

TEST_CASE("abuse: one client spraying many names waits after 20 failures") {
  AbuseServer s;
  for (int i = 1; i <= 20; ++i)
    CHECK(s.attempt("name" + std::to_string(i), "wrong password")->status == 403);
  auto r = s.attempt("name21", "wrong password");
  CHECK(r->status == 429);
  CHECK(retry_after(r) == 1);
}

TEST_CASE("abuse: without --behind-tls X-Forwarded-For is ignored") {
  AbuseServer s;
  for (int i = 0; i < 3; ++i)
    s.attempt("ph.b", "wrong password", "192.0.2." + std::to_string(i));
  CHECK(s.attempt("ph.b", "wrong password", "192.0.2.99")->status == 429);
}

TEST_CASE("abuse: unknown name, wrong password and locked account get the same answer and one "
          "password check each") {
  AbuseServer s;
  s.accounts->set_login_state("ph.b", 0, s.now + 3600); // locked (an older titrate, an operator)
  const auto [cookie, csrf] = s.login_form();
  auto c = s.client();
  const auto post = [&](const std::string &user, const std::string &pw) {
    const long checks = s.server->login_stats().verifications;
    const std::size_t rows = s.audit_rows();
    const auto t0 = std::chrono::steady_clock::now();
    auto r = c.Post("/login", {{"Cookie", cookie}},
                    httplib::Params{{"user", user}, {"password", pw}, {"csrf", csrf}});
    std::cout << "abuse figure: sign-in as " << user << ": "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - t0)
                     .count()
              << " ms (printed, not asserted)\n";
    REQUIRE(r);
    CHECK(s.server->login_stats().verifications == checks + 1);
    CHECK(s.audit_rows() == rows + 1);
    return r;
  };
  const auto unknown = post("nobody.here", "wrong password");
  const auto wrong = post("dr.a", "wrong password");
  const auto locked = post("ph.b", "wrong password");
  CHECK(unknown->status == 403);
  CHECK(wrong->status == unknown->status);
  CHECK(locked->status == unknown->status);
  CHECK(wrong->body == unknown->body);
  CHECK(locked->body == unknown->body);
  CHECK(wrong->headers == unknown->headers);
  CHECK(locked->headers == unknown->headers);
  CHECK(unknown->body.find("Wrong user name or password.") != std::string::npos);
  // Only someone who knows the password learns of the lock.
  const auto owner = post("ph.b", web_fixture::password);
  CHECK(owner->status == 403);
  CHECK(owner->body.find("locked until") != std::string::npos);
}

TEST_CASE("abuse: 64 concurrent bad logins keep Argon2id checks at N and memory flat") {
  AbuseServer s(AbuseOptions{.threads = 80, .checks = 2, .queue = 16});
  constexpr int flood = 64;
  std::vector<std::pair<std::string, std::string>> forms;
  for (int i = 0; i < flood; ++i)
    forms.push_back(s.login_form());
  const long rss_before = proc_status_kb("VmRSS:");
  std::latch go(flood + 1);
  std::map<int, int> statuses;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int i = 0; i < flood; ++i) {
    threads.emplace_back([&, i] {
      auto c = s.client();
      go.arrive_and_wait();
      const auto started = std::chrono::steady_clock::now();
      auto r = c.Post("/login", {{"Cookie", forms[i].first}},
                      httplib::Params{{"user", "flood" + std::to_string(i)},
                                      {"password", "wrong password"},
                                      {"csrf", forms[i].second}});
      const std::lock_guard lock(m);
      ++statuses[r ? r->status : -1];
      if (!r)
        std::cout << "abuse flood: no answer: " << httplib::to_string(r.error()) << " after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()
                  << " ms\n";
    });
  }
  go.arrive_and_wait();
  // A patient page is served meanwhile (its time is printed, not asserted).
  const auto t0 = std::chrono::steady_clock::now();
  auto patient = s.client().Get(("/p/" + s.token).c_str());
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  for (auto &t : threads)
    t.join();
  const long rss_after = proc_status_kb("VmRSS:");
  const long hwm = proc_status_kb("VmHWM:");
  const auto stats = s.server->login_stats();
  std::cout << "abuse figure: 64 concurrent bad logins: RSS " << rss_before / 1024
            << " MiB before, " << rss_after / 1024 << " MiB after, peak (VmHWM) " << hwm / 1024
            << " MiB; most Argon2id checks at once " << stats.max_active << " (limit 2); "
            << stats.verifications << " checked, " << stats.turned_away
            << " turned away (503); statuses:";
  for (const auto &[status, n] : statuses)
    std::cout << ' ' << status << "x" << n;
  std::cout << "; a patient page meanwhile: " << (patient ? patient->status : -1) << " in " << ms
            << " ms\n";
  REQUIRE(patient);
  CHECK(patient->status == 200);
  CHECK(stats.max_active <= 2);
  CHECK(stats.max_active >= 1);
  int answered = 0;
  // Every connection is answered (the server raises cpp-httplib's accept queue of 5; before, a
  // loaded machine dropped some of 64 simultaneous connections unanswered).
  for (const auto &[status, n] : statuses) {
    CHECK((status == 403 || status == 429 || status == 503));
    answered += n;
  }
  CHECK(answered == flood);
  CHECK(stats.verifications + stats.turned_away <= flood);
  CHECK(hwm < 512 * 1024);
  CHECK(rss_after < 512 * 1024);
}

TEST_CASE("abuse: Referrer-Policy on every kind of response, Secure and HSTS only behind TLS") {
  for (const bool tls : {false, true}) {
    AbuseServer s(AbuseOptions{.behind_tls = tls});
    auto c = s.client();
    const auto [session, csrf] = s.sign_in("dr.a");
    const httplib::Headers staff{{"Cookie", session}};
    std::vector<std::pair<std::string, httplib::Result>> responses;
    responses.emplace_back("html page", c.Get("/login"));
    responses.emplace_back("redirect", c.Get("/"));
    responses.emplace_back("patient page", c.Get(("/p/" + s.token).c_str()));
    responses.emplace_back("unknown link 404", c.Get("/p/0123456789abcdef0123456789abcdef"));
    responses.emplace_back("no route 404", c.Get("/no/such/page"));
    responses.emplace_back("json", c.Get("/api/due", staff));
    responses.emplace_back("json refusal", c.Get("/api/due"));
    responses.emplace_back("form error 400", c.Post(("/p/" + s.token + "/scores").c_str(),
                                                    httplib::Params{{"score", "11"}}));
    responses.emplace_back("role refusal 403", c.Get("/pharmacy/", staff));
    responses.emplace_back("failed login", s.attempt("dr.a", "wrong password"));
    for (const auto &[what, r] : responses) {
      INFO(what << (tls ? " behind TLS" : ""));
      REQUIRE(r);
      CHECK(r->get_header_value("Referrer-Policy") == "no-referrer");
      CHECK(r->get_header_value_count("Referrer-Policy") == 1);
      CHECK(r->has_header("Strict-Transport-Security") == tls);
    }
    auto form = c.Get("/login");
    CHECK((abuse_cookie(form, "titrate_login").find("; Secure") != std::string::npos) == tls);
    auto ok = s.attempt("ph.b", web_fixture::password);
    REQUIRE(ok->status == 303);
    CHECK((abuse_cookie(ok, "titrate_session").find("; Secure") != std::string::npos) == tls);
    CHECK(abuse_cookie(ok, "titrate_session").find("HttpOnly; SameSite=Strict") !=
          std::string::npos);
  }
}

TEST_CASE("navigation: each role sees its own section, and a refusal keeps the header") {
  AbuseServer s;
  auto c = s.client();
  const auto [clin, clin_csrf] = s.sign_in("dr.a");
  const auto [pharm, pharm_csrf] = s.sign_in("ph.b");
  auto clinic = c.Get("/clinic/", {{"Cookie", clin}});
  CHECK(clinic->body.find("<a href=\"/clinic/\">Clinic</a>") != std::string::npos);
  CHECK(clinic->body.find("href=\"/pharmacy/\"") == std::string::npos);
  CHECK(clinic->body.find("dr.a (clinician)") != std::string::npos);
  auto queue = c.Get("/pharmacy/", {{"Cookie", pharm}});
  CHECK(queue->body.find("<a href=\"/pharmacy/\">Pharmacy</a>") != std::string::npos);
  CHECK(queue->body.find("href=\"/clinic/\"") == std::string::npos);

  // A clinician following a link to the pharmacy: 403 with the header, told why, a way home.
  auto refused = c.Get("/pharmacy/", {{"Cookie", clin}});
  CHECK(refused->status == 403);
  CHECK(refused->body.find("<a href=\"/clinic/\">Clinic</a>") != std::string::npos);
  CHECK(refused->body.find("action=\"/logout\"") != std::string::npos);
  CHECK(refused->body.find("value=\"" + clin_csrf + "\"") != std::string::npos);
  CHECK(refused->body.find("This page is for pharmacists. You are signed in as dr.a, a "
                           "clinician") != std::string::npos);
  CHECK(refused->body.find("<a id=\"home\" href=\"/clinic/\">Back to the clinic</a>") !=
        std::string::npos);
  auto other = c.Get("/clinic/patients/P1", {{"Cookie", pharm}});
  CHECK(other->status == 403);
  CHECK(other->body.find("This page is for clinicians") != std::string::npos);
  CHECK(other->body.find("<a id=\"home\" href=\"/pharmacy/\">Back to the review queue</a>") !=
        std::string::npos);
  // A staff 404 keeps the header too; an anonymous one has none.
  auto missing = c.Get("/clinic/patients/NOPE", {{"Cookie", clin}});
  CHECK(missing->status == 404);
  CHECK(missing->body.find("action=\"/logout\"") != std::string::npos);
  auto anon = c.Get("/p/0123456789abcdef0123456789abcdef");
  CHECK(anon->body.find("action=\"/logout\"") == std::string::npos);
}

TEST_CASE("banners come from stored state, never from the query string") {
  AbuseServer s;
  PlanRequest req;
  req.start = Date(2026, 12, 1);
  req.today = Date(2026, 12, 1);
  const Actor &author = web_fixture::clinician;
  const int v = s.repo->save_draft(
      build_plan(web_fixture::adult("P1"), web_fixture::formulary(), web_fixture::cipn(), req),
      author);
  s.repo->submit("P1", v, author);
  auto c = s.client();
  const auto [clin, clin_csrf] = s.sign_in("dr.a");
  const auto [pharm, pharm_csrf] = s.sign_in("ph.b");
  auto clinic = c.Get("/clinic/patients/P1?drafted=99&submitted=1", {{"Cookie", clin}});
  CHECK(clinic->status == 200);
  CHECK(clinic->body.find("role=\"status\"") == std::string::npos);
  const std::string version = "/pharmacy/patients/P1/versions/" + std::to_string(v);
  for (const char *q : {"?done=approved", "?done=rejected", "?drafted=99&submitted=1"}) {
    auto r = c.Get((version + q).c_str(), {{"Cookie", pharm}});
    INFO(q);
    CHECK(r->status == 200);
    CHECK(r->body.find("role=\"status\"") == std::string::npos);
  }
  // After the pharmacist's own approval the banner shows.
  s.repo->approve("P1", v, Actor{"ph.b", "pharmacist"});
  auto approved = c.Get((version + "?done=approved").c_str(), {{"Cookie", pharm}});
  CHECK(approved->body.find("Approved: this version is now the active schedule.") !=
        std::string::npos);
  auto not_rejected = c.Get((version + "?done=rejected").c_str(), {{"Cookie", pharm}});
  CHECK(not_rejected->body.find("role=\"status\"") == std::string::npos);
}

} // namespace titrate::test
