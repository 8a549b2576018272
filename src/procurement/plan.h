// The procurement plan (docs/procurement.md §2): per procuring office and item, what to buy = what the warehouses it
// buys for need − their usable stock, rounded up to the item's packing unit; its cost at the zone's unit price plus
// shipping; and each office's cost against its pagu. Pure computation over the needs and the reference data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"
#include "planning/needs.h"
#include "procurement/reference.h"

namespace tepat::procurement {

// Usable units of a line of the needs at a KPU warehouse: a ledger balance, or good stock of an inventory file.
struct Stock {
  std::string warehouse;  // kpu, kpu:35 or kpu:35.78
  std::string item;       // a need item's code: "kotak_suara", "surat_suara:DPR:35-01"
  int64_t quantity = 0;
};

struct PlanInput {
  const election::Definition* definition = nullptr;
  const geo::RegionSet* regions = nullptr;
  const planning::Needs* needs = nullptr;
  const std::vector<UnitPrice>* prices = nullptr;
  const std::vector<BudgetLine>* budget = nullptr;
  std::vector<Stock> stock;  // several lines of one warehouse and item add up
};

// One line of the plan: a destination (the KPU warehouse that holds a need: a regency's, or a province's or the
// nation's for the reserves held there) and a line of the needs.
struct PlanLine {
  int32_t destination = -1;  // region index; -1 for KPU RI
  int32_t buyer = -1;        // the region of the office that buys it; -1 for KPU RI
  int32_t need_item = -1;    // index into Needs::items
  int64_t need = 0;
  int64_t stock = 0;      // usable stock at the destination, at most the need
  int64_t buy = 0;        // (need − stock) rounded up to whole packs; 0 when the stock covers the need
  int64_t unit_price = 0;  // rupiah per unit at the destination's zone, shipping included; 0 when no price is known
  bool priced = false;
  int64_t cost = 0;  // buy × unit_price
};

// A buying office's total against its budget.
struct OfficePlan {
  int32_t office = -1;  // region index; -1 for KPU RI
  int64_t buy_lines = 0;
  int64_t unpriced_lines = 0;  // lines to buy with no price known: their cost is missing from `cost`
  int64_t cost = 0;
  int64_t pagu = 0;  // the sum of the office's budget lines
  bool has_budget = false;
  int64_t Balance() const { return pagu - cost; }  // above 0 a surplus, below 0 a shortfall
};

struct Plan {
  std::vector<PlanLine> lines;      // by destination (KPU RI, then the RegionSet's order), then need item
  std::vector<OfficePlan> offices;  // every office that buys something or holds a budget: KPU RI first, then by region
};

// Computes the plan. Fails when a cost or a sum passes kMaxRupiah (a price or a quantity that cannot be right).
Result<Plan> ComputePlan(const PlanInput& input);

// The region index of a KPU office's node ("kpu" → -1), or -2 when it is not a KPU office of a known province or
// regency.
int32_t OfficeRegion(const geo::RegionSet& regions, std::string_view node);
// The ledger node of the KPU office of a region index: "kpu" for -1, "kpu:35", "kpu:35.78".
std::string OfficeNode(const geo::RegionSet& regions, int32_t region);

// A rollup of the plan for people: per group and catalog item. The group is the buying office (`by_office`), or the
// destination's region at `level` (a destination above `level` is its own group). Only destinations within
// `within` count (a region index; -1 for the nation).
struct PlanRow {
  int32_t group = -1;  // region index; -1 for the nation or KPU RI
  int32_t item = -1;   // index into Definition::items
  int64_t need = 0, stock = 0, buy = 0, cost = 0;
  int64_t unpriced_lines = 0;
};
std::vector<PlanRow> RollUp(const Plan& plan, const planning::Needs& needs, const geo::RegionSet& regions,
                            bool by_office, geo::Level level, int32_t within);

}  // namespace tepat::procurement
