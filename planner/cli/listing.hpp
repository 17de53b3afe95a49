#pragma once
// The answer of a command that lists stored things (`patient list`, `review list`, `audit`).
#include "planner/cli/context.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

namespace titrate::cli {

// With --json, {"<key>": [as_json(item), ...]}; else `none` on a line of its own when there are no
// items, or print_line(item) for each.
template <class T, class AsJson, class PrintLine>
void print_listing(Context &ctx, const char *key, const std::vector<T> &items, const char *none,
                   AsJson as_json, PrintLine print_line) {
  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &item : items)
      a.push_back(as_json(item));
    ctx.print_json({{key, a}});
    return;
  }
  if (items.empty()) {
    ctx.out << none << "\n";
    return;
  }
  for (const auto &item : items)
    print_line(item);
}

} // namespace titrate::cli
