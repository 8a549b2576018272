#include "app/sim.h"

#include <algorithm>

#include "common/json.h"
#include "ledger/document.h"
#include "ledger/node.h"

namespace tepat::app {

Result<sim::Plan> LoadPlan(store::Store& store, const readiness::Board& board) {
  const std::string& election = board.definition().id;
  std::optional<store::StoredPlan> stored = TRY(store.LoadPlan(election));
  if (!stored) {
    return NotFound("election " + election + " has no distribution plan: run `tepat plan generate --election " +
                    election + "` or `tepat plan import --election " + election + " FILE`");
  }
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

}  // namespace tepat::app
