// The demo's procurement data (docs/procurement.md §9): vendors, reference prices, budget lines, contracts with an
// amendment, a delivery schedule per regency and payments, built from what the scenario delivers. Pemilu 2024's
// contracts carry the real 2024 quantities and prices of procurement.md where they are known (tahap I: boxes, booths,
// ink, seals, cable ties; tahap II: ballots, envelopes, forms, braille templates, candidate lists), amended to what
// the synthetic election needs; other prices are assumptions, marked as such. An election whose items are bought
// below KPU RI (Pilkada 2024) gets one contract per buying office and vendor, and budgets that differ by region.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "election/definition.h"
#include "geo/region.h"
#include "procurement/contract.h"
#include "procurement/reference.h"

namespace tepat::procurement {

// What the scenario's vendors deliver to each regency's warehouse: (item code, contest code or "") → units, for the
// items that vary by contest per contest, by regency index.
using Deliveries = std::map<int32_t, std::map<std::pair<std::string, std::string>, int64_t>>;

struct DemoProcurement {
  std::vector<Vendor> vendors;
  std::vector<UnitPrice> prices;
  std::vector<BudgetLine> budget;
  ContractBook book;
};

DemoProcurement MakeDemoProcurement(const election::Definition& def, const geo::RegionSet& regions,
                                    const Deliveries& delivered);

}  // namespace tepat::procurement
