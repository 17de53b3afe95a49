#pragma once
// Internal to planner/web: the clinic forms' pieces shared by clinic_forms.cpp and
// clinic_records.cpp (labelled inputs, a select, the way back to the patient). Each returns Html
// (html.hpp), every value in it escaped.
#include "planner/web/html.hpp"

#include <string>
#include <utility>
#include <vector>

namespace titrate::web {

// `s` without leading and trailing blanks.
std::string clinic_form_trim(const std::string &s);
// A labelled input (and its hint under the label, tied by aria-describedby).
Html clinic_text_input(const std::string &name, const std::string &label, const std::string &value,
                       const std::string &hint = {}, const std::string &type = "text");
// A labelled select of (value, text) options with `chosen` selected.
Html clinic_select(const std::string &name, const std::string &label,
                   const std::vector<std::pair<std::string, std::string>> &options,
                   const std::string &chosen);
// "Back to patient ID", a link to the patient's page.
Html clinic_back_link(const std::string &id);

} // namespace titrate::web
