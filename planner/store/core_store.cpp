// The store core (core_store.hpp): Repository once, over a back end's StoreDialect. One thing,
// kept in one file on purpose: every rule a stored change obeys (lifecycle, four eyes, audit
// wording, corrections) beside the SQL that keeps it, in the order of repository.hpp.
#include "planner/store/core_store.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"
#include "planner/store/patient_codec.hpp"
#include "planner/store/plan_codec.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace titrate {

namespace store {

const SqlValue &SqlRow::at(std::size_t i) const {
  if (i >= cells_.size()) {
    throw StorageError("stored row: column " + std::to_string(i) + " is missing");
  }
  return cells_[i];
}

bool SqlRow::null(std::size_t i) const {
  return std::holds_alternative<std::monostate>(at(i));
}

std::string SqlRow::text(std::size_t i) const {
  const SqlValue &v = at(i);
  if (const auto *s = std::get_if<std::string>(&v))
    return *s;
  if (const auto *n = std::get_if<std::int64_t>(&v))
    return std::to_string(*n);
  if (const auto *d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return {};
}

std::optional<std::string> SqlRow::opt_text(std::size_t i) const {
  if (null(i))
    return std::nullopt;
  return text(i);
}

std::int64_t SqlRow::integer(std::size_t i) const {
  const SqlValue &v = at(i);
  if (const auto *n = std::get_if<std::int64_t>(&v))
    return *n;
  if (const auto *d = std::get_if<double>(&v))
    return static_cast<std::int64_t>(*d);
  if (const auto *s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size())
      return out;
    if (*s == "t" || *s == "true")
      return 1; // a PostgreSQL boolean
    if (*s == "f" || *s == "false")
      return 0;
    throw StorageError("stored value \"" + *s + "\" is not a whole number");
  }
  throw StorageError("stored value: NULL where a whole number was expected");
}

int SqlRow::int32(std::size_t i) const {
  return static_cast<int>(integer(i));
}

double SqlRow::real(std::size_t i) const {
  const SqlValue &v = at(i);
  if (const auto *d = std::get_if<double>(&v))
    return *d;
  if (const auto *n = std::get_if<std::int64_t>(&v))
    return static_cast<double>(*n);
  if (const auto *s = std::get_if<std::string>(&v)) {
    errno = 0;
    char *end = nullptr;
    const double out = std::strtod(s->c_str(), &end);
    if (!s->empty() && end == s->c_str() + s->size() && errno == 0)
      return out;
    throw StorageError("stored value \"" + *s + "\" is not a number");
  }
  throw StorageError("stored value: NULL where a number was expected");
}

void ImportRefusals::before_birth(std::int64_t line, const std::string &at,
                                  const std::string &patient, const std::string &birth) {
  if (++early_ <= max_listed) {
    early_lines_ += "\n  " + source_ + ":" + std::to_string(line) + ": at: " + at +
                    " is before the birth of " + patient + " (" + birth + ")";
  }
}

void ImportRefusals::unknown_patient(std::int64_t line, const std::string &patient) {
  if (++unknown_ <= max_listed) {
    unknown_lines_ += "\n  " + source_ + ":" + std::to_string(line) + ": patient_id: \"" + patient +
                      "\" is not a known patient";
  }
}

void ImportRefusals::throw_if_any() const {
  const auto more = [](std::int64_t n) {
    return n > max_listed ? "\n  and " + std::to_string(n - max_listed) + " more" : std::string();
  };
  if (early_ > 0) {
    throw InputError(source_ + ": " + std::to_string(early_) + " row" + (early_ == 1 ? "" : "s") +
                     " dated before the patient's birth; nothing was imported:" + early_lines_ +
                     more(early_));
  }
  if (unknown_ > 0) {
    throw NotFoundError(source_ + ": " + std::to_string(unknown_) + " bad row" +
                        (unknown_ == 1 ? "" : "s") + "; nothing was imported:" + unknown_lines_ +
                        more(unknown_));
  }
}

} // namespace store

namespace {

using nlohmann::json;
using store::nullable;
using store::SqlParams;
using store::SqlRow;
using store::SqlValue;

std::string core_now_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

SqlValue core_flag(bool b) {
  return std::int64_t{b ? 1 : 0};
}

// ---- row decoding

json core_stopped_doc(const std::vector<StoppedMedication> &v) {
  json a = json::array();
  for (const auto &s : v)
    a.push_back({{"name", s.name}, {"stopped", iso(s.stopped)}});
  return a;
}

// `sources` arrived with migration 6: a store opened at an older schema (the migration tests)
// reads '[]' and writes no sources.
std::string core_patient_columns(bool sources, bool indication) {
  return std::string("patient_id, version, birth_date, sex, weight_kg, serum_creatinine_mg_dl, "
                     "crcl_ml_min, hepatic, conditions, medications, stopped_medications, "
                     "baseline_pain, recorded_by, recorded_at, ") +
         (sources ? "sources" : "'[]' AS sources") +
         (indication ? ", indication" : ", NULL AS indication");
}

PatientRecord core_patient_from_row(const SqlRow &q) {
  return store::decode_stored(
      [&] {
        PatientRecord r;
        Patient &p = r.patient;
        p.id = q.text(0);
        r.version = q.int32(1);
        p.birth_date = parse_date(q.text(2), "birth_date");
        p.sex = parse_enum<Sex>(q.text(3), "sex");
        p.weight_kg = q.real(4);
        if (!q.null(5))
          p.serum_creatinine_mg_dl = q.real(5);
        if (!q.null(6))
          p.crcl_ml_min = q.real(6);
        p.hepatic = parse_enum<Hepatic>(q.text(7), "hepatic");
        store::read_conditions_document(json::parse(q.text(8)), p);
        p.medications = json::parse(q.text(9)).get<std::vector<std::string>>();
        for (const auto &s : json::parse(q.text(10))) {
          p.stopped_medications.push_back(
              {s.at("name").get<std::string>(), parse_date(s.at("stopped").get<std::string>())});
        }
        if (!q.null(11))
          p.baseline_pain = PainScore(q.int32(11));
        r.recorded_by = q.text(12);
        r.recorded_at = q.text(13);
        store::read_sources_document(json::parse(q.text(14)), p);
        if (!q.null(15))
          p.indication = q.text(15);
        return r;
      },
      [] { return "patient profile"; });
}

const char *core_version_select =
    "SELECT p.patient_id, v.version, v.status, v.content, v.drafted_by, v.drafted_at, "
    "v.submitted_by, v.submitted_at, v.note FROM plan_versions v JOIN plans p ON p.id = v.plan_id ";

PlanVersion core_version_from_row(const SqlRow &q) {
  PlanVersion v;
  v.patient = q.text(0);
  v.version = q.int32(1);
  v.status = store::stored_value<PlanStatus>(q.text(2));
  v.plan = store::decode_stored([&] { return store::plan_from_document(json::parse(q.text(3))); },
                                [&] { return store::plan_version_name(v.patient, v.version); });
  v.drafted_by = q.text(4);
  v.drafted_at = q.text(5);
  v.submitted_by = q.opt_text(6);
  v.submitted_at = q.opt_text(7);
  v.note = q.text(8);
  return v;
}

// A patient's entries in an append-only table of them (pain_scores, adverse_effects), oldest
// first: the four columns every entry has (id, at, supersedes, retracted), then `columns`; without
// `include_superseded`, only those standing (neither withdrawn nor corrected since).
std::string core_entries_sql(const std::string &table, const std::string &columns,
                             bool include_superseded) {
  std::string sql = "SELECT id, at, supersedes, retracted, " + columns + " FROM " + table +
                    " e WHERE patient_id = $1";
  if (!include_superseded) {
    sql += " AND retracted = 0 AND NOT EXISTS (SELECT 1 FROM " + table +
           " c WHERE c.supersedes = e.id)";
  }
  return sql + " ORDER BY at, id";
}

// The rows of core_entries_sql: the four columns every entry has, and `read_rest(entry, row)` the
// table's own from column 4 on. A value that does not parse is a StorageError naming the entry
// (`what` #id), its name built only then.
template <class Entry, class ReadRest>
std::vector<Entry> core_entries(const store::SqlRows &rows, const char *what, ReadRest read_rest) {
  return store::decode_rows(rows, [&](const SqlRow &row) {
    Entry e;
    e.id = row.integer(0);
    store::decode_stored(
        [&] {
          e.at = parse_local_datetime(row.text(1));
          if (!row.null(2))
            e.supersedes = row.integer(2);
          e.retracted = row.integer(3) != 0;
          read_rest(e, row);
        },
        [&] { return std::string(what) + " #" + std::to_string(e.id); });
    return e;
  });
}

bool core_blank(const std::string &s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

} // namespace

// ---- transactions

// Joins the open transaction, or opens one through the dialect; rolled back unless committed.
class CoreStore::Tx {
public:
  enum class Kind { read, write, one_statement };
  Tx(CoreStore &s, bool write) : Tx(s, write ? Kind::write : Kind::read) {}
  Tx(CoreStore &s, Kind kind) : s_(s) {
    if (s_.depth_ == 0) {
      if (kind == Kind::one_statement)
        s_.sql_->begin_one_statement();
      else
        s_.sql_->begin(kind == Kind::write);
      owner_ = true;
    }
    ++s_.depth_;
    at_ = core_now_utc();
  }
  ~Tx() {
    --s_.depth_;
    if (owner_ && !committed_)
      s_.sql_->rollback();
  }
  Tx(const Tx &) = delete;
  Tx &operator=(const Tx &) = delete;
  void commit() {
    if (owner_)
      s_.sql_->commit();
    committed_ = true;
  }
  const std::string &at() const { return at_; }

private:
  CoreStore &s_;
  bool owner_ = false;
  bool committed_ = false;
  std::string at_;
};

CoreStore::CoreStore(std::unique_ptr<store::StoreDialect> dialect) : sql_(std::move(dialect)) {
  const int v = sql_->schema_version();
  sources_ = v >= 6;
  indication_ = v >= 9;
  stage_review_ = v >= 10;
  audit_actor_ = v >= 7;
}

CoreStore::~CoreStore() = default;

int CoreStore::schema_version() {
  return sql_->schema_version();
}

store::SqlRows CoreStore::q(const std::string &sql, const SqlParams &params) {
  return sql_->query(sql, params);
}

store::SqlRows CoreStore::read(const std::string &sql, const store::SqlParams &params) {
  Tx tx(*this, false);
  auto r = q(sql, params);
  tx.commit();
  return r;
}

void CoreStore::atomically(const std::function<void()> &body) {
  Tx tx(*this, true);
  body();
  tx.commit();
}

std::vector<std::exception_ptr>
CoreStore::atomically_each(const std::vector<std::function<void()>> &bodies) {
  std::vector<std::exception_ptr> errors(bodies.size());
  Tx tx(*this, true);
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    q("SAVEPOINT titrate_each");
    try {
      bodies[i]();
    } catch (...) {
      errors[i] = std::current_exception();
      try {
        q("ROLLBACK TO SAVEPOINT titrate_each");
      } catch (...) {
        // The fault ended the whole transaction (SQLite does so for a full disk or an I/O
        // error): nothing of any body is kept, and the body's own error says why.
        std::rethrow_exception(errors[i]);
      }
    }
    q("RELEASE SAVEPOINT titrate_each");
  }
  tx.commit();
  return errors;
}

void CoreStore::require_patient(const std::string &id, bool lock) {
  if (q("SELECT 1 FROM patients WHERE id = $1" + std::string(lock ? sql_->lock_rows() : ""), {id})
          .empty()) {
    throw NotFoundError("patient " + id + ": not found");
  }
}

void CoreStore::write_audit(const Actor &who, const std::string &action, const std::string &patient,
                            const std::string &detail, const std::string &at) {
  const SqlValue patient_id = patient.empty() ? SqlValue() : SqlValue(patient);
  if (audit_actor_) {
    q("INSERT INTO audit (at, \"user\", role, action, patient_id, detail, door, os_user) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
      {at, who.user, who.role, action, patient_id, detail, who.door, who.os_user});
  } else {
    q("INSERT INTO audit (at, \"user\", role, action, patient_id, detail) "
      "VALUES ($1,$2,$3,$4,$5,$6)",
      {at, who.user, who.role, action, patient_id, detail});
  }
}

// ---- patients

namespace {

SqlParams core_patient_params(const Patient &p, const Actor &who, int version,
                              const std::string &at, bool sources, bool indication) {
  SqlParams v{p.id,
              std::int64_t{version},
              iso(p.birth_date),
              std::string(to_string(p.sex)),
              p.weight_kg,
              nullable(p.serum_creatinine_mg_dl),
              nullable(p.crcl_ml_min),
              std::string(to_string(p.hepatic)),
              store::conditions_document(p).dump(),
              json(p.medications).dump(),
              core_stopped_doc(p.stopped_medications).dump(),
              p.baseline_pain ? SqlValue(std::int64_t{p.baseline_pain->value()}) : SqlValue(),
              who.user,
              at};
  if (sources)
    v.emplace_back(store::sources_document(p).dump());
  if (indication)
    v.push_back(p.indication.empty() ? SqlValue() : SqlValue(p.indication));
  return v;
}

std::string core_insert_patient_version_sql(bool sources, bool indication) {
  std::string sql = "INSERT INTO patient_versions (patient_id, version, birth_date, sex, "
                    "weight_kg, serum_creatinine_mg_dl, crcl_ml_min, hepatic, conditions, "
                    "medications, stopped_medications, baseline_pain, recorded_by, recorded_at";
  int n = 14;
  if (sources) {
    sql += ", sources";
    ++n;
  }
  if (indication) {
    sql += ", indication";
    ++n;
  }
  sql += ") VALUES (";
  for (int i = 1; i <= n; ++i)
    sql += (i == 1 ? "$" : ",$") + std::to_string(i);
  return sql + ")";
}

} // namespace

int CoreStore::add_patient(const Patient &p, const Actor &who) {
  Tx tx(*this, true);
  if (q("INSERT INTO patients (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING "
        "RETURNING id",
        {p.id, tx.at()})
          .empty()) {
    throw RefusedError("patient " + p.id + ": already exists; use patient update to change it");
  }
  q(core_insert_patient_version_sql(sources_, indication_),
    core_patient_params(p, who, 1, tx.at(), sources_, indication_));
  write_audit(who, "patient.add", p.id, "profile version 1", tx.at());
  tx.commit();
  return 1;
}

int CoreStore::update_patient(const Patient &p, const Actor &who) {
  Tx tx(*this, true);
  require_patient(p.id, true); // locked: concurrent updates number versions in turn
  const int version =
      q("SELECT coalesce(max(version), 0) FROM patient_versions WHERE patient_id = $1", {p.id})
          .at(0)
          .int32(0) +
      1;
  q(core_insert_patient_version_sql(sources_, indication_),
    core_patient_params(p, who, version, tx.at(), sources_, indication_));
  write_audit(who, "patient.update", p.id, "profile version " + std::to_string(version), tx.at());
  tx.commit();
  return version;
}

std::optional<PatientRecord> CoreStore::patient(const std::string &id) {
  const auto r = read("SELECT " + core_patient_columns(sources_, indication_) +
                          " FROM patient_versions WHERE patient_id = $1 "
                          "ORDER BY version DESC LIMIT 1",
                      {id});
  return store::decode_first(r, core_patient_from_row);
}

std::vector<PatientRecord> CoreStore::patient_history(const std::string &id) {
  const auto r = read("SELECT " + core_patient_columns(sources_, indication_) +
                          " FROM patient_versions WHERE patient_id = $1 ORDER BY version",
                      {id});
  return store::decode_rows(r, core_patient_from_row);
}

std::vector<PatientRecord> CoreStore::patients() {
  const auto r = read("SELECT " + core_patient_columns(sources_, indication_) +
                      " FROM patient_versions v WHERE version = (SELECT max(version) "
                      "FROM patient_versions w WHERE w.patient_id = v.patient_id) "
                      "ORDER BY patient_id");
  return store::decode_rows(r, core_patient_from_row);
}

// ---- plans

struct CoreStore::VersionRow {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  PlanStatus status = PlanStatus::draft;
  std::string drafted_by;
  std::string submitted_by;
};

// `lock`: take the patient's plan row first and read the version afterwards, in a new statement,
// so its status is the latest committed one: two pharmacists approving one version at once
// serialize, and the second sees "approved" (READ COMMITTED gives each statement a fresh
// snapshot on PostgreSQL; SQLite's writing transaction holds the whole database).
CoreStore::VersionRow CoreStore::find_version(const std::string &patient, int version, bool lock) {
  require_patient(patient);
  if (lock && !sql_->lock_rows().empty()) {
    q("SELECT id FROM plans WHERE patient_id = $1" + std::string(sql_->lock_rows()), {patient});
  }
  const auto r = q("SELECT v.id, v.plan_id, v.status, v.drafted_by, v.submitted_by "
                   "FROM plan_versions v JOIN plans p ON p.id = v.plan_id "
                   "WHERE p.patient_id = $1 AND v.version = $2",
                   {patient, std::int64_t{version}});
  if (r.empty()) {
    throw NotFoundError("plan of " + patient + ": no version " + std::to_string(version));
  }
  const auto &row = r.front();
  return {row.integer(0), row.integer(1), store::stored_value<PlanStatus>(row.text(2)), row.text(3),
          row.text(4)};
}

int CoreStore::save_draft(const Plan &plan, const Actor &who, const std::string &note) {
  Tx tx(*this, true);
  require_patient(plan.patient);
  q("INSERT INTO plans (patient_id) VALUES ($1) ON CONFLICT (patient_id) DO NOTHING",
    {plan.patient});
  const std::int64_t plan_id =
      q("SELECT id FROM plans WHERE patient_id = $1" + std::string(sql_->lock_rows()),
        {plan.patient})
          .at(0)
          .integer(0);
  const int version =
      q("SELECT coalesce(max(version), 0) FROM plan_versions WHERE plan_id = $1", {plan_id})
          .at(0)
          .int32(0) +
      1;
  q("UPDATE plan_versions SET status = 'superseded' WHERE plan_id = $1 AND status = 'draft'",
    {plan_id});
  std::optional<std::string> decision_date;
  if (auto d = plan_decision_date(plan))
    decision_date = iso(*d);
  const std::int64_t version_id =
      q("INSERT INTO plan_versions (plan_id, version, status, pathway, start_date, "
        "decision_date, content, drafted_by, drafted_at, note) "
        "VALUES ($1,$2,'draft',$3,$4,$5,$6,$7,$8,$9) RETURNING id",
        {plan_id, std::int64_t{version}, plan.pathway, iso(plan.start), nullable(decision_date),
         store::plan_to_document(plan).dump(), who.user, tx.at(), note})
          .at(0)
          .integer(0);
  std::int64_t si = 0;
  for (const auto &s : plan.stages) {
    std::optional<std::string> target, decision, review;
    if (s.target_reached)
      target = iso(*s.target_reached);
    if (s.decision_date)
      decision = iso(*s.decision_date);
    if (s.review_date)
      review = iso(*s.review_date);
    SqlParams stage{version_id,
                    ++si,
                    s.drug,
                    std::string(to_string(s.role)),
                    std::int64_t{s.assessed_dose.ug()},
                    nullable(target),
                    nullable(decision)};
    if (stage_review_)
      stage.push_back(nullable(review));
    const std::int64_t stage_id =
        q(std::string("INSERT INTO stages (plan_version_id, ordinal, drug, role, assessed_ug, "
                      "target_reached, decision_date") +
              (stage_review_ ? ", review_date) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
                             : ") VALUES ($1,$2,$3,$4,$5,$6,$7)") +
              " RETURNING id",
          stage)
            .at(0)
            .integer(0);
    std::int64_t ti = 0;
    for (const auto &step : s.steps) {
      q("INSERT INTO steps (stage_id, ordinal, begin_date, end_date, daily_ug) "
        "VALUES ($1,$2,$3,$4,$5)",
        {stage_id, ++ti, iso(step.range.begin()), iso(step.range.end()),
         std::int64_t{step.daily.ug()}});
    }
  }
  write_audit(who, "plan.draft", plan.patient,
              "version " + std::to_string(version) + " (pathway " + plan.pathway + ", start " +
                  iso(plan.start) + (note.empty() ? "" : "; " + note) + ")",
              tx.at());
  tx.commit();
  return version;
}

void CoreStore::submit(const std::string &patient, int version, const Actor &who) {
  Tx tx(*this, true);
  const VersionRow v = find_version(patient, version, true);
  if (v.status != PlanStatus::draft) {
    throw RefusedError(store::plan_version_name(patient, version) + " is " +
                       std::string(to_string(v.status)) +
                       "; only a draft can be submitted (an edit makes a new version)");
  }
  q("UPDATE plan_versions SET status = 'superseded' WHERE plan_id = $1 AND status = 'submitted'",
    {v.plan_id});
  q("UPDATE plan_versions SET status = 'submitted', submitted_by = $1, submitted_at = $2 "
    "WHERE id = $3",
    {who.user, tx.at(), v.id});
  write_audit(who, "plan.submit", patient, "version " + std::to_string(version), tx.at());
  tx.commit();
}

CoreStore::VersionRow CoreStore::reviewable_version(const std::string &patient, int version,
                                                    const Actor &who, std::string_view verb) {
  VersionRow v = find_version(patient, version, true);
  if (v.status != PlanStatus::submitted) {
    throw RefusedError(store::plan_version_name(patient, version) + " is " +
                       std::string(to_string(v.status)) +
                       ", not awaiting review; only a submitted version can be " +
                       (verb == "approve" ? "approved" : "rejected"));
  }
  require_four_eyes(store::plan_version_name(patient, version), v.drafted_by, v.submitted_by, who,
                    verb);
  return v;
}

void CoreStore::approve(const std::string &patient, int version, const Actor &who) {
  Tx tx(*this, true);
  const VersionRow v = reviewable_version(patient, version, who, "approve");
  q("UPDATE plan_versions SET status = 'superseded' WHERE plan_id = $1 AND status = 'approved'",
    {v.plan_id});
  q("UPDATE plan_versions SET status = 'approved' WHERE id = $1", {v.id});
  q("INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
    "VALUES ($1, $2, 'approved', '', $3)",
    {v.id, who.user, tx.at()});
  write_audit(who, "plan.approve", patient, "version " + std::to_string(version), tx.at());
  tx.commit();
}

void CoreStore::reject(const std::string &patient, int version, const Actor &who,
                       const std::string &reason) {
  if (core_blank(reason)) {
    throw InputError("the reason for rejecting is empty; a rejection must say why");
  }
  Tx tx(*this, true);
  const VersionRow v = reviewable_version(patient, version, who, "reject");
  q("UPDATE plan_versions SET status = 'rejected' WHERE id = $1", {v.id});
  q("INSERT INTO reviews (plan_version_id, pharmacist, verdict, note, at) "
    "VALUES ($1, $2, 'rejected', $3, $4)",
    {v.id, who.user, reason, tx.at()});
  write_audit(who, "plan.reject", patient, "version " + std::to_string(version) + ": " + reason,
              tx.at());
  tx.commit();
}

std::vector<PlanVersion> CoreStore::versions_where(const std::string &where,
                                                   const SqlParams &params) {
  return store::decode_rows(read(core_version_select + where, params), core_version_from_row);
}

std::optional<PlanVersion> CoreStore::plan_version(const std::string &patient, int version) {
  auto all = versions_where("WHERE p.patient_id = $1 AND v.version = $2",
                            {patient, std::int64_t{version}});
  if (all.empty())
    return std::nullopt;
  return all.front();
}

std::vector<PlanVersion> CoreStore::plan_versions(const std::string &patient) {
  return versions_where("WHERE p.patient_id = $1 ORDER BY v.version", {patient});
}

std::optional<PlanVersion> CoreStore::active_plan(const std::string &patient) {
  auto all = versions_where("WHERE p.patient_id = $1 AND v.status = 'approved'", {patient});
  if (all.empty())
    return std::nullopt;
  return all.front();
}

std::vector<PlanVersion> CoreStore::active_plans() {
  return versions_where("WHERE v.status = 'approved' ORDER BY p.patient_id");
}

// A plan's current version `v` (over plan_versions v): the approved one, else the highest; one
// per plan. current_plans() and each_current_trial() choose it the same way.
constexpr const char *core_current_version =
    "(v.status = 'approved' OR (v.version = (SELECT max(v2.version) FROM plan_versions v2 "
    "WHERE v2.plan_id = v.plan_id) AND NOT EXISTS (SELECT 1 FROM plan_versions v3 WHERE "
    "v3.plan_id = v.plan_id AND v3.status = 'approved')))";

std::vector<PlanVersion> CoreStore::current_plans() {
  return versions_where(std::string("WHERE ") + core_current_version + " ORDER BY p.patient_id");
}

std::vector<PlanVersion> CoreStore::awaiting_review() {
  return versions_where("WHERE v.status = 'submitted' ORDER BY v.submitted_at, v.id");
}

std::vector<Review> CoreStore::reviews(const std::string &patient) {
  const auto r = read("SELECT p.patient_id, v.version, r.pharmacist, r.verdict, r.note, r.at "
                      "FROM reviews r JOIN plan_versions v ON v.id = r.plan_version_id "
                      "JOIN plans p ON p.id = v.plan_id WHERE p.patient_id = $1 ORDER BY r.id",
                      {patient});
  return store::decode_rows(r, [](const SqlRow &row) {
    return Review{row.text(0), row.int32(1), row.text(2), store::stored_value<Verdict>(row.text(3)),
                  row.text(4), row.text(5)};
  });
}

// ---- observations

namespace {

// The audit words of a pain score row, after its "#id".
std::string score_audit_words(const ScoreEntry &row) {
  if (row.retracted) {
    return ": withdraws #" + std::to_string(*row.supersedes) + " (score " +
           std::to_string(row.score.value()) + " at " + iso(row.at) + "): " + row.note;
  }
  return ": score " + std::to_string(row.score.value()) + " at " + iso(row.at) +
         (row.supersedes ? " (corrects #" + std::to_string(*row.supersedes) + ")" : "");
}

} // namespace

std::int64_t CoreStore::log_score(const std::string &patient, const ScoreEntry &s,
                                  const Actor &who) {
  if (s.retracted && !s.supersedes)
    throw InputError("withdraw: expected the id of the pain score to withdraw");
  if (s.retracted && core_blank(s.note)) {
    throw InputError("the reason is empty; say why the pain score is withdrawn (e.g. \"logged "
                     "for the wrong day\")");
  }
  if (!s.supersedes && audit_actor_ && sql_->one_statement_writes())
    return log_new_score(patient, s, who);
  Tx tx(*this, true);
  require_patient(patient);
  ScoreEntry row = s;
  if (s.supersedes) {
    // Lock the corrected score, then look for an earlier correction in a new statement: two
    // corrections of one score at once cannot both pass.
    const auto r = q("SELECT patient_id, at, score, retracted FROM pain_scores WHERE id = $1" +
                         std::string(sql_->lock_rows()),
                     {*s.supersedes});
    if (r.empty() || r.front().text(0) != patient) {
      throw NotFoundError("supersedes: patient " + patient + " has no score #" +
                          std::to_string(*s.supersedes));
    }
    if (r.front().integer(3) != 0) {
      throw RefusedError("supersedes: #" + std::to_string(*s.supersedes) +
                         " withdraws a score; it is not a score to correct or withdraw");
    }
    const auto c =
        q("SELECT id, retracted FROM pain_scores WHERE supersedes = $1 ORDER BY id LIMIT 1",
          {*s.supersedes});
    if (!c.empty()) {
      throw RefusedError("supersedes: score #" + std::to_string(*s.supersedes) + " was already " +
                         (c.front().integer(1) != 0 ? "withdrawn" : "corrected") + " by #" +
                         c.front().text(0) +
                         (c.front().integer(1) != 0 ? "" : "; correct that one instead"));
    }
    if (s.retracted) {
      // The withdrawal row keeps the withdrawn entry's time and score (required columns).
      row.at = parse_local_datetime(r.front().text(1));
      row.score = PainScore(r.front().int32(2));
    }
  }
  // `retracted` (schema 8) is written only by a withdrawal, so a score is the same row on every
  // schema.
  const std::int64_t id =
      q("INSERT INTO pain_scores (patient_id, at, score, note, entered_by, entered_at, "
        "supersedes" +
            std::string(row.retracted ? ", retracted) VALUES ($1,$2,$3,$4,$5,$6,$7,1)"
                                      : ") VALUES ($1,$2,$3,$4,$5,$6,$7)") +
            " RETURNING id",
        {patient, iso(row.at), std::int64_t{row.score.value()}, row.note, who.user, tx.at(),
         nullable(row.supersedes)})
          .at(0)
          .integer(0);
  write_audit(who, row.retracted ? "score.retract" : "score.log", patient,
              "#" + std::to_string(id) + score_audit_words(row), tx.at());
  tx.commit();
  return id;
}

// A new score (neither a correction nor a withdrawal) where the back end writes in one statement:
// the patient check, the score and its audit entry (the same words as log_score's) go to the
// server together, and outside atomically() nothing else is sent (no BEGIN, no COMMIT): the
// statement is one round trip and commits by itself. Parameters the SELECT lists do not type are
// cast (an INSERT ... SELECT does not take its columns' types as VALUES does).
std::int64_t CoreStore::log_new_score(const std::string &patient, const ScoreEntry &s,
                                      const Actor &who) {
  Tx tx(*this, Tx::Kind::one_statement);
  const auto r =
      q("WITH s AS (INSERT INTO pain_scores (patient_id, at, score, note, entered_by, entered_at) "
        "SELECT $1, $2, CAST($3 AS integer), $4, $5, $6 "
        "WHERE EXISTS (SELECT 1 FROM patients WHERE id = $1) RETURNING id), "
        "a AS (INSERT INTO audit (at, \"user\", role, action, patient_id, detail, door, os_user) "
        "SELECT $6, $5, $7, 'score.log', $1, '#' || s.id || CAST($8 AS text), $9, $10 FROM s) "
        "SELECT id FROM s",
        {patient, iso(s.at), std::int64_t{s.score.value()}, s.note, who.user, tx.at(), who.role,
         score_audit_words(s), who.door, who.os_user});
  if (r.empty())
    throw NotFoundError("patient " + patient + ": not found");
  tx.commit();
  return r.front().integer(0);
}

ImportResult CoreStore::import_scores(const ScoreRowSource &next, const Actor &who,
                                      const std::string &source_name) {
  Tx tx(*this, true);
  const ImportResult result = sql_->import_scores(next, who, source_name, tx.at(), audit_actor_);
  tx.commit();
  return result;
}

std::vector<ScoreEntry> CoreStore::scores(const std::string &patient, bool include_superseded) {
  return core_entries<ScoreEntry>(
      read(core_entries_sql("pain_scores", "score, note", include_superseded), {patient}),
      "pain score", [](ScoreEntry &e, const SqlRow &row) {
        e.score = PainScore(row.int32(4));
        e.note = row.text(5);
      });
}

std::int64_t CoreStore::log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                           const Actor &who) {
  if (core_blank(ae.description)) {
    throw InputError("the description of the adverse effect is empty; describe the effect "
                     "(e.g. \"dizziness\")");
  }
  Tx tx(*this, true);
  require_patient(patient);
  if (ae.supersedes || ae.retracted) {
    std::optional<std::string> target;
    std::optional<std::int64_t> replaced_by;
    if (ae.supersedes) {
      const auto r = q("SELECT patient_id, (SELECT id FROM adverse_effects c WHERE "
                       "c.supersedes = a.id LIMIT 1) FROM adverse_effects a WHERE a.id = $1" +
                           std::string(sql_->lock_rows()),
                       {*ae.supersedes});
      if (!r.empty()) {
        target = r.front().text(0);
        if (!r.front().null(1))
          replaced_by = r.front().integer(1);
      }
    }
    store::check_effect_correction(patient, ae, target, replaced_by);
  }
  const std::int64_t id =
      q("INSERT INTO adverse_effects (patient_id, at, description, severity, entered_by, "
        "entered_at, drugs, supersedes, retracted) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
        "RETURNING id",
        {patient, iso(ae.at), ae.description, std::string(to_string(ae.severity)), who.user,
         tx.at(), nullable(store::effect_drugs_text(ae)), nullable(ae.supersedes),
         core_flag(ae.retracted)})
          .at(0)
          .integer(0);
  write_audit(who, ae.retracted ? "adverse-effect.retract" : "adverse-effect.log", patient,
              store::effect_audit_detail(id, ae), tx.at());
  tx.commit();
  return id;
}

std::vector<AdverseEffect> CoreStore::adverse_effects(const std::string &patient,
                                                      bool include_superseded) {
  return core_entries<AdverseEffect>(
      read(core_entries_sql("adverse_effects", "description, severity, drugs", include_superseded),
           {patient}),
      "adverse effect", [](AdverseEffect &a, const SqlRow &row) {
        a.description = row.text(4);
        a.severity = parse_enum<AeSeverity>(row.text(5), "severity");
        store::read_effect_drugs(a, row.opt_text(6));
      });
}

// ---- decisions

std::int64_t CoreStore::record_decision(const Assessment &a, std::optional<int> plan_version,
                                        const Actor &who) {
  Tx tx(*this, true);
  require_patient(a.patient);
  std::optional<std::int64_t> version_id;
  if (plan_version)
    version_id = find_version(a.patient, *plan_version, false).id;
  std::optional<std::int64_t> next_ug;
  if (a.next_dose)
    next_ug = a.next_dose->ug();
  std::optional<std::string> next_dd;
  if (a.next_decision_date)
    next_dd = iso(*a.next_decision_date);
  const std::int64_t id =
      q("INSERT INTO decisions (patient_id, plan_version_id, date, drug, decision, baseline, "
        "window_start, window_end, window_mean, window_scores, change_pct, days_at_target, "
        "rule, source, reasons, next_dose_ug, next_drug, next_decision_date, substantial, "
        "recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,"
        "$15,$16,$17,$18,$19,$20,$21) RETURNING id",
        {a.patient,
         nullable(version_id),
         iso(a.date),
         a.drug,
         std::string(to_string(a.decision)),
         nullable(a.baseline),
         iso(a.window.start),
         iso(a.window.end),
         nullable(a.window.mean),
         std::int64_t{a.window.scores},
         nullable(a.change_pct),
         std::int64_t{a.days_at_target},
         a.rule,
         a.source,
         json(a.reasons).dump(),
         nullable(next_ug),
         nullable(a.next_drug),
         nullable(next_dd),
         core_flag(a.substantial),
         who.user,
         tx.at()})
          .at(0)
          .integer(0);
  write_audit(who, "decision.record", a.patient,
              "#" + std::to_string(id) + ": " + std::string(to_string(a.decision)) + " for " +
                  a.drug + " on " + iso(a.date) + " (rule " + a.rule + ")",
              tx.at());
  tx.commit();
  return id;
}

std::vector<DecisionRecord> CoreStore::decisions(const std::string &patient) {
  return decisions_where("WHERE d.patient_id = $1 ORDER BY d.id", {patient});
}

std::vector<DecisionRecord> CoreStore::all_decisions() {
  return decisions_where("ORDER BY d.patient_id, d.id", {});
}

void CoreStore::each_current_trial(const std::function<void(const TrialSummary &)> &f) {
  Tx tx(*this, false);
  // The stages table holds each stage's dates beside the document (review_date from schema 10):
  // no document is parsed. The current version as current_plans() chooses it.
  sql_->each_row(
      std::string("SELECT p.patient_id, v.pathway, s.drug, min(t.begin_date), max(t.end_date), "
                  "s.target_reached, ") +
          (stage_review_ ? "s.review_date" : "NULL") +
          " FROM plan_versions v JOIN plans p ON p.id = v.plan_id "
          "JOIN stages s ON s.plan_version_id = v.id JOIN steps t ON t.stage_id = s.id "
          "WHERE s.role = 'trial' AND " +
          core_current_version +
          " GROUP BY s.id, p.patient_id, v.pathway, s.drug, s.target_reached, " +
          (stage_review_ ? "s.review_date, " : "") + "s.ordinal ORDER BY p.patient_id, s.ordinal",
      {}, [&](const SqlRow &r) {
        TrialSummary t;
        t.patient = r.text(0);
        t.pathway = r.text(1);
        t.drug = r.text(2);
        store::decode_stored(
            [&] {
              t.first = parse_date(r.text(3), "step begin_date");
              t.end = parse_date(r.text(4), "step end_date");
              if (!r.null(5))
                t.target_reached = parse_date(r.text(5), "stage target_reached");
            },
            [&] { return "plan of " + t.patient; });
        t.maintenance = !r.null(6);
        f(t);
      });
  tx.commit();
}

std::optional<LoginAccount> CoreStore::login_account() {
  // A connection's login never changes, and the application may not change an account's role
  // (docs/deployment.md's grants): once the login is known to be an account it is not asked
  // again (the CLI asks twice for `user add`). A login that is no account yet is asked each
  // time: the account may be added meanwhile.
  if (login_account_)
    return login_account_;
  Tx tx(*this, false);
  auto login = sql_->session_login();
  if (!login) {
    tx.commit();
    return std::nullopt;
  }
  LoginAccount out{*login, std::nullopt};
  const auto r = q("SELECT role FROM users WHERE name = $1", {*login});
  tx.commit();
  if (!r.empty()) {
    out.role = r.at(0).text(0);
    login_account_ = out;
  }
  return out;
}

std::vector<DecisionSummary> CoreStore::decision_summaries() {
  Tx tx(*this, false);
  std::vector<DecisionSummary> out;
  sql_->each_row("SELECT d.patient_id, d.date, d.drug, d.decision, d.rule, d.change_pct, "
                 "d.window_start, d.window_end, d.window_scores FROM decisions d "
                 "ORDER BY d.patient_id, d.id",
                 {}, [&](const SqlRow &r) {
                   DecisionSummary d;
                   d.patient = r.text(0);
                   store::decode_stored(
                       [&] {
                         d.date = parse_date(r.text(1));
                         d.drug = r.text(2);
                         d.decision = store::stored_value<DecisionKind>(r.text(3));
                         d.rule = r.text(4);
                         if (!r.null(5))
                           d.change_pct = r.real(5);
                         d.window.start = parse_date(r.text(6));
                         d.window.end = parse_date(r.text(7));
                         d.window.scores = r.int32(8);
                       },
                       [&] { return "decision of " + d.patient; });
                   out.push_back(std::move(d));
                 });
  tx.commit();
  return out;
}

std::vector<DecisionRecord> CoreStore::decisions_where(const std::string &where,
                                                       const SqlParams &params) {
  const auto r = read("SELECT d.id, v.version, d.date, d.drug, d.decision, d.baseline, "
                      "d.window_start, d.window_end, d.window_mean, d.window_scores, d.change_pct, "
                      "d.days_at_target, d.rule, d.source, d.reasons, d.next_dose_ug, d.next_drug, "
                      "d.recorded_by, d.recorded_at, d.patient_id, d.next_decision_date, "
                      "d.substantial FROM decisions d LEFT JOIN plan_versions v "
                      "ON v.id = d.plan_version_id " +
                          where,
                      params);
  return store::decode_rows(r, [](const SqlRow &d) {
    DecisionRecord rec;
    rec.id = d.integer(0);
    store::decode_stored(
        [&] {
          if (!d.null(1))
            rec.plan_version = d.int32(1);
          Assessment &a = rec.assessment;
          a.patient = d.text(19);
          a.date = parse_date(d.text(2));
          a.drug = d.text(3);
          a.decision = store::stored_value<DecisionKind>(d.text(4));
          if (!d.null(5))
            a.baseline = d.real(5);
          a.window.start = parse_date(d.text(6));
          a.window.end = parse_date(d.text(7));
          if (!d.null(8))
            a.window.mean = d.real(8);
          a.window.scores = d.int32(9);
          if (!d.null(10))
            a.change_pct = d.real(10);
          a.days_at_target = d.int32(11);
          a.rule = d.text(12);
          a.source = d.text(13);
          a.reasons = json::parse(d.text(14)).get<std::vector<std::string>>();
          if (!d.null(15))
            a.next_dose = Dose::micrograms(d.integer(15));
          a.next_drug = d.opt_text(16);
          if (!d.null(20))
            a.next_decision_date = parse_date(d.text(20));
          a.substantial = d.integer(21) != 0;
          rec.recorded_by = d.text(17);
          rec.recorded_at = d.text(18);
        },
        [&] { return "decision #" + std::to_string(rec.id); });
    return rec;
  });
}

// ---- the due list

namespace {

// due_list_generic() as one query. plan_versions.decision_date is written by save_draft() from
// plan_decision_date() (the last trial stage's) and cannot change after the draft, so it is the
// date the generic walk reads from the plan document; the drug is that last trial stage's. Every
// approved version whose decision date is at most $1 is listed, with the distinct days that have
// an effective (not withdrawn, not superseded) score in [decision date - $2 days, decision date)
// (clinical.md A6, the pathway's window; due_list() judges the count), and whether the date is a
// maintenance review (past the trial stage's own decision date). Ordered by decision date, then
// patient id (the generic walk's stable sort over active_plans(), byte-wise: both columns are
// YYYY-MM-DD or byte-ordered text). Score times are "YYYY-MM-DDTHH:MM" text, so `at >= 'D'` and
// `at < 'D'` compare their dates.
std::string due_query(const store::StoreDialect &sql) {
  return "SELECT p.patient_id, v.version, v.decision_date,"
         " (SELECT drug FROM stages WHERE plan_version_id = v.id AND role = 'trial'"
         "   ORDER BY ordinal DESC LIMIT 1),"
         " (SELECT count(DISTINCT substr(s.at, 1, 10)) FROM pain_scores s"
         "   WHERE s.patient_id = p.patient_id AND s.at >= " +
         sql.days_before("v.decision_date", "$2") +
         "     AND s.at < v.decision_date AND s.retracted = 0"
         "     AND NOT EXISTS (SELECT 1 FROM pain_scores c WHERE c.supersedes = s.id)),"
         " CASE WHEN v.decision_date > COALESCE((SELECT decision_date FROM stages"
         "   WHERE plan_version_id = v.id AND role = 'trial' ORDER BY ordinal DESC LIMIT 1),"
         "   v.decision_date) THEN 1 ELSE 0 END,"
         " v.pathway"
         " FROM plan_versions v JOIN plans p ON p.id = v.plan_id"
         " WHERE v.status = 'approved' AND v.decision_date IS NOT NULL AND v.decision_date <= $1"
         " ORDER BY v.decision_date, p.patient_id";
}

} // namespace

std::vector<DueEntry> CoreStore::due_list(Date today, int within_days, int window_days) {
  Tx tx(*this, false);
  std::vector<DueEntry> out;
  sql_->each_row(due_query(*sql_), {iso(today + Days(within_days)), std::int64_t{window_days}},
                 [&](SqlRow row) {
                   DueEntry e;
                   e.patient = row.text(0);
                   e.version = row.int32(1);
                   e.decision_date = store::decode_stored(
                       [&] { return parse_date(row.text(2), "decision_date"); },
                       [&] { return store::plan_version_name(e.patient, e.version); });
                   e.days_until = (e.decision_date - today).days();
                   e.drug = row.text(3);
                   e.window_days_with_scores = row.int32(4);
                   e.window_days = window_days;
                   e.review = row.integer(5) != 0;
                   e.pathway = row.text(6);
                   out.push_back(std::move(e));
                 });
  tx.commit();
  return out;
}

// ---- audit

void CoreStore::append_audit(const Actor &who, const std::string &action,
                             const std::string &patient, const std::string &detail) {
  Tx tx(*this, true);
  write_audit(who, action, patient, detail, tx.at());
  tx.commit();
}

std::vector<AuditEntry> CoreStore::audit(const std::optional<std::string> &patient) {
  std::string sql = "SELECT id, at, \"user\", role, action, coalesce(patient_id, ''), detail, " +
                    std::string(audit_actor_ ? "door, os_user" : "'', ''") + " FROM audit";
  const auto r = patient ? read(sql + " WHERE patient_id = $1 ORDER BY id", {*patient})
                         : read(sql + " ORDER BY id");
  return store::decode_rows(r, [](const SqlRow &row) {
    return AuditEntry{.id = row.integer(0),
                      .at = row.text(1),
                      .user = row.text(2),
                      .role = row.text(3),
                      .action = row.text(4),
                      .patient = row.text(5),
                      .detail = row.text(6),
                      .door = row.text(7),
                      .os_user = row.text(8)};
  });
}

} // namespace titrate
