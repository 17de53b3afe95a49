#pragma once
// A numbered schema migration, embedded in the binary (planner/store/embed_migrations.cmake).
// Every back end keeps its own SQL dialect but the SAME numbering: schema version N means the
// same tables, columns and rules on SQLite and PostgreSQL, so `db copy` can move rows between them.
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

struct Migration {
  int version;           // 1, 2, ... (the NNN of migrations/NNN_name.sql)
  std::string_view name; // e.g. "initial"
  std::string_view sql;
};

// The schema version a back end's migrations lead to: the last one's number (0 for none).
int latest_version(const std::vector<Migration> &migrations);

// The one refusal every back end gives before touching a database it must not migrate:
// RefusedError when `found` is -1 (tables but no schema_version: not titrate's) or newer than
// `latest` (written by a newer titrate). `where` names the database (a path or a redacted URL).
void refuse_schema_version(const std::string &where, int found, int latest);

} // namespace titrate
