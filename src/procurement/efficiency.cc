// Tepat efisien: contracted against needed, prices against the reference, savings and payments against the pagu.
#include "procurement/efficiency.h"

#include <algorithm>
#include <map>
#include <utility>

namespace tepat::procurement {

namespace {

// a × b / c in 128 bits, for shares of rupiah that would pass int64 before the division.
int64_t MulDiv(int64_t a, int64_t b, int64_t c) {
  return c == 0 ? 0 : static_cast<int64_t>(static_cast<__int128>(a) * b / c);
}

}  // namespace

std::vector<DestinationBalance> BalanceDestinations(const election::Definition& def, const geo::RegionSet& regions,
                                                    const planning::Needs& needs, const Plan& plan,
                                                    const ContractBook& book, const std::vector<UnitPrice>& prices) {
  const PriceIndex reference(prices);
  auto code_of = [&](int32_t region) { return region < 0 ? std::string() : regions.at(region).code; };
  std::map<std::pair<int32_t, std::string>, DestinationBalance> at;
  for (const PlanLine& line : plan.lines) {
    const std::string& item = def.items[needs.items[line.need_item].item].code;
    at[{line.destination, item}].needed_units += line.buy;
  }
  for (const ScheduledDelivery& s : book.schedule) {
    const Contract* contract = book.Find(s.contract);
    const int32_t warehouse = OfficeRegion(regions, s.warehouse);
    if (!contract || warehouse < -1) continue;
    const auto line = std::find_if(contract->lines.begin(), contract->lines.end(),
                                   [&](const ContractLine& l) { return l.product == s.product; });
    if (line == contract->lines.end()) continue;
    // The line's shipping shared by the units scheduled.
    const int64_t rupiah = s.quantity * line->unit_price + MulDiv(line->shipping, s.quantity, line->quantity);
    DestinationBalance& d = at[{warehouse, line->item}];
    d.contracted_units += s.quantity;
    d.contracted += rupiah;
    if (const UnitPrice* price = reference.For(line->item, code_of(warehouse))) {
      const int64_t reference_rupiah = s.quantity * (price->rupiah + price->shipping);
      d.reference += reference_rupiah;
      d.above_reference += std::max<int64_t>(0, rupiah - reference_rupiah);
    }
  }
  std::vector<DestinationBalance> out;
  out.reserve(at.size());
  for (auto& [key, d] : at) {
    d.destination = key.first;
    d.item = key.second;
    out.push_back(std::move(d));
  }
  return out;
}

double RegionEfficiency::Score() const {
  if (contracted <= 0) return -1;
  const double waste = static_cast<double>(over + above_reference) / static_cast<double>(contracted);
  return std::max(0.0, 1.0 - waste);
}

Efficiency ComputeEfficiency(const election::Definition& def, const geo::RegionSet& regions,
                             const planning::Needs& needs, const Plan& plan, const ContractBook& book,
                             const std::vector<UnitPrice>& prices, const std::vector<BudgetLine>& budget,
                             const RegionTotals& totals) {
  const PriceIndex reference(prices);
  auto code_of = [&](int32_t region) { return region < 0 ? std::string() : regions.at(region).code; };
  Efficiency out;
  std::map<int32_t, RegionEfficiency> by_region;  // -1 (the nation) first
  auto add = [&](int32_t region, auto&& apply) {
    // The region itself, then each region above it up to the nation.
    for (int32_t r = region; r >= 0; r = regions.at(r).parent) apply(by_region[r]);
    apply(by_region[-1]);
  };
  for (const DestinationBalance& d : BalanceDestinations(def, regions, needs, plan, book, prices)) {
    const int32_t destination = d.destination;
    const std::string& item = d.item;
    RegionEfficiency delta;
    delta.contracted = d.contracted;
    delta.above_reference = d.above_reference;
    if (d.contracted_units > d.needed_units) {
      delta.over_units = d.contracted_units - d.needed_units;
      delta.over = MulDiv(delta.over_units, d.contracted, d.contracted_units);
    } else if (d.needed_units > d.contracted_units) {
      delta.under_units = d.needed_units - d.contracted_units;
      const UnitPrice* price = reference.For(item, code_of(destination));
      delta.under = price ? delta.under_units * (price->rupiah + price->shipping)
                          : MulDiv(delta.under_units, d.contracted, d.contracted_units);
    }
    add(destination, [&](RegionEfficiency& r) {
      r.contracted += delta.contracted;
      r.above_reference += delta.above_reference;
      r.over_units += delta.over_units;
      r.over += delta.over;
      r.under_units += delta.under_units;
      r.under += delta.under;
    });
  }
  auto row = [&](int32_t region) {
    RegionEfficiency r = by_region.count(region) ? by_region[region] : RegionEfficiency{};
    r.region = region;
    r.dpt = region < 0 ? totals.national_dpt : totals.dpt[region];
    r.tps = region < 0 ? totals.national_tps : totals.tps[region];
    out.regions.push_back(r);
  };
  row(-1);
  for (int32_t r = 0; r < static_cast<int32_t>(regions.size()); ++r) {
    const geo::Level level = regions.at(r).level;
    if (level == geo::Level::kProvince || level == geo::Level::kRegency) row(r);
  }

  std::map<int32_t, OfficeEfficiency> offices;
  std::map<std::string, int32_t> office_of;  // contract → its office
  for (const Contract& c : book.contracts) {
    const int32_t region = OfficeRegion(regions, c.office);
    if (region < -1) continue;
    OfficeEfficiency& o = offices[region];
    o.office = region;
    const int64_t value = book.CurrentValue(c);
    o.value += value;
    if (c.hps > 0) {
      o.hps += c.hps;
      o.hps_value += value;
    }
    office_of[c.number] = region;
  }
  for (const Payment& p : book.payments) {
    if (auto it = office_of.find(p.contract); it != office_of.end()) offices[it->second].paid += p.rupiah;
  }
  for (const BudgetLine& b : budget) {
    const int32_t region = OfficeRegion(regions, b.satker);
    if (region < -1) continue;
    OfficeEfficiency& o = offices[region];
    o.office = region;
    o.has_budget = true;
    o.pagu += b.pagu;
  }
  for (auto& [region, office] : offices) out.offices.push_back(office);
  return out;
}

}  // namespace tepat::procurement
