// The pharmacist's pages: the review queue, a version with its lint and diff, and the verdict.
#include "planner/export/registry.hpp"
#include "planner/export/words_assessment.hpp"
#include "planner/web/server_impl.hpp"

namespace titrate::web {

// ---------------------------------------------------------------- pharmacy

void WebServer::Impl::pharmacy_queue(Call &c) {
  const StaffUser u = require_staff(c, app::Permission::use_pharmacy_pages);
  const auto pending = repo.awaiting_review();
  std::string b = "<h1>Review queue</h1><section>";
  if (pending.empty()) {
    b += "<p>No plan versions are awaiting review.</p>";
  } else {
    b += "<table><thead><tr><th>Patient</th><th>Version</th><th>Pathway</th><th>Start</th>"
         "<th>Drafted by</th><th>Submitted</th></tr></thead><tbody>";
    for (const auto &v : pending) {
      const std::string href =
          "/pharmacy/patients/" + v.patient + "/versions/" + std::to_string(v.version);
      b += "<tr><td><a href=\"" + esc(href) + "\">" + esc(v.patient) + "</a></td><td>" +
           std::to_string(v.version) + "</td><td>" + esc(v.plan.pathway) + "</td><td>" +
           esc(iso(v.plan.start)) + "</td><td>" + esc(v.drafted_by) + "</td><td>" +
           esc(v.submitted_by.value_or("")) + " " + esc(stamp_text(v.submitted_at.value_or(""))) +
           "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "</section>";
  // What is coming: the due list (7 days ahead), and the audit.
  const Date today = cfg.today();
  const auto due = due_list(repo, today, 7, pathways);
  b += "<section><h2>Due by " + esc(iso(today + Days(7))) + "</h2>" +
       (due.empty() ? "<p>No decision or review dates in the next 7 days.</p>"
                    : due_table(due, formulary, today, "")) +
       "</section><section><h2>Records</h2><p><a href=\"/pharmacy/audit\">The audit</a> (who "
       "did what, when) and <a href=\"/reports/outcomes\">the outcome report</a>.</p></section>";
  send_html(c.res, 200, page("Review queue", b, u.name, u.csrf, u.role));
}

void WebServer::Impl::pharmacy_version(Call &c, const std::string &id, int version,
                                       const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_pharmacy_pages);
  c.patient = id;
  validate_patient_id(id);
  const auto rec = repo.patient(id);
  if (!rec)
    throw NotFoundError("patient " + id + ": not found");
  const auto v = repo.plan_version(id, version);
  if (!v)
    throw NotFoundError("plan of " + id + ": no version " + std::to_string(version));
  // The diff is against the latest version approved before this one (as `review show`).
  std::optional<PlanVersion> before;
  const auto reviews = repo.reviews(id);
  for (const auto &r : reviews) {
    if (r.verdict == Verdict::approved && r.version < v->version)
      before = repo.plan_version(id, r.version);
  }
  const words::Lines diff = words::diff(before ? &before->plan : nullptr, v->plan, formulary);

  std::string b = "<h1>Plan of " + esc(id) + ", version " + std::to_string(v->version) + "</h1>";
  // The banner says only what the store says: this pharmacist's verdict on this version.
  const auto verdict_by_me = [&](Verdict verdict) {
    return std::any_of(reviews.begin(), reviews.end(), [&](const auto &r) {
      return r.version == v->version && r.verdict == verdict && r.pharmacist == u.name;
    });
  };
  if (flash == "approved" && verdict_by_me(Verdict::approved))
    b += "<section class=\"ok\" role=\"status\">Approved: this version is now the active "
         "schedule.</section>";
  if (flash == "rejected" && verdict_by_me(Verdict::rejected))
    b += "<section class=\"ok\" role=\"status\">Rejected; the clinician will see your "
         "reason.</section>";
  b += "<section><p>Status: <strong id=\"status\">" + esc(to_string(v->status)) +
       "</strong>. Drafted by " + esc(v->drafted_by) + " at " + esc(stamp_text(v->drafted_at));
  if (v->submitted_by)
    b += ", submitted by " + esc(*v->submitted_by) + " at " +
         esc(stamp_text(v->submitted_at.value_or("")));
  b += ". Pathway " + esc(v->plan.pathway) + ", start " + esc(iso(v->plan.start)) + ".</p>";
  b += "<p>Why this version: " +
       esc(v->note.empty() ? std::string("no reason recorded")
                           : words::for_people(formulary, v->note)) +
       "</p></section>";

  // The decision this version was drafted from (assess --apply), with its numbers, as `assess`
  // prints it.
  const auto decisions = repo.decisions(id);
  if (const DecisionRecord *d = app::decision_behind(*v, decisions)) {
    b += "<section><h2>The decision behind this version</h2><p>Decision #" + std::to_string(d->id) +
         ", recorded by " + esc(d->recorded_by) + " at " + esc(stamp_text(d->recorded_at)) +
         ".</p>" + words_html(words::assessment(d->assessment, formulary)) + "</section>";
  }

  // The patient as the clinician planned for them, as `review show` prints it (words::patient).
  const Patient &p = rec->patient;
  const Date today = cfg.today();
  b += "<section><h2>Patient</h2>";
  try {
    // The card's heading already says "Patient"; the first line drops the CLI's "patient: ".
    auto lines = words::patient(p, check_eligibility(p, formulary, today), formulary, today);
    if (!lines.empty() && lines.front().text.rfind("patient: ", 0) == 0)
      lines.front().text = words::capitalised(lines.front().text.substr(9));
    b += words_html(lines);
  } catch (const Error &e) {
    b += "<p class=\"warn\">Eligibility cannot be checked: " + esc(e.what()) + "</p>";
  }
  const Date since = today - Days(13);
  b += "</section><section><h2>Pain scores since " + esc(iso(since)) + " (14 days)</h2>" +
       scores_table(repo.scores(id), since) + "</section><section><h2>Side effects reported</h2>" +
       adverse_effects_table(repo.adverse_effects(id), formulary) + "</section>";

  b += "<section><h2>Lint findings</h2>";
  if (const Pathway *pw = find_pathway(v->plan.pathway)) {
    b += findings_list(lint(v->plan, rec->patient, formulary, *pw, cfg.today()), &formulary);
  } else {
    b += "<p class=\"warn\">Pathway " + esc(v->plan.pathway) +
         " is not loaded; the findings stored with the plan:</p>" + findings_list(v->plan.lint);
  }
  if (!v->plan.unchecked_medications.empty()) {
    b += "<p class=\"warn\">Not checked: unknown medication";
    for (const auto &m : v->plan.unchecked_medications)
      b += " " + esc(m);
    b += "</p>";
  }
  b += "</section><section><h2>";
  b += before ? "Changes against approved version " + std::to_string(before->version)
              : std::string("Changes: no version was approved before; everything is new");
  b += "</h2>";
  if (!before) {
    b += "<p>The whole plan below is new.</p>";
  } else if (diff.empty()) {
    b += "<p>None.</p>";
  } else {
    // In short (a sentence per stage that changed), then every removed and added line.
    const auto in_short = words::changes(&before->plan, v->plan, formulary);
    if (!in_short.empty()) {
      b += "<p>In short:</p><ul class=\"changes\">";
      for (const auto &sentence : in_short)
        b += "<li>" + esc(words::capitalised(sentence)) + "</li>";
      b += "</ul><p>In detail:</p>";
    }
    b += words_html(diff);
  }
  b += "</section><section><h2>Plan</h2>" + plan_html(v->plan, formulary) + "</section>";

  // Every version of the patient's plan and its reviews, newest first.
  b += "<section><h2>Versions and reviews</h2><table class=\"stack\"><thead><tr>"
       "<th>Version</th><th>Status</th><th>Drafted</th><th>Why</th><th>Reviews</th></tr></thead>"
       "<tbody>";
  const auto versions = repo.plan_versions(id);
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    std::string rv;
    for (const auto &r : reviews) {
      if (r.version == it->version) {
        rv += (rv.empty() ? "" : "; ") + esc(to_string(r.verdict)) + " by " + esc(r.pharmacist) +
              " at " + esc(stamp_text(r.at)) + (r.note.empty() ? "" : ": " + esc(r.note));
      }
    }
    const std::string href =
        "/pharmacy/patients/" + id + "/versions/" + std::to_string(it->version);
    b += "<tr><td data-label=\"Version\">" +
         (it->version == v->version
              ? std::to_string(it->version) + " (this one)"
              : "<a href=\"" + esc(href) + "\">" + std::to_string(it->version) + "</a>") +
         "</td><td data-label=\"Status\">" + esc(to_string(it->status)) +
         "</td><td data-label=\"Drafted\">" + esc(it->drafted_by) + " at " +
         esc(stamp_text(it->drafted_at)) + "</td><td data-label=\"Why\">" +
         esc(it->note.empty() ? std::string("-") : words::for_people(formulary, it->note)) +
         "</td><td data-label=\"Reviews\">" + (rv.empty() ? std::string("none") : rv) +
         "</td></tr>";
  }
  b += "</tbody></table><p><a href=\"" + esc("/pharmacy/patients/" + id + "/audit") +
       "\">The audit of this patient</a></p></section>";

  // This version as every export writes it: the dispensing CSV, the handout, the calendar.
  b += "<section><h2>Downloads of version " + std::to_string(v->version) + "</h2><ul>";
  for (const auto &f : export_formats()) {
    const std::string href = "/api/patients/" + id + "/export/" + std::string(f.name) +
                             "?version=" + std::to_string(v->version);
    b += "<li><a href=\"" + esc(href) + "\" download>" + esc(f.name) + "</a>: " + esc(f.help) +
         "</li>";
  }
  b += "</ul></section>";

  b += "<section><h2>Verdict</h2>";
  if (v->status == PlanStatus::submitted) {
    const std::string act = "/pharmacy/patients/" + id + "/versions/" + std::to_string(v->version);
    b +=
        "<form method=\"post\" action=\"" + esc(act + "/approve") + "\">" + csrf_field(u.csrf) +
        "<p><button type=\"submit\" id=\"approve\">Approve version " + std::to_string(v->version) +
        "</button></p></form><form method=\"post\" action=\"" + esc(act + "/reject") + "\">" +
        csrf_field(u.csrf) +
        "<label for=\"reason\">Reason for rejecting</label><textarea id=\"reason\" name=\"reason\" "
        "rows=\"2\" required></textarea><p><button class=\"danger\" type=\"submit\" id=\"reject\">"
        "Reject</button></p></form>";
  } else {
    b += "<p>This version is " + esc(to_string(v->status)) +
         "; only a version submitted for review can be approved or rejected.</p>";
  }
  b += "</section>";
  send_html(c.res, 200, page("Review " + id, b, u.name, u.csrf, u.role));
}

void WebServer::Impl::pharmacy_routes() {
  svr.Get("/pharmacy", guarded(false, [](Call &c) { redirect(c.res, "/pharmacy/"); }));
  svr.Get("/pharmacy/", guarded(false, [this](Call &c) { pharmacy_queue(c); }));
  svr.Get(R"(/pharmacy/patients/([^/]+)/versions/([0-9]{1,9}))", guarded(false, [this](Call &c) {
            std::string flash = c.req.has_param("done") ? c.req.get_param_value("done") : "";
            pharmacy_version(c, c.req.matches[1], std::stoi(c.req.matches[2]), flash);
          }));
  svr.Post(R"(/pharmacy/patients/([^/]+)/versions/([0-9]{1,9})/(approve|reject))",
           guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             const int version = std::stoi(c.req.matches[2]);
             const bool approve = c.req.matches[3] == "approve";
             const StaffUser u = require_staff(c, app::Permission::review_plan);
             c.patient = id;
             require_csrf(c, u, param(c.req, "csrf"));
             validate_patient_id(id);
             // Four eyes is enforced inside: RefusedError.
             app::record_verdict(repo, id, version, c.actor,
                                 approve ? Verdict::approved : Verdict::rejected,
                                 param(c.req, "reason"));
             redirect(c.res, "/pharmacy/patients/" + id + "/versions/" + std::to_string(version) +
                                 "?done=" + (approve ? "approved" : "rejected"));
           }));
}

} // namespace titrate::web
