#pragma once
// The repository contract: one test body for every back end (Orthanc's IndexUnitTests habit).
// A back end provides a Backend whose connect() opens a NEW connection to the same fresh,
// empty database; TITRATE_STORE_CONTRACT(name, make) registers every contract case for it.
#include "planner/store/repository.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <random>
#include <vector>

namespace titrate::test {

class Backend {
public:
  virtual ~Backend() = default;
  virtual std::unique_ptr<Repository> connect() = 0;
};
using BackendFactory = std::function<std::unique_ptr<Backend>()>;

// Illustrative fixtures (storage tests only; no clinical claim is checked here).
Patient sample_patient(const std::string &id);
Plan sample_plan(const std::string &patient);
// A score at 08:00 on `day` of December 2026.
ScoreEntry sample_score(int day, int value);

// The back ends' own "a refused write changes nothing" tests, as dr.ada: through one connection
// (`open`), P1 with sample_plan version 1 drafted and submitted; then, through a new one, two
// writes that must be refused, each with its error (dr.ada approving as a pharmacist the version
// she drafted; a score for unknown patient P9). `fingerprint` (the file's bytes, a dump) must be
// the same before and after them, with the connections closed.
void check_refused_writes_change_nothing(const std::function<std::unique_ptr<Repository>()> &open,
                                         const std::function<std::string()> &fingerprint);

// Shared by the back ends' own tests (sqlite_test.cpp, postgres_test.cpp), all as dr.ada:
// what a schema-1 database is given (patient P1, one score, a draft plan), and the check, once
// it is migrated to the latest schema, that it kept all of it and has the table of migration 2;
// and the rows the append-only trigger tests try to change (P1 with a score, an adverse effect,
// a decision and plan version 1 submitted).
void fill_schema_1(Repository &old);
void check_schema_1_kept(Repository &migrated);
void fill_append_only_tables(Repository &store);
// The seeded cohorts' numbers: pick(lo, hi) is a whole number from lo to hi, the same sequence
// every run for the same seed.
class SeededPick {
public:
  explicit SeededPick(unsigned seed) : rng_(seed) {}
  int operator()(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

private:
  std::mt19937 rng_;
};

// Checks repo.due_list(today, within, 7) against due_list_generic(), entry by entry and field by
// field; returns the generic entries.
std::vector<DueEntry> check_due_list_is_generic(Repository &repo, Date today, int within);

namespace contract {
void patient_versions(Backend &b);
void plan_lifecycle(Backend &b);
void four_eyes(Backend &b);
void submitted_version_is_immutable(Backend &b);
void scores_and_supersede(Backend &b);
void scores_withdrawn(Backend &b);
void import_all_or_none(Backend &b);
void adverse_effects_and_decisions(Backend &b);
void adverse_effects_attributed_corrected_retracted(Backend &b);
void audit_records_every_change(Backend &b);
void audit_carries_door_and_os_user(Backend &b);
void atomically_is_one_transaction(Backend &b);
void atomically_each_isolates_failures(Backend &b);
void concurrent_writers(Backend &b);
void due_list(Backend &b);
void concurrent_approve_race(Backend &b);
void concurrent_drafts(Backend &b);
void due_list_matches_generic(Backend &b);
void import_rolls_back_when_source_throws(Backend &b);
void whole_clinic_reads_match_per_patient(Backend &b);
} // namespace contract

} // namespace titrate::test

#define TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, FN)                                                \
  TEST_CASE(NAME " contract: " #FN) {                                                              \
    auto backend = (MAKE)();                                                                       \
    ::titrate::test::contract::FN(*backend);                                                       \
  }

#define TITRATE_STORE_CONTRACT(NAME, MAKE)                                                         \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, patient_versions)                                        \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, plan_lifecycle)                                          \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, four_eyes)                                               \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, submitted_version_is_immutable)                          \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, scores_and_supersede)                                    \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, import_all_or_none)                                      \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, adverse_effects_and_decisions)                           \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, adverse_effects_attributed_corrected_retracted)          \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, audit_records_every_change)                              \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, audit_carries_door_and_os_user)                          \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, atomically_is_one_transaction)                           \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, atomically_each_isolates_failures)                       \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, concurrent_writers)                                      \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, due_list)                                                \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, scores_withdrawn)                                        \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, concurrent_approve_race)                                 \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, concurrent_drafts)                                       \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, due_list_matches_generic)                                \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, import_rolls_back_when_source_throws)                    \
  TITRATE_STORE_CONTRACT_CASE(NAME, MAKE, whole_clinic_reads_match_per_patient)
