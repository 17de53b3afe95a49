// The canonical values and checksums behind `db copy` / `db checksum` (planner/store/tables.hpp),
// without a database. Expected digests were computed independently of this code with Python's
// hashlib.blake2b(stream, digest_size=32) over the stream docs/cli.md defines, e.g.
// blake2b(b"sessions(id_hash,user_name,csrf,expires,)\n").
#include "planner/core/errors.hpp"
#include "planner/store/tables.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace titrate;

namespace {

// A database held in memory: rows per table name, given in key order.
class FakeReader final : public TableReader {
public:
  std::map<std::string, std::vector<Row>> rows;
  std::string name() const override { return "fake"; }
  int schema_version() override { return tables_schema_version; }
  void scan(const TableSpec &t, const RowSink &each) override {
    for (const auto &r : rows[t.name])
      each(r);
  }
};

// A destination held in memory that reads back what it was given (a FakeReader); a test's
// writer changes what end_table() or commit() does.
class MemoryWriter : public TableWriter {
public:
  FakeReader held;
  bool committed = false;
  int schema_version() override { return tables_schema_version; }
  void scan(const TableSpec &t, const RowSink &each) override { held.scan(t, each); }
  void begin_table(const TableSpec &t) override { table_ = t.name; }
  void insert(const Row &r) override { held.rows[table_].push_back(r); }
  void end_table() override {}
  void commit() override { committed = true; }

protected:
  const std::string &current_table() const { return table_; }

private:
  std::string table_;
};

const TableSummary &table(const DatabaseSummary &s, const std::string &name) {
  for (const auto &t : s.tables)
    if (t.table == name)
      return t;
  FAIL("no table " << name);
  throw std::logic_error("unreachable");
}

std::size_t position(const std::string &name) {
  const auto &all = titrate_tables();
  for (std::size_t k = 0; k < all.size(); ++k)
    if (all[k].name == name)
      return k;
  FAIL("no table " << name);
  return 0;
}

} // namespace

TEST_CASE("tables: checksums follow the documented stream (BLAKE2b-256, computed independently)") {
  FakeReader db;
  db.rows["patients"] = {{std::string("P1"), std::string("2026-11-25T21:01:00Z")}};
  const auto s = summarize(db);
  CHECK(s.tables.size() == 16);
  CHECK(s.total_rows == 1);
  CHECK(table(s, "patients").rows == 1);
  // blake2b(b"patients(id,created_at,)\n2:P120:2026-11-25T21:01:00Z\n")
  CHECK(table(s, "patients").checksum ==
        "3d9536b64ec09047653195fedaeb42abf9889ddc8270570e901f97b126bde177");
  // An empty table: the header alone.
  CHECK(table(s, "sessions").rows == 0);
  CHECK(table(s, "sessions").checksum ==
        "76855b220b13e24503cc39c9c4149e560246ee3ae1fa284966ad885f85b084bc");
  // blake2b(b"used_tokens(scope,token_id,expires,)\n") (migration 11)
  CHECK(table(s, "used_tokens").checksum ==
        "caf389401402c6560a1fb2a5b77bbfd80ed58d3efec327b58cc3f918413bde21");
  // blake2b(b"login_failures(throttle_key,failures,last_at,)\n") (migration 13)
  CHECK(table(s, "login_failures").checksum ==
        "3c73d8806f6d01571f22ba16f523a74d10c269e2a484e71565d0f7885484a697");
}

TEST_CASE("tables: NULL, empty text, value boundaries and row order all change the checksum") {
  const auto sum = [](std::vector<Row> rows) {
    FakeReader db;
    db.rows["patients"] = std::move(rows);
    return table(summarize(db), "patients").checksum;
  };
  const std::string null_row = sum({{std::string("P1"), std::nullopt}});
  const std::string empty_row = sum({{std::string("P1"), std::string()}});
  CHECK(null_row != empty_row);
  // "ab" + "c" and "a" + "bc": the same bytes, different values.
  CHECK(sum({{std::string("ab"), std::string("c")}}) !=
        sum({{std::string("a"), std::string("bc")}}));
  const Row a = {std::string("A"), std::string("x")};
  const Row b = {std::string("B"), std::string("x")};
  CHECK(sum({a, b}) != sum({b, a}));
  CHECK(sum({a, b}) == sum({a, b}));
}

TEST_CASE("tables: canonical numbers are the same text whichever back end they come from") {
  CHECK(canonical_real(70.0) == "70");
  CHECK(canonical_real(0.8) == "0.8");
  CHECK(canonical_real(81.3) == "81.3");
  CHECK(canonical_real(1e-7) == "1e-07");
  // 45.5 + 2^-46 needs all 17 significant digits to read back (Python: repr(45.5 + 2**-46)).
  CHECK(canonical_real(45.5 + std::ldexp(1.0, -46)) == "45.500000000000014");
  CHECK(parse_canonical_real("45.500000000000014", "x") == 45.5 + std::ldexp(1.0, -46));
  // PostgreSQL's text of a double, read back and written canonically.
  CHECK(canonical_real_text("81.30", "x") == "81.3");
  CHECK(canonical_real_text("70", "x") == "70");
  CHECK(canonical_integer_text("-12", "x") == "-12");
  CHECK(canonical_integer(9007199254740993) == "9007199254740993");
  CHECK_THROWS_AS(canonical_integer_text("12.5", "table t column c"), StorageError);
  CHECK_THROWS_WITH(canonical_integer_text("abc", "table t column c"),
                    Catch::Contains("table t column c") && Catch::Contains("abc"));
  CHECK_THROWS_AS(canonical_real_text("", "x"), StorageError);
}

TEST_CASE("tables: parents come before children, so loading in order meets every foreign key") {
  // From the REFERENCES clauses of planner/store/sqlite/migrations/001-003.
  const std::vector<std::pair<std::string, std::string>> child_parent = {
      {"patient_versions", "patients"},
      {"plans", "patients"},
      {"plan_versions", "plans"},
      {"stages", "plan_versions"},
      {"steps", "stages"},
      {"reviews", "plan_versions"},
      {"pain_scores", "patients"},
      {"adverse_effects", "patients"},
      {"decisions", "patients"},
      {"decisions", "plan_versions"},
      {"patient_links", "patients"},
      {"sessions", "users"}};
  for (const auto &[child, parent] : child_parent) {
    INFO(child << " -> " << parent);
    CHECK(position(parent) < position(child));
  }
  CHECK(titrate_tables().size() == 16);
  for (const auto &t : titrate_tables()) {
    INFO(t.name);
    CHECK(!t.key.empty());
    for (const auto &k : t.key) {
      bool found = false;
      for (const auto &c : t.columns)
        found = found || c.name == k;
      CHECK(found);
    }
  }
}

TEST_CASE("tables: a copy whose destination reads back differently is refused, naming the table") {
  // A destination that drops the last audit row it is given: the read-back differs.
  class LossyWriter final : public MemoryWriter {
  public:
    std::string name() const override { return "lossy"; }
    void end_table() override {
      auto &rows = held.rows[current_table()];
      if (current_table() == "audit" && !rows.empty())
        rows.pop_back();
    }
  };
  FakeReader src;
  src.rows["audit"] = {{std::string("1"), std::string("2026-11-20T09:00:00Z"), std::string("dr"),
                        std::string("clinician"), std::string("patient.add"), std::string("P1"),
                        std::string(), std::string("cli"), std::string("dr")}};
  LossyWriter dst;
  CHECK_THROWS_WITH(copy_tables(src, dst), Catch::Contains("table audit did not copy exactly") &&
                                               Catch::Contains("nothing was committed"));
  CHECK(!dst.committed);

  FakeReader good;
  good.rows = src.rows;
  class ExactWriter final : public MemoryWriter {
  public:
    std::string name() const override { return "exact"; }
  };
  ExactWriter exact;
  const auto s = copy_tables(good, exact);
  CHECK(s.total_rows == 1);
  CHECK(s.checksum == summarize(good).checksum);
}
