// `titrate serve [--listen HOST:PORT] [--clinic-name N] [--clinic-phone T]`: the browser front end
// and JSON API (docs/web.md) on the database of --db, and the CDS Hooks service with
// --cds-clients (docs/ehr.md). The options are read here; the serving is the web module's
// (planner/web/web_module.hpp, loaded only by this command), given the store, the formulary and
// the day as calls.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/store/location.hpp"
#include "planner/store/open.hpp"
#include "planner/store/repository_pool.hpp"
#include "planner/web/web_module.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <thread>

namespace titrate::cli {

namespace {

// What the CLI reads itself: the clinic the patient page tells a patient to call (--clinic-name /
// --clinic-phone, else $TITRATE_CLINIC_NAME / $TITRATE_CLINIC_PHONE) and the store's connections.
struct ServeOptions {
  std::string name, phone;
  std::string db_connections; // --db-connections N, else $TITRATE_DB_CONNECTIONS, else a default
};

std::string option_or_env(const std::string &given, const char *env) {
  if (!given.empty())
    return given;
  const char *v = std::getenv(env);
  return v == nullptr ? std::string() : std::string(v);
}

// How many connections the server's store pool may open. A SQLite file is served through one (it
// takes one writer at a time; more connections would only wait on its lock); PostgreSQL through
// up to N, by default two per CPU (2 to 16), as each request waits on the server about as long
// as it computes.
int db_connections(const Context &ctx, const std::string &given) {
  const bool from_flag = !given.empty();
  const std::string text = option_or_env(given, "TITRATE_DB_CONNECTIONS");
  const char *name = from_flag ? "--db-connections" : "TITRATE_DB_CONNECTIONS";
  const bool postgres = is_postgres_location(ctx.db_location());
  if (text.empty()) {
    if (!postgres)
      return 1;
    const int cpus = static_cast<int>(std::thread::hardware_concurrency());
    return std::clamp(2 * cpus, 2, 16);
  }
  int n = 0;
  const bool digits = text.size() <= 3 && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits)
    n = std::stoi(text);
  if (!digits || n < 1 || n > 64) {
    throw InputError(std::string(name) + ": '" + text +
                     "' is not a number of connections; expected 1-64");
  }
  if (!postgres && n != 1) {
    throw InputError(std::string(name) + ": " + text +
                     " connections: a SQLite file is served through one connection (it takes one "
                     "writer at a time); more are for a postgresql:// database");
  }
  return n;
}

void run_serve(Context &ctx, web::ServeCall call, const ServeOptions &opts) {
  call.clinic_name = option_or_env(opts.name, "TITRATE_CLINIC_NAME");
  call.clinic_phone = option_or_env(opts.phone, "TITRATE_CLINIC_PHONE");
  require_free_text(call.clinic_name, "--clinic-name", 100);
  require_free_text(call.clinic_phone, "--clinic-phone", 40);
  const int connections = db_connections(ctx, opts.db_connections);
  call.out = &ctx.out;
  call.codes = [&ctx] { return load_ehr_codes(ctx); };
  call.today = [&ctx] { return ctx.today(); };
  call.formulary = [&ctx]() -> const Formulary & { return ctx.formulary(); };
  call.pathways = [&ctx]() -> const std::vector<Pathway> & { return ctx.pathways(); };
  call.open_store = [&ctx, connections]() -> std::unique_ptr<Repository> {
    return std::make_unique<RepositoryPool>([&ctx] { return open_store(ctx, StoreMode::create); },
                                            connections);
  };
  call.open_accounts = [&ctx] { return open_accounts(ctx.db_location()); };
  web_module().serve(call);
}

} // namespace

void add_serve_command(CLI::App &app, Context &ctx) {
  auto call = std::make_shared<web::ServeCall>();
  auto opts = std::make_shared<ServeOptions>();
  CLI::App *serve =
      app.add_subcommand("serve", "Serve the browser front end and JSON API (docs/web.md)");
  serve->add_option("--listen", call->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option(
      "--cds-clients", call->clients,
      "Trusted CDS Hooks clients (JSON: iss and its JWK Set file or URL each; docs/ehr.md)");
  serve->add_option("--public-url", call->public_url,
                    "This server's URL as the EHR calls it (JWT aud, card links); default "
                    "http://HOST:PORT");
  serve->add_flag("--cds-unsigned-local-test", call->unsigned_local_test,
                  "LOCAL TEST ONLY: accept CDS Hooks calls without a JWT (loopback only)");
  serve->add_flag("--behind-tls", call->behind_tls,
                  "Served through a TLS reverse proxy: Secure cookies, Strict-Transport-Security, "
                  "the client address from the proxy's X-Forwarded-For (docs/web.md)");
  serve->add_option("--login-checks", call->login_checks,
                    "Password checks (Argon2id, 64 MiB each) at once; more sign-ins wait, then "
                    "get 503 (default 2)");
  serve
      ->add_option("--db-connections", opts->db_connections,
                   "Database connections the server may open, 1-64: requests run side by side on "
                   "PostgreSQL (default $TITRATE_DB_CONNECTIONS, else 2 per CPU, 2-16); a SQLite "
                   "file takes 1")
      ->type_name("INT"); // read as text, so the refusal can name what was typed
  serve->add_option("--clinic-name", opts->name,
                    "The clinic a patient is told to call (default $TITRATE_CLINIC_NAME)");
  serve->add_option("--clinic-phone", opts->phone,
                    "Its telephone number (default $TITRATE_CLINIC_PHONE)");
  serve->callback([&ctx, call, opts] { run_serve(ctx, *call, *opts); });
}

} // namespace titrate::cli
