#pragma once
// Test support for the scheduling tests: small monographs written out by hand from
// shared/clinical.md (for unit tests that need no data files), and the shipped formulary/ and
// schedules/ loaded once (for scenario and property tests).
#include "planner/formulary/loader.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/scheduling/plan.hpp"
#include "planner/scheduling/scheduler.hpp"
#include "tests/common/g1_patient.hpp"
#include "tests/common/shipped_formulary.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace titrate::test {

inline Dose mg(long v) {
  return Dose::milligrams(v);
}
inline Date day(const char *iso_text) {
  return parse_date(iso_text);
}

// An adult with normal renal function and nothing else, as clinical.md G #1.
inline Patient adult(const char *id = "P001") {
  return g1_patient(id, day("1971-06-15")); // 55 on 2026-12-01
}

// A plan that starts on `start` and is drafted that day, with the prescriber's choice `prefer`.
inline PlanRequest request(const char *start, std::optional<std::string> prefer = std::nullopt) {
  PlanRequest r;
  r.start = day(start);
  r.today = day(start);
  r.prefer = std::move(prefer);
  return r;
}

// The plan of `p` on the shipped cipn-esmo pathway from 2026-12-01, drafted that day.
inline Plan cipn_plan_dec1(const Patient &p) {
  return build_plan(p, shipped_formulary(), shipped_pathway(), request("2026-12-01"));
}

// The G #1 plan: adult()'s.
inline Plan g1_plan() {
  return cipn_plan_dec1(adult());
}

inline Strength strength(long dose_mg, Form form) {
  Strength s;
  s.dose = mg(dose_mg);
  s.form = form;
  return s;
}

// Gabapentin strengths (clinical.md B2: capsules 100, 300, 400 mg; tablets 600, 800 mg).
inline Monograph gabapentin_units() {
  Monograph m;
  m.name = "gabapentin";
  m.strengths = {strength(100, Form::capsule), strength(300, Form::capsule),
                 strength(400, Form::capsule), strength(600, Form::tablet),
                 strength(800, Form::tablet)};
  return m;
}

// Duloxetine strengths (clinical.md B1: capsules 20, 30, 60 mg; 40 mg generic).
inline Monograph duloxetine_units(bool with_20 = true) {
  Monograph m;
  m.name = "duloxetine";
  if (with_20)
    m.strengths.push_back(strength(20, Form::capsule));
  m.strengths.push_back(strength(30, Form::capsule));
  m.strengths.push_back(strength(60, Form::capsule));
  return m;
}

// Pregabalin capsules (clinical.md B4: 25, 50, 75, 100, 150, 200, 225, 300 mg).
inline Monograph pregabalin_units() {
  Monograph m;
  m.name = "pregabalin";
  for (long s : {25, 50, 75, 100, 150, 200, 225, 300})
    m.strengths.push_back(strength(s, Form::capsule));
  return m;
}

} // namespace titrate::test

// Readable failure messages (DateRange has begin()/end() and would otherwise print as a range).
namespace Catch {
template <> struct StringMaker<titrate::DateRange> {
  static std::string convert(const titrate::DateRange &r) {
    return "[" + titrate::iso(r.begin()) + ", " + titrate::iso(r.end()) + ")";
  }
};
template <> struct StringMaker<titrate::Date> {
  static std::string convert(const titrate::Date &d) { return titrate::iso(d); }
};
template <> struct StringMaker<titrate::Dose> {
  static std::string convert(const titrate::Dose &d) { return d.str(); }
};
template <> struct StringMaker<titrate::UnitCount> {
  static std::string convert(const titrate::UnitCount &u) {
    return u.strength.str() + " " + std::string(titrate::to_string(u.form)) + " x " +
           std::to_string(u.count);
  }
};
} // namespace Catch
