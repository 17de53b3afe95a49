#pragma once
// The patient handout: the text export's schedule drawn as a printable PDF with cairo
// and pango. A step table per run of days (morning, midday, evening and bedtime columns with a
// capsule or tablet pictogram and the count), a diary per month (a tick box per planned dose, a
// 0 to 10 pain box per day, assessment dates marked), stopping and side effects from the
// monograph with their source. Every word comes from the words module (words.hpp), so the
// handout and the text export never disagree. Deterministic bytes: the creation date is the
// context's generation time (the plan version's time), fonts are embedded subsets (cairo).
// Units: PDF points (1/72 inch); font sizes in points.
#include "planner/export/export_context.hpp"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// Paper, parse_paper and HandoutOptions: export_context.hpp (every writer is handed them in the
// context; only this one reads them).

// The body text size in points for these options (11, or 16 in large print).
double handout_body_points(const HandoutOptions &o);

// Writes the PDF. Throws InputError for a bad context (export_common), std::runtime_error when
// cairo fails (a bug or no memory).
void write_pdf(std::ostream &out, const ExportInput &in, const HandoutOptions &o);

// The QR code modules of `text` (libqrencode, error correction level M, 8-bit mode), row by row;
// true is a dark module. Throws std::runtime_error when the text cannot be encoded.
std::vector<std::vector<bool>> qr_modules(std::string_view text);

} // namespace titrate
