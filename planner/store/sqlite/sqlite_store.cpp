// The SQLite back end: its dialect of the store core (connection, IMMEDIATE transactions,
// statements, migrations, the streaming import and its date arithmetic for the due query).
// Everything else of Repository is the core's (planner/store/core_store.cpp).
#include "planner/store/sqlite/sqlite_store.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace titrate {

namespace {

constexpr int busy_timeout_ms = 10'000;

void refuse_version(const std::string &path, int found) {
  refuse_schema_version(path, found, sqlite_latest_schema_version());
}

// The core writes PostgreSQL's $N parameters; SQLite spells them ?N.
std::string sqlite_placeholders(const std::string &sql) {
  std::string out = sql;
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9')
      out[i] = '?';
  }
  return out;
}

// Minutes since the calendar's epoch: orders local date-times like their iso() text does.
std::int64_t minute_key(const LocalDateTime &t) {
  return static_cast<std::int64_t>(t.date.day_number()) * 1440 + t.minute_of_day;
}

// iso(t) without the stream machinery: "YYYY-MM-DDTHH:MM" (the hot loop of an import).
void format_at(const LocalDateTime &t, char (&out)[17]) {
  const auto ymd = t.date.year_month_day();
  const auto put = [&](int at, int width, unsigned v) {
    for (int i = at + width - 1; i >= at; --i, v /= 10)
      out[i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, static_cast<unsigned>(ymd.year));
  out[4] = '-';
  put(5, 2, static_cast<unsigned>(ymd.month));
  out[7] = '-';
  put(8, 2, static_cast<unsigned>(ymd.day));
  out[10] = 'T';
  put(11, 2, static_cast<unsigned>(t.minute_of_day / 60));
  out[13] = ':';
  put(14, 2, static_cast<unsigned>(t.minute_of_day % 60));
  out[16] = '\0';
}

// What an import knows of the patient of the rows being read.
struct ImportPatient {
  std::string id;
  bool known = false;
  // The range of `at` (minute_key) over the patient's stored rows, this import's included (the
  // look-up runs inside its transaction). A row outside it cannot equal any of them, so it needs
  // no duplicate query.
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  std::optional<Date> birth; // the current profile's birth date: no observation before it
  ImportResult counts;
};

// A stored `at` as a minute key, or nullopt when it is not in iso() form (then the range of
// stored rows is unknown and every row of the patient gets the duplicate query).
std::optional<std::int64_t> stored_key(const SQLite::Column &c) {
  if (c.isNull())
    return std::nullopt;
  const std::string text = c.getString();
  try {
    const LocalDateTime t = parse_local_datetime(text);
    if (iso(t) != text)
      return std::nullopt;
    return minute_key(t);
  } catch (const InputError &) {
    return std::nullopt;
  }
}

// Patients an import keeps in memory at once (about 100 bytes each).
constexpr std::size_t max_cached_patients = 4096;

} // namespace

int sqlite_schema_version(SQLite::Database &db) {
  if (!db.tableExists("schema_version")) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    q.executeStep();
    return q.getColumn(0).getInt() == 0 ? 0 : -1;
  }
  SQLite::Statement q(db, "SELECT max(version) FROM schema_version");
  q.executeStep();
  return q.getColumn(0).isNull() ? 0 : q.getColumn(0).getInt();
}

int sqlite_latest_schema_version() {
  return latest_version(sqlite_migrations());
}

// One connection (WAL, foreign keys on, a 10 s busy timeout). A writing call runs in one
// IMMEDIATE transaction (the write lock is taken at BEGIN, so a concurrent writer waits on the
// busy timeout instead of failing on a lock upgrade); a reading call runs without one, as each
// SQLite statement reads a consistent snapshot of its own.
class SqliteDialect final : public store::StoreDialect {
public:
  SqliteDialect(const std::string &path, int target_version) { open(path, target_version); }

  // BEGIN, COMMIT and ROLLBACK are prepared once like the core's statements: parsed at every
  // transaction (sqlite3_exec), they were 6 % of the CDS Hooks server's CPU in a profile (the
  // replay record's transaction), 1-2 % once prepared.
  void begin(bool write) override {
    if (write) {
      synchronous(false);
      run("BEGIN IMMEDIATE");
      in_tx_ = true;
    }
  }
  void begin_relaxed() override {
    // WAL with synchronous NORMAL: the commit does not wait for fsync; it survives a crash of
    // the process, and is on disk at the next FULL commit or checkpoint.
    synchronous(true);
    run("BEGIN IMMEDIATE");
    in_tx_ = true;
  }
  void commit() override {
    if (in_tx_)
      run("COMMIT"); // a failed COMMIT leaves the transaction open: rollback() ends it
    in_tx_ = false;
  }
  void rollback() noexcept override {
    if (!in_tx_)
      return;
    in_tx_ = false;
    try {
      run("ROLLBACK");
    } catch (...) { // SQLite ended it already (a full disk, an I/O error)
    }
  }

  store::SqlRows query(const std::string &sql, const store::SqlParams &params) override {
    store::SqlRows out;
    each_row(sql, params, [&](store::SqlRow row) { out.push_back(std::move(row)); });
    return out;
  }

  void each_row(const std::string &sql, const store::SqlParams &params,
                const std::function<void(store::SqlRow)> &f) override {
    SQLite::Statement &q = statement(sql);
    q.reset();
    q.clearBindings();
    int i = 0;
    for (const auto &p : params) {
      ++i;
      if (const auto *s = std::get_if<std::string>(&p)) {
        q.bindNoCopy(i, *s);
      } else if (const auto *n = std::get_if<std::int64_t>(&p)) {
        q.bind(i, static_cast<int64_t>(*n));
      } else if (const auto *d = std::get_if<double>(&p)) {
        q.bind(i, *d);
      } else {
        q.bind(i);
      }
    }
    try {
      while (q.executeStep()) {
        std::vector<store::SqlValue> cells;
        const int n = q.getColumnCount();
        cells.reserve(static_cast<std::size_t>(n));
        for (int c = 0; c < n; ++c) {
          const SQLite::Column col = q.getColumn(c);
          if (col.isNull()) {
            cells.emplace_back(std::monostate{});
          } else if (col.isInteger()) {
            cells.emplace_back(static_cast<std::int64_t>(col.getInt64()));
          } else if (col.isFloat()) {
            cells.emplace_back(col.getDouble());
          } else {
            cells.emplace_back(col.getString());
          }
        }
        f(store::SqlRow(std::move(cells)));
      }
    } catch (...) {
      q.reset();
      q.clearBindings();
      throw;
    }
    q.reset();
    q.clearBindings(); // the bound text belongs to the caller
  }

  // A writing transaction holds SQLite's one write lock: nothing to lock row by row.
  std::string_view lock_rows() const override { return ""; }
  std::string_view byte_order() const override { return ""; }
  std::string days_before(std::string_view date, std::string_view days) const override {
    return "date(" + std::string(date) + ", '-' || " + std::string(days) + " || ' days')";
  }

  ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                             const std::string &source_name, const std::string &at_utc,
                             bool audit_actor_columns) override;

  int schema_version() override { return sqlite_schema_version(*db_); }

private:
  void open(const std::string &path, int target_version);
  // The connection's synchronous setting, changed only when a transaction needs the other one
  // (a PRAGMA is parsed each time it runs, which cost a busy server more than the commit): a
  // relaxed transaction runs under NORMAL, every other writing one under FULL (waits for the disk).
  // Set outside a transaction, as SQLite requires.
  void synchronous(bool relaxed) {
    if (relaxed_ == relaxed)
      return;
    db_->exec(relaxed ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
    relaxed_ = relaxed;
  }

  // The prepared statement of `sql` (the core's $N placeholders), made at its first use.
  SQLite::Statement &statement(const std::string &sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
      found = statements_
                  .emplace(sql, std::make_unique<SQLite::Statement>(*db_, sqlite_placeholders(sql)))
                  .first;
    }
    return *found->second;
  }
  // Runs a statement without rows, left reset (not holding the database).
  void run(const std::string &sql) {
    SQLite::Statement &q = statement(sql);
    q.reset();
    try {
      q.exec();
    } catch (...) {
      q.tryReset(); // its code is the error being thrown
      throw;
    }
    q.reset();
  }

  std::unique_ptr<SQLite::Database> db_;
  bool in_tx_ = false;   // a writing transaction is open (closing the connection rolls it back)
  bool relaxed_ = false; // synchronous is NORMAL (else FULL, SQLite's default)
  // Prepared statements of the core's SQL, by text (destroyed before db_).
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

void SqliteDialect::open(const std::string &path, int target_version) {
  // SQLite counts the memory it holds behind a global mutex on every allocation; titrate never
  // reads the count, and without it a bulk import spends less in locking (SQLite's
  // documentation of SQLITE_CONFIG_MEMSTATUS). Possible only before SQLite starts: once, before
  // the first connection (a later call would return SQLITE_MISUSE and change nothing).
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;
  const bool memory = path == ":memory:" || path.empty();
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                           busy_timeout_ms);
  // The version is read before anything is written, so a newer (or foreign) database is never
  // written, not even by setting the journal mode; and a refused one is closed without the
  // checkpoint SQLite makes when the last connection closes, so not even WAL frames another
  // program left are moved into it. (One connection, not a read-only look first: opening and
  // parsing the schema twice was 0.7 ms of every command's start.)
  int current = 0;
  try {
    current = sqlite_schema_version(*db_);
    refuse_version(path, current);
  } catch (...) {
    sqlite3_db_config(db_->getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    throw;
  }
  db_->exec("PRAGMA foreign_keys = ON");
  if (current >= target_version)
    return;
  if (!memory) {
    SQLite::Statement q(*db_, "PRAGMA journal_mode = WAL");
    q.executeStep();
  }
  // Forward, in one transaction; another process may have migrated while we waited.
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  current = sqlite_schema_version(*db_);
  refuse_version(path, current);
  if (current >= target_version)
    return;
  db_->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  for (const auto &m : sqlite_migrations()) {
    if (m.version <= current || m.version > target_version)
      continue;
    try {
      db_->exec(std::string(m.sql));
    } catch (const SQLite::Exception &e) {
      throw StorageError("database " + path + ": migration " + std::to_string(m.version) + " (" +
                         std::string(m.name) + ") failed: " + e.what() + "; nothing was changed");
    }
  }
  db_->exec("DELETE FROM schema_version");
  SQLite::Statement v(*db_, "INSERT INTO schema_version (version) VALUES (?)");
  v.bind(1, target_version);
  v.exec();
  tx.commit();
}

// Inside the caller's IMMEDIATE transaction, over the whole stream. Duplicates are exactly the rows
// equal in (patient, at, score, note) to a stored row or an earlier row of the file; the query that
// finds them runs only for a row whose time falls within the range of that patient's stored times
// (a diary in time order, either way, never needs it). Memory is flat in rows and in patients: at
// most max_cached_patients are held; their counts go to a TEMP table when the cache is full, and
// the audit entries, one per patient, are written from it at the end.
ImportResult SqliteDialect::import_scores(const ScoreRowSource &next, const Actor &who,
                                          const std::string &source_name, const std::string &at_utc,
                                          bool audit_actor_columns) {
  db_->exec("CREATE TEMP TABLE IF NOT EXISTS import_counts (patient_id TEXT PRIMARY KEY, "
            "imported INTEGER NOT NULL, duplicates INTEGER NOT NULL)");
  db_->exec("DELETE FROM temp.import_counts");
  store::ImportRefusals refused(source_name);
  SQLite::Statement look(*db_, "SELECT EXISTS (SELECT 1 FROM patients WHERE id = ?1), "
                               "(SELECT min(at) FROM pain_scores WHERE patient_id = ?1), "
                               "(SELECT max(at) FROM pain_scores WHERE patient_id = ?1), "
                               "(SELECT birth_date FROM patient_versions WHERE patient_id = ?1 "
                               "ORDER BY version DESC LIMIT 1)");
  SQLite::Statement dup(*db_, "SELECT 1 FROM pain_scores WHERE patient_id = ? AND at = ? AND "
                              "score = ? AND note = ? LIMIT 1");
  SQLite::Statement ins(*db_, "INSERT INTO pain_scores (patient_id, at, score, note, entered_by, "
                              "entered_at) VALUES (?,?,?,?,?,?)");
  SQLite::Statement count(*db_, "INSERT INTO temp.import_counts VALUES (?1, ?2, ?3) "
                                "ON CONFLICT (patient_id) DO UPDATE SET "
                                "imported = imported + excluded.imported, "
                                "duplicates = duplicates + excluded.duplicates");
  ins.bindNoCopy(5, who.user);
  ins.bindNoCopy(6, at_utc);
  ImportResult result;
  // The patients seen lately (a file sorted by time across patients interleaves them); when
  // full, their counts go to the TEMP table and they are looked up again if they come back.
  std::unordered_map<std::string, ImportPatient> cache;
  ImportPatient *p = nullptr;
  const auto flush = [&](const ImportPatient &e) {
    if (!e.known || refused.any())
      return;
    count.reset();
    count.bindNoCopy(1, e.id);
    count.bind(2, e.counts.imported);
    count.bind(3, e.counts.duplicates);
    count.exec();
  };
  ScoreImportRow r;
  char at[17];
  while (next(r)) {
    if (!p || r.patient != p->id) {
      auto it = cache.find(r.patient);
      if (it == cache.end()) {
        if (cache.size() >= max_cached_patients) {
          for (const auto &e : cache)
            flush(e.second);
          cache.clear();
        }
        ImportPatient fresh;
        fresh.id = r.patient;
        look.reset();
        look.bind(1, r.patient);
        look.executeStep();
        fresh.known = look.getColumn(0).getInt() != 0;
        if (!look.getColumn(3).isNull()) {
          fresh.birth = store::decode_stored(
              [&] { return parse_date(look.getColumn(3).getString(), "birth_date"); },
              [] { return "patient profile"; });
        }
        const auto lo = stored_key(look.getColumn(1)), hi = stored_key(look.getColumn(2));
        if (lo && hi) {
          fresh.lo = *lo;
          fresh.hi = *hi;
        } else if (!look.getColumn(1).isNull()) { // stored times of another form: always ask
          fresh.lo = std::numeric_limits<std::int64_t>::min();
          fresh.hi = std::numeric_limits<std::int64_t>::max();
        }
        it = cache.emplace(r.patient, std::move(fresh)).first;
      }
      p = &it->second;
    }
    ImportPatient &cur = *p;
    if (!cur.known) {
      refused.unknown_patient(r.line, r.patient);
      continue;
    }
    if (cur.birth && r.at.date < *cur.birth) {
      refused.before_birth(r.line, iso(r.at), r.patient, iso(*cur.birth));
      continue;
    }
    if (refused.any())
      continue; // nothing will be kept: only look for more refused rows
    const std::int64_t key = minute_key(r.at);
    format_at(r.at, at);
    if (key >= cur.lo && key <= cur.hi) {
      dup.reset();
      dup.bindNoCopy(1, r.patient);
      dup.bindNoCopy(2, at);
      dup.bind(3, r.score.value());
      dup.bindNoCopy(4, r.note);
      if (dup.executeStep()) {
        ++result.duplicates;
        ++cur.counts.duplicates;
        continue;
      }
    }
    ins.reset();
    ins.bindNoCopy(1, r.patient);
    ins.bindNoCopy(2, at);
    ins.bind(3, r.score.value());
    ins.bindNoCopy(4, r.note);
    ins.exec();
    cur.lo = std::min(cur.lo, key);
    cur.hi = std::max(cur.hi, key);
    ++result.imported;
    ++cur.counts.imported;
  }
  refused.throw_if_any();
  for (const auto &e : cache)
    flush(e.second);
  // One audit entry per patient, in patient order (the temp table's key order: byte order).
  SQLite::Statement audit(
      *db_, std::string("INSERT INTO audit (at, user, role, action, patient_id, detail") +
                (audit_actor_columns ? ", door, os_user" : "") +
                ") SELECT ?1, ?2, ?3, 'scores.import', patient_id, "
                "imported || ' imported, ' || duplicates || ' duplicates skipped, from ' || ?4" +
                (audit_actor_columns ? ", ?5, ?6" : "") +
                " FROM temp.import_counts ORDER BY patient_id");
  audit.bind(1, at_utc);
  audit.bind(2, who.user);
  audit.bind(3, who.role);
  audit.bind(4, source_name);
  if (audit_actor_columns) {
    audit.bind(5, who.door);
    audit.bind(6, who.os_user);
  }
  audit.exec();
  db_->exec("DELETE FROM temp.import_counts");
  return result;
}

SqliteStore::SqliteStore(const std::string &path, int schema_version)
    : CoreStore(std::make_unique<SqliteDialect>(path, schema_version)) {}

std::unique_ptr<store::StoreDialect> open_sqlite_dialect(const std::string &path) {
  return std::make_unique<SqliteDialect>(path, sqlite_latest_schema_version());
}

} // namespace titrate
