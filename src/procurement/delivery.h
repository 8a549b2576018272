// Deliveries against the schedule (docs/procurement.md §5): what each contract line was due to deliver to each KPU
// warehouse by when, against the goods receipts that name the contract: on time, late, short, in excess, damaged on
// arrival and replaced; each vendor's on-time rate; and each item's progress nationally (contracted, shipped,
// arrived), as KPU reported it in 2023.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "procurement/contract.h"

namespace tepat::procurement {

// Goods that reached a KPU warehouse under a contract: a line of a goods receipt that names it.
struct Arrival {
  std::string contract;
  std::string warehouse;  // the receipt's node
  std::string item;       // the election's item (the catalog code of the line's need item)
  int64_t day = 0;        // the receipt's local date, days since the epoch
  int64_t good = 0;
  int64_t damaged = 0;
  bool replacement = false;  // the receipt fulfils a replacement request
};

// Goods a vendor sent under a contract (its dispatch naming the contract): shipped, whether arrived yet or not.
struct Shipment {
  std::string contract;
  std::string item;
  int64_t quantity = 0;
};

// A row's state as of a day: not yet due and not complete; complete by its due day; complete after it; past its due
// day and not complete; more than was due; or goods where none was scheduled.
enum class DeliveryStatus : uint8_t { kPending, kOnTime, kLate, kOverdue, kExcess, kUnscheduled };
std::string_view DeliveryStatusName(DeliveryStatus status);  // pending, on_time, late, overdue, excess, unscheduled

// One contract line at one warehouse.
struct DeliveryRow {
  std::string contract, product, item, vendor, warehouse;
  int64_t due = 0;       // scheduled quantity; 0 for goods that arrived where none was scheduled
  int64_t due_day = 0;   // 0 when unscheduled
  int64_t on_time = 0;   // good units received by the end of the due day
  int64_t late = 0;      // good units received after it
  int64_t damaged = 0;   // units that arrived damaged
  int64_t replaced = 0;  // good units that fulfil a replacement request: they make good what was damaged, and count
                         // neither on time nor late
  int64_t Arrived() const { return on_time + late; }
  int64_t Short() const { return due > Arrived() ? due - Arrived() : 0; }
  int64_t Excess() const { return Arrived() > due ? Arrived() - due : 0; }
  DeliveryStatus status = DeliveryStatus::kPending;
};

struct VendorDelivery {
  std::string vendor;
  int64_t due = 0;      // units due by the day asked
  int64_t on_time = 0;  // of those, received by their due day
  int64_t arrived = 0;  // every good unit received under its contracts
  double OnTimeRate() const { return due > 0 ? static_cast<double>(on_time) / static_cast<double>(due) : 1.0; }
};

struct ItemDelivery {
  std::string item;
  int64_t contracted = 0;  // the current quantities of its contract lines
  int64_t shipped = 0;     // sent by vendors' dispatches naming a contract
  int64_t arrived = 0;     // good units received, replacements included
  int64_t damaged = 0;
};

struct DeliveryProgress {
  int64_t as_of_day = 0;
  std::vector<DeliveryRow> rows;  // by contract, product, warehouse; then arrivals no schedule row covers
  std::vector<VendorDelivery> vendors;
  std::vector<ItemDelivery> items;
};

// The progress as of `as_of_day` (arrivals after it are left out; a due day before it with goods missing is overdue).
// An arrival counts for the contract's line of its item (the first, when a contract has several) at its warehouse.
DeliveryProgress ComputeDeliveries(const ContractBook& book, const std::vector<Arrival>& arrivals,
                                   const std::vector<Shipment>& shipments, int64_t as_of_day);

}  // namespace tepat::procurement
