// The JSON API (docs/web.md): the shapes of the CLI's --json (design.md §6), for a staff session
// or a patient's bearer token.
#include "planner/web/server_impl.hpp"

#include "planner/export/registry.hpp"
#include "planner/export/time_zone.hpp"

#include <sstream>

namespace titrate::web {

void WebServer::Impl::api_routes() {
  // ---- JSON API: the shapes of the CLI's --json (design.md §6) ----
  svr.Get(R"(/api/patients/([^/]+)/schedule)", guarded(true, [this](Call &c) {
            const std::string id = c.req.matches[1];
            require_api(c, id, app::Permission::read_plan);
            existing_patient(id);
            const auto active = repo.active_plan(id);
            if (!active)
              throw NotFoundError("schedule " + id + ": no approved plan");
            nlohmann::json j = to_json(active->plan);
            j["version"] = active->version;
            j["status"] = std::string(to_string(active->status));
            send_json(c.res, 200, j);
          }));
  svr.Get(R"(/api/patients/([^/]+)/check)", guarded(true, [this](Call &c) {
            const std::string id = c.req.matches[1];
            require_api(c, id, app::Permission::check_patient);
            const PatientRecord rec = existing_patient(id);
            send_json(c.res, 200, to_json(check_eligibility(rec.patient, formulary, cfg.today())));
          }));
  // An export of a stored version, as `titrate export ID --format F [--version N] [--tz Z]` writes
  // it (the same export input, planner/app/plans.hpp; the formats of planner/export/registry).
  svr.Get(R"(/api/patients/([^/]+)/export/([a-z-]{1,32}))", guarded(true, [this](Call &c) {
            const std::string id = c.req.matches[1];
            require_api(c, id, app::Permission::read_plan);
            validate_patient_id(id);
            const ExportFormat &format = export_format(std::string(c.req.matches[2]), "format");
            std::optional<int> version;
            if (c.req.has_param("version")) {
              const std::string v = c.req.get_param_value("version");
              int n = 0;
              const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
              if (ec != std::errc() || ptr != v.data() + v.size() || n < 1) {
                throw InputError("version: \"" + printable(v, 16) +
                                 "\" is not a plan version; expected "
                                 "1 or more");
              }
              version = n;
            }
            const std::string zone = c.req.has_param("tz") ? c.req.get_param_value("tz") : "UTC";
            time_zone_rules(zone, "tz"); // InputError naming the supported zones
            const auto rec = repo.patient(id);
            if (!rec)
              throw NotFoundError("patient " + id + ": not found");
            const PlanVersion v = app::version_to_show(repo, id, version);
            const auto scores = repo.scores(id);
            const ExportContext ec = app::export_context(repo, v, rec->patient, pathways, zone);
            std::ostringstream out;
            format.write(out, ExportInput{v.plan, rec->patient, formulary, scores, ec});
            c.res.status = 200;
            c.res.set_header("Cache-Control", "no-store");
            c.res.set_header("X-Content-Type-Options", "nosniff");
            c.res.set_header("Content-Disposition", "attachment; filename=\"titrate-" + id + "-v" +
                                                        std::to_string(v.version) + "." +
                                                        std::string(format.extension) + "\"");
            c.res.set_content(out.str(), std::string(format.media_type));
          }));
  svr.Get("/api/due", guarded(true, [this](Call &c) {
            const auto u = staff_session(c.req);
            if (!u) {
              if (!c.req.get_header_value("Authorization").empty()) {
                c.actor = Actor{"anonymous", "patient", "web"};
                throw RefusedError("a patient link may not read the due list");
              }
              throw Redirect{"/login"};
            }
            c.actor = Actor{u->name, u->role, "web"};
            app::authorize(c.actor, app::Permission::read_due);
            const int within = due_within_param(c.req, 0);
            const Date today = cfg.today();
            send_json(c.res, 200, due_json(due_list(repo, today, within, pathways), today, within));
          }));
  svr.Post(R"(/api/patients/([^/]+)/scores)", guarded(true, [this](Call &c) {
             const std::string id = c.req.matches[1];
             require_api(c, id, app::Permission::log_observation);
             validate_patient_id(id);
             const Date today = cfg.today();
             const ScoreEntry s = score_from_json(c.req.body, now_local(), today);
             // Committed with the scores other requests are sending now (group_commit.hpp); the
             // answer waits for that commit.
             std::int64_t row = 0;
             c.lease.release();
             writes.run([&] { row = app::record_score(repo, id, s, c.actor, today); });
             c.lease.acquire();
             send_json(c.res, 201,
                       {{"patient", id},
                        {"kind", "score"},
                        {"id", row},
                        {"at", iso(s.at)},
                        {"score", s.score.value()},
                        {"note", s.note},
                        {"supersedes", nullptr}});
           }));
}

} // namespace titrate::web
