// What the command line and the server share about simulation: the stored plan, the ledger's facts a live projection
// starts from, and a simulation's results in the shape they are stored, printed and served.
#pragma once

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

// The stored distribution plan of an election, read against its board; NotFound, with what to do, when it has none.
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

}  // namespace tepat::app
