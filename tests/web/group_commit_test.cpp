// GroupCommit (planner/web/group_commit.hpp): the API's scores on a SQLite file, committed in
// groups. Every caller gets its own outcome, nothing is lost or kept twice, and a write that fails
// is rolled back alone. The HTTP path through it is web_test.cpp's (POST /api/.../scores).
#include "planner/core/errors.hpp"
#include "planner/store/repository_pool.hpp"
#include "planner/web/group_commit.hpp"
#include "tests/web/web_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

using namespace titrate;
using titrate::web::GroupCommit;

namespace {

// A fresh SQLite file for one test, removed after it.
struct TempDb {
  std::filesystem::path dir;
  TempDb() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() / ("titrate-group-" + std::to_string(rd()));
    std::filesystem::create_directories(dir);
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string file() const { return (dir / "t.db").string(); }
};

ScoreEntry score_at(int minute, int value) {
  ScoreEntry s;
  s.at = LocalDateTime{Date(2026, 12, 1), minute};
  s.score = PainScore(value);
  return s;
}

void wait_until(const std::function<bool()> &ready) {
  for (int i = 0; i < 5000 && !ready(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(ready());
}

const Actor nurse{"dr.ada", "clinician"};

// A SQLite store holding patient P1, served as a pool of one, with a group commit over it.
struct OnePatient {
  TempDb db;
  SqliteStore store{db.file()};
  RepositoryPool pool{static_cast<Repository &>(store)};
  GroupCommit group{pool};
  OnePatient() { pool.add_patient(titrate::test::web_fixture::adult("P1"), nurse); }
};

} // namespace

TEST_CASE(
    "group commit: the writes waiting together are one transaction and each keeps its outcome") {
  OnePatient f;
  SqliteStore &store = f.store;
  RepositoryPool &pool = f.pool;
  GroupCommit &group = f.group;

  // This thread holds the one connection, so the first group cannot commit yet and the writes
  // that come meanwhile queue up behind it.
  auto held = std::make_unique<RepositoryPool::Lease>(pool);
  std::thread first([&] { group.run([&] { pool.log_score("P1", score_at(1, 7), nurse); }); });
  wait_until([&] { return group.leading() && group.waiting() == 0; });

  std::string b_error = "none", c_error = "none", d_error = "none";
  const auto writer = [&](std::string &error, const std::string &patient, int minute) {
    return std::thread([&, patient, minute] {
      try {
        group.run([&] { pool.log_score(patient, score_at(minute, 5), nurse); });
      } catch (const NotFoundError &e) {
        error = e.what();
      }
    });
  };
  std::thread b = writer(b_error, "P1", 2);
  std::thread c = writer(c_error, "P9", 3); // no such patient
  std::thread d = writer(d_error, "P1", 4);
  wait_until([&] { return group.waiting() == 3; });
  held.reset();
  first.join();
  b.join();
  c.join();
  d.join();

  CHECK(b_error == "none");
  CHECK(d_error == "none");
  CHECK_THAT(c_error, Catch::Contains("P9"));
  CHECK(group.stats().groups == 2); // [first], then [b, c, d] together
  CHECK(group.stats().writes == 4);
  CHECK(store.scores("P1").size() == 3);
  CHECK(store.audit(std::nullopt).size() == 1 + 3); // the patient, then each stored score
}

TEST_CASE("group commit: 8 threads x 25 writes keep every stored score once and lose none") {
  OnePatient f;
  SqliteStore &store = f.store;
  RepositoryPool &pool = f.pool;
  GroupCommit &group = f.group;
  std::atomic<int> stored{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const bool bad = i % 5 == 4; // every fifth to a patient that does not exist
        try {
          group.run([&] {
            pool.log_score(bad ? "P404" : "P1", score_at(t * 25 + i, (t + i) % 11), nurse);
          });
          ++(bad ? other : stored);
        } catch (const NotFoundError &) {
          ++(bad ? refused : other);
        }
      }
    });
  }
  for (auto &th : threads)
    th.join();
  CHECK(other == 0);
  CHECK(stored == 8 * 20);
  CHECK(refused == 8 * 5);
  CHECK(store.scores("P1").size() == 8 * 20);
  CHECK(group.stats().writes == 8 * 25);
  CHECK(group.stats().groups <= group.stats().writes);
}

TEST_CASE("group commit: with a pool of several connections the others serve reads meanwhile") {
  TempDb db;
  const std::string file = db.file();
  RepositoryPool pool(
      [&]() -> std::unique_ptr<Repository> { return std::make_unique<SqliteStore>(file); }, 2);
  pool.add_patient(titrate::test::web_fixture::adult("P1"), nurse);
  GroupCommit group(pool);
  // This thread holds one connection and reads on it; the groups, from another thread (a caller
  // of run() holds no lease), commit on the other.
  RepositoryPool::Lease reading(pool);
  std::thread writer([&] {
    group.run([&] { pool.log_score("P1", score_at(1, 3), nurse); });
    CHECK_THROWS_AS(group.run([&] { pool.log_score("P2", score_at(2, 3), nurse); }), NotFoundError);
  });
  writer.join();
  CHECK(pool.scores("P1").size() == 1); // read on this thread's connection
  CHECK(group.stats().groups == 2);
  CHECK(pool.opened() == 2);
}

TEST_CASE("group commit: a caller that holds a connection of the pool is refused, not stalled") {
  OnePatient f;
  SqliteStore &store = f.store;
  RepositoryPool &pool = f.pool;
  GroupCommit &group = f.group;
  {
    RepositoryPool::Lease lease(pool);
    CHECK(pool.held_by_this_thread());
    CHECK_THROWS_AS(group.run([&] { pool.log_score("P1", score_at(1, 4), nurse); }),
                    std::logic_error);
  }
  CHECK_FALSE(pool.held_by_this_thread());
  CHECK(store.scores("P1").empty()); // the refused write was not made
  group.run([&] { pool.log_score("P1", score_at(2, 5), nurse); });
  CHECK(store.scores("P1").size() == 1);
  CHECK(group.stats().writes == 1);
}
