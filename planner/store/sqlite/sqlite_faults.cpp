#include "planner/store/sqlite/sqlite_faults.hpp"

#include "planner/core/errors.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

namespace titrate {

void throw_sqlite_fault(const std::exception &e, const std::string &path) {
  const auto *s = dynamic_cast<const SQLite::Exception *>(&e);
  if (s == nullptr)
    return;
  const std::string what = "database " + path + ": ";
  const std::string detail = std::string(" (") + s->what() + ")";
  switch (s->getErrorCode() & 0xff) {
  case SQLITE_NOTADB:
    throw InputError(what + "cannot be read as a SQLite database" + detail +
                     "; expected a titrate database file (or a new path, or a postgresql:// URL)");
  case SQLITE_CORRUPT:
    throw InputError(what + "the SQLite file is damaged" + detail +
                     "; expected an intact titrate database (restore it from a backup)");
  case SQLITE_CANTOPEN:
    throw InputError(what + "cannot be opened" + detail +
                     "; expected a titrate database file in a folder that exists and can be "
                     "written");
  case SQLITE_READONLY:
  case SQLITE_PERM:
    throw RefusedError(what + "cannot be written" + detail +
                       "; this command changes the database, which needs write permission on "
                       "the file and its folder. Nothing was written");
  case SQLITE_FULL:
    throw RefusedError(what + "the disk is full" + detail +
                       "; free some space and try again. Nothing was written");
  case SQLITE_IOERR:
    throw RefusedError(what + "the disk could not be read or written" + detail +
                       "; check the disk and try again. The change, if any, was rolled back");
  default:
    return;
  }
}

} // namespace titrate
