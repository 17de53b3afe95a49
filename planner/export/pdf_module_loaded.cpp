// pdf_module() for the titrate executable: titrate-pdf.so is loaded the first time a PDF is
// written (planner/core/plugin.hpp).
#include "planner/export/pdf_module.hpp"

#include "planner/core/plugin.hpp"

namespace titrate {

const PdfModule &pdf_module() {
  return load_module_table<PdfModule>("pdf", "titrate_pdf_module", "write a PDF handout");
}

} // namespace titrate
