#pragma once
// Inside `titrate serve` (internal to planner/web): the HTTP helpers, one request in flight
// (Call), and the server's state and handlers (WebServer::Impl), shared by the files that hold
// each audience's pages: server.cpp (failures, sessions, login, the routes), patient_pages.cpp,
// pharmacy_pages.cpp, clinic_pages.cpp and api.cpp (the JSON API).
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
#include "planner/store/repository_pool.hpp"
#include "planner/web/crypto.hpp"
#include "planner/web/forms.hpp"
#include "planner/web/group_commit.hpp"
#include "planner/web/html.hpp"
#include "planner/web/pages.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace titrate::web {

using httplib::Request;
using httplib::Response;

inline constexpr const char *session_cookie = "titrate_session";
inline constexpr const char *login_cookie = "titrate_login";

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
  Call(const Request &rq, Response &rs, RepositoryPool &pool, bool is_api)
      : req(rq), res(rs), lease(pool), api(is_api) {}
  const Request &req;
  Response &res;
  RepositoryPool::Lease lease; // one store connection for the whole request
  Actor actor{"anonymous", "anonymous", "web"};
  std::string patient; // the patient concerned, for the audit
  std::string back;    // a patient page: where an error page's "Back to your page" leads
  bool api = false;
  std::optional<StaffUser> staff; // signed in: error pages keep the header and a way home
  bool wrong_section = false;     // refused because the page is another role's
  bool counted = false;           // the refusal was counted (RefusalTally), not audited alone
};

inline std::string cookie_value(const Request &req, const std::string &name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string::npos)
      end = header.size();
    std::string part = header.substr(pos, end - pos);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    const auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name)
      return part.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

// The request as the audit shows it: method and path, a patient token replaced by {token}.
inline std::string what_was_tried(const Request &req) {
  std::string path = req.path;
  if (path.rfind("/p/", 0) == 0) {
    const auto slash = path.find('/', 3);
    path = "/p/{token}" + (slash == std::string::npos ? std::string() : path.substr(slash));
  }
  return req.method + " " + path;
}

inline void send_html(Response &res, int status, const Html &html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_content(html.str(), "text/html; charset=utf-8");
}

inline constexpr const char *nothing_saved = "Nothing was saved";

// An error page's way back: a patient's own page, else the browser's Back button.
inline Html back_link(const std::string &back) {
  if (back.empty())
    return "<p>Use your browser's Back button to return.</p>"_html;
  return "<p><a href=\""_html + back + "\">Back to your page</a></p>"_html;
}

inline void send_json(Response &res, int status, const nlohmann::json &j) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(j.dump(2) + "\n", "application/json");
}

inline void redirect(Response &res, const std::string &location) {
  res.status = 303;
  res.set_header("Location", location);
  res.set_header("Cache-Control", "no-store");
}

inline std::string param(const Request &req, const std::string &name) {
  return form_field(req.params, name);
}

// The due list's `within` query parameter (the clinic home and GET /api/due): days ahead, 0 to
// max_due_within_days as `titrate due --within`; `fallback` when absent. InputError naming the
// text otherwise.
inline int due_within_param(const Request &req, int fallback) {
  if (!req.has_param("within"))
    return fallback;
  const std::string w = req.get_param_value("within");
  int within = 0;
  const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), within);
  if (ec != std::errc() || ptr != w.data() + w.size() || within < 0 ||
      within > max_due_within_days) {
    throw InputError("within: \"" + printable(w, 16) + "\" is not a number of days 0-" +
                     std::to_string(max_due_within_days));
  }
  return within;
}

// `secure`: served over TLS (WebConfig::behind_tls), so the browser never sends it in clear.
inline std::string cookie_header(const std::string &name, const std::string &value,
                                 std::int64_t max_age, bool secure, const std::string &path = "/") {
  return name + "=" + value + "; Path=" + path + "; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

// The staff home of a role, and the section a path belongs to (for the refusal page).
inline std::string home_of(const std::string &role) {
  return role == "pharmacist" ? "/pharmacy/" : "/clinic/";
}

inline std::string section_owner(const std::string &path) {
  if (path.rfind("/pharmacy", 0) == 0)
    return "pharmacists";
  if (path.rfind("/clinic", 0) == 0)
    return "clinicians";
  return {};
}

inline std::string utc_text(std::int64_t t) {
  const boost::posix_time::ptime epoch(Date(1970, 1, 1));
  const auto p = epoch + boost::posix_time::seconds(static_cast<long>(t));
  const auto tod = p.time_of_day();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d UTC", iso(p.date()).c_str(),
                static_cast<int>(tod.hours()), static_cast<int>(tod.minutes()));
  return buf;
}

// A measured value without trailing zeros: 65, 0.8, 70.5 (style.md: never "65.0 kg").
inline std::string measure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct WebServer::Impl {
  // The store's connections: the one given, or the pool `serve` opened (RepositoryPool); each
  // request leases one (Call), and `repo` answers on the request's connection.
  std::unique_ptr<RepositoryPool> own_pool;
  RepositoryPool &pool;
  Repository &repo;
  Accounts &accounts;
  const Formulary &formulary;
  const std::vector<Pathway> &pathways;
  WebConfig cfg;
  httplib::Server svr;
  std::mutex tally_mutex; // around `tally`
  std::thread thread;
  int port = 0;
  socket_t listen_socket = -1;   // the listening socket (set by cpp-httplib's socket options)
  std::string dummy_hash;        // verified against for unknown users, so timing reveals nothing
  std::unique_ptr<CdsMount> cds; // the CDS Hooks routes' state (cds_hooks.cpp), when enabled
  LoginThrottle throttle;        // failed sign-ins per client and (client, name)
  VerifyGate gate;               // Argon2id checks at once
  RefusalTally tally;            // refusals counted per minute (under `tally_mutex`)
  GroupCommit writes{pool};      // the API's scores, committed together on one connection

  Impl(Repository &r, Accounts &a, const Formulary &f, const std::vector<Pathway> &p, WebConfig c)
      : own_pool(dynamic_cast<RepositoryPool *>(&r) == nullptr ? std::make_unique<RepositoryPool>(r)
                                                               : nullptr),
        pool(own_pool ? *own_pool : dynamic_cast<RepositoryPool &>(r)), repo(pool), accounts(a),
        formulary(f), pathways(p), cfg(std::move(c)), throttle(a, cfg.throttle),
        gate(cfg.login_verifications, cfg.login_queue) {
    crypto_init();
    dummy_hash = hash_password(random_token());
    const int threads = std::max(4, cfg.threads);
    svr.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    svr.set_keep_alive_max_count(1000);
    // cpp-httplib listens with a backlog of 5 (compiled into Debian's library), so a burst of
    // connections (a login flood, 50 load-test clients) overflowed the kernel's accept queue and
    // some were dropped unanswered; bind() raises it to SOMAXCONN on the socket seen here.
    // TCP_NODELAY on the listening socket, which Linux passes on to every accepted one: cpp-httplib
    // writes a response's headers and body separately, and with Nagle's algorithm against the
    // client's delayed ACK every keep-alive response after the first waited about 40 ms.
    svr.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      int one = 1;
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      listen_socket = sock;
    });
    svr.set_payload_max_length(64 * 1024); // a form or a score is a few hundred bytes
    routes();
    // Set in one place, so every response has them: pages, JSON, redirects, errors, CDS Hooks.
    svr.set_post_routing_handler([this](const Request &, Response &res) {
      if (!res.has_header("Referrer-Policy"))
        res.set_header("Referrer-Policy", "no-referrer"); // the patient's URL is a secret
      if (cfg.behind_tls && !res.has_header("Strict-Transport-Security"))
        res.set_header("Strict-Transport-Security", "max-age=31536000");
    });
    // A path no route knows: a page like the others' 404 (handlers' own errors are kept).
    svr.set_error_handler(httplib::Server::HandlerWithResponse([](const Request &, Response &res) {
      if (!res.body.empty())
        return httplib::Server::HandlerResponse::Unhandled;
      send_html(res, res.status,
                page("Not found", "<section class=\"error\"><h1>Not found</h1><p>There is no "
                                  "page here.</p><p><a href=\"/login\">Staff sign in</a></p>"
                                  "</section>"_html));
      return httplib::Server::HandlerResponse::Handled;
    }));
    if (cfg.cds) {
      // Used token ids live in the database, so a token used on one server is refused by every
      // other server on it (and after a restart). Accounts take one call at a time themselves,
      // so no store connection is leased for it.
      if (cfg.cds->verifier) {
        cfg.cds->verifier->share_replay_record(
            [this](const std::string &iss, const std::string &jti, std::int64_t exp,
                   std::int64_t now) { return accounts.use_once("cds:" + iss, jti, exp, now); });
      }
      cds = std::make_unique<CdsMount>(
          CdsMount{pool, formulary, pathways, cfg.today, cfg.now, *cfg.cds});
      mount_cds_hooks(svr, *cds);
    }
  }

  // ---- the one place that maps failures to responses (and refusals to the audit) ----
  template <class F> httplib::Server::Handler guarded(bool api, F body) {
    return [this, api, body](const Request &req, Response &res) {
      Call call(req, res, pool, api);
      write_tallies(cfg.now());
      const auto fail = [&](int status, const std::string &title, const std::string &message) {
        if (call.api) {
          send_json(res, status, {{"error", message}});
        } else {
          send_html(res, status, error_page(call, title, message));
        }
      };
      try {
        body(call);
      } catch (const Redirect &r) {
        if (call.api) {
          count_refusal(call, call.req.method + " /api: not signed in");
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
        fail(400, call.back.empty() ? "Please check what you entered" : nothing_saved, e.what());
      } catch (const DataError &e) {
        fail(400, call.back.empty() ? "Please check what you entered" : nothing_saved, e.what());
      } catch (const std::exception &e) {
        fail(500, "Internal error", std::string("internal error: ") + e.what());
      }
    };
  }

  // A refusal or error page: a signed-in user keeps the header (name, sections, sign out) and
  // gets a link home; told so when the page belongs to the other role.
  Html error_page(const Call &call, const std::string &title, const std::string &message) {
    Html b = "<section class=\"error\"><h1>"_html + title + "</h1>"_html;
    if (!call.staff) {
      b += "<p>"_html + message + "</p>"_html + back_link(call.back) + "</section>"_html;
      return page(title, b);
    }
    const StaffUser &u = *call.staff;
    const std::string owner = section_owner(call.req.path);
    if (call.wrong_section && !owner.empty()) {
      // Said in words first; the rule that refused it (as the audit has it) after.
      b += "<p id=\"wrong-section\">This page is for "_html + owner +
           ". You are signed in as "_html + u.name + ", a "_html + u.role +
           ", so it is not open to you.</p><p>Details: "_html + message + "</p>"_html;
    } else {
      b += "<p>"_html + message + "</p>"_html;
    }
    b += "<p><a id=\"home\" href=\""_html + home_of(u.role) + "\">Back to "_html +
         (u.role == "pharmacist" ? "the review queue"_html : "the clinic"_html) +
         "</a></p></section>"_html;
    return page(title, b, u.name, u.csrf, u.role);
  }

  // A refusal anyone can cause in bulk (an unknown link, a bad bearer token, ...): counted per
  // minute, the first of each minute written at once (RefusalTally). Holds the lease after.
  void count_refusal(Call &call, const std::string &kind) {
    call.lease.acquire();
    call.counted = true;
    bool first = false;
    {
      const std::lock_guard lock(tally_mutex);
      first = tally.count(kind, cfg.now());
    }
    if (first)
      audit_refusal(call.actor, kind + " (the first this minute; the others are counted)");
  }

  // The counts of minutes that are over, one audit row each. `now`: the clock, or the end of time
  // when the server stops. The rows go through the pool (on the caller's lease, if it holds one).
  void write_tallies(std::int64_t now) {
    std::vector<RefusalTally::Summary> due;
    {
      const std::lock_guard lock(tally_mutex);
      due = tally.take_due(now);
    }
    for (const auto &t : due) {
      audit_refusal(Actor{"anonymous", "anonymous", "web"},
                    std::to_string(t.more) + " more in the minute from " +
                        utc_text(t.minute_start) + ": " + t.kind +
                        " (counted, not written one by one)");
    }
  }

  void audit_refusal(const Actor &actor, const std::string &detail,
                     const std::string &patient = "") {
    try {
      repo.append_audit(actor, "web.refused", patient, detail);
    } catch (const std::exception &) {
      // The refusal itself must still be sent; the audit failure is an internal problem that
      // the next write will surface.
    }
  }

  void refuse_audit(Call &call, const std::string &why) {
    call.lease.acquire();
    if (call.counted)
      return;
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
    if (id.empty() || id.size() > 64)
      return std::nullopt;
    const auto s = accounts.session(token_digest(id));
    if (!s || s->expires <= cfg.now())
      return std::nullopt;
    const auto u = accounts.user(s->user);
    if (!u)
      return std::nullopt;
    return StaffUser{u->name, u->role, s->csrf, s->id_hash};
  }

  // A staff page: no session -> the login page; a role the authorization table does not allow
  // -> refused (403, audited).
  StaffUser require_staff(Call &call, app::Permission permission) {
    auto u = staff_session(call.req);
    if (!u)
      throw Redirect{"/login"};
    call.actor = Actor{u->name, u->role, "web"};
    call.staff = *u;
    try {
      app::authorize(call.actor, permission);
    } catch (const RefusedError &) {
      call.wrong_section = true;
      throw;
    }
    return *u;
  }

  // Every staff form posts the session's csrf token; a missing or foreign one is refused.
  void require_csrf(const Call &call, const StaffUser &u, const std::string &given) {
    if (!equal_secret(given, u.csrf)) {
      throw RefusedError(given.empty() ? "missing CSRF token" : "foreign CSRF token");
    }
    (void)call;
  }

  // The stored patient `id`: a malformed id is bad input, an unknown one not found.
  PatientRecord existing_patient(const std::string &id) {
    validate_patient_id(id);
    auto rec = repo.patient(id);
    if (!rec)
      throw NotFoundError("patient " + id + ": not found");
    return std::move(*rec);
  }

  // A staff form posted about patient `id`: the staff user allowed `permission` (require_staff),
  // then the patient recorded on the call for the audit, then the form's csrf token checked.
  StaffUser require_staff_form(Call &call, const std::string &id, app::Permission permission) {
    const StaffUser u = require_staff(call, permission);
    call.patient = id;
    require_csrf(call, u, param(call.req, "csrf"));
    return u;
  }

  // The patient a link token opens; nullopt for a malformed, unknown or revoked token.
  std::optional<std::string> token_patient(const std::string &token) {
    if (token.size() != 32 || token.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return std::nullopt;
    }
    const auto l = accounts.link(token_digest(token));
    if (!l || l->revoked)
      return std::nullopt;
    return l->patient;
  }

  // A patient page: a wrong or revoked token is 404 and reveals nothing (not even whether the
  // token ever existed); the attempt is audited without the token.
  PatientRecord require_link(Call &call, const std::string &token) {
    const auto id = token_patient(token);
    if (!id) {
      call.actor = Actor{"anonymous", "patient", "web"};
      count_refusal(call, what_was_tried(call.req) + ": unknown or revoked patient link");
      throw NotFoundError("This link does not open anything. Ask your clinic for a new one.");
    }
    call.actor = Actor{*id, "patient", "web"};
    call.patient = *id;
    const auto p = repo.patient(*id);
    if (!p)
      throw NotFoundError("This link does not open anything. Ask your clinic for a new one.");
    return *p;
  }

  // API callers: the staff session (roles given) or a patient's bearer token for their own data.
  // POSTs with a session cookie also need the X-CSRF-Token header.
  void require_api(Call &call, const std::string &patient_id, app::Permission permission) {
    call.patient = patient_id;
    const std::string auth = call.req.get_header_value("Authorization");
    if (!auth.empty()) {
      const std::string prefix = "Bearer ";
      const auto id =
          auth.rfind(prefix, 0) == 0 ? token_patient(auth.substr(prefix.size())) : std::nullopt;
      if (!id) {
        count_refusal(call, "/api: invalid or revoked bearer token");
        throw RefusedError("invalid or revoked bearer token");
      }
      call.actor = Actor{*id, "patient", "web"};
      app::authorize(call.actor, permission, &patient_id);
      return;
    }
    const auto u = staff_session(call.req);
    if (!u)
      throw Redirect{"/login"};
    call.actor = Actor{u->name, u->role, "web"};
    app::authorize(call.actor, permission, &patient_id);
    if (call.req.method == "POST") {
      require_csrf(call, *u, call.req.get_header_value("X-CSRF-Token"));
    }
  }

  const Pathway *find_pathway(const std::string &name) const {
    for (const auto &p : pathways)
      if (p.name == name)
        return &p;
    return nullptr;
  }

  Html chart_for(const PlanVersion &v, const Patient &p, const std::vector<ScoreEntry> &s) {
    const ExportContext c = app::export_context(repo, v, p, pathways, "UTC");
    return chart(ExportInput{v.plan, p, formulary, s, c});
  }

  // ---- score and side-effect logging: the CLI's validation (cmd_log.cpp), the same calls ----
  LocalDateTime now_local() const {
    const int m = cfg.minute_of_day ? cfg.minute_of_day() : 0;
    return LocalDateTime{cfg.today(), std::clamp(m, 0, 1439)};
  }

  // The routes, one function per audience (each in its own file).
  void routes();
  void login_routes();    // server.cpp
  void patient_routes();  // patient_pages.cpp
  void pharmacy_routes(); // pharmacy_pages.cpp
  void clinic_routes();   // clinic_pages.cpp
  void api_routes();      // api.cpp
  void report_routes();   // report_pages.cpp
  void patient_page(Call &c, const std::string &token, std::string flash);
  void login_page(Call &c, int status, const std::string &message, std::string token = {});
  std::string client_of(const Request &req) const;
  bool form_used(const std::string &code) const;
  bool claim_form(const std::string &code);
  void release_form(const std::string &code);
  void login_post(Call &c);
  void pharmacy_queue(Call &c);
  void pharmacy_version(Call &c, const std::string &id, int version, const std::string &flash);
  void clinic_home(Call &c);
  void clinic_patient(Call &c, const std::string &id, const std::string &flash);
  void clinic_draft(Call &c, const std::string &id);
  void clinic_form_routes();   // clinic_forms.cpp
  void clinic_record_routes(); // clinic_records.cpp
  // The patient page's task links (nav) or its forms and downloads: clinic_forms.cpp.
  Html clinic_tools_html(const std::string &id, const StaffUser &u, bool nav);
};

} // namespace titrate::web
