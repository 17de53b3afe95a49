// libFuzzer entry for titrate::fuzz::web_json (targets.hpp); built and run by run.sh.
#include "tests/reliability/fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  titrate::fuzz::web_json(std::string_view(reinterpret_cast<const char *>(data), size));
  return 0;
}
