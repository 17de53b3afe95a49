#pragma once
// Raw, back-end-neutral access to every titrate table, for `titrate db copy` and `db checksum`.
// Values cross this interface as CANONICAL TEXT, identical for the same stored value on
// SQLite and PostgreSQL: NULL is std::nullopt (distinct from ""), integers in decimal, reals in
// the shortest text that reads back to the same double, text as its bytes. Rows come in primary
// key order (text keys bytewise, COLLATE "C" on PostgreSQL), so a table's checksum (BLAKE2b over
// its canonical rows) is the same on both back ends exactly when the rows are.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace titrate {

enum class ColumnKind { text, integer, real };

struct ColumnSpec {
  std::string name;
  ColumnKind kind;
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns; // every column of the table, in CREATE TABLE order
  std::vector<std::string> key;    // the primary key (or, for users etc., the unique name)
  std::string serial;              // the integer id column a back end generates ("" if none)
};

// The schema version the table list below describes (the migrations' last number).
constexpr int tables_schema_version = 13;
// Every titrate table of that schema version (schema_version itself aside), parents before
// children, so loading in this order satisfies every foreign key.
const std::vector<TableSpec> &titrate_tables();

using Value = std::optional<std::string>;
using Row = std::vector<Value>; // one value per TableSpec::columns entry
using RowSink = std::function<void(const Row &)>;

// Canonical text of numbers (both back ends call these, so both give the same bytes).
std::string canonical_integer(std::int64_t v);
std::string canonical_real(double v);
// Canonical text of a number read as text (a PostgreSQL field, or a canonical value to bind):
// StorageError naming `where` when it is not one.
std::string canonical_integer_text(const std::string &text, const std::string &where);
std::string canonical_real_text(const std::string &text, const std::string &where);
std::int64_t parse_canonical_integer(const std::string &text, const std::string &where);
double parse_canonical_real(const std::string &text, const std::string &where);

// Reads a titrate database. Scans see one consistent snapshot (one read transaction).
class TableReader {
public:
  virtual ~TableReader() = default;
  // The location, fit for messages (a URL's password hidden).
  virtual std::string name() const = 0;
  virtual int schema_version() = 0;
  // Every row of `t` in primary-key order.
  virtual void scan(const TableSpec &t, const RowSink &each) = 0;
};

// Loads an EMPTY titrate database (already at this build's schema) in one transaction. Rows are
// given with their ids. Nothing is visible to others until commit(); destroyed without commit,
// everything is rolled back (a new SQLite file is removed). scan() reads the open transaction,
// so a copy can be verified before it is committed.
class TableWriter : public TableReader {
public:
  virtual void begin_table(const TableSpec &t) = 0;
  virtual void insert(const Row &r) = 0;
  // Ends the table's rows (and moves a generated id's sequence past the largest id).
  virtual void end_table() = 0;
  virtual void commit() = 0;
};

// One table's fingerprint: how many rows and the BLAKE2b-256 (hex) of its canonical rows.
struct TableSummary {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;
};

struct DatabaseSummary {
  int schema_version = 0;
  std::vector<TableSummary> tables; // titrate_tables() order
  std::int64_t total_rows = 0;
  std::string checksum; // BLAKE2b-256 (hex) of every table's "name rows checksum" line
};

// ---- the rules every back end's reader and writer apply (their wording once, here).

// StorageError unless a back end's migrations reach tables_schema_version (`dialect` names the
// back end: "SQLite", "PostgreSQL").
void check_table_list_matches(int latest_migration, const std::string &dialect);
// RefusedError unless the database's tables are exactly titrate_tables() plus schema_version,
// each with exactly its columns (`columns_of(table)` lists a table's columns): no table or
// column can be silently left behind.
void check_table_set(const std::set<std::string> &found,
                     const std::function<std::set<std::string>(const std::string &)> &columns_of,
                     const std::string &display);
// RefusedError unless a copy's source is at `latest`: `version` 0 is a database with no titrate
// schema (`empty_why` says how it looks, e.g. "an empty file"), -1 one with tables but no
// schema_version; an older one must be migrated first by opening it (`location_name` names it:
// "it", or the file).
void check_source_version(const std::string &display, int version, int latest,
                          const std::string &empty_why, const std::string &location_name);
// RefusedError: the copy's destination holds `rows` rows of `table`.
[[noreturn]] void refuse_nonempty_destination(const std::string &display, const std::string &table,
                                              std::int64_t rows);
// RefusedError: the copy's destination is at a newer schema version.
[[noreturn]] void refuse_newer_destination(const std::string &display, int version, int latest);
// The scan of one table in primary-key order; `text_key_order` follows each text key (byte
// order: "" on SQLite, ' COLLATE "C"' on PostgreSQL).
std::string table_select_sql(const TableSpec &spec, const std::string &text_key_order);

// Counts and checksums every table of `db`.
DatabaseSummary summarize(TableReader &db);
// Copies every row of `from` into `to` (which must be empty), then re-reads `to` inside its open
// transaction and compares counts and checksums table by table: any difference is a StorageError
// naming the table (and `to` is left uncommitted). Returns the verified summary; the caller
// commits `to`.
DatabaseSummary copy_tables(TableReader &from, TableWriter &to);

// The back end chosen by location, as open_repository does (planner/store/open_tables.cpp).
// Read-only: never migrates or writes; a missing SQLite file is NotFoundError; a schema version
// other than this build's is RefusedError saying what to do.
std::unique_ptr<TableReader> open_table_reader(const std::string &location);
// Creates (or takes an existing EMPTY) database at this build's schema and opens the load
// transaction. A database that holds any titrate row: RefusedError, nothing written. A new SQLite
// file is written under a temporary name in the same folder and renamed into place by commit().
std::unique_ptr<TableWriter> open_table_writer(const std::string &location);

} // namespace titrate
