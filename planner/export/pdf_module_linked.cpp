// pdf_module() for executables that link the drawing code in (the tests).
#include "planner/export/pdf_module.hpp"

namespace titrate {

const PdfModule &pdf_module() {
  return pdf_module_table();
}

} // namespace titrate
