// The patient's pages: their personal link opens today's doses, their scores and side effects,
// and the forms to log them. The link token is the only credential.
#include "planner/web/server_impl.hpp"

namespace titrate::web {

// ---------------------------------------------------------------- patient pages

void WebServer::Impl::patient_page(Call &c, const std::string &token, const std::string &flash) {
  const PatientRecord rec = require_link(c, token);
  const Patient &p = rec.patient;
  const Date today = cfg.today();
  const auto active = repo.active_plan(p.id);
  const auto scores = repo.scores(p.id);
  const auto effects = repo.adverse_effects(p.id);
  const std::string base = "/p/" + token;

  std::string b = "<h1>Your pain diary and doses</h1>";
  if (flash == "score")
    b += "<section class=\"ok\" role=\"status\">Your pain score is saved. Thank you.</section>";
  // Who sees a side effect, truthfully (nobody is alerted at once), from the entry stored last.
  if (flash == "effect" && !effects.empty()) {
    const AdverseEffect &last = effects.back();
    b += "<section class=\"ok\" role=\"status\">Your side effect (" +
         esc(to_string(last.severity)) + ") is saved. ";
    if (last.severity == AeSeverity::severe || last.severity == AeSeverity::intolerable) {
      b += "It is listed at the top of your clinic's titrate front page for 14 days, so the clinic "
           "team sees it the next time they open titrate; nobody is alerted at once.";
    } else {
      b += "Your clinic team sees it on your record the next time they open it; nobody is alerted "
           "at once.";
    }
    if (last.severity == AeSeverity::intolerable) {
      b += " <strong>Because it is intolerable, please call your clinic today</strong>, or "
           "emergency services if you feel very unwell.";
    }
    b += "</section>";
  }

  b += "<section><h2>Today's doses (" + esc(iso(today)) + ")</h2>";
  if (active) {
    b += doses_on(active->plan, formulary, today);
    // Before the first day the patient reads when to begin, not only "nothing to take".
    const Date first = active->plan.start;
    if (first == today + Days(1)) {
      b += "<p id=\"starts\"><strong>Your plan starts tomorrow (" + esc(iso(first)) +
           ")</strong>: take nothing from it today.</p>";
    } else if (first > today) {
      b += "<p id=\"starts\"><strong>Your plan starts on " + esc(iso(first)) +
           "</strong>: take nothing from it before then.</p>";
    }
    const auto next = next_assessment(active->plan, today);
    const Stage *trial = active->plan.current_trial();
    if (!next && trial != nullptr && trial->maintenance() && *trial->review_date < today) {
      // Maintenance goes on past its review date: the patient keeps taking the dose.
      b += "<p>Your clinic review was due on <strong>" + esc(iso(*trial->review_date)) +
           "</strong>: keep taking your doses and contact your clinic.</p>";
    } else {
      b += "<p>Next assessment: <strong>" + (next ? esc(iso(*next)) : std::string("none planned")) +
           "</strong></p>";
    }
  } else {
    b += "<p>Your plan has not been approved by a pharmacist yet. Take your medicines as your "
         "clinic told you.</p>";
  }
  b += "</section>";

  b += "<section><h2>How bad is your pain right now?</h2>"
       "<form method=\"post\" action=\"" +
       esc(base + "/scores") +
       "\">"
       "<fieldset><legend>0 means no pain, 10 the worst "
       "pain you can imagine.</legend><div class=\"picker\">";
  for (int i = 0; i <= 10; ++i) {
    const std::string v = std::to_string(i);
    b += "<label><input type=\"radio\" name=\"score\" value=\"" + v + "\" required" + "><span>" +
         v + "</span></label>";
  }
  b += "</div><div class=\"scale\"><span>0 no pain</span><span>10 worst pain</span></div>"
       "</fieldset><label for=\"note\">Note (optional)</label>"
       "<textarea id=\"note\" name=\"note\" rows=\"2\" maxlength=\"1000\"></textarea>"
       "<p><button type=\"submit\">Save my pain score</button></p></form></section>";

  b += "<section><h2>Report a side effect</h2><form method=\"post\" action=\"" +
       esc(base + "/adverse-effects") +
       "\">"
       "<label for=\"description\">What happened?</label>"
       "<input type=\"text\" id=\"description\" name=\"description\" maxlength=\"500\" required>"
       "<label for=\"severity\">How bad is it?</label><select id=\"severity\" name=\"severity\" "
       "required><option value=\"\" selected disabled>Choose one</option>"
       "<option value=\"mild\">Mild: I notice it</option>"
       "<option value=\"moderate\">Moderate: it gets in the way</option>"
       "<option value=\"severe\">Severe: I cannot do my usual things</option>"
       "<option value=\"intolerable\">Intolerable: I cannot go on like this</option></select>"
       "<p><button type=\"submit\">Report side effect</button></p>"
       "<p class=\"muted\">If you feel very unwell, call your clinic or emergency services now.</p>"
       "</form></section>";

  b += "<section><h2>Your pain chart</h2>";
  if (active)
    b += chart_for(*active, p, scores);
  b += "<h3>Side effects you reported</h3>";
  if (effects.empty()) {
    b += "<p>None.</p>";
  } else {
    b += "<ul>";
    for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
      b += "<li>" + esc(when_text(it->at)) + ": " + esc(it->description) + " (" +
           esc(to_string(it->severity)) + ")</li>";
    }
    b += "</ul>";
  }
  b += "<h3>Your last scores</h3>";
  if (scores.empty()) {
    b += "<p>No scores yet.</p>";
  } else {
    b += "<table><thead><tr><th>When</th><th>Score</th><th>Note</th></tr></thead><tbody>";
    const std::size_t from = scores.size() > 14 ? scores.size() - 14 : 0;
    for (std::size_t i = scores.size(); i-- > from;) {
      const auto &s = scores[i];
      b += "<tr><td>" + esc(when_text(s.at)) + "</td><td>" + std::to_string(s.score.value()) +
           "</td><td>" + esc(s.note) + "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "</section>";
  send_html(c.res, 200, page("Your pain diary", b));
  c.res.set_header("Referrer-Policy", "no-referrer");
}

void WebServer::Impl::patient_routes() {
  // Patient pages: the token is the only credential; a POST to it needs no CSRF token, since a
  // forged form would have to know the secret URL.
  svr.Get(R"(/p/([^/]+))", guarded(false, [this](Call &c) {
            const std::string flash =
                c.req.has_param("saved") ? c.req.get_param_value("saved") : "";
            patient_page(c, c.req.matches[1], flash);
          }));
  svr.Post(R"(/p/([^/]+)/scores)", guarded(false, [this](Call &c) {
             const std::string token = c.req.matches[1];
             const PatientRecord rec = require_link(c, token);
             const ScoreEntry s = score_from_form(c.req.params, now_local(), cfg.today());
             app::record_score(repo, rec.patient.id, s, c.actor, cfg.today());
             redirect(c.res, "/p/" + token + "?saved=score");
           }));
  svr.Post(R"(/p/([^/]+)/adverse-effects)", guarded(false, [this](Call &c) {
             const std::string token = c.req.matches[1];
             const PatientRecord rec = require_link(c, token);
             const AdverseEffect ae =
                 adverse_effect_from_form(c.req.params, now_local(), cfg.today());
             app::record_adverse_effect(repo, rec.patient.id, ae, c.actor, cfg.today());
             redirect(c.res, "/p/" + token + "?saved=effect");
           }));
}

} // namespace titrate::web
