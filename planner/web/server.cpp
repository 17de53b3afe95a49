// `titrate serve`: the server's set-up, the listen address, and the login and logout routes.
// Each audience's pages live in their own file (server_impl.hpp says which).
#include "planner/web/server_impl.hpp"

namespace titrate::web {

void parse_listen(const std::string &text, std::string &host, int &port) {
  const auto colon = text.rfind(':');
  const auto bad = [&] {
    return InputError("--listen: \"" + text.substr(0, 64) +
                      "\" is not HOST:PORT; expected e.g. 127.0.0.1:8080 (port 1-65535)");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw bad();
  const std::string p = text.substr(colon + 1);
  int v = 0;
  const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
  if (ec != std::errc() || ptr != p.data() + p.size() || v < 1 || v > 65535)
    throw bad();
  host = text.substr(0, colon);
  port = v;
}

// ---------------------------------------------------------------- login

void WebServer::Impl::login_page(Call &c, int status, const std::string &message) {
  const std::string t = random_token();
  std::string b = "<section><h1>Staff sign in</h1>";
  if (!message.empty())
    b += "<p class=\"warn\" role=\"alert\">" + esc(message) + "</p>";
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
  c.actor = Actor{name.empty() ? "anonymous" : name.substr(0, 64), "anonymous", "web"};
  if (!equal_secret(param(c.req, "csrf"), cookie_value(c.req, login_cookie))) {
    throw RefusedError(param(c.req, "csrf").empty() ? "missing CSRF token" : "foreign CSRF token");
  }
  const std::int64_t now = cfg.now();
  auto u = accounts.user(name);
  if (u && u->locked_until > now) {
    refuse_audit(c, "login refused: account locked until " + utc_text(u->locked_until));
    login_page(c, 403,
               "This account is locked until " + utc_text(u->locked_until) + " after " +
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
  accounts.add_session(
      Session{token_digest(id), u->name, random_token(), now + cfg.session_seconds});
  c.actor = Actor{u->name, u->role, "web"};
  repo.append_audit(c.actor, "web.login", "", "signed in");
  c.res.set_header("Set-Cookie", cookie_header(session_cookie, id, cfg.session_seconds));
  redirect(c.res, u->role == "pharmacist" ? "/pharmacy/" : "/clinic/");
}

void WebServer::Impl::routes() {
  login_routes();
  patient_routes();
  pharmacy_routes();
  clinic_routes();
  api_routes();
  report_routes();
}

void WebServer::Impl::login_routes() {
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
             if (!u)
               throw Redirect{"/login"};
             c.actor = Actor{u->name, u->role, "web"};
             require_csrf(c, *u, param(c.req, "csrf"));
             accounts.delete_session(u->id_hash);
             repo.append_audit(c.actor, "web.logout", "", "signed out");
             c.res.set_header("Set-Cookie", cookie_header(session_cookie, "", 0));
             redirect(c.res, "/login");
           }));
}

WebServer::WebServer(Repository &repo, Accounts &accounts, const Formulary &formulary,
                     const std::vector<Pathway> &pathways, WebConfig config)
    : impl_(std::make_unique<Impl>(repo, accounts, formulary, pathways, std::move(config))) {}

WebServer::~WebServer() {
  stop();
}

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

void WebServer::run() {
  impl_->svr.listen_after_bind();
}

int WebServer::start() {
  const int p = bind();
  impl_->thread = std::thread([this] { impl_->svr.listen_after_bind(); });
  while (!impl_->svr.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return p;
}

void WebServer::stop() {
  if (!impl_)
    return;
  impl_->svr.stop();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

} // namespace titrate::web
