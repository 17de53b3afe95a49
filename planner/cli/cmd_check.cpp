#include "planner/cli/commands.hpp"

namespace titrate::cli {

void add_check_command(CLI::App &app, Context &ctx) {
  (void)app;
  (void)ctx;
}

} // namespace titrate::cli
