// Units and splits: which whole marketed units make a dose, and how a daily dose is divided over
// the administration times. Whole units only: titrate never plans a half tablet, even a scored
// one (UnitCount counts whole units), so a capsule or unscored tablet is never split.
#include "planner/scheduling/scheduler.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace titrate {

namespace {

constexpr int kNoWay = std::numeric_limits<int>::max();
// Guard against pathological data (micro-gram strengths against gram doses): beyond this many
// grains a dose is reported as not buildable rather than searched for.
constexpr std::int64_t kMaxGrains = 200000;

// Greatest common divisor of the marketed strengths, in micrograms: every buildable amount is a
// multiple of it.
std::int64_t grain_of(const Monograph &m) {
  std::int64_t g = 0;
  for (const auto &s : m.strengths) {
    if (s.dose.ug() > 0)
      g = std::gcd(g, s.dose.ug());
  }
  return g;
}

// Fewest-unit table over multiples of the grain: best[k] = fewest units making k grains.
struct UnitTable {
  std::int64_t grain = 0;
  std::vector<std::int64_t> sizes; // strength sizes in grains, one per strength (same order)
  std::vector<int> best;

  UnitTable(const Monograph &m, std::int64_t max_grains) : grain(grain_of(m)) {
    if (grain == 0)
      return;
    for (const auto &s : m.strengths)
      sizes.push_back(s.dose.ug() / grain);
    best.assign(static_cast<std::size_t>(max_grains + 1), kNoWay);
    best[0] = 0;
    for (std::int64_t k = 1; k <= max_grains; ++k) {
      int b = kNoWay;
      for (auto sz : sizes) {
        if (sz <= 0 || sz > k)
          continue;
        const int prev = best[static_cast<std::size_t>(k - sz)];
        if (prev != kNoWay && prev + 1 < b)
          b = prev + 1;
      }
      best[static_cast<std::size_t>(k)] = b;
    }
  }
  bool buildable(std::int64_t k) const {
    return k > 0 && k < static_cast<std::int64_t>(best.size()) &&
           best[static_cast<std::size_t>(k)] != kNoWay;
  }
  int units(std::int64_t k) const { return best[static_cast<std::size_t>(k)]; }
};

std::vector<UnitCount> reconstruct(const Monograph &m, const UnitTable &t, std::int64_t k) {
  // Largest strength first among the choices that keep the count minimal: deterministic, and
  // it keeps the number of units a patient handles at the minimum.
  std::vector<std::size_t> order(m.strengths.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return m.strengths[a].dose > m.strengths[b].dose;
  });
  std::vector<UnitCount> out;
  while (k > 0) {
    bool advanced = false;
    for (auto i : order) {
      const auto sz = t.sizes[i];
      if (sz <= 0 || sz > k)
        continue;
      const int prev = t.best[static_cast<std::size_t>(k - sz)];
      if (prev != kNoWay && prev + 1 == t.best[static_cast<std::size_t>(k)]) {
        const auto &s = m.strengths[i];
        if (!out.empty() && out.back().strength == s.dose && out.back().form == s.form) {
          ++out.back().count;
        } else {
          out.push_back({s.dose, s.form, 1});
        }
        k -= sz;
        advanced = true;
        break;
      }
    }
    if (!advanced)
      return {}; // cannot happen when best[k] is finite
  }
  return out;
}

struct Candidate {
  std::vector<std::int64_t> parts; // grains per administration, non-decreasing
  std::int64_t spread = 0;
  int units = 0;
};

// All non-decreasing splits of `total` grains into `n` buildable parts; keeps the best by
// (spread, units). Non-decreasing order puts the larger doses later in the day.
void search(const UnitTable &t, std::int64_t total, std::size_t n, std::int64_t min_part,
            std::vector<std::int64_t> &parts, int units, std::optional<Candidate> &best) {
  if (n == 1) {
    if (total < min_part || !t.buildable(total))
      return;
    parts.push_back(total);
    const std::int64_t spread = parts.back() - parts.front();
    const int u = units + t.units(total);
    if (!best || spread < best->spread || (spread == best->spread && u < best->units)) {
      best = Candidate{parts, spread, u};
    }
    parts.pop_back();
    return;
  }
  // The smallest remaining part is at most total / n.
  const auto nn = static_cast<std::int64_t>(n);
  for (std::int64_t a = total / nn; a >= min_part; --a) {
    if (parts.empty() && best) {
      // a is the smallest part; the largest is at least the mean of the rest, so the spread
      // only grows as a falls: stop once it cannot beat the best found.
      const std::int64_t lower_bound = (total - a + nn - 2) / (nn - 1) - a;
      if (lower_bound > best->spread)
        break;
    }
    if (!t.buildable(a))
      continue;
    parts.push_back(a);
    search(t, total - a, n - 1, a, parts, units + t.units(a), best);
    parts.pop_back();
  }
}

} // namespace

std::optional<std::vector<UnitCount>> build_units(const Monograph &m, Dose dose) {
  const std::int64_t g = grain_of(m);
  if (g == 0 || dose.ug() <= 0 || dose.ug() % g != 0)
    return std::nullopt;
  const std::int64_t k = dose.ug() / g;
  if (k > kMaxGrains)
    return std::nullopt;
  const UnitTable t(m, k);
  if (!t.buildable(k))
    return std::nullopt;
  return reconstruct(m, t, k);
}

std::optional<std::vector<Administration>> split_daily(const Monograph &m, Dose daily,
                                                       const std::vector<AdminTime> &times_in) {
  std::vector<AdminTime> times = times_in;
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  const std::int64_t g = grain_of(m);
  if (times.empty() || g == 0 || daily.ug() <= 0 || daily.ug() % g != 0)
    return std::nullopt;
  const std::int64_t total = daily.ug() / g;
  if (total > kMaxGrains)
    return std::nullopt;
  const UnitTable t(m, total);

  // Fewer administrations only when no split gives every time a buildable dose; the earliest
  // times are the ones left out (the larger share stays later in the day).
  for (std::size_t n = times.size(); n >= 1; --n) {
    std::optional<Candidate> best;
    std::vector<std::int64_t> parts;
    search(t, total, n, 1, parts, 0, best);
    if (!best)
      continue;
    std::vector<Administration> out;
    const std::size_t skip = times.size() - n;
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = best->parts[i];
      out.push_back({times[skip + i], Dose::micrograms(k * g), reconstruct(m, t, k)});
    }
    return out;
  }
  return std::nullopt;
}

std::vector<UnitCount> dispense_for(const std::vector<Step> &steps) {
  std::vector<UnitCount> out;
  for (const auto &step : steps) {
    const long days = step.range.days();
    for (const auto &a : step.doses) {
      for (const auto &u : a.units) {
        auto it = std::find_if(out.begin(), out.end(), [&](const UnitCount &x) {
          return x.strength == u.strength && x.form == u.form;
        });
        if (it == out.end()) {
          out.push_back({u.strength, u.form, 0});
          it = std::prev(out.end());
        }
        it->count += static_cast<int>(days) * u.count;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const UnitCount &a, const UnitCount &b) {
    if (a.strength != b.strength)
      return a.strength < b.strength;
    return a.form < b.form;
  });
  return out;
}

} // namespace titrate
