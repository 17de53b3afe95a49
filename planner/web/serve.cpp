// `titrate serve` (serve.hpp): the browser front end and JSON API (docs/web.md) on the database
// the CLI opens, and the CDS Hooks service when clients are configured (docs/ehr.md). Binds
// 127.0.0.1:8080 by default (TLS belongs to a reverse proxy). "Today" is the CLI's: --today /
// $TITRATE_TODAY when given, else the clock's day at each request. Stops cleanly on SIGINT or
// SIGTERM.
#include "planner/web/serve.hpp"

#include "planner/core/errors.hpp"
#include "planner/web/fhir_server.hpp"
#include "planner/web/server.hpp"

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <thread>

namespace titrate::web {

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int local_minute_of_day() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm.tm_hour * 60 + tm.tm_min;
}

} // namespace

void serve(const ServeCall &call) {
  WebConfig cfg;
  cfg.clinic_name = call.clinic_name;
  cfg.clinic_phone = call.clinic_phone;
  parse_listen(call.listen, cfg.host, cfg.port);
  if (call.unsigned_local_test && !loopback_host(cfg.host)) {
    throw InputError("--cds-unsigned-local-test: refused with --listen " + call.listen +
                     "; expected a loopback address (127.0.0.1, ::1): unsigned CDS Hooks calls "
                     "are for a test on this machine only");
  }
  if (!call.public_url.empty() && call.public_url.rfind("https://", 0) != 0 &&
      call.public_url.rfind("http://", 0) != 0) {
    throw InputError("--public-url: \"" + call.public_url.substr(0, 64) +
                     "\" is not a URL; expected e.g. https://titrate.clinic.example");
  }
  if (!call.clients.empty() || call.unsigned_local_test) {
    CdsConfig c;
    if (!call.clients.empty())
      c.verifier = load_cds_clients(call.clients, now_seconds(), jwks_fetcher());
    c.allow_unsigned = call.unsigned_local_test;
    c.codes = std::make_shared<const ehr::EhrCodes>(call.codes());
    c.base_url = call.public_url;
    while (!c.base_url.empty() && c.base_url.back() == '/')
      c.base_url.pop_back();
    cfg.cds = c;
  }
  if (call.login_checks < 1 || call.login_checks > 64) {
    throw InputError("--login-checks: " + std::to_string(call.login_checks) +
                     " is out of range; expected 1-64 (each check takes 64 MiB for a moment)");
  }
  cfg.behind_tls = call.behind_tls;
  cfg.login_verifications = call.login_checks;
  (void)call.today(); // a bad --today is refused now, not at the first request
  const Formulary &formulary = call.formulary();
  const auto &pathways = call.pathways();
  auto repo = call.open_store();
  const auto accounts = call.open_accounts();
  cfg.today = call.today;
  cfg.now = now_seconds;
  cfg.minute_of_day = local_minute_of_day;

  // Signals go to one waiting thread, which stops the server (no work in a signal handler).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (cfg.cds && cfg.cds->base_url.empty()) {
    cfg.cds->base_url = "http://" + cfg.host + ":" + std::to_string(cfg.port);
  }
  WebServer server(*repo, *accounts, formulary, pathways, cfg);
  const int port = server.bind();
  std::thread waiter([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  std::ostream &out = *call.out;
  out << "titrate: serving http://" << cfg.host << ":" << port << "/ (staff: /login; "
      << "patients: the link from titrate patient invite). Ctrl-C stops." << std::endl;
  if (cfg.cds) {
    out << "titrate: CDS Hooks at " << cfg.cds->base_url << "/cds-services ("
        << (cfg.cds->allow_unsigned ? "LOCAL TEST MODE: unsigned calls accepted"
                                    : "signed calls from the clients of --cds-clients")
        << ")" << std::endl;
  }
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM); // wakes the waiter if run() ended by itself
  waiter.join();
}

} // namespace titrate::web
