#pragma once
// Every export format in one table: its name (what --format takes), its writer, the media type a
// web response carries, the file extension and a line of help. The CLI's --format check and help,
// the web's export route and docs/cli.md's list all come from here (tests/export/registry_test
// checks the docs against it), so a new format is one row and its writer.
#include "planner/export/export_context.hpp"

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace titrate {

struct ExportFormat {
  std::string_view name;       // "ics"
  std::string_view media_type; // "text/calendar; charset=utf-8"
  std::string_view extension;  // "ics"
  std::string_view help;       // "a calendar (RFC 5545) with a reminder at each dose time"
  void (*write)(std::ostream &out, const ExportInput &in);
};

std::span<const ExportFormat> export_formats();
// The format named `name`; InputError naming `field`, the value and every format otherwise.
const ExportFormat &export_format(std::string_view name, std::string_view field = "--format");
// "text | csv | ics | fhir | svg | scores-csv" (with `separator` between names).
std::string export_format_names(std::string_view separator = " | ");

} // namespace titrate
