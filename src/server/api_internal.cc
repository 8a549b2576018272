// What the API's handler files share: error answers, JSON bodies, and the JSON of regions, readiness, stored
// documents, kits and projections.
#include "server/api_internal.h"

#include <string_view>
#include <vector>

#include "common/time.h"
#include "readiness/board.h"

namespace tepat::server::internal {

std::string Wib(int64_t at) { return FormatInstant(at, 7 * 60); }

void ClockField(json::Builder& out, std::string_view key, int64_t clock) {
  if (clock) {
    out.String(key, Wib(clock));
  } else {
    out.Null(key);
  }
}

void StringOrNull(json::Builder& out, std::string_view key, std::string_view value) {
  if (value.empty()) {
    out.Null(key);
  } else {
    out.String(key, value);
  }
}

Response NoSuchElection(const std::string& id, bool ready) {
  if (!ready) {
    return Response::Error(503, "unavailable", "the elections are still loading (see /readyz); try again shortly")
        .With("Retry-After", "5");
  }
  return Response::Error(404, "not_found", "there is no loaded election " + id);
}

Response Unauthorized(std::string_view message) {
  return Response::Error(401, "unauthorized", message).With("WWW-Authenticate", "Bearer");
}

Response Forbidden(std::string_view message) { return Response::Error(403, "forbidden", message); }

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
    json::Builder out;
    out.StartArray();
    for (const Problem& p : error.problems()) {
      out.StartObject().String("where", p.where).String("field", p.column).String("reason", p.reason).EndObject();
    }
    details = out.EndArray().Take();
  }
  return Response::Error(status, StatusCode(status), error.message(), details);
}

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

void RegionJson(json::Builder& out, const geo::RegionSet& regions, int32_t index) {
  const geo::Region& r = regions.at(index);
  out.StartObject().String("code", r.code).String("name", r.name).String("level", geo::LevelName(r.level)).EndObject();
}

void PathJson(json::Builder& out, const geo::RegionSet& regions, int32_t index, bool self) {
  std::vector<int32_t> chain;
  for (int32_t i = index < 0 ? -1 : (self ? index : regions.at(index).parent); i >= 0; i = regions.at(i).parent) {
    chain.push_back(i);
  }
  out.StartArray();
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) RegionJson(out, regions, *it);
  out.EndArray();
}

std::string ReadinessJson(const LoadedElection& e, int32_t index) {
  const geo::RegionSet& regions = e.data->regions;
  const bool nation = index < 0;
  std::string out;
  readiness::AppendRegionJson(
      out, nation ? "" : regions.at(index).code, nation ? "national" : geo::LevelName(regions.at(index).level),
      nation ? "Indonesia" : regions.at(index).name, e.board->Region(index, e.clock), e.data->definition.items);
  return out;
}

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

namespace {

// A document's JSON with the names of the people who signed or witnessed it left out.
std::string WithoutNames(const std::string& document) {
  rapidjson::Document doc;
  doc.Parse(document.c_str(), document.size());
  if (doc.HasParseError() || !doc.IsObject()) return document;
  for (const char* people : {"signed_by", "witnesses"}) {
    if (!doc.HasMember(people) || !doc[people].IsArray()) continue;
    for (auto& person : doc[people].GetArray()) {
      if (person.IsObject()) person.RemoveMember("name");
    }
  }
  return json::Write(doc);
}

}  // namespace

void StoredFields(json::Builder& out, const store::StoredDocument& d, bool names) {
  out.Int("seq", d.seq).String("id", d.id).String("election", d.election).String("kind", d.kind);
  out.String("at", Wib(d.at)).String("hash", d.hash);
  StringOrNull(out, "received_by", d.received_by);
  StringOrNull(out, "reversed_by", d.reversed_by);
  out.Raw("document", names ? d.body : WithoutNames(d.body));
}

void KitJson(json::Builder& out, const ledger::Kit& k) {
  out.StartObject().String("kit", k.kit).String("tps", k.tps).String("label", k.label).String("packed_at", k.packed_at);
  out.StartArray("seals");
  for (const std::string& seal : k.seals) out.String(seal);
  out.EndArray().StartArray("contents");
  for (const auto& [item, quantity] : k.contents) {
    out.StartObject().String("item", item).Int("quantity", quantity).EndObject();
  }
  out.EndArray().EndObject();
}

void RunJson(json::Builder& out, const store::ProjectionRun& run) {
  out.StartObject().String("region", run.region).Int("scenarios", run.scenarios).Int("seed", run.seed);
  ClockField(out, "as_of", run.as_of);
  ClockField(out, "computed_at", run.computed_at);
  out.EndObject();
}

void TpsRiskJson(json::Builder& out, const store::TpsRisk& t, const store::ProjectionRun* run) {
  const int offset = ProvinceUtcOffsetMinutes(std::string_view(t.tps).substr(0, 2));
  out.StartObject().String("tps", t.tps).Number("p_late", t.p_late);
  out.StartArray("p_late_95").Number(t.p_low).Number(t.p_high).EndArray();
  out.Number("expected_lateness_hours", t.lateness_hours);
  out.String("arrival_p05", FormatInstant(t.p05, offset)).String("arrival_p50", FormatInstant(t.p50, offset));
  out.String("arrival_p95", FormatInstant(t.p95, offset)).String("deadline", FormatInstant(t.deadline, offset));
  if (run) RunJson(out.Key("projection"), *run);
  out.EndObject();
}

}  // namespace tepat::server::internal
