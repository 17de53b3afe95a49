// The clinician's records of a patient: log or correct a score, import a diary
// CSV, assess and apply, and the audit (the patient's and the clinic's). Each form posts the
// session's CSRF token, is checked by the same use case as the CLI (planner/app), and answers a
// bad value with 400 naming it, nothing written.
#include "planner/app/assess.hpp"
#include "planner/app/imports.hpp"
#include "planner/export/words_assessment.hpp"
#include "planner/web/clinic_forms.hpp"
#include "planner/web/server_impl.hpp"

namespace titrate::web {

namespace {

// The audit as `titrate audit [ID]` lists it, for people: when, who (role), [patient,] action,
// what, and the door (and operating-system user) it came through.
Html clinic_audit_table(const std::vector<AuditEntry> &entries, bool with_patient) {
  if (entries.empty())
    return "<p>No audit entries.</p>"_html;
  // Scrolls sideways on a phone instead of widening the page (focusable, so a keyboard can too).
  Html b = "<div role=\"region\" aria-label=\"Audit entries\" tabindex=\"0\" "
           "style=\"overflow-x:auto\"><table><thead><tr><th>When</th><th>Who</th>"_html +
           (with_patient ? "<th>Patient</th>"_html : ""_html) +
           "<th>Action</th><th>What</th><th>How</th></tr></thead><tbody>"_html;
  for (const auto &e : entries) {
    b += "<tr><td>"_html + stamp_text(e.at) + "</td><td>"_html + e.user + " ("_html +
         (e.role.empty() ? std::string("no role") : e.role) + ")</td>"_html;
    if (with_patient) {
      b += "<td>"_html +
           (e.patient.empty() ? "-"_html
                              : "<a href=\""_html + ("/clinic/patients/" + e.patient) + "\">"_html +
                                    e.patient + "</a>"_html) +
           "</td>"_html;
    }
    b += "<td>"_html + e.action + "</td><td>"_html + e.detail + "</td><td>"_html +
         (e.door.empty() ? std::string("not recorded") : "via " + e.door) +
         (e.os_user.empty() ? std::string() : ", OS user " + e.os_user) + "</td></tr>"_html;
  }
  return b + "</tbody></table></div>"_html;
}

std::int64_t clinic_entry_id(const std::string &text, const std::string &field) {
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) {
    throw InputError(field + ": \"" + printable(text, 32) +
                     "\" is not a score id; expected the positive number shown when it was "
                     "logged");
  }
  return v;
}

} // namespace

void WebServer::Impl::clinic_record_routes() {
  // ---- log or correct a score ----
  svr.Post(R"(/clinic/patients/([^/]+)/scores)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             require_staff_form(c, id, app::Permission::log_observation);
             validate_patient_id(id);
             const std::string at_text = clinic_form_trim(param(c.req, "at"));
             const LocalDateTime at =
                 at_text.empty() ? now_local() : parse_local_datetime(at_text, "at");
             ScoreEntry s =
                 make_score_entry(param(c.req, "score"), at, param(c.req, "note"), cfg.today());
             const std::string corrects = clinic_form_trim(param(c.req, "supersedes"));
             if (!corrects.empty())
               s.supersedes = clinic_entry_id(corrects, "supersedes");
             app::record_score(repo, id, s, c.actor, cfg.today());
             redirect(c.res, "/clinic/patients/" + id + "#scores");
           }));
  // ---- import a diary ----
  svr.Post(R"(/clinic/patients/([^/]+)/diary)", guarded(false, [this](Call &c) {
             const std::string id = c.req.matches[1];
             const StaffUser u = require_staff(c, app::Permission::import_scores);
             c.patient = id;
             require_csrf(c, u,
                          c.req.has_file("csrf") ? c.req.get_file_value("csrf").content
                                                 : param(c.req, "csrf"));
             validate_patient_id(id);
             if (!c.req.has_file("diary"))
               throw InputError("diary: missing; expected a CSV file with header at,score,note");
             const auto file = c.req.get_file_value("diary");
             const std::string name =
                 file.filename.empty() ? "diary" : printable(file.filename, 64);
             std::size_t pos = 0;
             const std::string &text = file.content;
             const auto source = [&text, &pos](char *buffer, std::size_t capacity) {
               const std::size_t n = std::min(capacity, text.size() - pos);
               std::copy_n(text.data() + pos, n, buffer);
               pos += n;
               return n;
             };
             if (!repo.patient(id))
               throw NotFoundError("patient " + id + ": not found");
             const app::ScoreImported r =
                 app::import_scores(repo, source, app::ScoreImport{name, id}, c.actor,
                                    app::Role::clinician, cfg.today());
             const Html b = "<h1>Diary of patient "_html + id +
                            "</h1><section class=\"ok\" role=\"status\"><p>Imported "_html +
                            std::to_string(r.result.imported) + " score"_html +
                            (r.result.imported == 1 ? ""_html : "s"_html) + " from "_html + name +
                            "; skipped "_html + std::to_string(r.result.duplicates) +
                            " duplicate"_html + (r.result.duplicates == 1 ? ""_html : "s"_html) +
                            " already stored.</p></section>"_html + clinic_back_link(id);
             send_html(c.res, 200, page("Diary of patient " + id, b, u.name, u.csrf, u.role));
           }));
  // ---- assess and apply ----
  svr.Get(R"(/clinic/patients/([^/]+)/assess)", guarded(false, [this](Call &c) {
            const std::string id = c.req.matches[1];
            const StaffUser u = require_staff(c, app::Permission::assess);
            app::authorize(c.actor, app::Permission::use_clinic_pages);
            c.patient = id;
            const auto lookup = [this](const std::string &name) -> const Pathway & {
              const Pathway *pw = find_pathway(name);
              if (!pw)
                throw NotFoundError("pathway \"" + printable(name, 64) + "\": not found");
              return *pw;
            };
            app::AssessRequest req;
            req.patient = id;
            const app::Assessed a = app::assess_stored(repo, formulary, lookup, cfg.today(), req);
            Html b =
                "<h1>Assess patient "_html + id + "</h1><section id=\"assessment\">"_html +
                words_html(words::assessment(a.assessment, formulary)) +
                "</section><section><h2>Apply</h2><p>Applying records the decision and, "
                "when it changes the plan, drafts the next plan version for you to read and "
                "submit.</p><form method=\"post\" action=\""_html +
                ("/clinic/patients/" + id + "/assess") + "\">"_html + csrf_field(u.csrf) +
                "<input type=\"hidden\" name=\"shown\" value=\""_html +
                to_string(a.assessment.decision) + "\">"_html +
                clinic_select(
                    "decision", "Decision",
                    {{"", "titrate's decision: " + std::string(to_string(a.assessment.decision))},
                     {"continue", "my own (maintenance): continue"},
                     {"reduce", "my own (maintenance): reduce"},
                     {"escalate", "my own (maintenance): escalate"},
                     {"switch", "my own (maintenance): switch"},
                     {"stop", "my own (maintenance): stop"}},
                    "") +
                clinic_text_input("reason", "Why (needed with your own decision)", "") +
                "<p><button type=\"submit\" id=\"apply\">Apply the decision</button></p></form>"
                "</section>"_html +
                clinic_back_link(id);
            send_html(c.res, 200, page("Assess patient " + id, b, u.name, u.csrf, u.role));
          }));
  svr.Post(
      R"(/clinic/patients/([^/]+)/assess)", guarded(false, [this](Call &c) {
        const std::string id = c.req.matches[1];
        require_staff_form(c, id, app::Permission::apply_decision);
        app::AssessRequest req;
        req.patient = id;
        const std::string decision = clinic_form_trim(param(c.req, "decision"));
        req.reason = clinic_form_trim(param(c.req, "reason"));
        if (!decision.empty())
          req.decision = parse_enum<DecisionKind>(decision, "decision");
        else if (!req.reason.empty())
          throw InputError("reason: goes with your own decision (decision)");
        const auto lookup = [this](const std::string &name) -> const Pathway & {
          const Pathway *pw = find_pathway(name);
          if (!pw)
            throw NotFoundError("pathway \"" + printable(name, 64) + "\": not found");
          return *pw;
        };
        // titrate's decision is applied only as the clinician read it: a score logged since
        // the page was shown may have changed it.
        const std::string shown = clinic_form_trim(param(c.req, "shown"));
        if (!req.decision && !shown.empty()) {
          const auto now_decided =
              app::assess_stored(repo, formulary, lookup, cfg.today(), req).assessment.decision;
          if (std::string(to_string(now_decided)) != shown) {
            throw InputError("shown: the page said \"" + printable(shown, 32) +
                             "\", but titrate now decides \"" +
                             std::string(to_string(now_decided)) +
                             "\" (the scores or the plan changed); read the assessment again");
          }
        }
        const app::Applied r =
            app::apply_assessment(repo, formulary, lookup, cfg.today(), c.actor, req);
        redirect(c.res, "/clinic/patients/" + id +
                            (r.version > 0 ? "?drafted=" + std::to_string(r.version) : ""));
      }));
  // ---- the audit: the clinic's and a patient's, for clinicians (in /clinic) and pharmacists (in
  // /pharmacy), each in their own section ----
  const auto audit_routes = [this](const std::string &section, app::Permission pages,
                                   const std::string &home, const std::string &home_words) {
    svr.Get(section + "/audit", guarded(false, [this, pages, home, home_words](Call &c) {
              const StaffUser u = require_staff(c, app::Permission::read_audit);
              app::authorize(c.actor, pages);
              // The latest entries only: a clinic's whole log is for `titrate audit`.
              constexpr std::size_t shown = 500;
              auto entries = repo.audit(std::nullopt);
              const std::size_t total = entries.size();
              if (total > shown)
                entries.erase(entries.begin(), entries.end() - static_cast<long>(shown));
              const Html b =
                  "<h1>Audit</h1>"_html +
                  (total > shown
                       ? "<p>The latest "_html + std::to_string(shown) + " of "_html +
                             std::to_string(total) +
                             " entries; <code>titrate audit</code> lists them all.</p>"_html
                       : Html()) +
                  clinic_audit_table(entries, true) + "<p><a href=\""_html + home +
                  "\">Back to "_html + home_words + "</a></p>"_html;
              send_html(c.res, 200, page("Audit", b, u.name, u.csrf, u.role));
            }));
    svr.Get(section + "/patients/([^/]+)/audit",
            guarded(false, [this, pages, home, home_words, section](Call &c) {
              const std::string id = c.req.matches[1];
              const StaffUser u = require_staff(c, app::Permission::read_audit);
              app::authorize(c.actor, pages);
              c.patient = id;
              existing_patient(id);
              const Html back = section == "/clinic"
                                    ? clinic_back_link(id)
                                    : "<p><a href=\""_html + home + "\">Back to "_html +
                                          home_words + "</a></p>"_html;
              const Html b = "<h1>Audit of patient "_html + id + "</h1>"_html +
                             clinic_audit_table(repo.audit(id), false) + back;
              send_html(c.res, 200, page("Audit of patient " + id, b, u.name, u.csrf, u.role));
            }));
  };
  audit_routes("/clinic", app::Permission::use_clinic_pages, "/clinic/", "the clinic");
  audit_routes("/pharmacy", app::Permission::use_pharmacy_pages, "/pharmacy/", "the review queue");
}

} // namespace titrate::web
