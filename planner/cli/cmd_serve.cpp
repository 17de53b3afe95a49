// `titrate serve [--listen HOST:PORT] [--clinic-name N] [--clinic-phone T]`: the browser front end
// and JSON API (docs/web.md) on the database of --db. Binds 127.0.0.1:8080 by default (TLS belongs
// to a reverse proxy). "Today" is --today / $TITRATE_TODAY when given, else the clock's day at each
// request (the server is an edge). Stops cleanly on SIGINT or SIGTERM.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/store/open.hpp"
#include "planner/web/server.hpp"

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <ostream>
#include <thread>

namespace titrate::cli {

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

// The clinic the patient page tells a patient to call: --clinic-name / --clinic-phone, else
// $TITRATE_CLINIC_NAME / $TITRATE_CLINIC_PHONE.
struct ClinicOptions {
  std::string name, phone;
};

std::string option_or_env(const std::string &given, const char *env) {
  if (!given.empty())
    return given;
  const char *v = std::getenv(env);
  return v == nullptr ? std::string() : std::string(v);
}

struct ServeOptions {
  std::string clients;    // --cds-clients FILE.json
  std::string public_url; // --public-url URL
  bool unsigned_local_test = false;
  bool behind_tls = false; // --behind-tls
  int login_checks = 2;    // --login-checks
};

bool loopback(const std::string &host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host == "[::1]";
}

void run_serve(Context &ctx, const std::string &listen, const ServeOptions &cds,
               const ClinicOptions &clinic) {
  web::WebConfig cfg;
  cfg.clinic_name = option_or_env(clinic.name, "TITRATE_CLINIC_NAME");
  cfg.clinic_phone = option_or_env(clinic.phone, "TITRATE_CLINIC_PHONE");
  require_free_text(cfg.clinic_name, "--clinic-name", 100);
  require_free_text(cfg.clinic_phone, "--clinic-phone", 40);
  web::parse_listen(listen, cfg.host, cfg.port);
  if (cds.unsigned_local_test && !loopback(cfg.host)) {
    throw InputError("--cds-unsigned-local-test: refused with --listen " + listen +
                     "; expected a loopback address (127.0.0.1, ::1): unsigned CDS Hooks calls "
                     "are for a test on this machine only");
  }
  if (!cds.public_url.empty() && cds.public_url.rfind("https://", 0) != 0 &&
      cds.public_url.rfind("http://", 0) != 0) {
    throw InputError("--public-url: \"" + cds.public_url.substr(0, 64) +
                     "\" is not a URL; expected e.g. https://titrate.clinic.example");
  }
  if (!cds.clients.empty() || cds.unsigned_local_test) {
    web::CdsConfig c;
    if (!cds.clients.empty())
      c.verifier = web::load_cds_clients(cds.clients, now_seconds(), web::jwks_fetcher());
    c.allow_unsigned = cds.unsigned_local_test;
    c.codes = std::make_shared<const ehr::EhrCodes>(load_ehr_codes(ctx));
    c.base_url = cds.public_url;
    while (!c.base_url.empty() && c.base_url.back() == '/')
      c.base_url.pop_back();
    cfg.cds = c;
  }
  if (cds.login_checks < 1 || cds.login_checks > 64) {
    throw InputError("--login-checks: " + std::to_string(cds.login_checks) +
                     " is out of range; expected 1-64 (each check takes 64 MiB for a moment)");
  }
  cfg.behind_tls = cds.behind_tls;
  cfg.login_verifications = cds.login_checks;
  (void)ctx.today(); // a bad --today is refused now, not at the first request
  const Formulary &formulary = ctx.formulary();
  const auto &pathways = ctx.pathways();
  auto repo = open_store(ctx, StoreMode::create);
  const auto accounts = open_accounts(ctx.db_location());
  cfg.today = [&ctx] { return ctx.today(); };
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
  web::WebServer server(*repo, *accounts, formulary, pathways, cfg);
  const int port = server.bind();
  std::thread waiter([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  ctx.out << "titrate: serving http://" << cfg.host << ":" << port << "/ (staff: /login; "
          << "patients: the link from titrate patient invite). Ctrl-C stops." << std::endl;
  if (cfg.cds) {
    ctx.out << "titrate: CDS Hooks at " << cfg.cds->base_url << "/cds-services ("
            << (cfg.cds->allow_unsigned ? "LOCAL TEST MODE: unsigned calls accepted"
                                        : "signed calls from the clients of --cds-clients")
            << ")" << std::endl;
  }
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM); // wakes the waiter if run() ended by itself
  waiter.join();
}

} // namespace

void add_serve_command(CLI::App &app, Context &ctx) {
  auto listen = std::make_shared<std::string>("127.0.0.1:8080");
  auto cds = std::make_shared<ServeOptions>();
  auto clinic = std::make_shared<ClinicOptions>();
  CLI::App *serve =
      app.add_subcommand("serve", "Serve the browser front end and JSON API (docs/web.md)");
  serve->add_option("--listen", *listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option(
      "--cds-clients", cds->clients,
      "Trusted CDS Hooks clients (JSON: iss and its JWK Set file or URL each; docs/ehr.md)");
  serve->add_option("--public-url", cds->public_url,
                    "This server's URL as the EHR calls it (JWT aud, card links); default "
                    "http://HOST:PORT");
  serve->add_flag("--cds-unsigned-local-test", cds->unsigned_local_test,
                  "LOCAL TEST ONLY: accept CDS Hooks calls without a JWT (loopback only)");
  serve->add_flag("--behind-tls", cds->behind_tls,
                  "Served through a TLS reverse proxy: Secure cookies, Strict-Transport-Security, "
                  "the client address from the proxy's X-Forwarded-For (docs/web.md)");
  serve->add_option("--login-checks", cds->login_checks,
                    "Password checks (Argon2id, 64 MiB each) at once; more sign-ins wait, then "
                    "get 503 (default 2)");
  serve->add_option("--clinic-name", clinic->name,
                    "The clinic a patient is told to call (default $TITRATE_CLINIC_NAME)");
  serve->add_option("--clinic-phone", clinic->phone,
                    "Its telephone number (default $TITRATE_CLINIC_PHONE)");
  serve->callback([&ctx, listen, cds, clinic] { run_serve(ctx, *listen, *cds, *clinic); });
}

} // namespace titrate::cli
