// RepositoryPool (planner/store/repository_pool.hpp) on SQLite files: what `titrate serve` relies
// on when requests run side by side. The contract suite runs through a pool on PostgreSQL too
// (postgres_test.cpp, "postgres pool").
#include "planner/store/repository_pool.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "tests/cli/run.hpp"
#include "tests/store/contract.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace titrate;
using namespace titrate::test;

namespace {

const Actor pool_clinician{"dr.ada", "clinician"};

// Opens SQLite connections to one file, counting them; the `fail_at`-th open throws.
struct Opener {
  std::string db;
  std::atomic<int> opens{0};
  int fail_at = 0;
  RepositoryPool::Opener fn() {
    return [this]() -> std::unique_ptr<Repository> {
      if (++opens == fail_at)
        throw std::runtime_error("cannot open connection " + std::to_string(fail_at));
      return std::make_unique<SqliteStore>(db);
    };
  }
};

} // namespace

TEST_CASE("pool: every call of a thread goes to its one connection so atomically() is one") {
  TempDir dir;
  Opener open{dir.file("t.db")};
  RepositoryPool pool(open.fn(), 2);
  pool.add_patient(sample_patient("P1"), pool_clinician);
  try {
    pool.atomically([&] {
      pool.log_score("P1", sample_score(1, 6), pool_clinician);
      pool.add_patient(sample_patient("P2"), pool_clinician);
      CHECK(pool.patient("P2").has_value()); // its own write, before the commit
      throw std::runtime_error("undo");
    });
    FAIL("the body threw");
  } catch (const std::runtime_error &e) {
    CHECK(std::string(e.what()) == "undo");
  }
  CHECK(pool.scores("P1").empty());
  CHECK_FALSE(pool.patient("P2").has_value());
  CHECK(open.opens == 1); // one thread, one connection
}

TEST_CASE("pool: connections open when needed up to the size and a full pool makes a thread wait") {
  TempDir dir;
  Opener open{dir.file("t.db")};
  RepositoryPool pool(open.fn(), 2);
  pool.add_patient(sample_patient("P1"), pool_clinician);
  CHECK(pool.opened() == 1);

  auto mine = std::make_unique<RepositoryPool::Lease>(pool); // this thread holds connection 1
  std::thread second([&] { CHECK(pool.patients().size() == 1); });
  second.join();
  CHECK(pool.opened() == 2); // the second thread could not have the first's connection

  // Both connections free again except this thread's; a thread holding the other one and a
  // third thread that must wait for it.
  std::atomic<bool> holder_ready{false}, holder_release{false}, third_done{false};
  std::thread holder([&] {
    RepositoryPool::Lease l(pool);
    holder_ready = true;
    while (!holder_release)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!holder_ready)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread third([&] {
    pool.log_score("P1", sample_score(2, 5), pool_clinician);
    third_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(third_done); // both connections are leased: it waits, it does not open a third
  mine.reset();            // gives connection 1 back
  third.join();
  CHECK(third_done);
  holder_release = true;
  holder.join();
  CHECK(open.opens == 2);
  CHECK(pool.scores("P1").size() == 1);
}

TEST_CASE("pool: a connection that cannot be opened fails the call and is not counted") {
  TempDir dir;
  Opener open{dir.file("t.db")};
  open.fail_at = 2;
  RepositoryPool pool(open.fn(), 2);
  pool.add_patient(sample_patient("P1"), pool_clinician);
  {
    RepositoryPool::Lease mine(pool);
    std::string error;
    std::thread other([&] {
      try {
        pool.patients();
      } catch (const std::runtime_error &e) {
        error = e.what();
      }
    });
    other.join();
    CHECK(error == "cannot open connection 2");
    CHECK(pool.opened() == 1);
  }
  // The next thread that needs a second connection opens one.
  RepositoryPool::Lease mine(pool);
  std::thread other([&] { CHECK(pool.patients().size() == 1); });
  other.join();
  CHECK(pool.opened() == 2);
}

TEST_CASE("pool: a second lease on the same thread shares its connection and cannot wait on it") {
  TempDir dir;
  Opener open{dir.file("t.db")};
  RepositoryPool pool(open.fn(), 1);
  RepositoryPool::Lease outer(pool);
  {
    RepositoryPool::Lease inner(pool); // would wait forever on a pool of one if it took its own
    CHECK(inner.held());
    pool.add_patient(sample_patient("P1"), pool_clinician);
  }
  CHECK(outer.held()); // the inner lease's end did not give the connection back
  std::atomic<bool> done{false};
  std::thread other([&] {
    CHECK(pool.patients().size() == 1);
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(done);
  outer.release();
  other.join();
  CHECK(done);
}

TEST_CASE("pool: a pool of one over a store the caller owns serves it one thread at a time") {
  TempDir dir;
  SqliteStore store(dir.file("t.db"));
  RepositoryPool pool(static_cast<Repository &>(store));
  CHECK(pool.size() == 1);
  pool.add_patient(sample_patient("P1"), pool_clinician);
  CHECK(store.patient("P1").has_value());
}
