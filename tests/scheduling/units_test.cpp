// build_units, split_daily and dispense_for. Expected values worked out by hand from the
// marketed strengths in shared/clinical.md B1, B2, B4.
#include "planner/scheduling/scheduler.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {
Dose total(const std::vector<UnitCount> &units) {
  Dose d;
  for (const auto &u : units)
    d += u.strength * u.count;
  return d;
}
int count(const std::vector<UnitCount> &units) {
  int n = 0;
  for (const auto &u : units)
    n += u.count;
  return n;
}
std::vector<Dose> doses_of(const std::vector<Administration> &a) {
  std::vector<Dose> out;
  for (const auto &x : a)
    out.push_back(x.dose);
  return out;
}
std::vector<AdminTime> times_of(const std::vector<Administration> &a) {
  std::vector<AdminTime> out;
  for (const auto &x : a)
    out.push_back(x.time);
  return out;
}
} // namespace

TEST_CASE("build_units takes the fewest whole units of marketed strengths") {
  const Monograph g = gabapentin_units();
  // 300 mg: one 300 mg capsule.
  auto u300 = build_units(g, mg(300));
  REQUIRE(u300);
  CHECK(*u300 == std::vector<UnitCount>{{mg(300), Form::capsule, 1}});
  // 600 mg: one 600 mg tablet rather than two 300 mg capsules.
  auto u600 = build_units(g, mg(600));
  REQUIRE(u600);
  CHECK(*u600 == std::vector<UnitCount>{{mg(600), Form::tablet, 1}});
  // 200 mg: two 100 mg capsules (no 200 mg unit).
  auto u200 = build_units(g, mg(200));
  REQUIRE(u200);
  CHECK(*u200 == std::vector<UnitCount>{{mg(100), Form::capsule, 2}});
  // 500 mg: 400 + 100, two units.
  auto u500 = build_units(g, mg(500));
  REQUIRE(u500);
  CHECK(total(*u500) == mg(500));
  CHECK(count(*u500) == 2);
  // 3,600 mg: 4 x 800 + 400 = 5 units is the fewest.
  auto u3600 = build_units(g, mg(3600));
  REQUIRE(u3600);
  CHECK(total(*u3600) == mg(3600));
  CHECK(count(*u3600) == 5);
}

TEST_CASE("build_units never splits a unit: doses below or between whole units are not buildable") {
  const Monograph g = gabapentin_units();
  CHECK_FALSE(build_units(g, mg(50)));                   // half a 100 mg capsule
  CHECK_FALSE(build_units(g, Dose::micrograms(150500))); // not a multiple of 100 mg
  CHECK_FALSE(build_units(g, mg(0)));
  const Monograph d = duloxetine_units();
  CHECK_FALSE(build_units(d, mg(10)));
  CHECK_FALSE(build_units(d, mg(15)));
  auto d40 = build_units(d, mg(40)); // 2 x 20 mg (no 40 mg unit in this fixture)
  REQUIRE(d40);
  CHECK(*d40 == std::vector<UnitCount>{{mg(20), Form::capsule, 2}});
  auto d50 = build_units(d, mg(50)); // 30 + 20
  REQUIRE(d50);
  CHECK(total(*d50) == mg(50));
  CHECK(count(*d50) == 2);
}

TEST_CASE("split_daily divides equally where every share is buildable") {
  const Monograph g = gabapentin_units();
  const std::vector<AdminTime> tid{AdminTime::morning, AdminTime::midday, AdminTime::evening};
  auto s900 = split_daily(g, mg(900), tid);
  REQUIRE(s900);
  CHECK(doses_of(*s900) == std::vector<Dose>{mg(300), mg(300), mg(300)});
  CHECK(times_of(*s900) == tid);
  auto s1800 = split_daily(g, mg(1800), tid);
  REQUIRE(s1800);
  CHECK(doses_of(*s1800) == std::vector<Dose>{mg(600), mg(600), mg(600)});
  CHECK((*s1800)[0].units == std::vector<UnitCount>{{mg(600), Form::tablet, 1}});
  // 1,500 mg three times daily: 500 mg each (400 + 100).
  auto s1500 = split_daily(g, mg(1500), tid);
  REQUIRE(s1500);
  CHECK(doses_of(*s1500) == std::vector<Dose>{mg(500), mg(500), mg(500)});
}

TEST_CASE("split_daily: unequal shares are as even as possible with the larger dose later") {
  const Monograph g = gabapentin_units();
  const std::vector<AdminTime> bid{AdminTime::morning, AdminTime::evening};
  // 700 mg twice daily: 350 mg is not buildable from 100 mg multiples -> 300 morning, 400 evening.
  auto s700 = split_daily(g, mg(700), bid);
  REQUIRE(s700);
  CHECK(doses_of(*s700) == std::vector<Dose>{mg(300), mg(400)});
  // 1,300 mg twice daily: 600 morning, 700 evening.
  auto s1300 = split_daily(g, mg(1300), bid);
  REQUIRE(s1300);
  CHECK(doses_of(*s1300) == std::vector<Dose>{mg(600), mg(700)});
  // 1,000 mg three times daily: 300, 300, 400 (spread 100; larger last).
  auto s1000 =
      split_daily(g, mg(1000), {AdminTime::morning, AdminTime::midday, AdminTime::evening});
  REQUIRE(s1000);
  CHECK(doses_of(*s1000) == std::vector<Dose>{mg(300), mg(300), mg(400)});
  // Pregabalin 75 mg twice daily: 25 morning, 50 evening.
  auto p75 = split_daily(pregabalin_units(), mg(75), bid);
  REQUIRE(p75);
  CHECK(doses_of(*p75) == std::vector<Dose>{mg(25), mg(50)});
}

TEST_CASE("split_daily leaves out the earliest times when a share cannot be given to each") {
  const Monograph g = gabapentin_units();
  // 100 mg over three times: only one 100 mg capsule exists -> one dose, in the evening.
  auto s = split_daily(g, mg(100), {AdminTime::morning, AdminTime::midday, AdminTime::evening});
  REQUIRE(s);
  REQUIRE(s->size() == 1);
  CHECK((*s)[0].time == AdminTime::evening);
  CHECK((*s)[0].dose == mg(100));
  CHECK_FALSE(split_daily(g, mg(50), {AdminTime::evening}));
  CHECK_FALSE(split_daily(g, mg(300), {}));
}

TEST_CASE("dispense_for counts each strength over the days of every step") {
  const Monograph d = duloxetine_units();
  std::vector<Step> steps;
  steps.push_back({DateRange::days_from(day("2026-12-01"), 7), mg(30),
                   *split_daily(d, mg(30), {AdminTime::morning})});
  steps.push_back({DateRange::days_from(day("2026-12-08"), 14), mg(60),
                   *split_daily(d, mg(60), {AdminTime::morning})});
  const auto disp = dispense_for(steps);
  // 7 days x one 30 mg capsule; 14 days x one 60 mg capsule.
  CHECK(disp == std::vector<UnitCount>{{mg(30), Form::capsule, 7}, {mg(60), Form::capsule, 14}});
}
