// The discrepancies of procurement and the findings they make.
#include "procurement/supervision.h"

#include <iterator>

#include "common/text.h"

namespace tepat::procurement {

namespace {

constexpr std::string_view kIssueNames[] = {"contract_quantity", "price_above_reference", "delivery_late",
                                            "delivery_overdue", "pagu_shortfall"};

std::string Rupiah(int64_t rupiah) { return "Rp" + FormatThousands(rupiah); }

}  // namespace

std::string_view ProcurementIssueName(ProcurementIssue issue) { return kIssueNames[static_cast<int>(issue)]; }

std::optional<ProcurementIssue> ParseProcurementIssue(std::string_view name) {
  for (size_t i = 0; i < std::size(kIssueNames); ++i) {
    if (kIssueNames[i] == name) return static_cast<ProcurementIssue>(i);
  }
  return std::nullopt;
}

std::vector<ProcurementDiscrepancy> FindProcurementDiscrepancies(const geo::RegionSet& regions, const Plan& plan,
                                                                 const std::vector<DestinationBalance>& balances,
                                                                 const DeliveryProgress& progress,
                                                                 int64_t tolerance_percent) {
  std::vector<ProcurementDiscrepancy> out;
  for (const DestinationBalance& b : balances) {
    // Only where something is scheduled (a plan line no contract covers yet is the plan's, not a discrepancy), and
    // beyond the tolerance: a buffer of a few units in a hundred is KPU's own practice.
    const int64_t gap = b.contracted_units > b.needed_units ? b.contracted_units - b.needed_units
                                                            : b.needed_units - b.contracted_units;
    if (b.contracted_units > 0 && static_cast<__int128>(gap) * 100 > static_cast<__int128>(b.needed_units) *
                                                                          tolerance_percent) {
      out.push_back({ProcurementIssue::kContractQuantity, OfficeNode(regions, b.destination), b.item, b.needed_units,
                     b.contracted_units});
    }
  }
  for (const DestinationBalance& b : balances) {
    if (b.reference > 0 && static_cast<__int128>(b.contracted) * 100 >
                               static_cast<__int128>(b.reference) * (100 + tolerance_percent)) {
      out.push_back({ProcurementIssue::kPriceAboveReference, OfficeNode(regions, b.destination), b.item, b.reference,
                     b.contracted});
    }
  }
  for (const DeliveryRow& r : progress.rows) {
    if (r.status == DeliveryStatus::kLate) {
      out.push_back({ProcurementIssue::kDeliveryLate, r.warehouse, r.contract + "/" + r.product, r.due, r.on_time});
    } else if (r.status == DeliveryStatus::kOverdue) {
      out.push_back(
          {ProcurementIssue::kDeliveryOverdue, r.warehouse, r.contract + "/" + r.product, r.due, r.Arrived()});
    }
  }
  for (const OfficePlan& o : plan.offices) {
    if (o.Balance() < 0) {
      out.push_back({ProcurementIssue::kPaguShortfall, OfficeNode(regions, o.office), "pagu", o.pagu, o.cost});
    }
  }
  return out;
}

oversight::Finding FindingOf(const ProcurementDiscrepancy& d) {
  oversight::Finding f;
  f.node = d.node;
  f.region = d.node.starts_with("kpu:") ? d.node.substr(4) : "";
  f.stage = "procurement";
  f.reported_party = d.node;
  switch (d.kind) {
    case ProcurementIssue::kContractQuantity:
      f.category = d.actual < d.expected ? oversight::Category::kShortage : oversight::Category::kExcess;
      f.title = "Kuantitas kontrak " + d.subject + " untuk " + d.node + " " + FormatThousands(d.actual) +
                ", kebutuhan " + FormatThousands(d.expected);
      break;
    case ProcurementIssue::kPriceAboveReference:
      f.category = oversight::Category::kProcedure;
      f.title = "Harga " + d.subject + " untuk " + d.node + " " + Rupiah(d.actual) + ", di atas harga acuan " +
                Rupiah(d.expected);
      break;
    case ProcurementIssue::kDeliveryLate:
      f.category = oversight::Category::kLate;
      f.stage = "receipt";
      f.title = "Pengiriman " + d.subject + " ke " + d.node + " terlambat: " + FormatThousands(d.actual) + " dari " +
                FormatThousands(d.expected) + " tiba tepat waktu";
      break;
    case ProcurementIssue::kDeliveryOverdue:
      f.category = oversight::Category::kLate;
      f.severity = oversight::Severity::kHigh;
      f.stage = "receipt";
      f.title = "Pengiriman " + d.subject + " ke " + d.node + " lewat jatuh tempo: " + FormatThousands(d.actual) +
                " dari " + FormatThousands(d.expected) + " diterima";
      break;
    case ProcurementIssue::kPaguShortfall:
      f.category = oversight::Category::kProcedure;
      f.severity = oversight::Severity::kHigh;
      f.title = "Rencana pengadaan " + d.node + " " + Rupiah(d.actual) + " melebihi pagu " + Rupiah(d.expected);
      break;
  }
  f.description = "Dari pengawasan pengadaan: " + std::string(ProcurementIssueName(d.kind)) + " pada " + d.subject +
                  " di " + d.node + " (seharusnya " + FormatThousands(d.expected) + ", tercatat " +
                  FormatThousands(d.actual) + ").";
  return f;
}

}  // namespace tepat::procurement
