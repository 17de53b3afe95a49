// Raw table access on a SQLite file (planner/store/sqlite/sqlite_tables.hpp).
#include "planner/store/sqlite/sqlite_tables.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <unistd.h>

namespace titrate {

namespace {

namespace fs = std::filesystem;
constexpr int busy_timeout_ms = 10'000;

std::string quoted(const std::string &name) {
  return "\"" + name + "\"";
}

void check_build() {
  check_table_list_matches(sqlite_latest_schema_version(), "SQLite");
}

// The tables and their columns must be exactly this build's (check_table_set).
void check_tables(SQLite::Database &db, const std::string &path) {
  std::set<std::string> found;
  SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                          "'sqlite\\_%' ESCAPE '\\'");
  while (q.executeStep())
    found.insert(q.getColumn(0).getString());
  check_table_set(
      found,
      [&](const std::string &table) {
        std::set<std::string> cols;
        SQLite::Statement c(db, "SELECT name FROM pragma_table_info(?)");
        c.bind(1, table);
        while (c.executeStep())
          cols.insert(c.getColumn(0).getString());
        return cols;
      },
      path);
}

Value canonical(const SQLite::Column &c, const TableSpec &spec, std::size_t k) {
  if (c.isNull())
    return std::nullopt;
  const ColumnSpec &col = spec.columns[k];
  const auto bad = [&](const char *what) {
    return StorageError("table " + spec.name + " column " + col.name + ": a stored " + what +
                        " where the schema has " +
                        (col.kind == ColumnKind::text      ? "text"
                         : col.kind == ColumnKind::integer ? "an integer"
                                                           : "a real number"));
  };
  switch (col.kind) {
  case ColumnKind::integer:
    if (!c.isInteger())
      throw bad(c.isFloat() ? "real number" : c.isText() ? "text" : "blob");
    return canonical_integer(c.getInt64());
  case ColumnKind::real:
    if (!c.isInteger() && !c.isFloat())
      throw bad(c.isText() ? "text" : "blob");
    return canonical_real(c.getDouble());
  case ColumnKind::text:
    if (!c.isText())
      throw bad(c.isInteger() ? "integer" : c.isFloat() ? "real number" : "blob");
    return c.getString();
  }
  return std::nullopt;
}

void scan_table(SQLite::Database &db, const TableSpec &spec, const RowSink &each) {
  SQLite::Statement q(db, table_select_sql(spec, ""));
  Row row(spec.columns.size());
  while (q.executeStep()) {
    for (std::size_t k = 0; k < spec.columns.size(); ++k) {
      row[k] = canonical(q.getColumn(static_cast<int>(k)), spec, k);
    }
    each(row);
  }
}

std::int64_t rows_in(SQLite::Database &db, const std::string &table) {
  SQLite::Statement q(db, "SELECT count(*) FROM " + quoted(table));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

class SqliteTableReader final : public TableReader {
public:
  explicit SqliteTableReader(const std::string &path) : path_(path) {
    check_build();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      throw NotFoundError("database " + path + ": not found (no such file)");
    }
    try {
      db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, busy_timeout_ms);
      // One read transaction: every scan sees the same snapshot, even if a clinic writes
      // meanwhile.
      db_->exec("BEGIN");
      version_ = sqlite_schema_version(*db_);
    } catch (const SQLite::Exception &e) {
      throw InputError("database " + path + ": cannot be read as a SQLite database (" + e.what() +
                       ")");
    }
    check_source_version(path, version_, sqlite_latest_schema_version(), "an empty file", path);
    check_tables(*db_, path);
  }
  ~SqliteTableReader() override {
    try {
      db_->exec("ROLLBACK");
    } catch (...) { // nothing was written; closing the connection ends the read anyway
    }
  }
  SqliteTableReader(const SqliteTableReader &) = delete;
  SqliteTableReader &operator=(const SqliteTableReader &) = delete;

  std::string name() const override { return path_; }
  int schema_version() override { return version_; }
  void scan(const TableSpec &t, const RowSink &each) override { scan_table(*db_, t, each); }

private:
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
  int version_ = 0;
};

// Refuses (untouched) a database that is not ours, is newer, or holds any titrate row.
void refuse_unless_empty(SQLite::Database &db, const std::string &path) {
  const int version = sqlite_schema_version(db);
  if (version < 0) {
    throw RefusedError("db copy: destination " + path +
                       " is not a titrate database (it has tables but no schema_version); "
                       "nothing was written");
  }
  if (version > sqlite_latest_schema_version()) {
    refuse_newer_destination(path, version, sqlite_latest_schema_version());
  }
  for (const auto &spec : titrate_tables()) {
    if (!db.tableExists(spec.name))
      continue;
    const std::int64_t n = rows_in(db, spec.name);
    if (n > 0)
      refuse_nonempty_destination(path, spec.name, n);
  }
}

std::string temporary_name(const fs::path &target) {
  std::random_device rd;
  const auto tag = std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000U);
  return (target.parent_path() / ("." + target.filename().string() + ".copy-" + tag + ".tmp"))
      .string();
}

void remove_database_files(const std::string &path) {
  std::error_code ec;
  for (const char *suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(path + suffix, ec);
}

class SqliteTableWriter final : public TableWriter {
public:
  explicit SqliteTableWriter(const std::string &path) : path_(path) {
    check_build();
    std::error_code ec;
    if (fs::exists(path, ec)) {
      if (!fs::is_regular_file(path, ec)) {
        throw InputError("db copy: destination " + path + " exists and is not a file");
      }
      try {
        SQLite::Database ro(path, SQLite::OPEN_READONLY, busy_timeout_ms);
        refuse_unless_empty(ro, path);
      } catch (const SQLite::Exception &e) {
        throw InputError("db copy: destination " + path + " cannot be read as a SQLite database (" +
                         e.what() + "); nothing was written");
      }
      SqliteStore migrate(path); // an empty titrate database: bring it to this build's schema
      file_ = path;
    } else {
      const fs::path parent = fs::path(path).parent_path();
      if (!parent.empty() && !fs::is_directory(parent, ec)) {
        throw InputError("db copy: the destination folder " + parent.string() +
                         " does not exist; create it first");
      }
      temp_ = temporary_name(path);
      file_ = temp_;
      try {
        SqliteStore create(temp_); // the schema, in its own transaction
      } catch (...) {
        remove_database_files(temp_);
        throw;
      }
    }
    try {
      db_ = std::make_unique<SQLite::Database>(file_, SQLite::OPEN_READWRITE, busy_timeout_ms);
      db_->exec("PRAGMA foreign_keys = ON");
      tx_.emplace(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      // Checked again under the write lock: another process may have written meanwhile.
      refuse_unless_empty(*db_, path);
      check_tables(*db_, path);
      db_->exec("PRAGMA defer_foreign_keys = ON");
    } catch (...) {
      discard();
      throw;
    }
  }
  ~SqliteTableWriter() override { discard(); }
  SqliteTableWriter(const SqliteTableWriter &) = delete;
  SqliteTableWriter &operator=(const SqliteTableWriter &) = delete;

  std::string name() const override { return path_; }
  int schema_version() override { return sqlite_schema_version(*db_); }
  void scan(const TableSpec &t, const RowSink &each) override { scan_table(*db_, t, each); }

  void begin_table(const TableSpec &t) override {
    spec_ = &t;
    std::string sql = "INSERT INTO " + quoted(t.name) + " (";
    std::string marks;
    for (std::size_t k = 0; k < t.columns.size(); ++k) {
      sql += (k ? ", " : "") + quoted(t.columns[k].name);
      marks += k ? ", ?" : "?";
    }
    insert_.emplace(*db_, sql + ") VALUES (" + marks + ")");
  }

  void insert(const Row &row) override {
    SQLite::Statement &q = *insert_;
    q.reset();
    q.clearBindings();
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (!row[k])
        continue; // unbound is NULL
      const ColumnSpec &col = spec_->columns[k];
      const int at = static_cast<int>(k) + 1;
      const std::string where = "table " + spec_->name + " column " + col.name;
      switch (col.kind) {
      case ColumnKind::integer:
        q.bind(at, parse_canonical_integer(*row[k], where));
        break;
      case ColumnKind::real:
        q.bind(at, parse_canonical_real(*row[k], where));
        break;
      case ColumnKind::text:
        q.bind(at, *row[k]);
        break;
      }
    }
    try {
      q.exec();
    } catch (const SQLite::Exception &e) {
      throw StorageError("db copy: table " + spec_->name + ": a row could not be stored in " +
                         path_ + " (" + e.what() + "); nothing was written");
    }
  }

  void end_table() override {
    insert_.reset();
    spec_ = nullptr;
  }

  void commit() override {
    try {
      tx_->commit();
    } catch (const SQLite::Exception &e) {
      throw StorageError("db copy: " + path_ + ": the copy could not be committed (" + e.what() +
                         "); nothing was written");
    }
    tx_.reset();
    if (temp_.empty()) {
      db_.reset();
      return;
    }
    // Fold the WAL into the file so the renamed file is complete on its own.
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db_.reset();
    // link() never replaces: a file that appeared at the destination meanwhile is kept. On a
    // file system without hard links, rename() after checking (a narrow race, not a silent one
    // in practice: the destination was checked absent when the copy began).
    int err = ::link(temp_.c_str(), path_.c_str()) == 0 ? 0 : errno;
    if (err == EPERM || err == ENOTSUP || err == ENOSYS) {
      std::error_code ec;
      if (fs::exists(path_, ec)) {
        err = EEXIST;
      } else {
        fs::rename(temp_, path_, ec);
        err = ec ? ec.value() : 0;
        if (!err)
          temp_.clear(); // renamed: nothing left to remove
      }
    }
    if (err != 0) {
      remove_database_files(temp_);
      temp_.clear();
      throw RefusedError("db copy: cannot create " + path_ + ": " +
                         std::error_code(err, std::generic_category()).message() +
                         "; nothing was written");
    }
    if (!temp_.empty())
      remove_database_files(temp_);
    temp_.clear();
  }

private:
  void discard() noexcept {
    try {
      insert_.reset();
      tx_.reset(); // an uncommitted SQLite::Transaction rolls back
      db_.reset();
    } catch (...) { // closing cannot fail in a way that matters: the file is removed below
    }
    if (!temp_.empty())
      remove_database_files(temp_);
    temp_.clear();
  }

  std::string path_;
  std::string file_; // what is open: path_ itself, or the temporary new file
  std::string temp_;
  std::unique_ptr<SQLite::Database> db_;
  std::optional<SQLite::Transaction> tx_;
  std::optional<SQLite::Statement> insert_;
  const TableSpec *spec_ = nullptr;
};

} // namespace

std::unique_ptr<TableReader> open_sqlite_table_reader(const std::string &path) {
  return std::make_unique<SqliteTableReader>(path);
}

std::unique_ptr<TableWriter> open_sqlite_table_writer(const std::string &path) {
  return std::make_unique<SqliteTableWriter>(path);
}

} // namespace titrate
