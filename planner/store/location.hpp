#pragma once
// What kind of database a location names (--db / TITRATE_DB), and how to print it safely. In
// titrate_store (not titrate_store_open) so that every back end can name its location in messages.
#include <string>
#include <string_view>

namespace titrate {

// A URL postgresql://... or postgres://... names PostgreSQL; anything else is a SQLite file path.
bool is_postgres_location(std::string_view location);
// The location fit for a message or a log: any URL's password (user:PASSWORD@ or password=...)
// is replaced by "***". A file path is returned as it is.
std::string redact_location(const std::string &location);
// InputError for an empty location or a URL of another scheme (mysql://..., postgresq://...),
// which would otherwise be taken as a SQLite file name.
void require_supported_location(const std::string &location);

} // namespace titrate
