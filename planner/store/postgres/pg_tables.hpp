#pragma once
// Raw table access on a PostgreSQL database (planner/store/tables.hpp), for `titrate db copy`
// (libpqxx 6.4). The reader reads one REPEATABLE READ, READ ONLY snapshot through a cursor in
// primary-key order (text keys COLLATE "C", byte-wise as in SQLite). The writer takes an empty
// database (creating the schema from the embedded migrations when it has none, in the same
// transaction), loads every table with COPY, moves the identity sequences past the largest id,
// and commits only when told: a failed copy leaves the database as it was.
#include "planner/store/tables.hpp"

#include <memory>
#include <string>

namespace titrate {

// `url` is what libpq is given; `display` names it in messages (its password hidden).
// Connection failures are InputError; a schema version other than this build's, RefusedError.
std::unique_ptr<TableReader> open_pg_table_reader(const std::string &url,
                                                  const std::string &display);
// RefusedError if the database holds any titrate row or a newer schema (nothing is written).
std::unique_ptr<TableWriter> open_pg_table_writer(const std::string &url,
                                                  const std::string &display);

} // namespace titrate
