// Pain chart. Every SVG is checked in the test by xmllint --noout and Python's ElementTree
// (check_svg.py). Values below were computed by hand from support.cpp: baseline 8 (entered),
// response line 8 x (1 - 30 %) = 5.6; the time axis runs 2026-11-28 (first score) to 2027-01-22
// (the day after the last decision date 2027-01-21) = 55 days over x 44..448; y = 320 - s x 25.
#include "planner/export/svg.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <regex>
#include <sstream>

using namespace titrate;
using namespace titrate::test;

namespace {

bool has_text(const nlohmann::json &j, const std::string &t) {
  for (const auto &x : j["texts"])
    if (x == t)
      return true;
  return false;
}

} // namespace

TEST_CASE("pain chart is valid SVG with baseline, response line, stages and decisions") {
  Sample s;
  const std::string svg = exported(write_svg, s);
  const auto j = accepted_summary(validate_svg, "chart.svg", svg);
  CHECK(j["viewBox"] == "0 0 560 390");
  CHECK(j["circles"] == 6); // effective scores
  CHECK(has_text(j, "baseline 8"));
  CHECK(has_text(j, "30 % less pain: 5.6"));
  CHECK(has_text(j, "decision 2026-12-22"));
  CHECK(has_text(j, "decision 2027-01-21"));
  CHECK(has_text(j, "DULoxetine 30 to 60 mg daily"));
  CHECK(has_text(j, "DULoxetine 30 mg daily (taper)"));
  CHECK(has_text(j, "gabapentin 300 to 1,800 mg daily"));
  CHECK(has_text(j, "Decision support only; not medical advice."));
  std::string shown;
  for (const auto &t : j["texts"])
    shown += t.get<std::string>() + "\n";
  for (const auto &v : ismp_violations(shown))
    FAIL_CHECK(v);
  // Daily means: 5 days with scores. 2026-12-10 (day 12 of 55) has 6 and 7: mean 6.5 at
  // x = 44 + 12.5 / 55 x 404 = 135.8, y = 320 - 6.5 x 25 = 157.5.
  REQUIRE(j["polylines"].size() == 1);
  const std::string points = j["polylines"][0];
  CHECK_THAT(points, Catch::Contains("135.8,157.5"));
  // 2026-11-28 (day 0): mean 8 at x = 44 + 0.5 / 55 x 404 = 47.7, y = 120.
  CHECK(points.rfind("47.7,120.0 ", 0) == 0);
  CHECK(svg == exported(write_svg, s));
}

TEST_CASE("pain chart escapes text and draws no baseline when none is known") {
  Sample s;
  s.formulary.drugs[1].tall_man = "gaba<pentin> & \"co\"";
  s.patient.baseline_pain.reset();
  const auto j = accepted_summary(validate_svg, "escaped.svg", exported(write_svg, s));
  CHECK(has_text(j, "gaba<pentin> & \"co\" 300 to 1,800 mg daily"));
  for (const auto &t : j["texts"])
    CHECK_THAT(t.get<std::string>(), !Catch::Contains("baseline"));
}

TEST_CASE("pain chart uses the assessment's baseline when given") {
  Sample s;
  s.context.baseline = 7.5;
  const auto j = accepted_summary(validate_svg, "baseline.svg", exported(write_svg, s));
  CHECK(has_text(j, "baseline 7.5"));
  CHECK(has_text(j, "30 % less pain: 5.3")); // 7.5 x 0.7 = 5.25, shown to one decimal
}

TEST_CASE("the SVG validator rejects malformed XML") {
  const auto r = validate_svg(write_output(
      "broken.svg",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><text>a & b</text></svg>"));
  INFO(r.output);
  CHECK(r.exit_code == 1);
}

TEST_CASE("a missing validator fails with a message naming the install script") {
  // Simulated absences: Python without site packages (no icalendar), a PATH without xmllint, and
  // an empty validator prefix for node (with no NODE_PATH).
  const std::string file =
      write_output("absent.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>");
  const auto ics = run_tool(python() + " -S '" + script("check_ics.py") + "' '" + file + "'");
  CHECK(ics.exit_code == 3);
  CHECK_THAT(ics.output, Catch::Contains("VALIDATOR MISSING") &&
                             Catch::Contains(".ci/install-export-validators"));
  const auto svg = run_tool("PATH=/nonexistent " + python() + " '" + script("check_svg.py") +
                            "' '" + file + "'");
  CHECK(svg.exit_code == 3);
  CHECK_THAT(svg.output,
             Catch::Contains("xmllint") && Catch::Contains(".ci/install-export-validators"));
  const auto fhir = run_tool("TITRATE_VALIDATORS=/nonexistent NODE_PATH= node '" +
                             script("validate_fhir.js") + "' '" + file + "'");
  CHECK(fhir.exit_code == 3);
  CHECK_THAT(fhir.output,
             Catch::Contains("`fhir`") && Catch::Contains(".ci/install-export-validators"));
}

// Issue 17 item 5: stage labels never overlap, at any plan length. Plans of 1 to 6 stages, each
// a few days long (the crowded case), alternating duloxetine and gabapentin: every label is drawn,
// inside the drawing, and no two on one row overlap (widths estimated at 7 units a character, 12
// units sans-serif; the browser test measures the rendered boxes on a phone).
TEST_CASE("pain chart lays out stage labels without overlaps for 1 to 6 stages") {
  for (int n = 1; n <= 6; ++n) {
    INFO(n << " stages");
    Sample s;
    s.plan.stages.clear();
    Date day(2026, 12, 1);
    for (int i = 0; i < n; ++i) {
      Stage st;
      st.drug = i % 2 == 0 ? "duloxetine" : "gabapentin";
      st.role = StageRole::trial;
      const Date end = day + Days(i % 2 == 0 ? 3 : 5);
      st.steps = {
          Step{DateRange(day, end), Dose::milligrams(i % 2 == 0 ? 30 : 300), {}},
          Step{DateRange(end, end + Days(2)), Dose::milligrams(i % 2 == 0 ? 60 : 1800), {}}};
      day = end + Days(2);
      s.plan.stages.push_back(st);
    }
    const std::string svg = exported(write_svg, s);
    accepted_summary(validate_svg, "stages-" + std::to_string(n) + ".svg", svg);
    struct Box {
      double x0, x1, y;
      std::string text;
    };
    std::vector<Box> boxes;
    const std::regex label(R"re(<text x="([0-9.]+)" y="([0-9.]+)">([^<]* daily)</text>)re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label);
         it != std::sregex_iterator(); ++it) {
      const double x = std::stod((*it)[1]);
      const std::string t = (*it)[3];
      // A label moved to end at the right edge has a swatch 14 units before its words.
      char at[32];
      std::snprintf(at, sizeof at, "<rect x=\"%.1f\"", x - 14);
      const bool swatch = svg.find(at) != std::string::npos;
      boxes.push_back(
          {swatch ? x - 14 : x, x + 7.0 * static_cast<double>(t.size()), std::stod((*it)[2]), t});
    }
    REQUIRE(boxes.size() == static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      CHECK(boxes[i].x0 >= 0);
      CHECK(boxes[i].x1 <= 560);
      for (std::size_t j = i + 1; j < boxes.size(); ++j) {
        INFO(boxes[i].text << " | " << boxes[j].text);
        CHECK_FALSE(
            (boxes[i].y == boxes[j].y && boxes[i].x0 < boxes[j].x1 && boxes[j].x0 < boxes[i].x1));
      }
    }
    if (n == 6) {
      // Six labels this crowded need more than two rows: the plot moves down and the drawing grows.
      CHECK_THAT(svg, Catch::Contains("<g transform=\"translate(0 "));
      CHECK(svg.find("viewBox=\"0 0 560 390\"") == std::string::npos);
    }
  }
}
