// The CDS Hooks cards (cards.hpp), one coherent thing: patient-view's cards from the titration's
// state (due, short of scores, response, severe effects, awaiting review) and order-select /
// order-sign's from the draft orders checked against the patient and the plan, each with its
// numbers, reasons and sources.
#include "planner/ehr/cards.hpp"

#include "planner/assessment/assess.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/export/fhir.hpp"
#include "planner/safety/eligibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace titrate::ehr {

using nlohmann::json;

std::string summary_text(const std::string &s) {
  if (s.size() < 140)
    return s;
  std::string cut = s.substr(0, 136);
  const auto space = cut.rfind(' ');
  if (space != std::string::npos && space > 80)
    cut.resize(space);
  return cut + "...";
}

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.ends_with(".0"))
    s.resize(s.size() - 2);
  return s;
}

std::string days_word(long n) {
  return std::to_string(n) + (n == 1 ? " day" : " days");
}

const Pathway *find_pathway(const std::vector<Pathway> &all, const std::string &name) {
  for (const auto &p : all)
    if (p.name == name)
      return &p;
  return nullptr;
}

std::string numbers_text(const Assessment &a) {
  std::string s;
  if (a.baseline)
    s += "baseline " + num(*a.baseline);
  if (a.window.mean)
    s += std::string(s.empty() ? "" : ", ") + "window mean " + num(*a.window.mean);
  if (a.change_pct)
    s += " (" + num(*a.change_pct) + " % less pain)";
  s += "; " + std::to_string(a.window.scores) + " days with scores in " + iso(a.window.start) +
       " through " + iso(a.window.end - Days(1)) + "; " + std::to_string(a.days_at_target) +
       " days at the assessed dose";
  return s;
}

std::string reasons_md(const std::vector<std::string> &reasons) {
  std::string s;
  for (const auto &r : reasons)
    s += "- " + r + "\n";
  return s;
}

} // namespace

std::vector<Card> patient_view_cards(Repository &repo, const Formulary &f,
                                     const std::vector<Pathway> &pathways,
                                     const std::string &patient_id, Date today) {
  std::vector<Card> cards;
  const auto rec = repo.patient(patient_id);
  if (!rec)
    return cards;

  for (const auto &v : repo.awaiting_review()) {
    if (v.patient != patient_id)
      continue;
    Card c;
    c.kind = "plan.awaiting-review";
    c.indicator = Indicator::info;
    c.summary = summary_text("Titration plan version " + std::to_string(v.version) +
                             " awaits pharmacist review before it can be dispensed.");
    c.detail = "Submitted " + v.submitted_at.value_or("") + " by " + v.submitted_by.value_or("") +
               "; drafted by " + v.drafted_by +
               ". A pharmacist other than the prescriber approves or rejects it (four eyes).";
    c.rule_source = "titrate review rule: four eyes (docs/cli.md, review)";
    cards.push_back(c);
  }

  const auto active = repo.active_plan(patient_id);
  if (!active)
    return cards;
  const Plan &plan = active->plan;
  const Pathway *pw = find_pathway(pathways, plan.pathway);
  const Stage *trial = plan.current_trial();
  if (!pw || !trial)
    return cards;
  const auto &dp = pw->decisions;

  std::optional<DueEntry> due;
  for (const auto &e : due_list(repo, today, 0, pathways)) {
    if (e.patient == patient_id)
      due = e;
  }
  if (due) {
    Card c;
    c.kind = due->days_until < 0 ? "assessment.overdue" : "assessment.due";
    c.indicator = due->days_until < 0 ? Indicator::warning : Indicator::info;
    c.summary = summary_text(due->days_until < 0
                                 ? "Titration assessment of " + due->drug + " is overdue by " +
                                       days_word(-due->days_until) + " (due " +
                                       iso(due->decision_date) + ")."
                                 : "Titration assessment of " + due->drug + " is due today.");
    c.detail = "Decision date " + iso(due->decision_date) + " (plan version " +
               std::to_string(due->version) + ", pathway " + pw->name + "): at least " +
               std::to_string(dp.min_days_at_target.value) +
               " days at the assessed dose, then the response decides the next step.";
    c.rule_source = dp.min_days_at_target.cite.source;
    cards.push_back(c);
    if (due->missing_scores) {
      Card w;
      w.kind = "window.short";
      w.indicator = Indicator::warning;
      w.summary = summary_text("Only " + std::to_string(due->window_days_with_scores) + " of " +
                               std::to_string(dp.window_days.value) +
                               " days in the assessment window have pain scores (" +
                               std::to_string(dp.min_days_with_scores.value) + " needed).");
      w.detail = "Window " + iso(due->decision_date - Days(dp.window_days.value)) + " through " +
                 iso(due->decision_date - Days(1)) + ". With fewer than " +
                 std::to_string(dp.min_days_with_scores.value) +
                 " days with scores the window is extended (at most " +
                 std::to_string(dp.max_extensions.value) +
                 " times), then the decision goes to a clinician. Ask the patient to log scores.";
      w.rule_source = dp.min_days_with_scores.cite.source;
      cards.push_back(w);
    }
    // The decision date is reached: the response and its numbers.
    const auto scores = repo.scores(patient_id);
    const auto effects = repo.adverse_effects(patient_id);
    const auto decisions = repo.decisions(patient_id);
    const AssessInput in{plan,   rec->patient, f,     *pw,
                         scores, effects,      today, extensions_so_far(decisions, plan)};
    const Assessment a = assess(in);
    const bool response_decision = a.decision == DecisionKind::continue_ ||
                                   a.decision == DecisionKind::escalate ||
                                   a.decision == DecisionKind::switch_;
    if (response_decision && a.change_pct && a.baseline && a.window.mean) {
      const bool response = *a.change_pct >= dp.response_pct.value;
      Card r;
      r.kind = response ? "response" : "non-response";
      r.indicator = response ? Indicator::info : Indicator::warning;
      r.summary =
          summary_text(std::string(response ? (a.substantial ? "Substantial response" : "Response")
                                            : "No adequate response") +
                       " to " + a.drug + ": pain " + num(*a.baseline) + " to " +
                       num(*a.window.mean) + " (" + num(*a.change_pct) +
                       " % less); titrate decides " + std::string(to_string(a.decision)) + ".");
      r.detail = numbers_text(a) + ". Response threshold " + num(dp.response_pct.value) + " % (" +
                 dp.response_pct.cite.source + ").\n\n" + reasons_md(a.reasons) + "\nRule " +
                 a.rule + ".";
      r.rule_source = a.source;
      cards.push_back(r);
    } else if (a.decision == DecisionKind::review || a.decision == DecisionKind::stop) {
      Card r;
      r.kind = "decision." + std::string(to_string(a.decision));
      r.indicator = Indicator::warning;
      r.summary = summary_text(
          "Titration of " + a.drug + " needs a clinician's decision: " +
          (a.reasons.empty() ? std::string(to_string(a.decision)) : a.reasons.front()));
      r.detail = numbers_text(a) + ".\n\n" + reasons_md(a.reasons) + "\nRule " + a.rule + ".";
      r.rule_source = a.source;
      cards.push_back(r);
    }
  }

  // Side effects logged severe or intolerable since the current trial began (clinical.md A6).
  const Date since = trial->steps.empty() ? plan.start : trial->steps.front().range.begin();
  for (const auto &e : repo.adverse_effects(patient_id)) {
    if (e.at.date < since ||
        (e.severity != AeSeverity::severe && e.severity != AeSeverity::intolerable)) {
      continue;
    }
    const bool intolerable = e.severity == AeSeverity::intolerable;
    Card c;
    c.kind = intolerable ? "side-effect.intolerable" : "side-effect.severe";
    c.indicator = intolerable ? Indicator::critical : Indicator::warning;
    const std::string what = printable(e.description, 60);
    c.summary =
        summary_text(std::string(intolerable ? "Intolerable" : "Severe") + " side effect on " +
                     trial->drug + " logged " + iso(e.at.date) + ": " + what + ".");
    c.detail = intolerable
                   ? "An intolerable side effect means switching at once, with the taper "
                     "(clinical.md A6). Assess the patient (titrate assess " +
                         patient_id + ")."
                   : "A severe side effect holds the dose: no escalation while it lasts, the "
                     "reason is shown at the next assessment (clinical.md A6).";
    c.rule_source = "clinical.md A6 (tolerability)";
    cards.push_back(c);
  }
  return cards;
}

// ---- order-select / order-sign

namespace {

std::optional<Dose> strength_of(const Formulary &f, const std::string &drug,
                                const std::string &rxcui) {
  const Monograph *m = f.find(drug);
  if (!m)
    return std::nullopt;
  for (const auto &s : m->strengths)
    if (s.rxcui == rxcui)
      return s.dose;
  return std::nullopt;
}

// Milligrams a day from dosageInstruction: each Dosage's doseQuantity (mg, or a count of an SCD
// coded unit) x timing.repeat frequency / period in days. Sequenced dosages (a titration) give
// the highest day; unsequenced ones are taken together and add up.
std::optional<Dose> daily_dose(const json &mr, std::optional<Dose> unit_strength,
                               std::string &why) {
  const auto it = mr.find("dosageInstruction");
  if (it == mr.end() || !it->is_array() || it->empty()) {
    why = "no dosageInstruction";
    return std::nullopt;
  }
  std::map<std::int64_t, double> per_sequence; // mg a day
  for (const auto &d : *it) {
    const std::int64_t seq = d.value("sequence", std::int64_t{0});
    const json *q = nullptr;
    if (d.contains("doseAndRate") && d["doseAndRate"].is_array() && !d["doseAndRate"].empty()) {
      const auto &dr = d["doseAndRate"][0];
      if (dr.contains("doseQuantity") && dr["doseQuantity"].is_object())
        q = &dr["doseQuantity"];
    }
    if (!q || !q->contains("value") || !(*q)["value"].is_number()) {
      why = "a dosage without doseQuantity";
      return std::nullopt;
    }
    const double value = (*q)["value"].get<double>();
    const std::string unit = q->value("code", q->value("unit", std::string()));
    double mg = 0;
    if (unit == "mg") {
      mg = value;
    } else if (unit_strength && (unit == "{capsule}" || unit == "{tablet}" || unit == "1" ||
                                 unit == "{tbl}" || unit == "{cap}")) {
      mg = value * unit_strength->mg();
    } else {
      why = "doseQuantity unit \"" + printable(unit, 20) +
            "\" (expected mg, or a count of an "
            "RxNorm clinical drug's units)";
      return std::nullopt;
    }
    double per_day = 1;
    const json *rep = nullptr;
    if (d.contains("timing") && d["timing"].is_object() && d["timing"].contains("repeat"))
      rep = &d["timing"]["repeat"];
    if (rep && rep->is_object()) {
      const double freq = rep->value("frequency", 1.0);
      const double period = rep->value("period", 1.0);
      const std::string unit_p = rep->value("periodUnit", std::string("d"));
      const double days = unit_p == "d"    ? period
                          : unit_p == "h"  ? period / 24.0
                          : unit_p == "wk" ? period * 7
                                           : -1;
      if (days <= 0 || freq <= 0) {
        why = "timing.repeat periodUnit \"" + printable(unit_p, 8) + "\" (expected h, d or wk)";
        return std::nullopt;
      }
      per_day = freq / days;
    }
    per_sequence[seq] += mg * per_day;
  }
  double most = 0;
  for (const auto &[seq, mg] : per_sequence)
    most = std::max(most, mg);
  if (!std::isfinite(most) || most <= 0 || most > 100000) {
    why = "a daily dose that cannot be true";
    return std::nullopt;
  }
  return Dose::micrograms(static_cast<std::int64_t>(std::llround(most * 1000)));
}

} // namespace

std::vector<DraftOrder> read_draft_orders(const json &draft_orders,
                                          const std::vector<std::string> &selections,
                                          const EhrCodes &codes, const Formulary &f) {
  if (!draft_orders.is_object() || draft_orders.value("resourceType", "") != "Bundle") {
    throw InputError("context.draftOrders: expected a FHIR Bundle of draft orders");
  }
  std::vector<DraftOrder> out;
  const auto entries = draft_orders.find("entry");
  if (entries == draft_orders.end())
    return out;
  if (!entries->is_array())
    throw InputError("context.draftOrders.entry: expected an array");
  for (const auto &e : *entries) {
    if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) {
      throw InputError("context.draftOrders.entry: an entry without a resource object");
    }
    const json &r = e["resource"];
    if (r.value("resourceType", "") != "MedicationRequest")
      continue;
    DraftOrder d;
    d.id = r.value("id", "");
    if (!selections.empty() && std::find(selections.begin(), selections.end(),
                                         "MedicationRequest/" + d.id) == selections.end()) {
      continue;
    }
    d.subject = r.value("subject", json::object());
    std::string rxcui;
    const json *codeable =
        r.contains("medicationCodeableConcept") ? &r["medicationCodeableConcept"] : nullptr;
    if (codeable && codeable->contains("coding") && (*codeable)["coding"].is_array()) {
      for (const auto &c : (*codeable)["coding"]) {
        if (c.value("system", "") != rxnorm_system)
          continue;
        const std::string code = c.value("code", "");
        if (const auto name = codes.medication_of(code)) {
          d.medication = *name;
          if (f.find(*name)) {
            d.drug = *name;
            rxcui = code;
          }
          break;
        }
      }
      if (d.medication.empty())
        d.medication = codeable->value("text", std::string("an order"));
    }
    if (!d.drug.empty())
      d.daily = daily_dose(r, strength_of(f, d.drug, rxcui), d.dose_note);
    out.push_back(d);
  }
  return out;
}

namespace {

std::string findings_md(const std::vector<Finding> &reasons) {
  std::string s;
  for (const auto &r : reasons) {
    s += "- **" + std::string(r.severity == Severity::avoid ? "avoid" : "caution") +
         "**: " + r.text + " (" + r.source + ")\n";
  }
  return s;
}

std::string context_md(const OrderContext &ctx, const EligibilityReport *rep) {
  std::string s;
  if (rep) {
    s += "\nCrCl " + num(rep->crcl_ml_min) + " mL/min (" +
         (rep->crcl_given ? "given" : "Cockcroft-Gault, clinical.md A2") + ").";
  }
  if (ctx.patient && !ctx.patient->sources.empty()) {
    s += "\n\nRead from the EHR:\n";
    for (const auto &v : ctx.patient->sources) {
      s += "- " + v.field + ": " + v.resource + (v.date.empty() ? "" : " of " + v.date) +
           (v.note.empty() ? "" : " (" + v.note + ")") + "\n";
    }
  }
  for (const auto &c : ctx.cautions)
    s += "\n**Caution:** " + c + "\n";
  if (!ctx.fhir.not_checked.empty()) {
    s += "\nNot checked:\n";
    for (const auto &n : ctx.fhir.not_checked)
      s += "- " + n + "\n";
  }
  if (rep && !rep->unchecked_medications.empty()) {
    s += "\nNot checked (unknown medication):";
    for (const auto &m : rep->unchecked_medications)
      s += " " + m;
    s += "\n";
  }
  return s;
}

// The MedicationRequest that replaces a draft: titrate's stage for `drug` from today on, in the
// exporter's shape (sequenced dosageInstruction with boundsPeriod), as a draft order.
json replacement(const DraftOrder &d, const Stage &stage, const PlanVersion &v, const Formulary &f,
                 Date today) {
  json mr;
  mr["resourceType"] = "MedicationRequest";
  if (!d.id.empty())
    mr["id"] = d.id;
  mr["status"] = "draft";
  mr["intent"] = "order";
  const Monograph *m = f.find(stage.drug);
  json med;
  if (m && !m->rxcui.empty()) {
    med["coding"] =
        json::array({{{"system", rxnorm_system}, {"code", m->rxcui}, {"display", stage.drug}}});
  }
  med["text"] = stage.drug;
  mr["medicationCodeableConcept"] = med;
  if (!d.subject.empty())
    mr["subject"] = d.subject;
  mr["note"] = json::array(
      {{{"text", "titrate plan version " + std::to_string(v.version) + " (approved), pathway " +
                     v.plan.pathway + ": " + stage.drug + " from " + iso(today)}}});
  mr["dosageInstruction"] = json(fhir_dosage_instructions(f, stage, today));
  return mr;
}

} // namespace

std::vector<Card> order_cards(const std::vector<DraftOrder> &drafts, const OrderContext &ctx,
                              const Formulary &f, Date today) {
  std::vector<Card> cards;
  bool any_formulary = false;
  std::optional<EligibilityReport> rep;
  if (ctx.patient)
    rep = check_eligibility(*ctx.patient, f, today);
  for (const auto &d : drafts) {
    if (d.drug.empty())
      continue;
    any_formulary = true;
    const std::string name = f.display_name(d.drug);
    if (!rep) {
      Card c;
      c.kind = "order.not-checked";
      c.indicator = Indicator::warning;
      c.summary = summary_text("titrate could not check " + name + ": " + ctx.missing + ".");
      c.detail = ctx.missing_detail +
                 ". No figure was guessed: renal caps and eligibility need a "
                 "serum creatinine and a body weight (Cockcroft-Gault, clinical.md A2)." +
                 context_md(ctx, nullptr);
      c.rule_source = "clinical.md A2";
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
      continue;
    }
    const DrugVerdict *v = rep->find(d.drug);
    if (v && v->verdict != Severity::ok) {
      const bool avoid = v->verdict == Severity::avoid;
      Card c;
      c.kind = avoid ? "order.avoid" : "order.caution";
      c.indicator = avoid ? Indicator::critical : Indicator::warning;
      const Finding *first = nullptr;
      for (const auto &r : v->reasons) {
        if (!first || (r.severity == Severity::avoid && first->severity != Severity::avoid)) {
          first = &r;
        }
      }
      c.summary = summary_text(std::string(avoid ? "Avoid " : "Caution with ") + name + ": " +
                               (first ? first->text : std::string("see details")));
      c.detail = findings_md(v->reasons) +
                 (v->available_from ? "\nAvailable from " + iso(*v->available_from) + ".\n" : "") +
                 context_md(ctx, &*rep);
      std::string sources;
      for (const auto &r : v->reasons) {
        if (sources.find(r.source) == std::string::npos) {
          sources += (sources.empty() ? "" : "; ") + r.source;
        }
      }
      c.rule_source = sources;
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
    }
    if (v && v->max_daily && d.daily && *d.daily > *v->max_daily) {
      Card c;
      c.kind = "order.above-cap";
      c.indicator = Indicator::warning;
      c.summary =
          summary_text(name + " " + d.daily->str() + " a day is above this patient's cap of " +
                       v->max_daily->str() + " a day.");
      // Which cap it is: the renal band's, the label/pathway maximum, or a rule's (age).
      const Monograph &mono = f.get(d.drug);
      std::string which, source;
      if (v->renal_band && v->renal_band->max_daily && *v->renal_band->max_daily == *v->max_daily) {
        which = "the renal band's maximum (" + v->renal_band->text + ")";
        source = v->renal_band->cite.source;
      } else if (mono.titration.max_daily == *v->max_daily) {
        which = "the label and pathway maximum";
        source = mono.titration.cite.source;
      } else {
        which = "a rule for this patient (see the reasons)";
        for (const auto &r : v->reasons)
          source += (source.empty() ? "" : "; ") + r.source;
      }
      c.detail = "The cap of " + v->max_daily->str() + " a day is " + which + ", source " + source +
                 "." + context_md(ctx, &*rep);
      c.rule_source = source;
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
    }
    if (!d.daily) {
      Card c;
      c.kind = "order.dose-not-read";
      c.indicator = Indicator::info;
      c.summary = summary_text("titrate could not read the daily dose of this " + name +
                               " order, so its cap was not checked.");
      c.detail = "Why: " + d.dose_note + ".";
      c.rule_source = "CDS Hooks order-select/order-sign draftOrders (FHIR R4 Dosage)";
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
    }
    for (const auto &a : ctx.fhir.allergy_drugs) {
      if (a != d.drug)
        continue;
      Card c;
      c.kind = "order.allergy";
      c.indicator = Indicator::warning;
      c.summary = summary_text("The EHR records an allergy or intolerance to " + name + ".");
      c.detail =
          "titrate has no allergy rule of its own; the record is shown as the EHR gave it:\n";
      for (const auto &line : ctx.fhir.allergies)
        c.detail += "- " + line + "\n";
      c.rule_source = "the EHR's AllergyIntolerance record";
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
    }
    // The active plan's current step.
    if (ctx.active) {
      const auto today_steps = ctx.active->plan.on(today);
      const Stage *same = nullptr;
      const Step *step = nullptr;
      for (const auto &[st, sp] : today_steps) {
        if (st->drug == d.drug) {
          same = st;
          step = sp;
        }
      }
      const Stage *trial = ctx.active->plan.current_trial();
      const bool on_trial_today =
          trial && std::any_of(today_steps.begin(), today_steps.end(),
                               [&](const auto &p) { return p.first == trial; });
      const Stage *target = same ? same : (on_trial_today ? trial : nullptr);
      const bool off_plan = !same || (d.daily && step && *d.daily != step->daily);
      if (off_plan && target) {
        const Step *target_step = nullptr;
        for (const auto &[st, sp] : today_steps)
          if (st == target)
            target_step = sp;
        Card c;
        c.kind = "order.off-plan";
        c.indicator = Indicator::warning;
        c.summary = summary_text(
            same ? "This " + name + " order (" + (d.daily ? d.daily->str() : "dose unread") +
                       " a day) differs from titrate's plan: " + target_step->daily.str() +
                       " a day today."
                 : "This " + name + " order is off titrate's plan: the plan has " +
                       f.display_name(target->drug) + " " + target_step->daily.str() +
                       " a day today.");
        c.detail = "titrate plan version " + std::to_string(ctx.active->version) +
                   " (approved by a pharmacist), pathway " + ctx.active->plan.pathway +
                   ". Accept the suggestion to replace the draft by the plan's current step and "
                   "the steps after it.";
        c.rule_source = "titrate plan version " + std::to_string(ctx.active->version) +
                        " (pathway " + ctx.active->plan.pathway + ")";
        c.suggestion = Suggestion{"Replace with titrate's plan: " + target->drug + " " +
                                      target_step->daily.str() + " a day from " + iso(today),
                                  "Update the draft order " +
                                      (d.id.empty() ? std::string() : "MedicationRequest/" + d.id) +
                                      " to titrate's current step",
                                  replacement(d, *target, *ctx.active, f, today)};
        cards.push_back(c);
      }
    }
  }
  if (any_formulary && rep) {
    for (const auto &caution : ctx.cautions) {
      Card c;
      c.kind = "lab.stale";
      c.indicator = Indicator::warning;
      c.summary = summary_text("A laboratory value used for this check is old: confirm it "
                               "describes the patient today.");
      c.detail = caution;
      c.rule_source = "formulary/ehr/codes.toml [rules] lab_max_age_days (project rule)";
      c.link_to_patient = ctx.active.has_value();
      cards.push_back(c);
    }
  }
  return cards;
}

} // namespace titrate::ehr
