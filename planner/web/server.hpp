#pragma once
// `titrate serve`: the browser front end and JSON API (design.md §7) over the same Repository and
// use cases as the CLI. Every request leases one of the store's connections for its whole run
// (RepositoryPool: one on a SQLite file, a pool on PostgreSQL, `serve --db-connections`).
// Sessions live in the database (Accounts), so several servers on one PostgreSQL database can each
// answer any request (docs/deployment.md). Refusals are 403 and written to the audit with the user
// and what was tried; refusals anyone can cause in bulk are counted per minute instead
// (login_guard.hpp). The server is an edge: "today" and the clock come from WebConfig, so tests
// can fix them.
#include "planner/formulary/monograph.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/accounts.hpp"
#include "planner/store/repository.hpp"
#include "planner/web/cds_hooks.hpp"
#include "planner/web/login_guard.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace titrate::web {

inline constexpr std::int64_t session_seconds = 8 * 60 * 60; // a working day

struct WebConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                    // 0: any free port (tests, the load program)
  std::function<Date()> today;        // the day doses and forms are dated
  std::function<std::int64_t()> now;  // UTC seconds (sessions, sign-in waits, audit)
  std::function<int()> minute_of_day; // local clock minute of a score logged from the web
  std::int64_t session_seconds = web::session_seconds;
  int threads = 64; // worker threads: one per open keep-alive connection
  // Behind a TLS reverse proxy (`serve --behind-tls`): cookies are Secure, responses carry
  // Strict-Transport-Security, and the client of a sign-in is the address the proxy appended last
  // to X-Forwarded-For (otherwise that header is ignored: anyone could write it).
  bool behind_tls = false;
  int login_verifications = 2; // Argon2id checks at once (64 MiB each); `serve --login-checks`
  int login_queue = 16;        // sign-ins waiting for one; more are answered 503
  ThrottlePolicy throttle;     // failed sign-ins: who waits how long
  // The clinic a patient is told to call (the patient page, as the PDF handout's words::clinic);
  // empty: "Call your clinic." without a name or number.
  std::string clinic_name, clinic_phone;
  // The CDS Hooks service at /cds-services (cds_hooks.hpp); absent: not mounted.
  std::optional<CdsConfig> cds;
};

// "HOST:PORT" -> host and port; InputError naming --listen otherwise.
void parse_listen(const std::string &text, std::string &host, int &port);

class WebServer {
public:
  // All references must outlive the server. `repo` may be a RepositoryPool (requests then run on
  // its connections side by side); any other Repository is served one request at a time.
  WebServer(Repository &repo, Accounts &accounts, const Formulary &formulary,
            const std::vector<Pathway> &pathways, WebConfig config);
  ~WebServer();
  WebServer(const WebServer &) = delete;
  WebServer &operator=(const WebServer &) = delete;

  // Binds the listening socket; returns the port. InputError when it cannot bind.
  int bind();
  // Serves until stop() (blocks). bind() first.
  void run();
  // bind() and serve on a background thread; returns the port (tests).
  int start();
  void stop();

  // Password checks so far, the most at once and the sign-ins turned away (tests, the log).
  VerifyGate::Stats login_stats() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace titrate::web
