// The patient's pages: their personal link opens today's and the next 7 days' doses (what changes
// marked), their scores and side effects, and the forms to log, correct or withdraw them. The link
// token is the only credential. Every form carries a one-time `form` code: a double tap stores
// once.
#include "planner/app/schedule.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/registry.hpp"
#include "planner/export/time_zone.hpp"
#include "planner/web/server_impl.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace titrate::web {

namespace {

// How long a form's one-time code is remembered after it is used: a page left open for longer
// and sent again stores again.
constexpr std::int64_t form_code_lifetime_seconds = 30 * 24 * 3600;
constexpr int days_ahead = 7; // today and the next 7 days

// Days with the same doses, in the patient's words; `open`: the doses go on past the last day
// looked at (maintenance) with no end.
struct DoseBlock {
  Date first{2000, 1, 1};
  Date last{2000, 1, 1};
  std::vector<words::TimeLine> lines;
  bool open = false;
};

// The last day with a dose of any step (a maintenance stage's dose goes on after it).
std::optional<Date> patient_plan_last_day(const Plan &plan) {
  std::optional<Date> last;
  for (const auto &s : plan.stages)
    for (const auto &st : s.steps)
      if (!st.range.empty() && (!last || st.range.end() - Days(1) > *last))
        last = st.range.end() - Days(1);
  return last;
}

// Runs of days with the same lines (app::day_schedule: the doses by time of day, and on
// haemodialysis days the supplement after the session, so those days stand apart).
std::vector<DoseBlock> patient_dose_blocks(const Plan &plan, const Patient &patient,
                                           const Formulary &f, Date today) {
  const Date window_end = today + Days(days_ahead);
  const auto plan_last = patient_plan_last_day(plan);
  // Scan past the window to the plan's last day, so a block says when it truly ends.
  const Date limit = std::max(window_end, plan_last ? *plan_last + Days(1) : window_end);
  const auto lines_on = [&](Date d) { return app::day_schedule(plan, patient, f, d).lines; };
  std::vector<DoseBlock> out;
  // Day by day, each day's schedule made once: a day that differs from its block's starts the
  // next block (when it is still in the window); a block that reaches `limit` is open.
  DoseBlock b{today, today, lines_on(today), false};
  for (;;) {
    if (b.last == limit) {
      b.open = !b.lines.empty();
      out.push_back(std::move(b));
      return out;
    }
    auto next = lines_on(b.last + Days(1));
    if (next == b.lines) {
      b.last += Days(1);
      continue;
    }
    const Date first = b.last + Days(1);
    out.push_back(std::move(b));
    if (first > window_end)
      return out;
    b = DoseBlock{first, first, std::move(next), false};
  }
}

// `text`, escaped, with every ISO date kept on one line: a phone breaks "2026-12-\n08" otherwise.
Html patient_unbroken_dates(const std::string &text) {
  Html out;
  std::size_t i = 0;
  std::size_t run = 0; // where the text not yet appended starts
  while (i < text.size()) {
    const bool date =
        i + 10 <= text.size() && text[i + 4] == '-' && text[i + 7] == '-' &&
        std::all_of(text.begin() + static_cast<long>(i), text.begin() + static_cast<long>(i) + 10,
                    [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    if (date) {
      out += std::string_view(text).substr(run, i - run);
      out += "<span style=\"white-space:nowrap\">"_html + text.substr(i, 10) + "</span>"_html;
      i += 10;
      run = i;
    } else {
      ++i;
    }
  }
  out += std::string_view(text).substr(run);
  return out;
}

std::string patient_block_heading(const DoseBlock &b, Date today) {
  if (b.open)
    return "From " + words::day_word(b.first, today);
  if (b.first == b.last)
    return words::capitalised(words::day_word(b.first, today));
  return (b.first == today ? "Today (" + iso(today) + ")"
                           : "From " + words::day_word(b.first, today)) +
         " through " + iso(b.last);
}

Html patient_blocks_html(const std::vector<DoseBlock> &blocks, const Plan &plan, const Formulary &f,
                         Date today) {
  const Date plan_first = plan.start;
  // The trial whose last planned day is the plan's last (no taper after it), if any.
  const Stage *trial_ends_plan = nullptr;
  const auto plan_last = patient_plan_last_day(plan);
  if (const auto last = plan_last) {
    for (const auto &s : plan.stages)
      if (s.role == StageRole::trial && !s.steps.empty() &&
          s.steps.back().range.end() == *last + Days(1))
        trial_ends_plan = &s;
  }
  Html h;
  const DoseBlock *prev = nullptr;
  for (const auto &b : blocks) {
    h += "<div class=\"days\"><h3>"_html + patient_unbroken_dates(patient_block_heading(b, today)) +
         "</h3>"_html;
    if (b.lines.empty()) {
      if (b.first < plan_first) {
        h += "<p>Nothing to take from this plan.</p>"_html;
      } else if (plan_last && b.first <= *plan_last) {
        // Days between two medicines (a washout): the plan goes on after them.
        h += "<p>"_html + std::string(words::phrase::gap) + "</p>"_html;
      } else if (trial_ends_plan != nullptr) {
        // A trial's planned days are over: the next step is the clinic's; never "stop". From
        // today on, "What to do now" below says what to do, once; the block says at once that an
        // empty list is no sign to stop.
        h += "<p>This plan lists no doses for these days yet."_html;
        if (b.first > today) {
          h += "</p><p>"_html + words::do_not_stop(f, trial_ends_plan->drug) + "</p>"_html;
        } else {
          h += " That does not mean stop taking "_html + words::drug(f, trial_ends_plan->drug) +
               ": see &ldquo;What to do now&rdquo; below.</p>"_html;
        }
      } else {
        h += "<p>Nothing more to take from this plan.</p>"_html;
      }
    } else {
      h += "<ul class=\"plain\">"_html;
      for (const auto &l : b.lines) {
        bool changed = false;
        // The supplement comes and goes with the dialysis weekdays: not a change of the plan.
        if (prev != nullptr && !l.after_dialysis) {
          changed = std::find(prev->lines.begin(), prev->lines.end(), l) == prev->lines.end();
        }
        const auto colon = l.text.find(": ");
        h += "<li class=\"dose\">"_html +
             (changed ? "<strong class=\"change\">Changed:</strong> "_html : ""_html) +
             "<strong>"_html + l.text.substr(0, colon + 1) + "</strong> "_html +
             l.text.substr(colon + 2) + "</li>"_html;
      }
      if (prev != nullptr) {
        for (const auto &l : prev->lines) {
          const bool gone =
              !l.after_dialysis &&
              std::none_of(b.lines.begin(), b.lines.end(), [&](const words::TimeLine &n) {
                return !n.after_dialysis && n.time == l.time;
              });
          if (gone) {
            h +=
                "<li class=\"dose\"><strong class=\"change\">Changed:</strong> nothing to take "_html +
                std::string(export_detail::time_phrase(l.time)) + "</li>"_html;
          }
        }
      }
      h += "</ul>"_html;
    }
    h += "</div>"_html;
    prev = &b;
  }
  return h;
}

// The banner after a saved form (`saved=WORD`), for the words that need no more than their text.
constexpr std::pair<std::string_view, HtmlLiteral> patient_plain_banners[] = {
    {"score", "Your pain score is saved. Thank you."_html},
    {"corrected", "Your corrected pain score is saved. The score it replaces stays in your "
                  "record, marked as corrected."_html},
    {"score-withdrawn", "Your pain score is withdrawn. It no longer counts and is no longer "
                        "listed here; your clinic keeps a record of it and of your reason."_html},
    {"withdrawn", "Your side effect report is withdrawn. It stays in your record, marked as "
                  "withdrawn, and no longer counts."_html},
    {"again", "This form was already saved, so it was not saved a second time."_html},
};

// The form's one-time code and the fields every patient form carries.
Html patient_form_code() {
  return "<input type=\"hidden\" name=\"form\" value=\""_html + random_token() + "\">"_html;
}

// A form that changes the patient's last entry: `open` (the <details> tag and the summary's start)
// with the entry (`what`, `when`) in brackets, then the form posting the one-time code and the
// entry's id to `action`. The caller adds the fields and closes the form and the <details>.
Html last_entry_form(HtmlLiteral open, const std::string &what, const std::string &when,
                     const std::string &action, std::int64_t entry) {
  return open + " ("_html + what + ", "_html + when +
         ")</summary><form method=\"post\" action=\""_html + action + "\">"_html +
         patient_form_code() + "<input type=\"hidden\" name=\"entry\" value=\""_html +
         std::to_string(entry) + "\">"_html;
}

// A withdrawal form's reason (required, up to `limit` characters, `example` shown) and its
// button "Withdraw this <what>"; closes the form and the <details>.
Html withdraw_reason_fields(const std::string &id, const std::string &example,
                            const std::string &limit, const std::string &what) {
  return "<label for=\""_html + id + "\">Why? For example: "_html + example +
         "</label><input type=\"text\" id=\""_html + id + "\" name=\"reason\" maxlength=\""_html +
         limit + "\" required><p><button type=\"submit\">Withdraw this "_html + what +
         "</button></p></form></details>"_html;
}

Html patient_score_picker() {
  Html b = "<div class=\"picker\">"_html;
  for (int i = 0; i <= 10; ++i) {
    const std::string v = std::to_string(i);
    b += "<label><input type=\"radio\" name=\"score\" value=\""_html + v + "\" required"_html +
         "><span>"_html + v + "</span></label>"_html;
  }
  return b +
         "</div><div class=\"scale\"><span>0 no pain</span><span>10 worst pain</span></div>"_html;
}

// The severity, with no default: a required choice (a default would be a report never made).
Html patient_severity_select(const std::string &id) {
  return "<select id=\""_html + id +
         "\" name=\"severity\" required><option value=\"\" selected disabled>Choose one</option>"
         "<option value=\"mild\">Mild: I notice it</option>"
         "<option value=\"moderate\">Moderate: it gets in the way</option>"
         "<option value=\"severe\">Severe: I cannot do my usual things</option>"
         "<option value=\"intolerable\">Intolerable: I cannot go on like this</option></select>"_html;
}

// The patient's last entry (by id, not by time: a correction keeps the time it corrects), or
// nullptr when there is none.
template <class Entry> const Entry *newest_patient_entry(const std::vector<Entry> &list) {
  const auto it = std::max_element(list.begin(), list.end(),
                                   [](const Entry &x, const Entry &y) { return x.id < y.id; });
  return it == list.end() ? nullptr : &*it;
}

// The patient's last entry of `list`, which the posted field "entry" must name by its id, else
// 400 naming the field (`what`: the kind of entry, e.g. "pain score").
template <class Entry>
const Entry &posted_last_entry(const Request &req, const std::vector<Entry> &list,
                               const char *what) {
  const std::string text = param(req, "entry");
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) {
    throw InputError("entry: \"" + printable(text, 16) + "\" is not an entry; expected your last " +
                     what);
  }
  const Entry *last = newest_patient_entry(list);
  if (!last || v != last->id) {
    throw InputError("entry: entry " + text + " is not your last " + what +
                     "; only the last one can be changed here (reload the page, or ask your "
                     "clinic to change an older one)");
  }
  return *last;
}

// Why the patient withdraws their last `what` ("score", "report"): required, one line of text.
std::string patient_withdraw_reason(const httplib::Request &req, const char *what) {
  std::string reason = param(req, "reason");
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    throw InputError(std::string("reason: missing; say why you withdraw the ") + what +
                     (std::string_view(what) == "report"
                          ? " (for example: I reported it by mistake)"
                          : " (for example: I saved it by mistake)"));
  }
  require_free_text(reason, "reason");
  return reason;
}

// The digits of a telephone number for a tel: link (RFC 3966: digits, a leading +; spaces and
// - ( ) . are only for reading), or "" when it holds anything else (an extension in words, a
// note) or fewer than 3 digits: then the number stays plain text.
std::string patient_tel_digits(std::string_view phone) {
  std::string out;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9')
      out += c;
    else if (c == '+' && out.empty() && i == phone.find_first_not_of(' '))
      out += c;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.')
      return {};
  }
  return std::count_if(out.begin(), out.end(), [](char c) { return c != '+'; }) >= 3 ? out : "";
}

// Whom to call (words::call_clinic_lines), each line on its own, the number a link a phone dials
// at a tap.
Html patient_call_clinic(std::string_view name, std::string_view phone) {
  const auto lines = words::call_clinic_lines(name, phone);
  const std::string tel = patient_tel_digits(phone);
  Html out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0)
      out += "<br>"_html;
    if (i + 1 < lines.size() || tel.empty()) {
      out += lines[i];
      continue;
    }
    // The last line ends with the number (words.hpp).
    out += std::string_view(lines[i]).substr(0, lines[i].size() - phone.size());
    out += "<a href=\"tel:"_html + tel + "\">"_html + phone + "</a>"_html;
  }
  return out;
}

} // namespace

// A patient form's one-time code is used once in the database (Accounts::use_once, scope
// "form"), so a double tap stores one entry even when the two posts reach two servers.
bool WebServer::Impl::form_used(const std::string &code) const {
  return !code.empty() && accounts.token_used("form", code, cfg.now());
}

bool WebServer::Impl::claim_form(const std::string &code) {
  return code.empty() ||
         accounts.use_once("form", code, cfg.now() + form_code_lifetime_seconds, cfg.now());
}

void WebServer::Impl::release_form(const std::string &code) {
  if (!code.empty())
    accounts.release_once("form", code);
}

void WebServer::Impl::patient_page(Call &c, const std::string &token, std::string flash) {
  const PatientRecord rec = require_link(c, token);
  const Patient &p = rec.patient;
  const Date today = cfg.today();
  const auto active = repo.active_plan(p.id);
  const auto scores = repo.scores(p.id);
  const auto effects = repo.adverse_effects(p.id);
  const std::string base = "/p/" + token;
  const Html call = patient_call_clinic(cfg.clinic_name, cfg.clinic_phone);

  Html b = "<h1>Your pain diary and doses</h1>"_html;
  // A banner only for what the store holds: the entry the post wrote (by its id, this patient's),
  // or a form code this server saved; a hand-made query shows none.
  std::int64_t entry = 0;
  {
    const std::string e = c.req.has_param("entry") ? c.req.get_param_value("entry") : "";
    const auto [ptr, ec] = std::from_chars(e.data(), e.data() + e.size(), entry);
    if (ec != std::errc() || ptr != e.data() + e.size())
      entry = 0;
  }
  const auto has_id = [entry](const auto &list) {
    return entry > 0 &&
           std::any_of(list.begin(), list.end(), [entry](const auto &x) { return x.id == entry; });
  };
  if ((flash == "score" || flash == "corrected") && !has_id(scores))
    flash.clear();
  if (flash == "effect" && !has_id(effects))
    flash.clear();
  if (flash == "withdrawn" && !has_id(repo.adverse_effects(p.id, true)))
    flash.clear();
  if (flash == "score-withdrawn" && !has_id(repo.scores(p.id, true)))
    flash.clear();
  if (flash == "again" && !form_used(c.req.has_param("form") ? c.req.get_param_value("form") : ""))
    flash.clear();
  for (const auto &[word, banner] : patient_plain_banners) {
    if (flash == word)
      b += "<section class=\"ok\" role=\"status\">"_html + banner + "</section>"_html;
  }
  // Who sees a side effect, truthfully (nobody is alerted at once), from the entry stored last.
  if (flash == "effect") {
    const AdverseEffect &last = *std::find_if(effects.begin(), effects.end(),
                                              [entry](const auto &e) { return e.id == entry; });
    b += "<section class=\"ok\" role=\"status\">Your side effect ("_html +
         to_string(last.severity) + ") is saved. "_html;
    if (last.severity == AeSeverity::severe || last.severity == AeSeverity::intolerable) {
      b += "It is listed at the top of your clinic's titrate front page for 14 days, so the clinic "
           "team sees it the next time they open titrate; nobody is alerted at once."_html;
    } else {
      b += "Your clinic team sees it on your record the next time they open it; nobody is alerted "
           "at once."_html;
    }
    if (last.severity == AeSeverity::intolerable) {
      b += " <strong>Because it is intolerable, please call your clinic today</strong>, or "
           "emergency services if you feel very unwell. "_html +
           call;
    }
    b += "</section>"_html;
  }

  b += "<section id=\"doses\"><h2>Your doses</h2>"_html;
  if (active) {
    const Plan &plan = active->plan;
    // Before the first day the patient reads when to begin, not only "nothing to take".
    const Date first = plan.start;
    if (first == today + Days(1)) {
      b += "<p id=\"starts\"><strong>Your plan starts tomorrow ("_html + iso(first) +
           ")</strong>: take nothing from it today.</p>"_html;
    } else if (first > today) {
      b += "<p id=\"starts\"><strong>Your plan starts on "_html + iso(first) +
           "</strong>: take nothing from it before then.</p>"_html;
    }
    // The last day of a taper: said before the doses, so it is read first.
    for (const auto &s : plan.stages) {
      if (s.role != StageRole::trial && !s.steps.empty() &&
          s.steps.back().range.end() == today + Days(1)) {
        b += "<p class=\"warn\" id=\"last-dose\"><strong>"_html +
             words::last_taper_day(formulary, s) + "</strong></p>"_html;
      }
    }
    const auto blocks = patient_dose_blocks(plan, rec.patient, formulary, today);
    b += patient_blocks_html(blocks, plan, formulary, today);
    const auto next = next_assessment(plan, today);
    const Stage *trial = plan.current_trial();
    const auto plan_last = patient_plan_last_day(plan);
    const bool maintained = trial != nullptr && trial->maintenance();
    if (maintained && *trial->review_date >= today) {
      b += "<p id=\"keep-taking\"><strong>"_html + words::keep_taking_until(*trial->review_date) +
           "</strong></p>"_html;
    }
    if (!next && maintained && *trial->review_date < today) {
      // Maintenance goes on past its review date: the patient keeps taking the dose.
      b += "<p>Your clinic review was due on <strong>"_html + iso(*trial->review_date) +
           "</strong>: keep taking your doses and contact your clinic. "_html + call + "</p>"_html;
    } else {
      b += "<p>Next assessment: <strong>"_html + (next ? iso(*next) : std::string("none planned")) +
           "</strong></p>"_html;
    }
    if (!maintained && plan_last && *plan_last < today) {
      b += "<div id=\"after-plan\"><h3>What to do now</h3>"_html;
      for (const auto &line : words::after_plan(formulary, plan, *plan_last))
        b += "<p>"_html + line + "</p>"_html;
      b += "<p><strong>"_html + call + "</strong></p></div>"_html;
    }
    b +=
        "<p><a href=\""_html + (base + "/calendar.ics") +
        "\">Download your doses for your calendar</a> (a file your phone's calendar app opens)</p>"_html;
  } else {
    b += "<p>Your plan has not been approved by a pharmacist yet. Take your medicines as your "
         "clinic told you.</p>"_html;
  }
  b += "</section>"_html;

  const std::string limit = std::to_string(max_free_text_chars);
  b += "<section><h2>How bad is your pain right now?</h2>"
       "<form method=\"post\" action=\""_html +
       (base + "/scores") + "\">"_html + patient_form_code() +
       "<fieldset><legend>0 means no pain, 10 the worst "
       "pain you can imagine.</legend>"_html +
       patient_score_picker() + "</fieldset><label for=\"note\">Note (optional, up to "_html +
       limit +
       " characters)</label>"
       "<input type=\"text\" id=\"note\" name=\"note\" maxlength=\""_html +
       limit +
       "\">"
       "<p><button type=\"submit\">Save my pain score</button></p></form></section>"_html;

  b += "<section><h2>Report a side effect</h2><form method=\"post\" action=\""_html +
       (base + "/adverse-effects") + "\">"_html + patient_form_code() +
       "<label for=\"description\">What happened? (up to "_html + limit +
       " characters)</label>"
       "<input type=\"text\" id=\"description\" name=\"description\" maxlength=\""_html +
       limit +
       "\" required>"
       "<label for=\"severity\">How bad is it?</label>"_html +
       patient_severity_select("severity") +
       "<p><button type=\"submit\">Report side effect</button></p>"
       "<p class=\"muted\">If you feel very unwell, call your clinic or emergency services now.</p>"
       "</form></section>"_html;

  b += "<section><h2>Your pain chart</h2>"_html;
  if (active) {
    b += chart_for(*active, p, scores);
    // The chart keeps its text readable (12 px) instead of shrinking to a phone's width.
    b +=
        "<p class=\"muted\">On a small screen, slide the chart sideways to see all of it.</p>"_html;
  }
  b += "<h3>Side effects you reported</h3>"_html;
  if (effects.empty()) {
    b += "<p>None.</p>"_html;
  } else {
    b += "<ul style=\"overflow-wrap:anywhere\">"_html;
    for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
      b += "<li>"_html + words::when(it->at, today) + ": "_html + it->description + " ("_html +
           to_string(it->severity) + ")</li>"_html;
    }
    b += "</ul>"_html;
    // The last one reported (by entry, not by time) can be withdrawn: kept, marked, audited.
    const AdverseEffect *last = newest_patient_entry(effects);
    b += last_entry_form("<details id=\"correct-effect\" style=\"overflow-wrap:anywhere\"><summary>"
                         "Correct your last side effect report"_html,
                         last->description, words::when(last->at, today),
                         base + "/adverse-effects/correct", last->id) +
         "<label for=\"correct-description\">What happened?</label><input type=\"text\" "
         "id=\"correct-description\" name=\"description\" maxlength=\""_html +
         limit + "\" required value=\""_html + last->description +
         "\"><label for=\"correct-severity\">How bad is it?</label>"_html +
         patient_severity_select("correct-severity") +
         "<p><button type=\"submit\">Save the corrected report</button></p></form></details>"_html;
    b += last_entry_form("<details id=\"withdraw\" style=\"overflow-wrap:anywhere\"><summary>"
                         "Withdraw your last side effect report"_html,
                         last->description, words::when(last->at, today),
                         base + "/adverse-effects/withdraw", last->id) +
         withdraw_reason_fields("reason", "I reported it by mistake", limit, "report");
  }
  b += "<h3>Your last scores</h3>"_html;
  if (scores.empty()) {
    b += "<p>No scores yet.</p>"_html;
  } else {
    b += "<table style=\"overflow-wrap:anywhere\"><thead><tr><th>When</th><th>Score</th>"
         "<th>Note</th></tr></thead><tbody>"_html;
    const std::size_t from = scores.size() > 14 ? scores.size() - 14 : 0;
    for (std::size_t i = scores.size(); i-- > from;) {
      const auto &s = scores[i];
      b += "<tr><td>"_html + words::when(s.at, today) + "</td><td>"_html +
           std::to_string(s.score.value()) + "</td><td>"_html + s.note + "</td></tr>"_html;
    }
    b += "</tbody></table>"_html;
    const ScoreEntry *last = newest_patient_entry(scores);
    b += last_entry_form("<details id=\"correct\"><summary>Correct your last pain score"_html,
                         std::to_string(last->score.value()), words::when(last->at, today),
                         base + "/scores/correct", last->id) +
         "<fieldset><legend>The right score, 0 to 10</legend>"_html + patient_score_picker() +
         "</fieldset><p><button type=\"submit\">Save the corrected score</button></p></form>"
         "</details>"_html;
    b += last_entry_form(
             "<details id=\"withdraw-score\"><summary>Withdraw your last pain score"_html,
             std::to_string(last->score.value()), words::when(last->at, today),
             base + "/scores/withdraw", last->id) +
         withdraw_reason_fields("score-reason", "I saved it by mistake", limit, "score");
  }
  b += "</section>"_html;
  send_html(c.res, 200, page("Your pain diary", b));
  c.res.set_header("Referrer-Policy", "no-referrer");
}

void WebServer::Impl::patient_routes() {
  // Patient pages: the token is the only credential; a POST to it needs no CSRF token, since a
  // forged form would have to know the secret URL. A form whose one-time code was saved already
  // (a double tap, a reload) is answered "already saved" and nothing is written.
  svr.Get(R"(/p/([^/]+))", guarded(false, [this](Call &c) {
            const std::string flash =
                c.req.has_param("saved") ? c.req.get_param_value("saved") : "";
            patient_page(c, c.req.matches[1], flash);
          }));
  // The patient's calendar: the active plan as `titrate export ID --format ics` writes it.
  svr.Get(R"(/p/([^/]+)/calendar\.ics)", guarded(false, [this](Call &c) {
            const std::string token = c.req.matches[1];
            const PatientRecord rec = require_link(c, token);
            c.back = "/p/" + token;
            const auto active = repo.active_plan(rec.patient.id);
            if (!active) {
              throw NotFoundError("Your plan has not been approved by a pharmacist yet, so there "
                                  "is no calendar to download.");
            }
            // The patient's time zone, for the reminders' clock times (as the API's `tz`).
            const std::string zone =
                c.req.has_param("tz") ? c.req.get_param_value("tz") : std::string("UTC");
            time_zone_rules(zone, "tz"); // InputError naming the supported zones
            const ExportFormat &format = export_format("ics", "format");
            const auto scores = repo.scores(rec.patient.id);
            const ExportContext ec =
                app::export_context(repo, *active, rec.patient, pathways, zone);
            std::ostringstream out;
            format.write(out, ExportInput{active->plan, rec.patient, formulary, scores, ec});
            c.res.status = 200;
            c.res.set_header("Cache-Control", "no-store");
            c.res.set_header("X-Content-Type-Options", "nosniff");
            c.res.set_header("Referrer-Policy", "no-referrer");
            c.res.set_header("Content-Disposition", "attachment; filename=\"titrate-doses-v" +
                                                        std::to_string(active->version) + "." +
                                                        std::string(format.extension) + "\"");
            c.res.set_content(out.str(), std::string(format.media_type));
          }));
  // Every patient form: the link is the credential, the page it came from is the way back, and
  // `write(c, rec)` stores the entry once per one-time form code.
  const auto form_post = [this](const std::string &pattern, const char *saved, auto write) {
    svr.Post(pattern, guarded(false, [this, saved, write](Call &c) {
               const std::string token = c.req.matches[1];
               const PatientRecord rec = require_link(c, token);
               c.back = "/p/" + token;
               const std::string code = param(c.req, "form");
               if (code.size() > 64)
                 throw InputError("form: not this page's form; reload the page and try again");
               // The page after names what was stored (the entry, or the code already used); the
               // banner it shows is checked against the store, never taken from the query string
               // alone.
               if (!claim_form(code)) {
                 redirect(c.res, "/p/" + token + "?saved=again&form=" + code);
                 return;
               }
               std::int64_t id = 0;
               try {
                 id = write(c, rec);
               } catch (...) {
                 release_form(code); // nothing was stored: the same form may be sent again
                 throw;
               }
               redirect(c.res, "/p/" + token + "?saved=" + saved + "&entry=" + std::to_string(id));
             }));
  };
  // A patient's own entries, pain scores and side effect reports alike: a new one is at the time
  // it is sent; a correction keeps the corrected entry's time, so it counts on the day it was
  // felt; a withdrawal supersedes and retracts the last one, and `withdrawn(entry, last, req)`
  // fills in the rest (the reason, and what the kind's retraction keeps).
  const auto entry_posts = [this, &form_post](const std::string &path, const char *what,
                                              const std::array<const char *, 3> &saved, auto read,
                                              auto from_form, auto record, auto withdrawn) {
    form_post(path, saved[0], [this, from_form, record](Call &c, const PatientRecord &rec) {
      return record(rec.patient.id, from_form(c.req.params, now_local(), cfg.today()), c.actor);
    });
    form_post(path + "/correct", saved[1],
              [this, what, read, from_form, record](Call &c, const PatientRecord &rec) {
                const auto list = read(rec.patient.id);
                const auto &last = posted_last_entry(c.req, list, what);
                auto e = from_form(c.req.params, last.at, cfg.today());
                e.supersedes = last.id;
                return record(rec.patient.id, e, c.actor);
              });
    form_post(path + "/withdraw", saved[2],
              [what, read, record, withdrawn](Call &c, const PatientRecord &rec) {
                const auto list = read(rec.patient.id);
                const auto &last = posted_last_entry(c.req, list, what);
                std::decay_t<decltype(last)> e;
                e.supersedes = last.id;
                e.retracted = true;
                withdrawn(e, last, c.req);
                return record(rec.patient.id, e, c.actor);
              });
  };
  entry_posts(R"(/p/([^/]+)/scores)", "pain score", {"score", "corrected", "score-withdrawn"},
              [this](const std::string &patient) { return repo.scores(patient); }, score_from_form,
              [this](const std::string &patient, const ScoreEntry &s, const Actor &who) {
                return app::record_score(repo, patient, s, who, cfg.today());
              },
              [](ScoreEntry &s, const ScoreEntry &last, const httplib::Request &req) {
                s.note = patient_withdraw_reason(req, "score");
                s.at = last.at; // the store keeps the withdrawn score's own time
              });
  entry_posts(R"(/p/([^/]+)/adverse-effects)", "side effect report",
              {"effect", "effect", "withdrawn"},
              [this](const std::string &patient) { return repo.adverse_effects(patient); },
              adverse_effect_from_form,
              [this](const std::string &patient, const AdverseEffect &ae, const Actor &who) {
                return app::record_adverse_effect(repo, patient, ae, who, cfg.today());
              },
              [this](AdverseEffect &ae, const AdverseEffect &last, const httplib::Request &req) {
                ae.description = patient_withdraw_reason(req, "report");
                ae.severity = last.severity; // the retraction row keeps it (CLI: the same)
                ae.at = now_local();
              });
}

} // namespace titrate::web
