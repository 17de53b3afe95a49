#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>

using namespace titrate::test;

TEST_CASE("titrate with no command is bad input (exit 2) and says what is expected") {
  TempDir d;
  auto r = run_titrate(d, {});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("expected a command"));
}

TEST_CASE("an unknown option is bad input (exit 2) naming it") {
  TempDir d;
  auto r = run_titrate(d, {"--no-such-option"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--no-such-option"));
}

TEST_CASE("version and help flags exit 0") {
  TempDir d;
  auto v = run_titrate(d, {"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::Contains("titrate"));
  auto h = run_titrate(d, {"--help"});
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.out, Catch::Contains("not medical advice"));
}

TEST_CASE("a bad --today is rejected naming the option") {
  TempDir d;
  auto r = run_titrate(d, {"--today", "2026-02-30", "formulary", "list"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--today"));
}
