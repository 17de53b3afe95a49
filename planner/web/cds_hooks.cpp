// The CDS Hooks service (cds_hooks.hpp), one coherent thing: its routes, the checks every request
// passes (trust, the request's shape), the three hooks and their feedback. The trusted clients
// file and the fetching of their keys are in cds_clients.cpp.
#include "planner/web/cds_hooks.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/ehr/cards.hpp"
#include "planner/export/fhir.hpp"
#include "planner/web/fhir_server.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>

namespace titrate::web {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

constexpr const char *service_view = "titrate-patient-view";
constexpr const char *service_select = "titrate-order-select";
constexpr const char *service_sign = "titrate-order-sign";
constexpr const char *override_system =
    "http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes";

// The prefetch templates of the order services (CDS Hooks 2.0 §Prefetch Template, within
// §Prefetch query restrictions: reads, token equality, _sort, _count).
const std::vector<std::pair<std::string, std::string>> &order_prefetch() {
  static const std::vector<std::pair<std::string, std::string>> p = {
      {"patient", "Patient/{{context.patientId}}"},
      {"creatinine", "Observation?patient={{context.patientId}}&code=http://loinc.org|2160-0,"
                     "http://loinc.org|14682-9&_sort=-date&_count=1"},
      {"weight", "Observation?patient={{context.patientId}}&code=http://loinc.org|29463-7"
                 "&_sort=-date&_count=1"},
      {"medications", "MedicationRequest?patient={{context.patientId}}&status=active"},
      {"medicationStatements", "MedicationStatement?patient={{context.patientId}}&status=active"},
      {"conditions", "Condition?patient={{context.patientId}}&clinical-status=active"},
      {"allergies", "AllergyIntolerance?patient={{context.patientId}}"},
  };
  return p;
}
// Without these titrate cannot check an order (renal caps, interactions, contraindications).
const std::vector<std::string> required_order_prefetch = {"patient", "creatinine", "weight",
                                                          "medications", "conditions"};

// A prefetch template with {{context.patientId}} filled in (the only token the templates use),
// as a query relative to the FHIR server's base.
std::string fill_prefetch_template(const std::string &tmpl, const std::string &patient_id) {
  static const std::string token = "{{context.patientId}}";
  std::string out = tmpl;
  for (auto at = out.find(token); at != std::string::npos; at = out.find(token, at)) {
    out.replace(at, token.size(), patient_id);
    at += patient_id.size();
  }
  return out;
}

// A FHIR resource id (FHIR R4 §2.24.0.1 "id": [A-Za-z0-9\-\.]{1,64}): safe to put in a URL.
bool fhir_id(const std::string &id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

// The request's FHIR server and its access token (a Bearer token; used for this request only).
FhirServerAccess fhir_access(const json &body) {
  FhirServerAccess a{body["fhirServer"].get<std::string>(), ""};
  if (body.contains("fhirAuthorization") && body["fhirAuthorization"].is_object()) {
    const json &auth = body["fhirAuthorization"];
    if (auth.contains("access_token") && auth["access_token"].is_string())
      a.bearer_token = auth["access_token"].get<std::string>();
  }
  return a;
}

ordered discovery() {
  ordered services = ordered::array();
  const std::string usage =
      "The EHR's Patient.id is titrate's patient id (import the patient with titrate patient "
      "import ID --fhir FILE, ID = the EHR's Patient.id). Every call carries a JWT signed by a "
      "client the clinic trusts (docs/ehr.md).";
  services.push_back(
      {{"hook", "patient-view"},
       {"title", "titrate: titration status"},
       {"description", "Cards when the patient's dose titration needs the clinician: assessment "
                       "due or overdue, assessment window short of pain scores, response or "
                       "non-response with its numbers, a severe or intolerable side effect, a "
                       "plan awaiting pharmacist review."},
       {"id", service_view},
       {"usageRequirements", usage},
       {"version", "2.0.1"}});
  ordered prefetch = ordered::object();
  for (const auto &[k, v] : order_prefetch())
    prefetch[k] = v;
  for (const auto &[hook, id, what] : {std::tuple<const char *, const char *, const char *>{
                                           "order-select", service_select, "selected"},
                                       {"order-sign", service_sign, "about to be signed"}}) {
    services.push_back(
        {{"hook", hook},
         {"title", std::string("titrate: neuropathic pain drug check (") + hook + ")"},
         {"description",
          std::string("Checks draft MedicationRequests ") + what +
              " of titrate's formulary drugs (duloxetine, gabapentin, pregabalin, amitriptyline, "
              "nortriptyline) against the patient: contraindications, renal and age caps, "
              "interactions, and the approved titration plan's current step (with a suggestion "
              "that replaces the draft by it). Needs the prefetch keys patient, creatinine, "
              "weight, medications and conditions, read from fhirServer when not prefetched; "
              "answers 412 without them."},
         {"id", id},
         {"prefetch", prefetch},
         {"usageRequirements", usage},
         {"version", "2.0.1"}});
  }
  return {{"services", services}};
}

ordered operation_outcome(const std::string &code, const std::string &text,
                          const std::string &diagnostics = "") {
  ordered issue = {{"severity", "error"}, {"code", code}, {"details", {{"text", text}}}};
  if (!diagnostics.empty())
    issue["diagnostics"] = diagnostics;
  return {{"resourceType", "OperationOutcome"}, {"issue", ordered::array({issue})}};
}

void send(httplib::Response &res, int status, const ordered &body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(body.dump(2) + "\n", "application/json");
}

struct HookError {
  int status;
  std::string code; // OperationOutcome issue code
  std::string text;
  std::string diagnostics;
};

const json &require_obj(const json &j, const char *key, const std::string &where) {
  if (!j.contains(key) || !j[key].is_object()) {
    throw HookError{400, "required", where + "." + key + ": missing; expected an object", ""};
  }
  return j[key];
}

std::string require_str(const json &j, const char *key, const std::string &where) {
  if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty()) {
    throw HookError{400, "required", where + "." + key + ": missing; expected a string", ""};
  }
  return j[key].get<std::string>();
}

// What was issued, so feedback can name the patient and the card in the audit.
struct IssuedCard {
  std::string service, patient, kind, summary;
  std::vector<std::string> suggestions;
};

class CardLog {
public:
  void add(const std::string &uuid, IssuedCard c) {
    std::lock_guard<std::mutex> lock(m_);
    if (cards_.emplace(uuid, std::move(c)).second)
      order_.push_back(uuid);
    while (order_.size() > limit) {
      cards_.erase(order_.front());
      order_.pop_front();
    }
  }
  std::optional<IssuedCard> find(const std::string &uuid) {
    std::lock_guard<std::mutex> lock(m_);
    const auto it = cards_.find(uuid);
    if (it == cards_.end())
      return std::nullopt;
    return it->second;
  }
  static constexpr std::size_t limit = 20000;

private:
  std::mutex m_;
  std::map<std::string, IssuedCard> cards_;
  std::deque<std::string> order_;
};

struct Service {
  explicit Service(CdsMount &mount) : m(mount) {}
  CdsMount &m;
  CardLog log;

  // ---- trust ----
  std::string client_of(const httplib::Request &req) {
    const std::string auth = req.get_header_value("Authorization");
    if (auth.empty()) {
      if (m.config.allow_unsigned)
        return "unsigned-local-test";
      throw HookError{401, "login",
                      "no Authorization: Bearer JWT; expected one signed by a "
                      "trusted CDS client (CDS Hooks 2.0 Trusting CDS Clients)",
                      ""};
    }
    if (auth.rfind("Bearer ", 0) != 0) {
      throw HookError{401, "login", "Authorization is not a Bearer token", ""};
    }
    if (!m.config.verifier || m.config.verifier->empty()) {
      throw HookError{401, "login",
                      "no trusted CDS clients are configured (titrate serve "
                      "--cds-clients FILE)",
                      ""};
    }
    try {
      const auto v =
          m.config.verifier->verify(auth.substr(7), m.config.base_url + req.path, m.now());
      return v.iss;
    } catch (const JwtError &e) {
      throw HookError{401, "security", std::string("JWT refused: ") + e.what(), ""};
    }
  }

  void refuse(const httplib::Request &req, httplib::Response &res, const HookError &e) {
    if (e.status == 401) {
      res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      try { // one call: it takes a store connection of its own (RepositoryPool)
        m.repo.append_audit(Actor{"cds-client", "cds-client", "cds"}, "cds.refused", "",
                            req.method + " " + req.path + ": " + e.text);
      } catch (const std::exception &) {
        // the refusal is still answered
      }
    }
    send(res, e.status, operation_outcome(e.code, e.text, e.diagnostics));
  }

  template <class F> httplib::Server::Handler guarded(F body) {
    return [this, body](const httplib::Request &req, httplib::Response &res) {
      try {
        body(req, res);
      } catch (const HookError &e) {
        refuse(req, res, e);
      } catch (const InputError &e) {
        send(res, 400, operation_outcome("invalid", e.what()));
      } catch (const DataError &e) {
        send(res, 400, operation_outcome("invalid", e.what()));
      } catch (const nlohmann::json::exception &e) {
        // An element of the wrong JSON type (e.g. a string sequence in a dosage): bad input.
        send(res, 400, operation_outcome("invalid", std::string("malformed request: ") + e.what()));
      } catch (const std::exception &e) {
        send(res, 500, operation_outcome("exception", std::string("internal error: ") + e.what()));
      }
    };
  }

  json parse_body(const httplib::Request &req) {
    try {
      json j = json::parse(req.body);
      if (!j.is_object())
        throw HookError{400, "structure", "the request is not a JSON object", ""};
      return j;
    } catch (const json::parse_error &) {
      throw HookError{400, "structure", "the request body is not JSON", ""};
    }
  }

  // The request fields every hook shares (CDS Hooks 2.0 §Calling a CDS Service).
  const json &check_request(const json &body, const std::string &hook) {
    const std::string h = require_str(body, "hook", "request");
    if (h != hook) {
      throw HookError{400, "invalid",
                      "request.hook: \"" + printable(h, 40) +
                          "\"; this service "
                          "answers " +
                          hook,
                      ""};
    }
    require_str(body, "hookInstance", "request");
    if (body.contains("fhirAuthorization") && !body.contains("fhirServer")) {
      throw HookError{400, "required",
                      "request.fhirServer: missing; REQUIRED when "
                      "fhirAuthorization is given",
                      ""};
    }
    const json &context = require_obj(body, "context", "request");
    require_str(context, "patientId", "context");
    return context;
  }

  ordered card_json(const ehr::Card &c, const std::string &hook_instance, std::size_t index,
                    const std::string &patient_id, const std::string &service) {
    const std::string uuid =
        name_uuid("titrate:cds:" + hook_instance + ":" + std::to_string(index) + ":" + c.kind);
    ordered j;
    j["uuid"] = uuid;
    j["summary"] = ehr::summary_text(c.summary);
    j["indicator"] = std::string(ehr::to_string(c.indicator));
    j["detail"] = c.detail + "\n\nSource: " + c.rule_source +
                  ". titrate is decision support, not medical advice.";
    const std::string label = "titrate: " + c.rule_source;
    j["source"] = {{"label", label.size() > 100 ? label.substr(0, 97) + "..." : label},
                   {"topic",
                    {{"system", m.config.base_url + "/cds-services/card-kinds"},
                     {"code", c.kind},
                     {"display", c.kind}}}};
    IssuedCard issued{service, patient_id, c.kind, j["summary"].get<std::string>(), {}};
    if (c.suggestion) {
      const std::string suuid =
          name_uuid("titrate:cds:" + hook_instance + ":" + std::to_string(index) + ":suggestion");
      j["suggestions"] =
          ordered::array({{{"label", c.suggestion->label},
                           {"uuid", suuid},
                           {"isRecommended", true},
                           {"actions", ordered::array({{{"type", "update"},
                                                        {"description", c.suggestion->description},
                                                        {"resource", c.suggestion->resource}}})}}});
      j["selectionBehavior"] = "at-most-one";
      issued.suggestions.push_back(suuid);
    }
    if (c.indicator != ehr::Indicator::info) {
      ordered reasons = ordered::array();
      for (const auto &[code, display] :
           {std::pair<const char *, const char *>{"cds-not-applicable",
                                                  "CDS does not apply to patient"},
            {"recipient-disagrees-evidence",
             "Recipient disagrees with recommendation because of issues with the evidence"},
            {"recipient-concerns-outcomes",
             "Recipient has concerns regarding potential health outcomes"},
            {"does-not-align-preferences",
             "Recommendation does not align with patient preferences or values"}}) {
        reasons.push_back({{"system", override_system}, {"code", code}, {"display", display}});
      }
      j["overrideReasons"] = reasons;
    }
    if (c.link_to_patient && !patient_id.empty()) {
      j["links"] = ordered::array({{{"label", "Open " + patient_id + " in titrate"},
                                    {"url", m.config.base_url + "/clinic/patients/" + patient_id},
                                    {"type", "absolute"}}});
    }
    log.add(uuid, std::move(issued));
    return j;
  }

  bool titrate_patient_id(const std::string &id) {
    try {
      validate_patient_id(id);
      return true;
    } catch (const InputError &) {
      return false;
    }
  }

  void patient_view(const httplib::Request &req, httplib::Response &res) {
    client_of(req);
    const json body = parse_body(req);
    const json &context = check_request(body, "patient-view");
    const std::string pid = context["patientId"].get<std::string>();
    const std::string hook_instance = body["hookInstance"].get<std::string>();
    std::vector<ehr::Card> cards;
    if (titrate_patient_id(pid)) {
      const RepositoryPool::Lease lease(m.repo);
      cards = ehr::patient_view_cards(m.repo, m.formulary, m.pathways, pid, m.today());
    }
    ordered out = ordered::array();
    for (std::size_t i = 0; i < cards.size(); ++i) {
      out.push_back(card_json(cards[i], hook_instance, i, pid, service_view));
    }
    send(res, 200, {{"cards", out}});
  }

  void order(const httplib::Request &req, httplib::Response &res, bool sign) {
    client_of(req);
    json body = parse_body(req); // its prefetch is moved out below, not copied
    const std::string hook = sign ? "order-sign" : "order-select";
    const json &context = check_request(body, hook);
    const std::string pid = context["patientId"].get<std::string>();
    const std::string hook_instance = body["hookInstance"].get<std::string>();
    const json &draft_orders = require_obj(context, "draftOrders", "context");
    std::vector<std::string> selections;
    if (!sign) {
      if (!context.contains("selections") || !context["selections"].is_array()) {
        throw HookError{400, "required",
                        "context.selections: missing; expected an array "
                        "(order-select)",
                        ""};
      }
      for (const auto &s : context["selections"]) {
        if (!s.is_string())
          throw HookError{400, "invalid", "context.selections: not strings", ""};
        selections.push_back(s.get<std::string>());
      }
    }
    const Date today = m.today();
    const auto drafts =
        ehr::read_draft_orders(draft_orders, selections, *m.config.codes, m.formulary);
    const bool any_formulary =
        std::any_of(drafts.begin(), drafts.end(), [](const auto &d) { return !d.drug.empty(); });
    if (!any_formulary) {
      send(res, 200, {{"cards", ordered::array()}});
      return;
    }
    // Prefetch: what the order check needs. What the EHR did not prefetch is read from its FHIR
    // server when the request names one (CDS Hooks 2.0 §"FHIR Resource Access"); what neither
    // gives is a 412 (no guessing).
    json prefetch = body.contains("prefetch") && body["prefetch"].is_object()
                        ? std::move(body["prefetch"])
                        : json::object();
    std::map<std::string, std::string> source; // prefetch key -> where it came from
    std::map<std::string, std::string> unread; // prefetch key -> why the server did not give it
    const auto absent = [&prefetch](const std::string &k) {
      return !prefetch.contains(k) || prefetch[k].is_null();
    };
    std::vector<std::string> keys, queries;
    for (const auto &[key, tmpl] : order_prefetch()) {
      if (absent(key)) {
        keys.push_back(key);
        queries.push_back(fill_prefetch_template(tmpl, pid));
      } else {
        source[key] = "prefetch." + key;
      }
    }
    // Why the server was not read at all ("" when it was, or when nothing was missing).
    std::string not_read;
    const bool server = body.contains("fhirServer") && body["fhirServer"].is_string();
    if (!keys.empty() && server) {
      const FhirServerAccess access = fhir_access(body);
      not_read = fhir_server_refusal(access.base);
      if (not_read.empty() && !fhir_id(pid))
        not_read = "context.patientId is not a FHIR id, so it is not put in a query";
      if (not_read.empty()) {
        const auto reads = read_fhir(access, queries, std::chrono::seconds(3));
        for (std::size_t i = 0; i < keys.size(); ++i) {
          if (reads[i].resource) {
            prefetch[keys[i]] = *reads[i].resource;
            source[keys[i]] = "fhirServer " + reads[i].query;
          } else {
            unread[keys[i]] = reads[i].error;
          }
        }
      }
    }
    std::vector<std::string> missing;
    for (const auto &k : required_order_prefetch) {
      if (absent(k))
        missing.push_back(k);
    }
    if (!missing.empty()) {
      std::string list, why;
      for (const auto &k : missing) {
        list += (list.empty() ? "" : ", ") + k;
        if (unread.count(k))
          why += (why.empty() ? "" : "; ") + k + ": " + unread[k];
      }
      throw HookError{412, "processing",
                      "Cannot check the order: the prefetch " + list +
                          (missing.size() == 1 ? " is" : " are") + " missing, and " +
                          (!server ? "the request names no fhirServer to read them from."
                           : !not_read.empty()
                               ? "the EHR's FHIR server was not read: " + not_read + "."
                               : "the EHR's FHIR server did not give " +
                                     std::string(missing.size() == 1 ? "it" : "them") + " (" + why +
                                     ")."),
                      "CDS Hooks prefetch keys absent: " + list};
    }
    ehr::FhirReader reader(*m.config.codes, today);
    for (const auto &[key, tmpl] : order_prefetch()) {
      if (!absent(key))
        reader.add(prefetch[key], source[key]);
    }
    const ehr::FhirInput &in = reader.input();
    if (!in.patient_resource.empty() && in.patient_resource != "Patient/" + pid) {
      throw HookError{
          400, "invalid",
          "prefetch.patient is " + in.patient_resource + " but context.patientId is " + pid, ""};
    }
    ehr::OrderContext ctx{in, reader.cautions(), std::nullopt, "", "", std::nullopt};
    try {
      Patient p = ehr::to_patient(in, titrate_patient_id(pid) ? pid : "EHR", *m.config.codes);
      validate_patient(p, today);
      ctx.patient = std::move(p);
    } catch (const InputError &e) {
      ctx.missing = !in.creatinine                ? "no serum creatinine on record"
                    : !in.weight                  ? "no body weight on record"
                    : in.patient_resource.empty() ? "no Patient in prefetch"
                                                  : "the patient's record cannot be used";
      ctx.missing_detail = e.what();
    }
    if (titrate_patient_id(pid))
      ctx.active = m.repo.active_plan(pid); // one call: a store connection for it alone
    const auto cards = ehr::order_cards(drafts, ctx, m.formulary, today);
    const std::string service = sign ? service_sign : service_select;
    const std::string link_id = ctx.active ? pid : "";
    ordered out = ordered::array();
    for (std::size_t i = 0; i < cards.size(); ++i) {
      out.push_back(card_json(cards[i], hook_instance, i, link_id, service));
    }
    send(res, 200, {{"cards", out}});
  }

  void feedback(const httplib::Request &req, httplib::Response &res, const std::string &service) {
    const std::string client = client_of(req);
    const json body = parse_body(req);
    if (!body.contains("feedback") || !body["feedback"].is_array() || body["feedback"].empty()) {
      throw HookError{400, "required", "feedback: missing; expected a non-empty array", ""};
    }
    struct Row {
      std::string patient, detail;
    };
    std::vector<Row> rows;
    std::size_t n = 0;
    for (const auto &f : body["feedback"]) {
      const std::string at = "feedback[" + std::to_string(n++) + "]";
      if (!f.is_object())
        throw HookError{400, "structure", at + ": expected an object", ""};
      const std::string card = require_str(f, "card", at);
      const std::string outcome = require_str(f, "outcome", at);
      const std::string when = require_str(f, "outcomeTimestamp", at);
      // RFC 3339 section 5.6 in UTC: YYYY-MM-DDTHH:MM:SS[.frac]Z, a real date.
      const bool shape = when.size() >= 20 && when.back() == 'Z' && when[10] == 'T' &&
                         when[13] == ':' && when[16] == ':';
      try {
        if (!shape)
          throw InputError("");
        parse_date(when.substr(0, 10));
      } catch (const InputError &) {
        throw HookError{400, "invalid",
                        at + ".outcomeTimestamp: \"" + printable(when, 40) +
                            "\"; expected a UTC time such as 2026-11-30T10:05:31Z",
                        ""};
      }
      const auto issued = log.find(card);
      std::string detail = service + " card " + card;
      if (issued)
        detail += " (" + issued->kind + ": " + issued->summary + ")";
      if (outcome == "accepted") {
        if (!f.contains("acceptedSuggestions") || !f["acceptedSuggestions"].is_array() ||
            f["acceptedSuggestions"].empty()) {
          throw HookError{400, "required",
                          at + ".acceptedSuggestions: missing; REQUIRED for an "
                               "accepted outcome",
                          ""};
        }
        detail += " accepted suggestion";
        for (const auto &s : f["acceptedSuggestions"]) {
          if (!s.is_object() || !s.contains("id") || !s["id"].is_string()) {
            throw HookError{400, "invalid", at + ".acceptedSuggestions: each needs an id", ""};
          }
          detail += " " + printable(s["id"].get<std::string>(), 64);
        }
      } else if (outcome == "overridden") {
        detail += " overridden";
        if (f.contains("overrideReason")) {
          const json &r = f["overrideReason"];
          if (!r.is_object())
            throw HookError{400, "invalid", at + ".overrideReason: expected an object", ""};
          if (r.contains("reason") && r["reason"].is_object()) {
            detail += "; reason " + printable(r["reason"].value("code", ""), 64) +
                      (r["reason"].contains("display")
                           ? " \"" + printable(r["reason"].value("display", ""), 120) + "\""
                           : "");
          }
          if (r.contains("userComment") && r["userComment"].is_string()) {
            detail += "; comment \"" + printable(r["userComment"].get<std::string>(), 500) + "\"";
          }
        }
      } else {
        throw HookError{400, "invalid",
                        at + ".outcome: \"" + printable(outcome, 20) +
                            "\"; expected accepted or overridden",
                        ""};
      }
      detail += " at " + printable(when, 40) + " (client " + printable(client, 100) + ")";
      rows.push_back({issued ? issued->patient : "", detail});
    }
    // One transaction on one store connection: atomically() leases it for its whole body.
    m.repo.atomically([&] {
      for (const auto &r : rows) {
        std::string patient = r.patient;
        if (!patient.empty() && !m.repo.patient(patient))
          patient.clear();
        m.repo.append_audit(Actor{printable(client, 100), "cds-client", "cds"}, "cds.feedback",
                            patient, r.detail);
      }
    });
    send(res, 200, {{"stored", rows.size()}});
  }
};

} // namespace

void mount_cds_hooks(httplib::Server &svr, CdsMount &mount) {
  // One Service per mount, kept alive by the handlers that capture it.
  auto s = std::make_shared<Service>(mount);
  svr.Get("/cds-services", s->guarded([s](const httplib::Request &req, httplib::Response &res) {
    s->client_of(req);
    send(res, 200, discovery());
  }));
  svr.Post(
      std::string("/cds-services/") + service_view,
      s->guarded([s](const httplib::Request &q, httplib::Response &r) { s->patient_view(q, r); }));
  svr.Post(
      std::string("/cds-services/") + service_select,
      s->guarded([s](const httplib::Request &q, httplib::Response &r) { s->order(q, r, false); }));
  svr.Post(
      std::string("/cds-services/") + service_sign,
      s->guarded([s](const httplib::Request &q, httplib::Response &r) { s->order(q, r, true); }));
  svr.Post(R"(/cds-services/([A-Za-z0-9-]+)/feedback)",
           s->guarded([s](const httplib::Request &q, httplib::Response &r) {
             const std::string id = q.matches[1];
             if (id != service_view && id != service_select && id != service_sign) {
               throw HookError{404, "not-found", "no CDS service " + printable(id, 40), ""};
             }
             s->feedback(q, r, id);
           }));
}

} // namespace titrate::web
