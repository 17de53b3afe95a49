// The clinician's pages: the clinic home (due list, awaiting review), a patient's summary, and
// drafting a plan version.
#include "planner/web/server_impl.hpp"

namespace titrate::web {

// ---------------------------------------------------------------- clinic

void WebServer::Impl::clinic_home(Call &c) {
  const StaffUser u = require_staff(c, app::Permission::use_clinic_pages);
  const Date today = cfg.today();
  const int within = due_within_param(c.req, 7);
  const auto due = due_list(repo, today, within, pathways);
  // What needs attention first: severe or intolerable side effects of the last 14 days.
  const Date since = today - Days(13);
  Html serious;
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
      serious += "<tr><td><a href=\""_html + ("/clinic/patients/" + r.patient.id) + "\">"_html +
                 r.patient.id + "</a></td><td>"_html + when_text(it->at) +
                 "</td><td><strong>"_html + to_string(it->severity) + "</strong></td><td>"_html +
                 it->description + "</td><td>"_html +
                 (drugs.empty() ? std::string("not attributed") : drugs) + "</td></tr>"_html;
    }
  }
  // Overdue assessments (whatever `within` shows), windows that have
  // started with too few days scored, and plans a pharmacist rejected that nobody has redrafted.
  const auto window_start = [](const DueEntry &e) { return e.decision_date - Days(e.window_days); };
  Html overdue, short_windows, rejected;
  // Every started window ends within the longest window from today, whatever `within` shows.
  int longest_window = 0;
  for (const auto &pw : pathways)
    longest_window = std::max(longest_window, pw.decisions.window_days.value);
  const auto attention_due = due_list(repo, today, longest_window, pathways);
  for (const auto &e : attention_due) {
    if (e.days_until < 0) {
      overdue += "<li><a href=\""_html + ("/clinic/patients/" + e.patient) + "\">"_html +
                 e.patient + "</a>: "_html + words::drug(formulary, e.drug) + ", "_html +
                 (e.review ? "maintenance review "_html : "decision date "_html) +
                 iso(e.decision_date) + ", "_html + std::to_string(-e.days_until) +
                 (e.days_until == -1 ? " day"_html : " days"_html) + " overdue</li>"_html;
    }
  }
  for (const auto &e : attention_due) {
    if (e.missing_scores && window_start(e) <= today) {
      short_windows += "<li><a href=\""_html + ("/clinic/patients/" + e.patient) + "\">"_html +
                       e.patient + "</a>: "_html + std::to_string(e.window_days_with_scores) +
                       " of "_html + std::to_string(e.window_days) + " days scored since "_html +
                       iso(window_start(e)) + " (at least "_html +
                       std::to_string(e.min_days_with_scores) + " needed by "_html +
                       iso(e.decision_date) + ")</li>"_html;
    }
  }
  for (const auto &r : repo.patients()) {
    const auto versions = repo.plan_versions(r.patient.id);
    if (versions.empty())
      continue;
    for (const auto &rv : repo.reviews(r.patient.id)) {
      if (rv.verdict == Verdict::rejected && rv.version == versions.back().version) {
        rejected += "<li><a href=\""_html + ("/clinic/patients/" + r.patient.id) + "\">"_html +
                    r.patient.id + "</a>: plan version "_html + std::to_string(rv.version) +
                    " rejected by "_html + rv.pharmacist + " on "_html + stamp_text(rv.at) +
                    ": "_html + rv.note + "</li>"_html;
      }
    }
  }
  Html b = "<h1>Clinic</h1><p><a href=\"/clinic/new-patient\">Add a patient</a> · <a "
           "href=\"/clinic/audit\">Audit</a></p>"
           "<section id=\"serious\"><h2>Severe or intolerable side effects since "_html +
           iso(since) + "</h2>"_html;
  if (serious.empty()) {
    b += "<p>None reported.</p>"_html;
  } else {
    b += "<table><thead><tr><th>Patient</th><th>When</th><th>Severity</th><th>What</th>"
         "<th>Drugs</th></tr></thead><tbody>"_html +
         serious + "</tbody></table>"_html;
  }
  b += "</section>"_html;
  // One section, with only the kinds that have something in them.
  b += "<section id=\"attention\"><h2>Needs attention</h2>"_html;
  if (overdue.empty() && short_windows.empty() && rejected.empty()) {
    b += "<p>No overdue assessment, no started window short of scores, no rejected plan.</p>"_html;
  }
  if (!overdue.empty())
    b += "<h3 style=\"font-size:1rem\">Overdue assessments</h3><ul>"_html + overdue + "</ul>"_html;
  if (!short_windows.empty())
    b += "<h3 style=\"font-size:1rem\">Windows short of scores</h3><ul>"_html + short_windows +
         "</ul>"_html;
  if (!rejected.empty())
    b += "<h3 style=\"font-size:1rem\">Plans the pharmacist rejected</h3><ul>"_html + rejected +
         "</ul>"_html;
  b += "</section>"_html;
  b += "<section><h2>Due by "_html + iso(today + Days(within)) +
       "</h2><form method=\"get\" action=\"/clinic/\" class=\"inline\">"
       "<label for=\"within\">Days ahead</label><input type=\"text\" inputmode=\"numeric\" "
       "id=\"within\" name=\"within\" value=\""_html +
       std::to_string(within) +
       "\" style=\"max-width:6rem\"> <button type=\"submit\">Show</button></form>"_html;
  if (due.empty()) {
    b += "<p>No decision or review dates on or before "_html + iso(today + Days(within)) +
         ".</p>"_html;
  } else {
    b += due_table(due, formulary, today, "/clinic/patients/");
  }
  b += "</section><section><h2>Patients</h2><ul>"_html;
  for (const auto &r : repo.patients()) {
    b += "<li><a href=\""_html + ("/clinic/patients/" + r.patient.id) + "\">"_html + r.patient.id +
         "</a></li>"_html;
  }
  b += "</ul></section>"_html;
  send_html(c.res, 200, page("Clinic", b, u.name, u.csrf, u.role));
}

void WebServer::Impl::clinic_patient(Call &c, const std::string &id, const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_clinic_pages);
  c.patient = id;
  const PatientRecord rec = existing_patient(id);
  const Patient &p = rec.patient;
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
  Html b = "<h1>Patient "_html + id + "</h1>"_html + clinic_tools_html(id, u, true);
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
      b += "<section class=\"ok\" role=\"status\">Plan version "_html +
           std::to_string(shown->version) + " is submitted for pharmacist review.</section>"_html;
    } else if (shown && shown->status == PlanStatus::draft) {
      b += "<section class=\"ok\" role=\"status\">Drafted plan version "_html +
           std::to_string(shown->version) +
           "; read it below, then submit it for pharmacist review."
           "</section>"_html;
    }
  }
  // The latest draft, in the one wording, with its own submit button: nobody submits a plan they
  // have not seen.
  std::optional<PlanVersion> draft;
  for (auto &v : repo.plan_versions(id))
    if (v.status == PlanStatus::draft)
      draft = std::move(v);
  if (draft) {
    b += "<section id=\"draft-plan\"><h2>Draft plan version "_html +
         std::to_string(draft->version) + " (not submitted)</h2>"_html;
    if (active) {
      // The running plan beside the draft, so the two can be compared before submitting.
      b += "<p class=\"warn\">"_html + replaces_active_words(*active, today) +
           "</p><details id=\"running-plan\"><summary>The running plan (version "_html +
           std::to_string(active->version) + ", approved)</summary>"_html +
           plan_html(active->plan, formulary) + "</details><h3>The draft</h3>"_html;
    }
    b += plan_html(draft->plan, formulary) + "<form method=\"post\" action=\""_html +
         ("/clinic/patients/" + id + "/versions/" + std::to_string(draft->version) + "/submit") +
         "\">"_html + csrf_field(u.csrf) +
         "<p><button type=\"submit\" id=\"submit-draft\">Submit version "_html +
         std::to_string(draft->version) +
         " for pharmacist review</button></p></form></section>"_html;
  }
  b += "<section><h2>Profile (version "_html + std::to_string(rec.version) +
       ")</h2><table><tbody>"_html;
  const auto row = [&](const std::string &k, const std::string &v) {
    b += "<tr><th>"_html + k + "</th><td>"_html + v + "</td></tr>"_html;
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
  b += "</tbody></table></section>"_html;

  b += "<section><h2>Eligibility on "_html + iso(today) + "</h2>"_html;
  try {
    const EligibilityReport r = check_eligibility(p, formulary, today);
    b += "<p>Creatinine clearance "_html + words::number(r.crcl_ml_min, 1) + " mL/min"_html +
         (r.crcl_given ? " (as entered)"_html : " (Cockcroft-Gault)"_html) + ".</p>"_html;
    if (r.pregnancy)
      b += "<p class=\"warn\">Pregnancy: every drug needs specialist review.</p>"_html;
    // On a phone each drug is a block of labelled lines (class "stack"), its reasons full width.
    b += "<table class=\"stack\" id=\"eligibility\"><thead><tr><th>Drug</th><th>Verdict</th>"
         "<th>Maximum daily</th><th>Reasons</th></tr></thead><tbody>"_html;
    for (const auto &d : r.drugs) {
      b += "<tr><td>"_html + words::drug(formulary, d.drug) +
           "</td><td data-label=\"Verdict\">"_html + to_string(d.verdict) +
           (d.available_from ? " (from "_html + iso(*d.available_from) + ")"_html : ""_html) +
           "</td><td data-label=\"Maximum daily\">"_html +
           (d.max_daily ? d.max_daily->str() : std::string()) +
           "</td><td data-label=\"Reasons\">"_html +
           (d.reasons.empty() ? ""_html : findings_list(d.reasons, &formulary)) + "</td></tr>"_html;
    }
    b += "</tbody></table>"_html;
    for (const auto &m : r.unchecked_medications)
      b += "<p class=\"warn\">"_html + m + "</p>"_html;
  } catch (const Error &e) {
    b += "<p class=\"warn\">Eligibility cannot be checked: "_html + e.what() + "</p>"_html;
  }
  b += "</section>"_html;

  const auto scores = repo.scores(id);
  b += "<section><h2>Active schedule</h2>"_html;
  if (active) {
    b += "<p>Plan version "_html + std::to_string(active->version) + ", approved.</p>"_html +
         plan_html(active->plan, formulary);
  } else {
    b += "<p>No approved plan.</p>"_html;
  }
  b += "</section><section><h2>Plan versions</h2>"_html;
  const auto versions = repo.plan_versions(id);
  if (versions.empty())
    b += "<p>None.</p>"_html;
  else {
    b += "<table class=\"stack\"><thead><tr><th>Version</th><th>Status</th><th>Drafted "
         "by</th><th>Note</th></tr></thead><tbody>"_html;
    for (const auto &v : versions) {
      b += "<tr><td data-label=\"Version\">"_html + std::to_string(v.version) +
           "</td><td data-label=\"Status\">"_html + to_string(v.status) +
           "</td><td data-label=\"Drafted by\">"_html + v.drafted_by + " "_html + v.drafted_at +
           "</td><td data-label=\"Note\">"_html + v.note + "</td></tr>"_html;
    }
    b += "</tbody></table>"_html;
    for (const auto &r : repo.reviews(id)) {
      if (r.verdict == Verdict::rejected) {
        b += "<p>Version "_html + std::to_string(r.version) + " rejected by "_html + r.pharmacist +
             ": "_html + r.note + "</p>"_html;
      }
    }
  }
  b += "</section><section><h2>Side effects, pain chart and scores</h2>"_html;
  if (active)
    b += chart_for(*active, p, scores);
  b += "<h3>Side effects</h3>"_html + adverse_effects_table(repo.adverse_effects(id), formulary) +
       "<h3 id=\"scores\">Scores</h3>"_html;
  if (scores.empty())
    b += "<p>No scores.</p>"_html;
  else {
    b += "<table><thead><tr><th>Number</th><th>When</th><th>Score</th><th>Note</th></tr></thead>"
         "<tbody>"_html;
    for (auto it = scores.rbegin(); it != scores.rend(); ++it) {
      b += "<tr><td>"_html + std::to_string(it->id) + "</td><td>"_html + when_text(it->at) +
           "</td><td>"_html + std::to_string(it->score.value()) + "</td><td>"_html + it->note +
           (it->supersedes ? " (corrects "_html + std::to_string(*it->supersedes) + ")"_html
                           : ""_html) +
           "</td></tr>"_html;
    }
    b += "</tbody></table>"_html;
  }
  b += "</section><section><h2>Decisions</h2>"_html;
  const auto decisions = repo.decisions(id);
  if (decisions.empty())
    b += "<p>None recorded.</p>"_html;
  for (const auto &d : decisions) {
    b += "<p>"_html + iso(d.assessment.date) + " "_html + d.assessment.drug + ": <strong>"_html +
         to_string(d.assessment.decision) + "</strong> ["_html + d.assessment.rule + "; "_html +
         d.assessment.source + "] by "_html + d.recorded_by + "</p>"_html;
  }
  b += "</section>"_html;

  b += clinic_tools_html(id, u, false);
  b += "<section><h2>Draft a plan</h2><form method=\"post\" action=\""_html +
       ("/clinic/patients/" + id + "/plans") + "\">"_html + csrf_field(u.csrf) +
       "<label for=\"start\">Start date</label><input type=\"date\" id=\"start\" name=\"start\" "
       "value=\""_html +
       iso(today) +
       "\" required><label for=\"pathway\">Pathway</label>"
       "<select id=\"pathway\" name=\"pathway\">"_html;
  for (const auto &pw : pathways) {
    b += "<option value=\""_html + pw.name + "\">"_html + pw.name + ": "_html + pw.title +
         "</option>"_html;
  }
  b += "</select><label for=\"prefer\">Preferred drug (optional)</label><select id=\"prefer\" "
       "name=\"prefer\"><option value=\"\">first eligible in pathway order</option>"_html;
  for (const auto &m : formulary.drugs)
    b += "<option value=\""_html + m.name + "\">"_html + m.name + "</option>"_html;
  b += "</select><label for=\"reason\">Why this drug (needed with a preferred drug)</label>"
       "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"500\">"_html;
  if (active)
    b += "<p class=\"warn\">"_html + replaces_active_words(*active, today) + "</p>"_html;
  b += "<label><input type=\"checkbox\" name=\"submit\" value=\"1\"> Submit for "
       "pharmacist review</label><p><button type=\"submit\" id=\"draft\">Draft plan</button></p>"
       "</form></section>"_html;
  send_html(c.res, 200, page("Patient " + id, b, u.name, u.csrf, u.role));
}

void WebServer::Impl::clinic_draft(Call &c, const std::string &id) {
  require_staff_form(c, id, app::Permission::draft_plan);
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
  req.prefer_field = "prefer";
  req.backdate_flag = ""; // the web records no past courses
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
             require_staff_form(c, id, app::Permission::draft_plan);
             validate_patient_id(id);
             app::submit_draft(repo, id, version, c.actor);
             redirect(c.res, "/clinic/patients/" + id + "?drafted=" + std::to_string(version));
           }));
  svr.Post(R"(/clinic/patients/([^/]+)/plans)",
           guarded(false, [this](Call &c) { clinic_draft(c, c.req.matches[1]); }));
}

} // namespace titrate::web
