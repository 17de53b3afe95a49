// The patient's page over several days (issue 15 item 3), against an in-process server with
// "today" fixed (WebConfig::today). Expected words worked out by hand from clinical.md (B table,
// duloxetine: 30 mg in the morning for 7 days, then 60 mg; A6: 14 days at target): a cipn-esmo
// plan starting 2026-12-01 gives one 30 mg capsule each morning 2026-12-01 through 2026-12-07,
// one 60 mg capsule from 2026-12-08, decision date 2026-12-22. 2026-12-01 is a Tuesday.
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/server.hpp"
#include "tests/web/web_fixture.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <filesystem>
#include <regex>

namespace titrate::test::patient_page {

namespace {

// The cipn-esmo plan from 2026-12-01 (see the top of this file).
Plan pp_plan() {
  PlanRequest req;
  req.start = Date(2026, 12, 1);
  req.today = Date(2026, 12, 1);
  return build_plan(web_fixture::adult("P1"), web_fixture::formulary(), web_fixture::cipn(), req);
}

// The trial ends on 2026-12-21 (its last 60 mg day); a taper gives one 30 mg capsule each
// morning 2026-12-22 through 2026-12-28 (clinical.md H2: 60 -> 30 mg, then stop); stop from
// 2026-12-29.
Plan pp_taper_plan() {
  Plan plan = pp_plan();
  Stage &trial = plan.stages.at(0);
  trial.steps.back().range = DateRange(trial.steps.back().range.begin(), Date(2026, 12, 22));
  Stage taper;
  taper.drug = trial.drug;
  taper.role = StageRole::taper;
  Step st = trial.steps.front(); // 30 mg: one 30 mg capsule in the morning
  st.range = DateRange(Date(2026, 12, 22), Date(2026, 12, 29));
  taper.steps = {st};
  plan.stages.push_back(taper);
  return plan;
}

struct PatientServer : web_fixture::ServerFiles {
  Date today{2026, 12, 1};
  std::unique_ptr<web::WebServer> server;
  int port = 0;
  std::string token;
  std::string base;

  explicit PatientServer(const std::string &clinic_name = "Hope Pain Clinic",
                         const std::string &clinic_phone = "020 7946 0000",
                         const Patient &who = web_fixture::adult("P1"))
      : ServerFiles("titrate-patient-page-") {
    repo->add_patient(who, web_fixture::clinician);
    token = web::random_token();
    base = "/p/" + token;
    accounts->add_link({web::token_digest(token), "P1", 1'796'112'000, std::nullopt});
    web::WebConfig cfg;
    cfg.port = 0;
    cfg.threads = 4;
    cfg.today = [this] { return today; };
    cfg.now = [] { return std::int64_t{1'796'112'000}; };
    cfg.minute_of_day = [] { return 9 * 60 + 45; };
    cfg.clinic_name = clinic_name;
    cfg.clinic_phone = clinic_phone;
    server = std::make_unique<web::WebServer>(*repo, *accounts, web_fixture::formulary(),
                                              web_fixture::pathways(), cfg);
    port = server->start();
  }
  ~PatientServer() { server->stop(); }

  void approve(const Plan &plan) {
    const int v = repo->save_draft(plan, web_fixture::clinician);
    repo->submit("P1", v, web_fixture::clinician);
    repo->approve("P1", v, Actor{"ph.b", "pharmacist"});
  }

  httplib::Client client() const { return web_fixture::loopback_client(port, 30); }

  std::string raw_page() {
    auto r = client().Get(base.c_str());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return r->body;
  }
  // The page with the spans that keep dates on one line taken out (they carry no words).
  std::string page() {
    static const std::regex nowrap(R"re(<span style="white-space:nowrap">([^<]*)</span>)re");
    return std::regex_replace(raw_page(), nowrap, "$1");
  }

  // Posts two scores in turn, each saved (303); the ids of the stored two, older then last.
  std::pair<std::int64_t, std::int64_t> post_two_scores(const httplib::Params &first,
                                                        const httplib::Params &second) {
    CHECK(post("/scores", first)->status == 303);
    CHECK(post("/scores", second)->status == 303);
    const auto all = repo->scores("P1");
    REQUIRE(all.size() == 2);
    return {std::min(all[0].id, all[1].id), std::max(all[0].id, all[1].id)};
  }

  // The page on `day` with pp_plan() approved.
  std::string plan_page_on(Date day) {
    approve(pp_plan());
    today = day;
    return page();
  }

  httplib::Result post(const std::string &path, const httplib::Params &params) {
    auto r = client().Post((base + path).c_str(), params);
    REQUIRE(r);
    return r;
  }
};

bool pp_has(const std::string &hay, const std::string &needle) {
  if (hay.find(needle) != std::string::npos)
    return true;
  UNSCOPED_INFO("missing: " << needle);
  return false;
}

// The first one-time form code on the page after `action`.
std::string pp_form_code(const std::string &html, const std::string &action) {
  const auto at = html.find("action=\"" + action + "\"");
  REQUIRE(at != std::string::npos);
  static const std::regex re(R"re(name="form" value="([0-9a-f]{32})")re");
  std::smatch m;
  const std::string rest = html.substr(at);
  REQUIRE(std::regex_search(rest, m, re));
  return m[1].str();
}

std::string pp_repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

const std::string dul30 = "In the morning:</strong> DULoxetine 30 mg, take 1 capsule of 30 mg";
const std::string dul60 = "In the morning:</strong> DULoxetine 60 mg, take 1 capsule of 60 mg";
const std::string changed = "<strong class=\"change\">Changed:</strong> <strong>";

} // namespace

TEST_CASE(
    "patient days: before the start, the days before say nothing to take and when it starts") {
  PatientServer s;
  const std::string b = s.plan_page_on(Date(2026, 11, 28));
  CHECK(pp_has(b, "Your plan starts on 2026-12-01</strong>: take nothing from it before then."));
  CHECK(pp_has(b, "<h3>Today (2026-11-28) through 2026-11-30</h3><p>Nothing to take from this "
                  "plan.</p>"));
  CHECK(pp_has(b, "<h3>From Tuesday 2026-12-01 through 2026-12-07</h3><ul class=\"plain\"><li "
                  "class=\"dose\">" +
                      changed + dul30));
  // 2026-12-05 is the last day looked at (today + 7): the 60 mg days are not shown yet.
  const std::string doses = b.substr(0, b.find("</section>", b.find("id=\"doses\"")));
  CHECK(doses.find("60 mg") == std::string::npos);
}

TEST_CASE("patient days: on the first day, today's dose and the change a week later") {
  PatientServer s;
  s.approve(pp_plan());
  const std::string b = s.page();
  CHECK(b.find("id=\"starts\"") == std::string::npos);
  CHECK(pp_has(b, "<h3>Today (2026-12-01) through 2026-12-07</h3><ul class=\"plain\"><li "
                  "class=\"dose\"><strong>" +
                      dul30));
  CHECK(pp_has(b, "<h3>From Tuesday 2026-12-08 through 2026-12-21</h3><ul class=\"plain\"><li "
                  "class=\"dose\">" +
                      changed + dul60));
  CHECK(pp_has(b, "Next assessment: <strong>2026-12-22</strong>"));
  CHECK(pp_has(b, "style=\"min-width:672px\""));
  CHECK(pp_has(b, "On a small screen, slide the chart sideways to see all of it."));
  // A phone never breaks a heading's date at its hyphens.
  CHECK(pp_has(s.raw_page(), "<h3>Today (<span style=\"white-space:nowrap\">2026-12-01</span>) "
                             "through <span style=\"white-space:nowrap\">2026-12-07</span></h3>"));
}

TEST_CASE("patient days: a dose change tomorrow is marked from tomorrow") {
  PatientServer s;
  const std::string b = s.plan_page_on(Date(2026, 12, 7));
  CHECK(pp_has(b, "<h3>Today (2026-12-07)</h3><ul class=\"plain\"><li class=\"dose\"><strong>" +
                      dul30));
  CHECK(pp_has(b, "<h3>From tomorrow (2026-12-08) through 2026-12-21</h3><ul class=\"plain\"><li "
                  "class=\"dose\">" +
                      changed + dul60));
  // Exactly one dose line a day: the morning.
  CHECK(b.find("At bedtime") == std::string::npos);
}

TEST_CASE("patient days: the last day of a taper warns, and the day after says what to do") {
  PatientServer s;
  s.approve(pp_taper_plan());
  s.today = Date(2026, 12, 28);
  std::string b = s.page();
  CHECK(pp_has(b, "Today is your last dose of DULoxetine. Stop DULoxetine from 2026-12-29 (last "
                  "dose on 2026-12-28): take no more of it from tomorrow."));
  CHECK(pp_has(b, "<h3>Today (2026-12-28)</h3><ul class=\"plain\"><li class=\"dose\"><strong>" +
                      dul30));
  CHECK(pp_has(b, "From tomorrow (2026-12-29) through 2027-01-04</h3><p>Nothing more to take from "
                  "this plan.</p>"));
  CHECK(b.find("id=\"after-plan\"") == std::string::npos);
  s.today = Date(2026, 12, 27); // the day before: no warning yet
  CHECK(s.page().find("id=\"last-dose\"") == std::string::npos);
  s.today = Date(2027, 1, 2);
  b = s.page();
  CHECK(b.find("id=\"last-dose\"") == std::string::npos);
  CHECK(pp_has(b, "<p>Your plan&#39;s last day was 2026-12-28.</p><p>Stop DULoxetine from "
                  "2026-12-29 (last dose on 2026-12-28): take no more of it unless your clinic "
                  "tells you to.</p>"));
  // The clinic and its number on two lines, the number a link a phone dials at a tap (RFC 3966:
  // digits only).
  CHECK(pp_has(b, "Call your clinic: Hope Pain Clinic<br>Telephone: <a "
                  "href=\"tel:02079460000\">020 7946 0000</a>"));
  CHECK(pp_has(b, "<h3>Today (2027-01-02) through 2027-01-09</h3><p>Nothing more to take"));
}

TEST_CASE("patient days: days between two medicines are a gap, not the end") {
  PatientServer s;
  Plan plan = pp_taper_plan();
  // Synthetic, for the wording only: the taper moved two days later leaves 2026-12-22 and
  // 2026-12-23 without a dose, as a washout between two drugs does.
  plan.stages.at(1).steps.at(0).range = DateRange(Date(2026, 12, 24), Date(2026, 12, 29));
  s.approve(plan);
  s.today = Date(2026, 12, 21);
  const std::string b = s.page();
  CHECK(pp_has(b, "<h3>From tomorrow (2026-12-22) through 2026-12-23</h3><p>No medicine from this "
                  "plan on these days (gap between medicines).</p>"));
  CHECK(pp_has(b, "<h3>From Thursday 2026-12-24 through 2026-12-28</h3><ul class=\"plain\"><li "
                  "class=\"dose\">" +
                      changed + dul30));
  CHECK(b.find("Nothing more to take") == std::string::npos);
}

TEST_CASE("patient days: the clinic's number is a tel: link only when it is a number") {
  const auto after_plan = [](const std::string &phone) {
    PatientServer s("Hope Pain Clinic", phone);
    return s.plan_page_on(Date(2026, 12, 23));
  };
  CHECK(pp_has(after_plan("+44 (20) 7946-0000"),
               "Telephone: <a href=\"tel:+442079460000\">+44 (20) 7946-0000</a>"));
  // An extension in words, or too few digits: the number as typed, no link to dial wrongly.
  for (const std::string phone : {"020 7946 0000 ext 12", "12", "020 + 7946"}) {
    INFO(phone);
    const std::string b = after_plan(phone);
    CHECK(pp_has(b, "Telephone: " + phone + "</strong>"));
    CHECK(b.find("tel:") == std::string::npos);
  }
  // Only one of the two configured: only what is known, each word once.
  const auto only = [](const std::string &name, const std::string &phone) {
    PatientServer s(name, phone);
    s.approve(pp_plan());
    s.today = Date(2026, 12, 23);
    return s.page();
  };
  const std::string named = only("Hope Pain Clinic", "");
  CHECK(pp_has(named, "<strong>Call your clinic: Hope Pain Clinic</strong>"));
  CHECK(named.find("Telephone") == std::string::npos);
  const std::string numbered = only("", "020 7946 0000");
  CHECK(pp_has(numbered,
               "<strong>Call your clinic on <a href=\"tel:02079460000\">020 7946 0000</a>"));
  CHECK(numbered.find("Telephone") == std::string::npos);
}

TEST_CASE("patient days: a trial whose days are over says not to stop suddenly and whom to call") {
  PatientServer s("", "");
  const std::string b = s.plan_page_on(Date(2026, 12, 23));
  CHECK(pp_has(b, "Your plan&#39;s last day was 2026-12-21."));
  CHECK(pp_has(b, "Do not stop taking DULoxetine suddenly: reduce it only as this plan shows or as "
                  "your clinic tells you."));
  CHECK(pp_has(b, "Ask your clinic today what to take next."));
  CHECK(pp_has(b, "<strong>Call your clinic.</strong>")); // no clinic configured: no blank line
  CHECK(b.find("______") == std::string::npos);
  CHECK(pp_has(b, "<h3>What to do now</h3>"));
  std::size_t said = 0;
  for (auto at = b.find("Do not stop taking"); at != std::string::npos;
       at = b.find("Do not stop taking", at + 1))
    ++said;
  CHECK(said == 1); // said once, in "What to do now"
  // The empty days above it say at once that they are no sign to stop.
  CHECK(pp_has(b, "<h3>Today (2026-12-23) through 2026-12-30</h3><p>This plan lists no doses for "
                  "these days yet. That does not mean stop taking DULoxetine: see &ldquo;What to "
                  "do now&rdquo; below.</p>"));
  // Before that day, the days with nothing planned say it where they are listed.
  s.today = Date(2026, 12, 20);
  const std::string before = s.page();
  CHECK(pp_has(before, "<h3>From Tuesday 2026-12-22 through 2026-12-27</h3><p>This plan lists no "
                       "doses for these days yet.</p><p>Do not stop taking DULoxetine "
                       "suddenly"));
  CHECK(before.find("id=\"after-plan\"") == std::string::npos);
}

TEST_CASE("patient days: on maintenance, keep taking until the clinic review") {
  PatientServer s;
  Plan plan = pp_plan();
  Stage &trial = plan.stages.at(0);
  trial.review_date = Date(2027, 2, 16);
  trial.steps.back().range = DateRange(trial.steps.back().range.begin(), Date(2027, 2, 16));
  s.approve(plan);
  s.today = Date(2026, 12, 30);
  std::string b = s.page();
  CHECK(
      pp_has(b, "<h3>From today (2026-12-30)</h3><ul class=\"plain\"><li class=\"dose\"><strong>" +
                    dul60));
  CHECK(pp_has(b, "Keep taking these doses every day until your clinic review on 2027-02-16."));
  CHECK(b.find("id=\"after-plan\"") == std::string::npos);
  CHECK(b.find("Nothing more to take") == std::string::npos);
  s.today = Date(2027, 3, 1); // after the review: still the dose, and call the clinic
  b = s.page();
  CHECK(pp_has(b, dul60));
  CHECK(pp_has(b, "Your clinic review was due on <strong>2027-02-16</strong>: keep taking your "
                  "doses and contact your clinic. Call your clinic: Hope Pain Clinic<br>"));
  CHECK(b.find("Nothing more to take") == std::string::npos);
}

TEST_CASE("patient times read 09:45 today, yesterday at 09:45, then the date") {
  PatientServer s;
  CHECK(s.post("/scores", {{"score", "6"}})->status == 303);
  CHECK(pp_has(s.page(), "<td>09:45 today</td><td>6</td>"));
  s.today = Date(2026, 12, 2);
  CHECK(pp_has(s.page(), "<td>yesterday at 09:45</td><td>6</td>"));
  s.today = Date(2026, 12, 3);
  CHECK(pp_has(s.page(), "<td>2026-12-01 at 09:45</td><td>6</td>"));
  CHECK(words::when(LocalDateTime{Date(2026, 12, 2), 21 * 60 + 10}, Date(2026, 12, 3)) ==
        "yesterday at 21:10");
}

TEST_CASE("doses taken at one time are one line") {
  Plan plan = pp_plan();
  Stage second = plan.stages.at(0); // the same morning dose twice: a synthetic overlap
  plan.stages.push_back(second);
  const auto lines = words::time_lines(plan, web_fixture::formulary(), Date(2026, 12, 1));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].text == "In the morning: DULoxetine 30 mg, take 1 capsule of 30 mg; DULoxetine "
                         "30 mg, take 1 capsule of 30 mg");
}

TEST_CASE("the patient downloads their calendar through their link") {
  PatientServer s;
  auto none = s.client().Get((s.base + "/calendar.ics").c_str());
  REQUIRE(none);
  CHECK(none->status == 404); // no approved plan yet
  s.approve(pp_plan());
  auto r = s.client().Get((s.base + "/calendar.ics").c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/calendar; charset=utf-8");
  CHECK(r->get_header_value("Content-Disposition") ==
        "attachment; filename=\"titrate-doses-v1.ics\"");
  CHECK(pp_has(r->body, "BEGIN:VCALENDAR"));
  CHECK(pp_has(r->body, "DULoxetine 30 mg"));
  CHECK(pp_has(s.page(), "href=\"" + s.base + "/calendar.ics\""));
  auto zoned = s.client().Get((s.base + "/calendar.ics?tz=Europe/London").c_str());
  REQUIRE(zoned);
  CHECK(zoned->status == 200);
  CHECK(pp_has(zoned->body, "TZID=Europe/London"));
  auto nowhere = s.client().Get((s.base + "/calendar.ics?tz=Mars/Olympus").c_str());
  REQUIRE(nowhere);
  CHECK(nowhere->status == 400);
  CHECK(pp_has(nowhere->body, "Back to your page"));
  auto wrong = s.client().Get("/p/0123456789abcdef0123456789abcdef/calendar.ics");
  REQUIRE(wrong);
  CHECK(wrong->status == 404);
}

TEST_CASE("a patient's bad input is a friendly 400 with a way back, and nothing is written") {
  PatientServer s;
  auto r = s.post("/scores", {{"score", "11"}});
  CHECK(r->status == 400);
  CHECK(pp_has(r->body, "Nothing was saved"));
  CHECK(pp_has(r->body, "score: &quot;11&quot;"));
  CHECK(pp_has(r->body, "<a href=\"" + s.base + "\">Back to your page</a>"));
  CHECK(r->body.find("--") == std::string::npos);
  // Severity has no default: the page offers none chosen, and a post without one is refused.
  CHECK(pp_has(s.page(), "<option value=\"\" selected disabled>Choose one</option>"));
  r = s.post("/adverse-effects", {{"description", "dizzy"}});
  CHECK(r->status == 400);
  CHECK(pp_has(r->body, "severity: missing"));
  CHECK(s.repo->scores("P1").empty());
  CHECK(s.repo->adverse_effects("P1", true).empty());
}

TEST_CASE("one length limit in characters: 300 Cyrillic characters are taken, 501 are not") {
  PatientServer s;
  const std::string page = s.page();
  CHECK(pp_has(page, "name=\"note\" maxlength=\"500\""));
  CHECK(pp_has(page, "name=\"description\" maxlength=\"500\""));
  CHECK(max_free_text_chars == 500);
  const std::string cyr300 = pp_repeat("\xd0\xb6", 300); // "ж": 2 bytes each, 600 bytes
  CHECK(s.post("/adverse-effects", {{"description", cyr300}, {"severity", "mild"}})->status == 303);
  CHECK(s.post("/scores", {{"score", "5"}, {"note", cyr300}})->status == 303);
  const std::string cyr500 = pp_repeat("\xd0\xb6", 500);
  CHECK(s.post("/scores", {{"score", "5"}, {"note", cyr500}})->status == 303);
  auto r = s.post("/adverse-effects", {{"description", cyr500 + "\xd0\xb6"}, {"severity", "mild"}});
  CHECK(r->status == 400);
  CHECK(
      pp_has(r->body, "description: 501 characters is too long; expected at most 500 characters"));
  CHECK(s.post("/scores", {{"score", "5"}, {"note", cyr500 + "x"}})->status == 400);
  REQUIRE(s.repo->adverse_effects("P1").size() == 1);
  CHECK(s.repo->adverse_effects("P1")[0].description == cyr300);
  CHECK(s.repo->scores("P1").size() == 2);
}

TEST_CASE("a double tap posts the same form twice and is stored once") {
  PatientServer s;
  const std::string code = pp_form_code(s.page(), s.base + "/scores");
  auto first = s.post("/scores", {{"score", "4"}, {"form", code}});
  CHECK(first->status == 303);
  CHECK(first->get_header_value("Location") ==
        s.base + "?saved=score&entry=" + std::to_string(s.repo->scores("P1").at(0).id));
  auto second = s.post("/scores", {{"score", "4"}, {"form", code}});
  CHECK(second->status == 303);
  CHECK(second->get_header_value("Location") == s.base + "?saved=again&form=" + code);
  CHECK(s.repo->scores("P1").size() == 1);
  auto again = s.client().Get(second->get_header_value("Location").c_str());
  CHECK(pp_has(again->body, "This form was already saved, so it was not saved a second time."));
  // A refused post does not use the code up: after fixing it, the same form saves.
  const std::string ae = pp_form_code(s.page(), s.base + "/adverse-effects");
  CHECK(s.post("/adverse-effects", {{"description", "rash"}, {"form", ae}})->status == 400);
  CHECK(s.post("/adverse-effects", {{"description", "rash"}, {"severity", "mild"}, {"form", ae}})
            ->status == 303);
  CHECK(s.post("/adverse-effects", {{"description", "rash"}, {"severity", "mild"}, {"form", ae}})
            ->get_header_value("Location") == s.base + "?saved=again&form=" + ae);
  CHECK(s.repo->adverse_effects("P1").size() == 1);
  // Each rendering gives new codes.
  CHECK(pp_form_code(s.page(), s.base + "/scores") != pp_form_code(s.page(), s.base + "/scores"));
}

TEST_CASE(
    "the last score and side effect are corrected, the last side effect withdrawn, history kept") {
  PatientServer s;
  const auto [older, last] =
      s.post_two_scores({{"score", "3"}}, {{"score", "8"}, {"note", "typo"}});
  CHECK(pp_has(s.page(), "Correct your last pain score (8, 09:45 today)"));
  // Only the last one: an older entry is refused, nothing written.
  auto r = s.post("/scores/correct", {{"score", "2"}, {"entry", std::to_string(older)}});
  CHECK(r->status == 400);
  CHECK(pp_has(r->body, "is not your last pain score"));
  CHECK(s.repo->scores("P1", true).size() == 2);
  r = s.post("/scores/correct", {{"score", "2"}, {"entry", std::to_string(last)}});
  CHECK(r->status == 303);
  const auto effective = s.repo->scores("P1");
  REQUIRE(effective.size() == 2);
  CHECK(r->get_header_value("Location") ==
        s.base + "?saved=corrected&entry=" + std::to_string(effective[1].id));
  CHECK(effective[1].score.value() == 2);
  CHECK(effective[1].supersedes == std::optional<std::int64_t>(last));
  CHECK(s.repo->scores("P1", true).size() == 3); // the corrected 8 is kept
  // A correction the next day keeps the moment the pain was felt.
  s.today = Date(2026, 12, 2);
  const std::int64_t corrected = effective[1].id;
  CHECK(s.post("/scores/correct", {{"score", "3"}, {"entry", std::to_string(corrected)}})->status ==
        303);
  CHECK(iso(s.repo->scores("P1").back().at) == "2026-12-01T09:45");
  CHECK(s.repo->scores("P1").back().score.value() == 3);
  s.today = Date(2026, 12, 1);

  CHECK(s.post("/adverse-effects", {{"description", "rash"}, {"severity", "severe"}})->status ==
        303);
  // Corrected first (a new report that replaces it, the same time), then withdrawn.
  const auto logged = s.repo->adverse_effects("P1");
  REQUIRE(logged.size() == 1);
  CHECK(pp_has(s.page(), "Correct your last side effect report (rash, 09:45 today)"));
  r = s.post("/adverse-effects/correct",
             {{"entry", std::to_string(logged[0].id)}, {"description", "rash on both arms"}});
  CHECK(r->status == 400); // severity: no default here either
  r = s.post("/adverse-effects/correct", {{"entry", std::to_string(logged[0].id)},
                                          {"description", "rash on both arms"},
                                          {"severity", "moderate"}});
  CHECK(r->status == 303);
  const auto effects = s.repo->adverse_effects("P1");
  REQUIRE(effects.size() == 1);
  CHECK(effects[0].description == "rash on both arms");
  CHECK(effects[0].severity == AeSeverity::moderate);
  CHECK(effects[0].supersedes == std::optional<std::int64_t>(logged[0].id));
  CHECK(s.repo->adverse_effects("P1", true).size() == 2);
  CHECK(pp_has(s.page(), "Withdraw your last side effect report (rash on both arms, 09:45 today)"));
  r = s.post("/adverse-effects/withdraw", {{"entry", std::to_string(effects[0].id)}});
  CHECK(r->status == 400); // a reason is required
  CHECK(pp_has(r->body, "reason: missing"));
  r = s.post("/adverse-effects/withdraw",
             {{"entry", std::to_string(effects[0].id)}, {"reason", "I reported it by mistake"}});
  CHECK(r->status == 303);
  CHECK(s.repo->adverse_effects("P1").empty()); // no longer counted
  const auto kept = s.repo->adverse_effects("P1", true);
  REQUIRE(kept.size() == 3); // the report, its correction and the withdrawal
  CHECK(kept[0].description == "rash");
  CHECK(kept[1].description == "rash on both arms");
  CHECK(kept[2].retracted);
  CHECK(kept[2].description == "I reported it by mistake");
  bool audited = false;
  for (const auto &e : s.repo->audit(std::nullopt))
    audited =
        audited || e.detail.find("retracts #" + std::to_string(effects[0].id)) != std::string::npos;
  CHECK(audited);
  CHECK(pp_has(s.repo->audit(std::nullopt).back().user, "P1"));
}

TEST_CASE("the patient's API scores follow the CLI's date rules") {
  PatientServer s;
  const httplib::Headers bearer{{"Authorization", "Bearer " + s.token}};
  auto c = s.client();
  auto future = c.Post("/api/patients/P1/scores", bearer, R"({"at": "2026-12-02", "score": 5})",
                       "application/json");
  REQUIRE(future);
  CHECK(future->status == 400);
  auto unborn = c.Post("/api/patients/P1/scores", bearer, R"({"at": "1960-01-01", "score": 5})",
                       "application/json");
  REQUIRE(unborn);
  CHECK(unborn->status == 400);
  CHECK(s.repo->scores("P1").empty());
}

TEST_CASE("the last pain score is withdrawn with a reason: kept, marked, no longer counted") {
  PatientServer s;
  const auto [older, last] =
      s.post_two_scores({{"score", "4"}}, {{"score", "9"}, {"note", "meant for yesterday"}});
  CHECK(pp_has(s.page(), "Withdraw your last pain score (9, 09:45 today)"));
  auto r = s.post("/scores/withdraw", {{"entry", std::to_string(last)}});
  CHECK(r->status == 400); // a reason is required
  CHECK(pp_has(r->body, "reason: missing; say why you withdraw the score"));
  r = s.post("/scores/withdraw", {{"entry", std::to_string(older)}, {"reason", "wrong"}});
  CHECK(r->status == 400); // only the last one
  CHECK(s.repo->scores("P1", true).size() == 2);
  r = s.post("/scores/withdraw", {{"entry", std::to_string(last)}, {"reason", "saved twice"}});
  REQUIRE(r->status == 303);
  CHECK(pp_has(r->get_header_value("Location"), "?saved=score-withdrawn&entry="));
  const auto effective = s.repo->scores("P1");
  REQUIRE(effective.size() == 1);
  CHECK(effective[0].score.value() == 4);
  const auto kept = s.repo->scores("P1", true);
  REQUIRE(kept.size() == 3); // both scores and the withdrawal
  CHECK(kept.back().retracted);
  CHECK(kept.back().supersedes == std::optional<std::int64_t>(last));
  CHECK(kept.back().note == "saved twice");
  CHECK(iso(kept.back().at) == "2026-12-01T09:45"); // the withdrawn score's own time
  auto flashed = s.client().Get(
      (s.base + "?saved=score-withdrawn&entry=" + std::to_string(kept.back().id)).c_str());
  REQUIRE(flashed);
  const std::string shown = flashed->body;
  CHECK(pp_has(shown, "Your pain score is withdrawn."));
  CHECK(!pp_has(shown, "meant for yesterday")); // not in the scores table any more
  CHECK(pp_has(shown, "Withdraw your last pain score (4, 09:45 today)"));
  bool audited = false;
  for (const auto &e : s.repo->audit(std::nullopt))
    audited = audited || (e.action == "score.retract" &&
                          pp_has(e.detail, "withdraws #" + std::to_string(last) + " (score 9"));
  CHECK(audited);
}

// Course G2 #16 on the patient's page (clinical.md H14, Neurontin US PI §2.3 Table 1): CrCl 10
// (the < 15 band), haemodialysis on Monday, Wednesday and Friday. The cipn-esmo plan from Tuesday
// 2026-12-01 is gabapentin 100 mg once daily in its first week (as `titrate schedule --on`
// shows in tests/cli/store_dialysis_test.cpp), so each dialysis day of that week carries the
// 125 mg supplement after the session, and the other days do not.
TEST_CASE("patient days: on haemodialysis days the supplement after the session is listed, and "
          "only then") {
  Patient p = web_fixture::adult("P1");
  p.birth_date = Date(1966, 5, 10);
  p.serum_creatinine_mg_dl.reset();
  p.crcl_ml_min = 10;
  p.dialysis = Dialysis{"haemodialysis", {Weekday::monday, Weekday::wednesday, Weekday::friday}};
  p.conditions.push_back("haemodialysis");
  PatientServer s("Hope Pain Clinic", "020 7946 0000", p);
  PlanRequest req;
  req.start = Date(2026, 12, 1);
  req.today = Date(2026, 12, 1);
  s.approve(build_plan(p, web_fixture::formulary(), web_fixture::cipn(), req));
  const std::string b = s.page();
  const std::string doses = b.substr(b.find("id=\"doses\""));
  INFO(doses.substr(0, 3000));
  // The block of one day: from its heading (the date's first mention) to the next heading.
  const auto block = [&](const std::string &date) {
    const auto at = doses.find(date);
    REQUIRE(at != std::string::npos);
    const auto start = doses.rfind("<h3>", at);
    return doses.substr(start, doses.find("<h3>", at) - start);
  };
  // For the patient without the label's citation (the clinic's `schedule --on` carries it).
  const std::string supplement =
      "<strong>After the haemodialysis session:</strong> gabapentin 125 mg (supplement with 100 mg "
      "once daily); 125 mg cannot be made from the stocked capsules and tablets: the pharmacist "
      "supplies it</li>";
  CHECK(doses.find("clinical.md") == std::string::npos);
  CHECK(doses.find("Table 1") == std::string::npos);
  CHECK(pp_has(block("2026-12-02"), supplement));                        // Wednesday
  CHECK(pp_has(block("2026-12-04"), supplement));                        // Friday
  CHECK(block("2026-12-03").find("haemodialysis") == std::string::npos); // Thursday
  CHECK(doses.substr(0, doses.find("2026-12-02")).find("haemodialysis") == std::string::npos);
  // The supplement follows the weekdays: it is never marked as a change of the plan, and its
  // absence on the next day is not "nothing to take".
  CHECK(doses.find("Changed:</strong> <strong>After the haemodialysis") == std::string::npos);
  CHECK(block("2026-12-03").find("nothing to take") == std::string::npos);
}

} // namespace titrate::test::patient_page
