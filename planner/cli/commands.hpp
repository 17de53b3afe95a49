#pragma once
// The one table of commands (command_table.cpp). Each command lives in its own cmd_*.cpp and adds
// its subcommand (options, help and callback) to the app; the table says which, in --help order.
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
void add_export_command(CLI::App &app, Context &ctx);    // export ID --format
void add_serve_command(CLI::App &app, Context &ctx);     // cmd_serve.cpp
void add_user_command(CLI::App &app, Context &ctx);      // cmd_user.cpp: user add
// cmd_invite.cpp: `patient invite`, on the patient command (added first).
void add_invite_command(CLI::App &app, Context &ctx);
void add_report_command(CLI::App &app, Context &ctx); // cmd_report.cpp: report outcomes
void add_db_command(CLI::App &app, Context &ctx);     // cmd_db.cpp: db copy | checksum

// A top-level command: its name and what adds it (with every subcommand) to the app.
struct Command {
  std::string_view name;
  void (*add)(CLI::App &app, Context &ctx);
};
// Every command, in --help order.
const std::vector<Command> &command_table();
// Adds the commands a run needs: only the command `args` names (the first word that is not a
// global option or its value) when the table has it, so a run builds one command's options, not
// every command's; else every command (--help, a mistyped name's "did you
// mean", no command at all).
void add_commands(CLI::App &app, Context &ctx, const std::vector<std::string> &args);

// What a stored-data command's --help adds: the roles that may run it (from the authorization
// table) and an example (command_help.cpp).
struct CommandHelp {
  std::string_view path; // "patient add"
  std::optional<app::Permission> permission;
  std::optional<app::Role> as; // the example's actor (none: a command that needs no role)
  std::string_view args;       // the example after the command: "P1 --start 2026-12-01 --submit"
  bool file_form = false;      // also runs on a --patient-file with no role and no database
};
const std::vector<CommandHelp> &command_help();
// "titrate --role clinician --user dr.ames plan P1 --start 2026-12-01 --submit": the example of
// `h` with the sample user of its role.
std::string example_of(const CommandHelp &h);
// Sets each command's --help footer; call once every command is added.
void add_role_help(CLI::App &app);

} // namespace titrate::cli
