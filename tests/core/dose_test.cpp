#include "planner/core/dose.hpp"
#include "planner/core/errors.hpp"

#include <catch2/catch.hpp>

using titrate::Dose;
using titrate::InputError;

TEST_CASE("Dose prints ISMP-safe: no trailing zero, a leading zero, commas from 1,000") {
  CHECK(Dose::milligrams(10).str() == "10 mg");
  CHECK(Dose::micrograms(500).str() == "0.5 mg");
  CHECK(Dose::micrograms(12250).str() == "12.25 mg");
  CHECK(Dose::micrograms(10100).str() == "10.1 mg");
  CHECK(Dose::micrograms(5).str() == "0.005 mg");
  CHECK(Dose::milligrams(1000).str() == "1,000 mg");
  CHECK(Dose::milligrams(3600).str() == "3,600 mg");
  CHECK(Dose::milligrams(1234567).str() == "1,234,567 mg");
  CHECK(Dose::milligrams(0).str() == "0 mg");
  CHECK(Dose::milligrams(3600).mg_plain() == "3600");
  CHECK(Dose::micrograms(2500).mg_plain() == "2.5");
}

TEST_CASE("Dose parses decimal milligrams exactly") {
  CHECK(Dose::parse_mg("300") == Dose::milligrams(300));
  CHECK(Dose::parse_mg("0.5") == Dose::micrograms(500));
  CHECK(Dose::parse_mg("12.125") == Dose::micrograms(12125));
  CHECK(Dose::from_mg_double(0.1) == Dose::micrograms(100));
  CHECK(Dose::from_mg_double(75.0) == Dose::milligrams(75));
}

TEST_CASE("Dose rejects what is not a dose, naming the field") {
  for (const char *bad : {"", ".5", "5.", "-1", "1.2345", "abc", "1,000", "1e3", " 5", "5 mg"}) {
    INFO(bad);
    REQUIRE_THROWS_AS(Dose::parse_mg(bad, "daily"), InputError);
    REQUIRE_THROWS_WITH(Dose::parse_mg(bad, "daily"), Catch::Contains("daily"));
  }
  CHECK_THROWS_AS(Dose::from_mg_double(-1), InputError);
  CHECK_THROWS_AS(Dose::from_mg_double(0.0001), InputError);
}

TEST_CASE("Dose arithmetic and ordering are exact") {
  CHECK(Dose::milligrams(300) + Dose::milligrams(600) == Dose::milligrams(900));
  CHECK(Dose::milligrams(60) - Dose::milligrams(30) == Dose::milligrams(30));
  CHECK(Dose::milligrams(100) * 3 == Dose::milligrams(300));
  CHECK(Dose::micrograms(500) < Dose::milligrams(1));
}
