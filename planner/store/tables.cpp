// The titrate table list, canonical values and the copy/verify walk (planner/store/tables.hpp).
#include "planner/store/tables.hpp"

#include "planner/core/errors.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <system_error>

namespace titrate {

namespace {

ColumnSpec t(const char *name) {
  return {name, ColumnKind::text};
}
ColumnSpec i(const char *name) {
  return {name, ColumnKind::integer};
}
ColumnSpec r(const char *name) {
  return {name, ColumnKind::real};
}

// BLAKE2b-256 over a byte stream, as lower-case hex.
class Hasher {
public:
  Hasher() {
    if (sodium_init() < 0)
      throw StorageError("libsodium could not be initialised");
    crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES);
  }
  void add(const std::string &bytes) {
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char *>(bytes.data()),
                              bytes.size());
  }
  std::string hex() {
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    std::array<char, crypto_generichash_BYTES * 2 + 1> text{};
    sodium_bin2hex(text.data(), text.size(), out.data(), out.size());
    return text.data();
  }

private:
  crypto_generichash_state state_{};
};

// Count and checksum of one table. The hashed stream is unambiguous: the table name and column
// names first, then per value "-" for NULL or "<byte length>:<bytes>", each row ending in "\n".
class TableDigest {
public:
  explicit TableDigest(const TableSpec &spec) : spec_(spec) {
    std::string head = spec.name + "(";
    for (const auto &c : spec.columns)
      head += c.name + ",";
    hasher_.add(head + ")\n");
  }
  void add(const Row &row) {
    if (row.size() != spec_.columns.size()) {
      throw StorageError("table " + spec_.name + ": a row with " + std::to_string(row.size()) +
                         " values, expected " + std::to_string(spec_.columns.size()));
    }
    buf_.clear();
    for (const auto &v : row) {
      if (!v) {
        buf_ += '-';
      } else {
        buf_ += std::to_string(v->size());
        buf_ += ':';
        buf_ += *v;
      }
    }
    buf_ += '\n';
    hasher_.add(buf_);
    ++rows_;
  }
  TableSummary finish() { return {spec_.name, rows_, hasher_.hex()}; }

private:
  const TableSpec &spec_;
  Hasher hasher_;
  std::string buf_;
  std::int64_t rows_ = 0;
};

DatabaseSummary finish(int version, std::vector<TableSummary> tables) {
  DatabaseSummary s;
  s.schema_version = version;
  Hasher all;
  for (const auto &t : tables) {
    s.total_rows += t.rows;
    all.add(t.table + " " + std::to_string(t.rows) + " " + t.checksum + "\n");
  }
  s.tables = std::move(tables);
  s.checksum = all.hex();
  return s;
}

} // namespace

const std::vector<TableSpec> &titrate_tables() {
  // From planner/store/sqlite/migrations/001..008 (schema version 8); the back ends check at
  // open that their tables have exactly these columns, so a later migration that adds a column
  // or a table cannot be copied without this list being brought up to date.
  static const std::vector<TableSpec> all = {
      {"patients", {t("id"), t("created_at")}, {"id"}, ""},
      {"patient_versions",
       {t("patient_id"), i("version"), t("birth_date"), t("sex"), r("weight_kg"),
        r("serum_creatinine_mg_dl"), r("crcl_ml_min"), t("hepatic"), t("conditions"),
        t("medications"), t("stopped_medications"), i("baseline_pain"), t("recorded_by"),
        t("recorded_at"), t("sources"), t("indication")},
       {"patient_id", "version"},
       ""},
      {"plans", {i("id"), t("patient_id")}, {"id"}, "id"},
      {"plan_versions",
       {i("id"), i("plan_id"), i("version"), t("status"), t("pathway"), t("start_date"),
        t("decision_date"), t("content"), t("drafted_by"), t("drafted_at"), t("submitted_by"),
        t("submitted_at"), t("note")},
       {"id"},
       "id"},
      {"stages",
       {i("id"), i("plan_version_id"), i("ordinal"), t("drug"), t("role"), i("assessed_ug"),
        t("target_reached"), t("decision_date"), t("review_date")},
       {"id"},
       "id"},
      {"steps",
       {i("stage_id"), i("ordinal"), t("begin_date"), t("end_date"), i("daily_ug")},
       {"stage_id", "ordinal"},
       ""},
      {"reviews",
       {i("id"), i("plan_version_id"), t("pharmacist"), t("verdict"), t("note"), t("at")},
       {"id"},
       "id"},
      {"pain_scores",
       {i("id"), t("patient_id"), t("at"), i("score"), t("note"), t("entered_by"), t("entered_at"),
        i("supersedes"), i("retracted")},
       {"id"},
       "id"},
      {"adverse_effects",
       {i("id"), t("patient_id"), t("at"), t("description"), t("severity"), t("entered_by"),
        t("entered_at"), t("drugs"), i("supersedes"), i("retracted")},
       {"id"},
       "id"},
      {"decisions",
       {i("id"),
        t("patient_id"),
        i("plan_version_id"),
        t("date"),
        t("drug"),
        t("decision"),
        r("baseline"),
        t("window_start"),
        t("window_end"),
        r("window_mean"),
        i("window_scores"),
        r("change_pct"),
        i("days_at_target"),
        t("rule"),
        t("source"),
        t("reasons"),
        i("next_dose_ug"),
        t("next_drug"),
        t("next_decision_date"),
        i("substantial"),
        t("recorded_by"),
        t("recorded_at")},
       {"id"},
       "id"},
      {"audit",
       {i("id"), t("at"), t("user"), t("role"), t("action"), t("patient_id"), t("detail"),
        t("door"), t("os_user")},
       {"id"},
       "id"},
      {"users",
       {t("name"), t("role"), t("password_hash"), i("failed_logins"), i("locked_until"),
        i("created")},
       {"name"},
       ""},
      {"patient_links",
       {t("token_hash"), t("patient_id"), i("created"), i("revoked")},
       {"token_hash"},
       ""},
      {"sessions", {t("id_hash"), t("user_name"), t("csrf"), i("expires")}, {"id_hash"}, ""},
      {"used_tokens", {t("scope"), t("token_id"), i("expires")}, {"scope", "token_id"}, ""},
      {"login_failures", {t("throttle_key"), i("failures"), i("last_at")}, {"throttle_key"}, ""},
  };
  return all;
}

std::string canonical_integer(std::int64_t v) {
  return std::to_string(v);
}

std::string canonical_real(double v) {
  // Shortest text that reads back to the same double (std::to_chars without a precision).
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

std::int64_t parse_canonical_integer(const std::string &text, const std::string &where) {
  std::int64_t v = 0;
  const char *end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, v);
  if (text.empty() || res.ec != std::errc() || res.ptr != end) {
    throw StorageError(where + ": \"" + text.substr(0, 40) + "\" is not an integer");
  }
  return v;
}

double parse_canonical_real(const std::string &text, const std::string &where) {
  double v = 0;
  const char *end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, v);
  if (text.empty() || res.ec != std::errc() || res.ptr != end) {
    throw StorageError(where + ": \"" + text.substr(0, 40) + "\" is not a number");
  }
  return v;
}

std::string canonical_integer_text(const std::string &text, const std::string &where) {
  return canonical_integer(parse_canonical_integer(text, where));
}

std::string canonical_real_text(const std::string &text, const std::string &where) {
  return canonical_real(parse_canonical_real(text, where));
}

void check_table_list_matches(int latest_migration, const std::string &dialect) {
  if (latest_migration != tables_schema_version) {
    throw StorageError("db copy: this build's table list describes schema version " +
                       std::to_string(tables_schema_version) + " but its " + dialect +
                       " migrations reach " + std::to_string(latest_migration) +
                       " (planner/store/tables.cpp needs updating)");
  }
}

void check_table_set(const std::set<std::string> &found,
                     const std::function<std::set<std::string>(const std::string &)> &columns_of,
                     const std::string &display) {
  std::set<std::string> expected = {"schema_version"};
  for (const auto &spec : titrate_tables())
    expected.insert(spec.name);
  for (const auto &name : found) {
    if (!expected.count(name)) {
      throw RefusedError("database " + display + ": table " + name +
                         " is not one this titrate knows how to copy; nothing was copied");
    }
  }
  for (const auto &spec : titrate_tables()) {
    if (!found.count(spec.name)) {
      throw RefusedError("database " + display + ": table " + spec.name +
                         " is missing; it is not a complete titrate database");
    }
    std::set<std::string> want;
    for (const auto &col : spec.columns)
      want.insert(col.name);
    if (columns_of(spec.name) != want) {
      throw RefusedError("database " + display + ": table " + spec.name +
                         " does not have the columns of schema version " +
                         std::to_string(tables_schema_version) + "; nothing was copied");
    }
  }
}

void check_source_version(const std::string &display, int version, int latest,
                          const std::string &empty_why, const std::string &location_name) {
  if (version < 0) {
    throw RefusedError("database " + display +
                       ": not a titrate database (it has tables but no schema_version)");
  }
  if (version == 0) {
    throw RefusedError("database " + display + ": holds no titrate schema (" + empty_why + ")");
  }
  if (version > latest) {
    throw RefusedError("database " + display + ": schema version " + std::to_string(version) +
                       " is newer than this titrate understands (" + std::to_string(latest) +
                       "); copy it with the titrate that wrote it. Nothing was read or written");
  }
  if (version < latest) {
    throw RefusedError("database " + display + ": schema version " + std::to_string(version) +
                       " is older than this titrate's (" + std::to_string(latest) +
                       "); it is only read here, never migrated, so migrate it first by opening " +
                       location_name +
                       " once with this titrate (listing its patients is "
                       "enough), then copy it");
  }
}

void refuse_nonempty_destination(const std::string &display, const std::string &table,
                                 std::int64_t rows) {
  throw RefusedError("db copy: destination " + display + " already holds titrate data (" + table +
                     ": " + std::to_string(rows) + (rows == 1 ? " row" : " rows") +
                     "); copy only into a new or empty database. Nothing was written");
}

void refuse_newer_destination(const std::string &display, int version, int latest) {
  throw RefusedError("db copy: destination " + display + " is at schema version " +
                     std::to_string(version) + ", newer than this titrate understands (" +
                     std::to_string(latest) + "); nothing was written");
}

std::string table_select_sql(const TableSpec &spec, const std::string &text_key_order) {
  const auto quote = [](const std::string &name) { return "\"" + name + "\""; };
  std::string sql = "SELECT ";
  for (std::size_t k = 0; k < spec.columns.size(); ++k) {
    sql += (k ? ", " : "") + quote(spec.columns[k].name);
  }
  sql += " FROM " + quote(spec.name) + " ORDER BY ";
  for (std::size_t k = 0; k < spec.key.size(); ++k) {
    sql += (k ? ", " : "") + quote(spec.key[k]);
    for (const auto &col : spec.columns) {
      if (col.name == spec.key[k] && col.kind == ColumnKind::text)
        sql += text_key_order;
    }
  }
  return sql;
}

DatabaseSummary summarize(TableReader &db) {
  const int version = db.schema_version();
  std::vector<TableSummary> tables;
  for (const auto &spec : titrate_tables()) {
    TableDigest d(spec);
    db.scan(spec, [&](const Row &row) { d.add(row); });
    tables.push_back(d.finish());
  }
  return finish(version, std::move(tables));
}

DatabaseSummary copy_tables(TableReader &from, TableWriter &to) {
  const int version = from.schema_version();
  if (to.schema_version() != version) {
    throw StorageError("db copy: " + to.name() + " is at schema version " +
                       std::to_string(to.schema_version()) + ", " + from.name() + " at " +
                       std::to_string(version) + "; nothing was copied");
  }
  std::vector<TableSummary> read;
  for (const auto &spec : titrate_tables()) {
    TableDigest d(spec);
    to.begin_table(spec);
    from.scan(spec, [&](const Row &row) {
      d.add(row);
      to.insert(row);
    });
    to.end_table();
    read.push_back(d.finish());
  }
  const DatabaseSummary source = finish(version, std::move(read));
  // Verify what the destination now holds, read back through its own transaction.
  const DatabaseSummary copied = summarize(to);
  for (std::size_t k = 0; k < source.tables.size(); ++k) {
    const auto &a = source.tables[k];
    const auto &b = copied.tables[k];
    if (a.rows != b.rows || a.checksum != b.checksum) {
      throw StorageError("db copy: table " + a.table + " did not copy exactly (" + from.name() +
                         ": " + std::to_string(a.rows) + " rows, checksum " + a.checksum + "; " +
                         to.name() + ": " + std::to_string(b.rows) + " rows, checksum " +
                         b.checksum + "); nothing was committed");
    }
  }
  if (source.checksum != copied.checksum) {
    throw StorageError("db copy: the database checksums differ; nothing was committed");
  }
  return copied;
}

} // namespace titrate
