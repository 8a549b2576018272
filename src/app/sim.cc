#include "app/sim.h"

#include <algorithm>
#include <chrono>

#include "common/json.h"
#include "common/time.h"
#include "ledger/document.h"
#include "ledger/node.h"

namespace tepat::app {

Error NoPlan(std::string_view election) {
  const std::string id(election);
  return NotFound("election " + id + " has no distribution plan: run `tepat plan generate --election " + id +
                  "` or `tepat plan import --election " + id + " FILE`");
}

Result<sim::Plan> LoadPlan(store::Store& store, const readiness::Board& board) {
  const std::string& election = board.definition().id;
  std::optional<store::StoredPlan> stored = TRY(store.LoadPlan(election));
  if (!stored) return NoPlan(election);
  return sim::ParsePlanCsv("stored plan of " + election, stored->csv, board);
}

Result<sim::Observed> ObservedFromLedger(store::Store& store, std::string_view election, int64_t now) {
  sim::Observed observed;
  observed.now = now;
  auto earliest = [](std::unordered_map<std::string, int64_t>& map, const std::string& code, int64_t at) {
    auto [it, added] = map.emplace(code, at);
    if (!added) it->second = std::min(it->second, at);
  };
  RETURN_IF_ERROR(store.ForEachDocument(election, [&](const store::StoredDocument& stored) -> Status {
    if (stored.at > now || !stored.reversed_by.empty()) return {};
    if (stored.kind != "dispatch" && stored.kind != "receipt") return {};
    Result<ledger::Document> parsed = ledger::ParseDocument("ledger", stored.body);
    if (!parsed.ok()) return {};  // the ledger holds only documents that read; nothing to learn from one that does not
    const ledger::Document& doc = parsed.value();
    const std::optional<ledger::Node> node = ledger::ParseNode(doc.node);
    if (!node) return {};
    if (doc.kind == ledger::DocKind::kReceipt) {
      if (node->kind == ledger::NodeKind::kPpk || node->kind == ledger::NodeKind::kPps ||
          node->kind == ledger::NodeKind::kKpps) {
        earliest(observed.arrived, node->region, doc.at_seconds);
      }
    } else {
      const std::optional<ledger::Node> to = ledger::ParseNode(doc.to);
      if (to && (to->kind == ledger::NodeKind::kPpk || to->kind == ledger::NodeKind::kPps ||
                 to->kind == ledger::NodeKind::kKpps)) {
        earliest(observed.departed, to->region, doc.at_seconds);
      }
      if (node->kind == ledger::NodeKind::kKpuRegency) earliest(observed.arrived, node->region, doc.at_seconds);
    }
    return {};
  }));
  return observed;
}

Projection MakeProjection(const sim::Network& network, const sim::Outcome& outcome, const readiness::Board& board,
                          int32_t region, const sim::Options& options, int64_t as_of, int top_legs) {
  const geo::RegionSet& regions = board.regions();
  Projection p;
  p.run.region = region >= 0 ? regions.at(region).code : "";
  p.run.scenarios = outcome.scenarios;
  p.run.seed = static_cast<int64_t>(options.seed);
  p.run.as_of = as_of;
  for (const sim::RegionOutcome& r : outcome.regions) {
    // Regions above the scope hold only the scope's TPS: they are not saved, lest they pass for the whole region.
    if (r.region >= 0 && region >= 0 && !regions.Within(r.region, region)) continue;
    store::RegionRisk risk;
    if (r.region >= 0) {
      risk.region = regions.at(r.region).code;
      risk.parent = std::string(geo::ParentCode(risk.region));
    } else {
      risk.region = p.run.region;
      risk.parent = region >= 0 ? std::string(geo::ParentCode(p.run.region)) : "-";
      // The scope's own row comes again among the regions when it is one; keep one.
      if (region >= 0) continue;
    }
    risk.tps = r.tps;
    risk.expected_late = r.expected_late;
    risk.sd_late = r.sd_late;
    p.regions.push_back(std::move(risk));
  }
  const std::vector<int32_t>& tps = network.tps_list();
  const int64_t n = outcome.scenarios;
  p.tps.reserve(tps.size());
  for (size_t slot = 0; slot < tps.size(); ++slot) {
    const sim::TpsOutcome& o = outcome.tps[slot];
    store::TpsRisk risk;
    risk.tps = geo::TpsCode(regions, board.tps(tps[slot]));
    risk.p_late = static_cast<double>(o.late) / static_cast<double>(n);
    std::tie(risk.p_low, risk.p_high) = sim::Wilson95(o.late, n);
    risk.lateness_hours = o.lateness_minutes / static_cast<double>(n) / 60.0;
    risk.p05 = network.ToSeconds(sim::ArrivalQuantile(network, slot, o, n, 0.05));
    risk.p50 = network.ToSeconds(sim::ArrivalQuantile(network, slot, o, n, 0.50));
    risk.p95 = network.ToSeconds(sim::ArrivalQuantile(network, slot, o, n, 0.95));
    risk.deadline = network.ToSeconds(network.deadline(slot));
    p.tps.push_back(std::move(risk));
  }
  // The legs most often blamed: on average, how many TPS per scenario were late with it as the worst delay.
  std::vector<size_t> legs;
  for (size_t j = 0; j < network.legs(); ++j) {
    if (outcome.blame[j] > 0) legs.push_back(j);
  }
  const size_t keep = std::min(legs.size(), static_cast<size_t>(std::max(0, top_legs)));
  std::partial_sort(legs.begin(), legs.begin() + keep, legs.end(), [&](size_t a, size_t b) {
    return outcome.blame[a] != outcome.blame[b] ? outcome.blame[a] > outcome.blame[b] : a < b;
  });
  legs.resize(keep);
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartArray();
  for (size_t j : legs) {
    const int32_t pred = network.leg_pred(j);
    w.StartObject();
    json::Str(w, "leg", network.leg_code(j), true);
    json::Str(w, "from", pred >= 0 ? network.leg_code(pred) : "", true);
    json::Str(w, "mode", sim::ModeName(network.leg_mode(j)), true);
    json::Key(w, "late_tps");
    w.Double(static_cast<double>(outcome.blame[j]) / static_cast<double>(n));
    w.EndObject();
  }
  w.EndArray();
  p.run.legs = buffer.GetString();
  return p;
}

// The regions to list: the scope's children (the provinces for the nation).
std::vector<const sim::RegionOutcome*> Children(const sim::Outcome& outcome, const geo::RegionSet& regions,
                                                int32_t scope) {
  std::vector<const sim::RegionOutcome*> out;
  for (const sim::RegionOutcome& r : outcome.regions) {
    if (r.region >= 0 && regions.at(r.region).parent == scope) out.push_back(&r);
  }
  return out;
}

// The TPS most at risk: by chance of being late, then expected lateness, then code.
std::vector<size_t> MostAtRisk(const Projection& p, size_t top) {
  std::vector<size_t> order(p.tps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t keep = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + keep, order.end(), [&](size_t a, size_t b) {
    const store::TpsRisk &x = p.tps[a], &y = p.tps[b];
    if (x.p_late != y.p_late) return x.p_late > y.p_late;
    if (x.lateness_hours != y.lateness_hours) return x.lateness_hours > y.lateness_hours;
    return x.tps < y.tps;
  });
  order.resize(keep);
  return order;
}

namespace {

Result<SimulationRun> SimulateOnce(const sim::Plan& plan, const readiness::Board& board, const sim::Model& model,
                                   int32_t region, const sim::Observed* observed, const sim::Options& options) {
  sim::Network network = TRY(sim::Network::Build(plan, board, model, region, observed));
  sim::Outcome outcome = sim::Simulate(network, options);
  return SimulationRun{std::move(network), std::move(outcome)};
}

}  // namespace

Result<SimulationResult> RunSimulation(const sim::Plan& plan, const readiness::Board& board, const sim::Model& model,
                                       const sim::Observed* observed, const SimulationRequest& request) {
  SimulationResult result;
  const auto started = std::chrono::steady_clock::now();
  result.base = TRY(SimulateOnce(plan, board, model, request.region, observed, request.options));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.projection = MakeProjection(result.base.network, result.base.outcome, board, request.region, request.options,
                                     observed ? observed->now : 0, 200);
  // The changed plans are compared on regions and scenarios only: no per-TPS detail, half the memory.
  sim::Options compare = request.options;
  compare.tps_detail = false;
  std::optional<sim::Plan> changed_plan;
  if (!request.changes.empty()) {
    changed_plan = plan;
    RETURN_IF_ERROR(sim::ApplyChanges(request.changes, *changed_plan,
                                      request.region >= 0 ? board.regions().at(request.region).code : ""));
    result.changed = TRY(SimulateOnce(*changed_plan, board, model, request.region, observed, compare));
    result.changed_difference = sim::Compare(result.base.outcome, result.changed->outcome);
  }
  if (request.mitigate > 0) {
    const SimulationRun& from = result.changed ? *result.changed : result.base;
    const sim::Plan& current = changed_plan ? *changed_plan : plan;
    sim::Options judge = request.options;
    judge.scenarios = std::min(request.options.scenarios, request.mitigate_scenarios);
    result.chosen = TRY(sim::Mitigate(current, board, model, from.network, from.outcome, request.region,
                                      request.mitigate, request.advance_hours, judge, observed));
    std::vector<sim::Change> chosen;
    for (const sim::Mitigation& m : result.chosen) chosen.push_back(m.change);
    sim::Plan better = current;
    if (!chosen.empty()) RETURN_IF_ERROR(sim::ApplyChanges(chosen, better));
    result.mitigated = TRY(SimulateOnce(better, board, model, request.region, observed, compare));
    result.mitigated_difference = sim::Compare(from.outcome, result.mitigated->outcome);
  }
  return result;
}

namespace {

// A region's outcome; the scope's (region -1 in an outcome) is named by `scope`.
void RegionJson(json::Writer& w, const geo::RegionSet& regions, const sim::RegionOutcome& r, int32_t scope = -1) {
  const int32_t index = r.region >= 0 ? r.region : scope;
  w.StartObject();
  json::Str(w, "code", index >= 0 ? regions.at(index).code : "", true);
  json::Str(w, "name", index >= 0 ? regions.at(index).name : "Nasional", true);
  json::Int(w, "tps", r.tps);
  json::Key(w, "expected_late");
  w.Double(r.expected_late);
  json::Key(w, "sd_late");
  w.Double(r.sd_late);
  w.EndObject();
}

void DifferenceJson(json::Writer& w, const sim::Difference& d) {
  w.StartObject();
  json::Key(w, "mean");
  w.Double(d.mean);
  json::Key(w, "low");
  w.Double(d.low);
  json::Key(w, "high");
  w.Double(d.high);
  w.EndObject();
}

}  // namespace

std::string SimulationJson(const SimulationResult& result, const readiness::Board& board,
                           const SimulationRequest& request) {
  const geo::RegionSet& regions = board.regions();
  const int32_t scope = request.region;
  const SimulationRun& base = result.base;
  const Projection& p = result.projection;
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::Str(w, "election", board.definition().id, true);
  json::Str(w, "region", scope >= 0 ? regions.at(scope).code : "", true);
  json::Int(w, "scenarios", base.outcome.scenarios);
  json::Key(w, "seed");
  w.Uint64(request.options.seed);
  json::Int(w, "leg_count", static_cast<int64_t>(base.network.legs()));
  json::Int(w, "tps", static_cast<int64_t>(base.network.tps()));
  if (p.run.as_of) json::Str(w, "as_of", FormatInstant(p.run.as_of, 420));
  json::Key(w, "scope");
  RegionJson(w, regions, base.outcome.regions.front(), scope);
  json::Key(w, "regions");
  w.StartArray();
  for (const sim::RegionOutcome* r : Children(base.outcome, regions, scope)) RegionJson(w, regions, *r);
  w.EndArray();
  json::Key(w, "tps_at_risk");
  w.StartArray();
  for (size_t i : MostAtRisk(p, static_cast<size_t>(request.top))) {
    const store::TpsRisk& t = p.tps[i];
    const int offset = ProvinceUtcOffsetMinutes(t.tps.substr(0, 2));
    w.StartObject();
    json::Str(w, "tps", t.tps, true);
    json::Str(w, "village", regions.at(board.tps(base.network.tps_list()[i]).village).name, true);
    json::Key(w, "p_late");
    w.Double(t.p_late);
    json::Key(w, "p_late_95");
    w.StartArray();
    w.Double(t.p_low);
    w.Double(t.p_high);
    w.EndArray();
    json::Key(w, "expected_lateness_hours");
    w.Double(t.lateness_hours);
    json::Str(w, "arrival_p05", FormatInstant(t.p05, offset), true);
    json::Str(w, "arrival_p50", FormatInstant(t.p50, offset), true);
    json::Str(w, "arrival_p95", FormatInstant(t.p95, offset), true);
    json::Str(w, "deadline", FormatInstant(t.deadline, offset), true);
    w.EndObject();
  }
  w.EndArray();
  json::Key(w, "legs");
  w.RawValue(p.run.legs.data(), p.run.legs.size(), rapidjson::kArrayType);
  if (result.changed) {
    json::Key(w, "what_if");
    w.StartObject();
    json::Key(w, "changes");
    w.StartArray();
    for (const sim::Change& c : request.changes) w.String(c.label.c_str());
    w.EndArray();
    json::Key(w, "scope");
    RegionJson(w, regions, result.changed->outcome.regions.front(), scope);
    json::Key(w, "difference");
    DifferenceJson(w, result.changed_difference);
    json::Key(w, "regions");
    w.StartArray();
    for (const sim::RegionOutcome* r : Children(result.changed->outcome, regions, scope)) RegionJson(w, regions, *r);
    w.EndArray();
    w.EndObject();
  }
  if (result.mitigated) {
    json::Key(w, "mitigation");
    w.StartObject();
    json::Key(w, "changes");
    w.StartArray();
    for (const sim::Mitigation& m : result.chosen) {
      w.StartObject();
      json::Str(w, "change", m.change.label, true);
      json::Key(w, "reduction");
      w.Double(m.reduction);
      w.EndObject();
    }
    w.EndArray();
    json::Key(w, "scope");
    RegionJson(w, regions, result.mitigated->outcome.regions.front(), scope);
    json::Key(w, "difference");
    DifferenceJson(w, result.mitigated_difference);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString()) + "\n";
}

}  // namespace tepat::app
