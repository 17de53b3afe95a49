#pragma once
// What `export ID`, `patient invite --handout` and `plan --patient-file ... --format` share: the
// format check, the handout options, a stored version's export input (planner/app/plans.hpp) and
// writing to -o FILE atomically (a temp file renamed into place, so a
// refused export writes nothing) or to stdout.
#include "planner/cli/context.hpp"
#include "planner/export/export_context.hpp"
#include "planner/export/pdf.hpp"
#include "planner/store/repository.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace titrate::cli {

// One of export_formats() (planner/export/registry.hpp); InputError naming --format otherwise.
void validate_format(const std::string &format);
// --tz, else $TZ, else /etc/timezone, else UTC ("Etc/UTC" reads as UTC). InputError (naming
// the supported zones) if the exporters do not know it.
std::string export_time_zone(const std::string &tz_option);
// The PDF handout's options as typed (--paper, --large-print, --clinic-name, --clinic-phone),
// shared by `export` and `plan`.
struct HandoutFlags {
  std::string paper;
  bool large_print = false;
  std::string clinic_name;
  std::string clinic_phone;
};
void add_handout_options(CLI::App *cmd, HandoutFlags &flags,
                         const std::string &with = "--format pdf");
// An export as typed, shared by `export` (--format required) and `plan` (--format optional: the
// plan text otherwise): --format F, -o FILE, --tz ZONE, then the handout's options.
struct ExportFlags {
  std::string format;
  std::string out_file;
  std::string tz;
  HandoutFlags handout;
};
void add_export_options(CLI::App *cmd, ExportFlags &flags, bool format_required);
// Checks the flags against the format (they go with --format pdf only; --paper a4|letter):
// InputError naming the bad value and what was expected.
HandoutOptions handout_options(const HandoutFlags &flags, const std::string &format);
// A stored plan version ready to export (`export ID`, `patient invite ID --handout`): version
// `version` (0: the active approved one, else the latest) with the patient's scores; the
// generation time is the version's last review (or drafting) time, so two exports of one version
// are byte-identical. NotFoundError (exit 3) for no such version or no plan.
struct StoredExport {
  PlanVersion version;
  PatientRecord record;
  std::vector<ScoreEntry> scores;
  ExportContext context;
  ExportInput input(Context &ctx) const {
    return ExportInput{version.plan, record.patient, ctx.formulary(), scores, context};
  }
};
StoredExport load_stored_export(Context &ctx, Repository &repo, const std::string &id, int version,
                                const std::string &zone);
// Writes one format of `in` to `out_file` (atomically) or to ctx.out when empty.
void write_export(Context &ctx, const std::string &format, const ExportInput &in,
                  const std::string &out_file, const HandoutOptions &handout = {});

} // namespace titrate::cli
