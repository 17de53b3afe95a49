#pragma once
// The one place a back end is chosen from a database location (--db / TITRATE_DB): a URL
// postgresql://... or postgres://... is PostgreSQL (planner/store/postgres); anything else is a
// SQLite file path (planner/store/sqlite, the single-clinic default). Nothing above planner/store
// names a back end.
#include "planner/store/accounts.hpp"
#include "planner/store/location.hpp"
#include "planner/store/repository.hpp"

#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace titrate {

// Opens (and migrates) the repository at `location`.
std::unique_ptr<Repository> open_repository(const std::string &location);
// The web state (accounts, links, sessions) at the same location.
std::unique_ptr<Accounts> open_accounts(const std::string &location);

// A fault of the database at `location` that is not a bug, as the typed error
// naming the location: a file that is not a titrate database or cannot be opened (InputError,
// exit 2); a read-only database, a full disk, an I/O error (RefusedError, exit 4). Returns when
// `e` is none of these (the caller reports an internal error).
void throw_storage_fault(const std::exception &e, const std::string &location);

} // namespace titrate
