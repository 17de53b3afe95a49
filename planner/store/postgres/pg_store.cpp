// The PostgreSQL back end, one coherent thing: its dialect of the store core (the connection and
// its replacement, READ COMMITTED transactions and reads without them, one-statement writes,
// statements prepared per connection, library errors as the project's typed errors without the
// password), its migrations, the COPY import and its date arithmetic for the due query. Everything
// else of Repository is the core's (planner/store/core_store.cpp).
#include "planner/store/postgres/pg_store.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/location.hpp"
#include "planner/store/postgres/pg_common.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <poll.h>

// Concurrency (several `titrate serve` instances on one database). Every call runs in
// READ COMMITTED and takes row locks where a decision depends on state another instance may be
// changing: plan changes (save_draft, submit, approve, reject) lock the patient's `plans` row
// with SELECT ... FOR UPDATE and only then read the version's status in a NEW statement (READ
// COMMITTED gives each statement a fresh snapshot), so two pharmacists approving the same
// version serialize: the second sees "approved" and gets RefusedError. Profile updates lock the
// `patients` row, a correction locks the corrected score, and imports take a transaction-level
// advisory lock (their duplicate rule reads what earlier imports wrote). We chose locks over
// SERIALIZABLE + retry because atomically() runs caller code that is not safe to re-run (it may
// have printed or sent something); with locks nothing is retried and nothing fails spuriously.

namespace titrate {

namespace {

// Keys of the advisory locks: any fixed 64-bit numbers, distinct per purpose (and from
// pg_migrate_lock_key, pg_common.hpp).
constexpr std::int64_t import_lock_key = 0x7469747261746502;

// Every call runs through this: library errors become the project's typed errors, naming the
// database by its redacted location. Errors of our own (RefusedError, ...) pass unchanged.
template <class F>
auto guarded(const std::string &where, const std::vector<std::string> &secrets, F &&f)
    -> decltype(f()) {
  try {
    return f();
  } catch (const pqxx::broken_connection &e) {
    throw StorageError("database " + where + ": the connection to PostgreSQL was lost (" +
                       pg_scrub(e.what(), secrets) + "); the change, if any, was not made");
  } catch (const pqxx::in_doubt_error &e) {
    throw StorageError("database " + where + ": the connection was lost while committing (" +
                       pg_scrub(e.what(), secrets) +
                       "); the change may or may not have been made: check before repeating it");
  } catch (const pqxx::transaction_rollback &e) {
    throw RefusedError("database " + where + ": a concurrent change conflicted with this one (" +
                       pg_scrub(e.what(), secrets) + "); nothing was changed; try again");
  } catch (const pqxx::sql_error &e) {
    // Faults of the server's state, not bugs: a full disk, a read-only
    // server or database, a role without the grant. Refused, naming the database.
    const std::string state = e.sqlstate();
    if (state == "53100" || state == "25006" || state == "42501") {
      throw RefusedError("database " + where + ": " +
                         (state == "53100"   ? std::string("the server's disk is full")
                          : state == "25006" ? std::string("the database is read-only")
                                             : std::string("permission denied")) +
                         " (" + pg_scrub(e.what(), secrets) + "); nothing was changed");
    }
    throw StorageError("database " + where + ": " + pg_scrub(e.what(), secrets));
  } catch (const pqxx::failure &e) {
    throw StorageError("database " + where + ": " + pg_scrub(e.what(), secrets));
  } catch (const pqxx::conversion_error &e) {
    throw StorageError("database " + where + ": a stored value is malformed: " + e.what());
  }
}

// The schema version: 0 for an empty database, -1 for one that has tables but no
// schema_version (not ours). Same rule as SQLite's.
int read_schema_version(pqxx::transaction_base &w) {
  const auto has = w.exec("SELECT to_regclass('schema_version') IS NOT NULL");
  if (!has[0][0].as<bool>()) {
    const auto n = w.exec("SELECT count(*) FROM pg_catalog.pg_tables "
                          "WHERE schemaname = current_schema()");
    return n[0][0].as<long>() == 0 ? 0 : -1;
  }
  const auto v = w.exec("SELECT max(version) FROM schema_version");
  return v[0][0].is_null() ? 0 : v[0][0].as<int>();
}

void refuse_version(const std::string &where, int found) {
  refuse_schema_version(where, found, postgres_latest_schema_version());
}

std::string pg_param_text(const store::SqlValue &v) {
  if (const auto *s = std::get_if<std::string>(&v))
    return *s;
  if (const auto *n = std::get_if<std::int64_t>(&v))
    return std::to_string(*n);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v)); // round-trips every double
  return buf;
}

} // namespace

int postgres_latest_schema_version() {
  return latest_version(postgres_migrations());
}

// One connection, one transaction at a time (READ COMMITTED; see the note at the top). Every
// library error leaves as the project's typed error naming the database (guarded()).
class PgDialect final : public store::StoreDialect {
public:
  PgDialect(const std::string &url, int target_version) { open(url, target_version); }
  ~PgDialect() override {
    tx_.reset();
    conn_.reset();
  }
  PgDialect(const PgDialect &) = delete;
  PgDialect &operator=(const PgDialect &) = delete;

  void begin(bool write) override {
    guarded(where_, secrets_, [&] {
      if (!conn_->c.is_open())
        connect(); // the server closed the last one (restart, failover)
      reading_ = !write;
      try {
        start();
      } catch (const pqxx::broken_connection &) {
        // The server closed the connection while it was idle (a restart, a failover, an
        // operator's pg_terminate_backend; a pooled connection waits idle between requests).
        // Only BEGIN was sent, so nothing of the call is lost: connect again and begin once more.
        // A connection lost later in a transaction still fails the call (guarded()).
        connect();
        start();
      }
    });
  }
  void begin_relaxed() override {
    begin(true);
    // For this transaction only: the commit does not wait for the WAL flush (a crash of the
    // server may lose it; it never corrupts anything).
    guarded(where_, secrets_, [&] { tx_->exec0("SET LOCAL synchronous_commit TO OFF"); });
  }
  bool one_statement_writes() const override { return true; }
  void begin_one_statement() override {
    guarded(where_, secrets_, [&] {
      // Nothing is sent before the statement, so a connection the server closed while it was
      // idle is found here, not by the statement: such a server has already said so (its FATAL
      // message and the end of the stream wait on the socket of a connection that expects
      // nothing). A statement whose connection is lost while it runs may have committed, and the
      // error says so (each_row).
      if (!conn_->c.is_open() || closed_by_server())
        connect();
      reading_ = false;
      one_statement_ = true;
      tx_ = std::make_unique<pqxx::nontransaction>(conn_->c);
    });
  }
  void commit() override {
    guarded(where_, secrets_, [&] { tx_->commit(); });
    tx_.reset();
    one_statement_ = false;
  }
  void rollback() noexcept override {
    one_statement_ = false;
    try {
      tx_.reset();  // an uncommitted pqxx::work aborts in its destructor
    } catch (...) { // nothing to roll back on a lost connection
    }
  }

  store::SqlRows query(const std::string &sql, const store::SqlParams &params) override {
    store::SqlRows out;
    each_row(sql, params, [&](store::SqlRow row) { out.push_back(std::move(row)); });
    return out;
  }

  // libpq holds the whole result; the rows are converted one at a time as they are handed on.
  void each_row(const std::string &sql, const store::SqlParams &params,
                const std::function<void(store::SqlRow)> &each) override {
    guarded(where_, secrets_, [&] {
      std::vector<std::string> texts;
      texts.reserve(params.size());
      for (const auto &p : params) {
        texts.push_back(std::holds_alternative<std::monostate>(p) ? std::string()
                                                                  : pg_param_text(p));
      }
      std::vector<const char *> values; // nullptr: NULL
      values.reserve(params.size());
      for (std::size_t i = 0; i < params.size(); ++i) {
        values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr
                                                                           : texts[i].c_str());
      }
      pqxx::result r;
      try {
        r = tx_->exec_prepared(statement(sql), pqxx::prepare::make_dynamic_params(values));
      } catch (const pqxx::broken_connection &e) {
        // A read changes nothing, so on a connection the server closed while it was idle it is
        // simply sent again on a new one (once). A write's statements are not (begin() above).
        // A write of one statement is its own commit: lost while it ran, it may have committed
        // (guarded() says so, as for a lost COMMIT).
        if (one_statement_)
          throw pqxx::in_doubt_error(e.what());
        if (!reading_)
          throw;
        connect();
        start();
        r = tx_->exec_prepared(statement(sql), pqxx::prepare::make_dynamic_params(values));
      }
      for (const auto &row : r) {
        std::vector<store::SqlValue> cells;
        cells.reserve(row.size());
        for (const auto &f : row) {
          if (f.is_null()) {
            cells.emplace_back(std::monostate{});
          } else {
            cells.emplace_back(std::string(f.c_str(), f.size()));
          }
        }
        each(store::SqlRow(std::move(cells)));
      }
      return 0;
    });
  }

  std::string_view lock_rows() const override { return " FOR UPDATE"; }
  std::string_view byte_order() const override { return " COLLATE \"C\""; }
  std::string days_before(std::string_view date, std::string_view days) const override {
    return "to_char(" + std::string(date) + "::date - " + std::string(days) +
           "::int, 'YYYY-MM-DD')";
  }
  std::optional<std::string> session_login() override {
    return query("SELECT session_user", {}).at(0).text(0);
  }

  ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                             const std::string &source_name, const std::string &at_utc,
                             bool audit_actor_columns) override;

  int schema_version() override {
    return guarded(where_, secrets_, [&] {
      if (tx_)
        return read_schema_version(*tx_);
      if (!conn_->c.is_open())
        connect();
      pqxx::read_transaction r(conn_->c);
      const int v = read_schema_version(r);
      r.commit();
      return v;
    });
  }

private:
  void open(const std::string &url, int target_version);
  void connect(); // a new connection to url_ (after the server closed the last one)

  std::string url_;   // with its password: only ever handed to libpq, never put in a message
  std::string where_; // the URL with its password redacted: the only form put in messages
  std::vector<std::string> secrets_; // the URL's password(s), scrubbed from server messages
  // Holds the pqxx::connection (an alias of a template in libpqxx 6: no forward declaration).
  struct Connection {
    explicit Connection(const std::string &url) : c(url) {}
    pqxx::connection c;
    std::map<std::string, std::string, std::less<>> prepared; // the core's SQL -> statement name
  };
  // Opens tx_ on the current connection. A read runs its statements without BEGIN and COMMIT:
  // under READ COMMITTED each statement of a transaction sees its own snapshot anyway, so nothing
  // is lost, and a read costs one round trip per statement instead of two more (SQLite reads
  // outside a transaction too, core_store.hpp). A write sends BEGIN here.
  void start() {
    tx_.reset();
    if (reading_)
      tx_ = std::make_unique<pqxx::nontransaction>(conn_->c);
    else
      tx_ = std::make_unique<pqxx::work>(conn_->c);
  }
  // The name under which `sql` is prepared on this connection: each statement of the core is
  // parsed and planned by the server once per connection, not at every call.
  const std::string &statement(const std::string &sql) {
    auto it = conn_->prepared.find(sql);
    if (it == conn_->prepared.end()) {
      const std::string name = "titrate_" + std::to_string(conn_->prepared.size() + 1);
      conn_->c.prepare(name, sql);
      it = conn_->prepared.emplace(sql, name).first;
    }
    return it->second;
  }
  std::unique_ptr<Connection> conn_;
  // Whether the idle connection has something to read: the server closed it (or, rarely, sent a
  // notice unasked; connecting again then costs only the time).
  bool closed_by_server() {
    pollfd p{conn_->c.sock(), POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
  }
  std::unique_ptr<pqxx::transaction_base> tx_; // the open transaction
  bool reading_ = false; // tx_ is a read: statements without BEGIN/COMMIT (pqxx::nontransaction)
  bool one_statement_ = false; // tx_ is a write of one statement, sent without BEGIN/COMMIT
};

void PgDialect::open(const std::string &url, int target_version) {
  url_ = url;
  where_ = redact_location(url);
  secrets_ = pg_url_secrets(url);
  try {
    connect();
  } catch (const std::exception &e) {
    throw InputError("database " + where_ +
                     ": cannot connect to PostgreSQL: " + pg_scrub(e.what(), secrets_));
  }
  guarded(where_, secrets_, [&] {
    // Check the version read-only first, so a newer (or foreign) database is never written.
    int current = 0;
    {
      pqxx::read_transaction r(conn_->c);
      current = read_schema_version(r);
      r.commit();
    }
    refuse_version(where_, current);
    if (current >= target_version)
      return;
    // Forward, in one transaction, one process at a time: another may have migrated while we
    // waited, so the version is read again under the lock. The lock is a SESSION advisory lock
    // taken BEFORE the transaction begins, not pg_advisory_xact_lock inside it: a backend takes
    // in other sessions' catalog changes at the start of a transaction, so after waiting inside
    // one it could still see its cached "schema_version does not exist" from the check above
    // and call a migrated database foreign (a test opens one empty database from two threads).
    struct MigrationLock {
      explicit MigrationLock(pqxx::connection &c) : c_(c) {
        pqxx::nontransaction n(c_);
        n.exec_params("SELECT pg_advisory_lock($1)", pg_migrate_lock_key);
      }
      ~MigrationLock() {
        try {
          pqxx::nontransaction n(c_);
          n.exec_params("SELECT pg_advisory_unlock($1)", pg_migrate_lock_key);
        } catch (...) { // a broken connection has released it already
        }
      }
      MigrationLock(const MigrationLock &) = delete;
      MigrationLock &operator=(const MigrationLock &) = delete;
      pqxx::connection &c_;
    } lock(conn_->c);
    pqxx::work w(conn_->c);
    current = read_schema_version(w);
    refuse_version(where_, current);
    if (current >= target_version)
      return;
    w.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
    for (const auto &m : postgres_migrations()) {
      if (m.version <= current || m.version > target_version)
        continue;
      try {
        w.exec(std::string(m.sql));
      } catch (const pqxx::sql_error &e) {
        throw StorageError("database " + where_ + ": migration " + std::to_string(m.version) +
                           " (" + std::string(m.name) +
                           ") failed: " + pg_scrub(e.what(), secrets_) + "; nothing was changed");
      }
    }
    w.exec("DELETE FROM schema_version");
    w.exec_params("INSERT INTO schema_version (version) VALUES ($1)", target_version);
    w.commit();
  });
}

void PgDialect::connect() {
  tx_.reset(); // a transaction must not outlive its connection
  conn_.reset();
  conn_ = std::make_unique<Connection>(url_);
  // Notices (e.g. "table does not exist, skipping") would reach the user's terminal.
  pqxx::nontransaction n(conn_->c);
  n.exec("SET client_min_messages TO warning");
}

// Streamed: rows go through COPY into a temporary table (memory stays flat), then unknown
// patients are reported and, if there are none, ONE statement inserts the new rows, skips the
// duplicates and writes the per-patient audit. The duplicate rule is SqliteStore's sequential
// one: a row is a duplicate when an equal (patient, at, score, note) row is stored or comes
// earlier in the file.
ImportResult PgDialect::import_scores(const ScoreRowSource &next, const Actor &who,
                                      const std::string &source_name, const std::string &at_utc,
                                      bool audit_actor_columns) {
  return guarded(where_, secrets_, [&] {
    auto &w = *tx_;
    w.exec_params("SELECT pg_advisory_xact_lock($1)", import_lock_key);
    w.exec("DROP TABLE IF EXISTS pg_temp.titrate_import");
    w.exec("CREATE TEMPORARY TABLE titrate_import (seq bigint NOT NULL, line integer NOT NULL, "
           "patient_id text COLLATE \"C\" NOT NULL, at text COLLATE \"C\" NOT NULL, "
           "score integer NOT NULL, note text NOT NULL) ON COMMIT DROP");
    {
      pqxx::stream_to copy(
          w, "titrate_import",
          std::vector<std::string>{"seq", "line", "patient_id", "at", "score", "note"});
      std::int64_t seq = 0;
      ScoreImportRow r;
      while (next(r)) {
        copy << std::make_tuple(++seq, r.line, r.patient, iso(r.at), r.score.value(), r.note);
      }
      copy.complete();
    }
    // Rows dated before the patient's birth (the current profile's) are bad input, as on SQLite.
    const auto early =
        w.exec("SELECT i.line, i.patient_id, i.at, v.birth_date FROM titrate_import i "
               "JOIN LATERAL (SELECT birth_date FROM patient_versions pv WHERE pv.patient_id = "
               "i.patient_id ORDER BY version DESC LIMIT 1) v ON true "
               "WHERE substr(i.at, 1, 10) < v.birth_date ORDER BY i.seq");
    store::ImportRefusals refused(source_name);
    for (const auto &row : early) {
      refused.before_birth(row[0].as<std::int64_t>(), row[2].as<std::string>(),
                           row[1].as<std::string>(), row[3].as<std::string>());
    }
    refused.throw_if_any();
    const auto bad = w.exec("SELECT i.line, i.patient_id FROM titrate_import i WHERE NOT EXISTS "
                            "(SELECT 1 FROM patients p WHERE p.id = i.patient_id) ORDER BY i.seq");
    for (const auto &row : bad) {
      refused.unknown_patient(row[0].as<std::int64_t>(), row[1].as<std::string>());
    }
    refused.throw_if_any();
    const auto r = w.exec_params(
        "WITH firsts AS ("
        "  SELECT DISTINCT ON (patient_id, at, score, note) seq, patient_id, at, score, note"
        "  FROM titrate_import ORDER BY patient_id, at, score, note, seq),"
        " ins AS ("
        "  INSERT INTO pain_scores (patient_id, at, score, note, entered_by, entered_at)"
        "  SELECT f.patient_id, f.at, f.score, f.note, $1, $2 FROM firsts f"
        "  WHERE NOT EXISTS (SELECT 1 FROM pain_scores s WHERE s.patient_id = f.patient_id"
        "    AND s.at = f.at AND s.score = f.score AND s.note = f.note)"
        "  ORDER BY f.seq RETURNING patient_id),"
        " counts AS ("
        "  SELECT t.patient_id, t.n AS total, coalesce(i.n, 0) AS imported"
        "  FROM (SELECT patient_id, count(*) AS n FROM titrate_import GROUP BY patient_id) t"
        "  LEFT JOIN (SELECT patient_id, count(*) AS n FROM ins GROUP BY patient_id) i"
        "  USING (patient_id)),"
        " aud AS ("
        "  INSERT INTO audit (at, \"user\", role, action, patient_id, detail" +
            std::string(audit_actor_columns ? ", door, os_user" : "") +
            ")"
            "  SELECT $2, $1, $3, 'scores.import', patient_id,"
            "    imported || ' imported, ' || (total - imported) || ' duplicates skipped, from ' "
            "|| $4" +
            std::string(audit_actor_columns ? ", $5::text, $6::text" : "") +
            "  FROM counts ORDER BY patient_id)"
            " SELECT coalesce(sum(imported), 0), coalesce(sum(total), 0) FROM counts",
        audit_actor_columns ? pqxx::prepare::make_dynamic_params(std::vector<std::string>{
                                  who.user, at_utc, who.role, source_name, who.door, who.os_user})
                            : pqxx::prepare::make_dynamic_params(std::vector<std::string>{
                                  who.user, at_utc, who.role, source_name}));
    ImportResult result;
    result.imported = r[0][0].as<int>();
    result.duplicates = r[0][1].as<int>() - result.imported;
    return result;
  });
}

PgStore::PgStore(const std::string &url, int schema_version)
    : CoreStore(std::make_unique<PgDialect>(url, schema_version)) {}

std::unique_ptr<store::StoreDialect> open_postgres_dialect(const std::string &url) {
  return std::make_unique<PgDialect>(url, postgres_latest_schema_version());
}

} // namespace titrate
