// The API's handlers. Each checks who is asking (a session token from the Authorization header or the session
// cookie), what they may see or change (access::), calls the store or a domain module, and answers JSON; every
// change and every login goes to the audit trail.
#include "server/api.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/oversight.h"
#include "app/sim.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/text.h"
#include "common/time.h"
#include "ledger/document.h"
#include "ledger/node.h"
#include "oversight/checklist.h"

namespace tepat::server {

extern const char kOpenApiJson[];  // src/server/openapi.json, embedded at build time

namespace {

constexpr const char* kCookie = "tepat_session";

std::string Quote(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

// A ledger clock as JSON: its instant in WIB, or null before the first document.
std::string ClockJson(int64_t clock) { return clock ? Quote(FormatInstant(clock, 7 * 60)) : "null"; }

// 404 for an election not loaded; 503 while the elections are still loading (it may be one of them).
Response NoSuchElection(const std::string& id, bool ready) {
  if (!ready) {
    return Response::Error(503, "unavailable", "the elections are still loading (see /readyz); try again shortly")
        .With("Retry-After", "5");
  }
  return Response::Error(404, "not_found", "there is no loaded election " + id);
}

std::string RegionJson(const geo::RegionSet& regions, int32_t index) {
  const geo::Region& r = regions.at(index);
  return "{\"code\":" + Quote(r.code) + ",\"name\":" + Quote(r.name) + ",\"level\":" + Quote(geo::LevelName(r.level)) +
         "}";
}

// The regions above region `index` (-1: the nation, which has none), from the province down to its parent, as a
// JSON array; with `self`, region `index` last.
std::string PathJson(const geo::RegionSet& regions, int32_t index, bool self = false) {
  std::vector<int32_t> chain;
  for (int32_t i = index < 0 ? -1 : (self ? index : regions.at(index).parent); i >= 0; i = regions.at(i).parent) {
    chain.push_back(i);
  }
  std::string out = "[";
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (out.size() > 1) out += ',';
    out += RegionJson(regions, *it);
  }
  return out + "]";
}

std::string NumberJson(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "null";
}

// When the stored projection was computed and on what, as JSON.
std::string RunJson(const store::ProjectionRun& run) {
  return "{\"region\":" + Quote(run.region) + ",\"scenarios\":" + std::to_string(run.scenarios) +
         ",\"seed\":" + std::to_string(run.seed) + ",\"as_of\":" + ClockJson(run.as_of) +
         ",\"computed_at\":" + ClockJson(run.computed_at) + "}";
}

// A TPS's risk in the stored projection: the chance of arriving after its deadline with its 95% interval, the
// expected lateness and arrival percentiles, in the TPS's own time zone.
std::string TpsRiskJson(const store::TpsRisk& t, const store::ProjectionRun* run) {
  const int offset = ProvinceUtcOffsetMinutes(std::string_view(t.tps).substr(0, 2));
  std::string out = "{\"tps\":" + Quote(t.tps) + ",\"p_late\":" + NumberJson(t.p_late) + ",\"p_late_95\":[" +
                    NumberJson(t.p_low) + "," + NumberJson(t.p_high) +
                    "],\"expected_lateness_hours\":" + NumberJson(t.lateness_hours) +
                    ",\"arrival_p05\":" + Quote(FormatInstant(t.p05, offset)) +
                    ",\"arrival_p50\":" + Quote(FormatInstant(t.p50, offset)) +
                    ",\"arrival_p95\":" + Quote(FormatInstant(t.p95, offset)) +
                    ",\"deadline\":" + Quote(FormatInstant(t.deadline, offset));
  if (run) out += ",\"projection\":" + RunJson(*run);
  return out + "}";
}

// The readiness of region `index` of a loaded election (-1: the nation) as a JSON object.
void AppendReadiness(std::string& out, const LoadedElection& e, int32_t index) {
  const geo::RegionSet& regions = e.data->regions;
  const bool nation = index < 0;
  readiness::AppendRegionJson(
      out, nation ? "" : regions.at(index).code, nation ? "national" : geo::LevelName(regions.at(index).level),
      nation ? "Indonesia" : regions.at(index).name, e.board->Region(index, e.clock), e.data->definition.items);
}

// The readiness answers an election keeps are dropped all together past this many bytes, and kept afresh.
constexpr size_t kAnswersBudget = 64 << 20;

void ForgetAnswers(LoadedElection& e) {
  e.readiness_answers.clear();
  e.answers_bytes = 0;
  e.answers_clock = e.clock;
}

void ForgetAnswer(LoadedElection& e, int32_t region) {
  if (auto kept = e.readiness_answers.find(region); kept != e.readiness_answers.end()) {
    e.answers_bytes -= kept->second.size();
    e.readiness_answers.erase(kept);
  }
}

// The names of the problems in `mask` as a JSON array.
void AppendProblemNames(std::string& out, readiness::ProblemMask mask) {
  out += '[';
  bool first = true;
  for (int p = 0; p < readiness::kProblems; ++p) {
    if (!(mask & (1u << p))) continue;
    if (!first) out += ',';
    out += Quote(readiness::ProblemName(static_cast<readiness::Problem>(p)));
    first = false;
  }
  out += ']';
}

Response Unauthorized(std::string_view message = "log in first: POST /api/v1/auth/login") {
  return Response::Error(401, "unauthorized", message).With("WWW-Authenticate", "Bearer");
}

Response Forbidden(std::string_view message) { return Response::Error(403, "forbidden", message); }

// A domain error as an HTTP error: refused input 422, missing 404, conflict 409, not allowed 403, the rest 500. The problems of a
// refused document become the details, each with where, field and reason.
Response FromError(const Error& error) {
  int status = 500;
  switch (error.kind()) {
    case ErrorKind::kInvalidInput:
      status = 422;
      break;
    case ErrorKind::kNotFound:
      status = 404;
      break;
    case ErrorKind::kConflict:
      status = 409;
      break;
    case ErrorKind::kPermissionDenied:
      status = 403;
      break;
    default:
      break;
  }
  std::string details;
  if (!error.problems().empty()) {
    details = "[";
    for (size_t i = 0; i < error.problems().size(); ++i) {
      const Problem& p = error.problems()[i];
      details += (i ? ",{\"where\":" : "{\"where\":") + Quote(p.where) + ",\"field\":" + Quote(p.column) +
                 ",\"reason\":" + Quote(p.reason) + "}";
    }
    details += "]";
  }
  return Response::Error(status, StatusCode(status), error.message(), details);
}

// Reads a JSON object body, strictly (json::Parse: valid UTF-8, bounded nesting, no key twice); nothing (and `error`
// set, 400 saying why) when it is not one.
std::optional<rapidjson::Document> JsonBody(const Request& req, Response& error) {
  auto doc = json::Parse("body", req.body);
  if (!doc.ok()) {
    error = Response::Error(400, "bad_request", "the body must be a JSON object; " + doc.error().message());
    return std::nullopt;
  }
  if (!doc.value().IsObject()) {
    error = Response::Error(400, "bad_request", "the body must be a JSON object");
    return std::nullopt;
  }
  return std::move(doc).value();
}

std::string StringField(const rapidjson::Document& doc, const char* name) {
  auto it = doc.FindMember(name);
  return it != doc.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                       : std::string();
}

std::string AccountJson(const access::Account& a) {
  return "{\"username\":" + Quote(a.username) + ",\"role\":" + Quote(access::RoleName(a.role)) +
         ",\"scope\":" + Quote(a.scope) + "}";
}

std::string_view MimeType(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

}  // namespace

struct Api::Subscriber {
  std::string election;
  std::vector<std::string> regions;  // "" for the nation
  std::shared_ptr<EventStream> stream;
};

Api::Api(store::Store& store, app::LedgerWriter& writer, Metrics& metrics, ApiOptions options)
    : store_(store),
      metrics_(metrics),
      options_(std::move(options)),
      account_throttle_(options_.login_failures, options_.login_window_seconds),
      address_throttle_(options_.login_failures * 4, options_.login_window_seconds),
      writer_(writer) {
  metrics_.AddGauge("tepat_documents_posted_total", "Documents posted through this server since it started.", "counter",
                    [this] { return static_cast<double>(documents_posted_.load()); });
  metrics_.AddGauge("tepat_live_subscribers", "Open event streams (server-sent events).", "gauge",
                    [this] { return static_cast<double>(subscribers()); });
}

Api::~Api() { StopSimulations(); }

void Api::StopSimulations() {
  if (simulation_.joinable()) simulation_.join();
}

size_t Api::subscribers() const {
  std::lock_guard lock(subscribers_mutex_);
  return subscribers_.size();
}

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
                                 std::time(nullptr),
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

void Api::AddRoutes(Router& router) {
  auto bind = [this](Response (Api::*handler)(Request&)) {
    return [this, handler](Request& req) { return (this->*handler)(req); };
  };
  router.Add("GET", "/healthz", [](Request&) { return Response::Json(200, "{\"status\":\"ok\"}"); });
  router.Add("GET", "/readyz", [this](Request&) {
    if (!ready_) return Response::Error(503, "unavailable", "loading the elections' data");
    std::string body = "{\"status\":\"ready\",\"elections\":[";
    bool first = true;
    for (const auto& [id, e] : elections_) {
      if (!first) body += ',';
      body += Quote(id);
      first = false;
    }
    return Response::Json(200, body + "]}");
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
  if (!options_.static_dir.empty()) router.Add("GET", "/{*path}", bind(&Api::Static));
}

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
  const auto session = TRY(store_.FindSession(Sha256Hex(token), std::time(nullptr)));
  if (!session) return InvalidInput("the session has ended or the token is not valid: log in again");
  const auto account = TRY(store_.FindAccountById(session->account));
  if (!account || account->disabled) return InvalidInput("the account is disabled");
  return access::PrincipalOf(*account);
}

// Evaluates to the principal, or returns 401 from the handler. `public_ok` lets anonymous callers through as the
// public role.
#define WHO(req, public_ok)                                      \
  ({                                                             \
    bool anonymous_ = false;                                     \
    auto who_ = Authenticate(req, anonymous_);                   \
    if (!who_.ok()) return Unauthorized(who_.error().message()); \
    if (anonymous_ && !(public_ok)) return Unauthorized();       \
    std::move(who_).value();                                     \
  })

Response Api::Login(Request& req) {
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  const std::string username = StringField(*body, "username"), password = StringField(*body, "password");
  if (username.empty() || password.empty()) {
    return Response::Error(400, "bad_request", "username and password are required strings");
  }
  const int64_t now = std::time(nullptr);
  const std::string account_key = "u:" + username, address_key = "a:" + req.remote;
  const int64_t wait =
      std::max(account_throttle_.RetryAfter(account_key, now), address_throttle_.RetryAfter(address_key, now));
  access::Principal attempt{0, username, access::Role::kPublic, ""};
  if (wait > 0) {
    Record(attempt, req, "login", username, "", "refused", "throttled");
    return Response::Error(429, "too_many_requests",
                           "too many failed logins; try again in " + std::to_string(wait) + " s")
        .With("Retry-After", std::to_string(wait));
  }
  auto account = store_.FindAccount(username);
  if (!account.ok()) return FromError(account.error());
  // An unknown name costs the same hashing as a wrong password.
  static const std::string kDummy = HashPassword("tepat-dummy-password-0");
  const bool known = account.value().has_value();
  const bool matches = VerifyPassword(password, known ? account.value()->password_hash : kDummy) && known;
  if (!matches || account.value()->disabled) {
    account_throttle_.Failed(account_key, now);
    address_throttle_.Failed(address_key, now);
    Record(attempt, req, "login", username, "", "refused", matches ? "disabled" : "wrong username or password");
    return Unauthorized("wrong username or password, or the account is disabled");
  }
  account_throttle_.Succeeded(account_key);
  const access::Account& a = *account.value();
  const std::string token = RandomHex(32);
  const access::Session session{Sha256Hex(token), a.id, now, now + options_.session_seconds, req.remote};
  const access::AuditEntry audit{
      0, now, a.username, req.remote, "login", a.username, a.role == access::Role::kVendor ? "" : a.scope, "ok", ""};
  if (Status saved = store_.SaveSession(session, audit); !saved.ok()) return FromError(saved.error());
  std::string cookie = std::string(kCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(options_.session_seconds);
  if (options_.secure_cookie) cookie += "; Secure";
  return Response::Json(200, "{\"token\":" + Quote(token) + ",\"expires_at\":" +
                                 Quote(FormatInstant(session.expires_at, 7 * 60)) + ",\"user\":" + AccountJson(a) + "}")
      .With("Set-Cookie", cookie)
      .With("Cache-Control", "no-store");
}

Response Api::Logout(Request& req) {
  const access::Principal who = WHO(req, false);
  std::string token = req.Header("authorization").starts_with("Bearer ")
                          ? std::string(req.Header("authorization").substr(7))
                          : req.Cookie(kCookie);
  const int64_t now = std::time(nullptr);
  const std::string scope = who.role == access::Role::kVendor ? "" : who.scope;
  const access::AuditEntry audit{0, now, who.username, req.remote, "logout", who.username, scope, "ok", ""};
  if (Status ended = store_.EndSession(Sha256Hex(token), audit, now); !ended.ok()) return FromError(ended.error());
  return Response::Json(200, "{\"status\":\"logged out\"}")
      .With("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

Response Api::Me(Request& req) {
  const access::Principal who = WHO(req, false);
  return Response::Json(200, "{\"username\":" + Quote(who.username) + ",\"role\":" + Quote(access::RoleName(who.role)) +
                                 ",\"scope\":" + Quote(who.scope) + "}");
}

Response Api::ChangePassword(Request& req) {
  const access::Principal who = WHO(req, false);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  const std::string current = StringField(*body, "current_password"), next = StringField(*body, "new_password");
  auto account = store_.FindAccountById(who.account);
  if (!account.ok() || !account.value()) return Unauthorized();
  access::Account a = *account.value();
  // Guessing the current password through a stolen session is throttled as logins are.
  const int64_t now = std::time(nullptr);
  const std::string account_key = "u:" + who.username, address_key = "a:" + req.remote;
  if (const int64_t wait =
          std::max(account_throttle_.RetryAfter(account_key, now), address_throttle_.RetryAfter(address_key, now));
      wait > 0) {
    Record(who, req, "user.passwd", who.username, "", "refused", "throttled");
    return Response::Error(429, "too_many_requests",
                           "too many wrong passwords; try again in " + std::to_string(wait) + " s")
        .With("Retry-After", std::to_string(wait));
  }
  if (!VerifyPassword(current, a.password_hash)) {
    account_throttle_.Failed(account_key, now);
    address_throttle_.Failed(address_key, now);
    Record(who, req, "user.passwd", who.username, "", "refused", "wrong current password");
    return Forbidden("current_password: wrong password");
  }
  if (Status strong = access::CheckPasswordStrength(next); !strong.ok()) {
    return Response::Error(422, "unprocessable", "new_password: " + strong.error().message());
  }
  a.password_hash = HashPassword(next);
  const access::AuditEntry audit{0, std::time(nullptr), who.username, req.remote, "user.passwd", who.username, "", "ok",
                                 ""};
  if (Status saved = store_.UpdateAccount(a, true, audit); !saved.ok()) return FromError(saved.error());
  return Response::Json(200, "{\"status\":\"password changed; every session has ended, log in again\"}");
}

Response Api::Region(Request& req) {
  if (elections_.empty()) return Response::Error(503, "unavailable", "no election is loaded yet");
  const geo::RegionSet& regions = elections_.begin()->second->data->regions;
  const int32_t index = regions.Find(req.params["code"]);
  if (index < 0) return Response::Error(404, "not_found", "there is no region " + req.params["code"]);
  const geo::Region& r = regions.at(index);
  std::string body =
      "{\"code\":" + Quote(r.code) + ",\"name\":" + Quote(r.name) + ",\"level\":" + Quote(geo::LevelName(r.level)) +
      ",\"parent\":" + (r.parent < 0 ? std::string("null") : RegionJson(regions, r.parent)) + ",\"children\":[";
  const auto [first, last] = regions.Subtree(index);
  bool any = false;
  for (int32_t i = first; i < last; ++i) {
    if (regions.at(i).parent != index) continue;
    body += any ? "," : "";
    body += RegionJson(regions, i);
    any = true;
  }
  return Response::Json(200, body + "]}");
}

Response Api::SearchRegions(Request& req) {
  if (elections_.empty()) return Response::Error(503, "unavailable", "no election is loaded yet");
  const geo::RegionSet& regions = elections_.begin()->second->data->regions;
  std::string q = req.Query("q");
  for (char& c : q) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string level = req.Query("level");
  const auto wanted = level.empty() ? std::optional<geo::Level>() : geo::ParseLevel(level);
  if (!level.empty() && !wanted) {
    return Response::Error(400, "bad_request", "level: expected province, regency, district or village");
  }
  const int limit = std::clamp(std::atoi(req.Query("limit", "50").c_str()), 1, 500);
  std::string body = "{\"regions\":[";
  int found = 0;
  for (size_t i = 0; i < regions.size() && found < limit; ++i) {
    const geo::Region& r = regions.at(static_cast<int32_t>(i));
    if (wanted && r.level != *wanted) continue;
    if (q.empty() && !wanted && r.level != geo::Level::kProvince) continue;  // no query: the provinces
    std::string name = r.name;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!q.empty() && name.find(q) == std::string::npos && !r.code.starts_with(q)) continue;
    body += found ? "," : "";
    body += RegionJson(regions, static_cast<int32_t>(i));
    ++found;
  }
  return Response::Json(200, body + "]}");
}

Response Api::Elections(Request&) {
  std::string body = "{\"elections\":[";
  bool first = true;
  for (const auto& [id, e] : elections_) {
    const election::Definition& d = e->data->definition;
    if (!first) body += ',';
    body += "{\"id\":" + Quote(d.id) + ",\"name\":" + Quote(d.name) + ",\"voting_day\":" + Quote(d.voting_day) +
            ",\"deliver_days_before\":" + std::to_string(d.deliver_days_before) +
            ",\"tps\":" + std::to_string(e->board->tps_count()) + ",\"at\":" + ClockJson(e->clock) + "}";
    first = false;
  }
  return Response::Json(200, body + "]}");
}

Response Api::Readiness(Request& req) {
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const geo::RegionSet& regions = e->data->regions;
  const std::string code = req.Query("region");
  int32_t top = -1;
  if (!code.empty()) {
    top = regions.Find(code);
    if (top < 0) return Response::Error(404, "not_found", "region: there is no region " + code);
  }
  if (e->answers_clock != e->clock) ForgetAnswers(*e);
  if (auto kept = e->readiness_answers.find(top); kept != e->readiness_answers.end()) {
    return Response::Json(200, kept->second);
  }
  std::string body =
      "{\"election\":" + Quote(e->data->definition.id) + ",\"at\":" + ClockJson(e->clock) + ",\"region\":";
  AppendReadiness(body, *e, top);
  body += ",\"path\":" + PathJson(regions, top) + ",\"children\":[";
  bool first = true;
  auto child = [&](int32_t i) {
    body += first ? "" : ",";
    first = false;
    AppendReadiness(body, *e, i);
  };
  if (top < 0) {
    for (int32_t i : regions.OfLevel(geo::Level::kProvince)) child(i);
  } else {
    const auto [from, to] = regions.Subtree(top);
    for (int32_t i = from; i < to; ++i) {
      if (regions.at(i).parent == top) child(i);
    }
  }
  body += "]}";
  // The kept answers stay within a budget: past it they are all dropped and kept afresh.
  if (e->answers_bytes + body.size() > kAnswersBudget) ForgetAnswers(*e);
  e->answers_bytes += body.size();
  e->readiness_answers.emplace(top, body);
  return Response::Json(200, std::move(body));
}

Response Api::Problems(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MayReadDetailsOf(who, region)) {
    return Forbidden("per-TPS problems of " + (region.empty() ? std::string("the nation") : region) +
                     " are outside the scope of " + who.username);
  }
  std::string body = "{\"region\":" + Quote(region) + ",\"problems\":[";
  bool first = true;
  for (size_t t = 0; t < e->board->tps_count(); ++t) {
    const readiness::ProblemMask mask = e->board->ProblemsOf(t, e->clock);
    if (mask == 0) continue;
    const std::string code = geo::TpsCode(e->data->regions, e->board->tps(t));
    if (!access::WithinScope(region, code)) continue;
    body += (first ? "{\"tps\":" : ",{\"tps\":") + Quote(code) + ",\"problems\":";
    first = false;
    AppendProblemNames(body, mask);
    body += "}";
  }
  return Response::Json(200, body + "]}");
}

// The TPS of a district or a village, in code order, each with its state, problems and totals.
Response Api::TpsList(Request& req) {
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const geo::RegionSet& regions = e->data->regions;
  const std::string code = req.Query("region");
  const int32_t index = code.empty() ? -1 : regions.Find(code);
  if (index < 0) {
    if (code.empty()) return Response::Error(400, "bad_request", "region: give a district or a village");
    return Response::Error(404, "not_found", "region: there is no region " + code);
  }
  const geo::Level level = regions.at(index).level;
  if (level != geo::Level::kDistrict && level != geo::Level::kVillage) {
    std::string message = "region: give a district or a village; " + code + " is a ";
    message += geo::LevelName(level);
    return Response::Error(400, "bad_request", message);
  }
  const auto [from, to] = regions.Subtree(index);
  std::vector<size_t> found;
  for (size_t t = 0; t < e->board->tps_count(); ++t) {
    const int32_t village = e->board->tps(t).village;
    if (village == index || (village >= from && village < to)) found.push_back(t);
  }
  std::sort(found.begin(), found.end(), [&](size_t a, size_t b) {
    const geo::Tps &x = e->board->tps(a), &y = e->board->tps(b);
    return std::pair(x.village, x.number) < std::pair(y.village, y.number);
  });
  // Each TPS's chance of being late in the saved projection, when one covers it.
  auto risks = store_.TpsRisks(e->data->definition.id, code, 0, 0);
  if (!risks.ok()) return FromError(risks.error());
  std::unordered_map<std::string, double> p_late;
  for (const store::TpsRisk& r : risks.value()) p_late.emplace(r.tps, r.p_late);
  std::string body = "{\"election\":" + Quote(e->data->definition.id) + ",\"at\":" + ClockJson(e->clock) +
                     ",\"region\":" + Quote(code) + ",\"tps\":[";
  for (size_t i = 0; i < found.size(); ++i) {
    const size_t t = found[i];
    int64_t need = 0, received = 0;
    for (const auto& [item, n, r] : e->board->Items(t)) {
      need += n;
      received += std::min(n, r);
    }
    body += i ? ",{\"tps\":" : "{\"tps\":";
    const std::string tps_code = geo::TpsCode(regions, e->board->tps(t));
    body += Quote(tps_code);
    body += ",\"state\":" + Quote(readiness::StateName(e->board->StateOf(t))) + ",\"problems\":";
    AppendProblemNames(body, e->board->ProblemsOf(t, e->clock));
    body += ",\"need\":" + std::to_string(need) + ",\"received\":" + std::to_string(received);
    body += ",\"deadline\":" + Quote(FormatInstant(e->board->Deadline(t), 7 * 60));
    auto risk = p_late.find(tps_code);
    body += ",\"p_late\":" + (risk == p_late.end() ? std::string("null") : NumberJson(risk->second)) + "}";
  }
  return Response::Json(200, body + "]}");
}

namespace {

std::string KitJson(const ledger::Kit& k) {
  std::string body = "{\"kit\":" + Quote(k.kit) + ",\"tps\":" + Quote(k.tps) + ",\"label\":" + Quote(k.label) +
                     ",\"packed_at\":" + Quote(k.packed_at) + ",\"seals\":[";
  for (size_t i = 0; i < k.seals.size(); ++i) {
    body += i ? "," : "";
    body += Quote(k.seals[i]);
  }
  body += "],\"contents\":[";
  for (size_t i = 0; i < k.contents.size(); ++i) {
    body += (i ? ",{\"item\":" : "{\"item\":") + Quote(k.contents[i].first) +
            ",\"quantity\":" + std::to_string(k.contents[i].second) + "}";
  }
  return body + "]}";
}

std::string StoredJson(const store::StoredDocument& d) {
  return "{\"seq\":" + std::to_string(d.seq) + ",\"id\":" + Quote(d.id) + ",\"election\":" + Quote(d.election) +
         ",\"kind\":" + Quote(d.kind) + ",\"at\":" + Quote(FormatInstant(d.at, 7 * 60)) + ",\"hash\":" + Quote(d.hash) +
         ",\"received_by\":" + (d.received_by.empty() ? "null" : Quote(d.received_by)) +
         ",\"reversed_by\":" + (d.reversed_by.empty() ? "null" : Quote(d.reversed_by)) + ",\"document\":" + d.body +
         "}";
}

// A stored document's JSON (StoredJson) with the names of the people who signed or witnessed it left out: what the
// public and accounts outside the document's scope see.
std::string WithoutNames(const std::string& stored_json) {
  rapidjson::Document d;
  d.Parse(stored_json.c_str(), stored_json.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("document")) return stored_json;
  rapidjson::Value& doc = d["document"];
  for (const char* people : {"signed_by", "witnesses"}) {
    if (!doc.IsObject() || !doc.HasMember(people) || !doc[people].IsArray()) continue;
    for (auto& person : doc[people].GetArray()) {
      if (person.IsObject()) person.RemoveMember("name");
    }
  }
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  d.Accept(writer);
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace

// One TPS: public, for transparency, except the names of the people who signed its documents, which only accounts
// whose scope holds the TPS see.
Response Api::TpsDetail(Request& req) {
  // As on every public route, a stale token does not fail the request: it is read as the public's.
  bool anonymous = false;
  auto authenticated = Authenticate(req, anonymous);
  const access::Principal who = authenticated.ok() ? authenticated.value() : access::Principal{};
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const std::string code = req.params["code"];
  const int64_t t = e->board->FindTps(code);
  if (t < 0) return Response::Error(404, "not_found", "there is no TPS " + code);
  const bool names = who.role != access::Role::kPublic && access::MayReadDetailsOf(who, code);
  auto docs = store_.DocumentsOfNode(e->data->definition.id, "kpps:" + code);
  if (!docs.ok()) return FromError(docs.error());
  std::string body = "{\"tps\":" + Quote(code) + ",\"state\":" + Quote(readiness::StateName(e->board->StateOf(t))) +
                     ",\"deadline\":" + Quote(FormatInstant(e->board->Deadline(t), 7 * 60)) +
                     ",\"at\":" + ClockJson(e->clock) + ",\"problems\":";
  AppendProblemNames(body, e->board->ProblemsOf(t, e->clock));
  body += ",\"path\":" + PathJson(e->data->regions, e->board->tps(t).village, true) + ",\"items\":[";
  bool first = true;
  for (const auto& [item, need, received] : e->board->Items(t)) {
    body += (first ? "{\"item\":" : ",{\"item\":") + Quote(item) + ",\"need\":" + std::to_string(need) +
            ",\"received\":" + std::to_string(received) + "}";
    first = false;
  }
  // Its kits: those packed for it, as the dispatches to it name them.
  body += "],\"kits\":[";
  std::vector<std::string> kits;
  for (const store::StoredDocument& d : docs.value()) {
    auto doc = ledger::ParseDocument("ledger", d.body);
    if (!doc.ok()) continue;
    for (const std::string& kit : doc.value().kit_codes) {
      if (std::find(kits.begin(), kits.end(), kit) == kits.end()) kits.push_back(kit);
    }
  }
  first = true;
  for (const std::string& id : kits) {
    auto kit = store_.FindKit(e->data->definition.id, id);
    if (!kit.ok()) return FromError(kit.error());
    if (!kit.value() || kit.value()->tps != code) continue;
    body += first ? "" : ",";
    first = false;
    body += KitJson(*kit.value());
  }
  body += "],\"documents\":[";
  for (size_t i = 0; i < docs.value().size(); ++i) {
    body += i ? "," : "";
    body += names ? StoredJson(docs.value()[i]) : WithoutNames(StoredJson(docs.value()[i]));
  }
  body += "],\"names_hidden\":";
  body += names ? "false" : "true";
  // Its risk in the stored projection, when there is one that covers it.
  auto risk = store_.TpsRisks(e->data->definition.id, code, 0, 1);
  if (!risk.ok()) return FromError(risk.error());
  body += ",\"risk\":";
  if (risk.value().empty()) {
    body += "null";
  } else {
    auto run = store_.LoadProjectionRun(e->data->definition.id);
    if (!run.ok()) return FromError(run.error());
    body += TpsRiskJson(risk.value().front(), run.value() ? &*run.value() : nullptr);
  }
  return Response::Json(200, body + "}");
}

Response Api::Needs(Request& req) {
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const std::string code = req.Query("region");
  int32_t index = -1;
  if (!code.empty() && (index = e->data->regions.Find(code)) < 0) {
    return Response::Error(404, "not_found", "region: there is no region " + code);
  }
  const readiness::RegionReadiness r = e->board->Region(index, e->clock);
  const auto& items = e->data->definition.items;
  std::string body = "{\"election\":" + Quote(e->data->definition.id) + ",\"region\":" + Quote(code) +
                     ",\"tps\":" + std::to_string(r.tps) + ",\"items\":[";
  bool first = true;
  for (size_t k = 0; k < items.size(); ++k) {
    if (r.item_need[k] == 0) continue;
    body += (first ? "{\"item\":" : ",{\"item\":") + Quote(items[k].code) + ",\"name\":" + Quote(items[k].name) +
            ",\"need\":" + std::to_string(r.item_need[k]) + "}";
    first = false;
  }
  return Response::Json(200, body + "]}");
}

Response Api::LedgerStatus(Request& req) {
  const access::Principal who = WHO(req, true);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  auto head = store_.Head();
  if (!head.ok()) return FromError(head.error());
  // The last `tepat ledger verify` is in the audit trail; the public does not see who ran it.
  auto verified = store_.ReadAudit(false, "", "ledger.verify", 0, 1);
  if (!verified.ok()) return FromError(verified.error());
  std::string body =
      "{\"election\":" + Quote(e->data->definition.id) + ",\"at\":" + ClockJson(e->clock) + ",\"head\":" +
      (head.value().seq ? "{\"seq\":" + std::to_string(head.value().seq) + ",\"hash\":" + Quote(head.value().hash) + "}"
                        : std::string("null")) +
      ",\"documents_posted_here\":" + std::to_string(documents_posted_.load()) + ",\"last_verification\":";
  if (verified.value().empty()) {
    body += "null";
  } else {
    const access::AuditEntry& v = verified.value()[0];
    body += "{\"at\":" + Quote(FormatInstant(v.at, 7 * 60)) + ",\"outcome\":" + Quote(v.outcome) +
            ",\"head\":" + Quote(v.target) + ",\"detail\":" + Quote(v.detail);
    if (who.role != access::Role::kPublic) body += ",\"actor\":" + Quote(v.actor);
    body += "}";
  }
  return Response::Json(200, body + "}");
}

Response Api::PostDocument(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Result<ledger::Document> parsed = ledger::ParseDocument("body", req.body);
  if (!parsed.ok()) {
    Record(who, req, "document.post", "", "", "refused", parsed.error().message());
    return FromError(parsed.error());
  }
  ledger::Document doc = std::move(parsed).value();
  const std::string region = access::RegionOfNode(doc.node).value_or("");
  if (doc.election != e->data->definition.id) {
    Record(who, req, "document.post", doc.id, region, "refused", "posted to election " + e->data->definition.id);
    return Response::Error(422, "unprocessable",
                           "election: the document is for " + doc.election + ", posted to " + e->data->definition.id);
  }
  // The writer authorises, posts and audits it with whatever else is queued, in one durable transaction; the answer
  // is given on the I/O thread, which holds the board.
  Response r;
  r.later = [this, e, submission = app::Submission{std::move(doc), "body", who, req.remote}](
                std::function<void(Response)> done) mutable {
    const std::string id = submission.document.id;
    const int64_t at = submission.document.at_seconds;
    writer_.Submit({std::move(submission)}, [this, e, id, at, done = std::move(done)](
                                                std::vector<app::Written> written) mutable {
      auto answer = [this, e, id, at, done = std::move(done), result = std::move(written[0])] {
        done(Settle(*e, id, at, result));
      };
      if (run_on_io_) {
        run_on_io_(std::move(answer));
      } else {
        answer();
      }
    });
  };
  return r;
}

Response Api::Settle(LoadedElection& e, const std::string& id, int64_t at, const app::Written& result) {
  if (!result.ok()) return FromError(result.error());
  const store::PostOutcome& outcome = result.value();
  if (outcome.kind == store::PostOutcome::Kind::kRefused) return FromError(*outcome.error);
  const bool posted = outcome.kind == store::PostOutcome::Kind::kPosted;
  if (posted) {
    ++documents_posted_;
    Changed(e, outcome.states, outcome.states_seq, at);
  }
  return Response::Json(posted ? 201 : 200,
                        "{\"id\":" + Quote(id) + ",\"status\":" + Quote(posted ? "posted" : "replayed") +
                            ",\"seq\":" + std::to_string(outcome.seq) + ",\"hash\":" + Quote(outcome.hash) + "}");
}

void Api::Changed(LoadedElection& e, const std::vector<std::pair<std::string, readiness::TpsState>>& states,
                  int64_t seq, int64_t clock) {
  e.clock = std::max(e.clock, clock);
  auto& dirty = dirty_[e.data->definition.id];
  dirty.insert("");
  if (!states.empty()) ForgetAnswer(e, -1);
  for (const auto& [tps, state] : states) {
    // What this server posted comes back through the follower: the same state, already held.
    if (seq != 0 && e.board->SeqOf(tps) >= seq) continue;
    if (Status loaded = e.board->Load(tps, state, seq); !loaded.ok()) {
      std::fprintf(stderr, "tepat serve: %s\n", loaded.error().message().c_str());
      continue;
    }
    for (geo::Level level :
         {geo::Level::kProvince, geo::Level::kRegency, geo::Level::kDistrict, geo::Level::kVillage}) {
      const std::string code(geo::AncestorCode(tps, level));
      ForgetAnswer(e, e.data->regions.Find(code));
      dirty.insert(code);
    }
  }
}

void Api::Follow(const std::string& election, const std::vector<FollowedState>& states, int64_t clock) {
  LoadedElection* e = FindElection(election);
  if (!e) return;
  for (const FollowedState& f : states) Changed(*e, {{f.tps, f.state}}, f.seq, clock);
  if (states.empty() && clock > e->clock) Changed(*e, {}, 0, clock);
}

void Api::AnswerOn(std::function<void(std::function<void()>)> run_on_io) { run_on_io_ = std::move(run_on_io); }

namespace {

// Whether `who` may read a document: admins all; kpu and bawaslu when a node it names lies in their scope; a vendor
// when it is the vendor's own: its deliveries, their receipts, and goods receipts and requests naming it.
bool MayReadDocument(const access::Principal& who, const ledger::Document& doc) {
  if (who.role == access::Role::kVendor) {
    return doc.node == who.scope || doc.vendor == who.scope || doc.from == who.scope;
  }
  for (const std::string* node : {&doc.node, &doc.to, &doc.from}) {
    if (node->empty()) continue;
    const auto region = access::RegionOfNode(*node);
    if (region && access::MayReadDetailsOf(who, *region)) return true;
  }
  return who.role == access::Role::kAdmin;
}

}  // namespace

// A document with its movements. Whoever may not read every document gets the same 403 for a document outside their
// scope as for one that does not exist, so that the answer does not tell which ids exist.
Response Api::GetDocument(Request& req) {
  const access::Principal who = WHO(req, false);
  const bool everything = access::MayReadDetailsOf(who, "");  // admins and national officers
  const Response outside =
      Forbidden("document " + req.params["id"] + " is not one that " + who.username + " may read, or does not exist");
  auto stored = store_.FindDocument(req.params["id"]);
  if (!stored.ok()) return stored.error().kind() == ErrorKind::kNotFound && !everything ? outside
                                                                                        : FromError(stored.error());
  auto doc = ledger::ParseDocument("ledger", stored.value().body);
  if (!doc.ok()) return FromError(doc.error());
  if (!MayReadDocument(who, doc.value())) return outside;
  auto movements = store_.MovementsOf(req.params["id"]);
  if (!movements.ok()) return FromError(movements.error());
  std::string body = StoredJson(stored.value());
  body.pop_back();
  body += ",\"movements\":[";
  bool first = true;
  for (const ledger::Movement& m : movements.value()) {
    body += (first ? "{\"from\":" : ",{\"from\":") + Quote(m.from) + ",\"to\":" + Quote(m.to) +
            ",\"item\":" + Quote(m.article) + ",\"quantity\":" + std::to_string(m.quantity) + "}";
    first = false;
  }
  return Response::Json(200, body + "]}");
}

// A reversal of a stored document, posted as POST .../documents would post it: the body gives the reversal's own
// `id`, `at`, `signed_by` and `note` (and `number` if any); its kind, election, node and `reverses` come from the
// document reversed.
Response Api::ReverseDocument(Request& req) {
  (void)WHO(req, false);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  for (const char* field : {"kind", "election", "node", "reverses"}) {
    if (body->HasMember(field)) {
      return Response::Error(422, "unprocessable",
                             std::string(field) + ": a reversal takes it from the document reversed; leave it out");
    }
  }
  auto stored = store_.FindDocument(req.params["id"]);
  if (!stored.ok()) return FromError(stored.error());
  auto target = ledger::ParseDocument("ledger", stored.value().body);
  if (!target.ok()) return FromError(target.error());
  auto& a = body->GetAllocator();
  auto text = [&](const std::string& value) { return rapidjson::Value(value.c_str(), a); };
  body->AddMember("kind", "reversal", a);
  body->AddMember("election", text(target.value().election), a);
  body->AddMember("node", text(target.value().node), a);
  body->AddMember("reverses", text(target.value().id), a);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  body->Accept(writer);
  req.params["election"] = target.value().election;
  req.body.assign(out.GetString(), out.GetSize());
  return PostDocument(req);
}

Response Api::NodeDocuments(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string node = req.params["node"];
  const auto region = access::RegionOfNode(node);
  const bool allowed =
      who.role == access::Role::kAdmin ||
      (who.role == access::Role::kVendor ? node == who.scope : region && access::MayReadDetailsOf(who, *region));
  if (!allowed) return Forbidden("node " + node + " is outside the scope of " + who.username);
  auto docs = store_.DocumentsOfNode(req.params["election"], node);
  if (!docs.ok()) return FromError(docs.error());
  std::string body = "{\"node\":" + Quote(node) + ",\"documents\":[";
  for (size_t i = 0; i < docs.value().size(); ++i) {
    body += i ? "," : "";
    body += StoredJson(docs.value()[i]);
  }
  return Response::Json(200, body + "]}");
}

Response Api::Kit(Request& req) {
  const access::Principal who = WHO(req, false);
  auto kit = store_.FindKit(req.params["election"], req.params["kit"]);
  if (!kit.ok()) return FromError(kit.error());
  if (!kit.value()) return Response::Error(404, "not_found", "there is no kit or label " + req.params["kit"]);
  const ledger::Kit& k = *kit.value();
  if (!access::MayReadDetailsOf(who, k.tps))
    return Forbidden("kit " + k.kit + " is outside the scope of " + who.username);
  return Response::Json(200, KitJson(k));
}

Response Api::Audit(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string region = who.role == access::Role::kAdmin ? "" : who.scope;
  if (!access::MayReadAudit(who, region)) return Forbidden("the audit trail is read by admins and bawaslu");
  const int limit = std::clamp(std::atoi(req.Query("limit", "100").c_str()), 1, 1000);
  const int64_t before = std::atoll(req.Query("before", "0").c_str());
  auto entries = store_.ReadAudit(who.role != access::Role::kAdmin, region, req.Query("action"), before, limit);
  if (!entries.ok()) return FromError(entries.error());
  std::string body = "{\"entries\":[";
  for (size_t i = 0; i < entries.value().size(); ++i) {
    const access::AuditEntry& a = entries.value()[i];
    body += (i ? ",{\"seq\":" : "{\"seq\":") + std::to_string(a.seq) + ",\"at\":" + Quote(FormatInstant(a.at, 7 * 60)) +
            ",\"actor\":" + Quote(a.actor) + ",\"address\":" + Quote(a.address) + ",\"action\":" + Quote(a.action) +
            ",\"target\":" + Quote(a.target) + ",\"region\":" + Quote(a.region) + ",\"outcome\":" + Quote(a.outcome) +
            ",\"detail\":" + Quote(a.detail) + "}";
  }
  return Response::Json(200, body + "]}");
}

Response Api::Events(Request& req) {
  LoadedElection* e = FindElection(req.Query("election"));
  if (!e) return Response::Error(404, "not_found", "election: there is no loaded election " + req.Query("election"));
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->election = e->data->definition.id;
  std::string list = req.Query("region");
  size_t start = 0;
  do {
    const size_t end = std::min(list.find(',', start), list.size());
    const std::string code = list.substr(start, end - start);
    if (!code.empty() && e->data->regions.Find(code) < 0) {
      return Response::Error(404, "not_found", "region: there is no region " + code);
    }
    if (std::find(subscriber->regions.begin(), subscriber->regions.end(), code) == subscriber->regions.end()) {
      subscriber->regions.push_back(code);
    }
    start = end + 1;
  } while (start <= list.size());
  if (subscriber->regions.size() > 100) return Response::Error(400, "bad_request", "region: at most 100 regions");
  Response r;
  r.stream = [this, subscriber, e](std::shared_ptr<EventStream> stream) {
    subscriber->stream = stream;
    for (const std::string& code : subscriber->regions) {
      std::string data;
      AppendReadiness(data, *e, code.empty() ? -1 : e->data->regions.Find(code));
      stream->Send("readiness", data);
    }
    std::lock_guard lock(subscribers_mutex_);
    subscribers_.push_back(subscriber);
  };
  return r;
}

void Api::FlushEvents() {
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  {
    std::lock_guard lock(subscribers_mutex_);
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [](const auto& s) { return s->stream && s->stream->closed(); }),
                       subscribers_.end());
    subscribers = subscribers_;
  }
  if (dirty_.empty()) return;
  for (const auto& s : subscribers) {
    if (!s->stream) continue;
    auto dirty = dirty_.find(s->election);
    if (dirty == dirty_.end()) continue;
    LoadedElection* e = FindElection(s->election);
    for (const std::string& code : s->regions) {
      if (!dirty->second.count(code)) continue;
      std::string data;
      AppendReadiness(data, *e, code.empty() ? -1 : e->data->regions.Find(code));
      s->stream->Send("readiness", data);
    }
  }
  dirty_.clear();
}

namespace {

// A file's identity, found with stat (no descriptor is opened).
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileId&) const = default;
};

// The web application's path (after the router's decoding) as a relative path of plain names, or "" when it is not
// one: empty segments (an absolute path, "//"), "." and "..", backslashes and control characters are refused.
std::string RelativeWebPath(std::string_view path) {
  if (path.empty()) return "index.html";
  if (path.size() > 1024) return "";
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return "";
    start = end + 1;
  }
  for (const char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
  }
  return std::string(path);
}

// Whether `path` can be one of the web application's own paths (/pemilu-2024/tps/35.78.01.1001.001): segments of
// letters, digits, '.', '-' and '_', none starting with a dot.
bool AppPath(std::string_view path) {
  bool segment_start = true;
  for (const char c : path) {
    if (c == '/') {
      segment_start = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && (c != '.' || segment_start)) {
      return false;
    }
    segment_start = false;
  }
  return true;
}

}  // namespace

// Serves only regular files that resolve, symbolic links followed, inside static_dir, and never the database's
// files; anything else is 404. Unknown paths of the web application's own (no file extension) get its page.
Response Api::Static(Request& req) {
  namespace fs = std::filesystem;
  const Response missing = Response::Error(404, "not_found", "there is nothing at " + req.path);
  std::string path = RelativeWebPath(req.params["path"]);
  if (path.empty()) return missing;
  std::error_code ec;
  const fs::path root = fs::canonical(options_.static_dir, ec);
  if (ec) return missing;
  // The real path of the file asked for, or nothing when it does not exist or is not a regular file.
  auto resolve = [&](const std::string& relative) -> std::optional<fs::path> {
    std::error_code rec;
    fs::path real = fs::canonical(root / relative, rec);
    if (rec) return std::nullopt;
    const std::string text = real.string(), prefix = root.string() + "/";
    if (!text.starts_with(prefix) || !fs::is_regular_file(real, rec)) return std::nullopt;
    return real;
  };
  std::optional<fs::path> file = resolve(path);
  if (!file) {
    // The web application routes its own paths: anything else that is not an API path gets its page.
    // A file name's extension has letters (.js, .css, .png); the application's own paths end in region and TPS
    // codes (/pemilu-2024/tps/35.78.01.1001.001), whose "extensions" are digits. A path that exists but resolves
    // outside static_dir is no page of the application's.
    const std::string extension = fs::path(path).extension().string();
    const bool file_like = std::any_of(extension.begin(), extension.end(), [](char c) { return std::isalpha(c); });
    if (req.path.starts_with("/api/") || path.starts_with("assets/") || file_like || !AppPath(path) ||
        fs::exists(fs::symlink_status(root / path, ec))) {
      return missing;
    }
    path = "index.html";
    file = resolve(path);
    if (!file) return missing;
  }
  struct stat info {};
  if (::stat(file->c_str(), &info) != 0) return missing;
  for (const std::string& never : options_.never_serve) {
    struct stat other {};
    if (::stat(never.c_str(), &other) == 0 && FileId{info.st_dev, info.st_ino} == FileId{other.st_dev, other.st_ino}) {
      return missing;
    }
  }
  const std::string etag = "\"" + std::to_string(info.st_size) + "-" + std::to_string(info.st_mtime) + "\"";
  // Built assets carry a content hash in their names and never change; the page itself is checked every time.
  const std::string cache = path.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  if (req.Header("if-none-match") == etag) {
    Response r = Response::Json(304, "");
    r.content_type = std::string(MimeType(file->string()));
    return r.With("ETag", etag).With("Cache-Control", cache);
  }
  // The file checked above, and no other: not through a link put in its place since, and not a device or pipe.
  const int fd = ::open(file->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return missing;
  struct stat opened {};
  std::string content;
  bool same = ::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) &&
              FileId{opened.st_dev, opened.st_ino} == FileId{info.st_dev, info.st_ino};
  if (same) {
    content.resize(static_cast<size_t>(opened.st_size));
    size_t got = 0;
    while (got < content.size()) {
      const ssize_t n = ::read(fd, content.data() + got, content.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    content.resize(got);
  }
  ::close(fd);
  if (!same) return missing;
  Response r = Response::Json(200, std::move(content));
  r.content_type = std::string(MimeType(file->string()));
  // The application loads nothing from elsewhere; the policy says so, and no other site may frame it.
  return r.With("ETag", etag)
      .With("Cache-Control", cache)
      .With("X-Content-Type-Options", "nosniff")
      .With("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
      .With("Referrer-Policy", "same-origin");
}

// Supervision. Reports and findings are Bawaslu's records: admins and bawaslu accounts write and read them within
// their scope; a kpu account reads the findings addressed to its units and answers them.

namespace {

// The region a report, finding or addressee falls in for scopes ("" for the nation).
std::string ScopeRegion(std::string_view node_or_region) {
  if (node_or_region.find(':') == std::string_view::npos) return std::string(node_or_region);
  return access::RegionOfNode(node_or_region).value_or("");
}

std::string FindingJson(const app::StoredFinding& f, int64_t now) {
  std::string body = oversight::WriteFinding(f.finding);
  body.pop_back();
  body += ",\"version\":" + std::to_string(f.version) +
          ",\"overdue\":" + (oversight::Overdue(f.finding, now) ? "true" : "false") + "}";
  return body;
}

}  // namespace

// The stage checklists: public, they are Bawaslu's published instruments.
Response Api::Checklists(Request& req) {
  const std::string stage = req.Query("stage");
  if (!stage.empty() && !oversight::ParseStage(stage)) {
    return Response::Error(400, "bad_request", "stage: unknown stage " + stage);
  }
  std::string body = "{\"checklists\":[";
  bool first = true;
  for (const oversight::Checklist& c : oversight::BuiltinChecklists()) {
    if (!stage.empty() && oversight::StageName(c.stage) != stage) continue;
    body += first ? "" : ",";
    first = false;
    body += "{\"id\":" + Quote(c.id) + ",\"version\":" + std::to_string(c.version) +
            ",\"stage\":" + Quote(oversight::StageName(c.stage)) + ",\"title\":" + Quote(c.title) +
            ",\"title_en\":" + Quote(c.title_en) + ",\"questions\":[";
    for (size_t i = 0; i < c.questions.size(); ++i) {
      const oversight::Question& q = c.questions[i];
      const char* answer = q.answer == oversight::AnswerKind::kYesNo   ? "yes_no"
                           : q.answer == oversight::AnswerKind::kCount ? "count"
                                                                       : "text";
      body += i ? "," : "";
      body += "{\"id\":" + Quote(q.id) + ",\"text\":" + Quote(q.text) + ",\"text_en\":" + Quote(q.text_en) +
              ",\"answer\":" + Quote(answer) + ",\"principle\":" + Quote(q.principle) + "}";
    }
    body += "]}";
  }
  return Response::Json(200, body + "]}");
}

Response Api::PostReport(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  std::string forbidden;
  auto check = [&](const oversight::Report& report) -> std::string {
    if (report.election != e->data->definition.id) {
      return "the report is for election " + report.election + ", posted to " + e->data->definition.id;
    }
    if (!access::MaySupervise(who, ScopeRegion(report.node))) {
      forbidden = report.node + " is outside the supervision scope of " + who.username;
      return forbidden;  // refused: nothing is recorded
    }
    return "";
  };
  auto recorded = app::RecordReports(store_, e->data->regions, {{"body", req.body}}, who.username, req.remote,
                                     std::time(nullptr), check);
  if (!forbidden.empty()) return Forbidden(forbidden);
  if (!recorded.ok()) return FromError(recorded.error());
  const store::StoredReport& r = recorded.value().reports.front();
  return Response::Json(r.replayed ? 200 : 201, "{\"id\":" + Quote(r.id) + ",\"number\":" + Quote(r.number) +
                                                    ",\"status\":" + (r.replayed ? "\"replayed\"" : "\"recorded\"") +
                                                    ",\"seq\":" + std::to_string(r.seq) + "}");
}

Response Api::Reports(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MaySupervise(who, region)) {
    return Forbidden("the supervision reports of " + (region.empty() ? std::string("the nation") : region) +
                     " are for Bawaslu within its scope");
  }
  std::string body = "{\"region\":" + Quote(region) + ",\"reports\":[";
  bool first = true;
  const Status read = store_.ForEachReport(req.params["election"], region, [&](const store::StoredReport& r) {
    body += first ? "" : ",";
    first = false;
    body += "{\"seq\":" + std::to_string(r.seq) + ",\"recorded_by\":" + Quote(r.recorded_by) +
            ",\"recorded_at\":" + Quote(FormatInstant(r.recorded_at, 7 * 60)) + ",\"report\":" + r.body + "}";
    return Status{};
  });
  if (!read.ok()) return FromError(read.error());
  return Response::Json(200, body + "]}");
}

Response Api::Discrepancies(Request& req) {
  const access::Principal who = WHO(req, false);
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MaySupervise(who, region)) {
    return Forbidden("the discrepancies of " + (region.empty() ? std::string("the nation") : region) +
                     " are for Bawaslu within its scope");
  }
  auto found = app::FindDiscrepancies(store_, req.params["election"], region);
  if (!found.ok()) return FromError(found.error());
  std::string body = "{\"region\":" + Quote(region) + ",\"discrepancies\":[";
  for (size_t i = 0; i < found.value().size(); ++i) {
    const app::FoundDiscrepancy& f = found.value()[i];
    const oversight::Discrepancy& d = f.discrepancy;
    body += i ? "," : "";
    body += "{\"tps_code\":" + Quote(f.code) + ",\"discrepancy\":" + Quote(oversight::DiscrepancyName(d.kind)) +
            ",\"report\":" + Quote(d.report) + ",\"report_number\":" + Quote(f.report_number) +
            ",\"node\":" + Quote(d.node) + ",\"subject\":" + Quote(d.subject) +
            ",\"recorded\":" + std::to_string(d.recorded) + ",\"observed\":" + std::to_string(d.observed) +
            ",\"document\":" + (d.document.empty() ? std::string("null") : Quote(d.document)) + "}";
  }
  return Response::Json(200, body + "]}");
}

Response Api::PostFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  oversight::Finding f;
  const std::string from = StringField(*body, "from_discrepancy");
  if (!from.empty()) {
    const size_t colon = from.rfind(':');
    const std::string code = colon == std::string::npos ? from : from.substr(0, colon);
    if (!access::MaySupervise(who, ScopeRegion(code)))
      return Forbidden(code + " is outside the scope of " + who.username);
    auto found = app::FindDiscrepancies(store_, e->data->definition.id, ScopeRegion(code));
    if (!found.ok()) return FromError(found.error());
    auto match = std::find_if(found.value().begin(), found.value().end(), [&](const app::FoundDiscrepancy& d) {
      return colon != std::string::npos && d.code == code &&
             oversight::DiscrepancyName(d.discrepancy.kind) == from.substr(colon + 1);
    });
    if (match == found.value().end()) {
      return Response::Error(422, "unprocessable", "from_discrepancy: there is no discrepancy " + from);
    }
    f = oversight::FindingOf(match->discrepancy, match->code, match->report_number, match->stage);
  } else {
    // By hand: the finding's own fields (docs/formats.md), without id, number, state or history.
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    const bool wants_register = body->HasMember("register");
    rapidjson::Value registered_flag;
    if (wants_register) {
      registered_flag.CopyFrom((*body)["register"], body->GetAllocator());
      body->RemoveMember("register");
    }
    body->AddMember("id", "00000000-0000-4000-8000-000000000000", body->GetAllocator());
    body->AddMember("election", rapidjson::Value(e->data->definition.id.c_str(), body->GetAllocator()),
                    body->GetAllocator());
    body->Accept(writer);
    auto parsed = oversight::ParseFinding("body", std::string(text.GetString(), text.GetSize()));
    if (!parsed.ok()) return FromError(parsed.error());
    f = std::move(parsed).value();
    f.id.clear();
    f.recommendation.reset();
    if (wants_register) body->AddMember("register", registered_flag, body->GetAllocator());
    if (!access::MaySupervise(who, f.region)) return Forbidden(f.region + " is outside the scope of " + who.username);
  }
  f.election = e->data->definition.id;
  if (const std::string severity = StringField(*body, "severity"); !severity.empty() && !from.empty()) {
    if (auto s = oversight::ParseSeverity(severity)) f.severity = *s;
  }
  const bool registered = body->HasMember("register") && (*body)["register"].IsBool() && (*body)["register"].GetBool();
  auto saved =
      app::CreateFinding(store_, e->data->regions, f, registered, who.username, req.remote, std::time(nullptr));
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(201, FindingJson(saved.value(), std::time(nullptr)));
}

Response Api::Findings(Request& req) {
  const access::Principal who = WHO(req, false);
  const int64_t now = std::time(nullptr);
  const bool kpu = who.role == access::Role::kKpu;
  const std::string region = req.Query("region", who.role == access::Role::kAdmin || kpu ? "" : who.scope);
  if (!kpu && !access::MaySupervise(who, region)) {
    return Forbidden("the findings of " + (region.empty() ? std::string("the nation") : region) +
                     " are for Bawaslu within its scope, and for KPU units they are addressed to");
  }
  auto findings = app::ListFindings(store_, req.params["election"], region);
  if (!findings.ok()) return FromError(findings.error());
  std::string body = "{\"region\":" + Quote(region) + ",\"findings\":[";
  bool first = true;
  for (const app::StoredFinding& f : findings.value()) {
    // A KPU officer sees what is addressed to its units.
    if (kpu &&
        !(f.finding.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.finding.recommendation->to)))) {
      continue;
    }
    body += first ? "" : ",";
    first = false;
    body += FindingJson(f, now);
  }
  return Response::Json(200, body + "]}");
}

Response Api::GetFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  auto found = app::LoadFinding(store_, req.params["id"]);
  if (!found.ok()) return FromError(found.error());
  const oversight::Finding& f = found.value().finding;
  const bool addressed = f.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.recommendation->to));
  if (!access::MaySupervise(who, f.region) && !(who.role == access::Role::kKpu && addressed)) {
    return Forbidden("finding " + f.number + " is outside the scope of " + who.username);
  }
  auto events = store_.ItemEvents(f.id);
  if (!events.ok()) return FromError(events.error());
  std::string body = FindingJson(found.value(), std::time(nullptr));
  body.pop_back();
  body += ",\"history\":[";
  for (size_t i = 0; i < events.value().size(); ++i) {
    const store::OversightEvent& ev = events.value()[i];
    body += i ? "," : "";
    body += "{\"seq\":" + std::to_string(ev.seq) + ",\"at\":" + Quote(FormatInstant(ev.at, 7 * 60)) +
            ",\"actor\":" + Quote(ev.actor) + ",\"action\":" + Quote(ev.action) + ",\"state\":" + Quote(ev.state) +
            ",\"note\":" + Quote(ev.note) + "}";
  }
  return Response::Json(200, body + "]}");
}

Response Api::StepFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  const auto step = oversight::ParseStep(StringField(*body, "step"));
  if (!step) {
    return Response::Error(422, "unprocessable",
                           "step: expected register, recommend, answer, follow_up, close or escalate");
  }
  int64_t due = 0;
  if (const std::string text = StringField(*body, "due"); !text.empty()) {
    auto parsed = ParseInstant(text);
    if (!parsed) return Response::Error(422, "unprocessable", "due: expected a time with its offset");
    due = *parsed;
  }
  std::string forbidden;
  auto check = [&](const oversight::Finding& f, oversight::Step s) -> std::string {
    const bool allowed = oversight::StepIsKpus(s)
                             ? f.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.recommendation->to))
                             : access::MaySupervise(who, f.region);
    if (!allowed) {
      forbidden = oversight::StepIsKpus(s)
                      ? "only the KPU unit a recommendation is addressed to answers it (" + who.username + " may not)"
                      : "only Bawaslu within the finding's scope may " + std::string(oversight::StepName(s)) + " it";
      return forbidden;
    }
    return "";  // the addressee is checked with the step (oversight::Apply)
  };
  auto saved = app::StepFinding(store_, req.params["id"], *step, StringField(*body, "text"), StringField(*body, "to"),
                                due, who.username, req.remote, std::time(nullptr), check);
  if (!forbidden.empty()) return Forbidden(forbidden);
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(200, FindingJson(saved.value(), std::time(nullptr)));
}

namespace {

// The region a supervision route reads: the `region` parameter, or the account's scope (the nation for an admin).
// Nothing, with `refused` set, when the account may not read it.
std::optional<std::string> SupervisedRegion(const access::Principal& who, const Request& req, Response& refused) {
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MaySupervise(who, region)) {
    refused = Forbidden("the supervision of " + (region.empty() ? std::string("the nation") : region) +
                        " is for Bawaslu within its scope");
    return std::nullopt;
  }
  return region;
}

}  // namespace

Response Api::PostAction(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  // The action's own fields (docs/formats.md), without id, number or status.
  body->AddMember("id", "00000000-0000-4000-8000-000000000000", body->GetAllocator());
  body->AddMember("election", rapidjson::Value(e->data->definition.id.c_str(), body->GetAllocator()),
                  body->GetAllocator());
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  body->Accept(writer);
  auto parsed = oversight::ParseAction("body", std::string(text.GetString(), text.GetSize()));
  if (!parsed.ok()) return FromError(parsed.error());
  oversight::Action a = std::move(parsed).value();
  a.id.clear();
  a.status = oversight::ActionStatus::kOpen;
  if (!access::MaySupervise(who, a.region)) return Forbidden(a.region + " is outside the scope of " + who.username);
  auto saved = app::CreateAction(store_, a, who.username, req.remote, std::time(nullptr));
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(201, oversight::WriteAction(saved.value()));
}

Response Api::Actions(Request& req) {
  const access::Principal who = WHO(req, false);
  Response refused;
  const auto region = SupervisedRegion(who, req, refused);
  if (!region) return refused;
  auto actions = app::ListActions(store_, req.params["election"], *region);
  if (!actions.ok()) return FromError(actions.error());
  const int64_t now = std::time(nullptr);
  std::string body = "{\"region\":" + Quote(*region) + ",\"actions\":[";
  for (size_t i = 0; i < actions.value().size(); ++i) {
    const oversight::Action& a = actions.value()[i];
    std::string one = oversight::WriteAction(a);
    one.pop_back();
    body += i ? "," : "";
    body += one + ",\"late\":" + (a.status != oversight::ActionStatus::kDone && a.due < now ? "true" : "false") + "}";
  }
  return Response::Json(200, body + "]}");
}

Response Api::UpdateAction(Request& req) {
  const access::Principal who = WHO(req, false);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  const auto status = oversight::ParseActionStatus(StringField(*body, "status"));
  if (!status) return Response::Error(422, "unprocessable", "status: expected open, in_progress or done");
  auto item = store_.FindItem(req.params["id"]);
  if (!item.ok()) return FromError(item.error());
  if (!item.value() || item.value()->kind != "action") {
    return Response::Error(404, "not_found", "there is no action " + req.params["id"]);
  }
  if (!access::MaySupervise(who, item.value()->region)) {
    return Forbidden("action " + item.value()->number + " is outside the scope of " + who.username);
  }
  auto saved = app::UpdateAction(store_, req.params["id"], *status, StringField(*body, "note"), who.username,
                                 req.remote, std::time(nullptr));
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(200, oversight::WriteAction(saved.value()));
}

Response Api::EvaluationReport(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Response refused;
  const auto region = SupervisedRegion(who, req, refused);
  if (!region) return refused;
  const auto voting_day = ParseInstant(e->data->definition.voting_day + "T00:00:00+07:00");
  auto evaluation = app::Evaluate(store_, e->data->definition.id, *region, req.Query("stage"), voting_day.value_or(0),
                                  std::time(nullptr));
  if (!evaluation.ok()) return FromError(evaluation.error());
  const app::Evaluation& v = evaluation.value();
  std::string body = "{\"region\":" + Quote(*region) + ",\"stage\":" + Quote(req.Query("stage")) + ",\"categories\":[";
  for (size_t i = 0; i < v.categories.size(); ++i) {
    const app::EvaluationRow& r = v.categories[i];
    body += i ? "," : "";
    body += "{\"category\":" + Quote(r.category) + ",\"findings\":" + std::to_string(r.findings) +
            ",\"open\":" + std::to_string(r.open) + ",\"closed\":" + std::to_string(r.closed) +
            ",\"escalated\":" + std::to_string(r.escalated) + ",\"overdue\":" + std::to_string(r.overdue) +
            ",\"closed_before_voting_day\":" + std::to_string(r.closed_before_voting) + ",\"median_days_to_close\":" +
            (r.median_days_to_close < 0 ? std::string("null") : std::to_string(r.median_days_to_close)) + "}";
  }
  body += "],\"actions\":{\"all\":" + std::to_string(v.actions) + ",\"open\":" + std::to_string(v.actions_open) +
          ",\"in_progress\":" + std::to_string(v.actions_in_progress) + ",\"done\":" + std::to_string(v.actions_done) +
          ",\"late\":" + std::to_string(v.actions_late) + "}}";
  return Response::Json(200, body);
}

Response Api::Vulnerability(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Response refused;
  const auto region = SupervisedRegion(who, req, refused);
  if (!region) return refused;
  const int top = std::clamp(std::atoi(req.Query("top", "100").c_str()), 1, 10'000);
  auto ranked = app::AssessVulnerability(store_, *e->board, e->clock, e->data->definition.id, *region, {});
  if (!ranked.ok()) return FromError(ranked.error());
  std::string body = "{\"region\":" + Quote(*region) + ",\"tps\":[";
  for (size_t i = 0; i < ranked.value().size() && static_cast<int>(i) < top; ++i) {
    const oversight::TpsVulnerability& t = ranked.value()[i];
    body += i ? "," : "";
    body += "{\"rank\":" + std::to_string(i + 1) + ",\"tps\":" + Quote(t.tps) +
            ",\"score\":" + std::to_string(t.score) + ",\"indicators\":[";
    for (size_t k = 0; k < t.indicators.size(); ++k) body += (k ? "," : "") + Quote(t.indicators[k]);
    body += "]}";
  }
  return Response::Json(200, body + "]}");
}

// The stored projection (tepat simulate --save) of a region: its expected late TPS and their spread, each child
// region's, its TPS most likely to be late with arrival percentiles, and the legs that most often made TPS late.
// Public, like readiness.
Response Api::Projection(Request& req) {
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  const std::string& election = e->data->definition.id;
  const geo::RegionSet& regions = e->data->regions;
  const std::string code = req.Query("region");
  int32_t index = -1;
  if (!code.empty() && (index = regions.Find(code)) < 0) {
    return Response::Error(404, "not_found", "there is no region " + code);
  }
  const int top = std::clamp(std::atoi(req.Query("top", "50").c_str()), 1, 1000);
  auto run = store_.LoadProjectionRun(election);
  if (!run.ok()) return FromError(run.error());
  if (!run.value()) {
    return Response::Error(
        404, "not_found",
        "no projection is saved for " + election + ": run tepat simulate --election " + election + " --save");
  }
  auto rows = store_.RegionRisks(election, code);
  if (!rows.ok()) return FromError(rows.error());
  const store::RegionRisk* self = nullptr;
  for (const store::RegionRisk& r : rows.value()) {
    if (r.region == code) self = &r;
  }
  if (!self) {
    // Say which region it covers, for a client to go there.
    return Response::Error(404, "not_found",
                           "the saved projection (of " +
                               (run.value()->region.empty() ? "the nation" : run.value()->region) +
                               ") does not cover " + (code.empty() ? "the nation" : code),
                           "{\"projection_region\":" + Quote(run.value()->region) + "}");
  }
  auto risk = [&](const store::RegionRisk& r) {
    return ",\"tps\":" + std::to_string(r.tps) + ",\"expected_late\":" + NumberJson(r.expected_late) +
           ",\"sd_late\":" + NumberJson(r.sd_late);
  };
  std::string body = "{\"run\":" + RunJson(*run.value()) + ",\"path\":" + PathJson(regions, index, true) +
                     ",\"region\":{\"code\":" + Quote(code) + risk(*self) + "},\"children\":[";
  bool first = true;
  for (const store::RegionRisk& r : rows.value()) {
    if (&r == self) continue;
    const int32_t child = regions.Find(r.region);
    if (child < 0) continue;
    body += first ? "{" : ",{";
    first = false;
    body += "\"code\":" + Quote(r.region) + ",\"name\":" + Quote(regions.at(child).name) +
            ",\"level\":" + Quote(geo::LevelName(regions.at(child).level)) + risk(r) + "}";
  }
  auto tps = store_.TpsRisks(election, code, 0, top);
  if (!tps.ok()) return FromError(tps.error());
  body += "],\"tps\":[";
  for (size_t i = 0; i < tps.value().size(); ++i) {
    body += i ? "," : "";
    body += TpsRiskJson(tps.value()[i], nullptr);
  }
  // The run's most blamed legs, those within the region.
  body += "],\"legs\":[";
  rapidjson::Document legs;
  legs.Parse(run.value()->legs.c_str());
  first = true;
  if (legs.IsArray()) {
    for (const auto& leg : legs.GetArray()) {
      const std::string to = leg["leg"].GetString();
      if (!code.empty() && to != code && !to.starts_with(code + ".")) continue;
      body += first ? "" : ",";
      first = false;
      body += "{\"leg\":" + Quote(to) + ",\"from\":" + Quote(leg["from"].GetString()) +
              ",\"mode\":" + Quote(leg["mode"].GetString()) +
              ",\"late_tps\":" + NumberJson(leg["late_tps"].GetDouble()) + "}";
    }
  }
  return Response::Json(200, body + "]}");
}

// A simulation of a region on the saved plan (docs/api.md): KPU and Bawaslu within their scope, and admins. The
// body gives the region, the scenarios (at most 10,000), the seed, a what-if in the form of a what-if file and a
// mitigation budget; the answer is what `tepat simulate --format json` prints. It runs on a thread of its own, one
// at a time (503 while another runs), and saves nothing.
Response Api::PostSimulation(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = FindElection(req.params["election"]);
  if (!e) return NoSuchElection(req.params["election"], ready_);
  Response error;
  auto body = JsonBody(req, error);
  if (!body) return error;
  ProblemList problems;
  json::Reader reader("body", problems);
  reader.Keys(*body, "", {"region", "scenarios", "seed", "what_if", "mitigate", "advance_hours", "top"});
  const std::string region = reader.String(*body, "", "region", true);
  auto whole = [&](const char* key, int64_t fallback, int64_t low, int64_t high) {
    if (!body->HasMember(key)) return fallback;
    const rapidjson::Value& v = (*body)[key];
    if (!v.IsInt64() || v.GetInt64() < low || v.GetInt64() > high) {
      problems.Add("body", key, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      return fallback;
    }
    return v.GetInt64();
  };
  app::SimulationRequest request;
  request.options.scenarios = whole("scenarios", 1000, 1, 10'000);
  request.options.seed = static_cast<uint64_t>(whole("seed", 1, 0, INT64_MAX));
  request.options.threads = 2;
  request.mitigate = static_cast<int>(whole("mitigate", 0, 0, 10));
  request.advance_hours = static_cast<double>(whole("advance_hours", 24, 1, 240));
  request.top = static_cast<int>(whole("top", 20, 1, 200));
  const std::string what_if = reader.String(*body, "", "what_if", false);
  if (!problems.empty()) return FromError(problems.ToError("the simulation was refused"));
  const geo::RegionSet& regions = e->data->regions;
  request.region = regions.Find(region);
  if (request.region < 0) return Response::Error(404, "not_found", "region: there is no region " + region);
  if (!access::MayReadDetailsOf(who, region) || who.role == access::Role::kVendor) {
    return Forbidden(region + " is outside the scope of " + who.username);
  }
  if (!what_if.empty()) {
    auto changes = sim::ParseChanges("what_if", what_if, regions);
    if (!changes.ok()) return FromError(changes.error());
    request.changes = std::move(changes).value();
  }
  const std::string& election = e->data->definition.id;
  auto saved = store_.LoadPlan(election, false);
  if (!saved.ok()) return FromError(saved.error());
  if (!saved.value()) return FromError(app::NoPlan(election));
  if (simulating_.exchange(true)) {
    return Response::Error(503, "unavailable", "another simulation is running; try again shortly")
        .With("Retry-After", "5");
  }
  // The plan as parsed before, or its text to parse on the simulation's thread.
  const std::string version = std::to_string(saved.value()->saved_at) + "/" + std::to_string(saved.value()->legs) +
                              "/" + std::to_string(saved.value()->bytes);
  std::shared_ptr<const sim::Plan> plan;
  std::string csv;
  {
    std::lock_guard lock(plans_mutex_);
    auto it = plans_.find(election);
    if (it != plans_.end() && it->second.version == version) plan = it->second.plan;
  }
  if (!plan) {
    auto full = store_.LoadPlan(election);
    if (!full.ok() || !full.value()) {
      simulating_ = false;
      return full.ok() ? Response::Error(404, "not_found", "the plan of " + election + " is gone")
                       : FromError(full.error());
    }
    csv = std::move(full.value()->csv);
  }
  Record(who, req, "simulate.run", election, region, "ok",
         std::to_string(request.options.scenarios) + " scenarios, seed " + std::to_string(request.options.seed) +
             (request.changes.empty() ? "" : ", " + std::to_string(request.changes.size()) + " changes") +
             (request.mitigate ? ", mitigate " + std::to_string(request.mitigate) : ""));
  Response r;
  r.later = [this, e, election, plan, csv = std::move(csv), version,
             request = std::move(request)](std::function<void(Response)> done) mutable {
    if (simulation_.joinable()) simulation_.join();  // the one before, finished (simulating_ was false)
    auto finish = std::make_shared<std::function<void(Response)>>(std::move(done));
    try {
      simulation_ = std::thread(
          [this, e, election, plan, csv = std::move(csv), version, request = std::move(request), finish]() mutable {
            // Only the board's fixed parts (TPS, deadlines, regions) are read here; the I/O thread changes its
            // counters.
            Response answer = [&]() -> Response {
              try {
                if (!plan) {
                  auto parsed = sim::ParsePlanCsv("stored plan of " + election, csv, *e->board);
                  if (!parsed.ok()) return FromError(parsed.error());
                  plan = std::make_shared<const sim::Plan>(std::move(parsed).value());
                  std::lock_guard lock(plans_mutex_);
                  plans_[election] = {version, plan};
                }
                auto result = app::RunSimulation(*plan, *e->board, sim::DefaultModel(), nullptr, request);
                if (!result.ok()) return FromError(result.error());
                return Response::Json(200, app::SimulationJson(result.value(), *e->board, request));
              } catch (const std::exception& failure) {
                std::fprintf(stderr, "tepat serve: simulation of %s: %s\n", election.c_str(), failure.what());
                return Response::Error(500, "internal", "the simulation failed; the error is in the server's log");
              }
            }();
            simulating_ = false;
            (*finish)(std::move(answer));
          });
    } catch (const std::exception& failure) {  // no thread to be had
      simulating_ = false;
      (*finish)(Response::Error(503, "unavailable", std::string("cannot start a simulation: ") + failure.what()));
    }
  };
  return r;
}

}  // namespace tepat::server
