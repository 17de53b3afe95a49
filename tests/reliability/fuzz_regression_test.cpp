// Every input in fuzz/regressions/<target>/ (crashes and hangs the fuzzers found, plus hand-made
// edge cases) runs through the same entry points as the libFuzzer targets, built here with the
// project's compiler and sanitizers: each must end in a parse or a typed titrate::Error.
#include "tests/cli/run.hpp"
#include "tests/reliability/fuzz/targets.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <map>

namespace fs = std::filesystem;

TEST_CASE("fuzz regressions: every saved input ends in a parse or a typed error") {
  const std::map<std::string, std::function<void(std::string_view)>> targets = {
      {"score_csv", titrate::fuzz::score_csv}, {"patient_file", titrate::fuzz::patient_file},
      {"formulary", titrate::fuzz::formulary}, {"date_time", titrate::fuzz::date_time},
      {"pathway", titrate::fuzz::pathway},     {"web_form", titrate::fuzz::web_form},
      {"web_json", titrate::fuzz::web_json},
  };
  const fs::path root = fs::path(TITRATE_SOURCE_DIR) / "tests/reliability/fuzz/regressions";
  int ran = 0;
  for (const auto &[name, run] : targets) {
    const fs::path dir = root / name;
    REQUIRE(fs::is_directory(dir));
    for (const auto &entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file())
        continue;
      INFO("fuzz/regressions/" << name << "/" << entry.path().filename().string());
      const std::string bytes = titrate::test::file_bytes(entry.path().string());
      CHECK_NOTHROW(run(bytes));
      ++ran;
    }
  }
  CHECK(ran >= 4);
}
