#include "planner/cli/export_cli.hpp"

#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/csv.hpp"
#include "planner/export/fhir.hpp"
#include "planner/export/ics.hpp"
#include "planner/export/pdf.hpp"
#include "planner/export/svg.hpp"
#include "planner/export/text.hpp"
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
  for (const char *f : {"text", "csv", "ics", "fhir", "svg", "scores-csv", "pdf"})
    if (format == f) return;
  throw InputError("--format: \"" + format.substr(0, 32) +
                   "\" is not a format; expected text, csv, ics, fhir, svg, scores-csv or pdf");
}

void add_handout_options(CLI::App *cmd, HandoutFlags &flags, const std::string &with) {
  cmd->add_option("--paper", flags.paper, "With " + with + ": a4 (default) or letter");
  cmd->add_flag("--large-print", flags.large_print, "With " + with + ": body text 16 pt");
  cmd->add_option("--clinic-name", flags.clinic_name,
                  "With " + with + ": the clinic's name (default: a line to write on)");
  cmd->add_option("--clinic-phone", flags.clinic_phone,
                  "With " + with + ": the clinic's telephone (default: a line to write on)");
}

HandoutOptions handout_options(const HandoutFlags &flags, const std::string &format) {
  HandoutOptions o;
  if (!flags.paper.empty()) o.paper = parse_paper(flags.paper);
  o.large_print = flags.large_print;
  o.clinic_name = flags.clinic_name;
  o.clinic_phone = flags.clinic_phone;
  if (format != "pdf" && (!flags.paper.empty() || flags.large_print ||
                          !flags.clinic_name.empty() || !flags.clinic_phone.empty())) {
    throw InputError("--paper, --large-print, --clinic-name and --clinic-phone: go with --format "
                     "pdf, not --format " + (format.empty() ? std::string("(none)") : format.substr(0, 32)));
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
  if (zone.empty() || zone == "Etc/UTC" || zone == "UTC0" || zone == "Etc/GMT" ||
      zone == "GMT" || zone == "Universal" || zone == "Etc/Universal" || zone == "Zulu") {
    zone = "UTC";
  }
  time_zone_rules(zone, field); // throws InputError naming the zone and the supported ones
  return zone;
}

LocalDateTime utc_stamp(const std::string &stamp) {
  // Stored as "YYYY-MM-DDTHH:MM:SSZ"; minutes are enough for DTSTAMP and FHIR timestamps.
  if (stamp.size() >= 16) return parse_local_datetime(stamp.substr(0, 16), "stored time");
  return parse_local_datetime(stamp, "stored time");
}

namespace {

LocalDateTime shift(const LocalDateTime &t, int minutes) {
  int m = t.minute_of_day + minutes;
  Date d = t.date;
  while (m < 0) {
    m += 24 * 60;
    d -= Days(1);
  }
  while (m >= 24 * 60) {
    m -= 24 * 60;
    d += Days(1);
  }
  return {d, m};
}

} // namespace

LocalDateTime to_local_time(const std::string &zone, const LocalDateTime &utc) {
  const auto &tz = time_zone_rules(zone);
  const LocalDateTime guess = shift(utc, tz.standard_offset_minutes);
  return shift(utc, utc_offset_minutes(tz, guess));
}

namespace {

void write_format(std::ostream &out, const std::string &format, const ExportInput &in,
                  const HandoutOptions &handout) {
  if (format == "text") write_text(out, in);
  else if (format == "csv") write_schedule_csv(out, in);
  else if (format == "ics") write_ics(out, in);
  else if (format == "fhir") write_fhir(out, in);
  else if (format == "svg") write_svg(out, in);
  else if (format == "scores-csv") write_scores_csv(out, in.patient.id, in.scores);
  else if (format == "pdf") write_pdf(out, in, handout);
  else validate_format(format);
}

} // namespace

namespace {

ReviewState stored_review_state(const PlanVersion &v, const std::vector<Review> &reviews) {
  switch (v.status) {
  case PlanStatus::draft: return ReviewState::draft;
  case PlanStatus::submitted: return ReviewState::submitted;
  case PlanStatus::approved: return ReviewState::approved;
  case PlanStatus::rejected: return ReviewState::rejected;
  case PlanStatus::superseded:
    // Superseded after approval stays an approved (historical) version; else it was a draft.
    for (const auto &r : reviews)
      if (r.version == v.version && r.verdict == Verdict::approved) return ReviewState::approved;
    return ReviewState::draft;
  }
  return ReviewState::draft;
}

} // namespace

StoredExport load_stored_export(Context &ctx, Repository &repo, const std::string &id, int version,
                                const std::string &zone) {
  PatientRecord rec = require_patient(repo, id);
  std::optional<PlanVersion> v;
  if (version > 0) {
    v = repo.plan_version(id, version);
    if (!v) {
      throw NotFoundError("--version: patient " + id + " has no plan version " +
                          std::to_string(version));
    }
  } else {
    v = repo.active_plan(id);
    if (!v) {
      auto all = repo.plan_versions(id);
      if (all.empty()) throw NotFoundError("patient " + id + ": no plan to export");
      v = all.back();
    }
  }
  const auto reviews = repo.reviews(id);
  const Pathway *pw = nullptr;
  for (const auto &p : ctx.pathways())
    if (p.name == v->plan.pathway) pw = &p;

  ExportContext ec;
  ec.plan_version = v->version;
  ec.review = stored_review_state(*v, reviews);
  ec.time_zone = zone;
  std::string stamp = v->submitted_at.value_or(v->drafted_at);
  for (const auto &r : reviews) {
    if (r.version != v->version) continue;
    stamp = r.at;
    if (r.verdict == Verdict::approved) {
      ec.approved_by = r.pharmacist;
      ec.approved_at = to_local_time(zone, utc_stamp(r.at));
    }
  }
  ec.now_utc = utc_stamp(stamp);
  if (pw) ec.response_pct = pw->decisions.response_pct.value;
  const auto decisions = repo.decisions(id);
  if (!decisions.empty() && decisions.back().assessment.baseline) {
    ec.baseline = decisions.back().assessment.baseline;
  }
  return StoredExport{std::move(*v), std::move(rec), repo.scores(id), std::move(ec)};
}

void write_export(Context &ctx, const std::string &format, const ExportInput &in,
                  const std::string &out_file, const HandoutOptions &handout) {
  validate_format(format);
  // Render fully first: a writer that refuses (bad zone, bad version) leaves nothing behind.
  std::ostringstream rendered;
  write_format(rendered, format, in, handout);
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
