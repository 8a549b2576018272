// Deliveries against the schedule.
#include "procurement/delivery.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>

namespace tepat::procurement {

namespace {

constexpr std::string_view kStatusNames[] = {"pending", "on_time", "late", "overdue", "excess", "unscheduled"};

}  // namespace

std::string_view DeliveryStatusName(DeliveryStatus status) { return kStatusNames[static_cast<int>(status)]; }

DeliveryProgress ComputeDeliveries(const ContractBook& book, const std::vector<Arrival>& arrivals,
                                   const std::vector<Shipment>& shipments, int64_t as_of_day) {
  DeliveryProgress out;
  out.as_of_day = as_of_day;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> at;  // contract, product, warehouse → row
  for (const ScheduledDelivery& s : book.schedule) {
    const Contract* contract = book.Find(s.contract);
    if (!contract) continue;  // a stored schedule whose contract is gone: a discrepancy, not a delivery
    const auto line = std::find_if(contract->lines.begin(), contract->lines.end(),
                                   [&](const ContractLine& l) { return l.product == s.product; });
    if (line == contract->lines.end()) continue;
    DeliveryRow row;
    row.contract = s.contract;
    row.product = s.product;
    row.item = line->item;
    row.vendor = contract->vendor;
    row.warehouse = s.warehouse;
    row.due = s.quantity;
    row.due_day = s.due_day;
    at.emplace(std::tuple(row.contract, row.product, row.warehouse), out.rows.size());
    out.rows.push_back(std::move(row));
  }
  const size_t scheduled = out.rows.size();

  for (const Arrival& a : arrivals) {
    if (a.day > as_of_day) continue;
    const Contract* contract = book.Find(a.contract);
    if (!contract) continue;  // the ledger checked the contract when posting; it has since been removed
    // The line of the arrival's item scheduled at its warehouse, else the first line of the item, else none.
    std::string product;
    for (const ContractLine& l : contract->lines) {
      if (l.item != a.item) continue;
      if (product.empty()) product = l.product;
      if (at.count({a.contract, l.product, a.warehouse})) {
        product = l.product;
        break;
      }
    }
    auto [it, added] = at.emplace(std::tuple(a.contract, product, a.warehouse), out.rows.size());
    if (added) {
      DeliveryRow row;
      row.contract = a.contract;
      row.product = product;  // "" when the contract has no line of the item
      row.item = a.item;
      row.vendor = contract->vendor;
      row.warehouse = a.warehouse;
      out.rows.push_back(std::move(row));
    }
    DeliveryRow& row = out.rows[it->second];
    row.damaged += a.damaged;
    if (a.replacement) {
      row.replaced += a.good;  // makes good what was damaged: not a delivery of the schedule
      continue;
    }
    const bool in_time = row.due_day > 0 && a.day <= row.due_day;
    (in_time ? row.on_time : row.late) += a.good;
  }

  std::map<std::string, VendorDelivery> vendors;
  std::map<std::string, ItemDelivery> items;
  for (size_t r = 0; r < out.rows.size(); ++r) {
    DeliveryRow& row = out.rows[r];
    if (r >= scheduled) {
      row.status = DeliveryStatus::kUnscheduled;
    } else if (row.Arrived() > row.due) {
      row.status = DeliveryStatus::kExcess;
    } else if (row.Arrived() == row.due) {
      row.status = row.late > 0 ? DeliveryStatus::kLate : DeliveryStatus::kOnTime;
    } else {
      row.status = row.due_day < as_of_day ? DeliveryStatus::kOverdue : DeliveryStatus::kPending;
    }
    VendorDelivery& vendor = vendors[row.vendor];
    vendor.vendor = row.vendor;
    if (r < scheduled && row.due_day <= as_of_day) {
      vendor.due += row.due;
      vendor.on_time += std::min(row.on_time, row.due);
    }
    vendor.arrived += row.Arrived();
    ItemDelivery& item = items[row.item];
    item.item = row.item;
    item.arrived += row.Arrived() + row.replaced;
    item.damaged += row.damaged;
  }
  for (const Contract& c : book.contracts) {
    for (const ContractLine& l : c.lines) {
      ItemDelivery& item = items[l.item];
      item.item = l.item;
      item.contracted += book.CurrentQuantity(c.number, l.product);
    }
  }
  for (const Shipment& s : shipments) {
    ItemDelivery& item = items[s.item];
    item.item = s.item;
    item.shipped += s.quantity;
  }
  for (auto& [code, vendor] : vendors) out.vendors.push_back(std::move(vendor));
  for (auto& [code, item] : items) out.items.push_back(std::move(item));
  return out;
}

}  // namespace tepat::procurement
