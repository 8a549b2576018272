// Procurement's reference data of an election, imported into the store and read back (docs/formats.md §15): the
// part the command line and the server share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/access.h"
#include "app/app.h"
#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"
#include "planning/needs.h"
#include "procurement/contract.h"
#include "procurement/delivery.h"
#include "procurement/efficiency.h"
#include "procurement/plan.h"
#include "procurement/reference.h"
#include "procurement/supervision.h"
#include "store/store.h"

namespace tepat::app {

// The kinds of procurement file: "vendors", "prices", "budget", "inventory", "contracts", "amendments" and
// "schedule".
extern const std::vector<std::string_view> kReferenceKinds;
bool IsReferenceKind(std::string_view kind);
// "vendors, prices, ... or schedule", for messages.
std::string KindList();

// An election's reference data as stored; the vendors are the definition's own until a file of them is imported.
struct ReferenceData {
  std::vector<procurement::Vendor> vendors;
  std::vector<procurement::UnitPrice> prices;
  std::vector<procurement::BudgetLine> budget;
  std::vector<procurement::StockLine> inventory;
  procurement::ContractBook contracts;  // with their amendments and schedule
  bool vendors_imported = false;
};

// Checks `text` as the reference file of `kind` (whole, every problem located in `file`) and replaces the election's
// stored file of that kind with its canonical form, audited as `procurement.import` by `audit`'s actor, in one
// transaction. Returns how many records it holds. Nothing is written when the file is refused.
Result<int64_t> ImportReference(store::Store& store, const election::Definition& def, const geo::RegionSet& regions,
                                std::string_view kind, std::string_view file, std::string_view text,
                                access::AuditEntry audit);

// The election's reference data, read back through the same readers: of one `kind` only, or of all when it is empty.
Result<ReferenceData> LoadReference(store::Store& store, const election::Definition& def,
                                    const geo::RegionSet& regions, std::string_view kind = "");

// The canonical CSV of one kind of the election's reference data (the defaults for vendors not imported).
std::string ReferenceCsv(const ReferenceData& data, std::string_view kind);
// The same as JSON (docs/api.md): {"election", "kind", "records": [...]}, with "imported" for vendors.
std::string ReferenceJson(const ReferenceData& data, std::string_view election, std::string_view kind);

// Each contract's vendor, as the ledger checks deliveries against them.
std::unordered_map<std::string, std::string> ContractVendorsOf(const procurement::ContractBook& book);

// The usable stock at the KPU warehouses of an election: its ledger balances at KPU offices, and the good (baik)
// lines of its inventory file.
Result<std::vector<procurement::Stock>> WarehouseStock(store::Store& store, const election::Definition& def,
                                                       const ReferenceData& reference);

// The procurement plan of an election (docs/procurement.md §2) from its needs, its stock and its stored prices and
// budget; `reference` receives the reference data read.
Result<procurement::Plan> PlanProcurement(store::Store& store, const ElectionData& data,
                                          const planning::Needs& needs, ReferenceData& reference);

// How a plan is shown: rolled up per buying office, or per destination at a level; within a region (-1: all).
struct PlanView {
  bool by_office = true;
  geo::Level level = geo::Level::kRegency;
  int32_t within = -1;
};
// The plan's rows as CSV (docs/formats.md §15.5), and the plan as JSON with the offices against their pagu
// (docs/api.md).
std::string PlanCsv(const ElectionData& data, const procurement::Plan& plan, const planning::Needs& needs,
                    const PlanView& view);
std::string PlanJson(const ElectionData& data, const procurement::Plan& plan, const planning::Needs& needs,
                     const PlanView& view);
// The offices of a view against their pagu as CSV: office, name, buy_lines, unpriced_lines, cost, pagu, balance.
std::string PlanOfficesCsv(const ElectionData& data, const procurement::Plan& plan, const PlanView& view);
// The code of a plan row's group: an office's node ("kpu:35"), or a region's code ("" for the nation).
std::string PlanGroupCode(const geo::RegionSet& regions, int32_t group, bool office);
// The name of a plan row's group: an office ("KPU Provinsi Jawa Timur") or a region ("Jawa Timur").
std::string PlanGroupName(const geo::RegionSet& regions, int32_t group, bool office);
// The offices a view shows: those that buy for a destination within the view's region.
std::vector<const procurement::OfficePlan*> ViewOffices(const ElectionData& data, const procurement::Plan& plan,
                                                        const PlanView& view);

// The goods that vendors sent and warehouses received under the election's contracts: the lines of goods receipts
// and of vendors' dispatches that name a contract and have not been reversed.
struct ContractDeliveries {
  std::vector<procurement::Arrival> arrivals;
  std::vector<procurement::Shipment> shipments;
};
Result<ContractDeliveries> LoadContractDeliveries(store::Store& store, const election::Definition& def,
                                                  const geo::RegionSet& regions,
                                                  const std::vector<procurement::Vendor>& vendors);

// Delivery progress as JSON (docs/api.md): {"election", "as_of", "rows", "vendors", "items"}, the rows of the
// warehouses within `region` (a region code, "" for all).
std::string DeliveriesJson(const election::Definition& def, const procurement::DeliveryProgress& progress,
                           std::string_view region);
// The rows as CSV (docs/formats.md §15.3).
std::string DeliveriesCsv(const procurement::DeliveryProgress& progress, std::string_view region);
// Whether a warehouse's node lies within a region code ("" for all): kpu:35.78 lies within 35 and 35.78.
bool WarehouseWithin(std::string_view warehouse, std::string_view region);

// The voters and TPS of every region of an election.
procurement::RegionTotals RegionTotalsOf(const ElectionData& data);

// Tepat efisien for an election (docs/procurement.md §6): its plan against its contracts, prices and budget.
Result<procurement::Efficiency> ScoreEfficiency(store::Store& store, const ElectionData& data,
                                                const planning::Needs& needs);
// As JSON (docs/api.md): {"election", "region", "regions": [...], "offices": [...]}, the regions at `level` within
// `within` (a region index, -1 for the nation; the nation's own row first when it is -1, the region's otherwise).
std::string EfficiencyJson(const ElectionData& data, const procurement::Efficiency& efficiency, geo::Level level,
                           int32_t within);
// The regions as CSV (docs/formats.md §15.4).
std::string EfficiencyCsv(const ElectionData& data, const procurement::Efficiency& efficiency, geo::Level level,
                          int32_t within);
// The offices a view shows: every office, or those of the region asked and below it.
std::vector<const procurement::OfficeEfficiency*> EfficiencyOffices(const ElectionData& data,
                                                                    const procurement::Efficiency& efficiency,
                                                                    int32_t within);
// The rows a view shows: the region asked (or the nation), then its regions at `level`.
std::vector<const procurement::RegionEfficiency*> EfficiencyRows(const ElectionData& data,
                                                                 const procurement::Efficiency& efficiency,
                                                                 geo::Level level, int32_t within);

// The discrepancies of an election's procurement (docs/procurement.md §7) as of `as_of_day`, those of the offices and
// warehouses within `region` ("" for all). `tolerance_percent`: how far above its reference a price may be.
Result<std::vector<procurement::ProcurementDiscrepancy>> FindProcurementDiscrepancies(
    store::Store& store, const ElectionData& data, const planning::Needs& needs, int64_t as_of_day,
    std::string_view region, int64_t tolerance_percent = 10);
std::string ProcurementDiscrepanciesJson(const std::vector<procurement::ProcurementDiscrepancy>& found,
                                         std::string_view region);
std::string ProcurementDiscrepanciesCsv(const std::vector<procurement::ProcurementDiscrepancy>& found);

// Whether `code` (CODE of a `--from-discrepancy CODE:KIND`) names a procurement discrepancy: NODE#SUBJECT.
bool IsProcurementDiscrepancyCode(std::string_view code);

}  // namespace tepat::app
