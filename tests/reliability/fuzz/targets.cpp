// What the fuzz entries share: the invariant check and the shipped vocabulary.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace titrate::fuzz {

void fuzz_check(bool ok, const char *what) {
  if (ok)
    return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

bool message_is_utf8(const char *message) {
  return is_valid_utf8(message);
}

std::string shipped_file(const char *relative_path) {
  std::ifstream in(std::string(TITRATE_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace titrate::fuzz
