#include "planner/store/postgres/pg_store.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"
#include "planner/store/location.hpp"
#include "planner/store/patient_codec.hpp"
#include "planner/store/plan_codec.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

// Concurrency (issue 9: several `titrate serve` instances on one database). Every call runs in
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

using nlohmann::json;

// Keys of the advisory locks: any fixed 64-bit numbers, distinct per purpose.
constexpr std::int64_t migrate_lock_key = 0x7469747261746501; // "titrate" + 1
constexpr std::int64_t import_lock_key = 0x7469747261746502;

std::string now_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Nullable parameters: libpqxx 6.4 has no std::optional parameter, but a null const char* is NULL.
const char *opt(const std::optional<std::string> &s) { return s ? s->c_str() : nullptr; }
std::optional<std::string> num(std::optional<double> v) {
  if (!v) return std::nullopt;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", *v); // round-trips every double
  return std::string(buf);
}
std::string num(double v) { return *num(std::optional<double>(v)); }
template <class I> std::optional<std::string> num(std::optional<I> v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

std::string text(const pqxx::field &f) { return f.is_null() ? std::string() : f.as<std::string>(); }

// The passwords of a URL (user:PASSWORD@... and password=...), to scrub from server messages.
std::vector<std::string> url_secrets(const std::string &url) {
  std::vector<std::string> out;
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return out;
  const std::size_t begin = scheme + 3;
  const std::size_t path = url.find_first_of("/?", begin);
  const std::size_t at = url.rfind('@', path == std::string::npos ? url.size() : path);
  if (at != std::string::npos && at >= begin) {
    const std::size_t colon = url.find(':', begin);
    if (colon != std::string::npos && colon < at && at > colon + 1) {
      out.push_back(url.substr(colon + 1, at - colon - 1));
    }
  }
  for (std::size_t pos = url.find("password="); pos != std::string::npos;
       pos = url.find("password=", pos + 1)) {
    const std::size_t b = pos + 9;
    const std::size_t e = url.find('&', b);
    if (e != b) out.push_back(url.substr(b, e == std::string::npos ? std::string::npos : e - b));
  }
  return out;
}

std::string scrub(std::string message, const std::vector<std::string> &secrets) {
  for (const auto &s : secrets) {
    if (s.empty()) continue;
    for (std::size_t p = message.find(s); p != std::string::npos; p = message.find(s, p + 3)) {
      message.replace(p, s.size(), "***");
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Every call runs through this: library errors become the project's typed errors, naming the
// database by its redacted location. Errors of our own (RefusedError, ...) pass unchanged.
template <class F>
auto guarded(const std::string &where, const std::vector<std::string> &secrets, F &&f)
    -> decltype(f()) {
  try {
    return f();
  } catch (const pqxx::broken_connection &e) {
    throw StorageError("database " + where + ": the connection to PostgreSQL was lost (" +
                       scrub(e.what(), secrets) + "); the change, if any, was not made");
  } catch (const pqxx::in_doubt_error &e) {
    throw StorageError("database " + where + ": the connection was lost while committing (" +
                       scrub(e.what(), secrets) +
                       "); the change may or may not have been made: check before repeating it");
  } catch (const pqxx::transaction_rollback &e) {
    throw RefusedError("database " + where + ": a concurrent change conflicted with this one (" +
                       scrub(e.what(), secrets) + "); nothing was changed; try again");
  } catch (const pqxx::sql_error &e) {
    // Faults of the server's state, not bugs (issue 13 item 7): a full disk, a read-only
    // server or database, a role without the grant. Refused, naming the database.
    const std::string state = e.sqlstate();
    if (state == "53100" || state == "25006" || state == "42501") {
      throw RefusedError("database " + where + ": " +
                         (state == "53100"   ? std::string("the server's disk is full")
                          : state == "25006" ? std::string("the database is read-only")
                                             : std::string("permission denied")) +
                         " (" + scrub(e.what(), secrets) + "); nothing was changed");
    }
    throw StorageError("database " + where + ": " + scrub(e.what(), secrets));
  } catch (const pqxx::failure &e) {
    throw StorageError("database " + where + ": " + scrub(e.what(), secrets));
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

// ---- patients

json stopped_doc(const std::vector<StoppedMedication> &v) {
  json a = json::array();
  for (const auto &s : v) a.push_back({{"name", s.name}, {"stopped", iso(s.stopped)}});
  return a;
}

// `sources` arrived with migration 6: a store opened at an older schema (the migration tests)
// reads '[]' and writes no sources.
std::string patient_columns(bool sources) {
  return std::string("patient_id, version, birth_date, sex, weight_kg, serum_creatinine_mg_dl, "
                     "crcl_ml_min, hepatic, conditions, medications, stopped_medications, "
                     "baseline_pain, recorded_by, recorded_at, ") +
         (sources ? "sources" : "'[]' AS sources");
}

PatientRecord patient_from_row(const pqxx::row &q) {
  try {
    PatientRecord r;
    Patient &p = r.patient;
    p.id = q[0].as<std::string>();
    r.version = q[1].as<int>();
    p.birth_date = parse_date(q[2].as<std::string>(), "birth_date");
    p.sex = parse_sex(q[3].as<std::string>());
    p.weight_kg = q[4].as<double>();
    if (!q[5].is_null()) p.serum_creatinine_mg_dl = q[5].as<double>();
    if (!q[6].is_null()) p.crcl_ml_min = q[6].as<double>();
    p.hepatic = parse_hepatic(q[7].as<std::string>());
    store::read_conditions_document(json::parse(q[8].as<std::string>()), p);
    p.medications = json::parse(q[9].as<std::string>()).get<std::vector<std::string>>();
    for (const auto &s : json::parse(q[10].as<std::string>())) {
      p.stopped_medications.push_back(
          {s.at("name").get<std::string>(), parse_date(s.at("stopped").get<std::string>())});
    }
    if (!q[11].is_null()) p.baseline_pain = PainScore(q[11].as<int>());
    r.recorded_by = q[12].as<std::string>();
    r.recorded_at = q[13].as<std::string>();
    store::read_sources_document(json::parse(q[14].as<std::string>()), p);
    return r;
  } catch (const InputError &e) {
    throw StorageError(std::string("stored patient profile: ") + e.what());
  } catch (const json::exception &e) {
    throw StorageError(std::string("stored patient profile: ") + e.what());
  }
}

void insert_patient_version(pqxx::transaction_base &w, const Patient &p, const Actor &who,
                            int version, const std::string &at, bool sources) {
  // The text must outlive the statement: opt() only points into it.
  const std::optional<std::string> baseline_text =
      p.baseline_pain ? std::optional<std::string>(std::to_string(p.baseline_pain->value()))
                      : std::nullopt;
  const char *baseline = opt(baseline_text);
  if (!sources) { // a store opened at a schema before migration 6 (the migration tests)
    w.exec_params("INSERT INTO patient_versions (patient_id, version, birth_date, sex, weight_kg, "
                  "serum_creatinine_mg_dl, crcl_ml_min, hepatic, conditions, medications, "
                  "stopped_medications, baseline_pain, recorded_by, recorded_at) "
                  "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
                  p.id, version, iso(p.birth_date), std::string(to_string(p.sex)),
                  num(p.weight_kg), opt(num(p.serum_creatinine_mg_dl)),
                  opt(num(p.crcl_ml_min)), std::string(to_string(p.hepatic)),
                  store::conditions_document(p).dump(), json(p.medications).dump(),
                  stopped_doc(p.stopped_medications).dump(), baseline, who.user, at);
    return;
  }
  w.exec_params("INSERT INTO patient_versions (patient_id, version, birth_date, sex, weight_kg, "
                "serum_creatinine_mg_dl, crcl_ml_min, hepatic, conditions, medications, "
                "stopped_medications, baseline_pain, recorded_by, recorded_at, sources) "
                "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
                p.id, version, iso(p.birth_date), std::string(to_string(p.sex)), num(p.weight_kg),
                opt(num(p.serum_creatinine_mg_dl)), opt(num(p.crcl_ml_min)),
                std::string(to_string(p.hepatic)), store::conditions_document(p).dump(),
                json(p.medications).dump(), stopped_doc(p.stopped_medications).dump(), baseline,
                who.user, at, store::sources_document(p).dump());
}

bool patient_exists(pqxx::transaction_base &w, const std::string &id, bool lock = false) {
  return !w.exec_params(std::string("SELECT 1 FROM patients WHERE id = $1") +
                            (lock ? " FOR UPDATE" : ""),
                        id)
              .empty();
}

void require_patient(pqxx::transaction_base &w, const std::string &id, bool lock = false) {
  if (!patient_exists(w, id, lock)) throw NotFoundError("patient " + id + ": not found");
}

void write_audit(pqxx::transaction_base &w, const Actor &who, const std::string &action,
                 const std::string &patient, const std::string &detail, const std::string &at) {
  w.exec_params("INSERT INTO audit (at, \"user\", role, action, patient_id, detail) "
                "VALUES ($1,$2,$3,$4,$5,$6)",
                at, who.user, who.role, action, patient.empty() ? nullptr : patient.c_str(),
                detail);
}

// ---- plans

PlanStatus status_from(const std::string &s) {
  for (auto st : {PlanStatus::draft, PlanStatus::submitted, PlanStatus::approved,
                  PlanStatus::rejected, PlanStatus::superseded}) {
    if (to_string(st) == s) return st;
  }
  throw StorageError("stored plan status \"" + s + "\" is not known");
}

const char *version_select =
    "SELECT p.patient_id, v.version, v.status, v.content, v.drafted_by, v.drafted_at, "
    "v.submitted_by, v.submitted_at, v.note FROM plan_versions v JOIN plans p ON p.id = v.plan_id ";

PlanVersion version_from_row(const pqxx::row &q) {
  PlanVersion v;
  v.patient = q[0].as<std::string>();
  v.version = q[1].as<int>();
  v.status = status_from(q[2].as<std::string>());
  try {
    v.plan = store::plan_from_document(json::parse(q[3].as<std::string>()));
  } catch (const json::exception &e) {
    throw StorageError("stored plan of " + v.patient + " version " + std::to_string(v.version) +
                       ": " + e.what());
  }
  v.drafted_by = q[4].as<std::string>();
  v.drafted_at = q[5].as<std::string>();
  if (!q[6].is_null()) v.submitted_by = q[6].as<std::string>();
  if (!q[7].is_null()) v.submitted_at = q[7].as<std::string>();
  v.note = q[8].as<std::string>();
  return v;
}

std::vector<PlanVersion> collect_versions(const pqxx::result &r) {
  std::vector<PlanVersion> out;
  out.reserve(r.size());
  for (const auto &row : r) out.push_back(version_from_row(row));
  return out;
}

struct VersionRow {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  PlanStatus status = PlanStatus::draft;
  std::string drafted_by;
  std::string submitted_by;
};

// `lock`: take the patient's plan row first (FOR UPDATE) and read the version afterwards, in a
// new statement, so its status is the latest committed one (see the note at the top).
VersionRow find_version(pqxx::transaction_base &w, const std::string &patient, int version,
                        bool lock) {
  require_patient(w, patient);
  if (lock) w.exec_params("SELECT id FROM plans WHERE patient_id = $1 FOR UPDATE", patient);
  const auto r = w.exec_params("SELECT v.id, v.plan_id, v.status, v.drafted_by, v.submitted_by "
                               "FROM plan_versions v JOIN plans p ON p.id = v.plan_id "
                               "WHERE p.patient_id = $1 AND v.version = $2",
                               patient, version);
  if (r.empty()) {
    throw NotFoundError("plan of " + patient + ": no version " + std::to_string(version));
  }
  return {r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>(),
          status_from(r[0][2].as<std::string>()), r[0][3].as<std::string>(), text(r[0][4])};
}

std::string version_name(const std::string &patient, int version) {
  return "plan of " + patient + " version " + std::to_string(version);
}

} // namespace

int postgres_latest_schema_version() {
  const auto &all = postgres_migrations();
  return all.empty() ? 0 : all.back().version;
}

struct PgStore::Connection {
  explicit Connection(const std::string &url) : c(url) {}
  pqxx::connection c;
};

// Joins the open transaction, or opens one (READ COMMITTED; see the note at the top).
class PgStore::Tx {
public:
  explicit Tx(PgStore &s) : s_(s) {
    if (s_.depth_ == 0) {
      // A connection the server closed (restart, failover, idle timeout) is replaced before a
      // new transaction, so a long-running `serve` does not fail every request after one cut.
      // Never inside a transaction: its work died with the old connection.
      if (!s_.conn_->c.is_open()) s_.connect();
      s_.tx_ = std::make_unique<pqxx::work>(s_.conn_->c);
      owner_ = true;
    }
    ++s_.depth_;
    at_ = now_utc();
  }
  ~Tx() {
    --s_.depth_;
    if (owner_) s_.tx_.reset(); // an uncommitted pqxx::work aborts in its destructor
  }
  Tx(const Tx &) = delete;
  Tx &operator=(const Tx &) = delete;
  pqxx::transaction_base &w() { return *s_.tx_; }
  void commit() {
    if (owner_) s_.tx_->commit();
  }
  const std::string &at() const { return at_; }

private:
  PgStore &s_;
  bool owner_ = false;
  std::string at_;
};

PgStore::PgStore(const std::string &url) {
  open(url, postgres_latest_schema_version());
  sources_ = schema_version() >= 6;
}

PgStore::PgStore(const std::string &url, int schema_version) {
  open(url, schema_version);
  sources_ = this->schema_version() >= 6;
}

PgStore::~PgStore() {
  tx_.reset();
  conn_.reset();
}

void PgStore::open(const std::string &url, int target_version) {
  url_ = url;
  where_ = redact_location(url);
  secrets_ = url_secrets(url);
  try {
    connect();
  } catch (const std::exception &e) {
    throw InputError("database " + where_ + ": cannot connect to PostgreSQL: " +
                     scrub(e.what(), secrets_));
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
    if (current >= target_version) return;
    // Forward, in one transaction, one process at a time: another may have migrated while we
    // waited, so the version is read again under the lock. The lock is a SESSION advisory lock
    // taken BEFORE the transaction begins, not pg_advisory_xact_lock inside it: a backend takes
    // in other sessions' catalog changes at the start of a transaction, so after waiting inside
    // one it could still see its cached "schema_version does not exist" from the check above
    // and call a migrated database foreign (a test opens one empty database from two threads).
    struct MigrationLock {
      explicit MigrationLock(pqxx::connection &c) : c_(c) {
        pqxx::nontransaction n(c_);
        n.exec_params("SELECT pg_advisory_lock($1)", migrate_lock_key);
      }
      ~MigrationLock() {
        try {
          pqxx::nontransaction n(c_);
          n.exec_params("SELECT pg_advisory_unlock($1)", migrate_lock_key);
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
    if (current >= target_version) return;
    w.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
    for (const auto &m : postgres_migrations()) {
      if (m.version <= current || m.version > target_version) continue;
      try {
        w.exec(std::string(m.sql));
      } catch (const pqxx::sql_error &e) {
        throw StorageError("database " + where_ + ": migration " + std::to_string(m.version) +
                           " (" + std::string(m.name) + ") failed: " + scrub(e.what(), secrets_) +
                           "; nothing was changed");
      }
    }
    w.exec("DELETE FROM schema_version");
    w.exec_params("INSERT INTO schema_version (version) VALUES ($1)", target_version);
    w.commit();
  });
}

void PgStore::connect() {
  conn_.reset();
  conn_ = std::make_unique<Connection>(url_);
  // Notices (e.g. "table does not exist, skipping") would reach the user's terminal.
  pqxx::nontransaction n(conn_->c);
  n.exec("SET client_min_messages TO warning");
}

int PgStore::schema_version() {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const int v = read_schema_version(tx.w());
    tx.commit();
    return v;
  });
}

void PgStore::atomically(const std::function<void()> &body) {
  guarded(where_, secrets_, [&] {
    Tx tx(*this);
    body();
    tx.commit();
  });
}

// ---- patients

int PgStore::add_patient(const Patient &p, const Actor &who) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    // ON CONFLICT: two instances adding the same id at once; the second waits and is refused.
    const auto r = tx.w().exec_params("INSERT INTO patients (id, created_at) VALUES ($1, $2) "
                                      "ON CONFLICT (id) DO NOTHING RETURNING id",
                                      p.id, tx.at());
    if (r.empty()) {
      throw RefusedError("patient " + p.id + ": already exists; use patient update to change it");
    }
    insert_patient_version(tx.w(), p, who, 1, tx.at(), sources_);
    write_audit(tx.w(), who, "patient.add", p.id, "profile version 1", tx.at());
    tx.commit();
    return 1;
  });
}

int PgStore::update_patient(const Patient &p, const Actor &who) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    require_patient(tx.w(), p.id, true); // locked: concurrent updates number versions in turn
    const auto r = tx.w().exec_params(
        "SELECT coalesce(max(version), 0) FROM patient_versions WHERE patient_id = $1", p.id);
    const int version = r[0][0].as<int>() + 1;
    insert_patient_version(tx.w(), p, who, version, tx.at(), sources_);
    write_audit(tx.w(), who, "patient.update", p.id,
                "profile version " + std::to_string(version), tx.at());
    tx.commit();
    return version;
  });
}

std::optional<PatientRecord> PgStore::patient(const std::string &id) {
  return guarded(where_, secrets_, [&]() -> std::optional<PatientRecord> {
    Tx tx(*this);
    const auto r = tx.w().exec_params(std::string("SELECT ") + patient_columns(sources_) +
                                          " FROM patient_versions WHERE patient_id = $1 "
                                          "ORDER BY version DESC LIMIT 1",
                                      id);
    tx.commit();
    if (r.empty()) return std::nullopt;
    return patient_from_row(r[0]);
  });
}

std::vector<PatientRecord> PgStore::patient_history(const std::string &id) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const auto r = tx.w().exec_params(std::string("SELECT ") + patient_columns(sources_) +
                                          " FROM patient_versions WHERE patient_id = $1 "
                                          "ORDER BY version",
                                      id);
    tx.commit();
    std::vector<PatientRecord> out;
    for (const auto &row : r) out.push_back(patient_from_row(row));
    return out;
  });
}

std::vector<PatientRecord> PgStore::patients() {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const auto r = tx.w().exec(std::string("SELECT DISTINCT ON (patient_id) ") + patient_columns(sources_) +
                               " FROM patient_versions ORDER BY patient_id, version DESC");
    tx.commit();
    std::vector<PatientRecord> out;
    for (const auto &row : r) out.push_back(patient_from_row(row));
    return out;
  });
}

// ---- plans

int PgStore::save_draft(const Plan &plan, const Actor &who, const std::string &note) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    require_patient(w, plan.patient);
    w.exec_params("INSERT INTO plans (patient_id) VALUES ($1) ON CONFLICT (patient_id) DO NOTHING",
                  plan.patient);
    // Locked: the version number and the superseding of older drafts are decided in turn.
    const std::int64_t plan_id =
        w.exec_params("SELECT id FROM plans WHERE patient_id = $1 FOR UPDATE", plan.patient)[0][0]
            .as<std::int64_t>();
    const int version =
        w.exec_params("SELECT coalesce(max(version), 0) FROM plan_versions WHERE plan_id = $1",
                      plan_id)[0][0]
            .as<int>() +
        1;
    w.exec_params("UPDATE plan_versions SET status = 'superseded' "
                  "WHERE plan_id = $1 AND status = 'draft'",
                  plan_id);
    std::optional<std::string> dd;
    if (auto d = plan_decision_date(plan)) dd = iso(*d);
    const std::int64_t version_id =
        w.exec_params("INSERT INTO plan_versions (plan_id, version, status, pathway, start_date, "
                      "decision_date, content, drafted_by, drafted_at, note) "
                      "VALUES ($1,$2,'draft',$3,$4,$5,$6,$7,$8,$9) RETURNING id",
                      plan_id, version, plan.pathway, iso(plan.start), opt(dd),
                      store::plan_to_document(plan).dump(), who.user, tx.at(), note)[0][0]
            .as<std::int64_t>();
    int si = 0;
    for (const auto &s : plan.stages) {
      std::optional<std::string> target, decision;
      if (s.target_reached) target = iso(*s.target_reached);
      if (s.decision_date) decision = iso(*s.decision_date);
      const std::int64_t stage_id =
          w.exec_params("INSERT INTO stages (plan_version_id, ordinal, drug, role, assessed_ug, "
                        "target_reached, decision_date) VALUES ($1,$2,$3,$4,$5,$6,$7) "
                        "RETURNING id",
                        version_id, ++si, s.drug, std::string(store::stage_role_name(s.role)),
                        s.assessed_dose.ug(), opt(target), opt(decision))[0][0]
              .as<std::int64_t>();
      int ti = 0;
      for (const auto &step : s.steps) {
        w.exec_params("INSERT INTO steps (stage_id, ordinal, begin_date, end_date, daily_ug) "
                      "VALUES ($1,$2,$3,$4,$5)",
                      stage_id, ++ti, iso(step.range.begin()), iso(step.range.end()),
                      step.daily.ug());
      }
    }
    write_audit(w, who, "plan.draft", plan.patient,
                "version " + std::to_string(version) + " (pathway " + plan.pathway + ", start " +
                    iso(plan.start) + (note.empty() ? "" : "; " + note) + ")",
                tx.at());
    tx.commit();
    return version;
  });
}

void PgStore::submit(const std::string &patient, int version, const Actor &who) {
  guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    const VersionRow v = find_version(w, patient, version, true);
    if (v.status != PlanStatus::draft) {
      throw RefusedError(version_name(patient, version) + " is " +
                         std::string(to_string(v.status)) +
                         "; only a draft can be submitted (an edit makes a new version)");
    }
    w.exec_params("UPDATE plan_versions SET status = 'superseded' "
                  "WHERE plan_id = $1 AND status = 'submitted'",
                  v.plan_id);
    w.exec_params("UPDATE plan_versions SET status = 'submitted', submitted_by = $1, "
                  "submitted_at = $2 WHERE id = $3",
                  who.user, tx.at(), v.id);
    write_audit(w, who, "plan.submit", patient, "version " + std::to_string(version), tx.at());
    tx.commit();
  });
}

void PgStore::approve(const std::string &patient, int version, const Actor &who) {
  guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    const VersionRow v = find_version(w, patient, version, true);
    if (v.status != PlanStatus::submitted) {
      throw RefusedError(version_name(patient, version) + " is " +
                         std::string(to_string(v.status)) +
                         ", not awaiting review; only a submitted version can be approved");
    }
    require_four_eyes(version_name(patient, version), v.drafted_by, v.submitted_by, who,
                      "approve");
    w.exec_params("UPDATE plan_versions SET status = 'superseded' "
                  "WHERE plan_id = $1 AND status = 'approved'",
                  v.plan_id);
    w.exec_params("UPDATE plan_versions SET status = 'approved' WHERE id = $1", v.id);
    w.exec_params("INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
                  "VALUES ($1, $2, 'approved', '', $3)",
                  v.id, who.user, tx.at());
    write_audit(w, who, "plan.approve", patient, "version " + std::to_string(version), tx.at());
    tx.commit();
  });
}

void PgStore::reject(const std::string &patient, int version, const Actor &who,
                     const std::string &reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("the reason for rejecting is empty; a rejection must say why");
  }
  guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    const VersionRow v = find_version(w, patient, version, true);
    if (v.status != PlanStatus::submitted) {
      throw RefusedError(version_name(patient, version) + " is " +
                         std::string(to_string(v.status)) +
                         ", not awaiting review; only a submitted version can be rejected");
    }
    require_four_eyes(version_name(patient, version), v.drafted_by, v.submitted_by, who,
                      "reject");
    w.exec_params("UPDATE plan_versions SET status = 'rejected' WHERE id = $1", v.id);
    w.exec_params("INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
                  "VALUES ($1, $2, 'rejected', $3, $4)",
                  v.id, who.user, reason, tx.at());
    write_audit(w, who, "plan.reject", patient,
                "version " + std::to_string(version) + ": " + reason, tx.at());
    tx.commit();
  });
}

std::optional<PlanVersion> PgStore::plan_version(const std::string &patient, int version) {
  return guarded(where_, secrets_, [&]() -> std::optional<PlanVersion> {
    Tx tx(*this);
    auto all = collect_versions(tx.w().exec_params(
        std::string(version_select) + "WHERE p.patient_id = $1 AND v.version = $2", patient,
        version));
    tx.commit();
    if (all.empty()) return std::nullopt;
    return all.front();
  });
}

std::vector<PlanVersion> PgStore::plan_versions(const std::string &patient) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto all = collect_versions(tx.w().exec_params(
        std::string(version_select) + "WHERE p.patient_id = $1 ORDER BY v.version", patient));
    tx.commit();
    return all;
  });
}

std::optional<PlanVersion> PgStore::active_plan(const std::string &patient) {
  return guarded(where_, secrets_, [&]() -> std::optional<PlanVersion> {
    Tx tx(*this);
    auto all = collect_versions(tx.w().exec_params(
        std::string(version_select) + "WHERE p.patient_id = $1 AND v.status = 'approved'",
        patient));
    tx.commit();
    if (all.empty()) return std::nullopt;
    return all.front();
  });
}

std::vector<PlanVersion> PgStore::active_plans() {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto all = collect_versions(tx.w().exec(std::string(version_select) +
                                            "WHERE v.status = 'approved' ORDER BY p.patient_id"));
    tx.commit();
    return all;
  });
}

std::vector<PlanVersion> PgStore::awaiting_review() {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto all = collect_versions(tx.w().exec(
        std::string(version_select) + "WHERE v.status = 'submitted' ORDER BY v.submitted_at, v.id"));
    tx.commit();
    return all;
  });
}

std::vector<Review> PgStore::reviews(const std::string &patient) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const auto r = tx.w().exec_params(
        "SELECT p.patient_id, v.version, r.pharmacist, r.verdict, r.note, r.at FROM reviews r "
        "JOIN plan_versions v ON v.id = r.plan_version_id JOIN plans p ON p.id = v.plan_id "
        "WHERE p.patient_id = $1 ORDER BY r.id",
        patient);
    tx.commit();
    std::vector<Review> out;
    for (const auto &q : r) {
      out.push_back({q[0].as<std::string>(), q[1].as<int>(), q[2].as<std::string>(),
                     q[3].as<std::string>() == "approved" ? Verdict::approved : Verdict::rejected,
                     q[4].as<std::string>(), q[5].as<std::string>()});
    }
    return out;
  });
}

// ---- observations

std::int64_t PgStore::log_score(const std::string &patient, const ScoreEntry &s,
                                const Actor &who) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    require_patient(w, patient);
    if (s.supersedes) {
      // Lock the corrected score, then look for an earlier correction in a new statement: two
      // corrections of one score at once cannot both pass.
      const auto r = w.exec_params("SELECT patient_id FROM pain_scores WHERE id = $1 FOR UPDATE",
                                   *s.supersedes);
      if (r.empty() || r[0][0].as<std::string>() != patient) {
        throw NotFoundError("supersedes: patient " + patient + " has no score #" +
                            std::to_string(*s.supersedes));
      }
      const auto c = w.exec_params(
          "SELECT id FROM pain_scores WHERE supersedes = $1 ORDER BY id LIMIT 1", *s.supersedes);
      if (!c.empty()) {
        throw RefusedError("supersedes: score #" + std::to_string(*s.supersedes) +
                           " was already corrected by #" + c[0][0].as<std::string>() +
                           "; correct that one instead");
      }
    }
    const std::int64_t id =
        w.exec_params("INSERT INTO pain_scores (patient_id, at, score, note, entered_by, "
                      "entered_at, supersedes) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                      patient, iso(s.at), s.score.value(), s.note, who.user, tx.at(),
                      opt(num(s.supersedes)))[0][0]
            .as<std::int64_t>();
    write_audit(w, who, "score.log", patient,
                "#" + std::to_string(id) + ": score " + std::to_string(s.score.value()) + " at " +
                    iso(s.at) +
                    (s.supersedes ? " (corrects #" + std::to_string(*s.supersedes) + ")" : ""),
                tx.at());
    tx.commit();
    return id;
  });
}

// Streamed: rows go through COPY into a temporary table (memory stays flat), then unknown
// patients are reported and, if there are none, ONE statement inserts the new rows, skips the
// duplicates and writes the per-patient audit. The duplicate rule is SqliteStore's sequential
// one: a row is a duplicate when an equal (patient, at, score, note) row is stored or comes
// earlier in the file.
ImportResult PgStore::import_scores(const ScoreRowSource &next, const Actor &who,
                                    const std::string &source_name) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    w.exec_params("SELECT pg_advisory_xact_lock($1)", import_lock_key);
    w.exec("DROP TABLE IF EXISTS pg_temp.titrate_import");
    w.exec("CREATE TEMPORARY TABLE titrate_import (seq bigint NOT NULL, line integer NOT NULL, "
           "patient_id text COLLATE \"C\" NOT NULL, at text COLLATE \"C\" NOT NULL, "
           "score integer NOT NULL, note text NOT NULL) ON COMMIT DROP");
    {
      pqxx::stream_to copy(w, "titrate_import",
                           std::vector<std::string>{"seq", "line", "patient_id", "at", "score",
                                                    "note"});
      std::int64_t seq = 0;
      ScoreImportRow r;
      while (next(r)) {
        copy << std::make_tuple(++seq, r.line, r.patient, iso(r.at), r.score.value(), r.note);
      }
      copy.complete();
    }
    // Rows dated before the patient's birth (the current profile's) are bad input, as on SQLite.
    const auto early = w.exec(
        "SELECT i.line, i.patient_id, i.at, v.birth_date FROM titrate_import i "
        "JOIN LATERAL (SELECT birth_date FROM patient_versions pv WHERE pv.patient_id = "
        "i.patient_id ORDER BY version DESC LIMIT 1) v ON true "
        "WHERE substr(i.at, 1, 10) < v.birth_date ORDER BY i.seq");
    if (!early.empty()) {
      std::string errors;
      std::size_t listed = 0;
      for (const auto &row : early) {
        if (++listed > 50) {
          errors += "\n  and " + std::to_string(early.size() - 50) + " more";
          break;
        }
        errors += "\n  " + source_name + ":" + row[0].as<std::string>() + ": at: " +
                  row[2].as<std::string>() + " is before the birth of " +
                  row[1].as<std::string>() + " (" + row[3].as<std::string>() + ")";
      }
      const auto n = early.size();
      throw InputError(source_name + ": " + std::to_string(n) + " row" + (n == 1 ? "" : "s") +
                       " dated before the patient's birth; nothing was imported:" + errors);
    }
    const auto bad = w.exec("SELECT i.line, i.patient_id FROM titrate_import i WHERE NOT EXISTS "
                            "(SELECT 1 FROM patients p WHERE p.id = i.patient_id) ORDER BY i.seq");
    if (!bad.empty()) {
      std::string errors;
      for (const auto &row : bad) {
        errors += "\n  " + source_name + ":" + row[0].as<std::string>() + ": patient_id: \"" +
                  row[1].as<std::string>() + "\" is not a known patient";
      }
      const auto n = bad.size();
      throw NotFoundError(source_name + ": " + std::to_string(n) + " bad row" +
                       (n == 1 ? "" : "s") + "; nothing was imported:" + errors);
    }
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
        "  INSERT INTO audit (at, \"user\", role, action, patient_id, detail)"
        "  SELECT $2, $1, $3, 'scores.import', patient_id,"
        "    imported || ' imported, ' || (total - imported) || ' duplicates skipped, from ' || $4"
        "  FROM counts ORDER BY patient_id)"
        " SELECT coalesce(sum(imported), 0), coalesce(sum(total), 0) FROM counts",
        who.user, tx.at(), who.role, source_name);
    ImportResult result;
    result.imported = r[0][0].as<int>();
    result.duplicates = r[0][1].as<int>() - result.imported;
    tx.commit();
    return result;
  });
}

std::vector<ScoreEntry> PgStore::scores(const std::string &patient, bool include_superseded) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    std::string sql = "SELECT id, at, score, note, supersedes FROM pain_scores s "
                      "WHERE patient_id = $1";
    if (!include_superseded) {
      sql += " AND NOT EXISTS (SELECT 1 FROM pain_scores c WHERE c.supersedes = s.id)";
    }
    sql += " ORDER BY at, id";
    const auto r = tx.w().exec_params(sql, patient);
    tx.commit();
    std::vector<ScoreEntry> out;
    out.reserve(r.size());
    for (const auto &q : r) {
      ScoreEntry e;
      e.id = q[0].as<std::int64_t>();
      e.at = parse_local_datetime(q[1].as<std::string>());
      e.score = PainScore(q[2].as<int>());
      e.note = q[3].as<std::string>();
      if (!q[4].is_null()) e.supersedes = q[4].as<std::int64_t>();
      out.push_back(std::move(e));
    }
    return out;
  });
}

std::int64_t PgStore::log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                         const Actor &who) {
  if (ae.description.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("the description of the adverse effect is empty; describe the effect (e.g. \"dizziness\")");
  }
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    require_patient(w, patient);
    if (ae.supersedes || ae.retracted) {
      std::optional<std::string> target;
      std::optional<std::int64_t> replaced_by;
      if (ae.supersedes) {
        // The row lock keeps two corrections of one entry from both passing the check.
        const auto r = w.exec_params("SELECT patient_id, (SELECT id FROM adverse_effects c WHERE "
                                     "c.supersedes = a.id LIMIT 1) FROM adverse_effects a "
                                     "WHERE a.id = $1 FOR UPDATE",
                                     *ae.supersedes);
        if (!r.empty()) {
          target = r[0][0].as<std::string>();
          if (!r[0][1].is_null()) replaced_by = r[0][1].as<std::int64_t>();
        }
      }
      store::check_effect_correction(patient, ae, target, replaced_by);
    }
    const auto drugs = store::effect_drugs_text(ae);
    const auto supersedes = num(ae.supersedes);
    const std::int64_t id =
        w.exec_params("INSERT INTO adverse_effects (patient_id, at, description, severity, "
                      "entered_by, entered_at, drugs, supersedes, retracted) "
                      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
                      patient, iso(ae.at), ae.description,
                      std::string(to_string(ae.severity)), who.user, tx.at(),
                      opt(drugs), opt(supersedes), ae.retracted ? 1 : 0)[0][0]
            .as<std::int64_t>();
    write_audit(w, who, ae.retracted ? "adverse-effect.retract" : "adverse-effect.log", patient,
                store::effect_audit_detail(id, ae), tx.at());
    tx.commit();
    return id;
  });
}

std::vector<AdverseEffect> PgStore::adverse_effects(const std::string &patient,
                                                    bool include_superseded) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    std::string sql = "SELECT id, at, description, severity, drugs, supersedes, retracted "
                      "FROM adverse_effects a WHERE patient_id = $1";
    if (!include_superseded) {
      sql += " AND retracted = 0 AND NOT EXISTS (SELECT 1 FROM adverse_effects c "
             "WHERE c.supersedes = a.id)";
    }
    const auto r = tx.w().exec_params(sql + " ORDER BY at, id", patient);
    tx.commit();
    std::vector<AdverseEffect> out;
    for (const auto &q : r) {
      AdverseEffect a;
      a.id = q[0].as<std::int64_t>();
      a.at = parse_local_datetime(q[1].as<std::string>());
      a.description = q[2].as<std::string>();
      a.severity = parse_ae_severity(q[3].as<std::string>());
      store::read_effect_drugs(a, q[4].is_null() ? std::nullopt
                                                 : std::optional<std::string>(q[4].as<std::string>()));
      if (!q[5].is_null()) a.supersedes = q[5].as<std::int64_t>();
      a.retracted = q[6].as<int>() != 0;
      out.push_back(std::move(a));
    }
    return out;
  });
}

// ---- decisions

std::int64_t PgStore::record_decision(const Assessment &a, std::optional<int> plan_version,
                                      const Actor &who) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    auto &w = tx.w();
    require_patient(w, a.patient);
    std::optional<std::int64_t> version_id;
    if (plan_version) version_id = find_version(w, a.patient, *plan_version, false).id;
    std::optional<std::int64_t> next_ug;
    if (a.next_dose) next_ug = a.next_dose->ug();
    std::optional<std::string> next_dd;
    if (a.next_decision_date) next_dd = iso(*a.next_decision_date);
    const std::int64_t id =
        w.exec_params(
             "INSERT INTO decisions (patient_id, plan_version_id, date, drug, decision, baseline, "
             "window_start, window_end, window_mean, window_scores, change_pct, days_at_target, "
             "rule, source, reasons, next_dose_ug, next_drug, next_decision_date, substantial, "
             "recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,"
             "$15,$16,$17,$18,$19,$20,$21) RETURNING id",
             a.patient, opt(num(version_id)), iso(a.date), a.drug,
             std::string(store::decision_name(a.decision)), opt(num(a.baseline)),
             iso(a.window.start), iso(a.window.end), opt(num(a.window.mean)), a.window.scores,
             opt(num(a.change_pct)), a.days_at_target, a.rule, a.source, json(a.reasons).dump(),
             opt(num(next_ug)), opt(a.next_drug), opt(next_dd), a.substantial ? 1 : 0, who.user,
             tx.at())[0][0]
            .as<std::int64_t>();
    write_audit(w, who, "decision.record", a.patient,
                "#" + std::to_string(id) + ": " + std::string(store::decision_name(a.decision)) +
                    " for " + a.drug + " on " + iso(a.date) + " (rule " + a.rule + ")",
                tx.at());
    tx.commit();
    return id;
  });
}

std::vector<DecisionRecord> PgStore::decisions(const std::string &patient) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const auto r = tx.w().exec_params(
        "SELECT d.id, v.version, d.date, d.drug, d.decision, d.baseline, d.window_start, "
        "d.window_end, d.window_mean, d.window_scores, d.change_pct, d.days_at_target, d.rule, "
        "d.source, d.reasons, d.next_dose_ug, d.next_drug, d.recorded_by, d.recorded_at, "
        "d.patient_id, d.next_decision_date, d.substantial FROM decisions d "
        "LEFT JOIN plan_versions v ON v.id = d.plan_version_id WHERE d.patient_id = $1 "
        "ORDER BY d.id",
        patient);
    tx.commit();
    std::vector<DecisionRecord> out;
    for (const auto &q : r) {
      DecisionRecord rec;
      rec.id = q[0].as<std::int64_t>();
      if (!q[1].is_null()) rec.plan_version = q[1].as<int>();
      Assessment &a = rec.assessment;
      a.patient = q[19].as<std::string>();
      a.date = parse_date(q[2].as<std::string>());
      a.drug = q[3].as<std::string>();
      a.decision = store::decision_from_name(q[4].as<std::string>());
      if (!q[5].is_null()) a.baseline = q[5].as<double>();
      a.window.start = parse_date(q[6].as<std::string>());
      a.window.end = parse_date(q[7].as<std::string>());
      if (!q[8].is_null()) a.window.mean = q[8].as<double>();
      a.window.scores = q[9].as<int>();
      if (!q[10].is_null()) a.change_pct = q[10].as<double>();
      a.days_at_target = q[11].as<int>();
      a.rule = q[12].as<std::string>();
      a.source = q[13].as<std::string>();
      a.reasons = json::parse(q[14].as<std::string>()).get<std::vector<std::string>>();
      if (!q[15].is_null()) a.next_dose = Dose::micrograms(q[15].as<std::int64_t>());
      if (!q[16].is_null()) a.next_drug = q[16].as<std::string>();
      if (!q[20].is_null()) a.next_decision_date = parse_date(q[20].as<std::string>());
      a.substantial = q[21].as<int>() != 0;
      rec.recorded_by = q[17].as<std::string>();
      rec.recorded_at = q[18].as<std::string>();
      out.push_back(std::move(rec));
    }
    return out;
  });
}

// ---- due list

// One query giving exactly due_list_generic()'s entries (repository.cpp): every approved
// version whose decision date (that of its last trial stage, stored in plan_versions.
// decision_date) is at most within_days away; the drug of that last trial stage; the distinct
// days with effective (not superseded) scores in [decision_date - window_days, decision_date)
// (clinical.md A6, the pathway's window; due_list() judges the count); ordered by decision date, ties by patient id (active_plans() order, byte-wise).
// Score times are "YYYY-MM-DDTHH:MM" text, so `at >= 'D'` and `at < 'D'` compare their dates.
std::vector<DueEntry> PgStore::due_list(Date today, int within_days, int window_days) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    const auto r = tx.w().exec_params(
        "SELECT p.patient_id, v.version, v.decision_date, v.decision_date::date - $1::date,"
        " (SELECT s.drug FROM stages s WHERE s.plan_version_id = v.id AND s.role = 'trial'"
        "   ORDER BY s.ordinal DESC LIMIT 1),"
        " (SELECT count(DISTINCT left(sc.at, 10)) FROM pain_scores sc"
        "   WHERE sc.patient_id = p.patient_id"
        "     AND sc.at >= to_char(v.decision_date::date - $3::int, 'YYYY-MM-DD')"
        "     AND sc.at < v.decision_date"
        "     AND NOT EXISTS (SELECT 1 FROM pain_scores c WHERE c.supersedes = sc.id)),"
        // A maintenance review: the date is past the trial stage's own decision date.
        " v.decision_date > COALESCE((SELECT s.decision_date FROM stages s"
        "   WHERE s.plan_version_id = v.id AND s.role = 'trial'"
        "   ORDER BY s.ordinal DESC LIMIT 1), v.decision_date),"
        " v.pathway"
        " FROM plan_versions v JOIN plans p ON p.id = v.plan_id"
        " WHERE v.status = 'approved' AND v.decision_date IS NOT NULL"
        "   AND v.decision_date::date - $1::date <= $2"
        " ORDER BY v.decision_date, p.patient_id",
        iso(today), within_days, window_days);
    tx.commit();
    std::vector<DueEntry> out;
    out.reserve(r.size());
    for (const auto &q : r) {
      DueEntry e;
      e.patient = q[0].as<std::string>();
      e.version = q[1].as<int>();
      e.decision_date = parse_date(q[2].as<std::string>());
      e.days_until = q[3].as<long>();
      e.drug = text(q[4]);
      e.window_days_with_scores = q[5].as<int>();
      e.window_days = window_days;
      e.review = q[6].as<bool>();
      e.pathway = q[7].as<std::string>();
      out.push_back(std::move(e));
    }
    return out;
  });
}

// ---- audit

void PgStore::append_audit(const Actor &who, const std::string &action,
                           const std::string &patient, const std::string &detail) {
  guarded(where_, secrets_, [&] {
    Tx tx(*this);
    write_audit(tx.w(), who, action, patient, detail, tx.at());
    tx.commit();
  });
}

std::vector<AuditEntry> PgStore::audit(const std::optional<std::string> &patient) {
  return guarded(where_, secrets_, [&] {
    Tx tx(*this);
    std::string sql = "SELECT id, at, \"user\", role, action, coalesce(patient_id, ''), detail "
                      "FROM audit";
    const auto r = patient ? tx.w().exec_params(sql + " WHERE patient_id = $1 ORDER BY id",
                                                *patient)
                           : tx.w().exec(sql + " ORDER BY id");
    tx.commit();
    std::vector<AuditEntry> out;
    out.reserve(r.size());
    for (const auto &q : r) {
      out.push_back({q[0].as<std::int64_t>(), q[1].as<std::string>(), q[2].as<std::string>(),
                     q[3].as<std::string>(), q[4].as<std::string>(), q[5].as<std::string>(),
                     q[6].as<std::string>()});
    }
    return out;
  });
}

} // namespace titrate
