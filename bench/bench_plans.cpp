// bench_plans: 100,000 synthetic patients (seeded) through eligibility, build_plan, a random
// course of decisions (escalate / extend / switch) and lint; prints plan versions per second and
// the number of lint findings, which must be 0. Not a test: a measurement, and a wide net.
//   bench_plans [--patients N] [--seed S] [--pathway NAME] [--formulary DIR] [--pathways DIR]
#include "bench/cohort.hpp"
#include "bench/options.hpp"
#include "planner/formulary/files.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char **argv) {
  using namespace titrate;
  int patients = 100000;
  unsigned seed = 20261125u;
  std::string pathway = "cipn-esmo";
  std::string formulary_dir = std::string(TITRATE_SOURCE_DIR) + "/formulary";
  std::string pathways_dir = std::string(TITRATE_SOURCE_DIR) + "/schedules";
  if (!bench::read_options(
          argc, argv, "bench_plans",
          {{"--patients", "a whole number of patients, 1 or more", bench::whole(patients, 1)},
           {"--seed", "a whole number, 0 or more", bench::whole(seed, 0u)},
           {"--pathway", "a pathway name", bench::text(pathway)},
           {"--formulary", "a formulary folder", bench::text(formulary_dir)},
           {"--pathways", "a pathways folder", bench::text(pathways_dir)}}))
    return 2;
  try {
    const Formulary f = load_formulary(titrate::read_toml_dir(formulary_dir));
    const std::vector<Pathway> all = load_pathways(titrate::read_toml_dir(pathways_dir), f);
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const Pathway &p) { return p.name == pathway; });
    if (it == all.end()) {
      std::cerr << "bench_plans: no pathway " << pathway << "\n";
      return 2;
    }
    cohort::Generator gen(f, seed);
    cohort::Outcome out;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < patients; ++i)
      gen.run(i, *it, out);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "patients: " << patients << " (seed " << seed << ", pathway " << pathway << ")\n"
              << "plan versions: " << out.plans << " (first plans " << out.plans - out.decisions
              << ", decisions applied " << out.decisions << ", refused " << out.refused << ")\n"
              << "seconds: " << secs << "\n"
              << "plans/s: " << static_cast<long>(out.plans / (secs > 0 ? secs : 1)) << "\n"
              << "lint findings: " << out.findings.size() << "\n"
              << "third-serotonergic flags with the serotonin warning: " << out.serotonergic_flags
              << "\n"
              << "failures: " << out.failures.size() << "\n";
    for (std::size_t i = 0; i < out.findings.size() && i < 10; ++i)
      std::cout << "  " << out.findings[i].rule << ": " << out.findings[i].text << "\n";
    for (std::size_t i = 0; i < out.failures.size() && i < 10; ++i)
      std::cout << "  " << out.failures[i] << "\n";
    return out.findings.empty() && out.failures.empty() ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "bench_plans: " << e.what() << "\n";
    return 1;
  }
}
