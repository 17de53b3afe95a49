#include "planner/cli/folder_command.hpp"

#include <memory>

namespace titrate::cli {

void add_folder_command(CLI::App &app, Context &ctx, const FolderCommand &c) {
  CLI::App *cmd = app.add_subcommand(c.name, c.about);
  cmd->require_subcommand(1);
  CLI::App *list = cmd->add_subcommand("list", c.list_about);
  list->callback([&ctx, run = c.list] { run(ctx); });
  auto name = std::make_shared<std::string>();
  CLI::App *show = cmd->add_subcommand("show", c.show_about);
  show->add_option(c.show_arg, *name, c.show_arg_about)->required();
  show->callback([&ctx, name, run = c.show] { run(ctx, *name); });
  auto dir = std::make_shared<std::string>();
  CLI::App *check = cmd->add_subcommand("check", "Validate a " + std::string(c.name) +
                                                     " folder; lists every fault (exit 2)");
  check->add_option("DIR", *dir, "Folder (default: the " + std::string(c.folder_flag) + " folder)");
  check->callback([&ctx, dir, run = c.check] { run(ctx, *dir); });
}

} // namespace titrate::cli
