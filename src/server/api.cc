// The API's router: the route table, health and metrics, who is asking (a session token from the Authorization header
// or the session cookie), the loaded elections and the audit trail. The handlers are in api_*.cc, one file a resource.
#include "server/api.h"

#include <cstdio>
#include <ctime>

#include "common/hash.h"
#include "common/text.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::kCookie;

extern const char kOpenApiJson[];  // src/server/openapi.json, embedded at build time

Api::Api(store::Store& store, app::LedgerWriter& writer, Metrics& metrics, ApiOptions options)
    : store_(store),
      metrics_(metrics),
      options_(std::move(options)),
      account_throttle_(options_.login_failures, options_.login_window_seconds),
      address_throttle_(options_.login_failures * 4, options_.login_window_seconds),
      writer_(writer) {
  if (!options_.clock) options_.clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
  metrics_.AddGauge("tepat_documents_posted_total", "Documents posted through this server since it started.", "counter",
                    [this] { return static_cast<double>(documents_posted_.load()); });
  metrics_.AddGauge("tepat_live_subscribers", "Open event streams (server-sent events).", "gauge",
                    [this] { return static_cast<double>(subscribers()); });
}

Api::~Api() { StopSimulations(); }

void Api::AddElection(std::unique_ptr<LoadedElection> election) {
  const std::string id = election->data->definition.id;
  writer_.Use(*election->data);
  elections_[id] = std::move(election);
}

LoadedElection* Api::FindElection(const std::string& id) {
  auto it = elections_.find(id);
  return it == elections_.end() ? nullptr : it->second.get();
}

void Api::Record(const access::Principal& who, const Request& req, std::string action, std::string target,
                 std::string region, std::string outcome, std::string detail) {
  // The trail is append-only: what a client sent is written as valid text, whatever bytes it held.
  const access::AuditEntry entry{0,
                                 options_.clock(),
                                 who.username.empty() ? "-" : ToValidUtf8(who.username),
                                 req.remote,
                                 std::move(action),
                                 ToValidUtf8(target),
                                 ToValidUtf8(region),
                                 std::move(outcome),
                                 ToValidUtf8(detail)};
  const Status written = store_.AppendAudit(entry);
  if (!written.ok()) std::fprintf(stderr, "tepat serve: audit: %s\n", written.error().ToString().c_str());
}

void Api::AnswerOn(std::function<void(std::function<void()>)> run_on_io) { run_on_io_ = std::move(run_on_io); }

Result<access::Principal> Api::Authenticate(const Request& req, bool& anonymous) {
  std::string token;
  const std::string_view authorization = req.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    token = std::string(authorization.substr(7));
  } else {
    token = req.Cookie(kCookie);
  }
  anonymous = token.empty();
  if (anonymous) return access::Principal{};
  const auto session = TRY(store_.FindSession(Sha256Hex(token), options_.clock()));
  if (!session) return InvalidInput("the session has ended or the token is not valid: log in again");
  const auto account = TRY(store_.FindAccountById(session->account));
  if (!account || account->disabled) return InvalidInput("the account is disabled");
  return access::PrincipalOf(*account);
}

void Api::AddRoutes(Router& router) {
  auto bind = [this](Response (Api::*handler)(Request&)) {
    return [this, handler](Request& req) { return (this->*handler)(req); };
  };
  router.Add("GET", "/healthz", [](Request&) { return Response::Json(200, "{\"status\":\"ok\"}"); });
  router.Add("GET", "/readyz", [this](Request&) {
    if (!ready_) return Response::Error(503, "unavailable", "loading the elections' data");
    json::Builder out;
    out.StartObject().String("status", "ready").StartArray("elections");
    for (const auto& [id, e] : elections_) out.String(id);
    return Response::Json(200, out.EndArray().EndObject().Take());
  });
  router.Add("GET", "/metrics", [this](Request&) {
    Response r = Response::Json(200, metrics_.Render());
    r.content_type = "text/plain; version=0.0.4";
    return r;
  });
  router.Add("GET", "/api/v1/openapi.json", [](Request&) { return Response::Json(200, kOpenApiJson); });
  router.Add("POST", "/api/v1/auth/login", bind(&Api::Login), 4 << 10);
  router.Add("POST", "/api/v1/auth/logout", bind(&Api::Logout), 1 << 10);
  router.Add("GET", "/api/v1/auth/me", bind(&Api::Me));
  router.Add("POST", "/api/v1/auth/password", bind(&Api::ChangePassword), 4 << 10);
  router.Add("GET", "/api/v1/regions", bind(&Api::SearchRegions));
  router.Add("GET", "/api/v1/regions/{code}", bind(&Api::Region));
  router.Add("GET", "/api/v1/elections", bind(&Api::Elections));
  router.Add("GET", "/api/v1/elections/{election}/readiness", bind(&Api::Readiness));
  router.Add("GET", "/api/v1/elections/{election}/readiness/problems", bind(&Api::Problems));
  router.Add("GET", "/api/v1/elections/{election}/tps", bind(&Api::TpsList));
  router.Add("GET", "/api/v1/elections/{election}/tps/{code}", bind(&Api::TpsDetail));
  router.Add("GET", "/api/v1/elections/{election}/needs", bind(&Api::Needs));
  router.Add("GET", "/api/v1/elections/{election}/ledger", bind(&Api::LedgerStatus));
  router.Add("POST", "/api/v1/elections/{election}/documents", bind(&Api::PostDocument), 4 << 20);
  router.Add("GET", "/api/v1/elections/{election}/nodes/{node}/documents", bind(&Api::NodeDocuments));
  router.Add("GET", "/api/v1/elections/{election}/kits/{kit}", bind(&Api::Kit));
  router.Add("GET", "/api/v1/documents/{id}", bind(&Api::GetDocument));
  router.Add("POST", "/api/v1/documents/{id}/reversal", bind(&Api::ReverseDocument));
  router.Add("GET", "/api/v1/audit", bind(&Api::Audit));
  router.Add("POST", "/api/v1/ledger/verify", bind(&Api::VerifyLedger), 1 << 10);
  router.Add("GET", "/api/v1/events", bind(&Api::Events));
  router.Add("GET", "/api/v1/checklists", bind(&Api::Checklists));
  router.Add("POST", "/api/v1/elections/{election}/reports", bind(&Api::PostReport), 1 << 20);
  router.Add("GET", "/api/v1/elections/{election}/reports", bind(&Api::Reports));
  router.Add("GET", "/api/v1/elections/{election}/discrepancies", bind(&Api::Discrepancies));
  router.Add("POST", "/api/v1/elections/{election}/findings", bind(&Api::PostFinding), 64 << 10);
  router.Add("GET", "/api/v1/elections/{election}/findings", bind(&Api::Findings));
  router.Add("GET", "/api/v1/findings/{id}", bind(&Api::GetFinding));
  router.Add("POST", "/api/v1/findings/{id}/steps", bind(&Api::StepFinding), 64 << 10);
  router.Add("POST", "/api/v1/elections/{election}/actions", bind(&Api::PostAction), 64 << 10);
  router.Add("GET", "/api/v1/elections/{election}/actions", bind(&Api::Actions));
  router.Add("POST", "/api/v1/actions/{id}", bind(&Api::UpdateAction), 64 << 10);
  router.Add("GET", "/api/v1/elections/{election}/evaluation", bind(&Api::EvaluationReport));
  router.Add("GET", "/api/v1/elections/{election}/vulnerability", bind(&Api::Vulnerability));
  router.Add("GET", "/api/v1/elections/{election}/projection", bind(&Api::Projection));
  router.Add("POST", "/api/v1/elections/{election}/simulations", bind(&Api::PostSimulation), 64 << 10);
  router.Add("GET", "/api/v1/elections/{election}/procurement/{kind}", bind(&Api::ProcurementReference));
  router.Add("GET", "/api/v1/elections/{election}/procurement-plan", bind(&Api::ProcurementPlan));
  router.Add("GET", "/api/v1/elections/{election}/procurement-deliveries", bind(&Api::ProcurementDeliveries));
  router.Add("GET", "/api/v1/elections/{election}/procurement-efficiency", bind(&Api::ProcurementEfficiency));
  router.Add("GET", "/api/v1/elections/{election}/procurement-discrepancies", bind(&Api::ProcurementDiscrepancies));
  router.Add("POST", "/api/v1/elections/{election}/procurement/{kind}", bind(&Api::ImportProcurementReference),
             4 << 20);
  if (!options_.static_dir.empty()) router.Add("GET", "/{*path}", bind(&Api::Static));
}

}  // namespace tepat::server
