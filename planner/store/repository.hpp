#pragma once
// The storage interface in domain terms (design.md §3): no SQL type crosses it, so a PostgreSQL
// back end can implement it and run the same contract suite (tests/store/). Invariants every back
// end keeps: a patient change is a new profile version; a plan version is immutable once
// submitted; pain scores, adverse effects, decisions and the audit log are append-only; every
// change records the acting user and role; each call is one transaction (or joins atomically()).
#include "planner/assessment/decision.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/patient.hpp"
#include "planner/scheduling/plan.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// Who is acting; recorded on every change and in the audit log.
// `door` and `os_user` come last so `Actor{user, role}` still reads as before.
struct Actor {
  std::string user;
  std::string role; // clinician | pharmacist | patient (checked by the caller, stored as given)
  std::string door = {};    // how the change came in: "cli", "web", "cds", ...; "" when not said
  std::string os_user = {}; // the operating-system user behind a CLI on a SQLite file; "" otherwise
};

// The database login a connection runs as, and the titrate account (users table) of the same
// name with its role when there is one (Repository::login_account).
struct LoginAccount {
  std::string login;
  std::optional<std::string> role; // the account's role; nullopt: the login is no account
};

struct PatientRecord {
  Patient patient;
  int version = 0;         // 1 for the first profile; +1 for every update
  std::string recorded_by; // user
  std::string recorded_at; // UTC, "YYYY-MM-DDTHH:MM:SSZ"
};

enum class PlanStatus { draft, submitted, approved, rejected, superseded };
constexpr auto words_of(PlanStatus) {
  using enum PlanStatus;
  return enum_words<PlanStatus>({"plan status"}, {{draft, "draft"},
                                                  {submitted, "submitted"},
                                                  {approved, "approved"},
                                                  {rejected, "rejected"},
                                                  {superseded, "superseded"}});
}

struct PlanVersion {
  std::string patient;
  int version = 0; // 1, 2, ... per patient
  PlanStatus status = PlanStatus::draft;
  Plan plan;
  std::string drafted_by;
  std::string drafted_at;
  std::optional<std::string> submitted_by;
  std::optional<std::string> submitted_at;
  std::string note; // why this version was drafted (e.g. "assess: switch")
};

enum class Verdict { approved, rejected };
constexpr auto words_of(Verdict) {
  using enum Verdict;
  return enum_words<Verdict>({"verdict"}, {{approved, "approved"}, {rejected, "rejected"}});
}

struct Review {
  std::string patient;
  int version = 0;
  std::string pharmacist;
  Verdict verdict = Verdict::approved;
  std::string note; // the reason, for a rejection
  std::string at;
};

struct DecisionRecord {
  std::int64_t id = 0;
  Assessment assessment;
  std::optional<int> plan_version; // the version that was assessed
  std::string recorded_by;
  std::string recorded_at;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::string user;
  std::string role;
  std::string action;  // e.g. "patient.add", "plan.approve", "score.log", "scores.import"
  std::string patient; // empty when the action concerns no single patient
  std::string detail;
  std::string door = {};    // Actor::door; "" in entries written before schema 7
  std::string os_user = {}; // Actor::os_user; "" in entries written before schema 7
};

// One row of a score import (already parsed and validated as text).
struct ScoreImportRow {
  std::string patient;
  LocalDateTime at;
  PainScore score{0};
  std::string note;
  int line = 0; // line in the source file, for messages
};

struct DueEntry {
  std::string patient;
  int version = 0;
  std::string pathway; // whose decision parameters judge the window
  std::string drug;
  Date decision_date{2000, 1, 1};
  long days_until = 0; // negative: overdue
  int window_days = 0; // the pathway's window: the days before decision_date
  int window_days_with_scores =
      0;                        // days with scores in [decision_date - window_days, decision_date)
  int min_days_with_scores = 0; // the pathway's minimum (set by due_list())
  bool missing_scores = false;  // fewer than min_days_with_scores
  bool review = false;          // a maintenance review date, not a trial's decision date
};

struct ImportResult {
  int imported = 0;
  int duplicates = 0; // rows equal to a stored row (patient, at, score, note): skipped
};

// Where a streaming import reads its rows: fills `row` and returns true, or returns false at the
// end. It may throw (e.g. InputError for a row it cannot parse): the import is then rolled back.
using ScoreRowSource = std::function<bool(ScoreImportRow &row)>;

// A trial stage of a patient's current plan as the outcome report reads it (each_current_trial).
struct TrialSummary {
  std::string patient, pathway;
  std::string drug;
  Date first{2000, 1, 1}; // the first step's first day
  Date end{2000, 1, 1};   // the last step's range end (half-open)
  std::optional<Date> target_reached;
  bool maintenance = false; // Stage::maintenance(): the last dose goes on past `end`
  bool operator==(const TrialSummary &) const = default;
};

// A recorded decision as the outcome report reads it (decision_summaries).
struct DecisionSummary {
  std::string patient;
  Date date{2000, 1, 1};
  std::string drug;
  DecisionKind decision = DecisionKind::review;
  std::string rule;
  std::optional<double> change_pct;
  Window window; // its mean is not read
  bool operator==(const DecisionSummary &) const = default;
};

class Repository {
public:
  virtual ~Repository() = default;

  // Runs `body` as ONE transaction: every repository call inside joins it; an exception rolls
  // all of it back. Calls made outside atomically() are each their own transaction.
  virtual void atomically(const std::function<void()> &body) = 0;
  // Runs every body in ONE transaction, each in a savepoint of its own: a body that throws is
  // rolled back alone and its exception returned in its place (nullptr for one that succeeded);
  // the others are committed together, with one flush to disk. An exception from the transaction
  // itself (its begin or commit, or a fault that ended it) leaves this call with nothing of any
  // body kept. The default runs each body in atomically() of its own.
  virtual std::vector<std::exception_ptr>
  atomically_each(const std::vector<std::function<void()>> &bodies);

  // --- patients: every add/update is a new profile version; current = latest.
  // RefusedError if the id exists (add) / NotFoundError if it does not (update).
  virtual int add_patient(const Patient &p, const Actor &who) = 0;
  virtual int update_patient(const Patient &p, const Actor &who) = 0;
  virtual std::optional<PatientRecord> patient(const std::string &id) = 0;
  virtual std::vector<PatientRecord> patient_history(const std::string &id) = 0; // oldest first
  virtual std::vector<PatientRecord> patients() = 0; // current versions, by id

  // --- plans: versions per patient. A new draft supersedes older drafts.
  // Returns the new version number. NotFoundError for an unknown patient.
  virtual int save_draft(const Plan &plan, const Actor &who, const std::string &note = {}) = 0;
  // draft -> submitted (older versions awaiting review become superseded). RefusedError otherwise.
  virtual void submit(const std::string &patient, int version, const Actor &who) = 0;
  // submitted -> approved, the previous approved version -> superseded. Four eyes: RefusedError
  // when `who` drafted or submitted the version, or the version is not awaiting review.
  virtual void approve(const std::string &patient, int version, const Actor &who) = 0;
  // submitted -> rejected with a reason (required, non-empty). Four eyes as for approve.
  virtual void reject(const std::string &patient, int version, const Actor &who,
                      const std::string &reason) = 0;
  virtual std::optional<PlanVersion> plan_version(const std::string &patient, int version) = 0;
  virtual std::vector<PlanVersion> plan_versions(const std::string &patient) = 0; // oldest first
  virtual std::optional<PlanVersion> active_plan(const std::string &patient) = 0; // approved
  virtual std::vector<PlanVersion> active_plans() = 0;    // every patient's, by patient id
  virtual std::vector<PlanVersion> awaiting_review() = 0; // submitted, oldest first
  virtual std::vector<Review> reviews(const std::string &patient) = 0;

  // --- observations (append-only). NotFoundError for an unknown patient.
  // A score with `supersedes` set corrects that earlier score of the same patient; with
  // `retracted` too it withdraws it (the note is the reason, required; the row keeps the withdrawn
  // score's time and score). NotFoundError: no such score of the patient; RefusedError: already
  // corrected or withdrawn, or the target is itself a withdrawal.
  virtual std::int64_t log_score(const std::string &patient, const ScoreEntry &s,
                                 const Actor &who) = 0;
  // All rows or none, streamed: rows are read from `next` one at a time and written in ONE
  // transaction, so memory stays flat however long the file. Every row whose patient is unknown
  // is reported (NotFoundError naming each line, after reading to the end) and nothing is written;
  // an exception from `next` rolls everything back too.
  virtual ImportResult import_scores(const ScoreRowSource &next, const Actor &who,
                                     const std::string &source_name) = 0;
  // The same over rows already in memory.
  ImportResult import_scores(const std::vector<ScoreImportRow> &rows, const Actor &who,
                             const std::string &source_name);
  // Effective scores (a superseded or withdrawn score, and a withdrawal, are left out unless
  // include_superseded), by time.
  virtual std::vector<ScoreEntry> scores(const std::string &patient,
                                         bool include_superseded = false) = 0;
  // An adverse effect as given (its drugs too: see log_attributed_adverse_effect below). With
  // `supersedes` it corrects, with `retracted` it withdraws, that earlier effect of the patient
  // (NotFoundError if there is none; RefusedError if it was already corrected or retracted).
  virtual std::int64_t log_adverse_effect(const std::string &patient, const AdverseEffect &ae,
                                          const Actor &who) = 0;
  // Effective adverse effects by time: corrected and retracted entries and the retractions
  // themselves are left out, unless include_superseded.
  virtual std::vector<AdverseEffect> adverse_effects(const std::string &patient,
                                                     bool include_superseded = false) = 0;

  // --- decisions (append-only): a recorded assessment.
  virtual std::int64_t record_decision(const Assessment &a, std::optional<int> plan_version,
                                       const Actor &who) = 0;
  virtual std::vector<DecisionRecord> decisions(const std::string &patient) = 0;

  // --- whole-clinic reads for the outcome report, one pass each: every patient's current plan
  // (the approved version, else the latest version), by patient id; every decision, by patient id
  // then by when it was recorded. The defaults read one patient at a time; a back end answers
  // each with one query instead, and must then give exactly the same rows.
  virtual std::vector<PlanVersion> current_plans();
  virtual std::vector<DecisionRecord> all_decisions();

  // --- the same two reads cut to what the outcome report uses, so a clinic of 100,000 patients
  // is read without turning every stored plan document back into a Plan. Each trial stage that
  // has steps, of each current plan, by patient id then stage order, handed to `f` one at a time;
  // and every decision, by patient id then by when it was recorded. The defaults derive them
  // from current_plans() and all_decisions(); a back end that answers with its own queries must
  // give exactly the same rows.
  virtual void each_current_trial(const std::function<void(const TrialSummary &)> &f);
  virtual std::vector<DecisionSummary> decision_summaries();

  // --- who the connection is: on a back end with logins of its own (PostgreSQL), the login and
  // the account of that name; nullopt on one without (SQLite). The CLI's actor must be that
  // account when there is one (docs/architecture.md, "Who the actor is").
  virtual std::optional<LoginAccount> login_account() { return std::nullopt; }

  // --- the due list (see due_list() below). The default is due_list_generic(); a back end may
  // answer it with one query instead, and must then give exactly the same entries.
  // Counts the days with scores in the `window_days` before each date; missing_scores is left
  // to due_list() below, which knows each pathway's minimum.
  virtual std::vector<DueEntry> due_list(Date today, int within_days, int window_days);

  // --- audit (append-only). Every change above writes one entry itself; this adds others.
  virtual void append_audit(const Actor &who, const std::string &action, const std::string &patient,
                            const std::string &detail) = 0;
  virtual std::vector<AuditEntry> audit(const std::optional<std::string> &patient) = 0;
};

// --- use cases over any Repository (no SQL here).

// Logs an adverse effect with the drugs being taken at its time, read off the patient's active
// plan in the same transaction (Plan::drugs_taken_at; no active plan: not attributed, and it is
// attributed against whatever plan is assessed). A retraction carries no drugs.
std::int64_t log_attributed_adverse_effect(Repository &repo, const std::string &patient,
                                           AdverseEffect ae, const Actor &who);

// How many extend decisions were recorded for the plan's current trial stage since its first day
// (AssessInput::extensions_so_far): `assess` and the CDS Hooks cards read it alike.
int extensions_so_far(const std::vector<DecisionRecord> &decisions, const Plan &plan);

// When a plan is next assessed (Plan::next_assessment): its last trial stage's decision date, or
// its review date once that stage is in maintenance. Stored as plan_versions.decision_date.
std::optional<Date> plan_decision_date(const Plan &p);

// The farthest a due list looks ahead, in days: a year (a project rule, not a clinical figure;
// every door refuses more, and a date thousands of years ahead is not one a plan can hold).
constexpr int max_due_within_days = 366;

// Patients whose active plan's decision date is on or before today + within_days, soonest (most
// overdue) first, each window judged by its plan's pathway's decision parameters (window_days,
// min_days_with_scores; clinical.md A6 in the pathway files). A plan whose pathway is not among
// `pathways` is judged by `pathways.front()`'s (the first loaded, by file name). InputError for a
// within_days outside 0..max_due_within_days or no pathway. Calls repo.due_list() once per
// distinct window length.
std::vector<DueEntry> due_list(Repository &repo, Date today, int within_days,
                               const std::vector<Pathway> &pathways);
// The reference implementation over the domain calls (active_plans() + scores()): the default of
// Repository::due_list(), and what a back end's own query is checked against in the contract suite.
std::vector<DueEntry> due_list_generic(Repository &repo, Date today, int within_days,
                                       int window_days);
// The due list as `due --json` and GET /api/due answer it (docs/cli.md): the window half-open,
// "end" excluded, as the JSON contract says.
nlohmann::json due_json(const std::vector<DueEntry> &due, Date today, int within_days);

// The four-eyes rule of a review, shared by every back end so approve and reject cannot drift
// apart: RefusedError when `who` drafted or submitted the version (`submitted_by` empty: not
// submitted). `verb` is "approve" or "reject"; `version_name` names the version in the message.
void require_four_eyes(const std::string &version_name, const std::string &drafted_by,
                       const std::string &submitted_by, const Actor &who, std::string_view verb);

} // namespace titrate
