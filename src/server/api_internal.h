// What the API's handler files (api_*.cc) share and nothing else sees: the error answers, reading a JSON body, the
// check of who is asking (WHO), and the JSON of regions, readiness, stored documents, kits and projections that more
// than one resource answers with.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"
#include "geo/region.h"
#include "ledger/posting.h"
#include "server/api.h"
#include "server/http.h"
#include "store/store.h"

namespace tepat::server::internal {

// The session cookie's name.
constexpr const char* kCookie = "tepat_session";

// An instant as the API writes it: in WIB.
std::string Wib(int64_t at);

// A ledger clock as a field: its instant in WIB, or null before the first document.
void ClockField(json::Builder& out, std::string_view key, int64_t clock);

// A string field, or null when it is empty.
void StringOrNull(json::Builder& out, std::string_view key, std::string_view value);

// 404 for an election not loaded; 503 while the elections are still loading (it may be one of them).
// The region a supervision route reads: the `region` parameter, or the account's scope (the nation for an admin).
// Nothing, with `refused` set, when the account may not read it: "`what` of REGION `is` for Bawaslu ...".
std::optional<std::string> SupervisedRegion(const access::Principal& who, const Request& req, std::string_view what,
                                            std::string_view is, Response& refused);
Response NoSuchElection(const std::string& id, bool ready);

Response Unauthorized(std::string_view message = "log in first: POST /api/v1/auth/login");
Response Forbidden(std::string_view message);

// A domain error as an HTTP error: refused input 422, missing 404, conflict 409, not allowed 403, the rest 500. The
// problems of a refused document become the details, each with where, field and reason.
Response FromError(const Error& error);

// Reads a JSON object body, strictly (json::Parse: valid UTF-8, bounded nesting, no key twice); nothing (and `error`
// set, 400 saying why) when it is not one.
std::optional<rapidjson::Document> JsonBody(const Request& req, Response& error);

// A string field of a body, or "" when it is missing or not a string.
std::string StringField(const rapidjson::Document& doc, const char* name);

// Region `index` as {code, name, level}.
void RegionJson(json::Builder& out, const geo::RegionSet& regions, int32_t index);

// The regions above region `index` (-1: the nation, which has none), from the province down to its parent, as an
// array; with `self`, region `index` last.
void PathJson(json::Builder& out, const geo::RegionSet& regions, int32_t index, bool self = false);

// The readiness of region `index` of a loaded election (-1: the nation) as a JSON object.
std::string ReadinessJson(const LoadedElection& e, int32_t index);

// The readiness answers an election keeps, dropped all together (or one region's) when they no longer hold.
void ForgetAnswers(LoadedElection& e);
void ForgetAnswer(LoadedElection& e, int32_t region);

// The fields of a stored document: its place in the ledger and the document itself; without `names`, with the names
// of the people who signed or witnessed it left out (what the public and accounts outside its scope see).
void StoredFields(json::Builder& out, const store::StoredDocument& d, bool names = true);

// A kit with its seals and contents.
void KitJson(json::Builder& out, const ledger::Kit& k);

// When the stored projection was computed and on what.
void RunJson(json::Builder& out, const store::ProjectionRun& run);

// A TPS's risk in the stored projection: the chance of arriving after its deadline with its 95% interval, the
// expected lateness and arrival percentiles, in the TPS's own time zone; with `run`, the projection it comes from.
void TpsRiskJson(json::Builder& out, const store::TpsRisk& t, const store::ProjectionRun* run);

}  // namespace tepat::server::internal

// Evaluates to the principal, or returns 401 from the handler. `public_ok` lets anonymous callers through as the
// public role.
#define WHO(req, public_ok)                                                                 \
  ({                                                                                        \
    bool anonymous_ = false;                                                                \
    auto who_ = Authenticate(req, anonymous_);                                              \
    if (!who_.ok()) return ::tepat::server::internal::Unauthorized(who_.error().message()); \
    if (anonymous_ && !(public_ok)) return ::tepat::server::internal::Unauthorized();       \
    std::move(who_).value();                                                                \
  })

// Evaluates to the loaded election the route's {election} names, or returns 404 (503 while the elections load) from
// the handler.
#define ELECTION(req)                                                                                   \
  ({                                                                                                    \
    LoadedElection* election_ = FindElection((req).params["election"]);                                 \
    if (!election_) return ::tepat::server::internal::NoSuchElection((req).params["election"], ready_); \
    election_;                                                                                          \
  })

// Evaluates to the request's body, a JSON object, or returns 400 saying why from the handler.
#define JSON_BODY(req)                                               \
  ({                                                                 \
    Response refused_;                                               \
    auto body_ = ::tepat::server::internal::JsonBody(req, refused_); \
    if (!body_) return refused_;                                     \
    std::move(*body_);                                               \
  })
