#include "planner/export/fhir.hpp"

#include "planner/core/enum_words.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/time_zone.hpp"
#include "planner/export/words.hpp"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>

namespace titrate {

using namespace export_detail;
using Json = nlohmann::ordered_json;

// R4 MedicationRequest.status of each review state: only an approved plan is active.
std::string_view fhir_medication_request_status(ReviewState r) {
  using enum ReviewState;
  static constexpr std::array<EnumWord<ReviewState>, 4> statuses{
      {{draft, "draft"}, {submitted, "draft"}, {approved, "active"}, {rejected, "cancelled"}}};
  return enum_word(statuses, r, "draft");
}

std::string name_uuid(std::string_view name) {
  boost::uuids::name_generator_sha1 gen(boost::uuids::ns::url());
  return boost::uuids::to_string(gen(name.data(), name.size()));
}

namespace {

constexpr const char *kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr const char *kUcum = "http://unitsofmeasure.org";
constexpr const char *kLoinc = "http://loinc.org";
constexpr const char *kCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

// R4 EventTiming codes (value set event-timing): HS = "prior to sleep".
std::string_view event_timing(AdminTime t) {
  using enum AdminTime;
  static constexpr std::array<EnumWord<AdminTime>, 4> codes{
      {{morning, "MORN"}, {midday, "NOON"}, {evening, "EVE"}, {bedtime, "HS"}}};
  return enum_word(codes, t, "MORN");
}

Json quantity_mg(Dose d) {
  Json q;
  if (d.is_whole_mg())
    q["value"] = d.whole_mg();
  else
    q["value"] = d.mg();
  q["unit"] = "mg";
  q["system"] = kUcum;
  q["code"] = "mg";
  return q;
}

std::string fhir_datetime(const TimeZoneRules &tz, const LocalDateTime &t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:00", t.minute_of_day / 60, t.minute_of_day % 60);
  return iso(t.date) + buf + offset_text(utc_offset_minutes(tz, t));
}

std::string fhir_instant_utc(const LocalDateTime &t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:00Z", t.minute_of_day / 60, t.minute_of_day % 60);
  return iso(t.date) + buf;
}

Json entry(const std::string &uuid, Json resource) {
  Json e;
  e["fullUrl"] = "urn:uuid:" + uuid;
  e["resource"] = std::move(resource);
  return e;
}

} // namespace

nlohmann::ordered_json fhir_dosage_instructions(const Formulary &f, const Stage &s,
                                                std::optional<Date> from) {
  Json dosages = Json::array();
  for (std::size_t pi = 0; pi < s.steps.size(); ++pi) {
    const Step &st = s.steps[pi];
    if (st.range.empty())
      continue;
    if (from && st.range.end() <= *from)
      continue;
    // FHIR Period.end is inclusive: the last day taken, not the half-open end.
    const Date last = st.range.end() - Days(1);
    for (const auto &a : st.doses) {
      Json d;
      d["sequence"] = pi + 1;
      d["text"] = words::administration(f, s.drug, a) + ", " + words::dates(st.range) +
                  "; daily total " + st.daily.str();
      Json repeat;
      repeat["boundsPeriod"] = Json{{"start", iso(st.range.begin())}, {"end", iso(last)}};
      repeat["frequency"] = 1;
      repeat["period"] = 1;
      repeat["periodUnit"] = "d";
      repeat["when"] = Json::array({event_timing(a.time)});
      d["timing"] = Json{{"repeat", std::move(repeat)}};
      d["doseAndRate"] = Json::array({Json{{"doseQuantity", quantity_mg(a.dose)}}});
      dosages.push_back(std::move(d));
    }
  }
  return dosages;
}

void write_fhir(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  const ExportContext &c = in.context;
  const TimeZoneRules &tz = time_zone_rules(c.time_zone);
  const std::string pid = in.patient.id;
  const std::string patient_uuid = name_uuid("titrate:Patient:" + pid);
  Json subject;
  subject["reference"] = "urn:uuid:" + patient_uuid;

  Json bundle;
  bundle["resourceType"] = "Bundle";
  bundle["id"] = name_uuid("titrate:Bundle:" + pid + ":v" + std::to_string(c.plan_version));
  bundle["type"] = "collection";
  bundle["timestamp"] = fhir_instant_utc(c.now_utc);
  Json entries = Json::array();

  Json patient;
  patient["resourceType"] = "Patient";
  patient["id"] = patient_uuid;
  patient["identifier"] = Json::array({Json{{"use", "usual"}, {"value", pid}}});
  patient["gender"] = in.patient.sex == Sex::female ? "female" : "male";
  patient["birthDate"] = iso(in.patient.birth_date);
  entries.push_back(entry(patient_uuid, std::move(patient)));

  for (std::size_t si = 0; si < in.plan.stages.size(); ++si) {
    const Stage &s = in.plan.stages[si];
    const std::string uuid =
        name_uuid("titrate:MedicationRequest:" + pid + ":stage" + std::to_string(si + 1));
    Json mr;
    mr["resourceType"] = "MedicationRequest";
    mr["id"] = uuid;
    mr["status"] = fhir_medication_request_status(c.review);
    mr["intent"] = "plan";
    mr["groupIdentifier"] = Json{{"value", pid + "-plan-v" + std::to_string(c.plan_version)}};
    Json med;
    const Monograph *m = find_monograph(in.formulary, s.drug);
    if (m && !m->rxcui.empty()) {
      med["coding"] =
          Json::array({Json{{"system", kRxNorm}, {"code", m->rxcui}, {"display", s.drug}}});
    }
    med["text"] = s.drug;
    mr["medicationCodeableConcept"] = std::move(med);
    mr["subject"] = subject;
    if (c.review == ReviewState::approved && c.approved_at)
      mr["authoredOn"] = fhir_datetime(tz, *c.approved_at);
    Json notes = Json::array();
    notes.push_back(
        Json{{"text", "Stage " + std::to_string(si + 1) + ": " + std::string(role_word(s.role)) +
                          (c.plan_version == 0
                               ? std::string(". Plan not stored, a preview (")
                               : ". Plan version " + std::to_string(c.plan_version) + " (") +
                          std::string(to_string(c.review)) + ")."}});
    if (!s.note.empty())
      notes.push_back(Json{{"text", s.note}});
    mr["note"] = std::move(notes);
    Json dosages = fhir_dosage_instructions(in.formulary, s);
    if (!dosages.empty())
      mr["dosageInstruction"] = std::move(dosages);
    entries.push_back(entry(uuid, std::move(mr)));
  }

  std::size_t n = 0;
  for (const auto &sc : effective_scores(in.scores)) {
    ++n;
    const std::string key =
        sc.id != 0 ? "id" + std::to_string(sc.id) : iso(sc.at) + "#" + std::to_string(n);
    const std::string uuid = name_uuid("titrate:Observation:" + pid + ":" + key);
    Json o;
    o["resourceType"] = "Observation";
    o["id"] = uuid;
    o["status"] = "final";
    o["category"] = Json::array({Json{
        {"coding",
         Json::array({Json{{"system", kCategory}, {"code", "survey"}, {"display", "Survey"}}})}}});
    o["code"] = Json{
        {"coding",
         Json::array(
             {Json{{"system", kLoinc},
                   {"code", "72514-3"},
                   {"display", "Pain severity 0-10 verbal numeric rating [Score] - Reported"}}})},
        {"text", "Pain score (0 to 10)"}};
    o["subject"] = subject;
    o["effectiveDateTime"] = fhir_datetime(tz, sc.at);
    o["valueInteger"] = sc.score.value();
    if (!sc.note.empty())
      o["note"] = Json::array({Json{{"text", sc.note}}});
    entries.push_back(entry(uuid, std::move(o)));
  }

  bundle["entry"] = std::move(entries);
  // Replace invalid UTF-8 (from a free-text note) rather than fail the whole export.
  out << bundle.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

} // namespace titrate
