#pragma once
// What `export ID` and `plan --patient-file ... --format` share: the format check, the
// export context built from the CLI (time zone, version, review state, the version's time as
// the generation time) and writing to -o FILE atomically (a temp file renamed into place, so a
// refused export writes nothing) or to stdout.
#include "planner/cli/context.hpp"
#include "planner/export/export_context.hpp"

#include <string>

namespace titrate::cli {

// One of export_formats() (planner/export/registry.hpp); InputError naming --format otherwise.
void validate_format(const std::string &format);
// --tz, else $TZ, else /etc/timezone, else UTC ("Etc/UTC" reads as UTC). InputError (naming
// the supported zones) if the exporters do not know it.
std::string export_time_zone(const std::string &tz_option);
// Writes one format of `in` to `out_file` (atomically) or to ctx.out when empty.
void write_export(Context &ctx, const std::string &format, const ExportInput &in,
                  const std::string &out_file);

} // namespace titrate::cli
