// What the command line and the server share about simulation: the stored plan, the ledger's facts a live projection
// starts from, and a simulation's results in the shape they are stored, printed and served.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/region.h"
#include "readiness/board.h"
#include "sim/plan.h"
#include "sim/simulate.h"
#include "store/store.h"

namespace tepat::app {

// The error of an election without a distribution plan, saying what to do.
Error NoPlan(std::string_view election);

// The stored distribution plan of an election, read against its board; NoPlan when it has none.
Result<sim::Plan> LoadPlan(store::Store& store, const readiness::Board& board);

// What the ledger says had happened by `now`: each node's first receipt (a PPK's, PPS's or KPPS's, by its region or
// TPS code), the first dispatch towards each, and a regency's first dispatch from its warehouse (its kits were
// ready then).
Result<sim::Observed> ObservedFromLedger(store::Store& store, std::string_view election, int64_t now);

// A simulation's results as stored and served: the run, every region in scope (with its parent), every TPS.
struct Projection {
  store::ProjectionRun run;
  std::vector<store::RegionRisk> regions;
  std::vector<store::TpsRisk> tps;
};
// `region` is the scope (-1 for the nation); `top_legs` how many of the most blamed legs the run lists.
Projection MakeProjection(const sim::Network& network, const sim::Outcome& outcome, const readiness::Board& board,
                          int32_t region, const sim::Options& options, int64_t as_of, int top_legs);

// A simulation asked for (by `tepat simulate` or POST .../simulations): its scope, scenarios, what-if changes and
// mitigation budget.
struct SimulationRequest {
  int32_t region = -1;  // RegionSet index; -1 for the nation
  sim::Options options;
  std::vector<sim::Change> changes;
  int mitigate = 0;
  double advance_hours = 24;
  int64_t mitigate_scenarios = 1000;
  int top = 20;  // TPS at risk listed in JSON
};

struct SimulationRun {
  sim::Network network;
  sim::Outcome outcome;
};

// The plan simulated, as a projection; with changes, the changed plan on the same scenarios and the difference;
// with a mitigation budget, the changes chosen and the plan (changed, if so) with them against it.
struct SimulationResult {
  SimulationRun base;
  Projection projection;
  double seconds = 0;  // building and simulating the plan
  std::optional<SimulationRun> changed;
  sim::Difference changed_difference;
  std::optional<SimulationRun> mitigated;
  std::vector<sim::Mitigation> chosen;
  sim::Difference mitigated_difference;
};

Result<SimulationResult> RunSimulation(const sim::Plan& plan, const readiness::Board& board, const sim::Model& model,
                                       const sim::Observed* observed, const SimulationRequest& request);

// The regions one level below `scope` (the provinces for the nation) among an outcome's.
std::vector<const sim::RegionOutcome*> Children(const sim::Outcome& outcome, const geo::RegionSet& regions,
                                                int32_t scope);
// The `top` TPS of a projection most at risk (indices into its tps): by chance of being late, then expected
// lateness, then code.
std::vector<size_t> MostAtRisk(const Projection& projection, size_t top);

// A simulation as JSON: what `tepat simulate --format json` prints and POST .../simulations answers (formats.md
// §14.4).
std::string SimulationJson(const SimulationResult& result, const readiness::Board& board,
                           const SimulationRequest& request);

}  // namespace tepat::app
