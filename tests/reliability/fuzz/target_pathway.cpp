// The pathway fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/pathways/pathway.hpp"

#include <algorithm>
#include <filesystem>

namespace titrate::fuzz {

const Formulary &shipped_formulary() {
  static const Formulary f = [] {
    std::vector<TextFile> files;
    for (const auto &e :
         std::filesystem::directory_iterator(std::string(TITRATE_SOURCE_DIR) + "/formulary")) {
      if (e.path().extension() != ".toml")
        continue;
      const std::string rel = "formulary/" + e.path().filename().string();
      files.push_back({rel, shipped_file(rel.c_str())});
    }
    std::sort(files.begin(), files.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    try {
      return load_formulary(files);
    } catch (const Error &) {
      return Formulary{};
    }
  }();
  return f;
}

// Odd sizes take the collecting path of `pathway check` (it reads on past a fault), even sizes the
// throwing path of every other command; one parse per input keeps the fuzzer's speed.
void pathway(std::string_view bytes) {
  const TextFile file{"schedules/p.toml", std::string(bytes)};
  if (bytes.size() % 2 == 1) {
    expect_only_typed_errors([&] { (void)check_pathways({file}, shipped_formulary()); });
    return;
  }
  expect_only_typed_errors([&] {
    const Pathway p = parse_pathway(file, shipped_formulary());
    // What a parsed pathway promises (pathway.hpp): drugs of the formulary, first-line among them.
    fuzz_check(!p.drugs.empty(), "pathway without drugs");
    for (const auto &d : p.drugs)
      fuzz_check(shipped_formulary().find(d) != nullptr, "unknown drug");
    for (const auto &d : p.first_line) {
      fuzz_check(std::find(p.drugs.begin(), p.drugs.end(), d) != p.drugs.end(),
                 "first-line drug not in the pathway");
    }
  });
}

} // namespace titrate::fuzz
