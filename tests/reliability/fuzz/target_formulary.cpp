// The formulary fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"

namespace titrate::fuzz {

// One parser per input, picked by the text itself (a TOML parse of a 7 KB monograph costs
// ~0.1 s under the sanitizers; three per input would cut the fuzzer's speed by three).
void formulary(std::string_view bytes) {
  const TextFile f{"f.toml", std::string(bytes)};
  const bool switching = bytes.find("[[switch]]") != std::string_view::npos;
  const bool vocabulary = bytes.find("[conditions]") != std::string_view::npos;
  if (switching) {
    expect_only_typed_errors([&] { (void)parse_switching(f, shipped_vocabulary()); });
  } else if (vocabulary) {
    expect_only_typed_errors([&] { (void)parse_vocabulary(f); });
  } else {
    expect_only_typed_errors([&] { (void)parse_monograph(f, shipped_vocabulary()); });
  }
}

} // namespace titrate::fuzz
