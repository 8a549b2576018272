// Regions and readiness over HTTP: the region registry and its search, the loaded elections, readiness of a region
// and its children (kept while nothing below it changes), the per-TPS problems, the TPS of a district or village,
// one TPS with its items, kits and documents, and the needs of a region. Public except the per-TPS problems.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_map>

#include "ledger/document.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::ClockField;
using internal::Forbidden;
using internal::ForgetAnswers;
using internal::FromError;
using internal::KitJson;
using internal::PathJson;
using internal::ReadinessJson;
using internal::RegionJson;
using internal::StoredFields;
using internal::TpsRiskJson;
using internal::Wib;

namespace {

// The readiness answers an election keeps are dropped all together past this many bytes, and kept afresh.
constexpr size_t kAnswersBudget = 64 << 20;

// The names of the problems in `mask` as an array.
void ProblemsJson(json::Builder& out, readiness::ProblemMask mask) {
  out.StartArray();
  for (int p = 0; p < readiness::kProblems; ++p) {
    if (mask & (1u << p)) out.String(readiness::ProblemName(static_cast<readiness::Problem>(p)));
  }
  out.EndArray();
}

// A TPS's kits as the array "kits": those packed for it, as the dispatches to it (`docs`) name them.
Status KitsJson(json::Builder& out, store::Store& store, const std::string& election, const std::string& tps,
                const std::vector<store::StoredDocument>& docs) {
  std::vector<std::string> kits;
  for (const store::StoredDocument& d : docs) {
    auto doc = ledger::ParseDocument("ledger", d.body);
    if (!doc.ok()) continue;
    for (const std::string& kit : doc.value().kit_codes) {
      if (std::find(kits.begin(), kits.end(), kit) == kits.end()) kits.push_back(kit);
    }
  }
  out.StartArray("kits");
  for (const std::string& id : kits) {
    const auto kit = TRY(store.FindKit(election, id));
    if (kit && kit->tps == tps) KitJson(out, *kit);
  }
  out.EndArray();
  return {};
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Response Api::Region(Request& req) {
  if (elections_.empty()) return Response::Error(503, "unavailable", "no election is loaded yet");
  const geo::RegionSet& regions = elections_.begin()->second->data->regions;
  const int32_t index = regions.Find(req.params["code"]);
  if (index < 0) return Response::Error(404, "not_found", "there is no region " + req.params["code"]);
  const geo::Region& r = regions.at(index);
  json::Builder out;
  out.StartObject().String("code", r.code).String("name", r.name).String("level", geo::LevelName(r.level));
  if (r.parent < 0) {
    out.Null("parent");
  } else {
    RegionJson(out.Key("parent"), regions, r.parent);
  }
  out.StartArray("children");
  const auto [first, last] = regions.Subtree(index);
  for (int32_t i = first; i < last; ++i) {
    if (regions.at(i).parent == index) RegionJson(out, regions, i);
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::SearchRegions(Request& req) {
  if (elections_.empty()) return Response::Error(503, "unavailable", "no election is loaded yet");
  const geo::RegionSet& regions = elections_.begin()->second->data->regions;
  const std::string q = Lowercase(req.Query("q"));
  const std::string level = req.Query("level");
  const auto wanted = level.empty() ? std::optional<geo::Level>() : geo::ParseLevel(level);
  if (!level.empty() && !wanted) {
    return Response::Error(400, "bad_request", "level: expected province, regency, district or village");
  }
  const int limit = std::clamp(std::atoi(req.Query("limit", "50").c_str()), 1, 500);
  json::Builder out;
  out.StartObject().StartArray("regions");
  int found = 0;
  for (size_t i = 0; i < regions.size() && found < limit; ++i) {
    const geo::Region& r = regions.at(static_cast<int32_t>(i));
    if (wanted && r.level != *wanted) continue;
    if (q.empty() && !wanted && r.level != geo::Level::kProvince) continue;  // no query: the provinces
    if (!q.empty() && Lowercase(r.name).find(q) == std::string::npos && !r.code.starts_with(q)) continue;
    RegionJson(out, regions, static_cast<int32_t>(i));
    ++found;
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::Elections(Request&) {
  json::Builder out;
  out.StartObject().StartArray("elections");
  for (const auto& [id, e] : elections_) {
    const election::Definition& d = e->data->definition;
    out.StartObject().String("id", d.id).String("name", d.name).String("voting_day", d.voting_day);
    out.Int("deliver_days_before", d.deliver_days_before).Int("tps", e->board->tps_count());
    ClockField(out, "at", e->clock);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::Readiness(Request& req) {
  LoadedElection* e = ELECTION(req);
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
  json::Builder out;
  out.StartObject().String("election", e->data->definition.id);
  ClockField(out, "at", e->clock);
  out.Raw("region", ReadinessJson(*e, top));
  PathJson(out.Key("path"), regions, top);
  out.StartArray("children");
  if (top < 0) {
    for (int32_t i : regions.OfLevel(geo::Level::kProvince)) out.Raw(ReadinessJson(*e, i));
  } else {
    const auto [from, to] = regions.Subtree(top);
    for (int32_t i = from; i < to; ++i) {
      if (regions.at(i).parent == top) out.Raw(ReadinessJson(*e, i));
    }
  }
  std::string body = out.EndArray().EndObject().Take();
  // The kept answers stay within a budget: past it they are all dropped and kept afresh.
  if (e->answers_bytes + body.size() > kAnswersBudget) ForgetAnswers(*e);
  e->answers_bytes += body.size();
  e->readiness_answers.emplace(top, body);
  return Response::Json(200, std::move(body));
}

Response Api::Problems(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MayReadDetailsOf(who, region)) {
    return Forbidden("per-TPS problems of " + (region.empty() ? std::string("the nation") : region) +
                     " are outside the scope of " + who.username);
  }
  json::Builder out;
  out.StartObject().String("region", region).StartArray("problems");
  for (size_t t = 0; t < e->board->tps_count(); ++t) {
    const readiness::ProblemMask mask = e->board->ProblemsOf(t, e->clock);
    if (mask == 0) continue;
    const std::string code = geo::TpsCode(e->data->regions, e->board->tps(t));
    if (!access::WithinScope(region, code)) continue;
    out.StartObject().String("tps", code);
    ProblemsJson(out.Key("problems"), mask);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

// The TPS of a district or a village, in code order, each with its state, problems and totals.
Response Api::TpsList(Request& req) {
  LoadedElection* e = ELECTION(req);
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
  json::Builder out;
  out.StartObject().String("election", e->data->definition.id);
  ClockField(out, "at", e->clock);
  out.String("region", code).StartArray("tps");
  for (const size_t t : found) {
    int64_t need = 0, received = 0;
    for (const auto& [item, n, r] : e->board->Items(t)) {
      need += n;
      received += std::min(n, r);
    }
    const std::string tps_code = geo::TpsCode(regions, e->board->tps(t));
    out.StartObject().String("tps", tps_code).String("state", readiness::StateName(e->board->StateOf(t)));
    ProblemsJson(out.Key("problems"), e->board->ProblemsOf(t, e->clock));
    out.Int("need", need).Int("received", received).String("deadline", Wib(e->board->Deadline(t)));
    if (auto risk = p_late.find(tps_code); risk != p_late.end()) {
      out.Number("p_late", risk->second);
    } else {
      out.Null("p_late");
    }
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

// One TPS: public, for transparency, except the names of the people who signed its documents, which only accounts
// whose scope holds the TPS see.
Response Api::TpsDetail(Request& req) {
  // As on every public route, a stale token does not fail the request: it is read as the public's.
  bool anonymous = false;
  auto authenticated = Authenticate(req, anonymous);
  const access::Principal who = authenticated.ok() ? authenticated.value() : access::Principal{};
  LoadedElection* e = ELECTION(req);
  const std::string code = req.params["code"];
  const int64_t t = e->board->FindTps(code);
  if (t < 0) return Response::Error(404, "not_found", "there is no TPS " + code);
  const bool names = who.role != access::Role::kPublic && access::MayReadDetailsOf(who, code);
  auto docs = store_.DocumentsOfNode(e->data->definition.id, "kpps:" + code);
  if (!docs.ok()) return FromError(docs.error());
  json::Builder out;
  out.StartObject().String("tps", code).String("state", readiness::StateName(e->board->StateOf(t)));
  out.String("deadline", Wib(e->board->Deadline(t)));
  ClockField(out, "at", e->clock);
  ProblemsJson(out.Key("problems"), e->board->ProblemsOf(t, e->clock));
  PathJson(out.Key("path"), e->data->regions, e->board->tps(t).village, true);
  out.StartArray("items");
  for (const auto& [item, need, received] : e->board->Items(t)) {
    out.StartObject().String("item", item).Int("need", need).Int("received", received).EndObject();
  }
  out.EndArray();
  if (Status kits = KitsJson(out, store_, e->data->definition.id, code, docs.value()); !kits.ok()) {
    return FromError(kits.error());
  }
  out.StartArray("documents");
  for (const store::StoredDocument& d : docs.value()) {
    out.StartObject();
    StoredFields(out, d, names);
    out.EndObject();
  }
  out.EndArray().Bool("names_hidden", !names);
  // Its risk in the stored projection, when there is one that covers it.
  auto risk = store_.TpsRisks(e->data->definition.id, code, 0, 1);
  if (!risk.ok()) return FromError(risk.error());
  if (risk.value().empty()) {
    out.Null("risk");
  } else {
    auto run = store_.LoadProjectionRun(e->data->definition.id);
    if (!run.ok()) return FromError(run.error());
    TpsRiskJson(out.Key("risk"), risk.value().front(), run.value() ? &*run.value() : nullptr);
  }
  return Response::Json(200, out.EndObject().Take());
}

Response Api::Needs(Request& req) {
  LoadedElection* e = ELECTION(req);
  const std::string code = req.Query("region");
  int32_t index = -1;
  if (!code.empty() && (index = e->data->regions.Find(code)) < 0) {
    return Response::Error(404, "not_found", "region: there is no region " + code);
  }
  const readiness::RegionReadiness r = e->board->Region(index, e->clock);
  const auto& items = e->data->definition.items;
  json::Builder out;
  out.StartObject().String("election", e->data->definition.id).String("region", code).Int("tps", r.tps);
  out.StartArray("items");
  for (size_t k = 0; k < items.size(); ++k) {
    if (r.item_need[k] == 0) continue;
    out.StartObject().String("item", items[k].code).String("name", items[k].name).Int("need", r.item_need[k]);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

}  // namespace tepat::server
