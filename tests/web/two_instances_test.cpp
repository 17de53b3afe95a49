// Two `titrate serve` processes (the real binary) on ONE PostgreSQL database of the ctest fixture
// "pg", requests alternating between them: a session made on A works on B, a score
// logged through A is seen through B, five failed sign-ins spread over A and B lock no account
// (the owner signs in on both), and when two pharmacists approve the same version at once through A
// and B exactly one wins (four eyes and versioning hold across servers). Setup goes through the CLI
// on the same database, as a clinic's administrator would.
#include "planner/store/open.hpp"
#include "tests/cli/run.hpp"
#include "tests/pg/pg_test.hpp"
#include "tests/web/web_cookies.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <thread>

extern char **environ;

namespace titrate::test {

namespace {

const std::string staff_password = "a long staff password";

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

// `titrate serve` on a free loopback port with TITRATE_DB = url; ready once it prints "serving".
class Serve {
public:
  Serve(const std::string &db, const std::string &log_path) {
    port_ = free_port();
    std::vector<std::string> env_text;
    for (char **e = environ; *e; ++e) {
      const std::string kv = *e;
      if (kv.rfind("TITRATE_", 0) != 0)
        env_text.push_back(kv);
    }
    env_text.push_back("TITRATE_DB=" + db);
    env_text.push_back("TITRATE_TODAY=2026-12-01");
    const std::vector<std::string> args{TITRATE_BINARY, "serve", "--listen",
                                        "127.0.0.1:" + std::to_string(port_)};
    std::vector<char *> argv, envp;
    for (const auto &a : args)
      argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto &e : env_text)
      envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int err = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (err >= 0)
        ::dup2(err, STDERR_FILENO);
      ::close(out[0]);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    // Ready when it says so (opening and migrating the database comes first), at most 60 s.
    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (seen.find("serving") == std::string::npos) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0)
        continue;
      char buf[512];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      INFO("serve said: " << seen);
      REQUIRE(n > 0); // 0: it exited before serving
      seen.append(buf, static_cast<std::size_t>(n));
    }
  }
  ~Serve() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(out_);
  }
  Serve(const Serve &) = delete;
  Serve &operator=(const Serve &) = delete;

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

private:
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

using web_fixture::csrf_in;
using web_fixture::set_cookie_pair;

httplib::Result login_attempt(const Serve &s, const std::string &user, const std::string &pw) {
  auto c = s.client();
  auto page = c.Get("/login");
  REQUIRE(page);
  return c.Post("/login", {{"Cookie", set_cookie_pair(page, "titrate_login")}},
                httplib::Params{{"user", user}, {"password", pw}, {"csrf", csrf_in(page->body)}});
}

// Signs in on `s`; returns the session cookie pair.
std::string login(const Serve &s, const std::string &user) {
  auto r = login_attempt(s, user, staff_password);
  REQUIRE(r);
  REQUIRE(r->status == 303);
  const std::string cookie = set_cookie_pair(r, "titrate_session");
  REQUIRE(!cookie.empty());
  return cookie;
}

// The form token of the session behind `cookie`, read from a page served by `s`.
std::string csrf_of(const Serve &s, const std::string &cookie, const std::string &page) {
  auto r = s.client().Get(page.c_str(), {{"Cookie", cookie}});
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string t = csrf_in(r->body);
  REQUIRE(!t.empty());
  return t;
}

} // namespace

TEST_CASE("two serve instances on one PostgreSQL database answer any request") {
  const std::string db = fresh_pg_database("web_two");
  TempDir dir;
  const std::vector<std::string> env{"TITRATE_DB=" + db, "TITRATE_TODAY=2026-12-01",
                                     "TITRATE_USER=admin", "TITRATE_ROLE=clinician"};
  const auto cli = [&](const std::vector<std::string> &args, const std::string &input = "") {
    const auto r = run_titrate(dir, args, input, env);
    INFO("titrate: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  cli({"patient", "add", "P1", "--birth-date", "1971-06-15", "--sex", "female", "--weight-kg", "65",
       "--creatinine-mg-dl", "0.8", "--baseline-pain", "7"});
  for (const auto &[name, role] :
       std::vector<std::pair<std::string, std::string>>{{"dr.a", "clinician"},
                                                        {"dr.c", "clinician"},
                                                        {"ph.b", "pharmacist"},
                                                        {"ph.d", "pharmacist"}}) {
    cli({"user", "add", name, "--role", role}, staff_password + "\n");
  }
  const std::string link = cli({"patient", "invite", "P1"});
  const std::string token = link.substr(link.rfind('/') + 1, 32);
  REQUIRE(token.size() == 32);

  Serve a(db, dir.file("serve-a.log"));
  Serve b(db, dir.file("serve-b.log"));

  SECTION("a session made on A works on B, and logging out on B ends it on A") {
    const std::string cookie = login(a, "dr.a");
    auto home = b.client().Get("/clinic/", {{"Cookie", cookie}});
    REQUIRE(home);
    CHECK(home->status == 200);
    CHECK(home->body.find("P1") != std::string::npos);
    const std::string csrf = csrf_in(home->body);
    auto out = b.client().Post("/logout", {{"Cookie", cookie}}, httplib::Params{{"csrf", csrf}});
    REQUIRE(out);
    auto again = a.client().Get("/clinic/", {{"Cookie", cookie}});
    REQUIRE(again);
    CHECK(again->status == 303); // no session any more: to the login page
    CHECK(again->get_header_value("Location").find("/login") != std::string::npos);
  }

  SECTION("a score logged through A is seen through B") {
    auto r = a.client().Post("/api/patients/P1/scores", {{"Authorization", "Bearer " + token}},
                             R"({"at": "2026-12-01T09:30", "score": 6, "note": "logged via A"})",
                             "application/json");
    REQUIRE(r);
    CHECK(r->status == 201);
    auto page = b.client().Get(("/p/" + token).c_str());
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("logged via A") != std::string::npos);
  }

  SECTION("a patient form sent to A and again to B (a double tap through the load balancer) is "
          "stored once") {
    auto page = a.client().Get(("/p/" + token).c_str());
    REQUIRE(page);
    const std::string action = "action=\"/p/" + token + "/scores\"";
    const auto at = page->body.find(action);
    REQUIRE(at != std::string::npos);
    const auto v = page->body.find("name=\"form\" value=\"", at);
    REQUIRE(v != std::string::npos);
    const std::string code = page->body.substr(v + 20, 32);
    const httplib::Params form{{"score", "5"}, {"form", code}};
    auto first = a.client().Post(("/p/" + token + "/scores").c_str(), form);
    REQUIRE(first);
    CHECK(first->status == 303);
    CHECK(first->get_header_value("Location").find("saved=score") != std::string::npos);
    auto second = b.client().Post(("/p/" + token + "/scores").c_str(), form);
    REQUIRE(second);
    CHECK(second->status == 303);
    CHECK(second->get_header_value("Location") == "/p/" + token + "?saved=again&form=" + code);
    // B's page says so, from the database (the code was used on A).
    auto again = b.client().Get(second->get_header_value("Location").c_str());
    REQUIRE(again);
    CHECK(again->body.find("This form was already saved") != std::string::npos);
    CHECK(open_repository(db)->scores("P1").size() == 1);
  }

  SECTION("failed sign-ins alternating between A and B count once, slow the client on both, and "
          "lock the account on neither") {
    // Failures 1..4 on A, B, A, B from this client: the count is kept in the database, so both
    // instances see 1, 2, 3, 4 (not 2 each). Three failures per (client, name) are free; the
    // fourth makes the client wait 1 s (docs/web.md, "Security under abuse"). Counted per
    // instance, the fourth would have been the second on B and free.
    for (int i = 1; i <= 4; ++i) {
      auto r = login_attempt(i % 2 == 1 ? a : b, "dr.c", "wrong password " + std::to_string(i));
      REQUIRE(r);
      INFO("attempt " << i);
      CHECK(r->status == (i < 4 ? 403 : 429));
      CHECK(r->get_header_value("Retry-After") == (i < 4 ? "" : "1"));
    }
    // No account locks from failures: once the wait is over the owner signs in on either.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    login(b, "dr.c");
    login(a, "dr.c");
    CHECK(open_accounts(db)->user("dr.c")->locked_until == 0);
  }

  SECTION("two pharmacists approving the same version through A and B: exactly one wins") {
    // dr.a drafts and submits version 1 through A.
    const std::string dr = login(a, "dr.a");
    const std::string dr_csrf = csrf_of(a, dr, "/clinic/patients/P1");
    auto draft = a.client().Post(
        "/clinic/patients/P1/plans", {{"Cookie", dr}},
        httplib::Params{
            {"csrf", dr_csrf}, {"start", "2026-12-01"}, {"pathway", "cipn-esmo"}, {"submit", "1"}});
    REQUIRE(draft);
    REQUIRE(draft->status == 303);

    const std::string phb = login(a, "ph.b");
    const std::string phd = login(b, "ph.d");
    const std::string page = "/pharmacy/patients/P1/versions/1";
    const std::string phb_csrf = csrf_of(a, phb, page);
    const std::string phd_csrf = csrf_of(b, phd, page);
    int status_a = 0, status_b = 0;
    const auto approve = [&page](const Serve &s, const std::string &cookie, const std::string &csrf,
                                 int &status) {
      auto r = s.client().Post((page + "/approve").c_str(), {{"Cookie", cookie}},
                               httplib::Params{{"csrf", csrf}});
      status = r ? r->status : -1;
    };
    std::thread ta(approve, std::cref(a), phb, phb_csrf, std::ref(status_a));
    std::thread tb(approve, std::cref(b), phd, phd_csrf, std::ref(status_b));
    ta.join();
    tb.join();
    INFO("A: " << status_a << ", B: " << status_b);
    // One approval (303 to the version page), one refusal (403: no longer awaiting review).
    CHECK(((status_a == 303 && status_b == 403) || (status_a == 403 && status_b == 303)));

    // Both servers agree: version 1 is the active plan, approved once.
    for (const Serve *s : {&a, &b}) {
      auto sched =
          s->client().Get("/api/patients/P1/schedule", {{"Authorization", "Bearer " + token}});
      REQUIRE(sched);
      CHECK(sched->status == 200);
      const auto j = nlohmann::json::parse(sched->body);
      CHECK(j.at("version") == 1);
      CHECK(j.at("status") == "approved");
    }
    const auto reviews = open_repository(db)->reviews("P1");
    REQUIRE(reviews.size() == 1); // the loser left no trace but its refusal in the audit
    CHECK(reviews[0].version == 1);
    CHECK(reviews[0].verdict == Verdict::approved);
  }
}

} // namespace titrate::test
