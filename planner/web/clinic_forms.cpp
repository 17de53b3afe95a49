// The clinician's forms ("all in the browser"): add and update a patient, invite
// (the link shown once; a new link revokes the old ones unless kept) and revoke, the printable
// invite handout, and the patient page's task links, forms and downloads (the score, diary,
// assess and audit routes are in clinic_records.cpp). Each form posts the session's CSRF token, is
// checked by the same use case as the CLI (planner/app), and answers a bad value with 400 naming
// it, nothing written.
#include "planner/web/clinic_forms.hpp"
#include "planner/app/invites.hpp"
#include "planner/app/patients.hpp"
#include "planner/export/pdf.hpp"
#include "planner/export/registry.hpp"
#include "planner/web/server_impl.hpp"

#include <cstdlib>
#include <sstream>

namespace titrate::web {

std::string clinic_form_trim(const std::string &s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos)
    return {};
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

Html clinic_text_input(const std::string &name, const std::string &label, const std::string &value,
                       const std::string &hint, const std::string &type) {
  Html h = "<label for=\""_html + name + "\">"_html + label + "</label>"_html;
  if (!hint.empty())
    h += "<p class=\"hint\" id=\""_html + name +
         "-hint\" style=\"margin:0 0 .3rem;font-size:.9rem;color:#3d4650\">"_html + hint +
         "</p>"_html;
  h += "<input type=\""_html + type + "\" id=\""_html + name + "\" name=\""_html + name +
       "\" value=\""_html + value + "\""_html +
       (hint.empty() ? ""_html : " aria-describedby=\""_html + name + "-hint\""_html) + ">"_html;
  return h;
}

Html clinic_select(const std::string &name, const std::string &label,
                   const std::vector<std::pair<std::string, std::string>> &options,
                   const std::string &chosen) {
  Html h = "<label for=\""_html + name + "\">"_html + label + "</label><select id=\""_html + name +
           "\" name=\""_html + name + "\">"_html;
  for (const auto &[value, text] : options) {
    h += "<option value=\""_html + value + "\""_html +
         (value == chosen ? " selected"_html : ""_html) + ">"_html + text + "</option>"_html;
  }
  return h + "</select>"_html;
}

Html clinic_back_link(const std::string &id) {
  return "<p><a href=\""_html + ("/clinic/patients/" + id) + "\">Back to patient "_html + id +
         "</a></p>"_html;
}

namespace {

// "a, b ,c" -> {"a", "b", "c"}: the web's list fields (one text box, values separated by commas).
std::vector<std::string> clinic_form_list(const std::string &text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find(',', pos);
    if (end == std::string::npos)
      end = text.size();
    const std::string item = clinic_form_trim(text.substr(pos, end - pos));
    if (!item.empty())
      out.push_back(item);
    pos = end + 1;
  }
  return out;
}

std::string clinic_form_join(const std::vector<std::string> &xs) {
  std::string s;
  for (const auto &x : xs)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

// The profile form's fields, named as the CLI's options without "--" (messages name them so).
app::ProfileFields clinic_profile_fields(const FormFields &f, bool update) {
  app::ProfileFields o;
  const auto get = [&](const char *name) { return clinic_form_trim(form_field(f, name)); };
  o.birth_date = get("birth-date");
  o.sex = get("sex");
  o.weight_kg = get("weight-kg");
  o.creatinine = get("creatinine-mg-dl");
  o.crcl = get("crcl");
  o.hepatic = get("hepatic");
  o.baseline_pain = get("baseline-pain");
  o.dialysis = get("dialysis");
  o.indication = get("indication");
  o.conditions = clinic_form_list(form_field(f, "conditions"));
  o.medications = clinic_form_list(form_field(f, "medications"));
  o.stopped = clinic_form_list(form_field(f, "stopped-medications"));
  o.dialysis_days = clinic_form_list(form_field(f, "dialysis-days"));
  if (update) {
    // The update form shows every current value: a box sent empty clears that value; a field not
    // sent at all (a hand-made request) keeps it, so nothing is cleared that nobody saw.
    const auto sent_empty = [&](const char *name) {
      return f.count(name) > 0 && clinic_form_trim(form_field(f, name)).empty();
    };
    o.clear_conditions = sent_empty("conditions");
    o.clear_medications = sent_empty("medications");
    o.clear_stopped = sent_empty("stopped-medications");
    o.clear_baseline_pain = sent_empty("baseline-pain");
    o.clear_dialysis = sent_empty("dialysis") && sent_empty("dialysis-days");
    o.clear_indication = sent_empty("indication");
  }
  return o;
}

// The profile inputs, filled with `p` when updating.
Html clinic_profile_inputs(const Formulary &f, const Patient *p) {
  const auto num = [](const std::optional<double> &v) { return v ? measure(*v) : std::string(); };
  Html h;
  h += clinic_text_input("birth-date", "Birth date (required)", p ? iso(p->birth_date) : "", "",
                         "date");
  h += clinic_select("sex", "Sex (required)",
                     {{"", "choose"}, {"female", "female"}, {"male", "male"}},
                     p ? std::string(to_string(p->sex)) : "");
  h += clinic_text_input("weight-kg", "Weight in kg (required, 1-400)",
                         p ? measure(p->weight_kg) : "");
  h += clinic_text_input("creatinine-mg-dl", "Serum creatinine in mg/dL (0.1-20)",
                         p ? num(p->serum_creatinine_mg_dl) : "",
                         "Give this or the creatinine clearance, not both.");
  h += clinic_text_input("crcl", "Creatinine clearance in mL/min (0-250)",
                         p ? num(p->crcl_ml_min) : "");
  h += clinic_select("hepatic", "Hepatic impairment",
                     {{"none", "none"},
                      {"mild", "mild (Child-Pugh A)"},
                      {"moderate", "moderate (Child-Pugh B)"},
                      {"severe", "severe (Child-Pugh C)"}},
                     p ? std::string(to_string(p->hepatic)) : "none");
  std::vector<std::pair<std::string, std::string>> indications{{"", "not recorded"}};
  for (const auto &[term, label] : f.vocabulary.indications)
    indications.emplace_back(term, label);
  h += clinic_select("indication", "Indication (what the patient is treated for)", indications,
                     p ? p->indication : "");
  std::vector<std::string> known;
  for (const auto &c : f.vocabulary.conditions)
    known.push_back(c);
  h += clinic_text_input("conditions", "Conditions", p ? clinic_form_join(p->conditions) : "",
                         "Separated by commas, from: " + clinic_form_join(known) + ".");
  h += clinic_text_input("medications", "Current medications",
                         p ? clinic_form_join(p->medications) : "",
                         "Generic names separated by commas, e.g. sertraline, tramadol.");
  std::vector<std::string> stopped;
  if (p) {
    for (const auto &s : p->stopped_medications)
      stopped.push_back(s.name + "=" + iso(s.stopped));
  }
  h += clinic_text_input("stopped-medications", "Recently stopped medications",
                         clinic_form_join(stopped),
                         "NAME=YYYY-MM-DD separated by commas, e.g. phenelzine=2026-11-20.");
  h += clinic_text_input("baseline-pain", "Baseline pain (0-10)",
                         p && p->baseline_pain ? std::to_string(p->baseline_pain->value()) : "");
  h += clinic_select("dialysis", "Dialysis", {{"", "none"}, {"haemodialysis", "haemodialysis"}},
                     p && p->dialysis ? p->dialysis->kind : "");
  std::vector<std::string> days;
  if (p && p->dialysis) {
    for (const auto d : p->dialysis->days)
      days.push_back(std::string(to_string(d)));
  }
  h += clinic_text_input("dialysis-days", "Dialysis days", clinic_form_join(days),
                         "Weekdays separated by commas, e.g. monday, wednesday, friday.");
  return h;
}

// Where `titrate serve` is reached, for a link made on the web: $TITRATE_BASE_URL as for
// `titrate patient invite`, else the address this request came to.
std::string clinic_base_url(const Request &req) {
  const char *env = std::getenv("TITRATE_BASE_URL");
  std::string url = env && *env ? env : "http://" + req.get_header_value("Host");
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

} // namespace

Html WebServer::Impl::clinic_tools_html(const std::string &id, const StaffUser &u, bool nav) {
  const std::string base = "/clinic/patients/" + id;
  if (nav) {
    return "<nav aria-label=\"Patient tasks\"><p><a href=\""_html + (base + "/profile") +
           "\">Update the profile</a> · <a href=\""_html + (base + "/assess") +
           "\">Assess and apply</a> · <a href=\""_html + (base + "/audit") +
           "\">Audit</a> · <a href=\"#link\">Patient link</a> · <a href=\"#log-score\">Log a "
           "score</a> · <a href=\"#diary\">Import a diary</a> · <a href=\"#exports\">Downloads</a>"
           "</p></nav>"_html;
  }
  Html b;
  // The personal link: a new one revokes the old ones unless kept.
  b +=
      "<section id=\"link\"><h2>Patient link</h2><p>A new link is shown once. It revokes the "
      "patient's earlier links unless you keep them.</p><form method=\"post\" action=\""_html +
      (base + "/invite") + "\">"_html + csrf_field(u.csrf) +
      "<label><input type=\"checkbox\" name=\"keep-old\" value=\"1\"> Keep the earlier links "
      "working</label><p><button type=\"submit\" id=\"invite\">Make a new link</button></p>"
      "</form><form method=\"post\" action=\""_html +
      (base + "/revoke") + "\">"_html + csrf_field(u.csrf) +
      "<p><button type=\"submit\" class=\"danger\" id=\"revoke\">Revoke every link</button></p>"
      "</form><h3>Printed handout</h3><p>The patient's plan on paper with a new link and its QR "
      "code, as a PDF download (the link is not shown on screen).</p><form method=\"post\" "
      "action=\""_html +
      (base + "/handout") + "\">"_html + csrf_field(u.csrf) +
      clinic_select("paper", "Paper", {{"a4", "A4"}, {"letter", "US letter"}}, "a4") +
      "<label><input type=\"checkbox\" name=\"large-print\" value=\"1\"> Large print</label>"_html +
      clinic_text_input("clinic-name", "Clinic name (blank: a line to write on)", "") +
      clinic_text_input("clinic-phone", "Clinic phone (blank: a line to write on)", "") +
      "<label><input type=\"checkbox\" name=\"keep-old\" value=\"1\"> Keep the earlier links "
      "working</label><p><button type=\"submit\" class=\"secondary\" id=\"handout\">Make a new "
      "link and download the handout (PDF)</button></p></form></section>"_html;
  // Log or correct a score.
  b += "<section id=\"log-score\"><h2>Log or correct a pain score</h2><form method=\"post\" "
       "action=\""_html +
       (base + "/scores") + "\">"_html + csrf_field(u.csrf) +
       clinic_text_input("score", "Score (0-10)", "") +
       clinic_text_input("at", "When (blank: now)", "", "", "datetime-local") +
       clinic_text_input("note", "Note (optional)", "") +
       clinic_text_input("supersedes", "Corrects score number (optional)", "",
                         "The number of the score this one replaces, from the scores table.") +
       "<p><button type=\"submit\" id=\"log\">Log score</button></p></form></section>"_html;
  // Import a diary.
  b += "<section id=\"diary\"><h2>Import a diary</h2><form method=\"post\" action=\""_html +
       (base + "/diary") + "\" enctype=\"multipart/form-data\">"_html + csrf_field(u.csrf) +
       "<label for=\"diary-file\">Diary CSV (header at,score,note; patient_id optional)</label>"
       "<input type=\"file\" id=\"diary-file\" name=\"diary\" accept=\".csv,text/csv\" required>"
       "<p><button type=\"submit\" id=\"import\">Import</button></p></form></section>"_html;
  // Every export of the version an export shows by default.
  b += "<section id=\"exports\"><h2>Downloads</h2><ul class=\"plain\">"_html;
  for (const auto &fmt : export_formats()) {
    b += "<li><a href=\""_html + ("/api/patients/" + id + "/export/" + std::string(fmt.name)) +
         "\" download>"_html + fmt.name + "</a>: "_html + fmt.help + "</li>"_html;
  }
  b += "</ul></section>"_html;
  return b;
}

void WebServer::Impl::clinic_form_routes() {
  // ---- add a patient ----
  svr.Get("/clinic/new-patient", guarded(false, [this](Call &c) {
            const StaffUser u = require_staff(c, app::Permission::change_patient);
            Html b =
                "<h1>Add a patient</h1><form method=\"post\" action=\"/clinic/patients\">"_html +
                csrf_field(u.csrf) +
                clinic_text_input("id", "Patient id (required)", "",
                                  "1-64 letters, digits, dots, hyphens or underscores.") +
                clinic_profile_inputs(formulary, nullptr) +
                "<p><button type=\"submit\" id=\"add\">Add patient</button></p></form>"
                "<p><a href=\"/clinic/\">Back to the clinic</a></p>"_html;
            send_html(c.res, 200, page("Add a patient", b, u.name, u.csrf, u.role));
          }));
  svr.Post("/clinic/patients", guarded(false, [this](Call &c) {
             const StaffUser u = require_staff(c, app::Permission::change_patient);
             require_csrf(c, u, param(c.req, "csrf"));
             const std::string id = clinic_form_trim(param(c.req, "id"));
             c.patient = id;
             validate_patient_id(id);
             const Patient p = app::new_profile(id, clinic_profile_fields(c.req.params, false),
                                                formulary, cfg.today(), "");
             app::add_patient(repo, p, c.actor);
             redirect(c.res, "/clinic/patients/" + id);
           }));
  // ---- update a patient ----
  svr.Get(R"(/clinic/patients/([^/]+)/profile)", guarded(false, [this](Call &c) {
            const std::string id = c.req.matches[1];
            const StaffUser u = require_staff(c, app::Permission::change_patient);
            c.patient = id;
            const PatientRecord rec = existing_patient(id);
            Html b = "<h1>Update patient "_html + id + "</h1><p>Profile version "_html +
                     std::to_string(rec.version) +
                     ". Saving makes the next version. Conditions, medications, "
                     "stopped medications, baseline pain and dialysis left empty are "
                     "cleared; the other boxes left empty keep their value.</p><form "
                     "method=\"post\" action=\""_html +
                     ("/clinic/patients/" + id + "/profile") + "\">"_html + csrf_field(u.csrf) +
                     clinic_profile_inputs(formulary, &rec.patient) +
                     "<p><button type=\"submit\" id=\"save\">Save profile</button></p>"
                     "</form>"_html +
                     clinic_back_link(id);
            send_html(c.res, 200, page("Update patient " + id, b, u.name, u.csrf, u.role));
          }));
  svr.Post(R"(/clinic/patients/([^/]+)/profile)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             require_staff_form(c, id, app::Permission::change_patient);
             app::update_patient(repo, id, clinic_profile_fields(c.req.params, true), formulary,
                                 cfg.today(), c.actor, "");
             redirect(c.res, "/clinic/patients/" + id);
           }));
  // ---- invite, handout, revoke ----
  svr.Post(R"(/clinic/patients/([^/]+)/invite)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             const StaffUser u = require_staff_form(c, id, app::Permission::invite_patient);
             const std::string token = random_token();
             app::InviteRequest req;
             req.patient = id;
             req.token_hash = token_digest(token);
             req.keep_old = param(c.req, "keep-old") == "1";
             const int revoked = app::invite_patient(repo, accounts, req, cfg.now(), c.actor);
             const std::string link = clinic_base_url(c.req) + "/p/" + token;
             // Shown in this answer only (never stored in clear, never in a URL): no redirect.
             Html b = "<h1>New link for patient "_html + id +
                      "</h1><section class=\"ok\" role=\"status\"><p>Give this link to "
                      "patient "_html +
                      id +
                      " only. It is shown once and cannot be shown again.</p>"
                      "<label for=\"patient-link\">Patient link</label>"
                      "<textarea id=\"patient-link\" readonly rows=\"2\" "
                      "style=\"word-break:break-all;font-family:monospace\">"_html +
                      link + "</textarea></section><p>"_html;
             if (req.keep_old)
               b += "The patient's earlier links still work."_html;
             else if (revoked == 0)
               b += "The patient had no earlier link."_html;
             else
               b += std::to_string(revoked) + " earlier link"_html +
                    (revoked == 1 ? ""_html : "s"_html) +
                    (revoked == 1 ? " no longer opens"_html : " no longer open"_html) +
                    " anything."_html;
             b += "</p>"_html + clinic_back_link(id);
             send_html(c.res, 200, page("New link for patient " + id, b, u.name, u.csrf, u.role));
           }));
  svr.Post(R"(/clinic/patients/([^/]+)/handout)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             require_staff_form(c, id, app::Permission::invite_patient);
             const PatientRecord rec = existing_patient(id);
             // The plan is read before any link exists: no plan stores nothing (404).
             const PlanVersion v = app::version_to_show(repo, id, std::nullopt);
             const auto scores = repo.scores(id);
             ExportContext ec = app::export_context(repo, v, rec.patient, pathways, "UTC");
             const std::string paper = param(c.req, "paper");
             if (paper == "letter")
               ec.handout.paper = Paper::letter;
             else if (!paper.empty() && paper != "a4")
               throw InputError("paper: \"" + printable(paper, 16) + "\"; expected a4 or letter");
             ec.handout.large_print = param(c.req, "large-print") == "1";
             ec.handout.clinic_name = clinic_form_trim(param(c.req, "clinic-name"));
             ec.handout.clinic_phone = clinic_form_trim(param(c.req, "clinic-phone"));
             const std::string token = random_token();
             ec.handout.link = clinic_base_url(c.req) + "/p/" + token;
             std::ostringstream pdf;
             write_pdf(pdf, ExportInput{v.plan, rec.patient, formulary, scores, ec}, ec.handout);
             app::InviteRequest req;
             req.patient = id;
             req.token_hash = token_digest(token);
             req.keep_old = param(c.req, "keep-old") == "1";
             req.what =
                 "new patient link, with a handout of plan version " + std::to_string(v.version);
             app::invite_patient(repo, accounts, req, cfg.now(), c.actor);
             c.res.status = 200;
             c.res.set_header("Cache-Control", "no-store");
             c.res.set_header("X-Content-Type-Options", "nosniff");
             c.res.set_header("Content-Disposition", "attachment; filename=\"titrate-" + id +
                                                         "-invite-v" + std::to_string(v.version) +
                                                         ".pdf\"");
             c.res.set_content(pdf.str(), "application/pdf");
           }));
  svr.Post(R"(/clinic/patients/([^/]+)/revoke)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             const StaffUser u = require_staff_form(c, id, app::Permission::invite_patient);
             const int n = app::revoke_patient_links(repo, accounts, id, cfg.now(), c.actor);
             const Html b = "<h1>Links of patient "_html + id +
                            "</h1><section class=\"ok\" role=\"status\"><p>Revoked "_html +
                            std::to_string(n) + " link"_html + (n == 1 ? ""_html : "s"_html) +
                            " of "_html + id + ".</p></section>"_html + clinic_back_link(id);
             send_html(c.res, 200, page("Links of patient " + id, b, u.name, u.csrf, u.role));
           }));
  clinic_record_routes(); // clinic_records.cpp
}

} // namespace titrate::web
