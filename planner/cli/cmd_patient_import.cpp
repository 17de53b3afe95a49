// `titrate patient import ID --fhir FILE.json`: creates a patient from an EHR's FHIR
// R4 Bundle (searchset, collection or an International Patient Summary document) read by
// planner/ehr, each value keeping its resource, id and date (shown by `patient show`). Labs older
// than the project rule (formulary/ehr/codes.toml) are cautions; unknown codes are listed as not
// checked; everything is validated before the database is opened, so bad input writes nothing.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/ehr/fhir_input.hpp"
#include "planner/formulary/patient_file.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

ehr::EhrCodes load_ehr_codes(Context &ctx) {
  const TextFile f = read_text_file(ctx.formulary_dir() + "/ehr/codes.toml", "EHR code map");
  return ehr::parse_ehr_codes(f.text, f.name, ctx.formulary());
}

namespace {

void run_import(Context &ctx, const std::string &id, const std::string &file) {
  require_role(ctx, app::Permission::change_patient, "patient import");
  const Actor who = actor(ctx);
  validate_patient_id(id);
  const ehr::EhrCodes codes = load_ehr_codes(ctx);
  const TextFile text = read_text_file(file, "--fhir");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.text);
  } catch (const nlohmann::json::parse_error &e) {
    throw InputError("--fhir " + file + ": not JSON (" + e.what() +
                     "); expected a FHIR R4 Bundle in JSON");
  }
  if (!doc.is_object() || doc.value("resourceType", "") != "Bundle") {
    throw InputError("--fhir " + file +
                     ": not a FHIR Bundle; expected {\"resourceType\": "
                     "\"Bundle\", \"type\": \"searchset\" | \"collection\" | \"document\", ...}");
  }
  ehr::FhirReader reader(codes, ctx.today());
  reader.add(doc, file);
  const ehr::FhirInput &in = reader.input();
  Patient p = ehr::to_patient(in, id, codes);
  try {
    validate_patient(p, ctx.today());
    validate_vocabulary_terms(p, ctx.formulary().vocabulary);
  } catch (const InputError &e) {
    throw InputError("--fhir " + file + ": " + e.what());
  }
  const auto cautions = reader.cautions();
  auto repo = open_store(ctx, StoreMode::create);
  int version = 0;
  repo->atomically([&] {
    version = repo->add_patient(p, who);
    repo->append_audit(who, "patient.import", id,
                       "from FHIR " + in.patient_resource + " (" +
                           std::to_string(p.sources.size()) + " values with provenance, " +
                           std::to_string(in.not_checked.size()) + " not checked)");
  });
  if (ctx.opt.json) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto &s : p.sources) {
      sources.push_back(
          {{"field", s.field}, {"resource", s.resource}, {"date", s.date}, {"note", s.note}});
    }
    ctx.print_json({{"patient", id},
                    {"version", version},
                    {"sources", sources},
                    {"cautions", cautions},
                    {"not_checked", in.not_checked},
                    {"allergies", in.allergies},
                    {"ignored", in.ignored}});
    return;
  }
  auto &out = ctx.out;
  out << "imported patient " << id << " (profile version " << version << ") from " << file << " ("
      << in.patient_resource << ")\n";
  for (const auto &s : p.sources) {
    out << "  " << s.field << ": " << s.resource << (s.date.empty() ? "" : " of " + s.date)
        << (s.note.empty() ? "" : " (" + s.note + ")") << "\n";
  }
  for (const auto &c : cautions)
    out << "caution: " << c << "\n";
  for (const auto &a : in.allergies) {
    out << "allergy (shown, not stored; titrate has no allergy rule): " << a << "\n";
  }
  for (const auto &n : in.not_checked)
    out << "not checked: " << n << "\n";
  if (!in.ignored.empty())
    out << "not used: " << in.ignored.size() << " resource(s)";
  for (std::size_t i = 0; i < in.ignored.size(); ++i) {
    out << (i == 0 ? " (" : "; ") << in.ignored[i] << (i + 1 == in.ignored.size() ? ")" : "");
  }
  if (!in.ignored.empty())
    out << "\n";
}

} // namespace

void add_patient_import_command(CLI::App *patient, Context &ctx) {
  auto id = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  CLI::App *imp = patient->add_subcommand(
      "import", "Create a patient from an EHR's FHIR R4 Bundle, with provenance (clinician)");
  imp->add_option("ID", *id, "The clinic's ID for the new patient")->required();
  imp->add_option("--fhir", *file, "FHIR R4 Bundle (JSON): searchset, collection or IPS document")
      ->required();
  imp->callback([&ctx, id, file] { run_import(ctx, *id, *file); });
}

} // namespace titrate::cli
