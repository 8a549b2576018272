// Procurement's reference data: importing, storing and reading back.
#include "app/procurement.h"

#include <algorithm>

#include <set>

#include "common/csv.h"
#include "common/json.h"
#include "common/time.h"
#include "ledger/document.h"
#include "ledger/node.h"

namespace tepat::app {

const std::vector<std::string_view> kReferenceKinds = {"vendors",   "prices",     "budget",   "inventory",
                                                       "contracts", "amendments", "schedule", "payments"};

bool IsReferenceKind(std::string_view kind) {
  return std::find(kReferenceKinds.begin(), kReferenceKinds.end(), kind) != kReferenceKinds.end();
}

std::string KindList() {
  std::string out;
  for (size_t i = 0; i < kReferenceKinds.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == kReferenceKinds.size() ? " or " : ", ") + std::string(kReferenceKinds[i]);
  }
  return out;
}

namespace {

// The records of `text` as a file of `kind`, in their canonical CSV, with their count. Contracts name vendors,
// amendments name contracts' lines, the schedule adds up to them: each is checked against what is stored.
Result<std::pair<std::string, int64_t>> Canonical(store::Store& store, const election::Definition& def,
                                                  const geo::RegionSet& regions, std::string_view kind,
                                                  std::string_view file, std::string_view text) {
  if (kind == "vendors") {
    const auto vendors = TRY(procurement::ParseVendorsCsv(file, text));
    const ReferenceData stored = TRY(LoadReference(store, def, regions, "contracts"));
    for (const procurement::Contract& c : stored.contracts.contracts) {
      if (std::none_of(vendors.begin(), vendors.end(), [&](const auto& v) { return v.code == c.vendor; })) {
        return InvalidInput(std::string(file) + ": the vendors were refused\n  " + std::string(file) +
                            ": code: vendor " + c.vendor + " is missing, and contract " + c.number + " names it");
      }
    }
    return std::pair(procurement::WriteVendorsCsv(vendors), static_cast<int64_t>(vendors.size()));
  }
  if (kind == "contracts") {
    const ReferenceData stored = TRY(LoadReference(store, def, regions, "vendors"));
    const auto contracts = TRY(procurement::ParseContractsCsv(file, text, def, regions, stored.vendors));
    return std::pair(procurement::WriteContractsCsv(contracts), static_cast<int64_t>(contracts.size()));
  }
  if (kind == "amendments") {
    const ReferenceData stored = TRY(LoadReference(store, def, regions, "contracts"));
    const auto amendments = TRY(procurement::ParseAmendmentsCsv(file, text, stored.contracts.contracts));
    return std::pair(procurement::WriteAmendmentsCsv(amendments), static_cast<int64_t>(amendments.size()));
  }
  if (kind == "schedule") {
    const ReferenceData stored = TRY(LoadReference(store, def, regions, "contracts"));
    const auto schedule = TRY(procurement::ParseScheduleCsv(file, text, def, regions, stored.contracts));
    return std::pair(procurement::WriteScheduleCsv(schedule), static_cast<int64_t>(schedule.size()));
  }
  if (kind == "payments") {
    const ReferenceData stored = TRY(LoadReference(store, def, regions, "contracts"));
    const auto payments = TRY(procurement::ParsePaymentsCsv(file, text, stored.contracts));
    return std::pair(procurement::WritePaymentsCsv(payments), static_cast<int64_t>(payments.size()));
  }
  if (kind == "prices") {
    const auto prices = TRY(procurement::ParsePricesCsv(file, text, def, regions));
    return std::pair(procurement::WritePricesCsv(prices), static_cast<int64_t>(prices.size()));
  }
  if (kind == "budget") {
    const auto lines = TRY(procurement::ParseBudgetCsv(file, text, regions));
    return std::pair(procurement::WriteBudgetCsv(lines), static_cast<int64_t>(lines.size()));
  }
  if (kind == "inventory") {
    const auto lines = TRY(procurement::ParseInventoryCsv(file, text, def, regions));
    return std::pair(procurement::WriteInventoryCsv(lines), static_cast<int64_t>(lines.size()));
  }
  return InvalidInput("unknown kind of procurement data '" + std::string(kind) + "' (expected " + KindList() + ")");
}

}  // namespace

Result<int64_t> ImportReference(store::Store& store, const election::Definition& def, const geo::RegionSet& regions,
                                std::string_view kind, std::string_view file, std::string_view text,
                                access::AuditEntry audit) {
  auto [csv, records] = TRY(Canonical(store, def, regions, kind, file, text));
  store::StoredReference stored{std::move(csv), records, audit.at, audit.actor};
  audit.action = "procurement.import";
  audit.target = def.id + "/" + std::string(kind);
  audit.outcome = "ok";
  audit.detail = std::to_string(records) + " " + std::string(kind) + " from " + std::string(file);
  RETURN_IF_ERROR(store.SaveReference(def.id, kind, stored, audit));
  return records;
}

Result<ReferenceData> LoadReference(store::Store& store, const election::Definition& def,
                                    const geo::RegionSet& regions, std::string_view kind) {
  ReferenceData data;
  const std::string where = "the stored " + def.id + " ";
  // Contracts are read against the vendors, amendments and the schedule against the contracts.
  const bool contracts =
      kind.empty() || kind == "contracts" || kind == "amendments" || kind == "schedule" || kind == "payments";
  auto wanted = [&](std::string_view k) { return kind.empty() || kind == k || (contracts && k == "vendors"); };
  if (wanted("vendors")) {
    if (auto vendors = TRY(store.LoadReference(def.id, "vendors"))) {
      data.vendors = TRY(procurement::ParseVendorsCsv(where + "vendors", vendors->csv));
      data.vendors_imported = true;
    } else {
      data.vendors = procurement::DefaultVendors(def);
    }
  }
  if (wanted("prices")) {
    if (auto prices = TRY(store.LoadReference(def.id, "prices"))) {
      data.prices = TRY(procurement::ParsePricesCsv(where + "prices", prices->csv, def, regions));
    }
  }
  if (wanted("budget")) {
    if (auto budget = TRY(store.LoadReference(def.id, "budget"))) {
      data.budget = TRY(procurement::ParseBudgetCsv(where + "budget", budget->csv, regions));
    }
  }
  if (wanted("inventory")) {
    if (auto inventory = TRY(store.LoadReference(def.id, "inventory"))) {
      data.inventory = TRY(procurement::ParseInventoryCsv(where + "inventory", inventory->csv, def, regions));
    }
  }
  if (contracts) {
    procurement::ContractBook& book = data.contracts;
    if (auto stored = TRY(store.LoadReference(def.id, "contracts"))) {
      book.contracts =
          TRY(procurement::ParseContractsCsv(where + "contracts", stored->csv, def, regions, data.vendors));
    }
    // As stored: what no longer adds up after the contracts changed is shown, not refused.
    if (auto stored = TRY(store.LoadReference(def.id, "amendments"))) {
      book.amendments =
          TRY(procurement::ParseAmendmentsCsv(where + "amendments", stored->csv, book.contracts, false));
    }
    if (auto stored = TRY(store.LoadReference(def.id, "schedule"))) {
      book.schedule =
          TRY(procurement::ParseScheduleCsv(where + "schedule", stored->csv, def, regions, book, false));
    }
    if (auto stored = TRY(store.LoadReference(def.id, "payments"))) {
      book.payments = TRY(procurement::ParsePaymentsCsv(where + "payments", stored->csv, book, false));
    }
  }
  return data;
}

std::string ReferenceCsv(const ReferenceData& data, std::string_view kind) {
  if (kind == "vendors") return procurement::WriteVendorsCsv(data.vendors);
  if (kind == "prices") return procurement::WritePricesCsv(data.prices);
  if (kind == "inventory") return procurement::WriteInventoryCsv(data.inventory);
  if (kind == "contracts") return procurement::WriteContractsCsv(data.contracts.contracts);
  if (kind == "amendments") return procurement::WriteAmendmentsCsv(data.contracts.amendments);
  if (kind == "schedule") return procurement::WriteScheduleCsv(data.contracts.schedule);
  if (kind == "payments") return procurement::WritePaymentsCsv(data.contracts.payments);
  return procurement::WriteBudgetCsv(data.budget);
}

std::string ReferenceJson(const ReferenceData& data, std::string_view election, std::string_view kind) {
  json::Builder json;
  json.StartObject().String("election", election).String("kind", kind).StartArray("records");
  if (kind == "vendors") {
    for (const procurement::Vendor& v : data.vendors) {
      json.StartObject().String("code", v.code).String("name", v.name).String("npwp", v.npwp).EndObject();
    }
  } else if (kind == "prices") {
    for (const procurement::UnitPrice& p : data.prices) {
      json.StartObject().String("item", p.item).String("zone", p.zone).Int("rupiah", p.rupiah);
      json.Int("shipping", p.shipping).String("source", procurement::PriceSourceName(p.source));
      json.String("reference", p.reference).EndObject();
    }
  } else if (kind == "contracts") {
    for (const procurement::Contract& c : data.contracts.contracts) {
      json.StartObject().String("number", c.number).String("name", c.name).Int("phase", c.phase);
      json.String("vendor", c.vendor).String("office", c.office).String("signed", FormatDay(c.signed_day));
      json.Int("hps", c.hps).Int("value", c.Value()).StartArray("lines");
      for (const procurement::ContractLine& l : c.lines) {
        json.StartObject().String("product", l.product).String("item", l.item).String("contest", l.contest);
        json.String("specification", l.specification).String("unit", l.unit).Int("quantity", l.quantity);
        json.Int("current_quantity", data.contracts.CurrentQuantity(c.number, l.product));
        json.Int("unit_price", l.unit_price).Int("shipping", l.shipping).Int("total", l.Total()).EndObject();
      }
      json.EndArray().EndObject();
    }
  } else if (kind == "amendments") {
    for (const procurement::Amendment& a : data.contracts.amendments) {
      json.StartObject().String("contract", a.contract).Int("number", a.number).String("date", FormatDay(a.day));
      json.String("product", a.product).Int("quantity", a.quantity).EndObject();
    }
  } else if (kind == "schedule") {
    for (const procurement::ScheduledDelivery& d : data.contracts.schedule) {
      json.StartObject().String("contract", d.contract).String("product", d.product);
      json.String("warehouse", d.warehouse).Int("quantity", d.quantity).String("due", FormatDay(d.due_day));
      json.EndObject();
    }
  } else if (kind == "payments") {
    for (const procurement::Payment& p : data.contracts.payments) {
      json.StartObject().String("contract", p.contract).String("number", p.number).String("date", FormatDay(p.day));
      json.Int("rupiah", p.rupiah).EndObject();
    }
  } else if (kind == "inventory") {
    for (const procurement::StockLine& s : data.inventory) {
      json.StartObject().String("warehouse", s.warehouse).String("item", s.item).Int("quantity", s.quantity);
      json.String("condition", procurement::ConditionName(s.condition)).String("note", s.note).EndObject();
    }
  } else {
    for (const procurement::BudgetLine& b : data.budget) {
      json.StartObject().String("satker", b.satker).Int("year", b.year).String("account", b.account);
      json.Int("pagu", b.pagu).String("name", b.name).EndObject();
    }
  }
  json.EndArray();
  if (kind == "vendors") json.Bool("imported", data.vendors_imported);
  return json.EndObject().Take();
}

std::unordered_map<std::string, std::string> ContractVendorsOf(const procurement::ContractBook& book) {
  std::unordered_map<std::string, std::string> out;
  for (const procurement::Contract& c : book.contracts) out.emplace(c.number, c.vendor);
  return out;
}

Result<std::vector<procurement::Stock>> WarehouseStock(store::Store& store, const election::Definition& def,
                                                       const ReferenceData& reference) {
  std::vector<procurement::Stock> stock;
  RETURN_IF_ERROR(store.ForEachBalance(
      [&](const std::string& election, const std::string& node, const std::string& article, int64_t quantity) {
        if (election == def.id && (node == "kpu" || node.starts_with("kpu:")) && quantity > 0) {
          stock.push_back({node, article, quantity});
        }
        return Status();
      }));
  for (const procurement::StockLine& line : reference.inventory) {
    if (line.condition == procurement::Condition::kBaik) stock.push_back({line.warehouse, line.item, line.quantity});
  }
  return stock;
}

Result<procurement::Plan> PlanProcurement(store::Store& store, const ElectionData& data,
                                          const planning::Needs& needs, ReferenceData& reference) {
  reference = TRY(LoadReference(store, data.definition, data.regions));
  procurement::PlanInput input{&data.definition, &data.regions, &needs, &reference.prices, &reference.budget, {}};
  input.stock = TRY(WarehouseStock(store, data.definition, reference));
  return procurement::ComputePlan(input);
}

std::string PlanGroupName(const geo::RegionSet& regions, int32_t group, bool office) {
  if (group < 0) return office ? "KPU RI" : "Nasional";
  const geo::Region& region = regions.at(group);
  if (!office) return region.name;
  return (region.level == geo::Level::kProvince ? "KPU Provinsi " : "KPU ") + region.name;
}

std::vector<const procurement::OfficePlan*> ViewOffices(const ElectionData& data, const procurement::Plan& plan,
                                                        const PlanView& view) {
  std::set<int32_t> buyers;
  for (const procurement::PlanLine& line : plan.lines) {
    if (view.within < 0 || (line.destination >= 0 && data.regions.Within(line.destination, view.within))) {
      buyers.insert(line.buyer);
    }
  }
  std::vector<const procurement::OfficePlan*> out;
  for (const procurement::OfficePlan& office : plan.offices) {
    // With no region every office shows, those that hold a budget and buy nothing too.
    if (view.within < 0 || buyers.count(office.office)) out.push_back(&office);
  }
  return out;
}

std::string PlanGroupCode(const geo::RegionSet& regions, int32_t group, bool office) {
  if (office) return procurement::OfficeNode(regions, group);
  return group < 0 ? std::string() : regions.at(group).code;
}

std::string PlanCsv(const ElectionData& data, const procurement::Plan& plan, const planning::Needs& needs,
                    const PlanView& view) {
  const auto rows = procurement::RollUp(plan, needs, data.regions, view.by_office, view.level, view.within);
  std::string out;
  AppendCsvRow(out, {view.by_office ? "office" : "region", "name", "item", "unit", "need", "stock", "buy", "cost",
                     "unpriced_lines"});
  for (const procurement::PlanRow& row : rows) {
    const election::Item& item = data.definition.items[row.item];
    const std::string need = std::to_string(row.need), stock = std::to_string(row.stock);
    const std::string buy = std::to_string(row.buy), cost = std::to_string(row.cost);
    const std::string unpriced = std::to_string(row.unpriced_lines);
    AppendCsvRow(out, {PlanGroupCode(data.regions, row.group, view.by_office),
                       PlanGroupName(data.regions, row.group, view.by_office), item.code, item.unit, need, stock, buy,
                       cost, unpriced});
  }
  return out;
}

std::string PlanOfficesCsv(const ElectionData& data, const procurement::Plan& plan, const PlanView& view) {
  std::string out;
  AppendCsvRow(out, {"office", "name", "buy_lines", "unpriced_lines", "cost", "pagu", "balance"});
  for (const procurement::OfficePlan* o : ViewOffices(data, plan, view)) {
    const std::string lines = std::to_string(o->buy_lines), unpriced = std::to_string(o->unpriced_lines);
    const std::string cost = std::to_string(o->cost), balance = std::to_string(o->Balance());
    const std::string pagu = o->has_budget ? std::to_string(o->pagu) : "";
    AppendCsvRow(out, {procurement::OfficeNode(data.regions, o->office), PlanGroupName(data.regions, o->office, true),
                       lines, unpriced, cost, pagu, balance});
  }
  return out;
}

std::string PlanJson(const ElectionData& data, const procurement::Plan& plan, const planning::Needs& needs,
                     const PlanView& view) {
  const auto rows = procurement::RollUp(plan, needs, data.regions, view.by_office, view.level, view.within);
  json::Builder json;
  json.StartObject().String("election", data.definition.id);
  json.String("by", view.by_office ? "office" : std::string(geo::LevelName(view.level)));
  json.String("region", view.within < 0 ? std::string() : data.regions.at(view.within).code);
  json.StartArray("rows");
  for (const procurement::PlanRow& row : rows) {
    const election::Item& item = data.definition.items[row.item];
    json.StartObject().String("group", PlanGroupCode(data.regions, row.group, view.by_office));
    json.String("name", PlanGroupName(data.regions, row.group, view.by_office));
    json.String("item", item.code).String("unit", item.unit).Int("need", row.need).Int("stock", row.stock);
    json.Int("buy", row.buy).Int("cost", row.cost).Int("unpriced_lines", row.unpriced_lines).EndObject();
  }
  json.EndArray().StartArray("offices");
  for (const procurement::OfficePlan* office : ViewOffices(data, plan, view)) {
    json.StartObject().String("office", procurement::OfficeNode(data.regions, office->office));
    json.String("name", PlanGroupName(data.regions, office->office, true));
    json.Int("buy_lines", office->buy_lines).Int("unpriced_lines", office->unpriced_lines);
    json.Int("cost", office->cost).Bool("has_budget", office->has_budget).Int("pagu", office->pagu);
    json.Int("balance", office->Balance()).EndObject();
  }
  json.EndArray();
  return json.EndObject().Take();
}

Result<ContractDeliveries> LoadContractDeliveries(store::Store& store, const election::Definition& def,
                                                  const geo::RegionSet& regions,
                                                  const std::vector<procurement::Vendor>& vendors) {
  ContractDeliveries out;
  auto item_of = [&](const std::string& code) { return code.substr(0, code.find(':')); };
  // Goods receipts are signed at KPU warehouses and vendors' dispatches by vendors: the documents of those nodes
  // (through the ledger's index by node), not the whole ledger.
  std::vector<std::string> nodes = {"kpu"};
  for (geo::Level level : {geo::Level::kProvince, geo::Level::kRegency}) {
    for (int32_t r : regions.OfLevel(level)) nodes.push_back("kpu:" + regions.at(r).code);
  }
  for (const election::Vendor& v : def.vendors) nodes.push_back("vendor:" + v.code);
  for (const procurement::Vendor& v : vendors) nodes.push_back("vendor:" + v.code);
  std::set<std::string> seen;
  for (const std::string& node : nodes) {
    for (const store::StoredDocument& stored : TRY(store.DocumentsOfNode(def.id, node))) {
      if ((stored.kind != "goods_receipt" && stored.kind != "dispatch") || !stored.reversed_by.empty() ||
          stored.body.find("\"contract\":\"") == std::string::npos || !seen.insert(stored.id).second) {
        continue;
      }
      const ledger::Document d = TRY(ledger::ParseDocument("document " + stored.id, stored.body));
      if (d.contract.empty()) continue;
      if (d.kind == ledger::DocKind::kGoodsReceipt) {
        const int64_t day = ParseDate(std::string_view(d.at).substr(0, 10)).value_or(0);
        for (const ledger::DocLine& line : d.lines) {
          out.arrivals.push_back({d.contract, d.node, item_of(line.item), day, line.good, line.damaged,
                                  !d.fulfils.empty()});
        }
      } else if (d.node.starts_with("vendor:")) {
        for (const ledger::DocLine& line : d.lines) {
          out.shipments.push_back({d.contract, item_of(line.item), line.quantity});
        }
      }
    }
  }
  return out;
}

bool WarehouseWithin(std::string_view warehouse, std::string_view region) {
  if (region.empty()) return true;
  if (!warehouse.starts_with("kpu:")) return false;
  const std::string_view code = warehouse.substr(4);
  return code == region || (code.size() > region.size() && code.starts_with(region) && code[region.size()] == '.');
}

std::string DeliveriesCsv(const procurement::DeliveryProgress& progress, std::string_view region) {
  std::string out;
  AppendCsvRow(out, {"kd_paket", "kd_produk", "item", "vendor", "warehouse", "due", "due_date", "on_time", "late",
                     "short", "excess", "damaged", "replaced", "status"});
  for (const procurement::DeliveryRow& r : progress.rows) {
    if (!WarehouseWithin(r.warehouse, region)) continue;
    const std::string due = std::to_string(r.due), day = r.due_day ? FormatDay(r.due_day) : "";
    const std::string on_time = std::to_string(r.on_time), late = std::to_string(r.late);
    const std::string short_ = std::to_string(r.Short()), excess = std::to_string(r.Excess());
    const std::string damaged = std::to_string(r.damaged), replaced = std::to_string(r.replaced);
    AppendCsvRow(out, {r.contract, r.product, r.item, r.vendor, r.warehouse, due, day, on_time, late, short_, excess,
                       damaged, replaced, procurement::DeliveryStatusName(r.status)});
  }
  return out;
}

std::string DeliveriesJson(const election::Definition& def, const procurement::DeliveryProgress& progress,
                           std::string_view region) {
  json::Builder json;
  json.StartObject().String("election", def.id).String("as_of", FormatDay(progress.as_of_day));
  json.String("region", region).StartArray("rows");
  for (const procurement::DeliveryRow& r : progress.rows) {
    if (!WarehouseWithin(r.warehouse, region)) continue;
    json.StartObject().String("contract", r.contract).String("product", r.product).String("item", r.item);
    json.String("vendor", r.vendor).String("warehouse", r.warehouse).Int("due", r.due);
    json.String("due_date", r.due_day ? FormatDay(r.due_day) : "").Int("on_time", r.on_time).Int("late", r.late);
    json.Int("short", r.Short()).Int("excess", r.Excess()).Int("damaged", r.damaged).Int("replaced", r.replaced);
    json.String("status", procurement::DeliveryStatusName(r.status)).EndObject();
  }
  json.EndArray().StartArray("vendors");
  for (const procurement::VendorDelivery& v : progress.vendors) {
    json.StartObject().String("vendor", v.vendor).Int("due", v.due).Int("on_time", v.on_time);
    json.Number("on_time_rate", v.OnTimeRate()).Int("arrived", v.arrived).EndObject();
  }
  json.EndArray().StartArray("items");
  for (const procurement::ItemDelivery& i : progress.items) {
    json.StartObject().String("item", i.item).Int("contracted", i.contracted).Int("shipped", i.shipped);
    json.Int("arrived", i.arrived).Int("damaged", i.damaged).EndObject();
  }
  json.EndArray();
  return json.EndObject().Take();
}

procurement::RegionTotals RegionTotalsOf(const ElectionData& data) {
  procurement::RegionTotals totals;
  totals.dpt.assign(data.regions.size(), 0);
  totals.tps.assign(data.regions.size(), 0);
  for (const geo::Tps& tps : data.tps) {
    for (int32_t r = tps.village; r >= 0; r = data.regions.at(r).parent) {
      totals.dpt[r] += tps.dpt;
      ++totals.tps[r];
    }
    totals.national_dpt += tps.dpt;
    ++totals.national_tps;
  }
  return totals;
}

Result<procurement::Efficiency> ScoreEfficiency(store::Store& store, const ElectionData& data,
                                                const planning::Needs& needs) {
  ReferenceData reference;
  const procurement::Plan plan = TRY(PlanProcurement(store, data, needs, reference));
  return procurement::ComputeEfficiency(data.definition, data.regions, needs, plan, reference.contracts,
                                        reference.prices, reference.budget, RegionTotalsOf(data));
}

std::vector<const procurement::RegionEfficiency*> EfficiencyRows(const ElectionData& data,
                                                                 const procurement::Efficiency& efficiency,
                                                                 geo::Level level, int32_t within) {
  std::vector<const procurement::RegionEfficiency*> out;
  for (const procurement::RegionEfficiency& r : efficiency.regions) {
    if (r.region == within) out.insert(out.begin(), &r);
  }
  for (const procurement::RegionEfficiency& r : efficiency.regions) {
    if (r.region < 0 || r.region == within || data.regions.at(r.region).level != level) continue;
    if (within < 0 || data.regions.Within(r.region, within)) out.push_back(&r);
  }
  return out;
}

std::vector<const procurement::OfficeEfficiency*> EfficiencyOffices(const ElectionData& data,
                                                                    const procurement::Efficiency& efficiency,
                                                                    int32_t within) {
  std::vector<const procurement::OfficeEfficiency*> out;
  for (const procurement::OfficeEfficiency& o : efficiency.offices) {
    if (within < 0 || (o.office >= 0 && (o.office == within || data.regions.Within(o.office, within)))) {
      out.push_back(&o);
    }
  }
  return out;
}

namespace {

void EfficiencyRow(json::Builder& json, const ElectionData& data, const procurement::RegionEfficiency& r) {
  json.StartObject().String("region", r.region < 0 ? "" : data.regions.at(r.region).code);
  json.String("name", r.region < 0 ? "Nasional" : data.regions.at(r.region).name);
  json.Int("contracted", r.contracted).Int("over_units", r.over_units).Int("over", r.over);
  json.Int("under_units", r.under_units).Int("under", r.under).Int("above_reference", r.above_reference);
  json.Int("dpt", r.dpt).Int("tps", r.tps);
  if (r.Score() < 0) {
    json.Null("score");
  } else {
    json.Number("score", r.Score());
  }
  json.EndObject();
}

}  // namespace

std::string EfficiencyJson(const ElectionData& data, const procurement::Efficiency& efficiency, geo::Level level,
                           int32_t within) {
  json::Builder json;
  json.StartObject().String("election", data.definition.id);
  json.String("region", within < 0 ? "" : data.regions.at(within).code).StartArray("regions");
  for (const procurement::RegionEfficiency* r : EfficiencyRows(data, efficiency, level, within)) {
    EfficiencyRow(json, data, *r);
  }
  json.EndArray().StartArray("offices");
  for (const procurement::OfficeEfficiency* office : EfficiencyOffices(data, efficiency, within)) {
    const procurement::OfficeEfficiency& o = *office;
    json.StartObject().String("office", procurement::OfficeNode(data.regions, o.office));
    json.String("name", PlanGroupName(data.regions, o.office, true)).Bool("has_budget", o.has_budget);
    json.Int("pagu", o.pagu).Int("value", o.value).Int("hps", o.hps).Int("hps_value", o.hps_value);
    json.Int("savings_against_hps", o.SavingsAgainstHps()).Int("savings_against_pagu", o.SavingsAgainstPagu());
    json.Int("paid", o.paid).EndObject();
  }
  json.EndArray();
  return json.EndObject().Take();
}

std::string EfficiencyCsv(const ElectionData& data, const procurement::Efficiency& efficiency, geo::Level level,
                          int32_t within) {
  std::string out;
  AppendCsvRow(out, {"region", "name", "contracted", "over_units", "over", "under_units", "under", "above_reference",
                     "dpt", "tps", "score"});
  for (const procurement::RegionEfficiency* r : EfficiencyRows(data, efficiency, level, within)) {
    const std::string code = r->region < 0 ? "" : data.regions.at(r->region).code;
    const std::string name = r->region < 0 ? "Nasional" : data.regions.at(r->region).name;
    char score[32] = "";
    if (r->Score() >= 0) std::snprintf(score, sizeof score, "%.4f", r->Score());
    AppendCsvRow(out, {code, name, std::to_string(r->contracted), std::to_string(r->over_units),
                       std::to_string(r->over), std::to_string(r->under_units), std::to_string(r->under),
                       std::to_string(r->above_reference), std::to_string(r->dpt), std::to_string(r->tps), score});
  }
  return out;
}

Result<std::vector<procurement::ProcurementDiscrepancy>> FindProcurementDiscrepancies(
    store::Store& store, const ElectionData& data, const planning::Needs& needs, int64_t as_of_day,
    std::string_view region, int64_t tolerance_percent) {
  ReferenceData reference;
  const procurement::Plan plan = TRY(PlanProcurement(store, data, needs, reference));
  const ContractDeliveries deliveries =
      TRY(LoadContractDeliveries(store, data.definition, data.regions, reference.vendors));
  const procurement::DeliveryProgress progress = procurement::ComputeDeliveries(
      reference.contracts, deliveries.arrivals, deliveries.shipments, as_of_day);
  const auto balances = procurement::BalanceDestinations(data.definition, data.regions, needs, plan,
                                                         reference.contracts, reference.prices);
  std::vector<procurement::ProcurementDiscrepancy> out;
  for (procurement::ProcurementDiscrepancy& d :
       procurement::FindProcurementDiscrepancies(data.regions, plan, balances, progress, tolerance_percent)) {
    if (WarehouseWithin(d.node, region)) out.push_back(std::move(d));
  }
  return out;
}

bool IsProcurementDiscrepancyCode(std::string_view code) { return code.find('#') != std::string_view::npos; }

std::string ProcurementDiscrepanciesCsv(const std::vector<procurement::ProcurementDiscrepancy>& found) {
  std::string out;
  AppendCsvRow(out, {"code", "discrepancy", "node", "subject", "expected", "actual"});
  for (const procurement::ProcurementDiscrepancy& d : found) {
    const std::string expected = std::to_string(d.expected), actual = std::to_string(d.actual);
    AppendCsvRow(out, {d.Code(), procurement::ProcurementIssueName(d.kind), d.node, d.subject, expected, actual});
  }
  return out;
}

std::string ProcurementDiscrepanciesJson(const std::vector<procurement::ProcurementDiscrepancy>& found,
                                         std::string_view region) {
  json::Builder json;
  json.StartObject().String("region", region).StartArray("discrepancies");
  for (const procurement::ProcurementDiscrepancy& d : found) {
    json.StartObject().String("code", d.Code()).String("discrepancy", procurement::ProcurementIssueName(d.kind));
    json.String("node", d.node).String("subject", d.subject).Int("expected", d.expected).Int("actual", d.actual);
    json.String("title", procurement::FindingOf(d).title).EndObject();
  }
  json.EndArray();
  return json.EndObject().Take();
}

}  // namespace tepat::app
