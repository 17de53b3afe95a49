// The bridge from the CLI to the store: opening the database of --db / TITRATE_DB through
// open_repository() (planner/store/open.hpp chooses the back end from the location), the role
// rules, and stored_patient() for the engine commands given a patient ID.
#include "planner/cli/store_access.hpp"

#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <pwd.h>
#include <unistd.h>

namespace titrate::cli {

namespace fs = std::filesystem;

Role require_role(const Context &ctx, app::Permission permission, std::string_view command,
                  const std::string *patient) {
  // The claimed role is checked before the user: a refused command needs no user name.
  const std::string role = ctx.role();
  if (!role.empty())
    (void)parse_enum<app::Role>(role, "--role");
  return app::authorize(Actor{ctx.user(), ctx.role()}, permission, patient, command);
}

Actor actor(const Context &ctx) {
  const std::string user = ctx.user();
  if (user.empty()) {
    throw InputError("--user: no user given; give --user NAME or set TITRATE_USER (every change "
                     "records who made it)");
  }
  return {user, ctx.role(), "cli", os_user()};
}

std::string os_user() {
  // The account the process runs as, not $USER (which anyone can set): the audit's witness of
  // who typed a claimed --user on a SQLite file (docs/architecture.md, "Who the actor is").
  const uid_t uid = ::geteuid();
  if (const passwd *pw = ::getpwuid(uid); pw && pw->pw_name)
    return pw->pw_name;
  return "uid " + std::to_string(uid);
}

namespace {
// On PostgreSQL the database login decides who acts when it is a titrate account (a user made
// with `titrate user add` of the same name): --user and --role must be that account's, so a
// colleague's name typed on the command line cannot beat four eyes. A login that is no account
// (a shared service login) acts as claimed, as on a SQLite file, with the OS user in the audit.
void require_login_actor(const Context &ctx, Repository &repo) {
  const auto login = repo.login_account();
  if (!login || !login->role)
    return;
  const std::string user = ctx.user(), role = ctx.role();
  if (!user.empty() && user != login->login) {
    throw RefusedError("--user " + user.substr(0, 64) + ": this PostgreSQL login is " +
                       login->login + ", the titrate account " + login->login + " (" +
                       *login->role + "); on PostgreSQL the login decides who acts: use --user " +
                       login->login + " or sign in to the database as " + user.substr(0, 64));
  }
  if (!role.empty() && role != *login->role) {
    throw RefusedError("--role " + role.substr(0, 32) + ": the account " + login->login +
                       " of this PostgreSQL login is a " + *login->role + "; expected --role " +
                       *login->role);
  }
}

// SQLite keeps a titrate database in WAL mode: every connection, even one that only reads, needs
// to write the file's -wal and -shm companions, and SQLite left to find out creates them and then
// fails ("attempt to write a readonly database", exit 1 before this check), leaving them behind. So
// a file this user cannot write, or a folder where the companions cannot be made, is refused
// before SQLite opens it: exit 4 naming the path and what is missing.
void require_writable_sqlite(const std::string &path) {
  const auto writable = [](const fs::path &p) { return ::access(p.c_str(), W_OK) == 0; };
  std::string missing;
  if (!writable(path)) {
    missing = "the file is read-only for this user";
  } else {
    fs::path folder = fs::path(path).parent_path();
    if (folder.empty())
      folder = ".";
    std::error_code ec;
    const bool companions = fs::exists(path + "-wal", ec) && fs::exists(path + "-shm", ec) &&
                            writable(path + "-wal") && writable(path + "-shm");
    if (!companions && !writable(folder)) {
      missing = "its folder " + folder.string() + " is read-only for this user";
    }
  }
  if (missing.empty())
    return;
  throw RefusedError("database " + path + ": cannot be opened: " + missing +
                     "; titrate needs write access to the database file and its folder (for its "
                     "-wal and -shm files), even to read it. Run as the database's owner or copy "
                     "it somewhere writable. Nothing was read or written");
}
} // namespace

std::unique_ptr<Repository> open_store(const Context &ctx, StoreMode mode,
                                       const std::string &missing_what) {
  const std::string location = ctx.db_location();
  require_supported_location(location); // before any folder is made for it
  // A PostgreSQL database lives on its server: it must exist there (an administrator creates it,
  // docs/deployment.md) and opening it migrates it, so the file rules below do not apply.
  if (is_postgres_location(location)) {
    auto repo = open_repository(location);
    require_login_actor(ctx, *repo);
    return repo;
  }
  std::error_code ec;
  // A folder, or an existing file with no bytes (not a database yet), is decided before SQLite
  // touches it: a folder is bad input naming it; an empty file reads as an empty database and is
  // left as it is (a read never writes); a change needs a patient it cannot hold.
  if (fs::is_directory(location, ec)) {
    throw InputError("--db: " + location +
                     " is a folder; expected a titrate database file "
                     "(SQLite) or a postgresql:// URL");
  }
  const bool empty_file = fs::is_regular_file(location, ec) && fs::file_size(location, ec) == 0 &&
                          !ec && mode != StoreMode::create;
  if (empty_file || !fs::exists(location, ec)) {
    switch (mode) {
    case StoreMode::read:
      // Reads of a database that does not exist yet see an empty one; no file is made.
      return open_repository(":memory:");
    case StoreMode::write_existing:
      throw NotFoundError(missing_what + ": not found (there is no database at " +
                          redact_location(location) + " yet)");
    case StoreMode::create: {
      const fs::path parent = fs::path(location).parent_path();
      if (!parent.empty()) {
        fs::create_directories(parent, ec);
        if (ec) {
          throw InputError("--db: cannot create the folder " + parent.string() + ": " +
                           ec.message());
        }
      }
      break;
    }
    }
  }
  if (fs::exists(location, ec))
    require_writable_sqlite(location);
  ctx.opened_db = location;
  try {
    return open_repository(location);
  } catch (const std::exception &e) {
    throw_storage_fault(e, location); // a file that is not a database, cannot be opened, ...
    throw;
  }
}

PatientRecord require_patient(Repository &repo, const std::string &id) {
  auto r = repo.patient(id);
  if (!r)
    throw NotFoundError("patient " + id + ": not found");
  return *r;
}

Patient stored_patient(Context &ctx, const std::string &id) {
  auto repo = open_store(ctx, StoreMode::read);
  return require_patient(*repo, id).patient;
}

} // namespace titrate::cli
