// `titrate user add NAME --role clinician|pharmacist`: a staff account for `titrate serve`. The
// password is read from stdin (one line; not echoed on a terminal) and stored only as an Argon2id
// hash. Whoever can write the database (--db) can add staff, so no acting role is required; the
// addition is audited with the acting user. On PostgreSQL a person's own login (an account) may
// not add staff: the operator's login does.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "planner/web/crypto.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <termios.h>
#include <unistd.h>

namespace titrate::cli {

namespace {

constexpr std::size_t min_password_length = 10;

std::string read_password(Context &ctx) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    ctx.err << "password: " << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    ctx.err << "\n";
  }
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  if (!got && line.empty())
    throw InputError("password: nothing on stdin; expected one line");
  if (line.size() < min_password_length) {
    throw InputError("password: " + std::to_string(line.size()) +
                     " characters; expected at least " + std::to_string(min_password_length));
  }
  return line;
}

void run_user_add(Context &ctx, const std::string &name, const std::string &role) {
  try {
    validate_patient_id(name); // staff names take the same form as ids
  } catch (const InputError &) {
    throw InputError("NAME: \"" + name.substr(0, 64) +
                     "\" is not a user name; expected 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  if (role != "clinician" && role != "pharmacist") {
    throw InputError("--role: \"" + role.substr(0, 32) + "\"; expected clinician or pharmacist");
  }
  const std::string password = read_password(ctx);
  auto repo = open_store(ctx, StoreMode::create);
  // On PostgreSQL a person's own login (one that is an account) acts as that person: adding staff
  // with it would let a clinician make the pharmacist who approves their plan. Accounts are the
  // operator's to add, on a login that is no account (docs/deployment.md).
  if (const auto login = repo->login_account(); login && login->role) {
    throw RefusedError("user add: this PostgreSQL login is " + login->login +
                       ", the titrate account " + login->login + " (" + *login->role +
                       "); staff accounts are added by the clinic's operator login, which is no "
                       "account; nothing was added");
  }
  const auto accounts = open_accounts(ctx.db_location());
  UserAccount u;
  u.name = name;
  u.role = role;
  u.password_hash = web::hash_password(password);
  u.created = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  accounts->add_user(u);
  const std::string by = ctx.user().empty() ? "unknown" : ctx.user();
  repo->append_audit(Actor{by, ctx.role(), "cli", os_user()}, "user.add", "",
                     "staff user " + name + " (" + role + ")");
  if (ctx.opt.json) {
    ctx.print_json({{"user", name}, {"role", role}});
  } else {
    ctx.out << "added " << role << " " << name << "\n";
  }
}

} // namespace

void add_user_command(CLI::App &app, Context &ctx) {
  CLI::App *cmd = app.add_subcommand("user", "Staff accounts for titrate serve");
  cmd->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  CLI::App *add = cmd->add_subcommand("add", "Add a staff user; the password is read from stdin");
  add->add_option("NAME", *name, "User name (1-64 of A-Z a-z 0-9 . _ -)")->required();
  add->add_option("--role", *role, "clinician | pharmacist")->required();
  add->callback([&ctx, name, role] { run_user_add(ctx, *name, *role); });
}

} // namespace titrate::cli
