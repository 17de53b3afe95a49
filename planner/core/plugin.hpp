#pragma once
// Parts of titrate that need heavy shared libraries are built as modules and loaded only when a
// command needs them: the PostgreSQL back end (libpq, libpqxx, and through
// them OpenSSL, Kerberos and LDAP), the PDF handout (cairo, pango, and through them glib,
// harfbuzz, fontconfig, freetype and the X11 client libraries) and the web door of `serve`
// (cpp-httplib, which initialises OpenSSL when loaded, and libssl, zlib, brotli). A command on a
// SQLite file never maps them, so `titrate log` starts with the libraries it uses.
//
// A module is the file titrate-NAME.so with one C entry point that returns a table of function
// pointers (planner/store/postgres/pg_module.hpp, planner/export/pdf_module.hpp,
// planner/web/web_module.hpp). It is looked
// for beside the running executable (the build folder), then in the installed module folder
// (TITRATE_MODULE_DIR, CMAKE_INSTALL_LIBDIR/titrate). The module's own references to titrate's
// code resolve against the executable, which exports its symbols (ENABLE_EXPORTS).
//
// Test executables link the same code in directly (a *_linked.cpp provider, or, for the web door,
// its functions called directly) instead of loading it; the titrate executable links the
// *_loaded.cpp provider, which calls load_module below.
#include <cstring>
#include <string>

namespace titrate {

// The address of `entry` in module `name` (e.g. "postgres"), loading the module once (every
// symbol resolved at load, RTLD_NOW). Throws RefusedError (exit 4) naming the folders searched
// and the loader's message when the module is missing or cannot be loaded: titrate was installed
// without it, or a library it needs is missing; `purpose` says what could not be done
// ("open a PostgreSQL database").
void *load_module(const std::string &name, const char *entry, const std::string &purpose);

// Refuses (RefusedError) a module table from another build: its `version` (TITRATE_VERSION) and
// `table_size` (the size of the table it was compiled with) must be this build's.
void require_same_build(const std::string &name, const char *version, unsigned long table_size,
                        unsigned long expected_size, const std::string &purpose);

// The function table a module's C entry point `entry` returns, checked to be this build's. Loaded
// on the first call and kept: each Table is one module's, loaded from one place (its
// <name>_module_loaded.cpp), so later calls name the same module.
template <class Table>
const Table &load_module_table(const std::string &name, const char *entry,
                               const std::string &purpose) {
  static const Table &loaded = [&]() -> const Table & {
    auto get = reinterpret_cast<const Table *(*)()>(load_module(name, entry, purpose));
    const Table *table = get();
    require_same_build(name, table->version, table->table_size, sizeof(Table), purpose);
    return *table;
  }();
  return loaded;
}

} // namespace titrate
