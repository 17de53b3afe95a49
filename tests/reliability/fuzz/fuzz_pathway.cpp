// libFuzzer entry for titrate::fuzz::pathway (targets.hpp); built and run by run.sh.
#include "tests/reliability/fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  titrate::fuzz::pathway(std::string_view(reinterpret_cast<const char *>(data), size));
  return 0;
}
