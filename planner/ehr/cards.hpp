#pragma once
// The CDS Hooks cards: what titrate tells a clinician inside the EHR. Pure decisions
// over the store's records and the FHIR input; the web layer (planner/web/cds_hooks.cpp) turns
// them into the specification's JSON (uuid, source, links). Every card names the rule that fired
// and its source; a summary is one sentence under 140 characters (CDS Hooks 2.0 §Card Attributes).
#include "planner/ehr/fhir_input.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/repository.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace titrate::ehr {

enum class Indicator { info, warning, critical };
constexpr auto words_of(Indicator) {
  using enum Indicator;
  return enum_words<Indicator>({"indicator"},
                               {{info, "info"}, {warning, "warning"}, {critical, "critical"}});
}
using titrate::to_string; // found with an Indicator by argument-dependent lookup

struct Suggestion {
  std::string label;
  std::string description;         // the action's description
  nlohmann::ordered_json resource; // the MedicationRequest that replaces the draft (update)
};

struct Card {
  std::string kind;    // stable id for tests and the audit, e.g. "assessment.overdue"
  std::string summary; // < 140 characters
  Indicator indicator = Indicator::info;
  std::string detail;      // GitHub-flavoured markdown: the numbers, reasons and sources
  std::string rule_source; // the rule's source, e.g. "clinical.md A6 (IMMPACT, Farrar 2001)"
  std::optional<Suggestion> suggestion;
  bool link_to_patient = true; // link to the titrate clinic page of the patient
};

// Cuts a summary to under 140 characters at a word, with "..." when cut.
std::string summary_text(const std::string &s);

// patient-view: cards for a titrate patient (NotFound: none). Assessment due or overdue, window
// short of scores, the response or non-response with its numbers once the decision date is
// reached, a side effect logged severe or intolerable since the current trial began, a plan
// version awaiting pharmacist review.
std::vector<Card> patient_view_cards(Repository &repo, const Formulary &f,
                                     const std::vector<Pathway> &pathways,
                                     const std::string &patient_id, Date today);

// One draft MedicationRequest as read from draftOrders.
struct DraftOrder {
  std::string id;            // MedicationRequest.id
  std::string drug;          // formulary drug ("" when not a formulary drug)
  std::string medication;    // what it is, for messages
  std::optional<Dose> daily; // when the dosage could be read (mg a day)
  std::string dose_note;     // why the daily dose could not be read
  nlohmann::json subject;    // the draft's subject, kept in the suggestion
};
// The draft MedicationRequests of draftOrders (a Bundle); with `selections` non-empty, only
// those ("MedicationRequest/ID"). InputError naming the element when draftOrders is malformed.
std::vector<DraftOrder> read_draft_orders(const nlohmann::json &draft_orders,
                                          const std::vector<std::string> &selections,
                                          const EhrCodes &codes, const Formulary &f);

struct OrderContext {
  const FhirInput &fhir;             // what prefetch gave
  std::vector<std::string> cautions; // stale labs (FhirReader::cautions)
  std::optional<Patient> patient;    // built from prefetch (nullopt: no creatinine or weight)
  std::string missing;               // why `patient` is absent, short (a card summary)
  std::string missing_detail;        // the reader's full message
  std::optional<PlanVersion> active; // titrate's approved plan for the patient, if any
};

// order-select / order-sign: for each draft of a formulary drug, critical for avoid, warning for
// caution, a daily dose above the patient's cap, or off the active plan (with a suggestion that
// replaces the draft by titrate's current step); a drug the EHR records an allergy to; a stale
// laboratory value. Drafts of other medicines get no card.
std::vector<Card> order_cards(const std::vector<DraftOrder> &drafts, const OrderContext &ctx,
                              const Formulary &f, Date today);

} // namespace titrate::ehr
