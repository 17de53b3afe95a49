// Raw table access on PostgreSQL (planner/store/postgres/pg_tables.hpp).
#include "planner/store/postgres/pg_tables.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/postgres/pg_common.hpp"
#include "planner/store/postgres/pg_store.hpp"

#include <pqxx/pqxx>
#include <pqxx/tablewriter> // not in <pqxx/pqxx> (deprecated); see begin_table

#include <optional>
#include <set>
#include <utility>

namespace titrate {

namespace {

constexpr int cursor_rows = 10'000;

std::string quoted(const std::string &name) {
  return "\"" + name + "\"";
}

int latest_version() {
  return postgres_latest_schema_version();
}

void check_build() {
  check_table_list_matches(latest_version(), "PostgreSQL");
}

// A library message with the URL's password replaced by "***" (libpq may echo part of a
// malformed URL).
std::string scrub(const std::string &message, const std::string &url) {
  return pg_scrub(message, pg_url_secrets(url));
}

std::unique_ptr<pqxx::connection> connect(const std::string &url, const std::string &display) {
  std::unique_ptr<pqxx::connection> c;
  try {
    c = std::make_unique<pqxx::connection>(url);
  } catch (const std::exception &e) {
    throw InputError("database " + display + ": cannot connect (" + scrub(e.what(), url) + ")");
  }
  // Notices ("relation already exists, skipping") would reach the user's terminal. Reals must
  // come back exactly (any extra_float_digits > 0 gives the shortest exact text, whatever the
  // server or PGOPTIONS set) and text as the UTF-8 the SQLite side holds.
  pqxx::nontransaction n(*c);
  n.exec("SET client_min_messages TO warning");
  n.exec("SET extra_float_digits TO 3");
  n.exec("SET client_encoding TO 'UTF8'");
  return c;
}

// Server and library failures become StorageError naming the database; our own typed errors
// (RefusedError, ...) pass unchanged.
template <class F> auto guarded(const std::string &display, const std::string &url, F &&f) {
  try {
    return f();
  } catch (const Error &) {
    throw;
  } catch (const pqxx::broken_connection &e) {
    throw StorageError("database " + display + ": connection lost: " + scrub(e.what(), url));
  } catch (const pqxx::failure &e) {
    throw StorageError("database " + display + ": " + scrub(e.what(), url));
  } catch (const pqxx::conversion_error &e) {
    throw StorageError("database " + display + ": a stored value is malformed: " + e.what());
  }
}

std::set<std::string> tables_here(pqxx::transaction_base &tx) {
  std::set<std::string> out;
  for (const auto &row : tx.exec("SELECT table_name FROM information_schema.tables WHERE "
                                 "table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
    out.insert(row[0].as<std::string>());
  }
  return out;
}

// 0: no schema_version table; else its version.
int read_version(pqxx::transaction_base &tx, const std::set<std::string> &tables) {
  if (!tables.count("schema_version"))
    return 0;
  const auto r = tx.exec("SELECT max(version) FROM schema_version");
  return r[0][0].is_null() ? 0 : r[0][0].as<int>();
}

// The tables and their columns must be exactly this build's (check_table_set).
void check_tables(pqxx::transaction_base &tx, const std::set<std::string> &found,
                  const std::string &display) {
  check_table_set(
      found,
      [&](const std::string &table) {
        std::set<std::string> cols;
        for (const auto &row :
             tx.exec_params("SELECT column_name FROM information_schema.columns WHERE "
                            "table_schema = current_schema() AND table_name = $1",
                            table)) {
          cols.insert(row[0].as<std::string>());
        }
        return cols;
      },
      display);
}

Value canonical(const pqxx::field &f, const TableSpec &spec, std::size_t k) {
  if (f.is_null())
    return std::nullopt;
  const std::string text(f.c_str(), f.size());
  const ColumnSpec &col = spec.columns[k];
  const std::string where = "table " + spec.name + " column " + col.name;
  switch (col.kind) {
  case ColumnKind::integer:
    if (text == "t" || text == "f")
      return text == "t" ? "1" : "0"; // a boolean column
    return canonical_integer_text(text, where);
  case ColumnKind::real:
    return canonical_real_text(text, where);
  case ColumnKind::text:
    return text;
  }
  return std::nullopt;
}

void scan_table(pqxx::transaction_base &tx, const TableSpec &spec, const RowSink &each) {
  // Text keys byte-wise, as SQLite's BINARY collation orders them.
  pqxx::icursorstream cursor(tx, table_select_sql(spec, " COLLATE \"C\""),
                             "titrate_copy_" + spec.name, cursor_rows);
  pqxx::result chunk;
  Row row(spec.columns.size());
  while (cursor >> chunk) {
    for (const auto &r : chunk) {
      for (std::size_t k = 0; k < spec.columns.size(); ++k) {
        row[k] = canonical(r[static_cast<pqxx::row::size_type>(k)], spec, k);
      }
      each(row);
    }
  }
}

using ReadTx = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// What the reader and the writer share: the database's URL and the name messages give it, and
// one connection to it (connect()); guard(f) runs `f` as guarded() does for this database. A
// subclass's transaction, its own member, ends before the connection closes.
class PgTableConnection {
protected:
  PgTableConnection(const std::string &url, const std::string &display)
      : url_(url), display_(display) {
    check_build();
    conn_ = connect(url, display);
  }
  template <class F> auto guard(F &&f) { return guarded(display_, url_, std::forward<F>(f)); }

  std::string url_;
  std::string display_;
  std::unique_ptr<pqxx::connection> conn_;
};

class PgTableReader final : public TableReader, private PgTableConnection {
public:
  PgTableReader(const std::string &url, const std::string &display)
      : PgTableConnection(url, display) {
    guard([&] { open(); });
  }

  std::string name() const override { return display_; }
  int schema_version() override { return version_; }
  void scan(const TableSpec &t, const RowSink &each) override {
    guard([&] { scan_table(*tx_, t, each); });
  }

private:
  void open() {
    const std::string &display = display_;
    tx_ = std::make_unique<ReadTx>(*conn_);
    const auto tables = tables_here(*tx_);
    version_ = read_version(*tx_, tables);
    check_source_version(display, version_, latest_version(), "no schema_version", "it");
    check_tables(*tx_, tables, display);
  }

  std::unique_ptr<ReadTx> tx_; // ends (rolls back) before the connection closes
  int version_ = 0;
};

class PgTableWriter final : public TableWriter, private PgTableConnection {
public:
  PgTableWriter(const std::string &url, const std::string &display)
      : PgTableConnection(url, display) {
    guard([&] { open(); });
  }
  ~PgTableWriter() override {
    stream_.reset(); // ~tablewriter does not throw; the transaction then aborts
    tx_.reset();
  }
  PgTableWriter(const PgTableWriter &) = delete;
  PgTableWriter &operator=(const PgTableWriter &) = delete;

  std::string name() const override { return display_; }
  int schema_version() override {
    return guard([&] { return read_version(*tx_, tables_here(*tx_)); });
  }
  void scan(const TableSpec &t, const RowSink &each) override {
    guard([&] { scan_table(*tx_, t, each); });
  }
  void begin_table(const TableSpec &t) override {
    guard([&] { start(t); });
  }
  void insert(const Row &row) override {
    guard([&] { write(row); });
  }
  void end_table() override {
    guard([&] { finish(); });
  }
  void commit() override {
    guard([&] {
      tx_->commit();
      tx_.reset();
    });
  }

private:
  void open() {
    const std::string &display = display_;
    tx_ = std::make_unique<pqxx::work>(*conn_);
    // The key PgStore takes while it migrates, so a copy creating the schema and a store opening
    // the same database never both create it.
    tx_->exec_params("SELECT pg_advisory_xact_lock($1)", pg_migrate_lock_key);
    auto tables = tables_here(*tx_);
    refuse_unless_empty(tables);
    // An empty database gets the schema here, in the load's own transaction: a failed copy
    // leaves not even the tables behind.
    int version = read_version(*tx_, tables);
    if (version < latest_version()) {
      tx_->exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
      for (const auto &m : postgres_migrations()) {
        if (m.version <= version)
          continue;
        tx_->exec(std::string(m.sql));
      }
      tx_->exec("DELETE FROM schema_version");
      tx_->exec_params("INSERT INTO schema_version (version) VALUES ($1)", latest_version());
      tables = tables_here(*tx_);
    }
    check_tables(*tx_, tables, display);
    // Nobody writes these tables until the copy commits (a concurrent copy or clinic waits).
    std::string names;
    for (const auto &spec : titrate_tables())
      names += (names.empty() ? "" : ", ") + quoted(spec.name);
    tx_->exec("LOCK TABLE " + names + " IN SHARE ROW EXCLUSIVE MODE");
    refuse_unless_empty(tables);
  }

  void start(const TableSpec &t) {
    spec_ = &t;
    std::vector<std::string> cols;
    for (const auto &c : t.columns)
      cols.push_back(quoted(c.name));
      // libpqxx 6.4's stream_to takes rows only as std::tuple (fixed at compile time) and keeps
      // write_raw_line private; its predecessor tablewriter (deprecated, still shipped) takes the
      // COPY text lines built below. Its multibyte warning concerns client encodings such as
      // SJIS, not UTF-8.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    stream_ = std::make_unique<pqxx::tablewriter>(*tx_, t.name, cols.begin(), cols.end());
#pragma GCC diagnostic pop
  }

  void write(const Row &row) {
    // One line of COPY's text format: tab-separated, \N for NULL, backslash escapes.
    line_.clear();
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k)
        line_ += '\t';
      if (!row[k]) {
        line_ += "\\N";
        continue;
      }
      for (const char c : *row[k]) {
        switch (c) {
        case '\\':
          line_ += "\\\\";
          break;
        case '\n':
          line_ += "\\n";
          break;
        case '\r':
          line_ += "\\r";
          break;
        case '\t':
          line_ += "\\t";
          break;
        case '\0':
          throw StorageError("table " + spec_->name + " column " + spec_->columns[k].name +
                             ": a value holding a NUL byte cannot be stored in PostgreSQL text");
        default:
          line_ += c;
        }
      }
    }
    stream_->write_raw_line(line_);
  }

  void finish() {
    stream_->complete();
    stream_.reset();
    if (!spec_->serial.empty()) {
      // Ids were given explicitly; the next generated one must follow the largest copied.
      tx_->exec("SELECT setval(pg_get_serial_sequence(" + tx_->quote(spec_->name) + ", " +
                tx_->quote(spec_->serial) + "), max(" + quoted(spec_->serial) + ")) FROM " +
                quoted(spec_->name) + " HAVING max(" + quoted(spec_->serial) + ") IS NOT NULL");
    }
    spec_ = nullptr;
  }

  void refuse_unless_empty(const std::set<std::string> &tables) {
    bool any = false;
    for (const auto &spec : titrate_tables()) {
      if (!tables.count(spec.name))
        continue;
      any = true;
      const auto r = tx_->exec("SELECT count(*) FROM " + quoted(spec.name));
      const auto n = r[0][0].as<std::int64_t>();
      if (n > 0)
        refuse_nonempty_destination(display_, spec.name, n);
    }
    const int version = read_version(*tx_, tables);
    if (!tables.empty() && !tables.count("schema_version")) {
      throw RefusedError("db copy: destination " + display_ + " is not a titrate database (it " +
                         (any ? "has titrate's tables" : "has tables") +
                         " but no schema_version); copy into a new or empty database. Nothing was "
                         "written");
    }
    if (version > latest_version())
      refuse_newer_destination(display_, version, latest_version());
  }

  std::unique_ptr<pqxx::work> tx_;
  std::unique_ptr<pqxx::tablewriter> stream_;
  std::string line_;
  const TableSpec *spec_ = nullptr;
};

} // namespace

std::unique_ptr<TableReader> open_pg_table_reader(const std::string &url,
                                                  const std::string &display) {
  return std::make_unique<PgTableReader>(url, display);
}

std::unique_ptr<TableWriter> open_pg_table_writer(const std::string &url,
                                                  const std::string &display) {
  return std::make_unique<PgTableWriter>(url, display);
}

} // namespace titrate
