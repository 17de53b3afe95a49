#include "planner/store/sqlite/sqlite_store.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"
#include "planner/store/patient_codec.hpp"
#include "planner/store/plan_codec.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

namespace titrate {

namespace {

using nlohmann::json;
constexpr int busy_timeout_ms = 10'000;

std::string now_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string opt_text(const SQLite::Column &c) { return c.isNull() ? std::string() : c.getString(); }

// The schema version of an open database: 0 for an empty file, -1 for a database that has
// tables but no schema_version (not ours).
int read_schema_version(SQLite::Database &db) {
  if (!db.tableExists("schema_version")) {
    SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    q.executeStep();
    return q.getColumn(0).getInt() == 0 ? 0 : -1;
  }
  SQLite::Statement q(db, "SELECT max(version) FROM schema_version");
  q.executeStep();
  return q.getColumn(0).isNull() ? 0 : q.getColumn(0).getInt();
}

void refuse_version(const std::string &path, int found) {
  refuse_schema_version(path, found, sqlite_latest_schema_version());
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

PatientRecord patient_from_row(SQLite::Statement &q) {
  try {
    PatientRecord r;
    Patient &p = r.patient;
    p.id = q.getColumn(0).getString();
    r.version = q.getColumn(1).getInt();
    p.birth_date = parse_date(q.getColumn(2).getString(), "birth_date");
    p.sex = parse_sex(q.getColumn(3).getString());
    p.weight_kg = q.getColumn(4).getDouble();
    if (!q.getColumn(5).isNull()) p.serum_creatinine_mg_dl = q.getColumn(5).getDouble();
    if (!q.getColumn(6).isNull()) p.crcl_ml_min = q.getColumn(6).getDouble();
    p.hepatic = parse_hepatic(q.getColumn(7).getString());
    store::read_conditions_document(json::parse(q.getColumn(8).getString()), p);
    p.medications = json::parse(q.getColumn(9).getString()).get<std::vector<std::string>>();
    for (const auto &s : json::parse(q.getColumn(10).getString())) {
      p.stopped_medications.push_back(
          {s.at("name").get<std::string>(), parse_date(s.at("stopped").get<std::string>())});
    }
    if (!q.getColumn(11).isNull()) p.baseline_pain = PainScore(q.getColumn(11).getInt());
    r.recorded_by = q.getColumn(12).getString();
    r.recorded_at = q.getColumn(13).getString();
    store::read_sources_document(json::parse(q.getColumn(14).getString()), p);
    return r;
  } catch (const InputError &e) {
    throw StorageError(std::string("stored patient profile: ") + e.what());
  } catch (const json::exception &e) {
    throw StorageError(std::string("stored patient profile: ") + e.what());
  }
}

void insert_patient_version(SQLite::Database &db, const Patient &p, const Actor &who,
                            int version, const std::string &at, bool sources) {
  SQLite::Statement q(db, std::string("INSERT INTO patient_versions (patient_id, version, "
                          "birth_date, sex, weight_kg, serum_creatinine_mg_dl, crcl_ml_min, "
                          "hepatic, conditions, medications, stopped_medications, baseline_pain, "
                          "recorded_by, recorded_at") +
                          (sources ? ", sources) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                                   : ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  q.bind(1, p.id);
  q.bind(2, version);
  q.bind(3, iso(p.birth_date));
  q.bind(4, std::string(to_string(p.sex)));
  q.bind(5, p.weight_kg);
  if (p.serum_creatinine_mg_dl) q.bind(6, *p.serum_creatinine_mg_dl);
  if (p.crcl_ml_min) q.bind(7, *p.crcl_ml_min);
  q.bind(8, std::string(to_string(p.hepatic)));
  q.bind(9, store::conditions_document(p).dump());
  q.bind(10, json(p.medications).dump());
  q.bind(11, stopped_doc(p.stopped_medications).dump());
  if (p.baseline_pain) q.bind(12, p.baseline_pain->value());
  q.bind(13, who.user);
  q.bind(14, at);
  if (sources) q.bind(15, store::sources_document(p).dump());
  q.exec();
}

bool patient_exists(SQLite::Database &db, const std::string &id) {
  SQLite::Statement q(db, "SELECT 1 FROM patients WHERE id = ?");
  q.bind(1, id);
  return q.executeStep();
}

void require_patient(SQLite::Database &db, const std::string &id) {
  if (!patient_exists(db, id)) throw NotFoundError("patient " + id + ": not found");
}

void write_audit(SQLite::Database &db, const Actor &who, const std::string &action,
                 const std::string &patient, const std::string &detail, const std::string &at) {
  SQLite::Statement q(
      db, "INSERT INTO audit (at, user, role, action, patient_id, detail) VALUES (?,?,?,?,?,?)");
  q.bind(1, at);
  q.bind(2, who.user);
  q.bind(3, who.role);
  q.bind(4, action);
  if (!patient.empty()) q.bind(5, patient);
  q.bind(6, detail);
  q.exec();
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

PlanVersion version_from_row(SQLite::Statement &q) {
  PlanVersion v;
  v.patient = q.getColumn(0).getString();
  v.version = q.getColumn(1).getInt();
  v.status = status_from(q.getColumn(2).getString());
  try {
    v.plan = store::plan_from_document(json::parse(q.getColumn(3).getString()));
  } catch (const json::exception &e) {
    throw StorageError("stored plan of " + v.patient + " version " + std::to_string(v.version) +
                       ": " + e.what());
  }
  v.drafted_by = q.getColumn(4).getString();
  v.drafted_at = q.getColumn(5).getString();
  if (!q.getColumn(6).isNull()) v.submitted_by = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) v.submitted_at = q.getColumn(7).getString();
  v.note = q.getColumn(8).getString();
  return v;
}

std::vector<PlanVersion> collect_versions(SQLite::Statement &q) {
  std::vector<PlanVersion> out;
  while (q.executeStep()) out.push_back(version_from_row(q));
  return out;
}

struct VersionRow {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  PlanStatus status = PlanStatus::draft;
  std::string drafted_by;
  std::string submitted_by;
};

VersionRow find_version(SQLite::Database &db, const std::string &patient, int version) {
  require_patient(db, patient);
  SQLite::Statement q(db, "SELECT v.id, v.plan_id, v.status, v.drafted_by, v.submitted_by "
                          "FROM plan_versions v JOIN plans p ON p.id = v.plan_id "
                          "WHERE p.patient_id = ? AND v.version = ?");
  q.bind(1, patient);
  q.bind(2, version);
  if (!q.executeStep()) {
    throw NotFoundError("plan of " + patient + ": no version " + std::to_string(version));
  }
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
          status_from(q.getColumn(2).getString()), q.getColumn(3).getString(),
          opt_text(q.getColumn(4))};
}

std::string version_name(const std::string &patient, int version) {
  return "plan of " + patient + " version " + std::to_string(version);
}

} // namespace

int sqlite_latest_schema_version() {
  const auto &all = sqlite_migrations();
  return all.empty() ? 0 : all.back().version;
}

// Joins the open transaction, or opens an IMMEDIATE one (the write lock is taken at BEGIN, so
// a concurrent writer waits on the busy timeout instead of failing on a lock upgrade).
class SqliteStore::Tx {
public:
  explicit Tx(SqliteStore &s) : s_(s) {
    if (s_.depth_ == 0) tx_.emplace(*s_.db_, SQLite::TransactionBehavior::IMMEDIATE);
    ++s_.depth_;
    at_ = now_utc();
  }
  ~Tx() { --s_.depth_; } // an uncommitted SQLite::Transaction rolls back
  Tx(const Tx &) = delete;
  Tx &operator=(const Tx &) = delete;
  void commit() {
    if (tx_) tx_->commit();
  }
  const std::string &at() const { return at_; }

private:
  SqliteStore &s_;
  std::optional<SQLite::Transaction> tx_;
  std::string at_;
};

SqliteStore::SqliteStore(const std::string &path) {
  open(path, sqlite_latest_schema_version());
  sources_ = schema_version() >= 6;
}

SqliteStore::SqliteStore(const std::string &path, int schema_version) {
  open(path, schema_version);
  sources_ = this->schema_version() >= 6;
}

SqliteStore::~SqliteStore() = default;

void SqliteStore::open(const std::string &path, int target_version) {
  std::error_code ec;
  const bool memory = path == ":memory:" || path.empty();
  // Check the version read-only first, so a newer (or foreign) database is never written, not
  // even by setting the journal mode.
  if (!memory && std::filesystem::exists(path, ec)) {
    SQLite::Database ro(path, SQLite::OPEN_READONLY, busy_timeout_ms);
    refuse_version(path, read_schema_version(ro));
  }
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                           busy_timeout_ms);
  db_->exec("PRAGMA foreign_keys = ON");
  int current = read_schema_version(*db_);
  refuse_version(path, current);
  if (current >= target_version) return;
  if (!memory) {
    SQLite::Statement q(*db_, "PRAGMA journal_mode = WAL");
    q.executeStep();
  }
  // Forward, in one transaction; another process may have migrated while we waited.
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  current = read_schema_version(*db_);
  refuse_version(path, current);
  if (current >= target_version) return;
  db_->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  for (const auto &m : sqlite_migrations()) {
    if (m.version <= current || m.version > target_version) continue;
    try {
      db_->exec(std::string(m.sql));
    } catch (const SQLite::Exception &e) {
      throw StorageError("database " + path + ": migration " + std::to_string(m.version) + " (" +
                         std::string(m.name) + ") failed: " + e.what() +
                         "; nothing was changed");
    }
  }
  db_->exec("DELETE FROM schema_version");
  SQLite::Statement v(*db_, "INSERT INTO schema_version (version) VALUES (?)");
  v.bind(1, target_version);
  v.exec();
  tx.commit();
}

int SqliteStore::schema_version() { return read_schema_version(*db_); }

void SqliteStore::atomically(const std::function<void()> &body) {
  Tx tx(*this);
  body();
  tx.commit();
}

// ---- patients

int SqliteStore::add_patient(const Patient &p, const Actor &who) {
  Tx tx(*this);
  if (patient_exists(*db_, p.id)) {
    throw RefusedError("patient " + p.id + ": already exists; use patient update to change it");
  }
  SQLite::Statement q(*db_, "INSERT INTO patients (id, created_at) VALUES (?, ?)");
  q.bind(1, p.id);
  q.bind(2, tx.at());
  q.exec();
  insert_patient_version(*db_, p, who, 1, tx.at(), sources_);
  write_audit(*db_, who, "patient.add", p.id, "profile version 1", tx.at());
  tx.commit();
  return 1;
}

int SqliteStore::update_patient(const Patient &p, const Actor &who) {
  Tx tx(*this);
  require_patient(*db_, p.id);
  SQLite::Statement q(*db_, "SELECT max(version) FROM patient_versions WHERE patient_id = ?");
  q.bind(1, p.id);
  q.executeStep();
  const int version = q.getColumn(0).getInt() + 1;
  insert_patient_version(*db_, p, who, version, tx.at(), sources_);
  write_audit(*db_, who, "patient.update", p.id, "profile version " + std::to_string(version),
              tx.at());
  tx.commit();
  return version;
}

std::optional<PatientRecord> SqliteStore::patient(const std::string &id) {
  SQLite::Statement q(*db_, std::string("SELECT ") + patient_columns(sources_) +
                                " FROM patient_versions WHERE patient_id = ? "
                                "ORDER BY version DESC LIMIT 1");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return patient_from_row(q);
}

std::vector<PatientRecord> SqliteStore::patient_history(const std::string &id) {
  SQLite::Statement q(*db_, std::string("SELECT ") + patient_columns(sources_) +
                                " FROM patient_versions WHERE patient_id = ? ORDER BY version");
  q.bind(1, id);
  std::vector<PatientRecord> out;
  while (q.executeStep()) out.push_back(patient_from_row(q));
  return out;
}

std::vector<PatientRecord> SqliteStore::patients() {
  SQLite::Statement q(*db_, std::string("SELECT ") + patient_columns(sources_) +
                                " FROM patient_versions v WHERE version = (SELECT max(version) "
                                "FROM patient_versions w WHERE w.patient_id = v.patient_id) "
                                "ORDER BY patient_id");
  std::vector<PatientRecord> out;
  while (q.executeStep()) out.push_back(patient_from_row(q));
  return out;
}

// ---- plans

int SqliteStore::save_draft(const Plan &plan, const Actor &who, const std::string &note) {
  Tx tx(*this);
  require_patient(*db_, plan.patient);
  {
    SQLite::Statement q(*db_, "INSERT OR IGNORE INTO plans (patient_id) VALUES (?)");
    q.bind(1, plan.patient);
    q.exec();
  }
  std::int64_t plan_id = 0;
  int version = 0;
  {
    SQLite::Statement q(*db_, "SELECT p.id, coalesce(max(v.version), 0) FROM plans p LEFT JOIN "
                              "plan_versions v ON v.plan_id = p.id WHERE p.patient_id = ?");
    q.bind(1, plan.patient);
    q.executeStep();
    plan_id = q.getColumn(0).getInt64();
    version = q.getColumn(1).getInt() + 1;
  }
  {
    SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'superseded' "
                              "WHERE plan_id = ? AND status = 'draft'");
    q.bind(1, plan_id);
    q.exec();
  }
  SQLite::Statement ins(*db_, "INSERT INTO plan_versions (plan_id, version, status, pathway, "
                              "start_date, decision_date, content, drafted_by, drafted_at, note) "
                              "VALUES (?,?,'draft',?,?,?,?,?,?,?)");
  ins.bind(1, plan_id);
  ins.bind(2, version);
  ins.bind(3, plan.pathway);
  ins.bind(4, iso(plan.start));
  if (auto dd = plan_decision_date(plan)) ins.bind(5, iso(*dd));
  ins.bind(6, store::plan_to_document(plan).dump());
  ins.bind(7, who.user);
  ins.bind(8, tx.at());
  ins.bind(9, note);
  ins.exec();
  const std::int64_t version_id = db_->getLastInsertRowid();
  SQLite::Statement st(*db_, "INSERT INTO stages (plan_version_id, ordinal, drug, role, "
                             "assessed_ug, target_reached, decision_date) VALUES (?,?,?,?,?,?,?)");
  SQLite::Statement sp(*db_, "INSERT INTO steps (stage_id, ordinal, begin_date, end_date, "
                             "daily_ug) VALUES (?,?,?,?,?)");
  int si = 0;
  for (const auto &s : plan.stages) {
    st.reset();
    st.clearBindings();
    st.bind(1, version_id);
    st.bind(2, ++si);
    st.bind(3, s.drug);
    st.bind(4, std::string(store::stage_role_name(s.role)));
    st.bind(5, s.assessed_dose.ug());
    if (s.target_reached) st.bind(6, iso(*s.target_reached));
    if (s.decision_date) st.bind(7, iso(*s.decision_date));
    st.exec();
    const std::int64_t stage_id = db_->getLastInsertRowid();
    int ti = 0;
    for (const auto &step : s.steps) {
      sp.reset();
      sp.bind(1, stage_id);
      sp.bind(2, ++ti);
      sp.bind(3, iso(step.range.begin()));
      sp.bind(4, iso(step.range.end()));
      sp.bind(5, step.daily.ug());
      sp.exec();
    }
  }
  write_audit(*db_, who, "plan.draft", plan.patient,
              "version " + std::to_string(version) + " (pathway " + plan.pathway + ", start " +
                  iso(plan.start) + (note.empty() ? "" : "; " + note) + ")",
              tx.at());
  tx.commit();
  return version;
}

void SqliteStore::submit(const std::string &patient, int version, const Actor &who) {
  Tx tx(*this);
  const VersionRow v = find_version(*db_, patient, version);
  if (v.status != PlanStatus::draft) {
    throw RefusedError(version_name(patient, version) + " is " +
                       std::string(to_string(v.status)) +
                       "; only a draft can be submitted (an edit makes a new version)");
  }
  {
    SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'superseded' "
                              "WHERE plan_id = ? AND status = 'submitted'");
    q.bind(1, v.plan_id);
    q.exec();
  }
  SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'submitted', submitted_by = ?, "
                            "submitted_at = ? WHERE id = ?");
  q.bind(1, who.user);
  q.bind(2, tx.at());
  q.bind(3, v.id);
  q.exec();
  write_audit(*db_, who, "plan.submit", patient, "version " + std::to_string(version), tx.at());
  tx.commit();
}

void SqliteStore::approve(const std::string &patient, int version, const Actor &who) {
  Tx tx(*this);
  const VersionRow v = find_version(*db_, patient, version);
  if (v.status != PlanStatus::submitted) {
    throw RefusedError(version_name(patient, version) + " is " +
                       std::string(to_string(v.status)) +
                       ", not awaiting review; only a submitted version can be approved");
  }
  require_four_eyes(version_name(patient, version), v.drafted_by, v.submitted_by, who, "approve");
  {
    SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'superseded' "
                              "WHERE plan_id = ? AND status = 'approved'");
    q.bind(1, v.plan_id);
    q.exec();
  }
  SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'approved' WHERE id = ?");
  q.bind(1, v.id);
  q.exec();
  SQLite::Statement r(*db_, "INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
                            "VALUES (?, ?, 'approved', '', ?)");
  r.bind(1, v.id);
  r.bind(2, who.user);
  r.bind(3, tx.at());
  r.exec();
  write_audit(*db_, who, "plan.approve", patient, "version " + std::to_string(version), tx.at());
  tx.commit();
}

void SqliteStore::reject(const std::string &patient, int version, const Actor &who,
                         const std::string &reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("the reason for rejecting is empty; a rejection must say why");
  }
  Tx tx(*this);
  const VersionRow v = find_version(*db_, patient, version);
  if (v.status != PlanStatus::submitted) {
    throw RefusedError(version_name(patient, version) + " is " +
                       std::string(to_string(v.status)) +
                       ", not awaiting review; only a submitted version can be rejected");
  }
  require_four_eyes(version_name(patient, version), v.drafted_by, v.submitted_by, who, "reject");
  SQLite::Statement q(*db_, "UPDATE plan_versions SET status = 'rejected' WHERE id = ?");
  q.bind(1, v.id);
  q.exec();
  SQLite::Statement r(*db_, "INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
                            "VALUES (?, ?, 'rejected', ?, ?)");
  r.bind(1, v.id);
  r.bind(2, who.user);
  r.bind(3, reason);
  r.bind(4, tx.at());
  r.exec();
  write_audit(*db_, who, "plan.reject", patient,
              "version " + std::to_string(version) + ": " + reason, tx.at());
  tx.commit();
}

std::optional<PlanVersion> SqliteStore::plan_version(const std::string &patient, int version) {
  SQLite::Statement q(*db_, std::string(version_select) + "WHERE p.patient_id = ? AND v.version = ?");
  q.bind(1, patient);
  q.bind(2, version);
  auto all = collect_versions(q);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<PlanVersion> SqliteStore::plan_versions(const std::string &patient) {
  SQLite::Statement q(*db_, std::string(version_select) + "WHERE p.patient_id = ? ORDER BY v.version");
  q.bind(1, patient);
  return collect_versions(q);
}

std::optional<PlanVersion> SqliteStore::active_plan(const std::string &patient) {
  SQLite::Statement q(*db_, std::string(version_select) +
                                "WHERE p.patient_id = ? AND v.status = 'approved'");
  q.bind(1, patient);
  auto all = collect_versions(q);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<PlanVersion> SqliteStore::active_plans() {
  SQLite::Statement q(*db_, std::string(version_select) +
                                "WHERE v.status = 'approved' ORDER BY p.patient_id");
  return collect_versions(q);
}

std::vector<PlanVersion> SqliteStore::awaiting_review() {
  SQLite::Statement q(*db_, std::string(version_select) +
                                "WHERE v.status = 'submitted' ORDER BY v.submitted_at, v.id");
  return collect_versions(q);
}

std::vector<Review> SqliteStore::reviews(const std::string &patient) {
  SQLite::Statement q(*db_, "SELECT p.patient_id, v.version, r.pharmacist, r.verdict, r.note, "
                            "r.at FROM reviews r JOIN plan_versions v ON v.id = r.plan_version_id "
                            "JOIN plans p ON p.id = v.plan_id WHERE p.patient_id = ? "
                            "ORDER BY r.id");
  q.bind(1, patient);
  std::vector<Review> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt(),
                   q.getColumn(2).getString(),
                   q.getColumn(3).getString() == "approved" ? Verdict::approved
                                                            : Verdict::rejected,
                   q.getColumn(4).getString(), q.getColumn(5).getString()});
  }
  return out;
}

// ---- observations

std::int64_t SqliteStore::log_score(const std::string &patient, const ScoreEntry &s,
                                    const Actor &who) {
  Tx tx(*this);
  require_patient(*db_, patient);
  if (s.supersedes) {
    SQLite::Statement q(*db_, "SELECT patient_id, (SELECT id FROM pain_scores c WHERE "
                              "c.supersedes = s.id) FROM pain_scores s WHERE s.id = ?");
    q.bind(1, *s.supersedes);
    if (!q.executeStep() || q.getColumn(0).getString() != patient) {
      throw NotFoundError("supersedes: patient " + patient + " has no score #" +
                          std::to_string(*s.supersedes));
    }
    if (!q.getColumn(1).isNull()) {
      throw RefusedError("supersedes: score #" + std::to_string(*s.supersedes) +
                         " was already corrected by #" + q.getColumn(1).getString() +
                         "; correct that one instead");
    }
  }
  SQLite::Statement q(*db_, "INSERT INTO pain_scores (patient_id, at, score, note, entered_by, "
                            "entered_at, supersedes) VALUES (?,?,?,?,?,?,?)");
  q.bind(1, patient);
  q.bind(2, iso(s.at));
  q.bind(3, s.score.value());
  q.bind(4, s.note);
  q.bind(5, who.user);
  q.bind(6, tx.at());
  if (s.supersedes) q.bind(7, *s.supersedes);
  q.exec();
  const std::int64_t id = db_->getLastInsertRowid();
  write_audit(*db_, who, "score.log", patient,
              "#" + std::to_string(id) + ": score " + std::to_string(s.score.value()) + " at " +
                  iso(s.at) +
                  (s.supersedes ? " (corrects #" + std::to_string(*s.supersedes) + ")" : ""),
              tx.at());
  tx.commit();
  return id;
}

namespace {

// Minutes since the calendar's epoch: orders local date-times like their iso() text does.
std::int64_t minute_key(const LocalDateTime &t) {
  return static_cast<std::int64_t>(t.date.day_number()) * 1440 + t.minute_of_day;
}

// iso(t) without the stream machinery: "YYYY-MM-DDTHH:MM" (the hot loop of an import).
void format_at(const LocalDateTime &t, char (&out)[17]) {
  const auto ymd = t.date.year_month_day();
  const auto put = [&](int at, int width, unsigned v) {
    for (int i = at + width - 1; i >= at; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
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
  if (c.isNull()) return std::nullopt;
  const std::string text = c.getString();
  try {
    const LocalDateTime t = parse_local_datetime(text);
    if (iso(t) != text) return std::nullopt;
    return minute_key(t);
  } catch (const InputError &) {
    return std::nullopt;
  }
}

constexpr std::size_t max_listed_rows = 50;
// Patients an import keeps in memory at once (about 100 bytes each).
constexpr std::size_t max_cached_patients = 4096;

} // namespace

// One IMMEDIATE transaction over the whole stream. Duplicates are exactly the rows equal in
// (patient, at, score, note) to a stored row or an earlier row of the file; the query that finds
// them runs only for a row whose time falls within the range of that patient's stored times (a
// diary in time order, either way, never needs it). Memory is flat in rows and in patients: at
// most max_cached_patients are held; their counts go to a TEMP table when the cache is full, and
// the audit entries, one per patient, are written from it at the end.
ImportResult SqliteStore::import_scores(const ScoreRowSource &next, const Actor &who,
                                        const std::string &source_name) {
  Tx tx(*this);
  db_->exec("CREATE TEMP TABLE IF NOT EXISTS import_counts (patient_id TEXT PRIMARY KEY, "
            "imported INTEGER NOT NULL, duplicates INTEGER NOT NULL)");
  db_->exec("DELETE FROM temp.import_counts");
  std::string errors;
  long bad = 0;
  std::string early_errors; // rows dated before the patient's birth (bad input, issue 13)
  long early = 0;
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
  ins.bindNoCopy(6, tx.at());
  ImportResult result;
  // The patients seen lately (a file sorted by time across patients interleaves them); when
  // full, their counts go to the TEMP table and they are looked up again if they come back.
  std::unordered_map<std::string, ImportPatient> cache;
  ImportPatient *p = nullptr;
  const auto flush = [&](const ImportPatient &e) {
    if (!e.known || bad > 0 || early > 0) return;
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
          for (const auto &e : cache) flush(e.second);
          cache.clear();
        }
        ImportPatient fresh;
        fresh.id = r.patient;
        look.reset();
        look.bind(1, r.patient);
        look.executeStep();
        fresh.known = look.getColumn(0).getInt() != 0;
        if (!look.getColumn(3).isNull()) {
          try {
            fresh.birth = parse_date(look.getColumn(3).getString(), "birth_date");
          } catch (const InputError &e) {
            throw StorageError(std::string("stored patient profile: ") + e.what());
          }
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
      if (++bad <= static_cast<long>(max_listed_rows)) {
        errors += "\n  " + source_name + ":" + std::to_string(r.line) + ": patient_id: \"" +
                  r.patient + "\" is not a known patient";
      }
      continue;
    }
    if (cur.birth && r.at.date < *cur.birth) {
      if (++early <= static_cast<long>(max_listed_rows)) {
        early_errors += "\n  " + source_name + ":" + std::to_string(r.line) + ": at: " +
                        iso(r.at) + " is before the birth of " + r.patient + " (" +
                        iso(*cur.birth) + ")";
      }
      continue;
    }
    if (bad > 0 || early > 0) continue; // nothing will be kept: only look for more bad rows
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
  if (early > 0) {
    if (early > static_cast<long>(max_listed_rows)) {
      early_errors +=
          "\n  and " + std::to_string(early - static_cast<long>(max_listed_rows)) + " more";
    }
    throw InputError(source_name + ": " + std::to_string(early) + " row" +
                     (early == 1 ? "" : "s") +
                     " dated before the patient's birth; nothing was imported:" + early_errors);
  }
  if (bad > 0) {
    if (bad > static_cast<long>(max_listed_rows)) {
      errors += "\n  and " + std::to_string(bad - static_cast<long>(max_listed_rows)) + " more";
    }
    throw NotFoundError(source_name + ": " + std::to_string(bad) + " bad row" +
                     (bad == 1 ? "" : "s") + "; nothing was imported:" + errors);
  }
  for (const auto &e : cache) flush(e.second);
  // One audit entry per patient, in patient order (the temp table's key order: byte order).
  SQLite::Statement audit(*db_, "INSERT INTO audit (at, user, role, action, patient_id, detail) "
                                "SELECT ?1, ?2, ?3, 'scores.import', patient_id, "
                                "imported || ' imported, ' || duplicates || "
                                "' duplicates skipped, from ' || ?4 "
                                "FROM temp.import_counts ORDER BY patient_id");
  audit.bind(1, tx.at());
  audit.bind(2, who.user);
  audit.bind(3, who.role);
  audit.bind(4, source_name);
  audit.exec();
  db_->exec("DELETE FROM temp.import_counts");
  tx.commit();
  return result;
}

std::vector<ScoreEntry> SqliteStore::scores(const std::string &patient, bool include_superseded) {
  std::string sql = "SELECT id, at, score, note, supersedes FROM pain_scores s "
                    "WHERE patient_id = ?1";
  if (!include_superseded) {
    sql += " AND NOT EXISTS (SELECT 1 FROM pain_scores c WHERE c.supersedes = s.id)";
  }
  sql += " ORDER BY at, id";
  SQLite::Statement q(*db_, sql);
  q.bind(1, patient);
  std::vector<ScoreEntry> out;
  while (q.executeStep()) {
    ScoreEntry e;
    e.id = q.getColumn(0).getInt64();
    e.at = parse_local_datetime(q.getColumn(1).getString());
    e.score = PainScore(q.getColumn(2).getInt());
    e.note = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) e.supersedes = q.getColumn(4).getInt64();
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t SqliteStore::log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                             const Actor &who) {
  if (ae.description.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("the description of the adverse effect is empty; describe the effect (e.g. \"dizziness\")");
  }
  Tx tx(*this);
  require_patient(*db_, patient);
  if (ae.supersedes || ae.retracted) {
    std::optional<std::string> target;
    std::optional<std::int64_t> replaced_by;
    if (ae.supersedes) {
      SQLite::Statement q(*db_, "SELECT patient_id, (SELECT id FROM adverse_effects c WHERE "
                                "c.supersedes = a.id) FROM adverse_effects a WHERE a.id = ?");
      q.bind(1, *ae.supersedes);
      if (q.executeStep()) {
        target = q.getColumn(0).getString();
        if (!q.getColumn(1).isNull()) replaced_by = q.getColumn(1).getInt64();
      }
    }
    store::check_effect_correction(patient, ae, target, replaced_by);
  }
  SQLite::Statement q(*db_, "INSERT INTO adverse_effects (patient_id, at, description, severity, "
                            "entered_by, entered_at, drugs, supersedes, retracted) "
                            "VALUES (?,?,?,?,?,?,?,?,?)");
  q.bind(1, patient);
  q.bind(2, iso(ae.at));
  q.bind(3, ae.description);
  q.bind(4, std::string(to_string(ae.severity)));
  q.bind(5, who.user);
  q.bind(6, tx.at());
  if (const auto drugs = store::effect_drugs_text(ae)) q.bind(7, *drugs);
  if (ae.supersedes) q.bind(8, *ae.supersedes);
  q.bind(9, ae.retracted ? 1 : 0);
  q.exec();
  const std::int64_t id = db_->getLastInsertRowid();
  write_audit(*db_, who, ae.retracted ? "adverse-effect.retract" : "adverse-effect.log", patient,
              store::effect_audit_detail(id, ae), tx.at());
  tx.commit();
  return id;
}

std::vector<AdverseEffect> SqliteStore::adverse_effects(const std::string &patient,
                                                        bool include_superseded) {
  std::string sql = "SELECT id, at, description, severity, drugs, supersedes, retracted "
                    "FROM adverse_effects a WHERE patient_id = ?";
  if (!include_superseded) {
    sql += " AND retracted = 0 AND NOT EXISTS (SELECT 1 FROM adverse_effects c "
           "WHERE c.supersedes = a.id)";
  }
  SQLite::Statement q(*db_, sql + " ORDER BY at, id");
  q.bind(1, patient);
  std::vector<AdverseEffect> out;
  while (q.executeStep()) {
    AdverseEffect a;
    a.id = q.getColumn(0).getInt64();
    a.at = parse_local_datetime(q.getColumn(1).getString());
    a.description = q.getColumn(2).getString();
    a.severity = parse_ae_severity(q.getColumn(3).getString());
    store::read_effect_drugs(a, q.getColumn(4).isNull()
                                    ? std::nullopt
                                    : std::optional<std::string>(q.getColumn(4).getString()));
    if (!q.getColumn(5).isNull()) a.supersedes = q.getColumn(5).getInt64();
    a.retracted = q.getColumn(6).getInt() != 0;
    out.push_back(std::move(a));
  }
  return out;
}

// ---- decisions

std::int64_t SqliteStore::record_decision(const Assessment &a, std::optional<int> plan_version,
                                          const Actor &who) {
  Tx tx(*this);
  require_patient(*db_, a.patient);
  std::optional<std::int64_t> version_id;
  if (plan_version) version_id = find_version(*db_, a.patient, *plan_version).id;
  SQLite::Statement q(*db_, "INSERT INTO decisions (patient_id, plan_version_id, date, drug, "
                            "decision, baseline, window_start, window_end, window_mean, "
                            "window_scores, change_pct, days_at_target, rule, source, reasons, "
                            "next_dose_ug, next_drug, next_decision_date, substantial, recorded_by, "
                            "recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, a.patient);
  if (version_id) q.bind(2, *version_id);
  q.bind(3, iso(a.date));
  q.bind(4, a.drug);
  q.bind(5, std::string(store::decision_name(a.decision)));
  if (a.baseline) q.bind(6, *a.baseline);
  q.bind(7, iso(a.window.start));
  q.bind(8, iso(a.window.end));
  if (a.window.mean) q.bind(9, *a.window.mean);
  q.bind(10, a.window.scores);
  if (a.change_pct) q.bind(11, *a.change_pct);
  q.bind(12, a.days_at_target);
  q.bind(13, a.rule);
  q.bind(14, a.source);
  q.bind(15, json(a.reasons).dump());
  if (a.next_dose) q.bind(16, a.next_dose->ug());
  if (a.next_drug) q.bind(17, *a.next_drug);
  if (a.next_decision_date) q.bind(18, iso(*a.next_decision_date));
  q.bind(19, a.substantial ? 1 : 0);
  q.bind(20, who.user);
  q.bind(21, tx.at());
  q.exec();
  const std::int64_t id = db_->getLastInsertRowid();
  write_audit(*db_, who, "decision.record", a.patient,
              "#" + std::to_string(id) + ": " + std::string(store::decision_name(a.decision)) +
                  " for " + a.drug + " on " + iso(a.date) + " (rule " + a.rule + ")",
              tx.at());
  tx.commit();
  return id;
}

std::vector<DecisionRecord> SqliteStore::decisions(const std::string &patient) {
  SQLite::Statement q(*db_, "SELECT d.id, v.version, d.date, d.drug, d.decision, d.baseline, "
                            "d.window_start, d.window_end, d.window_mean, d.window_scores, "
                            "d.change_pct, d.days_at_target, d.rule, d.source, d.reasons, "
                            "d.next_dose_ug, d.next_drug, d.recorded_by, d.recorded_at, "
                            "d.patient_id, d.next_decision_date, d.substantial FROM decisions d LEFT JOIN plan_versions v "
                            "ON v.id = d.plan_version_id WHERE d.patient_id = ? ORDER BY d.id");
  q.bind(1, patient);
  std::vector<DecisionRecord> out;
  while (q.executeStep()) {
    DecisionRecord r;
    r.id = q.getColumn(0).getInt64();
    if (!q.getColumn(1).isNull()) r.plan_version = q.getColumn(1).getInt();
    Assessment &a = r.assessment;
    a.patient = q.getColumn(19).getString();
    a.date = parse_date(q.getColumn(2).getString());
    a.drug = q.getColumn(3).getString();
    a.decision = store::decision_from_name(q.getColumn(4).getString());
    if (!q.getColumn(5).isNull()) a.baseline = q.getColumn(5).getDouble();
    a.window.start = parse_date(q.getColumn(6).getString());
    a.window.end = parse_date(q.getColumn(7).getString());
    if (!q.getColumn(8).isNull()) a.window.mean = q.getColumn(8).getDouble();
    a.window.scores = q.getColumn(9).getInt();
    if (!q.getColumn(10).isNull()) a.change_pct = q.getColumn(10).getDouble();
    a.days_at_target = q.getColumn(11).getInt();
    a.rule = q.getColumn(12).getString();
    a.source = q.getColumn(13).getString();
    a.reasons = json::parse(q.getColumn(14).getString()).get<std::vector<std::string>>();
    if (!q.getColumn(15).isNull()) a.next_dose = Dose::micrograms(q.getColumn(15).getInt64());
    if (!q.getColumn(16).isNull()) a.next_drug = q.getColumn(16).getString();
    if (!q.getColumn(20).isNull()) a.next_decision_date = parse_date(q.getColumn(20).getString());
    a.substantial = q.getColumn(21).getInt() != 0;
    r.recorded_by = q.getColumn(17).getString();
    r.recorded_at = q.getColumn(18).getString();
    out.push_back(std::move(r));
  }
  return out;
}

// ---- the due list

// due_list_generic() as one query. plan_versions.decision_date is written by save_draft() from
// plan_decision_date() (the last trial stage's) and cannot change after the draft, so it is the
// date the generic walk reads from the plan document; the drug is that last trial stage's. The
// window (clinical.md A6) is the pathway's window_days before the decision date, decision date
// excluded, counting days with an effective (uncorrected) score; due_list() judges the count.
// Order: decision date, then patient id (the generic walk's stable sort over active_plans()).
std::vector<DueEntry> SqliteStore::due_list(Date today, int within_days, int window_days) {
  SQLite::Statement q(
      *db_,
      "SELECT p.patient_id, v.version, "
      "  (SELECT drug FROM stages WHERE plan_version_id = v.id AND role = 'trial' "
      "    ORDER BY ordinal DESC LIMIT 1), "
      "  v.decision_date, "
      "  (SELECT count(DISTINCT substr(s.at, 1, 10)) FROM pain_scores s "
      "    WHERE s.patient_id = p.patient_id "
      "      AND s.at >= date(v.decision_date, '-' || ?2 || ' days') AND s.at < v.decision_date "
      "      AND NOT EXISTS (SELECT 1 FROM pain_scores c WHERE c.supersedes = s.id)), "
      // A maintenance review: the date is past the trial stage's own decision date.
      "  v.decision_date > COALESCE((SELECT decision_date FROM stages WHERE plan_version_id = v.id "
      "    AND role = 'trial' ORDER BY ordinal DESC LIMIT 1), v.decision_date), "
      "  v.pathway "
      "FROM plan_versions v JOIN plans p ON p.id = v.plan_id "
      "WHERE v.status = 'approved' AND v.decision_date <= ?1 "
      "ORDER BY v.decision_date, p.patient_id");
  q.bind(1, iso(today + Days(within_days)));
  q.bind(2, window_days);
  std::vector<DueEntry> out;
  while (q.executeStep()) {
    DueEntry e;
    e.patient = q.getColumn(0).getString();
    e.version = q.getColumn(1).getInt();
    e.drug = opt_text(q.getColumn(2));
    try {
      e.decision_date = parse_date(q.getColumn(3).getString(), "decision_date");
    } catch (const InputError &err) {
      throw StorageError("stored plan of " + e.patient + " version " + std::to_string(e.version) +
                         ": " + err.what());
    }
    e.days_until = (e.decision_date - today).days();
    e.window_days_with_scores = q.getColumn(4).getInt();
    e.window_days = window_days;
    e.review = q.getColumn(5).getInt() != 0;
    e.pathway = q.getColumn(6).getString();
    out.push_back(std::move(e));
  }
  return out;
}

// ---- audit

void SqliteStore::append_audit(const Actor &who, const std::string &action,
                               const std::string &patient, const std::string &detail) {
  Tx tx(*this);
  write_audit(*db_, who, action, patient, detail, tx.at());
  tx.commit();
}

std::vector<AuditEntry> SqliteStore::audit(const std::optional<std::string> &patient) {
  std::string sql = "SELECT id, at, user, role, action, coalesce(patient_id, ''), detail FROM audit";
  if (patient) sql += " WHERE patient_id = ?";
  sql += " ORDER BY id";
  SQLite::Statement q(*db_, sql);
  if (patient) q.bind(1, *patient);
  std::vector<AuditEntry> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                   q.getColumn(2).getString(), q.getColumn(3).getString(),
                   q.getColumn(4).getString(), q.getColumn(5).getString(),
                   q.getColumn(6).getString()});
  }
  return out;
}

} // namespace titrate
