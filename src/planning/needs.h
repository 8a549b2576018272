// Needs planning: what every TPS must receive under an election's rules, and the reserves held at each level,
// rolled up through village, district, regency, province and the nation. Pure computation over data in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"

namespace tepat::planning {

// A line of the needs: an item of the catalog, for ballots also the contest and the variant (the ballot that differs
// by province, regency or dapil). Its code is "item" or "item:CONTEST:variant", e.g. "surat_suara:DPR:35-01".
struct NeedItem {
  int32_t item = -1;     // index into Definition::items
  int32_t contest = -1;  // index into Definition::contests, or -1
  std::string variant;   // "" when the item has no contest
  std::string code;
};

// (need item id, quantity) pairs sorted by id.
using Quantities = std::vector<std::pair<int32_t, int64_t>>;

struct Needs {
  std::vector<NeedItem> items;        // in catalog order: by item, then contest, then variant
  std::vector<Quantities> by_region;  // indexed like the RegionSet; includes reserves held at the region
  Quantities national;
};

struct NeedsInput {
  const election::Definition* definition = nullptr;
  const geo::RegionSet* regions = nullptr;
  const std::vector<geo::Tps>* tps = nullptr;  // sorted by village and number
  const geo::DapilSet* dapils = nullptr;       // required when a contest varies by dapil
};

// Receives the quantities of one TPS (its index in NeedsInput::tps).
using TpsVisitor = std::function<void(size_t tps_index, const Quantities& quantities)>;

struct NeedsOptions {
  int threads = 2;
  // When set, called in TPS order for every TPS whose index lies in [visit_first, visit_last).
  TpsVisitor visit_tps;
  size_t visit_first = 0;
  size_t visit_last = 0;
};

// Computes the needs. Fails when a TPS has no dapil for a contest held there.
Result<Needs> ComputeNeeds(const NeedsInput& input, const NeedsOptions& options = {});

// The quantity one rule gives at a TPS with `dpt` voters where `contests` contests are held.
int64_t TpsQuantity(const election::Rule& rule, int64_t dpt, int64_t contests);

}  // namespace tepat::planning
