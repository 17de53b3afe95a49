#include "planner/cli/commands.hpp"

namespace titrate::cli {

void add_formulary_command(CLI::App &app, Context &ctx) {
  (void)app;
  (void)ctx;
}

} // namespace titrate::cli
