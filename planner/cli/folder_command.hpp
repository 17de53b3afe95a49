#pragma once
// The shape `formulary` and `pathway` share: a command over one folder of validated data files,
// with `list` (one line each), `show NAME` (one in full, with its sources) and `check [DIR]`
// (every fault of a folder, exit 2 with any; report_folder_check, context.hpp).
#include "planner/cli/context.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace titrate::cli {

struct FolderCommand {
  const char *name;  // "formulary"
  const char *about; // the command's --help line
  const char *list_about;
  const char *show_about;
  const char *show_arg;       // "DRUG"
  const char *show_arg_about; // "Generic name, e.g. gabapentin"
  const char *folder_flag; // "--formulary": the option naming the folder `check` reads by default
  void (*list)(Context &ctx);
  void (*show)(Context &ctx, const std::string &name);
  void (*check)(Context &ctx, const std::string &dir); // dir: empty when not given
};

// Adds `c.name list|show|check` to the app; one of the three is required.
void add_folder_command(CLI::App &app, Context &ctx, const FolderCommand &c);

} // namespace titrate::cli
