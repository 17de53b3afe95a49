#pragma once
// The web door as a module (planner/core/plugin.hpp): `titrate serve` with its pages, JSON API
// and CDS Hooks service, over cpp-httplib and OpenSSL (and through them libssl, zlib and brotli).
// cpp-httplib initialises OpenSSL when it is loaded, about 8 ms of every process's start, so only
// `serve` maps it: the titrate executable loads titrate-web.so (web_module_loaded.cpp); test
// executables link the web code in and call it directly.
#include "planner/web/serve.hpp"

namespace titrate {

struct WebModule {
  // The titrate version the module was built with and the size of this table (plugin.hpp).
  const char *version;
  unsigned long table_size;
  void (*serve)(const web::ServeCall &call);
};

// The web code's table (web_module.cpp, in the module).
const WebModule &web_module_table();
// The table, loading the module on first use (RefusedError when it is missing or from another
// build).
const WebModule &web_module();

} // namespace titrate

// The module's entry point (a C name, for dlsym).
extern "C" const titrate::WebModule *titrate_web_module();
