#pragma once
// SQLite faults that are the database's place or state, not bugs, as typed
// errors naming the file: the CLI's exit 2 (bad location) or 4 (refused) instead of 1.
#include <exception>
#include <string>

namespace titrate {

// Throws the typed error for `e` when it is an SQLite fault of the file at `path`: not a
// database or malformed, cannot be opened (InputError); read-only, permission, full disk, I/O
// (RefusedError). Returns when `e` is not an SQLite exception or is another one (a bug).
void throw_sqlite_fault(const std::exception &e, const std::string &path);

} // namespace titrate
