// `titrate db copy --from A --to B` and `titrate db checksum`: move a clinic's whole
// database between back ends (a SQLite file and a postgresql:// URL, either way), every row with
// its id and the audit byte for byte, verified by per-table counts and checksums before it is
// committed; and print those checksums for any database so a copy can be checked later.
//
// Roles: a copy is an operator's act on the whole database (every patient, the staff password
// hashes), not a clinical one, and --role is only a claim: what protects the data is who can read
// the source and write the destination (file permissions, PostgreSQL grants). So, like `user
// add`, no role is required; the patient role, which may only ever touch its own record, is
// refused.
//
// Audit: the copy writes NO audit entry, in either database. The source is opened read-only, and
// the destination must hold exactly the source's rows: an extra audit row would make the audit
// table's count and checksum differ from the source's, so no copy could be verified against its
// source, and a round trip (SQLite -> PostgreSQL -> SQLite) could never come back identical. The
// record of a copy is its report (per-table counts and checksums), which `db checksum` reproduces
// on either side at any later time.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "planner/store/tables.hpp"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

void refuse_patient_role(const Context &ctx, std::string_view command) {
  // No role needed; a given one must be a staff role (an unknown name is bad input).
  if (!ctx.role().empty())
    require_role(ctx, app::Permission::copy_database, command);
}

nlohmann::json tables_json(const DatabaseSummary &s) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &t : s.tables) {
    a.push_back({{"table", t.table}, {"rows", t.rows}, {"checksum", t.checksum}});
  }
  return a;
}

void print_tables(std::ostream &out, const DatabaseSummary &s) {
  for (const auto &t : s.tables) {
    out << "  " << std::left << std::setw(17) << t.table << std::right << std::setw(9) << t.rows
        << "  " << t.checksum << "\n";
  }
  out << "  " << std::left << std::setw(17) << "total" << std::right << std::setw(9) << s.total_rows
      << "  " << s.checksum << "\n";
}

void run_copy(Context &ctx, const std::string &from, const std::string &to) {
  refuse_patient_role(ctx, "db copy");
  if (from == to) {
    throw InputError("db copy: --from and --to both name " + redact_location(from) +
                     "; give two different databases");
  }
  // The source first: a source that cannot be copied never gets a destination created.
  auto source = open_table_reader(from);
  auto dest = open_table_writer(to);
  const DatabaseSummary s = copy_tables(*source, *dest);
  dest->commit();
  if (ctx.opt.json) {
    ctx.print_json({{"from", redact_location(from)},
                    {"to", redact_location(to)},
                    {"schema_version", s.schema_version},
                    {"tables", tables_json(s)},
                    {"total_rows", s.total_rows},
                    {"checksum", s.checksum},
                    {"verified", true}});
    return;
  }
  ctx.out << "copied " << redact_location(from) << " to " << redact_location(to)
          << " (schema version " << s.schema_version << "); every table verified:\n";
  print_tables(ctx.out, s);
}

void run_checksum(Context &ctx) {
  refuse_patient_role(ctx, "db checksum");
  const std::string location = ctx.db_location();
  auto db = open_table_reader(location);
  const DatabaseSummary s = summarize(*db);
  if (ctx.opt.json) {
    ctx.print_json({{"db", redact_location(location)},
                    {"schema_version", s.schema_version},
                    {"tables", tables_json(s)},
                    {"total_rows", s.total_rows},
                    {"checksum", s.checksum}});
    return;
  }
  ctx.out << redact_location(location) << " (schema version " << s.schema_version << "):\n";
  print_tables(ctx.out, s);
}

} // namespace

void add_db_command(CLI::App &app, Context &ctx) {
  CLI::App *db =
      app.add_subcommand("db", "Whole-database operations: copy between back ends, checksums");
  db->require_subcommand(1);

  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  CLI::App *copy = db->add_subcommand(
      "copy", "Copy every table (ids and audit intact) into a new or empty database, verified");
  copy->add_option("--from", *from, "Source: a SQLite file or postgresql://... (read only)")
      ->required();
  copy->add_option("--to", *to, "Destination: a new SQLite file or an empty database")->required();
  copy->callback([&ctx, from, to] { run_copy(ctx, *from, *to); });

  CLI::App *sum = db->add_subcommand(
      "checksum", "Rows and BLAKE2b checksum of every table of --db (read only)");
  sum->callback([&ctx] { run_checksum(ctx); });
}

} // namespace titrate::cli
