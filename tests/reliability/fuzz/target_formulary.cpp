// The formulary fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"

namespace titrate::fuzz {

void formulary(std::string_view bytes) {
  const TextFile f{"f.toml", std::string(bytes)};
  expect_only_typed_errors([&] { (void)parse_monograph(f, shipped_vocabulary()); });
  expect_only_typed_errors([&] { (void)parse_vocabulary(f); });
  expect_only_typed_errors([&] { (void)parse_switching(f, shipped_vocabulary()); });
}

} // namespace titrate::fuzz
