#pragma once
// Server-rendered HTML: ONE escape function for every value shown (text and attribute values
// alike), and the page frame (viewport meta for phones, the style sheet, no script needed).
#include <string>
#include <string_view>

namespace titrate::web {

// & < > " ' -> entities (escape_markup, planner/core/text.hpp, in its HTML dialect). Every value
// from the store or a request goes through this.
std::string esc(std::string_view text);

// A whole document: <title>, the style sheet, a header (with a logout form when `csrf` is not
// empty: staff pages) and `body` (already escaped HTML). The header links the sections of `role`
// only (clinician: Clinic; pharmacist: Pharmacy; empty: both, for a caller that does not say).
std::string page(std::string_view title, const std::string &body, std::string_view user = {},
                 std::string_view csrf = {}, std::string_view role = {});

// <input type="hidden" name="csrf" value="..."> for staff forms.
std::string csrf_field(std::string_view csrf);

} // namespace titrate::web
