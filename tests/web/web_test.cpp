// Handler and security tests of `titrate serve` against an in-process server on an ephemeral
// loopback port (httplib::Client), over a fresh SQLite file per test. Expected doses are worked
// out by hand from clinical.md (B table, line "duloxetine | 30 mg daily x 7 d ... | morning"):
// a cipn-esmo plan for an adult with normal renal function starts duloxetine 30 mg in the
// morning (one 30 mg capsule), rises to 60 mg on day 8 and holds 14 days (A6 min days at
// target) -> decision date = start + 7 + 14 = 2026-12-22 for a start on 2026-12-01.
#include "planner/app/authorize.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/formulary/files.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/html.hpp"
#include "planner/web/server.hpp"
#include "tests/common/assessments.hpp"
#include "tests/common/contains.hpp"
#include "tests/web/web_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace titrate::test {

namespace fs = std::filesystem;

using namespace web_fixture;

TEST_CASE("html escape turns every markup character into an entity") {
  CHECK(web::Html::text("<script>alert('x') & \"y\"</script>").str() ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(web::Html::text("plain 7/10").str() == "plain 7/10");
}

TEST_CASE("listen address parsing names the bad value") {
  std::string host;
  int port = 0;
  web::parse_listen("127.0.0.1:8080", host, port);
  CHECK(host == "127.0.0.1");
  CHECK(port == 8080);
  CHECK_THROWS_AS(web::parse_listen("127.0.0.1", host, port), InputError);
  CHECK_THROWS_AS(web::parse_listen("127.0.0.1:0", host, port), InputError);
  CHECK_THROWS_AS(web::parse_listen("127.0.0.1:65536", host, port), InputError);
  CHECK_THROWS_AS(web::parse_listen(":80", host, port), InputError);
}

TEST_CASE("tokens are 128-bit hex, stored as a digest, and passwords verify only when equal") {
  const auto a = web::random_token();
  CHECK(a.size() == 32);
  CHECK(a != web::random_token());
  CHECK(web::token_digest(a).size() == 64);
  CHECK(web::token_digest(a) != a);
  CHECK(web::verify_password(password, password_hash()));
  CHECK_FALSE(web::verify_password("correct horse batterY", password_hash()));
}

TEST_CASE("accounts store: duplicate user refused, links revoke, sessions expire") {
  Server s;
  CHECK_THROWS_AS(s.accounts->add_user({"dr.a", "clinician", "x", 0, 0, 0}), RefusedError);
  CHECK_THROWS_AS(s.accounts->add_link({"ff", "NOPE", 0, std::nullopt}), NotFoundError);
  CHECK(s.accounts->revoke_links("P1", 5) == 1);
  CHECK(s.accounts->link(web::token_digest(s.token1))->revoked == std::optional<std::int64_t>(5));
  CHECK(s.accounts->revoke_links("P1", 6) == 0);
  s.accounts->add_session({"h1", "dr.a", "c", 100});
  CHECK(s.accounts->session("h1").has_value());
  CHECK(s.accounts->delete_expired_sessions(100) == 1);
  CHECK_FALSE(s.accounts->session("h1").has_value());
}

TEST_CASE("patient page: today's doses, next assessment, an 11-button picker, the chart") {
  Server s;
  s.approved_plan();
  auto c = s.client();
  auto r = c.Get(("/p/" + s.token1).c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  const std::string &b = r->body;
  CHECK(b.find("name=\"viewport\"") != std::string::npos);
  CHECK(b.find("In the morning:</strong> DULoxetine 30 mg, take 1 capsule of 30 mg") !=
        std::string::npos);
  CHECK(b.find("Next assessment: <strong>2026-12-22</strong>") != std::string::npos);
  CHECK(count(b, "type=\"radio\" name=\"score\"") == 11);
  CHECK(b.find("<svg") != std::string::npos);
  CHECK(b.find("P2") == std::string::npos);
}

TEST_CASE("patient page in maintenance: the dose goes on, the review date, and after it a review "
          "is due") {
  Server s;
  PlanRequest req;
  req.start = s.today; // 2026-12-01: duloxetine 30 mg, 60 mg from 2026-12-08, decision 2026-12-22
  req.today = s.today;
  Plan plan = build_plan(adult("P1"), formulary(), cipn(), req);
  // After a response on 2026-12-22: maintenance, reviewed 56 days later (2027-02-16).
  Stage &trial = plan.stages.at(0);
  trial.review_date = Date(2027, 2, 16);
  trial.steps.back().range = DateRange(trial.steps.back().range.begin(), Date(2027, 2, 16));
  const int v = s.repo->save_draft(plan, clinician);
  s.repo->submit("P1", v, clinician);
  s.repo->approve("P1", v, Actor{"ph.b", "pharmacist"});
  auto c = s.client();
  s.today = Date(2026, 12, 30);
  auto r = c.Get(("/p/" + s.token1).c_str());
  REQUIRE(r);
  CHECK(r->body.find("DULoxetine 60 mg, take 1 capsule of 60 mg") != std::string::npos);
  CHECK(r->body.find("Next assessment: <strong>2027-02-16</strong>") != std::string::npos);
  s.today = Date(2027, 6, 1); // long after the review: never "nothing to take"
  r = c.Get(("/p/" + s.token1).c_str());
  REQUIRE(r);
  CHECK(r->body.find("DULoxetine 60 mg, take 1 capsule of 60 mg") != std::string::npos);
  CHECK(r->body.find("Your clinic review was due on <strong>2027-02-16</strong>") !=
        std::string::npos);
  CHECK(r->body.find("none planned") == std::string::npos);
}

TEST_CASE("patient logs a score and a side effect through the forms") {
  Server s;
  auto c = s.client();
  const std::string base = "/p/" + s.token1;
  auto r =
      c.Post((base + "/scores").c_str(), httplib::Params{{"score", "6"}, {"note", "after walk"}});
  REQUIRE(r);
  CHECK(r->status == 303);
  const auto scores = s.repo->scores("P1");
  REQUIRE(scores.size() == 1);
  // The page after names the stored entry; its banner is checked against the store.
  CHECK(r->get_header_value("Location") ==
        base + "?saved=score&entry=" + std::to_string(scores[0].id));
  CHECK_THAT(c.Get(r->get_header_value("Location").c_str())->body,
             Catch::Contains("Your pain score is saved"));
  for (const std::string forged :
       {"?saved=score", "?saved=score&entry=999", "?saved=again", "?saved=again&form=00",
        "?saved=withdrawn&entry=1", "?saved=effect&entry=1"}) {
    INFO(forged);
    const auto f = c.Get((base + forged).c_str());
    CHECK(f->status == 200);
    CHECK(f->body.find("role=\"status\"") == std::string::npos); // no banner at all
  }
  CHECK(scores[0].score.value() == 6);
  CHECK(scores[0].note == "after walk");
  CHECK(iso(scores[0].at) == "2026-12-01T09:00");
  auto ae = c.Post((base + "/adverse-effects").c_str(),
                   httplib::Params{{"description", "dizziness"}, {"severity", "moderate"}});
  REQUIRE(ae);
  CHECK(ae->status == 303);
  const auto effects = s.repo->adverse_effects("P1");
  REQUIRE(effects.size() == 1);
  CHECK(effects[0].severity == AeSeverity::moderate);
  auto page = c.Get(base.c_str());
  CHECK(page->body.find("after walk") != std::string::npos);
  CHECK(page->body.find("dizziness (moderate)") != std::string::npos);
  CHECK(s.repo->scores("P2").empty());
}

TEST_CASE("bad values are refused as the CLI refuses them and nothing is written") {
  Server s;
  auto c = s.client();
  const std::string base = "/p/" + s.token1;
  for (const char *bad : {"11", "7.5", "-1", "seven", ""}) {
    auto r = c.Post((base + "/scores").c_str(), httplib::Params{{"score", bad}});
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  auto ae = c.Post((base + "/adverse-effects").c_str(),
                   httplib::Params{{"description", "rash"}, {"severity", "awful"}});
  CHECK(ae->status == 400);
  auto empty = c.Post((base + "/adverse-effects").c_str(),
                      httplib::Params{{"description", "  "}, {"severity", "mild"}});
  CHECK(empty->status == 400);
  CHECK(s.repo->scores("P1").empty());
  CHECK(s.repo->adverse_effects("P1").empty());
}

TEST_CASE("a wrong or revoked token is 404 and reveals nothing") {
  Server s;
  auto c = s.client();
  auto wrong = c.Get("/p/0123456789abcdef0123456789abcdef");
  REQUIRE(wrong);
  CHECK(wrong->status == 404);
  CHECK(wrong->body.find("P1") == std::string::npos);
  auto junk = c.Get("/p/'%20OR%201=1");
  CHECK(junk->status == 404);
  auto post = c.Post("/p/0123456789abcdef0123456789abcdef/scores", httplib::Params{{"score", "5"}});
  CHECK(post->status == 404);
  s.accounts->revoke_links("P1", s.now);
  auto revoked = c.Get(("/p/" + s.token1).c_str());
  CHECK(revoked->status == 404);
  CHECK(revoked->body.find("P1") == std::string::npos);
  CHECK(s.audited("anonymous", "GET /p/{token}: unknown or revoked patient link"));
  CHECK(s.repo->scores("P1").empty());
}

TEST_CASE("a patient token cannot reach another patient's data (403, audited)") {
  Server s;
  s.approved_plan("P2");
  auto c = s.client();
  const httplib::Headers bearer{{"Authorization", "Bearer " + s.token1}};
  auto sched = c.Get("/api/patients/P2/schedule", bearer);
  REQUIRE(sched);
  CHECK(sched->status == 403);
  CHECK(sched->body.find("duloxetine") == std::string::npos);
  auto check = c.Get("/api/patients/P2/check", bearer);
  CHECK(check->status == 403);
  auto post = c.Post("/api/patients/P2/scores", bearer, R"({"score": 3})", "application/json");
  CHECK(post->status == 403);
  auto due = c.Get("/api/due", bearer);
  CHECK(due->status == 403);
  CHECK(s.repo->scores("P2").empty());
  CHECK(s.audited("P1", "GET /api/patients/P2/schedule"));
  CHECK(s.audited("P1", "POST /api/patients/P2/scores"));
  auto forged = c.Get("/api/patients/P1/schedule",
                      {{"Authorization", "Bearer 0123456789abcdef0123456789abcdef"}});
  CHECK(forged->status == 403);
}

TEST_CASE("no session: staff pages redirect to the login page, the API refuses") {
  Server s;
  auto c = s.client();
  for (const char *path :
       {"/clinic/", "/pharmacy/", "/clinic/patients/P1", "/pharmacy/patients/P1/versions/1"}) {
    auto r = c.Get(path);
    REQUIRE(r);
    CHECK(r->status == 303);
    CHECK(r->get_header_value("Location") == "/login");
  }
  auto api = c.Get("/api/due");
  CHECK(api->status == 403);
  auto post = c.Post("/clinic/patients/P1/plans",
                     httplib::Params{{"start", "2026-12-01"}, {"pathway", "cipn-esmo"}});
  CHECK(post->status == 303);
  CHECK(s.repo->plan_versions("P1").empty());
  auto forged = c.Get("/clinic/", {{"Cookie", "titrate_session=0123456789abcdef0123456789abcdef"}});
  CHECK(forged->status == 303);
}

TEST_CASE("session cookie is HttpOnly and SameSite=Strict, logout ends the session") {
  Server s;
  auto r = s.login_attempt("dr.a", password);
  REQUIRE(r->status == 303);
  CHECK(r->get_header_value("Location") == "/clinic/");
  std::string header;
  for (const auto &[k, v] : r->headers)
    if (k == "Set-Cookie" && v.rfind("titrate_session=", 0) == 0)
      header = v;
  CHECK(header.find("HttpOnly") != std::string::npos);
  CHECK(header.find("SameSite=Strict") != std::string::npos);
  const auto login = s.login("dr.a");
  auto c = s.client();
  CHECK(c.Post("/logout", {{"Cookie", login.cookie}}, httplib::Params{})->status == 403);
  auto out = c.Post("/logout", {{"Cookie", login.cookie}}, httplib::Params{{"csrf", login.csrf}});
  CHECK(out->status == 303);
  CHECK(c.Get("/clinic/", {{"Cookie", login.cookie}})->status == 303);
}

TEST_CASE("staff forms need the session's CSRF token: missing or foreign is 403, audited") {
  Server s;
  const auto a = s.login("dr.a");
  const auto other = s.login("dr.c");
  auto c = s.client();
  const std::string path = "/clinic/patients/P1/plans";
  httplib::Params form{{"start", "2026-12-01"}, {"pathway", "cipn-esmo"}, {"submit", "1"}};
  CHECK(c.Post(path.c_str(), {{"Cookie", a.cookie}}, form)->status == 403);
  auto foreign = form;
  foreign.emplace("csrf", other.csrf);
  CHECK(c.Post(path.c_str(), {{"Cookie", a.cookie}}, foreign)->status == 403);
  CHECK(s.repo->plan_versions("P1").empty());
  CHECK(s.audited("dr.a", "POST /clinic/patients/P1/plans: missing CSRF token"));
  CHECK(s.audited("dr.a", "POST /clinic/patients/P1/plans: foreign CSRF token"));
  auto own = form;
  own.emplace("csrf", a.csrf);
  auto ok = c.Post(path.c_str(), {{"Cookie", a.cookie}}, own);
  CHECK(ok->status == 303);
  const auto versions = s.repo->plan_versions("P1");
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].status == PlanStatus::submitted);
  CHECK(versions[0].drafted_by == "dr.a");
  // JSON API with the cookie needs the token in X-CSRF-Token.
  CHECK(c.Post("/api/patients/P1/scores", {{"Cookie", a.cookie}}, R"({"score": 4})",
               "application/json")
            ->status == 403);
  auto api = c.Post("/api/patients/P1/scores", {{"Cookie", a.cookie}, {"X-CSRF-Token", a.csrf}},
                    R"({"score": 4, "at": "2026-12-01T07:15"})", "application/json");
  CHECK(api->status == 201);
}

TEST_CASE("injection strings are stored verbatim and shown escaped") {
  Server s;
  auto c = s.client();
  const std::string base = "/p/" + s.token1;
  const std::string sql = "'; DROP TABLE pain_scores;--";
  const std::string script = "<script>alert(1)</script>";
  REQUIRE(
      c.Post((base + "/scores").c_str(), httplib::Params{{"score", "5"}, {"note", sql}})->status ==
      303);
  REQUIRE(c.Post((base + "/scores").c_str(), httplib::Params{{"score", "4"}, {"note", script}})
              ->status == 303);
  REQUIRE(c.Post((base + "/adverse-effects").c_str(),
                 httplib::Params{{"description", script}, {"severity", "mild"}})
              ->status == 303);
  const auto scores = s.repo->scores("P1");
  REQUIRE(scores.size() == 2);
  CHECK(scores[0].note == sql);
  CHECK(scores[1].note == script);
  auto page = c.Get(base.c_str());
  CHECK(page->body.find(script) == std::string::npos);
  CHECK(page->body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page->body.find("&#39;; DROP TABLE pain_scores;--") != std::string::npos);
  const auto login = s.login("dr.a");
  auto staff = c.Get("/clinic/patients/P1", {{"Cookie", login.cookie}});
  REQUIRE(staff->status == 200);
  CHECK(staff->body.find(script) == std::string::npos);
  CHECK(staff->body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE("failed logins slow this client down and never lock the account") {
  // docs/web.md, "Security under abuse": three failures of one client on one name are free, the
  // fourth makes it wait 1 s (429, Retry-After), then 2 s, 4 s, ...; the account never locks.
  Server s;
  for (int i = 0; i < 3; ++i) {
    auto r = s.login_attempt("ph.b", "wrong password");
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK_FALSE(r->has_header("Retry-After"));
  }
  auto fourth = s.login_attempt("ph.b", "wrong password");
  CHECK(fourth->status == 429);
  CHECK(fourth->get_header_value("Retry-After") == "1");
  auto early = s.login_attempt("ph.b", password); // even the right password waits its turn
  CHECK(early->status == 429);
  CHECK(early->body.find("Try again in 1 second") != std::string::npos);
  s.now += 1;
  CHECK(s.login_attempt("ph.b", password)->status == 303);
  CHECK(s.audited("ph.b", "login failed: wrong user name or password"));
  CHECK(s.accounts->user("ph.b")->locked_until == 0);
  auto unknown = s.login_attempt("nobody", password);
  CHECK(unknown->status == 403);
}

TEST_CASE("sessions expire after 8 hours") {
  Server s;
  const auto login = s.login("dr.a");
  auto c = s.client();
  CHECK(c.Get("/clinic/", {{"Cookie", login.cookie}})->status == 200);
  s.now += 8 * 60 * 60;
  CHECK(c.Get("/clinic/", {{"Cookie", login.cookie}})->status == 303);
}

TEST_CASE("web drafts and scores follow the CLI's date and --prefer rules (issue 13)") {
  Server s;
  const auto dr = s.login("dr.a");
  auto c = s.client();
  const auto draft = [&](httplib::Params extra) {
    httplib::Params p{{"start", "2026-12-01"}, {"pathway", "cipn-esmo"}, {"csrf", dr.csrf}};
    for (const auto &kv : extra)
      p.erase(kv.first), p.insert(kv);
    return c.Post("/clinic/patients/P1/plans", {{"Cookie", dr.cookie}}, p);
  };
  auto r = draft({{"start", "9999-12-25"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("9999-12-25 is too far in the future") != std::string::npos);
  r = draft({{"start", "2020-01-01"}});
  CHECK(r->status == 400);
  // No hint of the CLI's --backdate: the web records no past courses.
  CHECK(r->body.find("start: 2020-01-01 is too far in the past") != std::string::npos);
  CHECK(r->body.find("backdate") == std::string::npos);
  r = draft({{"prefer", "amitriptyline"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("the reason for preferring amitriptyline is missing") != std::string::npos);
  // A drug outside the pathway is named by the form's field, never by the CLI's --prefer.
  r = draft({{"prefer", "pregabalin"}, {"reason", "x"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("prefer: &quot;pregabalin&quot; is not a drug of pathway cipn-esmo") !=
        std::string::npos);
  CHECK(r->body.find("--prefer") == std::string::npos);
  CHECK(s.repo->plan_versions("P1").empty());
  CHECK(draft({{"prefer", "amitriptyline"}, {"reason", "poor sleep"}})->status == 303);
  const auto versions = s.repo->plan_versions("P1");
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].plan.stages.at(0).drug == "amitriptyline");
  CHECK(versions[0].note ==
        "web: drafted from " + iso(versions[0].plan.start) + "; prefer amitriptyline: poor sleep");
  // The audit says the draft came in through the web, with no OS user (the session is the actor).
  const auto drafted = s.repo->audit(std::string("P1")).back();
  CHECK(drafted.action == "plan.draft");
  CHECK(drafted.door == "web");
  CHECK(drafted.os_user.empty());
  // A score before the patient's birth (1971-06-15) cannot be true.
  r = c.Post("/api/patients/P1/scores", {{"Cookie", dr.cookie}, {"X-CSRF-Token", dr.csrf}},
             R"({"score": 5, "at": "1971-06-14"})", "application/json");
  CHECK(r->status == 400);
  CHECK(r->body.find("is before the patient's birth (1971-06-15)") != std::string::npos);
}

namespace {

// The clinician `dr` drafts P1's cipn-esmo plan from `start` on the clinic form and submits it
// for review; the form must answer with its redirect (303).
void submit_p1_plan_on_form(httplib::Client &c, const StaffLogin &dr, const std::string &start) {
  REQUIRE(
      c.Post("/clinic/patients/P1/plans", {{"Cookie", dr.cookie}},
             httplib::Params{
                 {"start", start}, {"pathway", "cipn-esmo"}, {"submit", "1"}, {"csrf", dr.csrf}})
          ->status == 303);
}

} // namespace

TEST_CASE("pharmacist reviews: lint, diff, approve, and four eyes and roles refuse with 403") {
  Server s;
  const auto dr = s.login("dr.a");
  auto c = s.client();
  submit_p1_plan_on_form(c, dr, "2026-12-01");
  const auto ph = s.login("ph.b");
  auto queue = c.Get("/pharmacy/", {{"Cookie", ph.cookie}});
  REQUIRE(queue->status == 200);
  CHECK(queue->body.find("/pharmacy/patients/P1/versions/1") != std::string::npos);
  auto version = c.Get("/pharmacy/patients/P1/versions/1", {{"Cookie", ph.cookie}});
  REQUIRE(version->status == 200);
  CHECK(version->body.find("Lint findings") != std::string::npos);
  CHECK(version->body.find("no version was approved before") != std::string::npos);
  // A clinician (the author) cannot approve: role refusal.
  CHECK(c.Post("/pharmacy/patients/P1/versions/1/approve", {{"Cookie", dr.cookie}},
               httplib::Params{{"csrf", dr.csrf}})
            ->status == 403);
  CHECK(c.Get("/pharmacy/", {{"Cookie", dr.cookie}})->status == 403);
  CHECK(c.Get("/clinic/", {{"Cookie", ph.cookie}})->status == 403);
  auto ok = c.Post("/pharmacy/patients/P1/versions/1/approve", {{"Cookie", ph.cookie}},
                   httplib::Params{{"csrf", ph.csrf}});
  CHECK(ok->status == 303);
  CHECK(s.repo->active_plan("P1")->version == 1);
  // Four eyes inside Repository::approve: the pharmacist who drafted a version cannot approve it.
  PlanRequest req;
  req.start = Date(2026, 12, 2);
  req.today = s.today;
  const int v2 = s.repo->save_draft(build_plan(adult("P1"), formulary(), cipn(), req),
                                    Actor{"ph.b", "pharmacist"});
  s.repo->submit("P1", v2, Actor{"ph.b", "pharmacist"});
  auto own = c.Post(("/pharmacy/patients/P1/versions/" + std::to_string(v2) + "/approve").c_str(),
                    {{"Cookie", ph.cookie}}, httplib::Params{{"csrf", ph.csrf}});
  CHECK(own->status == 403);
  CHECK(s.repo->plan_version("P1", v2)->status == PlanStatus::submitted);
  CHECK(s.audited("ph.b", "/approve"));
  auto diff = c.Get(("/pharmacy/patients/P1/versions/" + std::to_string(v2)).c_str(),
                    {{"Cookie", ph.cookie}});
  CHECK(diff->body.find("Changes against approved version 1") != std::string::npos);
  INFO(diff->body.substr(diff->body.find("In short"), 600));
  // In short, by hand: the same duloxetine titration one day later (30 mg a week, then 60 mg
  // held 14 days: last dose and decision one day later too).
  CHECK(diff->body.find(
            "<li>The plan starts on 2026-12-02 (was 2026-12-01)</li><li>DULoxetine trial changed: "
            "the same doses 1 day later, from 2026-12-02 through 2026-12-22, decision on "
            "2026-12-23</li></ul>") != std::string::npos);
  // Reject needs a reason; the author cannot reject either (four eyes).
  const auto other = s.login("ph.d");
  const std::string rej = "/pharmacy/patients/P1/versions/" + std::to_string(v2) + "/reject";
  CHECK(c.Post(rej.c_str(), {{"Cookie", ph.cookie}},
               httplib::Params{{"csrf", ph.csrf}, {"reason", "mine"}})
            ->status == 403);
  CHECK(s.repo->plan_version("P1", v2)->status == PlanStatus::submitted);
  CHECK(c.Post(rej.c_str(), {{"Cookie", other.cookie}}, httplib::Params{{"csrf", other.csrf}})
            ->status == 400);
  CHECK(c.Post(rej.c_str(), {{"Cookie", other.cookie}},
               httplib::Params{{"csrf", other.csrf}, {"reason", "start date"}})
            ->status == 303);
  CHECK(s.repo->plan_version("P1", v2)->status == PlanStatus::rejected);
}

TEST_CASE(
    "pharmacy version page shows the patient, why, recent scores and side effects above the plan") {
  Server s;
  s.approved_plan();
  const auto dr = s.login("dr.a");
  auto c = s.client();
  // An old score (outside the 14 days), today's score and a severe side effect from the patient.
  REQUIRE(c.Post("/api/patients/P1/scores", {{"Cookie", dr.cookie}, {"X-CSRF-Token", dr.csrf}},
                 R"({"score": 3, "at": "2026-11-10T08:00", "note": "long ago"})",
                 "application/json")
              ->status == 201);
  REQUIRE(c.Post(("/p/" + s.token1 + "/scores").c_str(),
                 httplib::Params{{"score", "6"}, {"note", "burning feet"}})
              ->status == 303);
  REQUIRE(c.Post(("/p/" + s.token1 + "/adverse-effects").c_str(),
                 httplib::Params{{"description", "very sleepy"}, {"severity", "severe"}})
              ->status == 303);
  submit_p1_plan_on_form(c, dr, "2026-12-03");
  const int v = s.repo->plan_versions("P1").back().version;
  REQUIRE(v == 2);
  const auto ph = s.login("ph.b");
  auto r = c.Get("/pharmacy/patients/P1/versions/2", {{"Cookie", ph.cookie}});
  REQUIRE(r->status == 200);
  const std::string &h = r->body;
  // Born 1971-06-15, 55 on 2026-12-01; Cockcroft-Gault (140 - 55) x 65 / (72 x 0.8) x 0.85 = 81.5.
  // The card's heading says "Patient", so its first line does not repeat "patient: ".
  CHECK(h.find("patient: 55 years") == std::string::npos);
  CHECK(h.find(">55 years (born 1971-06-15), female, 65 kg; CrCl 81.5 mL/min "
               "(Cockcroft-Gault from serum creatinine 0.8 mg/dL); hepatic impairment none") !=
        std::string::npos);
  CHECK(h.find("conditions: none; medicines: none") != std::string::npos);
  CHECK(h.find("DULoxetine: ok") != std::string::npos);
  CHECK(h.find("Why this version: web: drafted from 2026-12-03") != std::string::npos);
  // Times the store recorded read "YYYY-MM-DD at HH:MM UTC", never the ISO "T...Z".
  CHECK(std::regex_search(
      h, std::regex("Drafted by [^<]+ at \\d{4}-\\d\\d-\\d\\d at \\d\\d:\\d\\d UTC")));
  CHECK_FALSE(std::regex_search(h, std::regex("\\dT\\d\\d:\\d\\d:\\d\\dZ")));
  CHECK(h.find("Pain scores since 2026-11-18 (14 days)") != std::string::npos);
  CHECK(h.find("<td>2026-12-01 at 09:00</td><td>6 of 10</td><td>burning feet</td>") !=
        std::string::npos);
  CHECK(h.find("long ago") == std::string::npos);
  CHECK(h.find("very sleepy") != std::string::npos);
  // Each cell labelled for a phone, where the table stacks (class "stack").
  CHECK(h.find("<strong class=\"warn\">severe</strong></td><td data-label=\"What\">very "
               "sleepy</td><td data-label=\"Drugs taken then\">DULoxetine</td>") !=
        std::string::npos);
  // The patient comes before the changes and the plan; dates are inclusive words everywhere.
  CHECK(h.find("<h2>Patient</h2>") < h.find("Changes against approved version 1"));
  CHECK(h.find("<h2>Side effects reported</h2>") < h.find("<h2>Plan</h2>"));
  CHECK(h.find("end excluded") == std::string::npos);
  CHECK(h.find(" through ") != std::string::npos);
  // A clinician has no pharmacy page (403 through app::authorize).
  CHECK(c.Get("/pharmacy/patients/P1/versions/2", {{"Cookie", dr.cookie}})->status == 403);
}

TEST_CASE("the authorization table names a role that is not one, in the door's words") {
  // Every door's backstop (the CLI checks --role first, the web's roles come from accounts).
  CHECK_THROWS_WITH(
      app::authorize(Actor{"dr.a", "nurse"}, app::Permission::read_due, nullptr, "due"),
      "due: role: \"nurse\" is not a role; expected clinician, pharmacist or patient");
  CHECK(app::authorize(Actor{"dr.a", "clinician"}, app::Permission::read_due, nullptr, "due") ==
        app::Role::clinician);
}

TEST_CASE(
    "clinician reads the drafted plan before submitting it, and banners come from the store") {
  Server s;
  const auto dr = s.login("dr.a");
  auto c = s.client();
  auto page = c.Get("/clinic/patients/P1", {{"Cookie", dr.cookie}});
  REQUIRE(page->status == 200);
  // Not ticked by default.
  CHECK(page->body.find(R"(<input type="checkbox" name="submit" value="1">)") != std::string::npos);
  CHECK(page->body.find("value=\"1\" checked") == std::string::npos);
  // A crafted query shows no banner: version 99 does not exist.
  page = c.Get("/clinic/patients/P1?drafted=99&submitted=1", {{"Cookie", dr.cookie}});
  CHECK(page->body.find("role=\"status\"") == std::string::npos);
  CHECK(page->body.find("submitted for pharmacist review.") == std::string::npos);
  auto r =
      c.Post("/clinic/patients/P1/plans", {{"Cookie", dr.cookie}},
             httplib::Params{{"start", "2026-12-01"}, {"pathway", "cipn-esmo"}, {"csrf", dr.csrf}});
  REQUIRE(r->status == 303);
  CHECK(r->get_header_value("Location") == "/clinic/patients/P1?drafted=1");
  CHECK(s.repo->plan_version("P1", 1)->status == PlanStatus::draft);
  page = c.Get("/clinic/patients/P1?drafted=1&submitted=1", {{"Cookie", dr.cookie}});
  CHECK(page->body.find(
            "Drafted plan version 1; read it below, then submit it for pharmacist review.") !=
        std::string::npos);
  CHECK(page->body.find("is submitted for pharmacist review") == std::string::npos);
  CHECK(page->body.find("Draft plan version 1 (not submitted)") != std::string::npos);
  // The drafted plan in the one wording: duloxetine 30 mg in the morning from the first day.
  const auto draft_at = page->body.find("id=\"draft-plan\"");
  REQUIRE(draft_at != std::string::npos);
  CHECK(page->body.find("DULoxetine 30 mg, take 1 capsule of 30 mg", draft_at) !=
        std::string::npos);
  CHECK(page->body.find("action=\"/clinic/patients/P1/versions/1/submit\"") != std::string::npos);
  // Another patient's page says nothing about P1's version 1.
  CHECK(c.Get("/clinic/patients/P2?drafted=1", {{"Cookie", dr.cookie}})
            ->body.find("role=\"status\"") == std::string::npos);
  // Submitting: CSRF needed, pharmacists refused, then the store's status is the banner.
  CHECK(c.Post("/clinic/patients/P1/versions/1/submit", {{"Cookie", dr.cookie}}, httplib::Params{})
            ->status == 403);
  const auto ph = s.login("ph.b");
  CHECK(c.Post("/clinic/patients/P1/versions/1/submit", {{"Cookie", ph.cookie}},
               httplib::Params{{"csrf", ph.csrf}})
            ->status == 403);
  CHECK(s.audited("ph.b", "/versions/1/submit"));
  CHECK(s.repo->plan_version("P1", 1)->status == PlanStatus::draft);
  r = c.Post("/clinic/patients/P1/versions/1/submit", {{"Cookie", dr.cookie}},
             httplib::Params{{"csrf", dr.csrf}});
  REQUIRE(r->status == 303);
  CHECK(s.repo->plan_version("P1", 1)->status == PlanStatus::submitted);
  page = c.Get("/clinic/patients/P1?drafted=1", {{"Cookie", dr.cookie}});
  CHECK(page->body.find("Plan version 1 is submitted for pharmacist review.") != std::string::npos);
  CHECK(page->body.find("(not submitted)") == std::string::npos);
  r = c.Post("/clinic/patients/P1/versions/1/submit", {{"Cookie", dr.cookie}},
             httplib::Params{{"csrf", dr.csrf}});
  CHECK(r->status == 400);
  CHECK(r->body.find("version: plan version 1 is submitted, not a draft") != std::string::npos);
  CHECK(c.Post("/clinic/patients/P1/versions/7/submit", {{"Cookie", dr.cookie}},
               httplib::Params{{"csrf", dr.csrf}})
            ->status == 404);
}

TEST_CASE("drafting over an active plan says what it replaces and what the patient is on") {
  Server s;
  s.approved_plan("P2");
  const auto dr = s.login("dr.a");
  auto c = s.client();
  const std::string words =
      "A new plan version replaces the active plan version 1 once a pharmacist "
      "approves it; on 2026-12-01 the patient is on DULoxetine (trial), 30 mg a day.";
  auto page = c.Get("/clinic/patients/P2", {{"Cookie", dr.cookie}});
  CHECK(count(page->body, words) == 1); // before: above the draft form
  REQUIRE(
      c.Post("/clinic/patients/P2/plans", {{"Cookie", dr.cookie}},
             httplib::Params{{"start", "2026-12-01"}, {"pathway", "cipn-esmo"}, {"csrf", dr.csrf}})
          ->status == 303);
  page = c.Get("/clinic/patients/P2?drafted=2", {{"Cookie", dr.cookie}});
  CHECK(count(page->body, words) == 2); // after: with the draft too
  CHECK(page->body.find(words) > page->body.find("Draft plan version 2 (not submitted)"));
  // No active plan, no such words.
  CHECK(c.Get("/clinic/patients/P1", {{"Cookie", dr.cookie}})
            ->body.find("replaces the active plan") == std::string::npos);
}

TEST_CASE("a severe or intolerable side effect reaches the clinic home, and the patient is told "
          "who sees it") {
  Server s;
  s.approved_plan();
  auto c = s.client();
  const std::string base = "/p/" + s.token1;
  // The form offers no severity until one is chosen, and the server refuses a missing one.
  auto page = c.Get(base.c_str());
  CHECK(
      page->body.find(
          R"(<select id="severity" name="severity" required><option value="" selected disabled>)") !=
      std::string::npos);
  CHECK(page->body.find("<option value=\"mild\" selected") == std::string::npos);
  auto r = c.Post((base + "/adverse-effects").c_str(), httplib::Params{{"description", "rash"}});
  CHECK(r->status == 400);
  CHECK(r->body.find("severity") != std::string::npos);
  CHECK(s.repo->adverse_effects("P1").empty());
  // The patient reports a side effect on the form: the page the form's redirect leads to.
  const auto report = [&](const char *description, const char *severity) {
    auto posted = c.Post((base + "/adverse-effects").c_str(),
                         httplib::Params{{"description", description}, {"severity", severity}});
    REQUIRE(posted->status == 303);
    return c.Get(posted->get_header_value("Location").c_str());
  };
  // A mild one: seen on the record, nobody alerted; not on the clinic home.
  page = report("dry mouth", "mild");
  CHECK(page->body.find(
            "Your side effect (mild) is saved. Your clinic team sees it on your record the "
            "next time they open it; nobody is alerted at once.") != std::string::npos);
  CHECK(page->body.find("please call your clinic today") == std::string::npos);
  const auto dr = s.login("dr.a");
  auto home = c.Get("/clinic/", {{"Cookie", dr.cookie}});
  CHECK(home->body.find("Severe or intolerable side effects since 2026-11-18") !=
        std::string::npos);
  CHECK(home->body.find("dry mouth") == std::string::npos);
  // An intolerable one: on the clinic home above the due list, and the patient is asked to call.
  page = report("cannot stand up", "intolerable");
  CHECK(page->body.find(
            "Your side effect (intolerable) is saved. It is listed at the top of your clinic's "
            "titrate front page for 14 days") != std::string::npos);
  CHECK(page->body.find("Because it is intolerable, please call your clinic today") !=
        std::string::npos);
  // Side effects come before the scores on the patient's page; times read "09:00 today".
  CHECK(page->body.find("Side effects you reported") < page->body.find("Your last scores"));
  CHECK(page->body.find("09:00 today: cannot stand up (intolerable)") != std::string::npos);
  home = c.Get("/clinic/", {{"Cookie", dr.cookie}});
  const std::string row =
      "<td><a href=\"/clinic/patients/P1\">P1</a></td><td>2026-12-01 at 09:00</td>"
      "<td><strong>intolerable</strong></td><td>cannot stand up</td><td>DULoxetine</td>";
  CHECK(home->body.find(row) != std::string::npos);
  CHECK(home->body.find(row) < home->body.find("<h2>Due by"));
  // The clinician's patient page: side effects before the scores table.
  auto patient = c.Get("/clinic/patients/P1", {{"Cookie", dr.cookie}});
  CHECK(patient->body.find("<h3>Side effects</h3>") < patient->body.find("<h3>Scores</h3>"));
  CHECK(patient->body.find("cannot stand up") < patient->body.find("<h3>Scores</h3>"));
  // 15 days later it has left the clinic home (still on the patient's record).
  s.today = Date(2026, 12, 15);
  CHECK(c.Get("/clinic/", {{"Cookie", dr.cookie}})->body.find("cannot stand up") ==
        std::string::npos);
  CHECK(c.Get("/clinic/patients/P1", {{"Cookie", dr.cookie}})->body.find("cannot stand up") !=
        std::string::npos);
}

TEST_CASE("patient page before the plan's first day says when it starts") {
  Server s;
  s.approved_plan(); // starts 2026-12-01
  auto c = s.client();
  const std::string url = "/p/" + s.token1;
  s.today = Date(2026, 11, 30);
  CHECK(c.Get(url.c_str())
            ->body.find(
                "Your plan starts tomorrow (2026-12-01)</strong>: take nothing from it today.") !=
        std::string::npos);
  s.today = Date(2026, 11, 25);
  CHECK(c.Get(url.c_str())
            ->body.find(
                "Your plan starts on 2026-12-01</strong>: take nothing from it before then.") !=
        std::string::npos);
  s.today = Date(2026, 12, 1);
  CHECK(c.Get(url.c_str())->body.find("id=\"starts\"") == std::string::npos);
}

TEST_CASE("JSON API returns the CLI's shapes") {
  Server s;
  s.approved_plan();
  auto c = s.client();
  const httplib::Headers bearer{{"Authorization", "Bearer " + s.token1}};
  auto sched = c.Get("/api/patients/P1/schedule", bearer);
  REQUIRE(sched->status == 200);
  nlohmann::json expected = to_json(s.repo->active_plan("P1")->plan);
  expected["version"] = 1;
  expected["status"] = "approved";
  CHECK(nlohmann::json::parse(sched->body) == expected);
  auto check = c.Get("/api/patients/P1/check", bearer);
  REQUIRE(check->status == 200);
  CHECK(nlohmann::json::parse(check->body) ==
        to_json(check_eligibility(adult("P1"), formulary(), s.today)));
  auto post = c.Post("/api/patients/P1/scores", bearer,
                     R"({"at": "2026-12-01T07:30", "score": 5, "note": "ok"})", "application/json");
  REQUIRE(post->status == 201);
  const auto j = nlohmann::json::parse(post->body);
  CHECK(j["kind"] == "score");
  CHECK(j["at"] == "2026-12-01T07:30");
  CHECK(j["score"] == 5);
  CHECK(c.Post("/api/patients/P1/scores", bearer, R"({"score": 11})", "application/json")->status ==
        400);
  CHECK(c.Post("/api/patients/P1/scores", bearer, R"({"score": 5, "at": "2026-12-02"})",
               "application/json")
            ->status == 400);
  CHECK(c.Post("/api/patients/P1/scores", bearer, R"({"score": 5, "who": "x"})", "application/json")
            ->status == 400);
  CHECK(c.Post("/api/patients/P1/scores", bearer, "not json", "application/json")->status == 400);
  CHECK(s.repo->scores("P1").size() == 1);
  // An export as `titrate export P1 --format ics --tz Europe/Paris` writes it: a calendar with
  // the version's sequence, and a download name; a bad format or zone is 400, another patient 403.
  auto ics = c.Get("/api/patients/P1/export/ics?tz=Europe/Paris", bearer);
  REQUIRE(ics->status == 200);
  CHECK(ics->get_header_value("Content-Type") == "text/calendar; charset=utf-8");
  CHECK(ics->get_header_value("Content-Disposition") ==
        "attachment; filename=\"titrate-P1-v1.ics\"");
  CHECK(ics->body.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
  CHECK(ics->body.find("TZID:Europe/Paris") != std::string::npos);
  auto scores_csv = c.Get("/api/patients/P1/export/scores-csv", bearer);
  REQUIRE(scores_csv->status == 200);
  CHECK(scores_csv->body.find("P1,2026-12-01T07:30,5,ok") != std::string::npos);
  auto bad_format = c.Get("/api/patients/P1/export/pdfx", bearer);
  CHECK(bad_format->status == 400);
  CHECK_THAT(nlohmann::json::parse(bad_format->body)["error"].get<std::string>(),
             Catch::Contains("format: \"pdfx\" is not a format; expected text, csv"));
  CHECK(c.Get("/api/patients/P1/export/ics?tz=Mars/Olympus", bearer)->status == 400);
  CHECK(c.Get("/api/patients/P1/export/ics?version=0", bearer)->status == 400);
  CHECK(c.Get("/api/patients/P1/export/ics?version=9", bearer)->status == 404);
  CHECK(c.Get("/api/patients/P2/export/ics", bearer)->status == 403);
  const auto login = s.login("ph.b");
  auto due = c.Get("/api/due?within=30", {{"Cookie", login.cookie}});
  REQUIRE(due->status == 200);
  const auto d = nlohmann::json::parse(due->body);
  REQUIRE(d["due"].size() == 1);
  CHECK(d["due"][0]["decision_date"] == "2026-12-22");
  CHECK(d["due"][0]["days_until"] == 21);
  // A due list looks at most a year ahead; further is bad input, not a server error.
  const auto far = c.Get("/api/due?within=2920000", {{"Cookie", login.cookie}});
  CHECK(far->status == 400);
  CHECK_THAT(far->body, Catch::Contains("2920000") && Catch::Contains("0-366"));
  CHECK(c.Get("/api/due?within=366", {{"Cookie", login.cookie}})->status == 200);
}

TEST_CASE("the outcome report page shows the CLI's lines to clinicians and pharmacists") {
  Server s;
  s.approved_plan("P1");
  s.approved_plan("P2");
  auto c = s.client();
  // Two approved cipn-esmo plans starting today: two first-line duloxetine trials started, none
  // at the assessed dose yet (60 mg from day 8), none judged.
  for (const char *user : {"dr.a", "ph.b"}) {
    INFO(user);
    const auto login = s.login(user);
    auto r = c.Get("/reports/outcomes", {{"Cookie", login.cookie}});
    REQUIRE(r->status == 200);
    // The CLI's lines, and the chart of days on each drug (<svg).
    check_contains_all(r->body,
                       {"<h1>Outcome report on 2026-12-01</h1>", "<h2>Line 1, DULoxetine</h2>",
                        "<li>started: 2</li>", "<li>reached the assessed dose: 0</li>",
                        "<li>judged: 0</li>", "<svg"});
    auto csv = c.Get("/reports/outcomes.csv?pathway=cipn-esmo", {{"Cookie", login.cookie}});
    REQUIRE(csv->status == 200);
    CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
    CHECK(csv->body.rfind("line,drug,started,reached_assessed_dose,judged,", 0) == 0);
    CHECK_THAT(csv->body, Catch::Contains("\r\n1,duloxetine,2,0,0,0,"));
  }
  const auto login = s.login("dr.a");
  // A selection that starts after the plans: no trials.
  auto later = c.Get("/reports/outcomes?from=2026-12-02", {{"Cookie", login.cookie}});
  REQUIRE(later->status == 200);
  check_contains_all(later->body, {"trials started from 2026-12-02", "No trials started."});
  // Bad input names the value and what was expected.
  auto bad = c.Get("/reports/outcomes?from=2026-02-30", {{"Cookie", login.cookie}});
  CHECK(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains("2026-02-30"));
  auto reversed =
      c.Get("/reports/outcomes?from=2026-12-10&to=2026-12-01", {{"Cookie", login.cookie}});
  CHECK(reversed->status == 400);
  CHECK_THAT(reversed->body, Catch::Contains("to: 2026-12-01 is before from 2026-12-10"));
  auto unknown = c.Get("/reports/outcomes.csv?pathway=nope", {{"Cookie", login.cookie}});
  CHECK(unknown->status == 400);
  CHECK_THAT(unknown->body, Catch::Contains("pathway: &quot;nope&quot; is not a pathway"));
  // No session: the login page; a patient's link opens nothing here.
  auto anon = c.Get("/reports/outcomes");
  CHECK(anon->status == 303);
  CHECK(anon->get_header_value("Location") == "/login");
  auto bearer = c.Get("/reports/outcomes.csv", {{"Authorization", "Bearer " + s.token1}});
  CHECK(bearer->status == 303);
}

TEST_CASE("the pharmacist sees the decision behind a version, every version and the downloads") {
  Server s;
  s.approved_plan("P1"); // version 1, approved by ph.b
  // 7.142857... % less pain ((7 - 6.5) / 7), shown to one decimal; 14 days at target.
  Assessment a =
      duloxetine_assessment("P1", Date(2026, 12, 22), DecisionKind::switch_, 7.0, 6.5, 6);
  a.rule = "decision.switch-at-maximum";
  a.source = "ESMO 2020";
  a.reasons = {"6.5 is 7.1 % less pain than 7, below 30 %"};
  a.next_drug = "gabapentin";
  const auto did = s.repo->record_decision(a, 1, clinician);
  const Plan plan = s.repo->plan_version("P1", 1)->plan;
  const int v2 = s.repo->save_draft(
      plan, clinician, "assess --apply on 2026-12-22 (decision #" + std::to_string(did) + ")");
  s.repo->submit("P1", v2, clinician);
  auto c = s.client();
  const auto login = s.login("ph.b");
  auto r = c.Get("/pharmacy/patients/P1/versions/2", {{"Cookie", login.cookie}});
  REQUIRE(r->status == 200);
  const std::string &h = r->body;
  check_contains_all(h, {"The decision behind this version",
                         "Decision #" + std::to_string(did) + ", recorded by dr.a",
                         "Decision: switch to gabapentin", "Baseline pain: 7 of 10",
                         // The window is half-open in the model, inclusive for people.
                         "Window: 2026-12-15 through 2026-12-21, 6 days with scores, mean "
                         "6.5 of 10",
                         "Change from baseline: 7.1 % less pain",
                         "Rule: decision.switch-at-maximum (source: ESMO 2020)",
                         // Every version, newest first, with its review.
                         "Versions and reviews", "2 (this one)",
                         "<a href=\"/pharmacy/patients/P1/versions/1\">1</a>", "approved by ph.b"});
  CHECK(h.find("2 (this one)") < h.find("/pharmacy/patients/P1/versions/1\""));
  // The downloads are this version's exports, and they open for the pharmacist.
  CHECK_THAT(h, Catch::Contains("/api/patients/P1/export/csv?version=2"));
  auto csv = c.Get("/api/patients/P1/export/csv?version=2", {{"Cookie", login.cookie}});
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  // Version 1 is approved: no verdict to give, and the page says why.
  auto old = c.Get("/pharmacy/patients/P1/versions/1", {{"Cookie", login.cookie}});
  REQUIRE(old->status == 200);
  CHECK_THAT(old->body, Catch::Contains("This version is approved; only a version submitted for "
                                        "review can be approved or rejected."));
  CHECK(old->body.find("id=\"approve\"") == std::string::npos);
  CHECK(old->body.find("The decision behind this version") == std::string::npos);
  // The review queue shows what is coming (P1's decision date 2026-12-22) and links the audit,
  // which opens in the pharmacist's own section; a clinician is refused there.
  s.today = Date(2026, 12, 20);
  auto queue = c.Get("/pharmacy/", {{"Cookie", login.cookie}});
  REQUIRE(queue->status == 200);
  check_contains_all(queue->body, {"Due by 2026-12-27",
                                   "<td>P1</td><td>DULoxetine</td><td>decision date 2026-12-22</td>"
                                   "<td>in 2 days</td>",
                                   "href=\"/pharmacy/audit\""});
  auto audit = c.Get("/pharmacy/audit", {{"Cookie", login.cookie}});
  REQUIRE(audit->status == 200);
  check_contains_all(audit->body, {"<h1>Audit</h1>", "Back to the review queue"});
  auto mine = c.Get("/pharmacy/patients/P1/audit", {{"Cookie", login.cookie}});
  REQUIRE(mine->status == 200);
  check_contains_all(mine->body, {"Audit of patient P1", "dr.a"});
  const auto dr = s.login("dr.a");
  CHECK(c.Get("/pharmacy/audit", {{"Cookie", dr.cookie}})->status == 403);
  CHECK(c.Get("/clinic/audit", {{"Cookie", dr.cookie}})->status == 200);
}

} // namespace titrate::test
