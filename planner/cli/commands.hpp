#pragma once
// The one explicit list of commands. Each command lives in its own cmd_*.cpp and adds its
// subcommand (options, help and callback) to the app; main.cpp calls every add_* below.
#include "planner/app/authorize.hpp"
#include "planner/cli/context.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace titrate::cli {

void add_formulary_command(CLI::App &app, Context &ctx); // formulary list|show|check
void add_pathway_command(CLI::App &app, Context &ctx);   // pathway list|show|check
void add_check_command(CLI::App &app, Context &ctx);     // check ID | --patient-file
void add_plan_command(CLI::App &app, Context &ctx);      // plan ID | --patient-file
void add_assess_command(CLI::App &app, Context &ctx);    // assess ID | --patient-file
void add_store_commands(CLI::App &app, Context &ctx);    // patient, schedule, log, import, due,
                                                         // review, audit
void add_export_command(CLI::App &app, Context &ctx);    // export ID --format
// serve, user add, and `patient invite` on the existing patient subcommand: call it AFTER
// add_store_commands.
void add_web_commands(CLI::App &app, Context &ctx);   // cmd_serve.cpp
void add_user_command(CLI::App &app, Context &ctx);   // cmd_user.cpp: user add
void add_invite_command(CLI::App &app, Context &ctx); // cmd_invite.cpp: patient invite
void add_report_command(CLI::App &app, Context &ctx); // cmd_report.cpp: report outcomes
void add_db_command(CLI::App &app, Context &ctx);     // cmd_db.cpp: db copy | checksum

// What a stored-data command's --help adds: the roles that may run it (from the authorization
// table) and an example (command_help.cpp).
struct CommandHelp {
  std::string_view path; // "patient add"
  std::optional<app::Permission> permission;
  std::string_view example;
  bool file_form = false; // also runs on a --patient-file with no role and no database
};
const std::vector<CommandHelp> &command_help();
// Sets each command's --help footer; call once every command is added.
void add_role_help(CLI::App &app);

} // namespace titrate::cli
