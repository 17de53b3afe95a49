// The formulary fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/loader.hpp"

namespace titrate::fuzz {

namespace {
// The file stem a monograph must have: its own `name = "..."` (so the parse goes past the
// name check), or "gabapentin".
std::string monograph_stem(std::string_view bytes) {
  const std::string_view key = "\nname = \"";
  const auto at = bytes.find(key);
  if (at == std::string_view::npos)
    return "gabapentin";
  const auto begin = at + key.size();
  const auto end = bytes.find('"', begin);
  if (end == std::string_view::npos || end == begin || end - begin > 64)
    return "gabapentin";
  const std::string_view stem = bytes.substr(begin, end - begin);
  if (stem.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string_view::npos)
    return "gabapentin";
  return std::string(stem);
}
} // namespace

// One parser per input, picked by the text itself (a TOML parse of a 7 KB monograph costs
// ~0.1 s under the sanitizers; three per input would cut the fuzzer's speed by three). Odd sizes
// take the collecting path of `formulary check DIR` (check_formulary reads on past a fault, with
// the input as the folder's only file), even sizes the throwing path of every other command.
void formulary(std::string_view bytes) {
  const bool switching = bytes.find("[[switch]]") != std::string_view::npos;
  const bool vocabulary = !switching && bytes.find("[conditions]") != std::string_view::npos;
  const std::string name = switching    ? "switching"
                           : vocabulary ? "vocabulary"
                                        : monograph_stem(bytes);
  const TextFile f{"f/" + name + ".toml", std::string(bytes)};
  if (bytes.size() % 2 == 1) {
    expect_only_typed_errors([&] { (void)check_formulary({f}); });
  } else if (switching) {
    expect_only_typed_errors([&] { (void)parse_switching(f, shipped_vocabulary()); });
  } else if (vocabulary) {
    expect_only_typed_errors([&] { (void)parse_vocabulary(f); });
  } else {
    expect_only_typed_errors([&] { (void)parse_monograph(f, shipped_vocabulary()); });
  }
}

} // namespace titrate::fuzz
