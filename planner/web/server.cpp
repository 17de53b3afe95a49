#include "planner/web/server.hpp"

#include "planner/app/authorize.hpp"
#include "planner/app/observations.hpp"
#include "planner/app/plans.hpp"
#include "planner/app/reviews.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/plausible.hpp"
#include "planner/core/text.hpp"
#include "planner/export/json.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/forms.hpp"
#include "planner/web/html.hpp"
#include "planner/web/pages.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

namespace titrate::web {

void parse_listen(const std::string &text, std::string &host, int &port) {
  const auto colon = text.rfind(':');
  const auto bad = [&] {
    return InputError("--listen: \"" + text.substr(0, 64) +
                      "\" is not HOST:PORT; expected e.g. 127.0.0.1:8080 (port 1-65535)");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) throw bad();
  const std::string p = text.substr(colon + 1);
  int v = 0;
  const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
  if (ec != std::errc() || ptr != p.data() + p.size() || v < 1 || v > 65535) throw bad();
  host = text.substr(0, colon);
  port = v;
}

namespace {

using httplib::Request;
using httplib::Response;

const char *const session_cookie = "titrate_session";
const char *const login_cookie = "titrate_login";

// Thrown by a handler to send the browser elsewhere (no session: the login page).
struct Redirect {
  std::string location;
};

struct StaffUser {
  std::string name;
  std::string role;
  std::string csrf;
  std::string id_hash;
};

// One request in flight: what the audit needs if it is refused.
struct Call {
  Call(const Request &rq, Response &rs, std::mutex &m, bool is_api)
      : req(rq), res(rs), lock(m), api(is_api) {}
  const Request &req;
  Response &res;
  std::unique_lock<std::mutex> lock;
  Actor actor{"anonymous", "anonymous"};
  std::string patient; // the patient concerned, for the audit
  bool api = false;
};

std::string cookie_value(const Request &req, const std::string &name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    const auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

// The request as the audit shows it: method and path, a patient token replaced by {token}.
std::string what_was_tried(const Request &req) {
  std::string path = req.path;
  if (path.rfind("/p/", 0) == 0) {
    const auto slash = path.find('/', 3);
    path = "/p/{token}" + (slash == std::string::npos ? std::string() : path.substr(slash));
  }
  return req.method + " " + path;
}

void send_html(Response &res, int status, const std::string &html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_content(html, "text/html; charset=utf-8");
}

void send_json(Response &res, int status, const nlohmann::json &j) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(j.dump(2) + "\n", "application/json");
}

void redirect(Response &res, const std::string &location) {
  res.status = 303;
  res.set_header("Location", location);
  res.set_header("Cache-Control", "no-store");
}

std::string param(const Request &req, const std::string &name) {
  return form_field(req.params, name);
}


std::string cookie_header(const std::string &name, const std::string &value, std::int64_t max_age,
                          const std::string &path = "/") {
  return name + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict";
}

std::string utc_text(std::int64_t t) {
  const boost::posix_time::ptime epoch(Date(1970, 1, 1));
  const auto p = epoch + boost::posix_time::seconds(static_cast<long>(t));
  const auto tod = p.time_of_day();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d UTC", iso(p.date()).c_str(),
                static_cast<int>(tod.hours()), static_cast<int>(tod.minutes()));
  return buf;
}

// A measured value without trailing zeros: 65, 0.8, 70.5 (style.md: never "65.0 kg").
std::string measure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

} // namespace

struct WebServer::Impl {
  Repository &repo;
  Accounts &accounts;
  const Formulary &formulary;
  const std::vector<Pathway> &pathways;
  WebConfig cfg;
  httplib::Server svr;
  std::mutex mutex;
  std::thread thread;
  int port = 0;
  std::string dummy_hash; // verified against for unknown users, so timing reveals nothing
  std::unique_ptr<CdsMount> cds; // the CDS Hooks routes' state (cds_hooks.cpp), when enabled

  Impl(Repository &r, Accounts &a, const Formulary &f, const std::vector<Pathway> &p, WebConfig c)
      : repo(r), accounts(a), formulary(f), pathways(p), cfg(std::move(c)) {
    crypto_init();
    dummy_hash = hash_password(random_token());
    const int threads = std::max(4, cfg.threads);
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    svr.set_keep_alive_max_count(1000);
    svr.set_payload_max_length(64 * 1024); // a form or a score is a few hundred bytes
    routes();
    if (cfg.cds) {
      cds = std::make_unique<CdsMount>(
          CdsMount{repo, formulary, pathways, mutex, cfg.today, cfg.now, *cfg.cds});
      mount_cds_hooks(svr, *cds);
    }
  }

  // ---- the one place that maps failures to responses (and refusals to the audit) ----
  template <class F> httplib::Server::Handler guarded(bool api, F body) {
    return [this, api, body](const Request &req, Response &res) {
      Call call(req, res, mutex, api);
      const auto fail = [&](int status, const std::string &title, const std::string &message) {
        if (call.api) {
          send_json(res, status, {{"error", message}});
        } else {
          send_html(res, status,
                    page(title, "<section class=\"error\"><h1>" + esc(title) + "</h1><p>" +
                                    esc(message) + "</p><p>Use your browser's Back button to "
                                    "return.</p></section>"));
        }
      };
      try {
        body(call);
      } catch (const Redirect &r) {
        if (call.api) {
          refuse_audit(call, "not signed in");
          fail(403, "Refused", "sign in, or send the patient's token as Authorization: Bearer");
        } else {
          redirect(res, r.location);
        }
      } catch (const RefusedError &e) {
        refuse_audit(call, e.what());
        fail(403, "Refused", e.what());
      } catch (const NotFoundError &e) {
        fail(404, "Not found", e.what());
      } catch (const InputError &e) {
        fail(400, "Please check what you entered", e.what());
      } catch (const DataError &e) {
        fail(400, "Please check what you entered", e.what());
      } catch (const std::exception &e) {
        fail(500, "Internal error", std::string("internal error: ") + e.what());
      }
    };
  }

  void refuse_audit(Call &call, const std::string &why) {
    if (!call.lock.owns_lock()) call.lock.lock();
    try {
      repo.append_audit(call.actor, "web.refused", call.patient,
                        what_was_tried(call.req) + ": " + why);
    } catch (const std::exception &) {
      // The refusal itself must still be sent; the audit failure is an internal problem that
      // the next write will surface.
    }
  }

  // ---- authentication ----
  std::optional<StaffUser> staff_session(const Request &req) {
    const std::string id = cookie_value(req, session_cookie);
    if (id.empty() || id.size() > 64) return std::nullopt;
    const auto s = accounts.session(token_digest(id));
    if (!s || s->expires <= cfg.now()) return std::nullopt;
    const auto u = accounts.user(s->user);
    if (!u) return std::nullopt;
    return StaffUser{u->name, u->role, s->csrf, s->id_hash};
  }

  // A staff page: no session -> the login page; a role the authorization table does not allow
  // -> refused (403, audited).
  StaffUser require_staff(Call &call, app::Permission permission) {
    auto u = staff_session(call.req);
    if (!u) throw Redirect{"/login"};
    call.actor = Actor{u->name, u->role};
    app::authorize(call.actor, permission);
    return *u;
  }

  // Every staff form posts the session's csrf token; a missing or foreign one is refused.
  void require_csrf(const Call &call, const StaffUser &u, const std::string &given) {
    if (!equal_secret(given, u.csrf)) {
      throw RefusedError(given.empty() ? "missing CSRF token" : "foreign CSRF token");
    }
    (void)call;
  }

  // The patient a link token opens; nullopt for a malformed, unknown or revoked token.
  std::optional<std::string> token_patient(const std::string &token) {
    if (token.size() != 32 ||
        token.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return std::nullopt;
    }
    const auto l = accounts.link(token_digest(token));
    if (!l || l->revoked) return std::nullopt;
    return l->patient;
  }

  // A patient page: a wrong or revoked token is 404 and reveals nothing (not even whether the
  // token ever existed); the attempt is audited without the token.
  PatientRecord require_link(Call &call, const std::string &token) {
    const auto id = token_patient(token);
    if (!id) {
      call.actor = Actor{"anonymous", "patient"};
      refuse_audit(call, "unknown or revoked patient link");
      throw NotFoundError("This link does not open anything. Ask your clinic for a new one.");
    }
    call.actor = Actor{*id, "patient"};
    call.patient = *id;
    const auto p = repo.patient(*id);
    if (!p) throw NotFoundError("This link does not open anything. Ask your clinic for a new one.");
    return *p;
  }

  // API callers: the staff session (roles given) or a patient's bearer token for their own data.
  // POSTs with a session cookie also need the X-CSRF-Token header.
  void require_api(Call &call, const std::string &patient_id, app::Permission permission) {
    call.patient = patient_id;
    const std::string auth = call.req.get_header_value("Authorization");
    if (!auth.empty()) {
      const std::string prefix = "Bearer ";
      const auto id = auth.rfind(prefix, 0) == 0 ? token_patient(auth.substr(prefix.size()))
                                                 : std::nullopt;
      if (!id) throw RefusedError("invalid or revoked bearer token");
      call.actor = Actor{*id, "patient"};
      app::authorize(call.actor, permission, &patient_id);
      return;
    }
    const auto u = staff_session(call.req);
    if (!u) throw Redirect{"/login"};
    call.actor = Actor{u->name, u->role};
    app::authorize(call.actor, permission, &patient_id);
    if (call.req.method == "POST") {
      require_csrf(call, *u, call.req.get_header_value("X-CSRF-Token"));
    }
  }

  const Pathway *find_pathway(const std::string &name) const {
    for (const auto &p : pathways)
      if (p.name == name) return &p;
    return nullptr;
  }

  std::string chart_for(const PlanVersion &v, const Patient &p, const std::vector<ScoreEntry> &s) {
    const ExportContext c = app::export_context(repo, v, p, pathways, "UTC");
    return chart(ExportInput{v.plan, p, formulary, s, c});
  }

  // ---- score and side-effect logging: the CLI's validation (cmd_log.cpp), the same calls ----
  LocalDateTime now_local() const {
    const int m = cfg.minute_of_day ? cfg.minute_of_day() : 0;
    return LocalDateTime{cfg.today(), std::clamp(m, 0, 1439)};
  }

  void routes();
  void patient_page(Call &c, const std::string &token, const std::string &flash);
  void login_page(Call &c, int status, const std::string &message);
  void login_post(Call &c);
  void pharmacy_queue(Call &c);
  void pharmacy_version(Call &c, const std::string &id, int version, const std::string &flash);
  void clinic_home(Call &c);
  void clinic_patient(Call &c, const std::string &id, const std::string &flash);
  void clinic_draft(Call &c, const std::string &id);
};

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
  if (flash == "score") b += "<section class=\"ok\" role=\"status\">Your pain score is saved. Thank you.</section>";
  if (flash == "effect") b += "<section class=\"ok\" role=\"status\">Your side effect is saved. Your clinic will see it.</section>";

  b += "<section><h2>Today's doses (" + esc(iso(today)) + ")</h2>";
  if (active) {
    b += doses_on(active->plan, formulary, today);
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
       "<form method=\"post\" action=\"" + esc(base + "/scores") + "\">"
       "<fieldset><legend>0 means no pain, 10 the worst "
       "pain you can imagine.</legend><div class=\"picker\">";
  for (int i = 0; i <= 10; ++i) {
    const std::string v = std::to_string(i);
    b += "<label><input type=\"radio\" name=\"score\" value=\"" + v + "\" required" +
         "><span>" + v + "</span></label>";
  }
  b += "</div><div class=\"scale\"><span>0 no pain</span><span>10 worst pain</span></div>"
       "</fieldset><label for=\"note\">Note (optional)</label>"
       "<textarea id=\"note\" name=\"note\" rows=\"2\" maxlength=\"1000\"></textarea>"
       "<p><button type=\"submit\">Save my pain score</button></p></form></section>";

  b += "<section><h2>Report a side effect</h2><form method=\"post\" action=\"" +
       esc(base + "/adverse-effects") + "\">"
       "<label for=\"description\">What happened?</label>"
       "<input type=\"text\" id=\"description\" name=\"description\" maxlength=\"500\" required>"
       "<label for=\"severity\">How bad is it?</label><select id=\"severity\" name=\"severity\">"
       "<option value=\"mild\">Mild: I notice it</option>"
       "<option value=\"moderate\">Moderate: it gets in the way</option>"
       "<option value=\"severe\">Severe: I cannot do my usual things</option>"
       "<option value=\"intolerable\">Intolerable: I cannot go on like this</option></select>"
       "<p><button type=\"submit\">Report side effect</button></p>"
       "<p class=\"muted\">If you feel very unwell, call your clinic or emergency services now.</p>"
       "</form></section>";

  b += "<section><h2>Your pain chart</h2>";
  if (active) b += chart_for(*active, p, scores);
  b += "<h3>Your last scores</h3>";
  if (scores.empty()) {
    b += "<p>No scores yet.</p>";
  } else {
    b += "<table><thead><tr><th>When</th><th>Score</th><th>Note</th></tr></thead><tbody>";
    const std::size_t from = scores.size() > 14 ? scores.size() - 14 : 0;
    for (std::size_t i = scores.size(); i-- > from;) {
      const auto &s = scores[i];
      b += "<tr><td>" + esc(iso(s.at)) + "</td><td>" + std::to_string(s.score.value()) +
           "</td><td>" + esc(s.note) + "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "<h3>Side effects you reported</h3>";
  if (effects.empty()) {
    b += "<p>None.</p>";
  } else {
    b += "<ul>";
    for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
      b += "<li>" + esc(iso(it->at)) + ": " + esc(it->description) + " (" +
           esc(to_string(it->severity)) + ")</li>";
    }
    b += "</ul>";
  }
  b += "</section>";
  send_html(c.res, 200, page("Your pain diary", b));
  c.res.set_header("Referrer-Policy", "no-referrer");
}

// ---------------------------------------------------------------- login

void WebServer::Impl::login_page(Call &c, int status, const std::string &message) {
  const std::string t = random_token();
  std::string b = "<section><h1>Staff sign in</h1>";
  if (!message.empty()) b += "<p class=\"warn\" role=\"alert\">" + esc(message) + "</p>";
  b += "<form method=\"post\" action=\"/login\">" + csrf_field(t) +
       "<label for=\"user\">User name</label><input type=\"text\" id=\"user\" name=\"user\" "
       "autocomplete=\"username\" required>"
       "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" "
       "name=\"password\" autocomplete=\"current-password\" required>"
       "<p><button type=\"submit\">Sign in</button></p></form></section>"
       "<p class=\"muted\">Patients: open the personal link your clinic gave you.</p>";
  send_html(c.res, status, page("Sign in", b));
  // Login CSRF: the form's token must come back with this cookie (double submit).
  c.res.set_header("Set-Cookie", cookie_header(login_cookie, t, 3600, "/login"));
}

void WebServer::Impl::login_post(Call &c) {
  const std::string name = param(c.req, "user");
  const std::string password = param(c.req, "password");
  c.actor = Actor{name.empty() ? "anonymous" : name.substr(0, 64), "anonymous"};
  if (!equal_secret(param(c.req, "csrf"), cookie_value(c.req, login_cookie))) {
    throw RefusedError(param(c.req, "csrf").empty() ? "missing CSRF token" : "foreign CSRF token");
  }
  const std::int64_t now = cfg.now();
  auto u = accounts.user(name);
  if (u && u->locked_until > now) {
    refuse_audit(c, "login refused: account locked until " + utc_text(u->locked_until));
    login_page(c, 403, "This account is locked until " + utc_text(u->locked_until) + " after " +
                           std::to_string(max_failed_logins) + " failed sign-ins.");
    return;
  }
  // Argon2id takes a while on purpose: verify outside the lock so others are served meanwhile.
  const std::string hash = u ? u->password_hash : dummy_hash;
  c.lock.unlock();
  const bool ok = verify_password(password, hash) && u.has_value();
  c.lock.lock();
  if (!ok) {
    std::string why = "login failed: wrong user name or password";
    if (u) {
      // Counted by the database in one statement: another request, here or on another server
      // on the same database, may be counting a failure of the same account at this moment.
      if (accounts.record_failed_login(name, max_failed_logins, now + lock_seconds) >=
          max_failed_logins) {
        why += "; account locked for 15 minutes";
      }
    }
    refuse_audit(c, why);
    login_page(c, 403, "Wrong user name or password.");
    return;
  }
  accounts.set_login_state(name, 0, 0);
  accounts.delete_expired_sessions(now);
  const std::string id = random_token();
  accounts.add_session(Session{token_digest(id), u->name, random_token(), now + cfg.session_seconds});
  c.actor = Actor{u->name, u->role};
  repo.append_audit(c.actor, "web.login", "", "signed in");
  c.res.set_header("Set-Cookie", cookie_header(session_cookie, id, cfg.session_seconds));
  redirect(c.res, u->role == "pharmacist" ? "/pharmacy/" : "/clinic/");
}

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
      const std::string href = "/pharmacy/patients/" + v.patient + "/versions/" + std::to_string(v.version);
      b += "<tr><td><a href=\"" + esc(href) + "\">" + esc(v.patient) + "</a></td><td>" +
           std::to_string(v.version) + "</td><td>" + esc(v.plan.pathway) + "</td><td>" +
           esc(iso(v.plan.start)) + "</td><td>" + esc(v.drafted_by) + "</td><td>" +
           esc(v.submitted_by.value_or("")) + " " + esc(v.submitted_at.value_or("")) + "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "</section>";
  send_html(c.res, 200, page("Review queue", b, u.name, u.csrf));
}

void WebServer::Impl::pharmacy_version(Call &c, const std::string &id, int version,
                                       const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_pharmacy_pages);
  c.patient = id;
  validate_patient_id(id);
  const auto rec = repo.patient(id);
  if (!rec) throw NotFoundError("patient " + id + ": not found");
  const auto v = repo.plan_version(id, version);
  if (!v) throw NotFoundError("plan of " + id + ": no version " + std::to_string(version));
  // The diff is against the latest version approved before this one (as `review show`).
  std::optional<PlanVersion> before;
  const auto reviews = repo.reviews(id);
  for (const auto &r : reviews) {
    if (r.verdict == Verdict::approved && r.version < v->version) before = repo.plan_version(id, r.version);
  }
  const words::Lines diff = words::diff(before ? &before->plan : nullptr, v->plan, formulary);

  std::string b = "<h1>Plan of " + esc(id) + ", version " + std::to_string(v->version) + "</h1>";
  if (flash == "approved") b += "<section class=\"ok\" role=\"status\">Approved: this version is now the active schedule.</section>";
  if (flash == "rejected") b += "<section class=\"ok\" role=\"status\">Rejected; the clinician will see your reason.</section>";
  b += "<section><p>Status: <strong id=\"status\">" + esc(to_string(v->status)) +
       "</strong>. Drafted by " + esc(v->drafted_by) + " at " + esc(v->drafted_at);
  if (v->submitted_by) b += ", submitted by " + esc(*v->submitted_by) + " at " + esc(v->submitted_at.value_or(""));
  b += ". Pathway " + esc(v->plan.pathway) + ", start " + esc(iso(v->plan.start)) + ".</p>";
  if (!v->note.empty()) b += "<p>Note: " + esc(v->note) + "</p>";
  b += "</section>";

  b += "<section><h2>Lint findings</h2>";
  if (const Pathway *pw = find_pathway(v->plan.pathway)) {
    b += findings_list(lint(v->plan, rec->patient, formulary, *pw, cfg.today()), &formulary);
  } else {
    b += "<p class=\"warn\">Pathway " + esc(v->plan.pathway) +
         " is not loaded; the findings stored with the plan:</p>" + findings_list(v->plan.lint);
  }
  if (!v->plan.unchecked_medications.empty()) {
    b += "<p class=\"warn\">Not checked: unknown medication";
    for (const auto &m : v->plan.unchecked_medications) b += " " + esc(m);
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
    b += words_html(diff);
  }
  b += "</section><section><h2>Plan</h2>" + plan_html(v->plan, formulary) + "</section>";

  b += "<section><h2>Reviews</h2>";
  bool any = false;
  for (const auto &r : reviews) {
    if (r.version != v->version) continue;
    any = true;
    b += "<p>" + esc(to_string(r.verdict)) + " by " + esc(r.pharmacist) + " at " + esc(r.at) +
         (r.note.empty() ? "" : ": " + esc(r.note)) + "</p>";
  }
  if (!any) b += "<p>None yet.</p>";
  if (v->status == PlanStatus::submitted) {
    const std::string act = "/pharmacy/patients/" + id + "/versions/" + std::to_string(v->version);
    b += "<form method=\"post\" action=\"" + esc(act + "/approve") + "\">" + csrf_field(u.csrf) +
         "<p><button type=\"submit\" id=\"approve\">Approve version " + std::to_string(v->version) +
         "</button></p></form><form method=\"post\" action=\"" + esc(act + "/reject") + "\">" +
         csrf_field(u.csrf) +
         "<label for=\"reason\">Reason for rejecting</label><textarea id=\"reason\" name=\"reason\" "
         "rows=\"2\" required></textarea><p><button class=\"danger\" type=\"submit\" id=\"reject\">"
         "Reject</button></p></form>";
  }
  b += "</section>";
  send_html(c.res, 200, page("Review " + id, b, u.name, u.csrf));
}

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
  std::string b = "<h1>Clinic</h1><section><h2>Due by " + esc(iso(today + Days(within))) +
                  "</h2><form method=\"get\" action=\"/clinic/\" class=\"inline\">"
                  "<label for=\"within\">Days ahead</label><input type=\"text\" inputmode=\"numeric\" "
                  "id=\"within\" name=\"within\" value=\"" + std::to_string(within) +
                  "\" style=\"max-width:6rem\"> <button type=\"submit\">Show</button></form>";
  if (due.empty()) {
    b += "<p>No decision or review dates on or before " + esc(iso(today + Days(within))) + ".</p>";
  } else {
    b += "<table><thead><tr><th>Patient</th><th>Drug</th><th>Assessment</th><th>When</th>"
         "<th>Scores in window</th></tr></thead><tbody>";
    for (const auto &e : due) {
      const std::string when = e.days_until > 0   ? "in " + std::to_string(e.days_until) + " days"
                               : e.days_until == 0 ? "today"
                                                   : std::to_string(-e.days_until) + " days overdue";
      b += "<tr><td><a href=\"" + esc("/clinic/patients/" + e.patient) + "\">" + esc(e.patient) +
           "</a></td><td>" + esc(words::drug(formulary, e.drug)) + "</td><td>" +
           (e.review ? "maintenance review " : "decision date ") + esc(iso(e.decision_date)) +
           "</td><td>" +
           esc(when) + "</td><td>" + std::to_string(e.window_days_with_scores) + " of " +
           std::to_string(e.window_days) + " days" +
           (e.missing_scores ? " <span class=\"warn\">missing scores</span>" : "") + "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "</section><section><h2>Patients</h2><ul>";
  for (const auto &r : repo.patients()) {
    b += "<li><a href=\"" + esc("/clinic/patients/" + r.patient.id) + "\">" + esc(r.patient.id) + "</a></li>";
  }
  b += "</ul></section>";
  send_html(c.res, 200, page("Clinic", b, u.name, u.csrf));
}

void WebServer::Impl::clinic_patient(Call &c, const std::string &id, const std::string &flash) {
  const StaffUser u = require_staff(c, app::Permission::use_clinic_pages);
  c.patient = id;
  validate_patient_id(id);
  const auto rec = repo.patient(id);
  if (!rec) throw NotFoundError("patient " + id + ": not found");
  const Patient &p = rec->patient;
  const Date today = cfg.today();

  std::string b = "<h1>Patient " + esc(id) + "</h1>";
  if (!flash.empty()) b += "<section class=\"ok\" role=\"status\">" + esc(flash) + "</section>";
  b += "<section><h2>Profile (version " + std::to_string(rec->version) + ")</h2><table><tbody>";
  const auto row = [&](const std::string &k, const std::string &v) {
    b += "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
  };
  const auto join = [](const std::vector<std::string> &xs) {
    std::string s;
    for (const auto &x : xs) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("none") : s;
  };
  row("Birth date", iso(p.birth_date) + " (age " + std::to_string(age_in_years(p.birth_date, today)) + ")");
  row("Sex", std::string(to_string(p.sex)));
  row("Weight", measure(p.weight_kg) + " kg");
  if (p.crcl_ml_min) row("Creatinine clearance (entered)", measure(*p.crcl_ml_min) + " mL/min");
  if (p.serum_creatinine_mg_dl) row("Serum creatinine", measure(*p.serum_creatinine_mg_dl) + " mg/dL");
  row("Hepatic impairment", std::string(to_string(p.hepatic)));
  row("Conditions", join(p.conditions));
  row("Medications", join(p.medications));
  if (p.baseline_pain) row("Baseline pain", std::to_string(p.baseline_pain->value()) + " of 10");
  b += "</tbody></table></section>";

  b += "<section><h2>Eligibility on " + esc(iso(today)) + "</h2>";
  try {
    const EligibilityReport r = check_eligibility(p, formulary, today);
    b += "<p>Creatinine clearance " + esc(words::number(r.crcl_ml_min, 1)) +
         " mL/min" + (r.crcl_given ? " (as entered)" : " (Cockcroft-Gault)") + ".</p>";
    if (r.pregnancy) b += "<p class=\"warn\">Pregnancy: every drug needs specialist review.</p>";
    b += "<table><thead><tr><th>Drug</th><th>Verdict</th><th>Maximum daily</th><th>Reasons</th></tr></thead><tbody>";
    for (const auto &d : r.drugs) {
      b += "<tr><td>" + esc(words::drug(formulary, d.drug)) + "</td><td>" + esc(to_string(d.verdict)) +
           (d.available_from ? " (from " + esc(iso(*d.available_from)) + ")" : "") + "</td><td>" +
           (d.max_daily ? esc(d.max_daily->str()) : "") + "</td><td>" +
           (d.reasons.empty() ? "" : findings_list(d.reasons, &formulary)) + "</td></tr>";
    }
    b += "</tbody></table>";
    for (const auto &m : r.unchecked_medications) b += "<p class=\"warn\">" + esc(m) + "</p>";
  } catch (const Error &e) {
    b += "<p class=\"warn\">Eligibility cannot be checked: " + esc(e.what()) + "</p>";
  }
  b += "</section>";

  const auto active = repo.active_plan(id);
  const auto scores = repo.scores(id);
  b += "<section><h2>Active schedule</h2>";
  if (active) {
    b += "<p>Plan version " + std::to_string(active->version) + ", approved.</p>" + plan_html(active->plan, formulary);
  } else {
    b += "<p>No approved plan.</p>";
  }
  b += "</section><section><h2>Plan versions</h2>";
  const auto versions = repo.plan_versions(id);
  if (versions.empty()) b += "<p>None.</p>";
  else {
    b += "<table><thead><tr><th>Version</th><th>Status</th><th>Drafted by</th><th>Note</th></tr></thead><tbody>";
    for (const auto &v : versions) {
      b += "<tr><td>" + std::to_string(v.version) + "</td><td>" + esc(to_string(v.status)) +
           "</td><td>" + esc(v.drafted_by) + " " + esc(v.drafted_at) + "</td><td>" + esc(v.note) + "</td></tr>";
    }
    b += "</tbody></table>";
    for (const auto &r : repo.reviews(id)) {
      if (r.verdict == Verdict::rejected) {
        b += "<p>Version " + std::to_string(r.version) + " rejected by " + esc(r.pharmacist) + ": " + esc(r.note) + "</p>";
      }
    }
  }
  b += "</section><section><h2>Pain chart and scores</h2>";
  if (active) b += chart_for(*active, p, scores);
  if (scores.empty()) b += "<p>No scores.</p>";
  else {
    b += "<table><thead><tr><th>When</th><th>Score</th><th>Note</th></tr></thead><tbody>";
    for (auto it = scores.rbegin(); it != scores.rend(); ++it) {
      b += "<tr><td>" + esc(iso(it->at)) + "</td><td>" + std::to_string(it->score.value()) +
           "</td><td>" + esc(it->note) + "</td></tr>";
    }
    b += "</tbody></table>";
  }
  b += "<h3>Adverse effects</h3>";
  const auto effects = repo.adverse_effects(id);
  if (effects.empty()) b += "<p>None.</p>";
  for (const auto &e : effects) {
    b += "<p>" + esc(iso(e.at)) + ": " + esc(e.description) + " (" + esc(to_string(e.severity)) + ")</p>";
  }
  b += "</section><section><h2>Decisions</h2>";
  const auto decisions = repo.decisions(id);
  if (decisions.empty()) b += "<p>None recorded.</p>";
  for (const auto &d : decisions) {
    b += "<p>" + esc(iso(d.assessment.date)) + " " + esc(d.assessment.drug) + ": <strong>" +
         esc(to_string(d.assessment.decision)) + "</strong> [" + esc(d.assessment.rule) + "; " +
         esc(d.assessment.source) + "] by " + esc(d.recorded_by) + "</p>";
  }
  b += "</section>";

  b += "<section><h2>Draft a plan</h2><form method=\"post\" action=\"" +
       esc("/clinic/patients/" + id + "/plans") + "\">" + csrf_field(u.csrf) +
       "<label for=\"start\">Start date</label><input type=\"date\" id=\"start\" name=\"start\" "
       "value=\"" + esc(iso(today)) + "\" required><label for=\"pathway\">Pathway</label>"
       "<select id=\"pathway\" name=\"pathway\">";
  for (const auto &pw : pathways) {
    b += "<option value=\"" + esc(pw.name) + "\">" + esc(pw.name) + ": " + esc(pw.title) + "</option>";
  }
  b += "</select><label for=\"prefer\">Preferred drug (optional)</label><select id=\"prefer\" "
       "name=\"prefer\"><option value=\"\">first eligible in pathway order</option>";
  for (const auto &m : formulary.drugs) b += "<option value=\"" + esc(m.name) + "\">" + esc(m.name) + "</option>";
  b += "</select><label for=\"reason\">Why this drug (needed with a preferred drug)</label>"
       "<input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"500\">";
  b += "<label><input type=\"checkbox\" name=\"submit\" value=\"1\" checked> Submit for "
       "pharmacist review</label><p><button type=\"submit\" id=\"draft\">Draft plan</button></p>"
       "</form></section>";
  send_html(c.res, 200, page("Patient " + id, b, u.name, u.csrf));
}

void WebServer::Impl::clinic_draft(Call &c, const std::string &id) {
  const StaffUser u = require_staff(c, app::Permission::draft_plan);
  c.patient = id;
  require_csrf(c, u, param(c.req, "csrf"));
  validate_patient_id(id);
  const PlanDraftForm form = plan_draft_from_form(c.req.params);
  const Pathway *pw = find_pathway(form.pathway);
  if (!pw) throw NotFoundError("pathway \"" + printable(form.pathway, 64) + "\": not found");
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
  redirect(c.res, "/clinic/patients/" + id + "?drafted=" + std::to_string(version) +
                      (submit ? "&submitted=1" : ""));
}

// ---------------------------------------------------------------- routes

void WebServer::Impl::routes() {
  svr.Get("/", guarded(false, [](Call &c) { redirect(c.res, "/login"); }));
  svr.Get("/login", guarded(false, [this](Call &c) {
    if (const auto u = staff_session(c.req)) {
      redirect(c.res, u->role == "pharmacist" ? "/pharmacy/" : "/clinic/");
      return;
    }
    login_page(c, 200, "");
  }));
  svr.Post("/login", guarded(false, [this](Call &c) { login_post(c); }));
  svr.Post("/logout", guarded(false, [this](Call &c) {
    const auto u = staff_session(c.req);
    if (!u) throw Redirect{"/login"};
    c.actor = Actor{u->name, u->role};
    require_csrf(c, *u, param(c.req, "csrf"));
    accounts.delete_session(u->id_hash);
    repo.append_audit(c.actor, "web.logout", "", "signed out");
    c.res.set_header("Set-Cookie", cookie_header(session_cookie, "", 0));
    redirect(c.res, "/login");
  }));

  // Patient pages: the token is the only credential; a POST to it needs no CSRF token, since a
  // forged form would have to know the secret URL.
  svr.Get(R"(/p/([^/]+))", guarded(false, [this](Call &c) {
    const std::string flash = c.req.has_param("saved") ? c.req.get_param_value("saved") : "";
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
    const AdverseEffect ae = adverse_effect_from_form(c.req.params, now_local(), cfg.today());
    app::record_adverse_effect(repo, rec.patient.id, ae, c.actor, cfg.today());
    redirect(c.res, "/p/" + token + "?saved=effect");
  }));

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

  svr.Get("/clinic", guarded(false, [](Call &c) { redirect(c.res, "/clinic/"); }));
  svr.Get("/clinic/", guarded(false, [this](Call &c) { clinic_home(c); }));
  svr.Get(R"(/clinic/patients/([^/]+))", guarded(false, [this](Call &c) {
    std::string flash;
    if (c.req.has_param("drafted")) {
      flash = "Drafted plan version " + c.req.get_param_value("drafted").substr(0, 9) +
              (c.req.has_param("submitted") ? " and submitted it for pharmacist review." : ".");
    }
    clinic_patient(c, c.req.matches[1], flash);
  }));
  svr.Post(R"(/clinic/patients/([^/]+)/plans)", guarded(false, [this](Call &c) {
    clinic_draft(c, c.req.matches[1]);
  }));

  // ---- JSON API: the shapes of the CLI's --json (design.md §6) ----
  svr.Get(R"(/api/patients/([^/]+)/schedule)", guarded(true, [this](Call &c) {
    const std::string id = c.req.matches[1];
    require_api(c, id, app::Permission::read_plan);
    validate_patient_id(id);
    if (!repo.patient(id)) throw NotFoundError("patient " + id + ": not found");
    const auto active = repo.active_plan(id);
    if (!active) throw NotFoundError("schedule " + id + ": no approved plan");
    nlohmann::json j = to_json(active->plan);
    j["version"] = active->version;
    j["status"] = std::string(to_string(active->status));
    send_json(c.res, 200, j);
  }));
  svr.Get(R"(/api/patients/([^/]+)/check)", guarded(true, [this](Call &c) {
    const std::string id = c.req.matches[1];
    require_api(c, id, app::Permission::check_patient);
    validate_patient_id(id);
    const auto rec = repo.patient(id);
    if (!rec) throw NotFoundError("patient " + id + ": not found");
    send_json(c.res, 200, to_json(check_eligibility(rec->patient, formulary, cfg.today())));
  }));
  svr.Get("/api/due", guarded(true, [this](Call &c) {
    const auto u = staff_session(c.req);
    if (!u) {
      if (!c.req.get_header_value("Authorization").empty()) {
        c.actor = Actor{"anonymous", "patient"};
        throw RefusedError("a patient link may not read the due list");
      }
      throw Redirect{"/login"};
    }
    c.actor = Actor{u->name, u->role};
    app::authorize(c.actor, app::Permission::read_due);
    int within = 0;
    if (c.req.has_param("within")) {
      const std::string w = c.req.get_param_value("within");
      const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), within);
      if (ec != std::errc() || ptr != w.data() + w.size() || within < 0) {
        throw InputError("within: \"" + printable(w, 16) + "\" is not 0 or more days");
      }
    }
    const Date today = cfg.today();
    send_json(c.res, 200, due_json(due_list(repo, today, within, pathways), today, within));
  }));
  svr.Post(R"(/api/patients/([^/]+)/scores)", guarded(true, [this](Call &c) {
    const std::string id = c.req.matches[1];
    require_api(c, id, app::Permission::log_observation);
    validate_patient_id(id);
    const ScoreEntry s = score_from_json(c.req.body, now_local(), cfg.today());
    const auto row = app::record_score(repo, id, s, c.actor, cfg.today());
    send_json(c.res, 201, {{"patient", id}, {"kind", "score"}, {"id", row}, {"at", iso(s.at)},
                           {"score", s.score.value()}, {"note", s.note}, {"supersedes", nullptr}});
  }));
}

WebServer::WebServer(Repository &repo, Accounts &accounts, const Formulary &formulary,
                     const std::vector<Pathway> &pathways, WebConfig config)
    : impl_(std::make_unique<Impl>(repo, accounts, formulary, pathways, std::move(config))) {}

WebServer::~WebServer() { stop(); }

int WebServer::bind() {
  auto &i = *impl_;
  if (i.cfg.port == 0) {
    i.port = i.svr.bind_to_any_port(i.cfg.host);
  } else {
    i.port = i.svr.bind_to_port(i.cfg.host.c_str(), i.cfg.port) ? i.cfg.port : -1;
  }
  if (i.port <= 0) {
    throw InputError("--listen: cannot listen on " + i.cfg.host + ":" + std::to_string(i.cfg.port) +
                     " (in use, or not an address of this machine)");
  }
  return i.port;
}

void WebServer::run() { impl_->svr.listen_after_bind(); }

int WebServer::start() {
  const int p = bind();
  impl_->thread = std::thread([this] { impl_->svr.listen_after_bind(); });
  while (!impl_->svr.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return p;
}

void WebServer::stop() {
  if (!impl_) return;
  impl_->svr.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

} // namespace titrate::web
