// The handout's options and the calls into the drawing module (pdf.hpp, pdf_module.hpp): this
// file needs no cairo, so every command but the ones writing a PDF starts without it.
#include "planner/core/errors.hpp"
#include "planner/export/pdf.hpp"
#include "planner/export/pdf_module.hpp"

namespace titrate {

// For executables that neither link the drawing code in nor load it (most test executables,
// which then start without cairo and pango): writing a PDF is refused. pdf_module_loaded.cpp
// and pdf_module_linked.cpp define the real one, which the linker takes over this weak one.
[[gnu::weak]] const PdfModule &pdf_module() {
  throw RefusedError("cannot write a PDF handout: this program was built without the PDF "
                     "drawing code");
}

Paper parse_paper(std::string_view text) {
  if (text == "a4")
    return Paper::a4;
  if (text == "letter")
    return Paper::letter;
  throw InputError("--paper: \"" + std::string(text.substr(0, 32)) +
                   "\" is not a paper size; expected a4 or letter");
}

double handout_body_points(const HandoutOptions &o) {
  return o.large_print ? 16.0 : 11.0;
}

void write_pdf(std::ostream &out, const ExportInput &in, const HandoutOptions &o) {
  pdf_module().write_pdf(out, in, o);
}

std::vector<std::vector<bool>> qr_modules(std::string_view text) {
  return pdf_module().qr_modules(text);
}

} // namespace titrate
