// The clinician's pages: the clinic home (due list, awaiting review), a patient's summary, and
// drafting a plan version.
#include "planner/web/server_impl.hpp"

namespace titrate::web {

// ---------------------------------------------------------------- clinic

void WebServer::Impl::clinic_home(Call &c) {
  const StaffUser u = require_staff(c, app::Permission::use_clinic_pages);
  const Date today = cfg.today();
  int within = 7;
  if (c.req.has_param("within")) {
    const std::string w = c.req.get_param_value("within");
    const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), within);
    if (ec != std::errc() || ptr != w.data() + w.size() || within < 0 || within > 366) {
      throw InputError("within: \"" + printable(w, 16) + "\" is not a number of days 0-366");
    }
  }
  const auto due = due_list(repo, today, within, pathways);
  // What needs attention first: severe or intolerable side effects of the last 14 days.
  const Date since = today - Days(13);
  std::string serious;
  for (const auto &r : repo.patients()) {
    const auto effects = repo.adverse_effects(r.patient.id);
    for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
      if (it->at.date < since || it->at.date > today)
        continue;
      if (it->severity != AeSeverity::severe && it->severity != AeSeverity::intolerable)
        continue;
      std::string drugs;
      for (const auto &d : it->drugs)
        drugs += (drugs.empty() ? "" : ", ") + words::drug(formulary, d);
      serious += "<tr><td><a href=\"" + esc("/clinic/patients/" + r.patient.id) + "\">" +
                 esc(r.patient.id) + "</a></td><td>" + esc(when_text(it->at)) +
                 "</td><td><strong>" + esc(to_string(it->severity)) + "</strong></td><td>" +
                 esc(it->description) + "</td><td>" +
                 esc(drugs.empty() ? std::string("not attributed") : drugs) + "</td></tr>";
    }
  }
  // Overdue assessments (whatever `within` shows), windows that have
  // started with too few days scored, and plans a pharmacist rejected that nobody has redrafted.
  const auto window_start = [](const DueEntry &e) { return e.decision_date - Days(e.window_days); };
  std::string overdue, short_windows, rejected;
  // Every started window ends within the longest window from today, whatever `within` shows.
  int longest_window = 0;
  for (const auto &pw : pathways)
    longest_window = std::max(longest_window, pw.decisions.window_days.value);
  const auto attention_due = due_list(repo, today, longest_window, pathways);
  for (const auto &e : attention_due) {
    if (e.days_until < 0) {
      overdue += "<li><a href=\"" + esc("/clinic/patients/" + e.patient) + "\">" + esc(e.patient) +
                 "</a>: " + esc(words::drug(formulary, e.drug)) + ", " +
                 (e.review ? "maintenance review " : "decision date ") + esc(iso(e.decision_date)) +
                 ", " + std::to_string(-e.days_until) + (e.days_until == -1 ? " day" : " days") +
                 " overdue</li>";
    }
  }
  for (const auto &e : attention_due) {
    if (e.missing_scores && window_start(e) <= today) {
      short_windows += "<li><a href=\"" + esc("/clinic/patients/" + e.patient) + "\">" +
                       esc(e.patient) + "</a>: " + std::to_string(e.window_days_with_scores) +
                       " of " + std::to_string(e.window_days) + " days scored since " +
                       esc(iso(window_start(e))) + " (at least " +
                       std::to_string(e.min_days_with_scores) + " needed by " +
                       esc(iso(e.decision_date)) + ")</li>";
    }
  }
  for (const auto &r : repo.patients()) {
    const auto versions = repo.plan_versions(r.patient.id);
    if (versions.empty())
      continue;
    for (const auto &rv : repo.reviews(r.patient.id)) {
      if (rv.verdict == Verdict::rejected && rv.version == versions.back().version) {
        rejected += "<li><a href=\"" + esc("/clinic/patients/" + r.patient.id) + "\">" +
                    esc(r.patient.id) + "</a>: plan version " + std::to_string(rv.version) +
                    " rejected by " + esc(rv.pharmacist) + " on " + esc(stamp_text(rv.at)) + ": " +
                    esc(rv.note) + "</li>";
      }
    }
  }
  std::string b = "<h1>Clinic</h1><p><a href=\"/clinic/new-patient\">Add a patient</a> · <a "
                  "href=\"/clinic/audit\">Audit</a></p>"
                  "<section id=\"serious\"><h2>Severe or intolerable side effects since " +
                  esc(iso(since)) + "</h2>";
  if (serious.empty()) {
    b += "<p>None reported.</p>";
  } else {
    b += "<table><thead><tr><th>Patient</th><th>When</th><th>Severity</th><th>What</th>"
         "<th>Drugs</th></tr></thead><tbody>" +
         serious + "</tbody></table>";
  }
  b += "</section>";
  // One section, with only the kinds that have something in them.
  b += "<section id=\"attention\"><h2>Needs attention</h2>";
  if (overdue.empty() && short_windows.empty() && rejected.empty()) {
    b += "<p>No overdue assessment, no started window short of scores, no rejected plan.</p>";
  }
  if (!overdue.empty())
    b += "<h3 style=\"font-size:1rem\">Overdue assessments</h3><ul>" + overdue + "</ul>";
  if (!short_windows.empty())
    b += "<h3 style=\"font-size:1rem\">Windows short of scores</h3><ul>" + short_windows + "</ul>";
  if (!rejected.empty())
    b += "<h3 style=\"font-size:1rem\">Plans the pharmacist rejected</h3><ul>" + rejected + "</ul>";
  b += "</section>";
  b += "<section><h2>Due by " + esc(iso(today + Days(within))) +
       "</h2><form method=\"get\" action=\"/clinic/\" class=\"inline\">"
       "<label for=\"within\">Days ahead</label><input type=\"text\" inputmode=\"numeric\" "
       "id=\"within\" name=\"within\" value=\"" +
       std::to_string(within) +
       "\" style=\"max-width:6rem\"> <button type=\"submit\">Show</button></form>";
  if (due.empty()) {
    b += "<p>No decision or review dates on or before " + esc(iso(today + Days(within))) + ".</p>";
  } else {
    b += due_table(due, formulary, today, "/clinic/patients/");
  }
  b += "</section><section><h2>Patients</h2><ul>";
  for (const auto &r : repo.patients()) {
    b += "<li><a href=\"" + esc("/clinic/patients/" + r.patient.id) + "\">" + esc(r.patient.id) +
         "</a></li>";
  }
  b += "</ul></section>";
  send_html(c.res, 200, page("Clinic", b, u.name, u.csrf, u.role));
}

void WebServer::Impl::clinic_patient(Call &c, const std::string &id, const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_clinic_pages);
  c.patient = id;
  validate_patient_id(id);
  const auto rec = repo.patient(id);
  if (!rec)
    throw NotFoundError("patient " + id + ": not found");
  const Patient &p = rec->patient;
  const Date today = cfg.today();

  // Over an active plan the clinician reads what the patient is on before and after drafting.
  const auto replaces_active_words = [this](const PlanVersion &a, Date on) {
    std::string taking;
    for (const auto &l : words::day(a.plan, formulary, on)) {
      if (l.depth != 0)
        continue;
      std::string t = l.text;
      if (!t.empty() && t.back() == ':')
        t.pop_back();
      taking += (taking.empty() ? "" : " and ") + t;
    }
    return "A new plan version replaces the active plan version " + std::to_string(a.version) +
           " once a pharmacist approves it; on " + iso(on) + " the patient is on " +
           (taking.empty() ? std::string("nothing from that plan") : taking) + ".";
  };
  std::string b = "<h1>Patient " + esc(id) + "</h1>" + clinic_tools_html(id, u, true);
  const auto active = repo.active_plan(id);
  // What the store says about the version the query names (never the query's own words): a
  // version of another patient or none at all gives no banner.
  if (!flash.empty()) {
    int asked = 0;
    const auto [ptr, ec] = std::from_chars(flash.data(), flash.data() + flash.size(), asked);
    const auto shown = ec == std::errc() && ptr == flash.data() + flash.size()
                           ? repo.plan_version(id, asked)
                           : std::nullopt;
    if (shown && shown->status == PlanStatus::submitted) {
      b += "<section class=\"ok\" role=\"status\">Plan version " + std::to_string(shown->version) +
           " is submitted for pharmacist review.</section>";
    } else if (shown && shown->status == PlanStatus::draft) {
      b += "<section class=\"ok\" role=\"status\">Drafted plan version " +
           std::to_string(shown->version) +
           "; read it below, then submit it for pharmacist review."
           "</section>";
    }
  }
  // The latest draft, in the one wording, with its own submit button: nobody submits a plan they
  // have not seen.
  std::optional<PlanVersion> draft;
  for (auto &v : repo.plan_versions(id))
    if (v.status == PlanStatus::draft)
      draft = std::move(v);
  if (draft) {
    b += "<section id=\"draft-plan\"><h2>Draft plan version " + std::to_string(draft->version) +
         " (not submitted)</h2>";
    if (active) {
      // The running plan beside the draft, so the two can be compared before submitting.
      b += "<p class=\"warn\">" + esc(replaces_active_words(*active, today)) +
           "</p><details id=\"running-plan\"><summary>The running plan (version " +
           std::to_string(active->version) + ", approved)</summary>" +
           plan_html(active->plan, formulary) + "</details><h3>The draft</h3>";
    }
    b += plan_html(draft->plan, formulary) + "<form method=\"post\" action=\"" +
         esc("/clinic/patients/" + id + "/versions/" + std::to_string(draft->version) + "/submit") +
         "\">" + csrf_field(u.csrf) +
         "<p><button type=\"submit\" id=\"submit-draft\">Submit version " +
         std::to_string(draft->version) + " for pharmacist review</button></p></form></section>";
  }
  b += "<section><h2>Profile (version " + std::to_string(rec->version) + ")</h2><table><tbody>";
  const auto row = [&](const std::string &k, const std::string &v) {
    b += "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
  };
  const auto join = [](const std::vector<std::string> &xs) {
    std::string s;
    for (const auto &x : xs)
      s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("none") : s;
  };
  row("Birth date",
      iso(p.birth_date) + " (age " + std::to_string(age_in_years(p.birth_date, today)) + ")");
  row("Sex", std::string(to_string(p.sex)));
  row("Weight", measure(p.weight_kg) + " kg");
  if (p.crcl_ml_min)
    row("Creatinine clearance (entered)", measure(*p.crcl_ml_min) + " mL/min");
  if (p.serum_creatinine_mg_dl)
    row("Serum creatinine", measure(*p.serum_creatinine_mg_dl) + " mg/dL");
  row("Hepatic impairment", std::string(to_string(p.hepatic)));
  row("Indication", words::indication(formulary, p.indication));
  row("Conditions", join(p.conditions));
  row("Medications", join(p.medications));
  if (p.baseline_pain)
    row("Baseline pain", std::to_string(p.baseline_pain->value()) + " of 10");
  b += "</tbody></table></section>";

  b += "<section><h2>Eligibility on " + esc(iso(today)) + "</h2>";
  try {
    const EligibilityReport r = check_eligibility(p, formulary, today);
    b += "<p>Creatinine clearance " + esc(words::number(r.crcl_ml_min, 1)) + " mL/min" +
         (r.crcl_given ? " (as entered)" : " (Cockcroft-Gault)") + ".</p>";
    if (r.pregnancy)
      b += "<p class=\"warn\">Pregnancy: every drug needs specialist review.</p>";
    // On a phone each drug is a block of labelled lines (class "stack"), its reasons full width.
    b += "<table class=\"stack\" id=\"eligibility\"><thead><tr><th>Drug</th><th>Verdict</th>"
         "<th>Maximum daily</th><th>Reasons</th></tr></thead><tbody>";
    for (const auto &d : r.drugs) {
      b += "<tr><td>" + esc(words::drug(formulary, d.drug)) + "</td><td data-label=\"Verdict\">" +
           esc(to_string(d.verdict)) +
           (d.available_from ? " (from " + esc(iso(*d.available_from)) + ")" : "") +
           "</td><td data-label=\"Maximum daily\">" + (d.max_daily ? esc(d.max_daily->str()) : "") +
           "</td><td data-label=\"Reasons\">" +
           (d.reasons.empty() ? "" : findings_list(d.reasons, &formulary)) + "</td></tr>";
    }
    b += "</tbody></table>";
    for (const auto &m : r.unchecked_medications)
      b += "<p class=\"warn\">" + esc(m) + "</p>";
  } catch (const Error &e) {
    b += "<p class=\"warn\">Eligibility cannot be checked: " + esc(e.what()) + "</p>";
  }
  b += "</section>";

  const auto scores = repo.scores(id);
  b += "<section><h2>Active schedule</h2>";
  if (active) {
    b += "<p>Plan version " + std::to_string(active->version) + ", approved.</p>" +
         plan_html(active->plan, formulary);
  } else {
    b += "<p>No approved plan.</p>";
  }
  b += "</section><section><h2>Plan versions</h2>";
  const auto versions = repo.plan_versions(id);
  if (versions.empty())
    b += "<p>None.</p>";
  else {
    b += "<table class=\"stack\"><thead><tr><th>Version</th><th>Status</th><th>Drafted "
         "by</th><th>Note</th></tr></thead><tbody>";
    for (const auto &v : versions) {
      b += "<tr><td data-label=\"Version\">" + std::to_string(v.version) +
           "</td><td data-label=\"Status\">" + esc(to_string(v.status)) +
           "</td><td data-label=\"Drafted by\">" + esc(v.drafted_by) + " " + esc(v.drafted_at) +
           "</td><td data-label=\"Note\">" + esc(v.note) + "</td></tr>";
    }
    b += "</tbody></table>";
    for (const auto &r : repo.reviews(id)) {
      if (r.verdict == Verdict::rejected) {
        b += "<p>Version " + std::to_string(r.version) + " rejected by " + esc(r.pharmacist) +
             ": " + esc(r.note) + "</p>";
      }
    }
  }
  b += "</section><section><h2>Side effects, pain chart and scores</h2>";
  if (active)
    b += chart_for(*active, p, scores);
  b += "<h3>Side effects</h3>" + adverse_effects_table(repo.adverse_effects(id), formulary) +
       "<h3 id=\"scores\">Scores</h3>";
  if (scores.empty())
    b += "<p>No scores.</p>";
  else {
    b += "<table><thead><tr><th>Number</th><th>When</th><th>Score</th><th>Note</th></tr></thead>"
         "<tbody>";
    for (auto it = scores.rbegin(); it != scores.rend(); ++it) {
      b += "<tr><td>" + std::to_string(it->id) + "</td><td>" + esc(when_text(it->at)) +
           "</td><td>" + std::to_string(it->score.value()) + "</td><td>" + esc(it->note) +
           (it->supersedes ? " (corrects " + std::to_string(*it->supersedes) + ")" : "") +
           "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "</section><section><h2>Decisions</h2>";
  const auto decisions = repo.decisions(id);
  if (decisions.empty())
    b += "<p>None recorded.</p>";
  for (const auto &d : decisions) {
    b += "<p>" + esc(iso(d.assessment.date)) + " " + esc(d.assessment.drug) + ": <strong>" +
         esc(to_string(d.assessment.decision)) + "</strong> [" + esc(d.assessment.rule) + "; " +
         esc(d.assessment.source) + "] by " + esc(d.recorded_by) + "</p>";
  }
  b += "</section>";

  b += clinic_tools_html(id, u, false);
  b += "<section><h2>Draft a plan</h2><form method=\"post\" action=\"" +
       esc("/clinic/patients/" + id + "/plans") + "\">" + csrf_field(u.csrf) +
       "<label for=\"start\">Start date</label><input type=\"date\" id=\"start\" name=\"start\" "
       "value=\"" +
       esc(iso(today)) +
       "\" required><label for=\"pathway\">Pathway</label>"
       "<select id=\"pathway\" name=\"pathway\">";
  for (const auto &pw : pathways) {
    b += "<option value=\"" + esc(pw.name) + "\">" + esc(pw.name) + ": " + esc(pw.title) +
         "</option>";
  }
  b += "</select><label for=\"prefer\">Preferred drug (optional)</label><select id=\"prefer\" "
       "name=\"prefer\"><option value=\"\">first eligible in pathway order</option>";
  for (const auto &m : formulary.drugs)
    b += "<option value=\"" + esc(m.name) + "\">" + esc(m.name) + "</option>";
  b += "</select><label for=\"reason\">Why this drug (needed with a preferred drug)</label>"
       "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"500\">";
  if (active)
    b += "<p class=\"warn\">" + esc(replaces_active_words(*active, today)) + "</p>";
  b += "<label><input type=\"checkbox\" name=\"submit\" value=\"1\"> Submit for "
       "pharmacist review</label><p><button type=\"submit\" id=\"draft\">Draft plan</button></p>"
       "</form></section>";
  send_html(c.res, 200, page("Patient " + id, b, u.name, u.csrf, u.role));
}

void WebServer::Impl::clinic_draft(Call &c, const std::string &id) {
  const StaffUser u = require_staff(c, app::Permission::draft_plan);
  c.patient = id;
  require_csrf(c, u, param(c.req, "csrf"));
  validate_patient_id(id);
  const PlanDraftForm form = plan_draft_from_form(c.req.params);
  const Pathway *pw = find_pathway(form.pathway);
  if (!pw)
    throw NotFoundError("pathway \"" + printable(form.pathway, 64) + "\": not found");
  // The CLI's rules (app::draft_plan_version): a start within a year of today (no backdating on
  // the web), and a preferred drug comes with the prescriber's reason, kept in the plan and the
  // audit.
  app::DraftRequest req;
  req.patient = id;
  req.start = form.start;
  req.prefer = form.prefer;
  req.reason = param(c.req, "reason");
  req.submit = form.submit;
  req.how = "web: drafted from " + iso(form.start);
  req.start_field = "start";
  const app::Drafted d = app::draft_plan_version(repo, formulary, *pw, cfg.today(), c.actor, req);
  const int version = d.version;
  const bool submit = d.submitted;
  (void)submit;
  redirect(c.res, "/clinic/patients/" + id + "?drafted=" + std::to_string(version));
}

void WebServer::Impl::clinic_routes() {
  clinic_form_routes();
  svr.Get("/clinic", guarded(false, [](Call &c) { redirect(c.res, "/clinic/"); }));
  svr.Get("/clinic/", guarded(false, [this](Call &c) { clinic_home(c); }));
  svr.Get(R"(/clinic/patients/([^/]+))", guarded(false, [this](Call &c) {
            // Only a version number: the banner's words come from the store (clinic_patient).
            const std::string asked =
                c.req.has_param("drafted") ? c.req.get_param_value("drafted") : "";
            clinic_patient(c, c.req.matches[1], asked.substr(0, 9));
          }));
  svr.Post(R"(/clinic/patients/([^/]+)/versions/([0-9]{1,9})/submit)",
           guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             const int version = std::stoi(c.req.matches[2]);
             const StaffUser u = require_staff(c, app::Permission::draft_plan);
             c.patient = id;
             require_csrf(c, u, param(c.req, "csrf"));
             validate_patient_id(id);
             app::submit_draft(repo, id, version, c.actor);
             redirect(c.res, "/clinic/patients/" + id + "?drafted=" + std::to_string(version));
           }));
  svr.Post(R"(/clinic/patients/([^/]+)/plans)",
           guarded(false, [this](Call &c) { clinic_draft(c, c.req.matches[1]); }));
}

} // namespace titrate::web
