// The shipped vocabulary for the patient-file and formulary fuzz entries (targets.hpp).
#include "planner/formulary/loader.hpp"
#include "tests/reliability/fuzz/targets.hpp"

namespace titrate::fuzz {

const Vocabulary &shipped_vocabulary() {
  static const Vocabulary v = [] {
    try {
      return parse_vocabulary(
          {"formulary/vocabulary.toml", shipped_file("formulary/vocabulary.toml")});
    } catch (const Error &) {
      return Vocabulary{};
    }
  }();
  return v;
}

} // namespace titrate::fuzz
