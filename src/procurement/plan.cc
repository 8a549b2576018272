// The procurement plan: needs less stock, in whole packs, priced per zone, summed per buying office against its pagu.
#include "procurement/plan.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "common/text.h"

namespace tepat::procurement {

namespace {

// a + b, failing past kMaxRupiah.
Status AddRupiah(int64_t& sum, int64_t add, const std::string& what) {
  if (__builtin_add_overflow(sum, add, &sum) || sum > kMaxRupiah) {
    return InvalidInput(what + " passes Rp1 quadrillion: a price or a quantity cannot be right");
  }
  return {};
}

}  // namespace

int32_t OfficeRegion(const geo::RegionSet& regions, std::string_view node) {
  if (node == "kpu") return -1;
  if (!node.starts_with("kpu:")) return -2;
  const int32_t region = regions.Find(node.substr(4));
  if (region < 0) return -2;
  const geo::Level level = regions.at(region).level;
  return level == geo::Level::kProvince || level == geo::Level::kRegency ? region : -2;
}

std::string OfficeNode(const geo::RegionSet& regions, int32_t region) {
  return region < 0 ? std::string("kpu") : "kpu:" + regions.at(region).code;
}

Result<Plan> ComputePlan(const PlanInput& input) {
  const election::Definition& def = *input.definition;
  const geo::RegionSet& regions = *input.regions;
  const planning::Needs& needs = *input.needs;
  const size_t items = needs.items.size();

  // The quantity held at each destination: a regency's whole need; what a province or the nation holds itself (its
  // need less that of the regions below it). Sparse, as the needs are: a regency holds a few dozen of the thousands
  // of lines (the ballots of its own dapil).
  std::vector<std::vector<int32_t>> regencies_of(regions.size());
  for (int32_t regency : regions.OfLevel(geo::Level::kRegency)) {
    regencies_of[regions.Ancestor(regency, geo::Level::kProvince)].push_back(regency);
  }
  std::vector<int64_t> scratch(items, 0);
  auto own = [&](const planning::Quantities& whole, const std::vector<int32_t>& below) {
    for (const auto& [id, quantity] : whole) scratch[id] = quantity;
    for (int32_t child : below) {
      for (const auto& [id, quantity] : needs.by_region[child]) scratch[id] -= quantity;
    }
    planning::Quantities out;
    for (const auto& [id, quantity] : whole) {
      if (scratch[id] > 0) out.emplace_back(id, scratch[id]);
      scratch[id] = 0;
    }
    return out;
  };
  const planning::Quantities national = own(needs.national, regions.OfLevel(geo::Level::kProvince));
  std::vector<planning::Quantities> province_own(regions.size());
  for (int32_t province : regions.OfLevel(geo::Level::kProvince)) {
    province_own[province] = own(needs.by_region[province], regencies_of[province]);
  }
  std::vector<std::pair<int32_t, const planning::Quantities*>> held = {{-1, &national}};
  for (int32_t r = 0; r < static_cast<int32_t>(regions.size()); ++r) {
    const geo::Level level = regions.at(r).level;
    if (level == geo::Level::kProvince) held.emplace_back(r, &province_own[r]);
    if (level == geo::Level::kRegency) held.emplace_back(r, &needs.by_region[r]);
  }

  // Usable stock per destination and need item.
  std::unordered_map<std::string, int32_t> need_ids;
  for (size_t i = 0; i < items; ++i) need_ids.emplace(needs.items[i].code, static_cast<int32_t>(i));
  std::map<std::pair<int32_t, int32_t>, int64_t> stock;
  for (const Stock& s : input.stock) {
    const int32_t office = OfficeRegion(regions, s.warehouse);
    const auto id = need_ids.find(s.item);
    if (office < -1 || id == need_ids.end() || s.quantity <= 0) continue;  // not a warehouse, or nothing it needs
    int64_t& sum = stock[{office, id->second}];
    sum = std::min(sum + std::min(s.quantity, kMaxQuantity), kMaxQuantity);
  }

  // Who buys each need item, and its catalog code.
  std::vector<geo::Level> buyer_level(items);
  for (size_t i = 0; i < items; ++i) {
    const planning::NeedItem& n = needs.items[i];
    buyer_level[i] = def.procurement.BuyerOf(def.items[n.item].code,
                                             n.contest < 0 ? std::string_view() : def.contests[n.contest].code);
  }

  const PriceIndex prices(*input.prices);
  Plan plan;
  std::map<int32_t, OfficePlan> offices;  // region index order puts KPU RI (-1) first
  for (const auto& [destination, quantities] : held) {
    const std::string code = destination < 0 ? std::string() : regions.at(destination).code;
    const geo::Level level = destination < 0 ? geo::Level::kNational : regions.at(destination).level;
    for (const auto& [i, quantity] : *quantities) {
      if (quantity <= 0) continue;
      PlanLine line;
      line.destination = destination;
      line.need_item = i;
      line.need = quantity;
      // The office at the buying level above the destination, or the destination's own when it lies above it.
      line.buyer = level <= buyer_level[i] ? destination
                   : buyer_level[i] == geo::Level::kNational ? -1
                                                             : regions.Ancestor(destination, buyer_level[i]);
      if (auto it = stock.find({destination, line.need_item}); it != stock.end()) {
        line.stock = std::min(it->second, line.need);
      }
      const int64_t pack = def.items[needs.items[i].item].pack;
      const int64_t missing = line.need - line.stock;
      line.buy = (missing + pack - 1) / pack * pack;
      OfficePlan& office = offices[line.buyer];
      office.office = line.buyer;
      const std::string& item = def.items[needs.items[i].item].code;
      if (const UnitPrice* price = prices.For(item, code)) {
        line.priced = true;
        line.unit_price = price->rupiah + price->shipping;
        if (__builtin_mul_overflow(line.buy, line.unit_price, &line.cost) || line.cost > kMaxRupiah) {
          return InvalidInput("the cost of " + FormatThousands(line.buy) + " " + needs.items[i].code + " for " +
                              OfficeNode(regions, destination) +
                              " passes Rp1 quadrillion: a price or a quantity cannot be right");
        }
      }
      if (line.buy > 0) {
        ++office.buy_lines;
        if (!line.priced) ++office.unpriced_lines;
        RETURN_IF_ERROR(AddRupiah(office.cost, line.cost, "the cost of " + OfficeNode(regions, line.buyer)));
      }
      plan.lines.push_back(line);
    }
  }
  for (const BudgetLine& b : *input.budget) {
    const int32_t region = OfficeRegion(regions, b.satker);
    if (region < -1) continue;
    OfficePlan& office = offices[region];
    office.office = region;
    office.has_budget = true;
    RETURN_IF_ERROR(AddRupiah(office.pagu, b.pagu, "the pagu of " + b.satker));
  }
  for (auto& [region, office] : offices) plan.offices.push_back(office);
  return plan;
}

std::vector<PlanRow> RollUp(const Plan& plan, const planning::Needs& needs, const geo::RegionSet& regions,
                            bool by_office, geo::Level level, int32_t within) {
  std::map<std::pair<int32_t, int32_t>, PlanRow> rows;
  for (const PlanLine& line : plan.lines) {
    if (within >= 0 && (line.destination < 0 || !regions.Within(line.destination, within))) continue;
    int32_t group = line.buyer;
    if (!by_office) {
      group = line.destination;
      if (level == geo::Level::kNational) {
        group = -1;
      } else if (group >= 0 && regions.at(group).level > level) {
        group = regions.Ancestor(group, level);
      }
    }
    const int32_t item = needs.items[line.need_item].item;
    PlanRow& row = rows[{group, item}];
    row.group = group;
    row.item = item;
    row.need += line.need;
    row.stock += line.stock;
    row.buy += line.buy;
    row.cost += line.cost;  // each line's cost is at most kMaxRupiah and so is their sum per office
    if (line.buy > 0 && !line.priced) ++row.unpriced_lines;
  }
  std::vector<PlanRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) out.push_back(row);
  return out;
}

}  // namespace tepat::procurement
