// web_module() for the titrate executable: titrate-web.so is loaded by `titrate serve`
// (planner/core/plugin.hpp).
#include "planner/web/web_module.hpp"

#include "planner/core/plugin.hpp"

namespace titrate {

const WebModule &web_module() {
  return load_module_table<WebModule>("web", "titrate_web_module", "serve the web pages");
}

} // namespace titrate
