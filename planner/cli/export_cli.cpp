#include "planner/cli/export_cli.hpp"

#include "planner/app/plans.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/registry.hpp"
#include "planner/export/time_zone.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <unistd.h>

namespace titrate::cli {

namespace fs = std::filesystem;

void validate_format(const std::string &format) {
  export_format(format);
}

void add_handout_options(CLI::App *cmd, HandoutFlags &flags, const std::string &with) {
  cmd->add_option("--paper", flags.paper, "With " + with + ": a4 (default) or letter");
  cmd->add_flag("--large-print", flags.large_print, "With " + with + ": body text 16 pt");
  cmd->add_option("--clinic-name", flags.clinic_name,
                  "With " + with + ": the clinic's name (default: a line to write on)");
  cmd->add_option("--clinic-phone", flags.clinic_phone,
                  "With " + with + ": the clinic's telephone (default: a line to write on)");
}

void add_export_options(CLI::App *cmd, ExportFlags &flags, bool format_required) {
  CLI::Option *format =
      cmd->add_option("--format", flags.format,
                      (format_required ? "" : "Write an export instead: ") + export_format_names());
  if (format_required)
    format->required();
  cmd->add_option("-o,--output", flags.out_file,
                  "Write the export to FILE (atomically) instead of stdout");
  cmd->add_option("--tz", flags.tz, "Time zone of ics and fhir times (default: the system zone)");
  add_handout_options(cmd, flags.handout);
}

HandoutOptions handout_options(const HandoutFlags &flags, const std::string &format) {
  HandoutOptions o;
  if (!flags.paper.empty())
    o.paper = parse_paper(flags.paper);
  o.large_print = flags.large_print;
  o.clinic_name = flags.clinic_name;
  o.clinic_phone = flags.clinic_phone;
  if (format != "pdf" && (!flags.paper.empty() || flags.large_print || !flags.clinic_name.empty() ||
                          !flags.clinic_phone.empty())) {
    throw InputError("--paper, --large-print, --clinic-name and --clinic-phone: go with --format "
                     "pdf, not --format " +
                     (format.empty() ? std::string("(none)") : format.substr(0, 32)));
  }
  return o;
}

std::string export_time_zone(const std::string &tz_option) {
  std::string zone = tz_option;
  std::string field = "--tz";
  if (zone.empty()) {
    if (const char *tz = std::getenv("TZ"); tz && *tz) {
      zone = tz[0] == ':' ? tz + 1 : tz;
      field = "TZ (the system zone; give --tz)";
    } else {
      std::ifstream in("/etc/timezone");
      std::getline(in, zone);
      field = "/etc/timezone (the system zone; give --tz)";
    }
  }
  if (zone.empty() || zone == "Etc/UTC" || zone == "UTC0" || zone == "Etc/GMT" || zone == "GMT" ||
      zone == "Universal" || zone == "Etc/Universal" || zone == "Zulu") {
    zone = "UTC";
  }
  time_zone_rules(zone, field); // throws InputError naming the zone and the supported ones
  return zone;
}

StoredExport load_stored_export(Context &ctx, Repository &repo, const std::string &id, int version,
                                const std::string &zone) {
  PatientRecord rec = require_patient(repo, id);
  PlanVersion v =
      app::version_to_show(repo, id, version > 0 ? std::optional<int>(version) : std::nullopt);
  ExportContext ec = app::export_context(repo, v, rec.patient, ctx.pathways(), zone);
  return StoredExport{std::move(v), std::move(rec), repo.scores(id), std::move(ec)};
}

void write_export(Context &ctx, const std::string &format, const ExportInput &in,
                  const std::string &out_file, const HandoutOptions &handout) {
  const ExportFormat &writer = export_format(format);
  ExportContext context = in.context;
  context.handout = handout;
  // Render fully first: a writer that refuses (bad zone, bad version) leaves nothing behind.
  std::ostringstream rendered;
  writer.write(rendered, ExportInput{in.plan, in.patient, in.formulary, in.scores, context});
  if (out_file.empty()) {
    ctx.out << rendered.str();
    return;
  }
  const fs::path target(out_file);
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw InputError("-o: " + out_file + " is a directory; expected a file name");
  }
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (!fs::is_directory(dir, ec)) {
    throw InputError("-o: the folder " + dir.string() + " does not exist");
  }
  const fs::path tmp = dir / (".titrate-export-" + std::to_string(::getpid()) + ".tmp");
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << rendered.str();
    f.flush();
    if (!f) {
      fs::remove(tmp, ec);
      throw InputError("-o: cannot write " + out_file);
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError("-o: cannot write " + out_file + ": " + ec.message());
  }
  if (!ctx.opt.json)
    ctx.err << "wrote " << out_file << "\n";
}

} // namespace titrate::cli
