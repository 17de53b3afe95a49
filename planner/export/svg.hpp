#pragma once
// The pain chart (SVG 1.1, valid XML): each score as a point and the daily means as a line on
// the 0-10 scale, the baseline and the response line (baseline less response_pct %), a band per
// stage labelled with drug and daily dose, and the assessment dates marked. A viewBox without
// fixed size, so it scales to the width of an A4 page or a phone. Pure and deterministic.
#include "planner/export/export_context.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace titrate {

void write_svg(std::ostream &out, const ExportInput &in);

// XML escaping of text and attribute values: & < > " ' (escape_markup, planner/core/text.hpp, in
// its XML dialect: control characters but tab and newline become a space).
std::string xml_escape(std::string_view text);

} // namespace titrate
