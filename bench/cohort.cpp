// cohort: writes a deterministic (seeded) synthetic clinic for the benchmarks of bench/run.
// N patients drawn by bench/cohort.hpp (ages, renal function, hepatic state, conditions and
// medications from the formulary's own vocabulary), each given a plan by build_plan at a varied
// stage (none, draft, submitted, approved by a second actor), and exactly R pain scores spread
// 1-4 a day backwards from --today. Everything goes THROUGH THE STORE (SqliteStore, batched in
// Repository::atomically); the same score rows are also written as an import CSV
// (patient_id,at,score,note). Not a test: a fixture maker. No clinical figure is invented here:
// doses come from build_plan; scores are synthetic 0-10 values.
// --outcomes yes (for the outcome report, docs/performance.md): every plan is approved and starts
// 120 days before --today, and each patient whose first decision date has come gets one decision
// on it by construction from its number n: n % 4 = 0 continue, 60 % less pain (a 30 % and 50 %
// responder); 1 continue, 40 % (30 % only); 2 switch at the maximum, 10 % (judged, stopped as not
// effective); 3 switch for an intolerable effect, no change figure (not judged, stopped as not
// tolerated). The counts of each are printed, so a report can be checked against them.
//   cohort --db FILE [--csv FILE] [--patients N] [--rows-per-patient R] [--scores both|db|csv]
//          [--today YYYY-MM-DD] [--seed S] [--pathway NAME] [--formulary DIR] [--pathways DIR]
//          [--outcomes yes|no]
#include "bench/cohort.hpp"
#include "planner/formulary/files.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using namespace titrate;

struct Options {
  std::string db, csv;
  int patients = 1000;
  int rows_per_patient = 100;
  std::string scores = "both"; // where the score rows go
  std::string today = "2026-11-25";
  unsigned seed = 20261125u;
  std::string pathway = "cipn-esmo";
  std::string formulary_dir = std::string(TITRATE_SOURCE_DIR) + "/formulary";
  std::string pathways_dir = std::string(TITRATE_SOURCE_DIR) + "/schedules";
  bool outcomes = false;
};

struct Counts {
  long patients = 0, no_plan = 0, refused = 0, draft = 0, submitted = 0, approved = 0;
  long scores = 0;
  std::array<long, 4> decided{}; // --outcomes: by n % 4
};

char two(int v, int i) {
  return static_cast<char>('0' + (i == 0 ? v / 10 : v % 10));
}

std::string hhmm(int minute_of_day) {
  const int h = minute_of_day / 60, m = minute_of_day % 60;
  return {two(h, 0), two(h, 1), ':', two(m, 0), two(m, 1)};
}

class Cohort {
public:
  Cohort(const Options &o, const Formulary &f, const Pathway &pw)
      : o_(o), f_(f), pw_(pw), gen_(f, o.seed), rng_(o.seed ^ 0x5bd1e995u),
        today_(parse_date(o.today, "--today")) {}

  // One patient: profile, plan at its stage, score rows (appended to `rows` and `csv`).
  void patient(int n, Repository &repo, std::vector<ScoreImportRow> &rows, std::string &csv,
               Counts &c) {
    const Patient p = gen_.patient(n, today_);
    repo.add_patient(p, clinician_);
    ++c.patients;
    std::size_t stage = pick(20); // 0-1 none, 2-4 draft, 5-7 submitted, 8-19 approved
    if (o_.outcomes)
      stage = 19;
    if (stage >= 2) {
      PlanRequest req;
      // Starts up to 10 weeks back, so decision dates fall before, on and after --today; with
      // --outcomes 120 days back, so the first decision dates have come (drawn anyway, so the
      // scores that follow are drawn as in the other mode).
      const long back = static_cast<long>(pick(70));
      req.start = today_ - Days(o_.outcomes ? 120 : back);
      req.today = req.start;
      std::optional<Plan> plan;
      try {
        plan = build_plan(p, f_, pw_, req);
      } catch (const RefusedError &) {
        ++c.refused; // pregnancy, nothing eligible: a real clinic has these too
      }
      if (plan) {
        const int v = repo.save_draft(*plan, clinician_, "bench cohort");
        if (stage >= 5)
          repo.submit(p.id, v, clinician_);
        if (stage >= 8)
          repo.approve(p.id, v, pharmacist_); // four eyes: a second actor
        (stage >= 8 ? c.approved : stage >= 5 ? c.submitted : c.draft) += 1;
        if (o_.outcomes)
          decide(n, *plan, v, repo, c);
      }
    } else {
      ++c.no_plan;
    }
    // R scores, 1-4 a day going back from yesterday; about one day in ten has none.
    const int base = 3 + static_cast<int>(pick(6));
    int left = o_.rows_per_patient;
    for (long back = 1; left > 0; ++back) {
      if (pick(10) == 0)
        continue;
      const Date day = today_ - Days(back);
      const int k = std::min(left, 1 + static_cast<int>(pick(4)));
      for (int j = 0; j < k; ++j) {
        // distinct times: slot j of four 4-hour slots from 07:00
        const int minute = (7 + 4 * j) * 60 + static_cast<int>(pick(240));
        const int score = std::clamp(base + static_cast<int>(pick(5)) - 2, 0, 10);
        const bool noted = pick(50) == 0;
        const std::string note = noted ? "after walk" : "";
        if (o_.scores != "csv") {
          rows.push_back({p.id, LocalDateTime{day, minute}, PainScore(score), note, 0});
        }
        if (o_.scores != "db") {
          csv += p.id;
          csv += ',';
          csv += iso(day);
          csv += 'T';
          csv += hhmm(minute);
          csv += ',';
          csv += std::to_string(score);
          csv += ',';
          csv += note;
          csv += '\n';
        }
        ++c.scores;
      }
      left -= k;
    }
  }

private:
  // --outcomes: one decision by construction on the first stage's decision date (see the top).
  void decide(int n, const Plan &plan, int version, Repository &repo, Counts &c) {
    const Stage &s = plan.stages.front();
    if (!s.decision_date || *s.decision_date > today_)
      return;
    Assessment a;
    a.patient = plan.patient;
    a.date = *s.decision_date;
    a.drug = s.drug;
    a.window.start = a.date - Days(7);
    a.window.end = a.date;
    a.window.scores = 7;
    const int k = n % 4;
    switch (k) {
    case 0:
      a.decision = DecisionKind::continue_;
      a.change_pct = 60;
      a.rule = "decision.continue";
      break;
    case 1:
      a.decision = DecisionKind::continue_;
      a.change_pct = 40;
      a.rule = "decision.continue";
      break;
    case 2:
      a.decision = DecisionKind::switch_;
      a.change_pct = 10;
      a.rule = "decision.switch-at-maximum";
      break;
    default:
      a.decision = DecisionKind::switch_;
      a.rule = "decision.intolerable";
      a.window = Window{};
      break;
    }
    repo.record_decision(a, version, clinician_);
    ++c.decided[static_cast<std::size_t>(k)];
  }

  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  const Options &o_;
  const Formulary &f_;
  const Pathway &pw_;
  cohort::Generator gen_;
  std::mt19937 rng_;
  Date today_;
  const Actor clinician_{"dr.bench", "clinician"};
  const Actor pharmacist_{"ph.bench", "pharmacist"};
};

int usage(const std::string &why) {
  std::cerr << "cohort: " << why
            << "\nusage: cohort --db FILE [--csv FILE] [--patients N] [--rows-per-patient R] "
               "[--scores both|db|csv] [--today YYYY-MM-DD] [--seed S] [--pathway NAME] "
               "[--formulary DIR] [--pathways DIR] [--outcomes yes|no]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string k = argv[i];
    if (i + 1 >= argc)
      return usage("option " + k + " needs a value");
    const std::string v = argv[i + 1];
    try {
      if (k == "--db")
        o.db = v;
      else if (k == "--csv")
        o.csv = v;
      else if (k == "--patients")
        o.patients = std::stoi(v);
      else if (k == "--rows-per-patient")
        o.rows_per_patient = std::stoi(v);
      else if (k == "--scores")
        o.scores = v;
      else if (k == "--today")
        o.today = v;
      else if (k == "--seed")
        o.seed = static_cast<unsigned>(std::stoul(v));
      else if (k == "--pathway")
        o.pathway = v;
      else if (k == "--formulary")
        o.formulary_dir = v;
      else if (k == "--pathways")
        o.pathways_dir = v;
      else if (k == "--outcomes" && (v == "yes" || v == "no"))
        o.outcomes = v == "yes";
      else if (k == "--outcomes")
        return usage("--outcomes: \"" + v + "\"; expected yes or no");
      else
        return usage("unknown option " + k);
    } catch (const std::exception &) {
      return usage(k + ": \"" + v + "\" is not a number");
    }
  }
  if (o.db.empty())
    return usage("--db is required");
  if (o.scores != "both" && o.scores != "db" && o.scores != "csv")
    return usage("--scores: expected both, db or csv");
  if (o.scores != "db" && o.csv.empty())
    return usage("--csv is required unless --scores db");
  if (o.patients < 1 || o.rows_per_patient < 0)
    return usage("--patients >= 1, --rows-per-patient >= 0");
  if (std::filesystem::exists(o.db))
    return usage(o.db + " exists; the cohort writes a new database");
  try {
    const Formulary f = load_formulary(titrate::read_toml_dir(o.formulary_dir));
    const std::vector<Pathway> all = load_pathways(titrate::read_toml_dir(o.pathways_dir), f);
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const Pathway &p) { return p.name == o.pathway; });
    if (it == all.end())
      return usage("no pathway " + o.pathway);

    const auto t0 = std::chrono::steady_clock::now();
    SqliteStore store(o.db);
    std::FILE *csv = nullptr;
    if (o.scores != "db") {
      csv = std::fopen(o.csv.c_str(), "wb");
      if (!csv)
        return usage("cannot write " + o.csv);
      std::fputs("patient_id,at,score,note\n", csv);
    }
    Cohort cohort(o, f, *it);
    Counts c;
    const Actor importer{"dr.bench", "clinician"};
    constexpr int batch = 500; // patients per transaction: bounded memory, few fsyncs
    std::vector<ScoreImportRow> rows;
    std::string text;
    for (int first = 0; first < o.patients; first += batch) {
      const int last = std::min(o.patients, first + batch);
      rows.clear();
      text.clear();
      store.atomically([&] {
        for (int n = first; n < last; ++n)
          cohort.patient(n, store, rows, text, c);
        if (!rows.empty())
          store.import_scores(rows, importer, "bench-cohort.csv");
      });
      if (csv && std::fwrite(text.data(), 1, text.size(), csv) != text.size())
        throw std::runtime_error("cannot write " + o.csv);
    }
    if (csv && std::fclose(csv) != 0)
      throw std::runtime_error("cannot write " + o.csv);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "cohort: " << c.patients << " patients (seed " << o.seed << ", today " << o.today
              << "): plans approved " << c.approved << ", submitted " << c.submitted << ", draft "
              << c.draft << ", none " << c.no_plan << ", refused " << c.refused << "; " << c.scores
              << " scores (" << o.scores << ") in " << secs << " s\n";
    if (o.outcomes) {
      std::cout << "cohort: decisions by construction: continue 60 % " << c.decided[0]
                << ", continue 40 % " << c.decided[1] << ", switch at the maximum 10 % "
                << c.decided[2] << ", switch intolerable " << c.decided[3] << "\n";
    }
    return 0;
  } catch (const std::exception &e) {
    std::cerr << "cohort: " << e.what() << "\n";
    return 1;
  }
}
