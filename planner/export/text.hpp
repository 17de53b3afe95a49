#pragma once
// The printable schedule a patient takes home: for each run of days, what to take at each time
// of day (strength x count), the assessment dates and the pharmacist's approval. Wording follows
// ISMP (clinical.md F): no trailing or naked decimal zeros, commas from 1,000, words not
// abbreviations or symbols, tall man where the monograph has one. Pure and deterministic.
#include "planner/export/export_context.hpp"

#include <ostream>

namespace titrate {

// Plain UTF-8 text, LF line ends. Throws InputError for a bad context (export_common).
void write_text(std::ostream &out, const ExportInput &in);

} // namespace titrate
