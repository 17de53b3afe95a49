#include "planner/store/sqlite/sqlite_faults.hpp"

#include "planner/core/errors.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

namespace titrate {

void throw_sqlite_fault(const std::exception &e, const std::string &path) {
  const auto *s = dynamic_cast<const SQLite::Exception *>(&e);
  if (s == nullptr)
    return;
  // "database PATH: <what is wrong> (<SQLite's own words>); <what to do>"
  const auto fault = [&](const std::string &wrong, const std::string &to_do) {
    return "database " + path + ": " + wrong + " (" + s->what() + "); " + to_do;
  };
  switch (s->getErrorCode() & 0xff) {
  case SQLITE_NOTADB:
    throw InputError(
        fault("cannot be read as a SQLite database",
              "expected a titrate database file (or a new path, or a postgresql:// URL)"));
  case SQLITE_CORRUPT:
    throw InputError(fault("the SQLite file is damaged",
                           "expected an intact titrate database (restore it from a backup)"));
  case SQLITE_CANTOPEN:
    throw InputError(fault("cannot be opened",
                           "expected a titrate database file in a folder that exists and can be "
                           "written"));
  case SQLITE_READONLY:
  case SQLITE_PERM:
    throw RefusedError(fault("cannot be written",
                             "this command changes the database, which needs write permission on "
                             "the file and its folder. Nothing was written"));
  case SQLITE_FULL:
    throw RefusedError(
        fault("the disk is full", "free some space and try again. Nothing was written"));
  case SQLITE_IOERR:
    throw RefusedError(fault("the disk could not be read or written",
                             "check the disk and try again. The change, if any, was rolled back"));
  default:
    return;
  }
}

} // namespace titrate
