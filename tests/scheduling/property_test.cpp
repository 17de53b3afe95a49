// Property: for random patients and start dates (leap days, month ends, year ends, CrCl at the
// band boundaries) every plan built, escalated, extended and switched passes lint. Seeded, so a
// failure reproduces; the benchmark (bench/bench_plans) runs the same generator at 100,000.
#include "bench/cohort.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::test;

TEST_CASE("lint finds nothing over 2,000 random patients and their courses of decisions") {
  for (const char *pathway : {"cipn-esmo", "nice-cg173"}) {
    cohort::Generator gen(shipped_formulary(), 20261125u);
    cohort::Outcome out;
    for (int i = 0; i < 1000; ++i)
      gen.run(i, shipped_pathway(pathway), out);
    INFO("pathway " << pathway << ": " << out.plans << " plan versions, " << out.refused
                    << " refused, " << out.decisions << " decisions, " << out.serotonergic_flags
                    << " third-serotonergic flags with their warning");
    std::string details;
    for (std::size_t i = 0; i < out.findings.size() && i < 20; ++i)
      details += out.findings[i].rule + ": " + out.findings[i].text + "\n";
    for (std::size_t i = 0; i < out.failures.size() && i < 20; ++i)
      details += out.failures[i] + "\n";
    INFO(details);
    CHECK(out.failures.empty());
    CHECK(out.findings.empty());
    CHECK(out.plans > 500); // the cohort really exercises the builder
    CHECK(out.decisions > 500);
  }
}
