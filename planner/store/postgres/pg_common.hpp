#pragma once
// What the PostgreSQL store (pg_store.cpp) and its raw table access (pg_tables.cpp) share: the
// advisory lock that keeps a migration and a copy creating the schema apart, and the scrubbing
// of a URL's password out of library and server messages (libpq may echo part of a URL).
#include <cstdint>
#include <string>
#include <vector>

namespace titrate {

// The key of the advisory lock held while the schema is created or migrated.
constexpr std::int64_t pg_migrate_lock_key = 0x7469747261746501; // "titrate" + 1

// The passwords of a URL (user:PASSWORD@... and password=...); none when it is not a URL.
std::vector<std::string> pg_url_secrets(const std::string &url);
// `message` with each of `secrets` replaced by "***", without trailing line ends and spaces.
std::string pg_scrub(std::string message, const std::vector<std::string> &secrets);

} // namespace titrate
