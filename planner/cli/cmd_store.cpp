#include "planner/cli/commands.hpp"

namespace titrate::cli {

void add_store_commands(CLI::App &app, Context &ctx) {
  (void)app;
  (void)ctx;
}

} // namespace titrate::cli
