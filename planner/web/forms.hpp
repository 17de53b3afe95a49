#pragma once
// What the web's form and JSON bodies mean (a pain score, a side effect, a plan draft), apart
// from the handlers so that the server and the fuzz targets (tests/reliability/fuzz) run the
// same code. Pure: decoded form fields or a request body in, values or InputError out (naming
// the field and what was expected); "now" and "today" are handed in by the caller.
#include "planner/core/date.hpp"
#include "planner/core/observations.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace titrate::web {

// Decoded form and query fields, as httplib::Params holds them.
using FormFields = std::multimap<std::string, std::string>;

// The first value of `name` ("" when absent), as httplib's Request::get_param_value gives it.
std::string form_field(const FormFields &fields, const std::string &name);

// POST /p/TOKEN/scores: `score` (0-10) and `note`, logged at `now`.
ScoreEntry score_from_form(const FormFields &fields, const LocalDateTime &now, Date today);
// POST /p/TOKEN/adverse-effects: `description` and `severity`, logged at `now`.
AdverseEffect adverse_effect_from_form(const FormFields &fields, const LocalDateTime &now,
                                       Date today);

// POST /clinic/patients/ID/plans: `start` (YYYY-MM-DD), `pathway` (a name, looked up by the
// caller), `prefer` (blank: none) and `submit` ("1": submit for review).
struct PlanDraftForm {
  Date start;
  std::string pathway;
  std::optional<std::string> prefer;
  bool submit = false;
};
PlanDraftForm plan_draft_from_form(const FormFields &fields);

// POST /api/patients/ID/scores: {"score": N or "N", "at": "YYYY-MM-DD[THH:MM]" or null,
// "note": T or null}, no other field; `at` absent or null means `now`.
ScoreEntry score_from_json(std::string_view body, const LocalDateTime &now, Date today);

} // namespace titrate::web
