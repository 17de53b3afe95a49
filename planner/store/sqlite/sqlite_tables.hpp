#pragma once
// Raw table access on a SQLite file (planner/store/tables.hpp), for `titrate db copy`. The reader
// opens the file READ-ONLY and reads one snapshot; the writer loads an empty database in one
// IMMEDIATE transaction, and a new file is built under a temporary name in the same folder and
// renamed into place only when committed (a failed copy leaves no file behind).
#include "planner/store/tables.hpp"

#include <memory>
#include <string>

namespace titrate {

// NotFoundError if `path` does not exist; RefusedError unless it is a titrate database at this
// build's schema version. Never writes the file.
std::unique_ptr<TableReader> open_sqlite_table_reader(const std::string &path);
// RefusedError if `path` holds any titrate row or a newer schema (the file is not touched).
std::unique_ptr<TableWriter> open_sqlite_table_writer(const std::string &path);

} // namespace titrate
