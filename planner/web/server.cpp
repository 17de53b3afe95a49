// `titrate serve`: the server's set-up, the listen address, and the login and logout routes.
// Each audience's pages live in their own file (server_impl.hpp says which).
#include "planner/web/server_impl.hpp"

#include <sys/socket.h>

#include <limits>

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

// `token`: the login form's double-submit token. A new one for a new form; a failed sign-in
// keeps the one it posted, so its answer depends only on what was sent (docs/web.md: the same
// answer for an unknown name, a wrong password and a locked account).
void WebServer::Impl::login_page(Call &c, int status, const std::string &message,
                                 std::string token) {
  if (token.empty())
    token = random_token();
  Html b = "<section><h1>Staff sign in</h1>"_html;
  if (!message.empty())
    b += "<p class=\"warn\" role=\"alert\">"_html + message + "</p>"_html;
  b += "<form method=\"post\" action=\"/login\">"_html + csrf_field(token) +
       "<label for=\"user\">User name</label><input type=\"text\" id=\"user\" name=\"user\" "
       "autocomplete=\"username\" required>"
       "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" "
       "name=\"password\" autocomplete=\"current-password\" required>"
       "<p><button type=\"submit\">Sign in</button></p></form></section>"
       "<p class=\"muted\">Patients: open the personal link your clinic gave you.</p>"_html;
  send_html(c.res, status, page("Sign in", b));
  // Login CSRF: the form's token must come back with this cookie (double submit).
  c.res.set_header("Set-Cookie",
                   cookie_header(login_cookie, token, 3600, cfg.behind_tls, "/login"));
}

// Who is signing in, for the slow-down: the peer address; behind a TLS proxy the address the
// proxy appended last to X-Forwarded-For (the one it saw; earlier entries are the caller's say).
std::string WebServer::Impl::client_of(const Request &req) const {
  if (cfg.behind_tls) {
    std::string xff = req.get_header_value("X-Forwarded-For");
    const auto comma = xff.rfind(',');
    if (comma != std::string::npos)
      xff = xff.substr(comma + 1);
    const auto first = xff.find_first_not_of(' ');
    const auto last = xff.find_last_not_of(' ');
    if (first != std::string::npos)
      return xff.substr(first, std::min<std::size_t>(last - first + 1, 64));
  }
  return req.remote_addr;
}

namespace {

std::string wait_words(std::int64_t seconds) {
  if (seconds < 120)
    return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  return std::to_string((seconds + 59) / 60) + " minutes";
}

// Leaves the verification gate however the check ends.
struct GateTurn {
  VerifyGate &gate;
  bool entered;
  explicit GateTurn(VerifyGate &g) : gate(g), entered(g.enter()) {}
  ~GateTurn() {
    if (entered)
      gate.leave();
  }
  GateTurn(const GateTurn &) = delete;
  GateTurn &operator=(const GateTurn &) = delete;
};

} // namespace

// Sign-in (docs/web.md, "Security under abuse"). Every attempt that is not slowed down costs one
// Argon2id check and gets the same answer whether the name is unknown, the password wrong or the
// account locked; failures slow down this client (and this client on this name) and never lock
// the account, so only the account's own owner is kept out by nothing a stranger does elsewhere.
void WebServer::Impl::login_post(Call &c) {
  const std::string name = param(c.req, "user").substr(0, 64);
  const std::string password = param(c.req, "password");
  const std::string posted = param(c.req, "csrf");
  c.actor = Actor{name.empty() ? "anonymous" : name, "anonymous", "web"};
  if (!equal_secret(posted, cookie_value(c.req, login_cookie))) {
    count_refusal(c, "POST /login: missing or foreign CSRF token");
    throw RefusedError(posted.empty() ? "missing CSRF token" : "foreign CSRF token");
  }
  const std::string client = client_of(c.req);
  const std::int64_t now = cfg.now();
  if (const std::int64_t wait = throttle.wait(client, name, now); wait > 0) {
    count_refusal(c, "POST /login: slowed down after failed sign-ins");
    login_page(c, 429, "Too many failed sign-ins from here. Try again in " + wait_words(wait) + ".",
               posted);
    c.res.set_header("Retry-After", std::to_string(wait));
    return;
  }
  const auto u = accounts.user(name);
  // Argon2id takes a while and 64 MiB on purpose: verify outside the lock so others are served
  // meanwhile, and at most cfg.login_verifications at once.
  const std::string &hash = u ? u->password_hash : dummy_hash;
  c.lease.release();
  bool ok = false;
  bool entered = false;
  {
    GateTurn turn(gate);
    entered = turn.entered;
    if (entered)
      ok = verify_password(password, hash);
  }
  c.lease.acquire();
  if (!entered) {
    count_refusal(c, "POST /login: too many sign-ins at once");
    login_page(c, 503, "Too many sign-ins at once. Try again in a few seconds.", posted);
    c.res.set_header("Retry-After", "2");
    return;
  }
  ok = ok && u.has_value();
  if (ok && u->locked_until > now) {
    // Only someone who knows the password learns that the account is locked.
    refuse_audit(c, "login refused: account locked until " + utc_text(u->locked_until));
    login_page(c, 403, "This account is locked until " + utc_text(u->locked_until) + ".", posted);
    return;
  }
  if (!ok) {
    // No write to the account: the work and the answer are the same for every name.
    const std::int64_t wait = throttle.failed(client, name, now);
    refuse_audit(c, "login failed: wrong user name or password" +
                        (wait > 0 ? "; this client waits " + wait_words(wait) : std::string()));
    login_page(c, wait > 0 ? 429 : 403,
               wait > 0 ? "Wrong user name or password. Try again in " + wait_words(wait) + "."
                        : std::string("Wrong user name or password."),
               posted);
    if (wait > 0)
      c.res.set_header("Retry-After", std::to_string(wait));
    return;
  }
  throttle.succeeded(client, name);
  if (u->failed_logins != 0 || u->locked_until != 0)
    accounts.set_login_state(name, 0, 0);
  accounts.delete_expired_sessions(now);
  const std::string id = random_token();
  accounts.add_session(
      Session{token_digest(id), u->name, random_token(), now + cfg.session_seconds});
  c.actor = Actor{u->name, u->role, "web"};
  repo.append_audit(c.actor, "web.login", "", "signed in");
  c.res.set_header("Set-Cookie",
                   cookie_header(session_cookie, id, cfg.session_seconds, cfg.behind_tls));
  redirect(c.res, home_of(u->role));
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
              redirect(c.res, home_of(u->role));
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
             c.res.set_header("Set-Cookie", cookie_header(session_cookie, "", 0, cfg.behind_tls));
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
  if (i.port > 0 && i.listen_socket >= 0)
    ::listen(i.listen_socket, SOMAXCONN); // a longer accept queue than cpp-httplib's 5
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
  // The refusals counted in the last minutes reach the audit before the server goes.
  const RepositoryPool::Lease lease(impl_->pool);
  impl_->write_tallies(std::numeric_limits<std::int64_t>::max() - 60);
}

VerifyGate::Stats WebServer::login_stats() const {
  return impl_->gate.stats();
}

} // namespace titrate::web
