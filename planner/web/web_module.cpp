// The web door's function table (web_module.hpp).
#include "planner/web/web_module.hpp"

namespace titrate {

const WebModule &web_module_table() {
  static const WebModule table{TITRATE_VERSION, sizeof(WebModule), &web::serve};
  return table;
}

} // namespace titrate

extern "C" const titrate::WebModule *titrate_web_module() {
  return &titrate::web_module_table();
}
