#include "planner/web/html.hpp"

#include "planner/core/text.hpp"

namespace titrate::web {

Html Html::text(std::string_view text) {
  Html h;
  h += text;
  return h;
}

Html Html::trusted(std::string markup) {
  Html h;
  h.s_ = std::move(markup);
  return h;
}

Html &Html::operator+=(std::string_view text) {
  s_ += escape_markup(text, Markup::html);
  return *this;
}

namespace {

// Large touch targets (at least 48 px), one column on a phone, no external resources. A table of
// class "stack" turns each row into a block of labelled lines (each cell's data-label) on a screen
// narrower than 40rem, so a phone reads it without scrolling sideways.
constexpr HtmlLiteral style_sheet = R"css(
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;
  color:#1b1b1b;background:#f6f7f9;line-height:1.45;font-size:17px}
header{background:#0b4f6c;color:#fff;padding:.6rem 1rem;display:flex;align-items:center;
  justify-content:space-between;flex-wrap:wrap;gap:.5rem}
header a{color:#fff;font-weight:600;text-decoration:none}
header form{margin:0}header nav a{display:inline-block;padding:.6rem .2rem}
main{max-width:56rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:1rem;margin:0 0 1rem;
  overflow-x:auto}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .6rem}h3{font-size:1.05rem;margin:.8rem 0 .4rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .4rem;
  border-bottom:1px solid #e3e6ea;vertical-align:top}
button,input[type=submit]{font-size:1rem;padding:.7rem 1.1rem;border-radius:6px;border:0;
  background:#0b4f6c;color:#fff;cursor:pointer;min-height:48px}
button.secondary{background:#5b6470}button.danger{background:#a4262c}
input[type=text],input[type=password],input[type=date],select,textarea{font-size:1rem;
  padding:.55rem;border:1px solid #9aa3ad;border-radius:6px;width:100%;max-width:28rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
fieldset{min-width:0;border:0;padding:0;margin:0}
.picker{display:grid;grid-template-columns:repeat(auto-fill,minmax(3.2rem,1fr));gap:.4rem;
  max-width:40rem;margin:.3rem 0 .8rem}
.picker label{margin:0;font-weight:700}
.picker input{position:absolute;opacity:0;width:1px;height:1px}
.picker span{display:flex;align-items:center;justify-content:center;min-height:3.2rem;
  border:2px solid #0b4f6c;border-radius:8px;font-size:1.3rem;background:#fff;cursor:pointer}
.picker input:checked+span{background:#0b4f6c;color:#fff}
.picker input:focus-visible+span{outline:3px solid #f2a900}
.scale{display:flex;justify-content:space-between;max-width:40rem;font-size:.9rem;color:#555}
.dose{font-size:1.1rem;margin:.3rem 0}.muted{color:#5b6470}
.error{background:#fde7e9;border-color:#a4262c;color:#6b0d12}
.ok{background:#e7f6ec;border-color:#2e7d32}
.warn{color:#8a4b00;font-weight:600}
.chart svg{width:100%;height:auto}
.inline{display:inline}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.25rem 0}
ul.words{list-style:none;padding:0;margin:.3rem 0}ul.words li{padding:.1rem 0}
ul.words li.w1{margin-left:1rem}ul.words li.w2{margin-left:2.5rem}
ul.diff li.removed{text-decoration:line-through;color:#5b6470}ul.diff li.added{font-weight:600}
ul.diff .mark{text-decoration:none;font-weight:600}
@media (max-width:40rem){
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);
  white-space:nowrap}
table.stack tr{border-bottom:1px solid #e3e6ea;padding:.4rem 0}
table.stack td{border:0;padding:.1rem 0;overflow-wrap:anywhere}
table.stack td:empty{display:none}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
table.stack td:first-child{font-weight:600}
table.stack td ul{padding-left:1.2rem;margin:.2rem 0}
}
)css"_html;

} // namespace

Html csrf_field(std::string_view csrf) {
  return "<input type=\"hidden\" name=\"csrf\" value=\""_html + csrf + "\">"_html;
}

Html page(std::string_view title, const Html &body, std::string_view user, std::string_view csrf,
          std::string_view role) {
  Html h;
  h.reserve(body.size() + 4096);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"referrer\" content=\"no-referrer\"><title>"_html;
  h += title;
  h += " - titrate</title><style>"_html;
  h += style_sheet;
  h += "</style></head><body><header><nav aria-label=\"Sections\"><strong>titrate</strong>"_html;
  // Each role sees its own section only (a clinician Clinic, a pharmacist Pharmacy).
  if (!user.empty() && role != "pharmacist")
    h += " &middot; <a href=\"/clinic/\">Clinic</a>"_html;
  if (!user.empty() && role != "clinician")
    h += " &middot; <a href=\"/pharmacy/\">Pharmacy</a>"_html;
  // The outcome report is for both roles (app::Permission::read_report).
  if (!user.empty() && (role == "clinician" || role == "pharmacist"))
    h += " &middot; <a href=\"/reports/outcomes\">Outcomes</a>"_html;
  h += "</nav>"_html;
  if (!user.empty() && !csrf.empty()) {
    h += "<form method=\"post\" action=\"/logout\"><span id=\"signed-in\">"_html + user;
    if (!role.empty())
      h += " ("_html + role + ")"_html;
    h += "</span> "_html + csrf_field(csrf) +
         "<button class=\"secondary\" type=\"submit\">Log out</button></form>"_html;
  }
  h += "</header><main>"_html;
  h += body;
  h += "<p class=\"muted\">Decision support for clinicians and pharmacists; not medical advice."
       "</p></main></body></html>\n"_html;
  return h;
}

} // namespace titrate::web
