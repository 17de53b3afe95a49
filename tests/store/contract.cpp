// The repository contract, written once against the Repository interface. Every back end runs
// it through TITRATE_STORE_CONTRACT (see sqlite_test.cpp). Expected values below follow from the
// contract in planner/store/repository.hpp, worked out by hand; the patient and plan fixtures are
// illustrative storage data, not clinical claims.
#include "tests/store/contract.hpp"

#include "planner/core/errors.hpp"

#include <atomic>
#include <thread>

namespace titrate::test {

namespace {
Dose mg(std::int64_t n) { return Dose::milligrams(n); }
LocalDateTime at(int y, int m, int d, int minute = 0) {
  return {Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
               static_cast<unsigned short>(d)),
          minute};
}
ScoreEntry score(LocalDateTime t, int v, std::string note = {}) {
  ScoreEntry s;
  s.at = t;
  s.score = PainScore(v);
  s.note = std::move(note);
  return s;
}
const Actor clinician{"dr.ada", "clinician"};
const Actor clinician2{"dr.bea", "clinician"};
const Actor pharmacist{"ph.cho", "pharmacist"};
const Actor pharmacist2{"ph.dan", "pharmacist"};
const Actor patient_p1{"P1", "patient"};
} // namespace

Patient sample_patient(const std::string &id) {
  Patient p;
  p.id = id;
  p.birth_date = Date(1958, 4, 2);
  p.sex = Sex::female;
  p.weight_kg = 70.5;
  p.serum_creatinine_mg_dl = 1.1;
  p.hepatic = Hepatic::mild;
  p.conditions = {"narrow-angle-glaucoma"};
  p.medications = {"sertraline", "omeprazole"};
  p.stopped_medications = {{"phenelzine", Date(2026, 11, 1)}};
  p.baseline_pain = PainScore(7);
  return p;
}

Plan sample_plan(const std::string &patient) {
  Plan p;
  p.patient = patient;
  p.pathway = "cipn-esmo";
  p.start = Date(2026, 12, 1);
  Stage s;
  s.drug = "duloxetine";
  s.role = StageRole::trial;
  Step a;
  a.range = DateRange(Date(2026, 12, 1), Date(2026, 12, 8));
  a.daily = mg(30);
  a.doses = {{AdminTime::morning, mg(30), {{mg(30), Form::capsule, 1}}}};
  Step b;
  b.range = DateRange(Date(2026, 12, 8), Date(2026, 12, 22));
  b.daily = mg(60);
  b.doses = {{AdminTime::morning, mg(60), {{mg(60), Form::capsule, 1}}}};
  s.steps = {a, b};
  s.assessed_dose = mg(60);
  s.target_reached = Date(2026, 12, 8);
  s.decision_date = Date(2026, 12, 22);
  s.dispense = {{mg(30), Form::capsule, 7}, {mg(60), Form::capsule, 14}};
  s.warnings = {{Severity::caution, "test.warning", "a caution carried with the stage", "TEST 1"}};
  s.note = "illustrative";
  p.stages = {s};
  p.lint = {{Severity::caution, "test.lint", "a lint finding", "TEST 2"}};
  p.unchecked_medications = {"st-johns-wort"};
  p.tried = {"pregabalin"};
  return p;
}

namespace contract {

void patient_versions(Backend &b) {
  auto repo = b.connect();
  REQUIRE_FALSE(repo->patient("P1"));
  Patient p = sample_patient("P1");
  CHECK(repo->add_patient(p, clinician) == 1);
  CHECK_THROWS_AS(repo->add_patient(p, clinician), RefusedError);

  auto cur = repo->patient("P1");
  REQUIRE(cur);
  CHECK(cur->version == 1);
  CHECK(cur->patient == p); // every field round-trips, lists and optionals included
  CHECK(cur->recorded_by == "dr.ada");

  Patient p2 = p;
  p2.weight_kg = 72;
  p2.serum_creatinine_mg_dl.reset();
  p2.crcl_ml_min = 45;
  p2.baseline_pain.reset();
  p2.medications.clear();
  CHECK(repo->update_patient(p2, clinician2) == 2);
  cur = repo->patient("P1");
  REQUIRE(cur);
  CHECK(cur->version == 2);
  CHECK(cur->patient == p2);
  CHECK(cur->recorded_by == "dr.bea");

  auto hist = repo->patient_history("P1");
  REQUIRE(hist.size() == 2);
  CHECK(hist[0].patient == p); // history is kept, never overwritten
  CHECK(hist[1].patient == p2);

  repo->add_patient(sample_patient("A0"), clinician);
  auto all = repo->patients();
  REQUIRE(all.size() == 2);
  CHECK(all[0].patient.id == "A0");
  CHECK(all[1].patient.id == "P1");
  CHECK(all[1].version == 2);

  Patient ghost = sample_patient("GHOST");
  CHECK_THROWS_AS(repo->update_patient(ghost, clinician), NotFoundError);
  CHECK_FALSE(repo->patient("GHOST"));
}

void plan_lifecycle(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->save_draft(sample_plan("P1"), clinician), NotFoundError);
  repo->add_patient(sample_patient("P1"), clinician);
  const Plan plan = sample_plan("P1");

  CHECK(repo->save_draft(plan, clinician, "first") == 1);
  auto v1 = repo->plan_version("P1", 1);
  REQUIRE(v1);
  CHECK(v1->status == PlanStatus::draft);
  CHECK(v1->plan == plan); // the plan round-trips exactly
  CHECK(v1->drafted_by == "dr.ada");
  CHECK(v1->note == "first");
  CHECK_FALSE(repo->active_plan("P1"));

  // A second draft supersedes the first.
  CHECK(repo->save_draft(plan, clinician) == 2);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->submit("P1", 1, clinician), RefusedError);

  repo->submit("P1", 2, clinician);
  auto v2 = repo->plan_version("P1", 2);
  CHECK(v2->status == PlanStatus::submitted);
  CHECK(v2->submitted_by == std::optional<std::string>("dr.ada"));
  auto pending = repo->awaiting_review();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].patient == "P1");
  CHECK(pending[0].version == 2);
  CHECK_FALSE(repo->active_plan("P1")); // submitted is not active

  repo->approve("P1", 2, pharmacist);
  auto active = repo->active_plan("P1");
  REQUIRE(active);
  CHECK(active->version == 2);
  CHECK(active->status == PlanStatus::approved);
  CHECK(repo->awaiting_review().empty());
  CHECK(repo->active_plans().size() == 1);

  // Version 3 is rejected: the approved version 2 stays active.
  Plan changed = plan;
  changed.start = Date(2026, 12, 2);
  CHECK(repo->save_draft(changed, clinician) == 3);
  repo->submit("P1", 3, clinician);
  CHECK_THROWS_AS(repo->reject("P1", 3, pharmacist, "  "), InputError);
  repo->reject("P1", 3, pharmacist, "start after the dispensing visit");
  CHECK(repo->plan_version("P1", 3)->status == PlanStatus::rejected);
  CHECK(repo->active_plan("P1")->version == 2);
  CHECK_THROWS_AS(repo->approve("P1", 3, pharmacist), RefusedError);

  // Version 4 approved: version 2 is superseded, 4 is the one active schedule.
  CHECK(repo->save_draft(changed, clinician) == 4);
  repo->submit("P1", 4, clinician);
  repo->approve("P1", 4, pharmacist2);
  CHECK(repo->active_plan("P1")->version == 4);
  CHECK(repo->active_plan("P1")->plan == changed);
  CHECK(repo->plan_version("P1", 2)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->approve("P1", 4, pharmacist), RefusedError); // not awaiting review
  CHECK_THROWS_AS(repo->submit("P1", 4, clinician), RefusedError);
  CHECK_THROWS_AS(repo->approve("P1", 99, pharmacist), NotFoundError);
  CHECK_THROWS_AS(repo->approve("NOPE", 1, pharmacist), NotFoundError);

  auto versions = repo->plan_versions("P1");
  REQUIRE(versions.size() == 4);
  CHECK(versions[0].status == PlanStatus::superseded);
  CHECK(versions[1].status == PlanStatus::superseded);
  CHECK(versions[2].status == PlanStatus::rejected);
  CHECK(versions[3].status == PlanStatus::approved);

  auto revs = repo->reviews("P1");
  REQUIRE(revs.size() == 3);
  CHECK(revs[0].version == 2);
  CHECK(revs[0].verdict == Verdict::approved);
  CHECK(revs[1].verdict == Verdict::rejected);
  CHECK(revs[1].note == "start after the dispensing visit");
  CHECK(revs[2].pharmacist == "ph.dan");
}

void four_eyes(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  // The drafter cannot approve, whatever role they claim.
  const Actor drafter_as_pharmacist{"dr.ada", "pharmacist"};
  CHECK_THROWS_AS(repo->approve("P1", 1, drafter_as_pharmacist), RefusedError);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::submitted);

  // Drafted by one user and submitted by another: neither may approve.
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 2, clinician2);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->approve("P1", 2, Actor{"dr.bea", "pharmacist"}), RefusedError);
  CHECK_THROWS_AS(repo->approve("P1", 2, Actor{"dr.ada", "pharmacist"}), RefusedError);
  CHECK_FALSE(repo->active_plan("P1"));
  repo->approve("P1", 2, pharmacist);
  CHECK(repo->active_plan("P1")->version == 2);
}

void submitted_version_is_immutable(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  const Plan plan = sample_plan("P1");
  repo->save_draft(plan, clinician);
  repo->submit("P1", 1, clinician);
  // An edit is a new version; the submitted one keeps its content and status.
  Plan edit = plan;
  edit.stages[0].steps[1].daily = mg(90);
  CHECK(repo->save_draft(edit, clinician) == 2);
  auto v1 = repo->plan_version("P1", 1);
  CHECK(v1->plan == plan);
  CHECK(v1->status == PlanStatus::submitted);
  CHECK(repo->plan_version("P1", 2)->plan == edit);
}

void scores_and_supersede(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->log_score("P1", score(at(2026, 12, 1), 5), patient_p1), NotFoundError);
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician);
  const auto id_late = repo->log_score("P1", score(at(2026, 12, 2, 8 * 60), 6), patient_p1);
  const auto id_early = repo->log_score("P1", score(at(2026, 12, 1, 20 * 60), 7, "bad night"),
                                        patient_p1);
  CHECK(id_late != id_early);
  auto s = repo->scores("P1");
  REQUIRE(s.size() == 2);
  CHECK(s[0].id == id_early); // ordered by time, not by entry
  CHECK(s[0].note == "bad night");
  CHECK(s[0].score.value() == 7);
  CHECK(s[0].at == at(2026, 12, 1, 20 * 60));

  ScoreEntry fix = score(at(2026, 12, 2, 8 * 60), 4, "typo: meant 4");
  fix.supersedes = id_late;
  const auto id_fix = repo->log_score("P1", fix, patient_p1);
  s = repo->scores("P1");
  REQUIRE(s.size() == 2);
  CHECK(s[1].id == id_fix);
  CHECK(s[1].supersedes == std::optional<std::int64_t>(id_late));
  CHECK(repo->scores("P1", true).size() == 3); // the corrected row is kept, only hidden

  CHECK_THROWS_AS(repo->log_score("P1", fix, patient_p1), RefusedError); // already corrected
  ScoreEntry ghost = fix;
  ghost.supersedes = 999999;
  CHECK_THROWS_AS(repo->log_score("P1", ghost, patient_p1), NotFoundError);
  ScoreEntry other = fix;
  other.supersedes = id_early; // P1's score cannot be corrected through P2
  CHECK_THROWS_AS(repo->log_score("P2", other, patient_p1), NotFoundError);
  CHECK(repo->scores("P2").empty());
}

void import_all_or_none(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician);
  std::vector<ScoreImportRow> rows = {
      {"P1", at(2026, 12, 1), PainScore(6), "", 2},
      {"P2", at(2026, 12, 1, 9 * 60), PainScore(5), "after walk", 3},
      {"NOPE", at(2026, 12, 1), PainScore(5), "", 4},
      {"NOPE2", at(2026, 12, 1), PainScore(5), "", 5},
  };
  try {
    repo->import_scores(rows, clinician, "s.csv");
    FAIL("an unknown patient must refuse the whole import");
  } catch (const InputError &e) {
    const std::string m = e.what();
    CHECK_THAT(m, Catch::Contains("s.csv:4: patient_id") && Catch::Contains("NOPE") &&
                      Catch::Contains("s.csv:5: patient_id"));
  }
  CHECK(repo->scores("P1").empty()); // nothing of the good rows either
  CHECK(repo->scores("P2").empty());

  rows.resize(2);
  rows.push_back({"P1", at(2026, 12, 1), PainScore(6), "", 4}); // repeats row 2 within the file
  auto r = repo->import_scores(rows, clinician, "s.csv");
  CHECK(r.imported == 2);
  CHECK(r.duplicates == 1);
  // A re-import is harmless: every row is a duplicate of a stored one.
  r = repo->import_scores(rows, clinician, "s.csv");
  CHECK(r.imported == 0);
  CHECK(r.duplicates == 3);
  // Same time, different score or note: not a duplicate.
  rows = {{"P1", at(2026, 12, 1), PainScore(5), "", 2},
          {"P1", at(2026, 12, 1), PainScore(6), "x", 3}};
  r = repo->import_scores(rows, clinician, "t.csv");
  CHECK(r.imported == 2);
  CHECK(repo->scores("P1").size() == 3);
  CHECK(repo->scores("P2").size() == 1);
}

void adverse_effects_and_decisions(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  AdverseEffect ae;
  ae.at = at(2026, 12, 5, 7 * 60 + 30);
  ae.description = "nausea";
  ae.severity = AeSeverity::intolerable;
  CHECK_THROWS_AS(repo->log_adverse_effect("NOPE", ae, patient_p1), NotFoundError);
  const auto id = repo->log_adverse_effect("P1", ae, patient_p1);
  auto list = repo->adverse_effects("P1");
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == id);
  CHECK(list[0].description == "nausea");
  CHECK(list[0].severity == AeSeverity::intolerable);
  CHECK(list[0].at == ae.at);

  repo->save_draft(sample_plan("P1"), clinician);
  Assessment a;
  a.patient = "P1";
  a.date = Date(2026, 12, 22);
  a.drug = "duloxetine";
  a.decision = DecisionKind::switch_;
  a.baseline = 8.0;
  a.window = {Date(2026, 12, 15), Date(2026, 12, 22), 7.25, 6};
  a.change_pct = 9.375;
  a.days_at_target = 14;
  a.rule = "response.none";
  a.source = "TEST 3";
  a.reasons = {"change below threshold", "at stage maximum"};
  a.next_drug = "gabapentin";
  a.next_decision_date = Date(2027, 1, 5);
  a.substantial = true;
  CHECK_THROWS_AS(repo->record_decision(a, 99, clinician), NotFoundError);
  const auto did = repo->record_decision(a, 1, clinician);
  auto ds = repo->decisions("P1");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].id == did);
  CHECK(ds[0].plan_version == std::optional<int>(1));
  CHECK(ds[0].recorded_by == "dr.ada");
  const Assessment &g = ds[0].assessment;
  CHECK(g.patient == "P1");
  CHECK(g.date == a.date);
  CHECK(g.decision == DecisionKind::switch_);
  CHECK(g.baseline == a.baseline);
  CHECK(g.window.start == a.window.start);
  CHECK(g.window.end == a.window.end);
  CHECK(g.window.mean == a.window.mean);
  CHECK(g.window.scores == 6);
  CHECK(g.change_pct == a.change_pct);
  CHECK(g.days_at_target == 14);
  CHECK(g.rule == a.rule);
  CHECK(g.source == a.source);
  CHECK(g.reasons == a.reasons);
  CHECK_FALSE(g.next_dose);
  CHECK(g.next_drug == a.next_drug);
  CHECK(g.next_decision_date == a.next_decision_date);
  CHECK(g.substantial);
}

void audit_records_every_change(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->update_patient(sample_patient("P1"), clinician2);
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  CHECK_THROWS_AS(repo->approve("P1", 1, clinician), RefusedError); // refused: no entry
  repo->approve("P1", 1, pharmacist);
  repo->log_score("P1", score(at(2026, 12, 1), 6), patient_p1);
  repo->append_audit(pharmacist, "export", "", "all patients");

  auto log = repo->audit(std::string("P1"));
  const std::vector<std::string> expected = {"patient.add", "patient.update", "plan.draft",
                                             "plan.submit", "plan.approve", "score.log"};
  REQUIRE(log.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(log[i].action == expected[i]);
    CHECK(log[i].patient == "P1");
    CHECK_FALSE(log[i].at.empty());
  }
  CHECK(log[1].user == "dr.bea");
  CHECK(log[4].user == "ph.cho");
  CHECK(log[4].role == "pharmacist");
  CHECK(log[5].role == "patient");
  auto all = repo->audit(std::nullopt);
  REQUIRE(all.size() == expected.size() + 1);
  CHECK(all.back().action == "export");
  CHECK(all.back().patient.empty());
  CHECK(all.back().id > all.front().id);
}

void atomically_is_one_transaction(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->atomically([&] {
    repo->add_patient(sample_patient("P1"), clinician);
    repo->log_score("P1", score(at(2026, 12, 1), 6), clinician);
    throw InputError("fault after two writes");
  }),
                  InputError);
  CHECK_FALSE(repo->patient("P1")); // rolled back as a whole
  CHECK(repo->audit(std::nullopt).empty());

  repo->atomically([&] {
    repo->add_patient(sample_patient("P1"), clinician);
    repo->log_score("P1", score(at(2026, 12, 1), 6), clinician);
  });
  CHECK(repo->patient("P1"));
  CHECK(repo->scores("P1").size() == 1);
  CHECK(repo->audit(std::nullopt).size() == 2);
}

void concurrent_writers(Backend &b) {
  {
    auto setup = b.connect();
    setup->add_patient(sample_patient("P1"), clinician);
    setup->add_patient(sample_patient("P2"), clinician);
  }
  constexpr int per_writer = 100;
  std::atomic<int> failures{0};
  auto writer = [&](const std::string &patient) {
    try {
      auto repo = b.connect(); // its own connection, as a second process would have
      for (int i = 0; i < per_writer; ++i) {
        repo->log_score(patient, score(at(2026, 12, 1, i), i % 11), Actor{patient, "patient"});
      }
    } catch (...) {
      ++failures;
    }
  };
  std::thread t1(writer, "P1");
  std::thread t2(writer, "P2");
  t1.join();
  t2.join();
  CHECK(failures == 0);
  auto repo = b.connect();
  CHECK(repo->scores("P1").size() == per_writer);
  CHECK(repo->scores("P2").size() == per_writer);
  CHECK(repo->audit(std::nullopt).size() == 2 + 2 * per_writer);
}

void due_list(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician); // no active plan: never due
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  CHECK(titrate::due_list(*repo, Date(2026, 12, 22), 0).empty()); // submitted is not active
  repo->approve("P1", 1, pharmacist);
  // sample_plan's decision date is 2026-12-22; window = [12-15, 12-22) (clinical.md A6: the
  // 7 days before the decision date, at least 4 days with scores).
  for (int d : {14, 15, 16, 16, 17, 22}) {
    repo->log_score("P1", score(at(2026, 12, d, 9 * 60 + d), 5), patient_p1);
  }
  auto due = titrate::due_list(*repo, Date(2026, 12, 20), 3);
  REQUIRE(due.size() == 1);
  CHECK(due[0].patient == "P1");
  CHECK(due[0].drug == "duloxetine");
  CHECK(due[0].decision_date == Date(2026, 12, 22));
  CHECK(due[0].days_until == 2);
  CHECK(due[0].window_days_with_scores == 3); // 15, 16 (twice = one day), 17; not 14, not 22
  CHECK(due[0].missing_scores);
  CHECK(titrate::due_list(*repo, Date(2026, 12, 20), 1).empty());
  repo->log_score("P1", score(at(2026, 12, 21), 4), patient_p1);
  due = titrate::due_list(*repo, Date(2026, 12, 23), 0);
  REQUIRE(due.size() == 1);
  CHECK(due[0].days_until == -1); // overdue
  CHECK(due[0].window_days_with_scores == 4);
  CHECK_FALSE(due[0].missing_scores);
  CHECK_THROWS_AS(titrate::due_list(*repo, Date(2026, 12, 23), -1), InputError);
}

} // namespace contract
} // namespace titrate::test
