// Procurement over HTTP (docs/api.md): an election's reference data (vendors, unit prices, budget lines, inventory),
// public to read (e-katalog data and budget ceilings are published), replaced whole from a CSV body by an admin or a
// KPU account of the nation, with the same checks and answers as `tepat procurement import`; and the procurement
// plan, public as well, as `tepat procurement plan --format json` gives it.
#include "app/procurement.h"
#include "common/csv.h"
#include "common/time.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::Forbidden;
using internal::FromError;

namespace {

Response NoSuchKind(const std::string& kind) {
  return Response::Error(404, "not_found",
                         "there is no procurement data '" + kind + "' (expected " + app::KindList() + ")");
}

// The answer of a procurement route for `key` (its route and parameters): kept, or computed by `compute` and kept.
// Each of these answers reads the whole plan or every contract delivery: seconds nationally, too much to do again for
// every request of a public route.
template <typename Compute>
Response Cached(LoadedElection& e, int64_t now, const std::string& key, Compute compute) {
  if (e.procurement_revision != e.revision || now - e.procurement_since > 60 || e.procurement_answers.size() > 512) {
    e.procurement_answers.clear();
    e.procurement_revision = e.revision;
    e.procurement_since = now;
  }
  if (auto kept = e.procurement_answers.find(key); kept != e.procurement_answers.end()) {
    return Response::Json(200, kept->second);
  }
  Result<std::string> body = compute();
  if (!body.ok()) return FromError(body.error());
  e.procurement_answers.emplace(key, body.value());
  return Response::Json(200, std::move(body).value());
}

// The day of the `as_of` parameter (YYYY-MM-DD), or today's; nothing when malformed.
std::optional<int64_t> AsOfDay(const Request& req, int64_t now) {
  const std::string day = req.Query("as_of");
  if (day.empty()) return now / 86400;
  return ParseDate(day);
}

}  // namespace

Response Api::ProcurementReference(Request& req) {
  LoadedElection* e = ELECTION(req);
  const std::string kind = req.params["kind"];
  if (!app::IsReferenceKind(kind)) return NoSuchKind(kind);
  auto data = app::LoadReference(store_, e->data->definition, e->data->regions, kind);
  if (!data.ok()) return FromError(data.error());
  return Response::Json(200, app::ReferenceJson(data.value(), e->data->definition.id, kind));
}

Response Api::ImportProcurementReference(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  const std::string kind = req.params["kind"];
  if (!app::IsReferenceKind(kind)) return NoSuchKind(kind);
  if (who.role != access::Role::kAdmin && !(who.role == access::Role::kKpu && who.scope.empty())) {
    return Forbidden("an election's procurement data is replaced by an admin or a KPU account of the nation");
  }
  access::AuditEntry audit;
  audit.at = options_.clock();
  audit.actor = who.username;
  audit.address = req.remote;
  auto records =
      app::ImportReference(store_, e->data->definition, e->data->regions, kind, "body", req.body, std::move(audit));
  if (!records.ok()) return FromError(records.error());
  e->procurement_answers.clear();  // every answer of the procurement routes may change with it
  if (kind == "contracts") {
    // Deliveries posted from now on are checked against these contracts.
    auto book = app::LoadReference(store_, e->data->definition, e->data->regions, "contracts");
    if (!book.ok()) return FromError(book.error());
    e->data->catalog.contracts->Replace(app::ContractVendorsOf(book.value().contracts));
  }
  json::Builder out;
  out.StartObject().String("election", e->data->definition.id).String("kind", kind).Int("records", records.value());
  return Response::Json(200, out.EndObject().Take());
}

Response Api::ProcurementPlan(Request& req) {
  LoadedElection* e = ELECTION(req);
  const app::ElectionData& data = *e->data;
  app::PlanView view;
  const std::string by = req.Query("by", "office");
  if (by != "office") {
    const std::optional<geo::Level> level = geo::ParseLevel(by);
    if (!level || *level > geo::Level::kRegency) {
      return Response::Error(400, "bad_request", "by: expected office, national, province or regency");
    }
    view.by_office = false;
    view.level = *level;
  }
  if (const std::string code = req.Query("region"); !code.empty()) {
    view.within = data.regions.Find(code);
    if (view.within < 0 || data.regions.at(view.within).level > geo::Level::kRegency) {
      return Response::Error(404, "not_found", "region: there is no province or regency '" + code + "'");
    }
  }
  const std::string key = "plan " + std::string(view.by_office ? "office" : geo::LevelName(view.level)) + " " +
                          std::to_string(view.within);
  return Cached(*e, options_.clock(), key, [&]() -> Result<std::string> {
    app::ReferenceData reference;
    const procurement::Plan plan = TRY(app::PlanProcurement(store_, data, e->board->needs(), reference));
    return app::PlanJson(data, plan, e->board->needs(), view);
  });
}

Response Api::ProcurementDeliveries(Request& req) {
  LoadedElection* e = ELECTION(req);
  const app::ElectionData& data = *e->data;
  const std::string region = req.Query("region");
  if (!region.empty() && data.regions.Find(region) < 0) {
    return Response::Error(404, "not_found", "region: there is no region '" + region + "'");
  }
  const std::optional<int64_t> as_of = AsOfDay(req, options_.clock());
  if (!as_of) return Response::Error(400, "bad_request", "as_of: expected a date YYYY-MM-DD");
  return Cached(*e, options_.clock(), "deliveries " + region + " " + std::to_string(*as_of),
                [&]() -> Result<std::string> {
                  const app::ReferenceData book = TRY(app::LoadReference(store_, data.definition, data.regions,
                                                                         "contracts"));
                  const app::ContractDeliveries deliveries =
                      TRY(app::LoadContractDeliveries(store_, data.definition, data.regions, book.vendors));
                  const procurement::DeliveryProgress progress = procurement::ComputeDeliveries(
                      book.contracts, deliveries.arrivals, deliveries.shipments, *as_of);
                  return app::DeliveriesJson(data.definition, progress, region);
                });
}

Response Api::ProcurementEfficiency(Request& req) {
  LoadedElection* e = ELECTION(req);
  const app::ElectionData& data = *e->data;
  const std::optional<geo::Level> level = geo::ParseLevel(req.Query("level", "province"));
  if (!level || *level == geo::Level::kNational || *level > geo::Level::kRegency) {
    return Response::Error(400, "bad_request", "level: expected province or regency");
  }
  int32_t within = -1;
  if (const std::string code = req.Query("region"); !code.empty()) {
    within = data.regions.Find(code);
    if (within < 0 || data.regions.at(within).level > geo::Level::kRegency) {
      return Response::Error(404, "not_found", "region: there is no province or regency '" + code + "'");
    }
  }
  const std::string key = "efficiency " + std::string(geo::LevelName(*level)) + " " + std::to_string(within);
  return Cached(*e, options_.clock(), key, [&]() -> Result<std::string> {
    const procurement::Efficiency efficiency = TRY(app::ScoreEfficiency(store_, data, e->board->needs()));
    return app::EfficiencyJson(data, efficiency, *level, within);
  });
}

Response Api::ProcurementDiscrepancies(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the procurement discrepancies", "are", refused);
  if (!region) return refused;
  int64_t tolerance = 10;
  if (const std::string text = req.Query("tolerance"); !text.empty()) {
    if (!ParseInt(text, tolerance) || tolerance < 0 || tolerance > 1000) {
      return Response::Error(400, "bad_request", "tolerance: expected a percentage from 0 to 1000");
    }
  }
  const std::optional<int64_t> as_of = AsOfDay(req, options_.clock());
  if (!as_of) return Response::Error(400, "bad_request", "as_of: expected a date YYYY-MM-DD");
  const std::string key =
      "discrepancies " + *region + " " + std::to_string(*as_of) + " " + std::to_string(tolerance);
  return Cached(*e, options_.clock(), key, [&]() -> Result<std::string> {
    const auto found =
        TRY(app::FindProcurementDiscrepancies(store_, *e->data, e->board->needs(), *as_of, *region, tolerance));
    return app::ProcurementDiscrepanciesJson(found, *region);
  });
}

}  // namespace tepat::server
