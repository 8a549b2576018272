// *Tepat efisien*, scored (docs/procurement.md §6; docs/ledger.md, the scorecard's sixth line): per region and
// nationally, what was contracted against what was needed (units and rupiah over or under), the price paid against
// the reference price, and the cost per voter and per TPS; per KPU office, the savings against the HPS and the pagu
// (*efisiensi*) and the payments made (*realisasi*) against the pagu.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/region.h"
#include "planning/needs.h"
#include "procurement/contract.h"
#include "procurement/plan.h"

namespace tepat::procurement {

struct RegionEfficiency {
  int32_t region = -1;           // region index; -1 for the nation
  int64_t contracted = 0;        // rupiah scheduled to the warehouses within the region (shipping included)
  int64_t over_units = 0;        // units scheduled beyond what the plan buys for a warehouse and item
  int64_t over = 0;              // their rupiah, at the contract's price
  int64_t under_units = 0;       // units the plan buys that no schedule brings
  int64_t under = 0;             // their rupiah, at the reference price (or the contract's when none is known)
  int64_t above_reference = 0;   // rupiah paid above the reference price of the warehouse's zone
  int64_t dpt = 0, tps = 0;      // the region's voters and TPS
  // The share of the contracted rupiah neither beyond the need nor above the reference price: 1 − (over +
  // above_reference) / contracted, at least 0; -1 when nothing is contracted.
  double Score() const;
};

struct OfficeEfficiency {
  int32_t office = -1;  // region index; -1 for KPU RI
  int64_t pagu = 0;
  bool has_budget = false;
  int64_t value = 0;     // the current value of the contracts it signed
  int64_t hps = 0;       // the HPS of those of its contracts that state one
  int64_t hps_value = 0; // the current value of those contracts
  int64_t paid = 0;      // payments recorded against its contracts
  int64_t SavingsAgainstHps() const { return hps - hps_value; }
  int64_t SavingsAgainstPagu() const { return pagu - value; }
};

struct Efficiency {
  std::vector<RegionEfficiency> regions;  // the nation first, then every province and regency in region order
  std::vector<OfficeEfficiency> offices;  // every office that signed a contract or holds a budget
};

// The voters and TPS of a region index (-1: the nation), for the cost per voter and per TPS.
struct RegionTotals {
  std::vector<int64_t> dpt, tps;  // indexed like the RegionSet
  int64_t national_dpt = 0, national_tps = 0;
};

// What the schedule brings to one warehouse of one item, against what the plan buys for it there.
struct DestinationBalance {
  int32_t destination = -1;  // region index of the warehouse's office; -1 for KPU RI's
  std::string item;
  int64_t contracted_units = 0, contracted = 0;  // scheduled, in units and in rupiah (shipping shared by units)
  int64_t needed_units = 0;                      // the plan's `buy`
  int64_t reference = 0;  // the scheduled units at the reference price of the warehouse's zone; 0 when none is known
  int64_t above_reference = 0;  // what the schedule rows cost beyond their reference price, summed
};
std::vector<DestinationBalance> BalanceDestinations(const election::Definition& def, const geo::RegionSet& regions,
                                                    const planning::Needs& needs, const Plan& plan,
                                                    const ContractBook& book, const std::vector<UnitPrice>& prices);

Efficiency ComputeEfficiency(const election::Definition& def, const geo::RegionSet& regions,
                             const planning::Needs& needs, const Plan& plan, const ContractBook& book,
                             const std::vector<UnitPrice>& prices, const std::vector<BudgetLine>& budget,
                             const RegionTotals& totals);

}  // namespace tepat::procurement
