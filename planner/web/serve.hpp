#pragma once
// `titrate serve` as the web module runs it (planner/web/web_module.hpp): the CLI reads the
// options and gives what only it knows (the store, the formulary, the day) as calls, so the
// module needs nothing of the CLI and the CLI nothing of cpp-httplib or OpenSSL.
#include "planner/core/date.hpp"
#include "planner/ehr/codes.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/accounts.hpp"
#include "planner/store/repository.hpp"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace titrate::web {

struct ServeCall {
  std::string listen = "127.0.0.1:8080"; // --listen HOST:PORT
  std::string clients;                   // --cds-clients FILE.json ("" for none)
  std::string public_url;                // --public-url URL ("" for http://HOST:PORT)
  bool unsigned_local_test = false;      // --cds-unsigned-local-test
  bool behind_tls = false;               // --behind-tls
  int login_checks = 2;                  // --login-checks
  std::string clinic_name, clinic_phone; // from the options or the environment
  std::ostream *out = nullptr;           // where "serving ..." is written
  // Each called once, in the order of the checks (so bad input is refused before the store is
  // opened): the EHR code map, the day (throws for a bad --today), the formulary and pathways,
  // then the store and the accounts.
  std::function<ehr::EhrCodes()> codes;
  std::function<Date()> today;
  std::function<const Formulary &()> formulary;
  std::function<const std::vector<Pathway> &()> pathways;
  std::function<std::unique_ptr<Repository>()> open_store;
  std::function<std::unique_ptr<Accounts>()> open_accounts;
};

// Checks the call (InputError names the bad option), serves until SIGINT or SIGTERM, and stops
// cleanly.
void serve(const ServeCall &call);

} // namespace titrate::web
