// The course simulator (bench/course_sim.hpp) over a few hundred random courses per pathway:
// every invariant it checks holds (the benchmark bench_courses runs 10,000 and more). Seeded, so
// a failure reproduces; the first violations are printed.
#include "bench/course_sim.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

TEST_CASE("course simulator: 200 random courses per pathway keep every invariant") {
  for (const char *pathway : {"cipn-esmo", "nice-cg173"}) {
    sim::Simulator s(shipped_formulary(), shipped_pathway(pathway), 20261130u);
    sim::Totals t;
    for (int i = 0; i < 200; ++i)
      s.run(i, t);
    std::string rules;
    for (const auto &[r, n] : t.rules)
      rules += r + " " + std::to_string(n) + "; ";
    INFO("pathway " << pathway << ": " << t.courses << " courses, " << t.refused << " refused, "
                    << t.decisions << " decisions, " << t.versions << " versions, "
                    << t.switch_day_effects << " side effects on a switch day, " << t.renal_changes
                    << " renal changes; rules: " << rules);
    std::string details;
    for (std::size_t i = 0; i < t.violations.size() && i < 25; ++i)
      details += t.violations[i] + "\n";
    INFO(details);
    CHECK(t.violations.empty());
    // The courses really go through the rules the invariants are about.
    CHECK(t.decisions > 400);
    CHECK(t.switch_day_effects > 15);
    CHECK(t.renal_changes > 15);
    CHECK(t.rules["decision.intolerable"] > 5);
    CHECK(t.rules["decision.response"] + t.rules["decision.response-substantial"] > 20);
    CHECK(t.rules["decision.maintenance-response"] + t.rules["decision.maintenance-response-lost"] >
          10);
  }
}
