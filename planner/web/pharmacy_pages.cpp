// The pharmacist's pages: the review queue, a version with its lint and diff, and the verdict.
#include "planner/export/registry.hpp"
#include "planner/export/words_assessment.hpp"
#include "planner/web/server_impl.hpp"

namespace titrate::web {

// ---------------------------------------------------------------- pharmacy

void WebServer::Impl::pharmacy_queue(Call &c) {
  const StaffUser u = require_staff(c, app::Permission::use_pharmacy_pages);
  const auto pending = repo.awaiting_review();
  Html b = "<h1>Review queue</h1><section>"_html;
  if (pending.empty()) {
    b += "<p>No plan versions are awaiting review.</p>"_html;
  } else {
    b += "<table><thead><tr><th>Patient</th><th>Version</th><th>Pathway</th><th>Start</th>"
         "<th>Drafted by</th><th>Submitted</th></tr></thead><tbody>"_html;
    for (const auto &v : pending) {
      const std::string href =
          "/pharmacy/patients/" + v.patient + "/versions/" + std::to_string(v.version);
      b += "<tr><td><a href=\""_html + href + "\">"_html + v.patient + "</a></td><td>"_html +
           std::to_string(v.version) + "</td><td>"_html + v.plan.pathway + "</td><td>"_html +
           iso(v.plan.start) + "</td><td>"_html + v.drafted_by + "</td><td>"_html +
           v.submitted_by.value_or("") + " "_html + stamp_text(v.submitted_at.value_or("")) +
           "</td></tr>"_html;
    }
    b += "</tbody></table>"_html;
  }
  b += "</section>"_html;
  // What is coming: the due list (7 days ahead), and the audit.
  const Date today = cfg.today();
  const auto due = due_list(repo, today, 7, pathways);
  b +=
      "<section><h2>Due by "_html + iso(today + Days(7)) + "</h2>"_html +
      (due.empty() ? "<p>No decision or review dates in the next 7 days.</p>"_html
                   : due_table(due, formulary, today, "")) +
      "</section><section><h2>Records</h2><p><a href=\"/pharmacy/audit\">The audit</a> (who "
      "did what, when) and <a href=\"/reports/outcomes\">the outcome report</a>.</p></section>"_html;
  send_html(c.res, 200, page("Review queue", b, u.name, u.csrf, u.role));
}

void WebServer::Impl::pharmacy_version(Call &c, const std::string &id, int version,
                                       const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_pharmacy_pages);
  c.patient = id;
  const PatientRecord rec = existing_patient(id);
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

  Html b = "<h1>Plan of "_html + id + ", version "_html + std::to_string(v->version) + "</h1>"_html;
  // The banner says only what the store says: this pharmacist's verdict on this version.
  const auto verdict_by_me = [&](Verdict verdict) {
    return std::any_of(reviews.begin(), reviews.end(), [&](const auto &r) {
      return r.version == v->version && r.verdict == verdict && r.pharmacist == u.name;
    });
  };
  if (flash == "approved" && verdict_by_me(Verdict::approved))
    b += "<section class=\"ok\" role=\"status\">Approved: this version is now the active "
         "schedule.</section>"_html;
  if (flash == "rejected" && verdict_by_me(Verdict::rejected))
    b += "<section class=\"ok\" role=\"status\">Rejected; the clinician will see your "
         "reason.</section>"_html;
  b += "<section><p>Status: <strong id=\"status\">"_html + to_string(v->status) +
       "</strong>. Drafted by "_html + v->drafted_by + " at "_html + stamp_text(v->drafted_at);
  if (v->submitted_by)
    b += ", submitted by "_html + *v->submitted_by + " at "_html +
         stamp_text(v->submitted_at.value_or(""));
  b += ". Pathway "_html + v->plan.pathway + ", start "_html + iso(v->plan.start) + ".</p>"_html;
  b += "<p>Why this version: "_html +
       (v->note.empty() ? std::string("no reason recorded")
                        : words::for_people(formulary, v->note)) +
       "</p></section>"_html;

  // The decision this version was drafted from (assess --apply), with its numbers, as `assess`
  // prints it.
  const auto decisions = repo.decisions(id);
  if (const DecisionRecord *d = app::decision_behind(*v, decisions)) {
    b += "<section><h2>The decision behind this version</h2><p>Decision #"_html +
         std::to_string(d->id) + ", recorded by "_html + d->recorded_by + " at "_html +
         stamp_text(d->recorded_at) + ".</p>"_html +
         words_html(words::assessment(d->assessment, formulary)) + "</section>"_html;
  }

  // The patient as the clinician planned for them, as `review show` prints it (words::patient).
  const Patient &p = rec.patient;
  const Date today = cfg.today();
  b += "<section><h2>Patient</h2>"_html;
  try {
    // The card's heading already says "Patient"; the first line drops the CLI's "patient: ".
    auto lines = words::patient(p, check_eligibility(p, formulary, today), formulary, today);
    if (!lines.empty() && lines.front().text.rfind("patient: ", 0) == 0)
      lines.front().text = words::capitalised(lines.front().text.substr(9));
    b += words_html(lines);
  } catch (const Error &e) {
    b += "<p class=\"warn\">Eligibility cannot be checked: "_html + e.what() + "</p>"_html;
  }
  const Date since = today - Days(13);
  b += "</section><section><h2>Pain scores since "_html + iso(since) + " (14 days)</h2>"_html +
       scores_table(repo.scores(id), since) +
       "</section><section><h2>Side effects reported</h2>"_html +
       adverse_effects_table(repo.adverse_effects(id), formulary) + "</section>"_html;

  b += "<section><h2>Lint findings</h2>"_html;
  if (const Pathway *pw = find_pathway(v->plan.pathway)) {
    b += findings_list(lint(v->plan, rec.patient, formulary, *pw, cfg.today()), &formulary);
  } else {
    b += "<p class=\"warn\">Pathway "_html + v->plan.pathway +
         " is not loaded; the findings stored with the plan:</p>"_html +
         findings_list(v->plan.lint);
  }
  if (!v->plan.unchecked_medications.empty()) {
    b += "<p class=\"warn\">Not checked: unknown medication"_html;
    for (const auto &m : v->plan.unchecked_medications)
      b += " "_html + m;
    b += "</p>"_html;
  }
  b += "</section><section><h2>"_html;
  b += before ? "Changes against approved version "_html + std::to_string(before->version)
              : "Changes: no version was approved before; everything is new"_html;
  b += "</h2>"_html;
  if (!before) {
    b += "<p>The whole plan below is new.</p>"_html;
  } else if (diff.empty()) {
    b += "<p>None.</p>"_html;
  } else {
    // In short (a sentence per stage that changed), then every removed and added line.
    const auto in_short = words::changes(&before->plan, v->plan, formulary);
    if (!in_short.empty()) {
      b += "<p>In short:</p><ul class=\"changes\">"_html;
      for (const auto &sentence : in_short)
        b += "<li>"_html + words::capitalised(sentence) + "</li>"_html;
      b += "</ul><p>In detail:</p>"_html;
    }
    b += words_html(diff);
  }
  b += "</section><section><h2>Plan</h2>"_html + plan_html(v->plan, formulary) + "</section>"_html;

  // Every version of the patient's plan and its reviews, newest first.
  b += "<section><h2>Versions and reviews</h2><table class=\"stack\"><thead><tr>"
       "<th>Version</th><th>Status</th><th>Drafted</th><th>Why</th><th>Reviews</th></tr></thead>"
       "<tbody>"_html;
  const auto versions = repo.plan_versions(id);
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    Html rv;
    for (const auto &r : reviews) {
      if (r.version == it->version) {
        rv += (rv.empty() ? ""_html : "; "_html) + to_string(r.verdict) + " by "_html +
              r.pharmacist + " at "_html + stamp_text(r.at) +
              (r.note.empty() ? ""_html : ": "_html + r.note);
      }
    }
    const std::string href =
        "/pharmacy/patients/" + id + "/versions/" + std::to_string(it->version);
    b += "<tr><td data-label=\"Version\">"_html +
         (it->version == v->version
              ? std::to_string(it->version) + " (this one)"_html
              : "<a href=\""_html + href + "\">"_html + std::to_string(it->version) + "</a>"_html) +
         "</td><td data-label=\"Status\">"_html + to_string(it->status) +
         "</td><td data-label=\"Drafted\">"_html + it->drafted_by + " at "_html +
         stamp_text(it->drafted_at) + "</td><td data-label=\"Why\">"_html +
         (it->note.empty() ? std::string("-") : words::for_people(formulary, it->note)) +
         "</td><td data-label=\"Reviews\">"_html + (rv.empty() ? "none"_html : rv) +
         "</td></tr>"_html;
  }
  b += "</tbody></table><p><a href=\""_html + ("/pharmacy/patients/" + id + "/audit") +
       "\">The audit of this patient</a></p></section>"_html;

  // This version as every export writes it: the dispensing CSV, the handout, the calendar.
  b += "<section><h2>Downloads of version "_html + std::to_string(v->version) + "</h2><ul>"_html;
  for (const auto &f : export_formats()) {
    const std::string href = "/api/patients/" + id + "/export/" + std::string(f.name) +
                             "?version=" + std::to_string(v->version);
    b += "<li><a href=\""_html + href + "\" download>"_html + f.name + "</a>: "_html + f.help +
         "</li>"_html;
  }
  b += "</ul></section>"_html;

  b += "<section><h2>Verdict</h2>"_html;
  if (v->status == PlanStatus::submitted) {
    const std::string act = "/pharmacy/patients/" + id + "/versions/" + std::to_string(v->version);
    b +=
        "<form method=\"post\" action=\""_html + (act + "/approve") + "\">"_html +
        csrf_field(u.csrf) + "<p><button type=\"submit\" id=\"approve\">Approve version "_html +
        std::to_string(v->version) + "</button></p></form><form method=\"post\" action=\""_html +
        (act + "/reject") + "\">"_html + csrf_field(u.csrf) +
        "<label for=\"reason\">Reason for rejecting</label><textarea id=\"reason\" name=\"reason\" "
        "rows=\"2\" required></textarea><p><button class=\"danger\" type=\"submit\" id=\"reject\">"
        "Reject</button></p></form>"_html;
  } else {
    b += "<p>This version is "_html + to_string(v->status) +
         "; only a version submitted for review can be approved or rejected.</p>"_html;
  }
  b += "</section>"_html;
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
             require_staff_form(c, id, app::Permission::review_plan);
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
