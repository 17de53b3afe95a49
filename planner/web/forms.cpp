#include "planner/web/forms.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <nlohmann/json.hpp>

namespace titrate::web {

namespace {
bool blank(const std::string &s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}
} // namespace

std::string form_field(const FormFields &fields, const std::string &name) {
  const auto it = fields.lower_bound(name); // equal_range(name).first
  return it != fields.end() && it->first == name ? it->second : std::string();
}

ScoreEntry score_from_form(const FormFields &fields, const LocalDateTime &now, Date today) {
  return make_score_entry(form_field(fields, "score"), now, form_field(fields, "note"), today);
}

AdverseEffect adverse_effect_from_form(const FormFields &fields, const LocalDateTime &now,
                                       Date today) {
  return make_adverse_effect(form_field(fields, "description"), form_field(fields, "severity"), now,
                             today);
}

PlanDraftForm plan_draft_from_form(const FormFields &fields) {
  PlanDraftForm f;
  f.start = parse_date(form_field(fields, "start"), "start");
  f.pathway = form_field(fields, "pathway");
  if (const std::string prefer = form_field(fields, "prefer"); !blank(prefer))
    f.prefer = prefer;
  f.submit = form_field(fields, "submit") == "1";
  return f;
}

ScoreEntry score_from_json(std::string_view body, const LocalDateTime &now, Date today) {
  nlohmann::json in;
  try {
    in = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception &) {
    throw InputError("body: not JSON; expected {\"at\": D, \"score\": N, \"note\": T}");
  }
  if (!in.is_object())
    throw InputError("body: expected a JSON object {\"at\", \"score\", \"note\"}");
  for (const auto &[k, val] : in.items()) {
    if (k != "at" && k != "score" && k != "note") {
      throw InputError("body: unknown field \"" + printable(k, 32) +
                       "\"; expected at, score, note");
    }
  }
  if (!in.contains("score"))
    throw InputError("score: missing; expected a whole number 0-10");
  const auto &sv = in["score"];
  std::string score_text;
  if (sv.is_number_integer())
    score_text = sv.dump();
  else if (sv.is_string())
    score_text = sv.get<std::string>();
  else
    throw InputError("score: " + printable(sv.dump(), 32) + " is not a whole number 0-10");
  std::optional<std::string> at;
  if (in.contains("at") && !in["at"].is_null()) {
    if (!in["at"].is_string())
      throw InputError("at: expected \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM\"");
    at = in["at"].get<std::string>();
  }
  std::string note;
  if (in.contains("note") && !in["note"].is_null()) {
    if (!in["note"].is_string())
      throw InputError("note: expected text");
    note = in["note"].get<std::string>();
  }
  const LocalDateTime when = at ? parse_local_datetime(*at, "at") : now;
  return make_score_entry(score_text, when, note, today);
}

} // namespace titrate::web
