#include "planner/core/errors.hpp"
#include "planner/core/pain_score.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

TEST_CASE("PainScore holds 0..10 and nothing else") {
  for (int v = 0; v <= 10; ++v)
    CHECK(PainScore(v).value() == v);
  CHECK_THROWS_AS(PainScore(-1), InputError);
  CHECK_THROWS_AS(PainScore(11), InputError);
}

TEST_CASE("PainScore::parse rejects every non-integer form, naming the field") {
  CHECK(PainScore::parse("0").value() == 0);
  CHECK(PainScore::parse("10").value() == 10);
  for (const char *bad : {"-1", "11", "7.5", "seven", "", " 7", "7 ", "07", "+7", "100", "1e1"}) {
    INFO(bad);
    REQUIRE_THROWS_AS(PainScore::parse(bad, "score"), InputError);
    REQUIRE_THROWS_WITH(PainScore::parse(bad, "score"), Catch::Contains("score"));
  }
}
