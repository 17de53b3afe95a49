#pragma once
// The PDF handout as a module (planner/core/plugin.hpp): cairo, pango and libqrencode are mapped
// only by a command that writes a PDF. The titrate executable loads titrate-pdf.so
// (pdf_module_loaded.cpp); test executables link the drawing code in (pdf_module_linked.cpp).
// write_pdf and qr_modules (pdf.hpp) call through pdf_module().
#include "planner/export/export_context.hpp"

#include <ostream>
#include <string_view>
#include <vector>

namespace titrate {

struct PdfModule {
  // The titrate version the module was built with and the size of this table (plugin.hpp).
  const char *version;
  unsigned long table_size;
  void (*write_pdf)(std::ostream &out, const ExportInput &in, const HandoutOptions &o);
  std::vector<std::vector<bool>> (*qr_modules)(std::string_view text);
};

// The drawing code's table (pdf.cpp, in the module and in the linked provider).
const PdfModule &pdf_module_table();
// The table, loading the module on first use where titrate is built that way (RefusedError
// when it is missing or from another build).
const PdfModule &pdf_module();

} // namespace titrate

// The module's entry point (a C name, for dlsym).
extern "C" const titrate::PdfModule *titrate_pdf_module();
