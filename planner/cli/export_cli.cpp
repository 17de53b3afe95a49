#include "planner/cli/export_cli.hpp"

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

void validate_format(const std::string &format) { export_format(format); }

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
  if (zone.empty() || zone == "Etc/UTC" || zone == "UTC0" || zone == "Etc/GMT" ||
      zone == "GMT" || zone == "Universal" || zone == "Etc/Universal" || zone == "Zulu") {
    zone = "UTC";
  }
  time_zone_rules(zone, field); // throws InputError naming the zone and the supported ones
  return zone;
}

void write_export(Context &ctx, const std::string &format, const ExportInput &in,
                  const std::string &out_file) {
  const ExportFormat &writer = export_format(format);
  // Render fully first: a writer that refuses (bad zone, bad version) leaves nothing behind.
  std::ostringstream rendered;
  writer.write(rendered, in);
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
  if (!ctx.opt.json) ctx.err << "wrote " << out_file << "\n";
}

} // namespace titrate::cli
