// Supervision of procurement (docs/procurement.md §7): the discrepancies Bawaslu looks for, computed from the plan,
// the contracts, the reference prices and the deliveries, each one able to become a finding through the findings
// flow (docs/oversight.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oversight/finding.h"
#include "procurement/delivery.h"
#include "procurement/efficiency.h"
#include "procurement/plan.h"

namespace tepat::procurement {

enum class ProcurementIssue : uint8_t {
  kContractQuantity,     // the units scheduled to a warehouse differ from what the plan buys by more than the tolerance
  kPriceAboveReference,  // a schedule row costs more than its reference price by more than the tolerance
  kDeliveryLate,         // a delivery completed after its due date
  kDeliveryOverdue,      // a delivery past its due date and not complete
  kPaguShortfall,        // an office's plan costs more than its pagu
};
std::string_view ProcurementIssueName(ProcurementIssue issue);  // contract_quantity, price_above_reference, ...
std::optional<ProcurementIssue> ParseProcurementIssue(std::string_view name);

struct ProcurementDiscrepancy {
  ProcurementIssue kind = ProcurementIssue::kContractQuantity;
  std::string node;     // the warehouse or office: kpu, kpu:35, kpu:35.78
  std::string subject;  // the item, the contract line (P-001/KS-1), or "pagu"
  int64_t expected = 0;  // needed units; reference rupiah; units due; pagu
  int64_t actual = 0;    // scheduled units; contracted rupiah; units arrived (on time, for late); the plan's cost
  // How `--from-discrepancy` names it: NODE#SUBJECT, with the kind after a colon (kpu:35.78#P-001/KS-1:delivery_late).
  std::string Code() const { return node + "#" + subject; }
};

// Every discrepancy, by kind and then place. `tolerance_percent`: how far a scheduled quantity may differ from the
// plan's, and a price lie above its reference.
std::vector<ProcurementDiscrepancy> FindProcurementDiscrepancies(const geo::RegionSet& regions, const Plan& plan,
                                                                 const std::vector<DestinationBalance>& balances,
                                                                 const DeliveryProgress& progress,
                                                                 int64_t tolerance_percent);

// The finding a discrepancy makes: region (the office's; none for KPU RI's, raised by hand), category, severity,
// stage, an Indonesian title and description.
oversight::Finding FindingOf(const ProcurementDiscrepancy& d);

}  // namespace tepat::procurement
