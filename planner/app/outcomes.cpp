#include "planner/app/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace titrate {

Proportion wilson95(int count, int of) {
  Proportion p{count, of, 0, 0};
  if (of <= 0)
    return p;
  const double z = 1.959964, n = of, phat = count / n, z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (phat + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(phat * (1 - phat) / n + z2 / (4 * n * n)) / denom;
  p.low = std::max(0.0, centre - half);
  p.high = std::min(1.0, centre + half);
  return p;
}

std::optional<double> median_of(std::vector<double> v) {
  if (v.empty())
    return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

namespace {

StopReason outcome_stop_reason(const std::string &rule) {
  if (rule == "decision.intolerable")
    return StopReason::not_tolerated;
  if (rule == "decision.new-contraindication")
    return StopReason::contraindication;
  if (rule == "decision.switch-at-maximum")
    return StopReason::not_effective;
  return StopReason::other;
}

} // namespace

void OutcomeFold::add(const std::vector<TrialSummary> &trials,
                      const std::vector<DecisionSummary> &decisions) {
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const TrialSummary &s = trials[i];
    if (!f_.pathway.empty() && s.pathway != f_.pathway)
      continue;
    const Date start = s.first;
    if (start > f_.today)
      continue; // not started yet
    if (f_.from && start < *f_.from)
      continue;
    if (f_.to && start > *f_.to)
      continue;
    // The trial's decisions: its drug's, from its first day until the next trial starts.
    // (The last trial runs to today; a Date, not an optional, which GCC 12 at -O2 misreads.)
    const Date judged_until =
        i + 1 < trials.size() ? std::min(trials[i + 1].first, f_.today) : f_.today;
    std::vector<const DecisionSummary *> mine;
    for (const auto &d : decisions) {
      if (d.drug != s.drug || d.date < start || d.date > judged_until)
        continue;
      mine.push_back(&d);
    }
    auto &a = acc_[{static_cast<int>(i) + 1, s.drug}];
    a.row.line = static_cast<int>(i) + 1;
    a.row.drug = s.drug;
    ++a.row.started;
    std::optional<Date> stopped_on;
    for (const DecisionSummary *d : mine) {
      if (d->decision != DecisionKind::switch_ && d->decision != DecisionKind::stop)
        continue;
      ++a.row.stopped[static_cast<std::size_t>(outcome_stop_reason(d->rule))];
      stopped_on = d->date;
      break;
    }
    if (s.target_reached && *s.target_reached <= f_.today &&
        (!stopped_on || *s.target_reached <= *stopped_on)) {
      ++a.row.reached;
      a.to_dose.push_back(static_cast<double>((*s.target_reached - start).days()));
    }
    Date until = s.maintenance ? f_.today : s.end;
    if (stopped_on)
      until = std::min(until, *stopped_on);
    until = std::min(until, f_.today);
    a.row.days_on_drug.push_back((until - start).days());
    bool judged = false, r30 = false, r50 = false;
    for (const DecisionSummary *d : mine) {
      if (d->decision == DecisionKind::extend)
        ++a.row.extensions;
      if (d->window.end > d->window.start)
        a.window_days.push_back(d->window.scores);
      if (!d->change_pct)
        continue;
      judged = true;
      if (*d->change_pct >= 30 && !r30) {
        r30 = true;
        a.to_response.push_back(static_cast<double>((d->date - start).days()));
      }
      if (*d->change_pct >= 50)
        r50 = true;
    }
    a.row.judged += judged ? 1 : 0;
    a.row.responders30.count += r30 ? 1 : 0;
    a.row.responders50.count += r50 ? 1 : 0;
  }
}

std::vector<OutcomeRow> OutcomeFold::rows() {
  std::vector<OutcomeRow> out;
  for (auto &[key, a] : acc_) {
    a.row.responders30 = wilson95(a.row.responders30.count, a.row.judged);
    a.row.responders50 = wilson95(a.row.responders50.count, a.row.judged);
    a.row.median_days_to_response = median_of(a.to_response);
    a.row.median_days_to_assessed_dose = median_of(a.to_dose);
    a.row.median_window_days = median_of(a.window_days);
    std::sort(a.row.days_on_drug.begin(), a.row.days_on_drug.end());
    out.push_back(a.row);
  }
  return out;
}

} // namespace titrate
