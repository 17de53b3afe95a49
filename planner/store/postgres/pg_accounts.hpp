#pragma once
// The PostgreSQL back end of Accounts (web state: staff accounts, patient links, sessions and
// login lockouts), so that any `titrate serve` instance on the same database can answer any
// request: CoreAccounts over PostgreSQL's dialect on its own connection; opening migrates the
// database first.
#include "planner/store/core_accounts.hpp"

#include <string>

namespace titrate {

class PgAccounts final : public CoreAccounts {
public:
  explicit PgAccounts(const std::string &url);
  ~PgAccounts() override;
};

} // namespace titrate
