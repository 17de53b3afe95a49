// The export formats are one table (planner/export/registry): docs/cli.md's `export` heading and
// docs/exports.md list exactly its formats, and an unknown name is refused naming them all.
#include "planner/core/errors.hpp"
#include "planner/export/registry.hpp"
#include "tests/common/thrown.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace {

std::string read_doc(const std::string &name) {
  std::ifstream in(std::string(TITRATE_EXPORT_TESTS) + "/../../docs/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

TEST_CASE("registry: docs/cli.md's export heading lists every format, in the table's order") {
  const std::string cli = read_doc("cli.md");
  REQUIRE_FALSE(cli.empty());
  const std::string head = "### `titrate export ID --format ";
  const auto at = cli.find(head);
  REQUIRE(at != std::string::npos);
  const auto from = at + head.size();
  const std::string listed = cli.substr(from, cli.find(' ', from) - from);
  CHECK(listed == titrate::export_format_names("|"));
  CHECK(listed == "text|csv|ics|fhir|svg|scores-csv|pdf");
  const std::string exports = read_doc("exports.md");
  for (const auto &f : titrate::export_formats()) {
    INFO(f.name);
    CHECK(exports.find("`" + std::string(f.name) + "`") != std::string::npos);
    CHECK_FALSE(f.media_type.empty());
    CHECK(f.write != nullptr);
  }
}

TEST_CASE("registry: an unknown format is bad input naming the field and every format") {
  CHECK(titrate::export_format("ics").extension == "ics");
  CHECK(titrate::test::thrown_message<titrate::InputError>(
            [] { titrate::export_format("pdfx", "--format"); }, "(pdfx was accepted)") ==
        "--format: \"pdfx\" is not a format; expected text, csv, ics, fhir, svg, scores-csv, pdf");
}
