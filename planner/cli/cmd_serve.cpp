// `titrate serve [--listen HOST:PORT]`: the browser front end and JSON API (docs/web.md) on the
// database of --db. Binds 127.0.0.1:8080 by default (TLS belongs to a reverse proxy). "Today" is
// --today / $TITRATE_TODAY when given, else the clock's day at each request (the server is an
// edge). Stops cleanly on SIGINT or SIGTERM.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "planner/web/server.hpp"

#include <pthread.h>

#include <chrono>
#include <csignal>
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

void run_serve(Context &ctx, const std::string &listen) {
  web::WebConfig cfg;
  web::parse_listen(listen, cfg.host, cfg.port);
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

  web::WebServer server(*repo, *accounts, formulary, pathways, cfg);
  const int port = server.bind();
  std::thread waiter([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  ctx.out << "titrate: serving http://" << cfg.host << ":" << port << "/ (staff: /login; "
          << "patients: the link from titrate patient invite). Ctrl-C stops." << std::endl;
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM); // wakes the waiter if run() ended by itself
  waiter.join();
}

} // namespace

void add_web_commands(CLI::App &app, Context &ctx) {
  auto listen = std::make_shared<std::string>("127.0.0.1:8080");
  CLI::App *serve = app.add_subcommand("serve", "Serve the browser front end and JSON API (docs/web.md)");
  serve->add_option("--listen", *listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->callback([&ctx, listen] { run_serve(ctx, *listen); });
  add_user_command(app, ctx);
  add_invite_command(app, ctx);
}

} // namespace titrate::cli
