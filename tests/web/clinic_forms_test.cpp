// The clinician's forms (issue 15 item 1, planner/web/clinic_forms.cpp) against an in-process
// server: each route's success as the clinician sees it, bad input (400 naming the value, nothing
// written), the wrong role (403) and a missing CSRF token (403). Expected values are the ones
// typed into the forms; the dates follow web_test.cpp (a cipn-esmo plan from 2026-12-01 has its
// decision date on 2026-12-22).
#include "planner/core/errors.hpp"
#include "planner/formulary/files.hpp"
#include "planner/formulary/loader.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/server.hpp"
#include "tests/web/web_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <regex>

// A named namespace (not an anonymous one): the unity build joins this file with web_test.cpp.
namespace titrate::test::clinic_forms {

namespace fs = std::filesystem;

using namespace web_fixture;

// A staff form post with the session cookie.
httplib::Result post_form(Server &s, const StaffLogin &who, const std::string &path,
                          httplib::Params params) {
  auto c = s.client();
  return c.Post(path.c_str(), {{"Cookie", who.cookie}}, params);
}

httplib::Result get_page(Server &s, const StaffLogin &who, const std::string &path) {
  auto c = s.client();
  return c.Get(path.c_str(), {{"Cookie", who.cookie}});
}

// `p` with each field of `set` given that value instead of the one it had.
httplib::Params with_fields(httplib::Params p,
                            std::initializer_list<std::pair<std::string, std::string>> set) {
  for (const auto &[field, value] : set) {
    p.erase(field);
    p.emplace(field, value);
  }
  return p;
}

// The body of a page that must be shown (200).
std::string shown_page(Server &s, const StaffLogin &who, const std::string &path) {
  auto r = get_page(s, who, path);
  REQUIRE(r);
  CHECK(r->status == 200);
  return r->body;
}

bool has(const std::string &hay, const std::string &needle) {
  return hay.find(needle) != std::string::npos;
}

std::string link_in(const std::string &html) {
  static const std::regex re(
      R"re(id="patient-link" readonly[^>]*>[^<]*/p/([0-9a-f]{32})</textarea>)re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

int audit_count(Server &s, const std::string &action) {
  int n = 0;
  for (const auto &e : s.repo->audit(std::nullopt))
    n += e.action == action;
  return n;
}

} // namespace titrate::test::clinic_forms

using namespace titrate;
using namespace titrate::test::clinic_forms;

TEST_CASE("clinic add patient: stored as typed, bad values named, pharmacist and no CSRF refused") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  const std::string form = shown_page(s, dr, "/clinic/new-patient");
  CHECK(has(form, "<label for=\"weight-kg\">"));
  const httplib::Params good{{"csrf", dr.csrf},
                             {"id", "P3"},
                             {"birth-date", "1980-02-29"},
                             {"sex", "male"},
                             {"weight-kg", "82.5"},
                             {"creatinine-mg-dl", "1.1"},
                             {"hepatic", "mild"},
                             {"conditions", ""},
                             {"medications", "sertraline, tramadol"},
                             {"baseline-pain", "6"},
                             {"indication", "painful-diabetic-neuropathy"}};
  CHECK(has(form, "<option value=\"trigeminal-neuralgia\">trigeminal neuralgia</option>"));
  auto r = post_form(s, dr, "/clinic/patients", good);
  REQUIRE(r);
  CHECK(r->status == 303);
  CHECK(r->get_header_value("Location") == "/clinic/patients/P3");
  const auto p3 = s.repo->patient("P3");
  REQUIRE(p3);
  CHECK(p3->version == 1);
  CHECK(p3->patient.weight_kg == 82.5);
  CHECK(p3->patient.hepatic == Hepatic::mild);
  CHECK(p3->patient.medications == std::vector<std::string>{"sertraline", "tramadol"});
  CHECK(p3->patient.baseline_pain == PainScore(6));
  CHECK(p3->patient.indication == "painful-diabetic-neuropathy");
  auto page = get_page(s, dr, "/clinic/patients/P3");
  CHECK(has(page->body, "82.5 kg"));
  CHECK(has(page->body, "<th>Indication</th><td>painful diabetic peripheral neuropathy "
                        "(painful-diabetic-neuropathy)</td>"));

  auto bad = with_fields(good, {{"id", "P4"}, {"weight-kg", "heavy"}});
  r = post_form(s, dr, "/clinic/patients", bad);
  CHECK(r->status == 400);
  CHECK(has(r->body, "weight-kg: &quot;heavy&quot; is not a number; expected kg"));
  CHECK_FALSE(s.repo->patient("P4"));

  bad = with_fields(good, {{"id", "P4"}});
  bad.erase("sex");
  r = post_form(s, dr, "/clinic/patients", bad);
  CHECK(r->status == 400);
  CHECK(has(r->body, "sex: missing; expected female or male"));
  CHECK_FALSE(s.repo->patient("P4"));

  // The same id twice is the store's refusal; nothing changes.
  r = post_form(s, dr, "/clinic/patients", good);
  CHECK(r->status == 403);
  CHECK(has(r->body, "patient P3: already exists"));
  CHECK(s.repo->patient("P3")->version == 1);

  const StaffLogin ph = s.login("ph.b");
  r = post_form(s, ph, "/clinic/patients", with_fields(good, {{"csrf", ph.csrf}, {"id", "P5"}}));
  CHECK(r->status == 403);
  CHECK_FALSE(s.repo->patient("P5"));
  CHECK(s.audited("ph.b", "POST /clinic/patients"));

  auto no_csrf = with_fields(good, {{"id", "P6"}});
  no_csrf.erase("csrf");
  r = post_form(s, dr, "/clinic/patients", no_csrf);
  CHECK(r->status == 403);
  CHECK(has(r->body, "missing CSRF token"));
  CHECK_FALSE(s.repo->patient("P6"));
}

TEST_CASE("clinic update patient: the form shows the profile, a change is the next version") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  const std::string form = shown_page(s, dr, "/clinic/patients/P1/profile");
  CHECK(has(form, "id=\"weight-kg\" name=\"weight-kg\" value=\"65\""));
  CHECK(has(form, "id=\"creatinine-mg-dl\" name=\"creatinine-mg-dl\" value=\"0.8\""));
  httplib::Params same{{"csrf", dr.csrf},   {"birth-date", "1971-06-15"}, {"sex", "female"},
                       {"weight-kg", "65"}, {"creatinine-mg-dl", "0.8"},  {"crcl", ""},
                       {"hepatic", "none"}, {"baseline-pain", "7"}};
  auto r = post_form(s, dr, "/clinic/patients/P1/profile", same);
  CHECK(r->status == 400);
  CHECK(has(r->body, "patient update P1: nothing to change"));
  CHECK(s.repo->patient("P1")->version == 1);

  auto changed = with_fields(same, {{"weight-kg", "61"}});
  r = post_form(s, dr, "/clinic/patients/P1/profile", changed);
  CHECK(r->status == 303);
  CHECK(s.repo->patient("P1")->version == 2);
  CHECK(s.repo->patient("P1")->patient.weight_kg == 61);

  // A field not sent at all keeps its value (only a box sent empty clears it).
  r = post_form(s, dr, "/clinic/patients/P1/profile", {{"csrf", dr.csrf}, {"weight-kg", "62"}});
  CHECK(r->status == 303);
  CHECK(s.repo->patient("P1")->version == 3);
  CHECK(s.repo->patient("P1")->patient.baseline_pain == PainScore(7));
  CHECK(s.repo->patient("P1")->patient.weight_kg == 62);
  r = post_form(s, dr, "/clinic/patients/P1/profile", with_fields(same, {{"baseline-pain", ""}}));
  CHECK(r->status == 303);
  CHECK(s.repo->patient("P1")->version == 4);
  CHECK_FALSE(s.repo->patient("P1")->patient.baseline_pain.has_value());

  r = post_form(s, dr, "/clinic/patients/P1/profile", with_fields(same, {{"crcl", "50"}}));
  CHECK(r->status == 400);
  CHECK(has(r->body, "creatinine-mg-dl and crcl: give one of them, not both"));
  CHECK(s.repo->patient("P1")->version == 4);

  const StaffLogin ph = s.login("ph.b");
  r = post_form(s, ph, "/clinic/patients/P1/profile", with_fields(changed, {{"csrf", ph.csrf}}));
  CHECK(r->status == 403);
  r = get_page(s, ph, "/clinic/patients/P1/profile");
  CHECK(r->status == 403);
  auto no_csrf = same;
  no_csrf.erase("csrf");
  r = post_form(s, dr, "/clinic/patients/P1/profile", no_csrf);
  CHECK(r->status == 403);
  CHECK(s.repo->patient("P1")->version == 4);
}

TEST_CASE("clinic invite: the link is shown once, a new one revokes the old unless kept") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  auto r = post_form(s, dr, "/clinic/patients/P1/invite", {{"csrf", dr.csrf}});
  REQUIRE(r);
  CHECK(r->status == 200);
  const std::string first = link_in(r->body);
  REQUIRE(first.size() == 32);
  CHECK(has(r->body, "It is shown once"));
  CHECK(has(r->body, "1 earlier link no longer opens anything.")); // the fixture's token1
  auto c = s.client();
  CHECK(c.Get(("/p/" + s.token1).c_str())->status == 404);
  CHECK(c.Get(("/p/" + first).c_str())->status == 200);
  // Never stored in clear: only the digest.
  CHECK(s.accounts->link(web::token_digest(first)).has_value());
  CHECK_FALSE(s.accounts->link(first).has_value());

  r = post_form(s, dr, "/clinic/patients/P1/invite", {{"csrf", dr.csrf}, {"keep-old", "1"}});
  const std::string second = link_in(r->body);
  CHECK(has(r->body, "The patient's earlier links still work."));
  CHECK(c.Get(("/p/" + first).c_str())->status == 200);
  CHECK(c.Get(("/p/" + second).c_str())->status == 200);

  r = post_form(s, dr, "/clinic/patients/P1/invite", {{"csrf", dr.csrf}});
  const std::string third = link_in(r->body);
  CHECK(has(r->body, "2 earlier links no longer open anything."));
  CHECK(c.Get(("/p/" + first).c_str())->status == 404);
  CHECK(c.Get(("/p/" + second).c_str())->status == 404);
  CHECK(c.Get(("/p/" + third).c_str())->status == 200);

  r = post_form(s, dr, "/clinic/patients/P1/revoke", {{"csrf", dr.csrf}});
  CHECK(r->status == 200);
  CHECK(has(r->body, "Revoked 1 link of P1."));
  CHECK(c.Get(("/p/" + third).c_str())->status == 404);

  const int invites = audit_count(s, "patient.invite");
  CHECK(invites == 3);
  r = post_form(s, dr, "/clinic/patients/NOPE/invite", {{"csrf", dr.csrf}});
  CHECK(r->status == 404);
  const StaffLogin ph = s.login("ph.b");
  r = post_form(s, ph, "/clinic/patients/P2/invite", {{"csrf", ph.csrf}});
  CHECK(r->status == 403);
  r = post_form(s, dr, "/clinic/patients/P2/invite", {});
  CHECK(r->status == 403);
  r = post_form(s, dr, "/clinic/patients/P2/revoke", {});
  CHECK(r->status == 403);
  CHECK(audit_count(s, "patient.invite") == invites);
  CHECK(c.Get(("/p/" + s.token2).c_str())->status == 200);
}

TEST_CASE("clinic invite handout: a PDF with a new link, none without a plan") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  auto r = post_form(s, dr, "/clinic/patients/P1/handout", {{"csrf", dr.csrf}});
  CHECK(r->status == 404);
  CHECK(audit_count(s, "patient.invite") == 0);
  auto c = s.client();
  CHECK(c.Get(("/p/" + s.token1).c_str())->status == 200);
  s.approved_plan();
  r = post_form(s, dr, "/clinic/patients/P1/handout", {{"csrf", dr.csrf}});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/pdf");
  CHECK(has(r->get_header_value("Content-Disposition"), "titrate-P1-invite-v1.pdf"));
  CHECK(r->body.rfind("%PDF", 0) == 0);
  CHECK(audit_count(s, "patient.invite") == 1);
  CHECK(has(r->body, "/MediaBox [ 0 0 595.")); // A4 by default: 595.28 x 841.89 points
  r = post_form(s, dr, "/clinic/patients/P1/handout",
                {{"csrf", dr.csrf}, {"paper", "letter"}, {"clinic-name", "Pain clinic"}});
  CHECK(r->status == 200);
  CHECK(has(r->body, "/MediaBox [ 0 0 612 792 ]")); // US letter
  r = post_form(s, dr, "/clinic/patients/P1/handout", {{"csrf", dr.csrf}, {"paper", "a3"}});
  CHECK(r->status == 400);
  CHECK(has(r->body, "paper: &quot;a3&quot;; expected a4 or letter"));
  CHECK(audit_count(s, "patient.invite") == 2);
  CHECK(c.Get(("/p/" + s.token1).c_str())->status == 404); // the old link is revoked
}

TEST_CASE("clinic log score: stored, corrected, bad values named and nothing written") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  auto r =
      post_form(s, dr, "/clinic/patients/P1/scores",
                {{"csrf", dr.csrf}, {"score", "6"}, {"at", "2026-11-30T20:15"}, {"note", "x"}});
  CHECK(r->status == 303);
  auto scores = s.repo->scores("P1");
  REQUIRE(scores.size() == 1);
  CHECK(scores[0].score == PainScore(6));
  CHECK(iso(scores[0].at) == "2026-11-30T20:15");
  auto page = get_page(s, dr, "/clinic/patients/P1");
  CHECK(has(page->body, "<td>2026-11-30 at 20:15</td><td>6</td>"));

  r = post_form(s, dr, "/clinic/patients/P1/scores",
                {{"csrf", dr.csrf},
                 {"score", "4"},
                 {"at", "2026-11-30T20:15"},
                 {"supersedes", std::to_string(scores[0].id)}});
  CHECK(r->status == 303);
  scores = s.repo->scores("P1");
  REQUIRE(scores.size() == 1);
  CHECK(scores[0].score == PainScore(4));

  for (const auto &[field, value, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"score", "11", "score: &quot;11&quot;"},
           {"at", "2026-12-02T09:00", "at: "},
           {"supersedes", "abc", "supersedes: &quot;abc&quot; is not a score id"}}) {
    r = post_form(s, dr, "/clinic/patients/P1/scores",
                  with_fields({{"csrf", dr.csrf}, {"score", "5"}}, {{field, value}}));
    CHECK(r->status == 400);
    CHECK(has(r->body, message));
  }
  CHECK(s.repo->scores("P1", true).size() == 2);
  const StaffLogin ph = s.login("ph.b");
  r = post_form(s, ph, "/clinic/patients/P1/scores", {{"csrf", ph.csrf}, {"score", "5"}});
  CHECK(r->status == 403);
  r = post_form(s, dr, "/clinic/patients/P1/scores", {{"score", "5"}});
  CHECK(r->status == 403);
  CHECK(s.repo->scores("P1", true).size() == 2);
}

namespace {
httplib::Result post_diary(Server &s, const StaffLogin &who, const std::string &csrf,
                           const std::string &csv) {
  auto c = s.client();
  httplib::MultipartFormDataItems items{{"csrf", csrf, "", ""},
                                        {"diary", csv, "diary.csv", "text/csv"}};
  return c.Post("/clinic/patients/P1/diary", {{"Cookie", who.cookie}}, items);
}
} // namespace

TEST_CASE("clinic diary import: all rows or none, another patient's row named") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  auto r = post_diary(s, dr, dr.csrf, "at,score,note\n2026-11-28,6,\n2026-11-29T08:00,5,ok\n");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(has(r->body, "Imported 2 scores from diary.csv; skipped 0 duplicates already stored."));
  CHECK(s.repo->scores("P1").size() == 2);
  r = post_diary(s, dr, dr.csrf, "at,score,note\n2026-11-28,6,\n");
  CHECK(has(r->body, "Imported 0 scores from diary.csv; skipped 1 duplicate already stored."));

  r = post_diary(s, dr, dr.csrf, "at,score,note\n2026-11-27,4,\n2026-11-26,12,\n");
  CHECK(r->status == 400);
  CHECK(has(r->body, "diary.csv:3"));
  r = post_diary(s, dr, dr.csrf, "patient_id,at,score\nP1,2026-11-27,4\nP2,2026-11-26,3\n");
  CHECK(r->status == 400);
  CHECK(has(r->body, "diary.csv:3: patient_id: &quot;P2&quot; is not this patient"));
  r = post_diary(s, dr, dr.csrf, "at,score\n2026-12-05,4\n");
  CHECK(r->status == 400);
  CHECK(has(r->body, "is after today (2026-12-01)"));
  CHECK(s.repo->scores("P1").size() == 2);
  CHECK(s.repo->scores("P2").empty());

  r = post_diary(s, dr, "", "at,score\n2026-11-27,4\n");
  CHECK(r->status == 403);
  const StaffLogin ph = s.login("ph.b");
  r = post_diary(s, ph, ph.csrf, "at,score\n2026-11-27,4\n");
  CHECK(r->status == 403);
  CHECK(s.repo->scores("P1").size() == 2);
}

TEST_CASE("clinic assess shows the numbers and applying records the decision") {
  Server s;
  s.approved_plan();
  const StaffLogin dr = s.login("dr.a");
  // A full window of scores before the decision date (2026-12-22), pain down from 7 to 3.
  for (Date d(2026, 12, 8); d < Date(2026, 12, 22); d += Days(1)) {
    s.repo->log_score("P1", ScoreEntry{0, LocalDateTime{d, 540}, PainScore(3), "", std::nullopt},
                      clinician);
  }
  s.today = Date(2026, 12, 22);
  const std::string assess = shown_page(s, dr, "/clinic/patients/P1/assess");
  CHECK(has(assess, "Assessment for patient P1 on 2026-12-22"));
  CHECK(has(assess, "Baseline pain: 7 of 10"));
  CHECK(has(assess, "mean 3 of 10"));
  CHECK(has(assess, "Change from baseline: 57.1 % less pain"));
  CHECK(s.repo->decisions("P1").empty());

  const StaffLogin ph = s.login("ph.b");
  auto r = post_form(s, ph, "/clinic/patients/P1/assess", {{"csrf", ph.csrf}});
  CHECK(r->status == 403);
  r = post_form(s, dr, "/clinic/patients/P1/assess", {});
  CHECK(r->status == 403);
  r = post_form(s, dr, "/clinic/patients/P1/assess",
                {{"csrf", dr.csrf}, {"decision", "wait"}, {"reason", "x"}});
  CHECK(r->status == 400);
  CHECK(has(r->body, "decision: &quot;wait&quot;"));
  r = post_form(s, dr, "/clinic/patients/P1/assess", {{"csrf", dr.csrf}, {"reason", "x"}});
  CHECK(r->status == 400);
  // The clinician's own decision is refused in the form's words, never a CLI flag's.
  r = post_form(s, dr, "/clinic/patients/P1/assess", {{"csrf", dr.csrf}, {"decision", "stop"}});
  CHECK(r->status == 400);
  CHECK(has(r->body, "reason: missing; expected why the clinician decides stop"));
  CHECK_FALSE(has(r->body, "--reason"));
  r = post_form(s, dr, "/clinic/patients/P1/assess",
                {{"csrf", dr.csrf}, {"decision", "stop"}, {"reason", "prefers to stop"}});
  CHECK(has(r->body, "decision: refused: the plan of P1 is not in maintenance"));
  CHECK_FALSE(has(r->body, "--decision"));
  CHECK(s.repo->decisions("P1").empty());

  // The page showed a decision that is no longer titrate's: refused, nothing recorded.
  r = post_form(s, dr, "/clinic/patients/P1/assess", {{"csrf", dr.csrf}, {"shown", "escalate"}});
  CHECK(r->status == 400);
  CHECK(has(r->body, "shown: the page said &quot;escalate&quot;, but titrate now decides"));
  CHECK(s.repo->decisions("P1").empty());

  // The decision as the page showed it is applied.
  const auto form = get_page(s, dr, "/clinic/patients/P1/assess");
  std::smatch m;
  REQUIRE(std::regex_search(form->body, m, std::regex(R"re(name="shown" value="([a-z_]+)")re")));
  r = post_form(s, dr, "/clinic/patients/P1/assess", {{"csrf", dr.csrf}, {"shown", m[1].str()}});
  CHECK(r->status == 303);
  REQUIRE(s.repo->decisions("P1").size() == 1);
  auto page = get_page(s, dr, r->get_header_value("Location"));
  CHECK(page->status == 200);
  CHECK(has(page->body, "2026-12-22 duloxetine: <strong>"));
  // Applying the same decision twice on one day is refused and records nothing.
  r = post_form(s, dr, "/clinic/patients/P1/assess", {{"csrf", dr.csrf}});
  CHECK(r->status == 403);
  CHECK(has(r->body, "is already recorded"));
  CHECK(s.repo->decisions("P1").size() == 1);
  // No approved plan: 404 with the CLI's words.
  r = get_page(s, dr, "/clinic/patients/P2/assess");
  CHECK(r->status == 404);
  CHECK(has(r->body, "assess P2: no approved plan to assess"));
}

TEST_CASE("clinic audit page lists who did what, clinic only") {
  Server s;
  const StaffLogin dr = s.login("dr.a");
  post_form(s, dr, "/clinic/patients/P1/scores", {{"csrf", dr.csrf}, {"score", "5"}});
  const std::string audit = shown_page(s, dr, "/clinic/patients/P1/audit");
  CHECK(has(audit, "<td>patient.add</td>"));
  CHECK(has(audit, "dr.a (clinician)"));
  CHECK(has(audit, "via web"));
  CHECK(get_page(s, dr, "/clinic/patients/NOPE/audit")->status == 404);
  const StaffLogin ph = s.login("ph.b");
  CHECK(get_page(s, ph, "/clinic/patients/P1/audit")->status == 403);
  // The whole clinic's audit: every patient, and the pharmacist's refusal just above.
  auto r = get_page(s, dr, "/clinic/audit");
  CHECK(r->status == 200);
  CHECK(has(r->body, "<a href=\"/clinic/patients/P2\">P2</a></td><td>patient.add</td>"));
  CHECK(has(r->body, "<td>web.refused</td><td>GET /clinic/patients/P1/audit: "));
  CHECK(get_page(s, ph, "/clinic/audit")->status == 403);
}

TEST_CASE("clinic patient page links every export and offers every task") {
  Server s;
  s.approved_plan();
  const StaffLogin dr = s.login("dr.a");
  auto r = get_page(s, dr, "/clinic/patients/P1");
  REQUIRE(r);
  for (const char *f : {"text", "csv", "ics", "fhir", "svg", "scores-csv", "pdf"})
    CHECK(has(r->body, std::string("href=\"/api/patients/P1/export/") + f + "\""));
  for (const char *a :
       {"/clinic/patients/P1/invite", "/clinic/patients/P1/revoke", "/clinic/patients/P1/scores",
        "/clinic/patients/P1/diary", "/clinic/patients/P1/assess", "/clinic/patients/P1/audit",
        "/clinic/patients/P1/profile"})
    CHECK(has(r->body, a));
  auto pdf = get_page(s, dr, "/api/patients/P1/export/pdf");
  CHECK(pdf->status == 200);
  CHECK(pdf->body.rfind("%PDF", 0) == 0);
}

TEST_CASE("clinic home leads with overdue assessments, started short windows and rejections") {
  Server s;
  s.approved_plan("P1"); // decision date 2026-12-22
  const StaffLogin dr = s.login("dr.a");
  auto r = get_page(s, dr, "/clinic/?within=30");
  REQUIRE(r);
  // The window (the 7 days before 2026-12-22: schedules/cipn-esmo.toml window_days) has not
  // started on 2026-12-01: not short yet.
  CHECK(
      has(r->body, "No overdue assessment, no started window short of scores, no rejected plan."));
  CHECK(has(r->body, "(window starts 2026-12-15)"));
  s.today = Date(2026, 12, 16);
  r = get_page(s, dr, "/clinic/");
  CHECK(has(r->body, "P1</a>: 0 of 7 days scored since 2026-12-15"));
  // Even when the due list shows only today.
  r = get_page(s, dr, "/clinic/?within=0");
  CHECK(has(r->body, "P1</a>: 0 of 7 days scored since 2026-12-15"));
  // At most a year ahead, as `titrate due --within` and GET /api/due.
  r = get_page(s, dr, "/clinic/?within=367");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(has(r->body, "367"));
  CHECK(has(r->body, "is not a number of days 0-366"));
  s.today = Date(2026, 12, 24);
  r = get_page(s, dr, "/clinic/");
  CHECK(has(r->body, "decision date 2026-12-22, 2 days overdue"));
  CHECK(has(r->body, ">Overdue assessments</h3>"));
  CHECK(r->body.find("Overdue assessments") < r->body.find("Due by"));

  // A plan for P2 rejected by the pharmacist, with the reason, until a new version is drafted.
  PlanRequest req;
  req.start = s.today;
  req.today = s.today;
  const Plan plan = build_plan(adult("P2"), formulary(), cipn(), req);
  const int v = s.repo->save_draft(plan, clinician);
  s.repo->submit("P2", v, clinician);
  s.repo->reject("P2", v, Actor{"ph.b", "pharmacist"}, "check the renal dose");
  r = get_page(s, dr, "/clinic/");
  CHECK(has(r->body, ">Plans the pharmacist rejected</h3><ul><li><a "
                     "href=\"/clinic/patients/P2\">P2</a>: plan version 1 rejected by ph.b"));
  CHECK(has(r->body, ": check the renal dose</li>"));
  s.repo->save_draft(plan, clinician);
  r = get_page(s, dr, "/clinic/");
  CHECK_FALSE(has(r->body, "Plans the pharmacist rejected"));
}

TEST_CASE("clinic draft over an active plan shows the running plan beside the draft") {
  Server s;
  s.approved_plan();
  const StaffLogin dr = s.login("dr.a");
  auto r = post_form(s, dr, "/clinic/patients/P1/plans",
                     {{"csrf", dr.csrf}, {"start", "2026-12-01"}, {"pathway", "cipn-esmo"}});
  REQUIRE(r);
  CHECK(r->status == 303);
  auto page = get_page(s, dr, r->get_header_value("Location"));
  const std::string &b = page->body;
  const auto draft = b.find("Draft plan version 2 (not submitted)");
  const auto running = b.find("<summary>The running plan (version 1, approved)</summary>");
  REQUIRE(draft != std::string::npos);
  REQUIRE(running != std::string::npos);
  CHECK(draft < running);
  CHECK(running < b.find("<h3>The draft</h3>"));
  CHECK(b.find("<h3>The draft</h3>") < b.find("id=\"submit-draft\""));
  CHECK(b.find("from 2026-12-01 through 2026-12-07 (7 days): 30 mg a day", running) !=
        std::string::npos);
}
