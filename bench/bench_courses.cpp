// bench_courses: the course simulator (bench/course_sim.hpp) over many random courses: whole
// courses of real decisions (scores with missing days, side effects including switch days, renal
// changes and re-plans, maintenance reviews) with the six invariants checked after every
// version. Prints courses, decisions, courses/s, the machine's load, the decision rules reached
// and every violation (exit 1 if any). A measurement and a wide net, not a timed test.
//   bench_courses [--courses N] [--seed S] [--pathway NAME|all]
#include "bench/course_sim.hpp"
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
  int courses = 10000;
  unsigned seed = 20261130u;
  std::string pathway = "all";
  if (!bench::read_options(
          argc, argv, "bench_courses",
          {{"--courses", "a whole number of courses, 1 or more", bench::whole(courses, 1)},
           {"--seed", "a whole number, 0 or more", bench::whole(seed, 0u)},
           {"--pathway", "a pathway name or all", bench::text(pathway)}}))
    return 2;
  try {
    const Formulary f =
        load_formulary(titrate::read_toml_dir(std::string(TITRATE_SOURCE_DIR) + "/formulary"));
    const std::vector<Pathway> all =
        load_pathways(titrate::read_toml_dir(std::string(TITRATE_SOURCE_DIR) + "/schedules"), f);
    std::ifstream loadavg("/proc/loadavg");
    std::string load;
    std::getline(loadavg, load);
    std::cout << "load average before: " << load << "\n";
    int bad = 0;
    for (const auto &pw : all) {
      if (pathway != "all" && pw.name != pathway)
        continue;
      sim::Simulator s(f, pw, seed);
      sim::Totals t;
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < courses; ++i)
        s.run(i, t);
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "pathway " << pw.name << ": " << t.courses << " courses (seed " << seed << "), "
                << t.refused << " refused, " << t.decisions << " decisions, " << t.versions
                << " versions checked, " << t.switch_day_effects
                << " side effects on a switch day, " << t.renal_changes << " renal changes\n"
                << "  seconds " << secs << ", courses/s "
                << static_cast<long>(t.courses / (secs > 0 ? secs : 1)) << "\n  rules:";
      for (const auto &[r, n] : t.rules)
        std::cout << " " << r << "=" << n;
      std::cout << "\n  violations: " << t.violations.size()
                << (t.violations.size() >= 200 ? "+" : "") << "\n";
      for (std::size_t i = 0; i < t.violations.size() && i < 20; ++i)
        std::cout << "    " << t.violations[i] << "\n";
      bad += static_cast<int>(t.violations.size());
    }
    std::ifstream loadavg2("/proc/loadavg");
    std::getline(loadavg2, load);
    std::cout << "load average after: " << load << "\n";
    return bad == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "bench_courses: " << e.what() << "\n";
    return 1;
  }
}
