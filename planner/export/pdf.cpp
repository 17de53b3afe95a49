// The handout drawn with cairo and pango (pdf.hpp); built into the module titrate-pdf.so
// (pdf_module.hpp), so only a command that writes a PDF maps cairo, pango and what they need.
#include "planner/export/pdf.hpp"
#include "planner/export/pdf_module.hpp"

#include "planner/core/errors.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <utility>

namespace titrate {

using namespace export_detail;

std::vector<std::vector<bool>> cairo_qr_modules(std::string_view text) {
  const std::string s(text);
  QRcode *code = QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr)
    throw std::runtime_error("QR code: cannot encode the link");
  std::vector<std::vector<bool>> out(static_cast<std::size_t>(code->width));
  for (int y = 0; y < code->width; ++y)
    for (int x = 0; x < code->width; ++x)
      out[static_cast<std::size_t>(y)].push_back((code->data[y * code->width + x] & 1) != 0);
  QRcode_free(code);
  return out;
}

namespace {

// Distinctive names: the unity build concatenates this file with the other exporters.
constexpr double pdf_margin = 42; // about 15 mm

cairo_status_t pdf_stream_write(void *closure, const unsigned char *data, unsigned int length) {
  auto *out = static_cast<std::ostream *>(closure);
  out->write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(length));
  return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

struct PdfSurfaceCloser {
  void operator()(cairo_surface_t *s) const { cairo_surface_destroy(s); }
};
struct PdfCairoCloser {
  void operator()(cairo_t *c) const { cairo_destroy(c); }
};
struct PdfFontCloser {
  void operator()(PangoFontDescription *f) const { pango_font_description_free(f); }
};
struct PdfObjectCloser {
  void operator()(void *o) const { g_object_unref(o); }
};

// A cursor down the page with text and boxes; starts a new page when a block does not fit.
class HandoutPainter {
public:
  // `smallest`: no text below this size (large print: every word at least the body size).
  HandoutPainter(cairo_t *cr, double width, double height, double body, double smallest)
      : cr_(cr), width_(width), height_(height), body_(body), smallest_(smallest), y_(pdf_margin) {}

  double left() const { return pdf_margin; }
  double inner_width() const { return width_ - 2 * pdf_margin; }
  double body() const { return body_; }
  double y() const { return y_; }
  void down(double dy) { y_ += dy; }
  // Room for `h` more points above the footer; else a new page.
  void need(double h) {
    if (y_ + h > height_ - pdf_margin - 2 * body_)
      new_page();
  }
  void new_page() {
    footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = pdf_margin;
  }
  void finish() { footer(); }

  // Text wrapped to `w` at (x, y); returns its height.
  double text_at(double x, double y, double w, const std::string &s, double size, bool bold,
                 bool draw = true) {
    std::unique_ptr<PangoLayout, PdfObjectCloser> layout(pango_cairo_create_layout(cr_));
    std::unique_ptr<PangoFontDescription, PdfFontCloser> font(
        pango_font_description_from_string("DejaVu Sans"));
    pango_font_description_set_absolute_size(font.get(), std::max(size, smallest_) * PANGO_SCALE);
    if (bold)
      pango_font_description_set_weight(font.get(), PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(w * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), s.c_str(), static_cast<int>(s.size()));
    int pw = 0, ph = 0;
    pango_layout_get_size(layout.get(), &pw, &ph);
    if (draw) {
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, x, y);
      pango_cairo_show_layout(cr_, layout.get());
    }
    return static_cast<double>(ph) / PANGO_SCALE;
  }
  double text_height(double w, const std::string &s, double size, bool bold) {
    return text_at(0, 0, w, s, size, bold, false);
  }
  // A paragraph across the page at the cursor.
  void paragraph(const std::string &s, double size, bool bold = false, double after = 0) {
    const double h = text_height(inner_width(), s, size, bold);
    need(h);
    text_at(left(), y_, inner_width(), s, size, bold);
    y_ += h + after;
  }
  void box(double x, double y, double w, double h, double grey = -1, double line = 0.8) {
    cairo_rectangle(cr_, x, y, w, h);
    if (grey >= 0) {
      cairo_set_source_rgb(cr_, grey, grey, grey);
      cairo_fill_preserve(cr_);
    }
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, line);
    cairo_stroke(cr_);
  }
  // A capsule (two-tone rounded bar) or a tablet (a disc with a score line), `h` high.
  double pictogram(double x, double y, double h, Form form) {
    cairo_set_line_width(cr_, 0.8);
    if (form == Form::capsule) {
      const double w = 2.2 * h, r = h / 2;
      cairo_new_path(cr_);
      cairo_arc(cr_, x + r, y + r, r, G_PI / 2, 3 * G_PI / 2);
      cairo_line_to(cr_, x + w / 2, y);
      cairo_line_to(cr_, x + w / 2, y + h);
      cairo_close_path(cr_);
      cairo_set_source_rgb(cr_, 0.55, 0.55, 0.55);
      cairo_fill_preserve(cr_);
      cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_stroke(cr_);
      cairo_new_path(cr_);
      cairo_move_to(cr_, x + w / 2, y);
      cairo_arc(cr_, x + w - r, y + r, r, -G_PI / 2, G_PI / 2);
      cairo_line_to(cr_, x + w / 2, y + h);
      cairo_close_path(cr_);
      cairo_stroke(cr_);
      return w;
    }
    cairo_new_path(cr_);
    cairo_arc(cr_, x + h / 2, y + h / 2, h / 2, 0, 2 * G_PI);
    cairo_set_source_rgb(cr_, 0.85, 0.85, 0.85);
    cairo_fill_preserve(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_stroke(cr_);
    cairo_move_to(cr_, x + h * 0.2, y + h / 2);
    cairo_line_to(cr_, x + h * 0.8, y + h / 2);
    cairo_stroke(cr_);
    return h;
  }
  void qr(double x, double y, double size, const std::vector<std::vector<bool>> &m) {
    const double n = static_cast<double>(m.size()) + 8; // a quiet zone of 4 modules
    const double cell = size / n;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    for (std::size_t r = 0; r < m.size(); ++r)
      for (std::size_t c = 0; c < m[r].size(); ++c)
        if (m[r][c])
          cairo_rectangle(cr_, x + (static_cast<double>(c) + 4) * cell,
                          y + (static_cast<double>(r) + 4) * cell, cell, cell);
    cairo_fill(cr_);
  }

private:
  void footer() {
    const std::string line = std::string(words::phrase::footer) + "    " +
                             std::string(words::phrase::page) + std::to_string(page_);
    text_at(left(), height_ - pdf_margin - std::max(body_ * 0.8, smallest_) * 1.2, inner_width(),
            line, body_ * 0.8, false);
  }

  cairo_t *cr_;
  double width_, height_, body_, smallest_;
  double y_;
  int page_ = 1;
};

// The administration times the plan uses, in the order of a day: the tables' columns (a column
// no dose ever falls in would only narrow the others).
std::vector<AdminTime> handout_times_used(const Plan &plan) {
  std::array<bool, 4> used{};
  for (const auto &s : plan.stages)
    for (const auto &st : s.steps)
      for (const auto &a : st.doses)
        used[time_index(a.time)] = true;
  std::vector<AdminTime> out;
  for (const AdminTime t :
       {AdminTime::morning, AdminTime::midday, AdminTime::evening, AdminTime::bedtime})
    if (used[time_index(t)])
      out.push_back(t);
  if (out.empty())
    out.push_back(AdminTime::morning);
  return out;
}

// One dose in a step-table cell: the pictogram of each unit with its count, then the words.
double handout_dose_cell(HandoutPainter &p, const Formulary &f, const Stage &s,
                         const Administration &a, double x, double y, double w, bool draw) {
  const double size = p.body();
  double h = 0;
  if (!a.units.empty()) {
    double cx = x;
    for (const auto &u : a.units) {
      if (draw)
        cx += p.pictogram(cx, y + size * 0.15, size * 0.9, u.form) + size * 0.25;
      else
        cx += size * 2;
      const std::string count = std::to_string(u.count);
      if (draw)
        p.text_at(cx, y - size * 0.1, w, count, size * 1.1, true);
      cx += size * (0.8 * static_cast<double>(count.size()) + 0.6);
    }
    h += size * 1.4;
  }
  const std::string words_line = words::dose(f, s.drug, a);
  h += p.text_at(x, y + h, w, words_line, size, false, draw);
  return h;
}

// The step table: for each run of days, its dates across the page, then a column per time of
// day the plan uses (morning, midday, evening, bedtime), then each drug's daily total.
void handout_step_table(HandoutPainter &p, const ExportInput &in) {
  const double size = p.body(), pad = size * 0.35;
  const std::vector<AdminTime> times = handout_times_used(in.plan);
  const std::size_t columns = times.size();
  const double col = p.inner_width() / static_cast<double>(columns);
  const auto header = [&] {
    double hh = 0;
    for (std::size_t t = 0; t < columns; ++t)
      hh = std::max(hh, p.text_height(col - 2 * pad, words::time_heading(times[t]), size, true));
    hh += 2 * pad;
    p.need(hh + 6 * size);
    for (std::size_t t = 0; t < columns; ++t) {
      const double x = p.left() + col * static_cast<double>(t);
      p.box(x, p.y(), col, hh, 0.85);
      p.text_at(x + pad, p.y() + pad, col - 2 * pad, words::time_heading(times[t]), size, true);
    }
    p.down(hh);
  };
  p.paragraph(std::string(words::phrase::what_to_take), size * 1.25, true, size * 0.4);
  const auto runs = words::runs(in.plan);
  if (runs.empty()) {
    p.paragraph(std::string(words::phrase::nothing_planned), size);
    return;
  }
  header();
  for (const auto &run : runs) {
    const std::string dates = words::run_dates(run);
    const double dh = p.text_height(p.inner_width() - 2 * pad, dates, size, true) + 2 * pad;
    // The cells' height: the tallest column.
    double ch = 0;
    for (std::size_t t = 0; t < columns; ++t) {
      double h = 0;
      for (const auto &[stage, step] : run.active)
        for (const auto &a : step->doses)
          if (a.time == times[t])
            h += handout_dose_cell(p, in.formulary, *stage, a, 0, 0, col - 2 * pad, false) + pad;
      ch = std::max(ch, h);
    }
    ch += 2 * pad;
    std::vector<std::string> totals;
    if (run.active.empty())
      totals.emplace_back(words::phrase::gap);
    for (const auto &[stage, step] : run.active)
      totals.push_back(words::run_total(in.formulary, *stage, *step));
    double th = 2 * pad;
    for (const auto &t : totals)
      th += p.text_height(p.inner_width() - 2 * pad, t, size, false);
    const double before = p.y();
    p.need(dh + (run.active.empty() ? 0 : ch) + th);
    if (p.y() < before)
      header();
    p.box(p.left(), p.y(), p.inner_width(), dh, 0.93);
    p.text_at(p.left() + pad, p.y() + pad, p.inner_width() - 2 * pad, dates, size, true);
    p.down(dh);
    if (!run.active.empty()) {
      for (std::size_t t = 0; t < columns; ++t) {
        const double x = p.left() + col * static_cast<double>(t);
        p.box(x, p.y(), col, ch);
        double y = p.y() + pad;
        for (const auto &[stage, step] : run.active)
          for (const auto &a : step->doses)
            if (a.time == times[t])
              y += handout_dose_cell(p, in.formulary, *stage, a, x + pad, y, col - 2 * pad, true) +
                   pad;
      }
      p.down(ch);
    }
    p.box(p.left(), p.y(), p.inner_width(), th);
    double y = p.y() + pad;
    for (const auto &t : totals)
      y += p.text_at(p.left() + pad, y, p.inner_width() - 2 * pad, t, size, false);
    p.down(th);
  }
  p.down(size);
}

// What is planned at each time of day on `d`: the runs' doses (a maintenance stage's dose goes
// on to its review).
std::array<bool, 4> handout_times_on(const Plan &plan, Date d) {
  std::array<bool, 4> out{};
  for (const auto &[stage, step] : plan.on(d))
    for (const auto &a : step->doses)
      out[time_index(a.time)] = true;
  return out;
}

// A diary page per month: a row per day of the plan, a tick box per planned dose, a pain box.
void handout_diary(HandoutPainter &p, const ExportInput &in, const std::vector<Date> &assessments) {
  const auto runs = words::runs(in.plan);
  if (runs.empty())
    return;
  const Date first = runs.front().first;
  Date last = runs.back().last;
  if (runs.back().open_ended != nullptr)
    last = std::max(last, *runs.back().open_ended->review_date);
  // The assessment day itself (the first day after a trial's last step) has its row, marked.
  if (!assessments.empty())
    last = std::max(last, assessments.back());
  const double size = p.body(), pad = size * 0.3;
  const double w = p.inner_width();
  // Columns: the day (with "assessment" under it on an assessment date), the plan's times, pain.
  const std::vector<AdminTime> times = handout_times_used(in.plan);
  std::vector<double> widths{0.3 * w};
  std::vector<std::string> heads{std::string(words::phrase::day)};
  for (const AdminTime t : times) {
    widths.push_back(0.5 * w / static_cast<double>(times.size()));
    heads.push_back(words::time_heading(t));
  }
  widths.push_back(0.2 * w);
  heads.emplace_back(words::phrase::pain);
  const std::size_t n = widths.size();
  const auto header = [&] {
    double hh = 0;
    for (std::size_t c = 0; c < n; ++c)
      hh = std::max(hh, p.text_height(widths[c] - 2 * pad, heads[c], size * 0.85, true));
    hh += 2 * pad;
    double x = p.left();
    for (std::size_t c = 0; c < n; ++c) {
      p.box(x, p.y(), widths[c], hh, 0.85);
      p.text_at(x + pad, p.y() + pad, widths[c] - 2 * pad, heads[c], size * 0.85, true);
      x += widths[c];
    }
    p.down(hh);
  };
  for (Date month = Date(first.year(), first.month(), 1); month <= last;
       month = month + boost::gregorian::months(1)) {
    p.new_page();
    p.paragraph(std::string(words::phrase::diary) + words::month_name(month), size * 1.25, true,
                size * 0.3);
    p.paragraph(std::string(words::phrase::diary_help), size, false, size * 0.5);
    header();
    for (Date d = std::max(first, month); d <= last && d.month() == month.month(); d += Days(1)) {
      const auto planned = handout_times_on(in.plan, d);
      const bool assessed = std::binary_search(assessments.begin(), assessments.end(), d);
      std::string label = words::weekday_day(d);
      if (assessed)
        label += "\n" + std::string(words::phrase::assessment);
      const double row =
          std::max(size * 1.7, p.text_height(widths[0] - 2 * pad, label, size, assessed) + 2 * pad);
      const double before = p.y();
      p.need(row);
      if (p.y() < before)
        header();
      double x = p.left();
      const double b = size * 1.05;
      for (std::size_t c = 0; c < n; ++c) {
        p.box(x, p.y(), widths[c], row, assessed ? 0.9 : -1, 0.5);
        if (c == 0) {
          p.text_at(x + pad, p.y() + pad, widths[c] - 2 * pad, label, size, assessed);
        } else if (c + 1 < n && planned[time_index(times[c - 1])]) {
          p.box(x + (widths[c] - b) / 2, p.y() + (row - b) / 2, b, b, 1.0, 1.0);
        } else if (c + 1 == n) {
          p.box(x + (widths[c] - 2 * b) / 2, p.y() + (row - b) / 2, 2 * b, b, 1.0, 1.0);
        }
        x += widths[c];
      }
      p.down(row);
    }
  }
}

// After the table: stopping, side effects to report, warnings, notes, assessment dates: the text
// export's sections and the monograph's words, with their sources.
void handout_sections(HandoutPainter &p, const ExportInput &in,
                      const std::vector<Date> &assessments) {
  const double size = p.body();
  const auto section = [&](std::string_view title) {
    p.need(size * 8); // the heading with the start of its first item
    p.paragraph(std::string(title), size * 1.1, true, size * 0.3);
  };
  const auto item = [&](const std::string &s) { p.paragraph(s, size, false, size * 0.3); };

  // clinical.md H14: the supplement after each haemodialysis session, on the dialysis weekdays
  // only, for each step that has one (the text export's line under its run of days).
  bool any_dialysis = false;
  for (const auto &s : in.plan.stages) {
    for (const auto &st : s.steps) {
      const auto line = dialysis_days_line(s, st, in.patient, in.formulary);
      if (!line || st.range.empty())
        continue;
      if (!any_dialysis)
        section(words::phrase::dialysis_title);
      any_dialysis = true;
      item(iso(st.range.begin()) + " to " + iso(st.range.end() - Days(1)) + ": " + *line);
    }
  }
  if (any_dialysis)
    p.down(size * 0.5);

  std::vector<std::string> drugs;
  for (const auto &s : in.plan.stages)
    if (std::find(drugs.begin(), drugs.end(), s.drug) == drugs.end())
      drugs.push_back(s.drug);
  if (!drugs.empty()) {
    section(words::phrase::side_effects_title);
    for (const auto &s : in.plan.stages)
      if (auto line = words::stop(in.formulary, s))
        item(*line);
    for (const auto &d : drugs) {
      item(words::do_not_stop(in.formulary, d));
      if (auto line = words::side_effects(in.formulary, d))
        item(*line);
    }
    p.down(size * 0.5);
  }

  bool any_warning = !in.plan.unchecked_medications.empty();
  for (const auto &s : in.plan.stages)
    any_warning = any_warning || !s.warnings.empty();
  if (any_warning) {
    section(words::phrase::warnings);
    for (const auto &s : in.plan.stages)
      for (const auto &w : s.warnings)
        item(words::drug(in.formulary, s.drug) + ": " + words::warning(in.formulary, w));
    for (const auto &u : in.plan.unchecked_medications)
      item(words::for_people(in.formulary, u));
    p.down(size * 0.5);
  }
  bool any_note = false;
  for (const auto &s : in.plan.stages) {
    if (s.note.empty())
      continue;
    if (!any_note)
      section(words::phrase::notes);
    any_note = true;
    item(words::drug(in.formulary, s.drug) + " " + std::string(role_word(s.role)) + ": " +
         words::for_people(in.formulary, s.note));
  }
  if (any_note)
    p.down(size * 0.5);

  section(words::phrase::assessment_dates);
  if (assessments.empty())
    item(std::string(words::phrase::none_planned));
  for (const Date d : assessments)
    item(iso(d));
}

std::string pdf_date(const LocalDateTime &t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:00Z", iso(t.date).c_str(), t.minute_of_day / 60,
                t.minute_of_day % 60);
  return buf;
}

} // namespace

void cairo_write_pdf(std::ostream &out, const ExportInput &in, const HandoutOptions &o) {
  check_context(in.context);
  const ExportContext &c = in.context;
  const double width = o.paper == Paper::a4 ? 595.276 : 612.0;
  const double height = o.paper == Paper::a4 ? 841.89 : 792.0;
  std::unique_ptr<cairo_surface_t, PdfSurfaceCloser> surface(
      cairo_pdf_surface_create_for_stream(pdf_stream_write, &out, width, height));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 std::string(words::phrase::handout_title).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "titrate");
  const std::string stamp = pdf_date(c.now_utc);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, stamp.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, stamp.c_str());
  std::unique_ptr<cairo_t, PdfCairoCloser> cr(cairo_create(surface.get()));

  HandoutPainter p(cr.get(), width, height, handout_body_points(o),
                   o.large_print ? handout_body_points(o) : 0.0);
  const double size = p.body();
  const auto assessments = assessment_dates(in);

  // The header; the QR code of the personal link on the right when there is one.
  double text_width = p.inner_width();
  const double top = p.y();
  double qr_size = 0;
  if (!o.link.empty()) {
    qr_size = std::min(150.0, p.inner_width() / 3);
    text_width -= qr_size + size;
    p.qr(p.left() + p.inner_width() - qr_size, top, qr_size, cairo_qr_modules(o.link));
  }
  const auto line = [&](const std::string &s, double sz, bool bold) {
    p.down(p.text_at(p.left(), p.y(), text_width, s, sz, bold) + size * 0.25);
  };
  line(std::string(words::phrase::handout_title), size * 1.6, true);
  line(std::string(words::phrase::patient) + in.patient.id, size, true);
  line(words::plan_version(in.plan, c.plan_version), size, false);
  line(std::string(words::phrase::prepared_on) + iso(c.now_utc.date), size, false);
  line(words::approval(c), size, c.review != ReviewState::approved);
  if (o.link.empty()) {
    line(words::clinic(o.clinic_name, o.clinic_phone), size, false);
  } else { // beside the QR code both halves do not fit on one line: one line each
    const auto [clinic_name, telephone] = words::clinic_parts(o.clinic_name, o.clinic_phone);
    line(clinic_name, size, false);
    line(telephone, size, false);
  }
  if (!o.link.empty()) {
    line(std::string(words::phrase::your_link), size, true);
    line(o.link, size * 0.9, false);
  }
  p.down(std::max(0.0, top + qr_size - p.y()) + size * 0.6);

  handout_step_table(p, in);
  handout_sections(p, in, assessments);
  handout_diary(p, in, assessments);
  p.finish();
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("PDF: ") +
                             cairo_status_to_string(cairo_surface_status(surface.get())));
  }
}

} // namespace titrate

namespace titrate {

const PdfModule &pdf_module_table() {
  static const PdfModule table{TITRATE_VERSION, sizeof(PdfModule), &cairo_write_pdf,
                               &cairo_qr_modules};
  return table;
}

} // namespace titrate

extern "C" const titrate::PdfModule *titrate_pdf_module() {
  return &titrate::pdf_module_table();
}
