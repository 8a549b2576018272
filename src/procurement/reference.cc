// Reading and writing procurement's reference data: vendors, unit prices and budget lines.
#include "procurement/reference.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <set>
#include <tuple>

#include "common/csv.h"
#include "common/text.h"
#include "ledger/node.h"
#include "procurement/csv_rows.h"

namespace tepat::procurement {

namespace {

constexpr std::string_view kPriceSourceNames[] = {"ekatalog", "hps", "last_election"};
constexpr std::string_view kConditionNames[] = {"baik", "rusak_ringan", "rusak_berat"};

// A price zone: "" (the nation), or a province's or a regency's code that exists.
bool IsZone(std::string_view zone, const geo::RegionSet& regions) {
  if (zone.empty()) return true;
  const std::optional<geo::Level> level = geo::LevelOfCode(zone);
  return (level == geo::Level::kProvince || level == geo::Level::kRegency) && regions.Find(zone) >= 0;
}

// A budget account (MAK): digits, letters and dots, like 076.01.06.3492.ABG.001.521211.
bool IsAccount(std::string_view account) {
  return !account.empty() && account.size() <= 60 && std::all_of(account.begin(), account.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '-';
  });
}

}  // namespace

std::string_view PriceSourceName(PriceSource source) { return kPriceSourceNames[static_cast<int>(source)]; }

std::optional<PriceSource> ParsePriceSource(std::string_view name) {
  for (size_t i = 0; i < std::size(kPriceSourceNames); ++i) {
    if (kPriceSourceNames[i] == name) return static_cast<PriceSource>(i);
  }
  return std::nullopt;
}

std::string_view ConditionName(Condition condition) { return kConditionNames[static_cast<int>(condition)]; }

std::optional<Condition> ParseCondition(std::string_view name) {
  for (size_t i = 0; i < std::size(kConditionNames); ++i) {
    if (kConditionNames[i] == name) return static_cast<Condition>(i);
  }
  return std::nullopt;
}

namespace {

std::string PriceKey(std::string_view item, std::string_view zone) {
  std::string key(item);
  key += '|';
  key += zone;
  return key;
}

}  // namespace

PriceIndex::PriceIndex(const std::vector<UnitPrice>& prices) {
  for (const UnitPrice& p : prices) {
    const UnitPrice*& best = best_[PriceKey(p.item, p.zone)];
    if (!best || p.source < best->source) best = &p;
  }
}

const UnitPrice* PriceIndex::For(std::string_view item, std::string_view code) const {
  while (true) {
    if (auto it = best_.find(PriceKey(item, code)); it != best_.end()) return it->second;
    if (code.empty()) return nullptr;
    const size_t dot = code.rfind('.');
    code = dot == std::string_view::npos ? std::string_view() : code.substr(0, dot);
  }
}

Result<std::vector<Vendor>> ParseVendorsCsv(std::string_view file, std::string_view text) {
  std::vector<Vendor> out;
  std::set<std::string, std::less<>> seen;
  RETURN_IF_ERROR(ReadRows(file, text, {"code", "name", "npwp"}, {}, "vendors", [&](Row& row) {
    Vendor v;
    v.code = std::string(row.Field("code"));
    if (!ledger::ParseNode("vendor:" + v.code)) {
      row.Problem("code", "expected letters, digits, '-' or '_', at most 40 (like tahap1-perlengkapan), found '" +
                              Row::Shown(v.code) + "'");
    } else if (!seen.insert(v.code).second) {
      row.Problem("code", "vendor " + v.code + " is listed twice");
    }
    v.name = row.Text("name", true);
    for (char c : row.Field("npwp")) {
      if (c >= '0' && c <= '9') {
        v.npwp += c;
      } else if (c != '.' && c != '-' && c != ' ') {
        v.npwp = "x";
        break;
      }
    }
    if (!v.npwp.empty() && v.npwp.size() != 15 && v.npwp.size() != 16) {
      row.Problem("npwp", "expected 15 or 16 digits (dots, dashes and spaces aside), or nothing when not known, "
                          "found '" + Row::Shown(row.Field("npwp")) + "'");
    }
    if (row.ok()) out.push_back(std::move(v));
  }));
  return out;
}

Result<std::vector<UnitPrice>> ParsePricesCsv(std::string_view file, std::string_view text,
                                              const election::Definition& def, const geo::RegionSet& regions) {
  std::vector<UnitPrice> out;
  std::set<std::tuple<std::string, std::string, int>> seen;
  RETURN_IF_ERROR(
      ReadRows(file, text, {"item", "zone", "rupiah", "source"}, {"shipping", "reference"}, "prices", [&](Row& row) {
        UnitPrice p;
        p.item = std::string(row.Field("item"));
        if (!def.FindItem(p.item)) row.Problem("item", "unknown item '" + Row::Shown(p.item) + "' in " + def.id);
        p.zone = std::string(row.Field("zone"));
        if (!IsZone(p.zone, regions)) {
          row.Problem("zone", "expected empty (the nation), a province or a regency code that exists, found '" +
                                  Row::Shown(p.zone) + "'");
        }
        p.rupiah = row.Rupiah("rupiah");
        p.shipping = row.Rupiah("shipping", true);
        if (std::optional<PriceSource> source = ParsePriceSource(row.Field("source"))) {
          p.source = *source;
        } else {
          row.Problem("source", "expected ekatalog, hps or last_election, found '" + Row::Shown(row.Field("source")) +
                                    "'");
        }
        p.reference = row.Text("reference", false);
        if (row.ok() && !seen.emplace(p.item, p.zone, static_cast<int>(p.source)).second) {
          row.Problem("item", "a " + std::string(PriceSourceName(p.source)) + " price of " + p.item + " in " +
                                  (p.zone.empty() ? std::string("the nation") : p.zone) + " is given twice");
        }
        if (row.ok()) out.push_back(std::move(p));
      }));
  return out;
}

Result<std::vector<BudgetLine>> ParseBudgetCsv(std::string_view file, std::string_view text,
                                               const geo::RegionSet& regions) {
  std::vector<BudgetLine> out;
  std::set<std::tuple<std::string, int32_t, std::string>> seen;
  RETURN_IF_ERROR(ReadRows(file, text, {"satker", "year", "account", "pagu"}, {"name"}, "budget lines", [&](Row& row) {
    BudgetLine b;
    b.satker = std::string(row.Field("satker"));
    if (!IsKpuOffice(b.satker, regions)) {
      row.Problem("satker", "expected a KPU office: kpu, kpu:PROVINCE or kpu:REGENCY of a region that exists, found '" +
                                Row::Shown(b.satker) + "'");
    }
    int64_t year = 0;
    if (!ParseInt(row.Field("year"), year) || year < 2000 || year > 2100) {
      row.Problem("year", "expected a budget year from 2000 to 2100, found '" + Row::Shown(row.Field("year")) + "'");
    }
    b.year = static_cast<int32_t>(year);
    b.account = std::string(row.Field("account"));
    if (!IsAccount(b.account)) {
      row.Problem("account", "expected a budget account (MAK) of digits, letters and dots, found '" +
                                 Row::Shown(b.account) + "'");
    }
    b.pagu = row.Rupiah("pagu");
    b.name = row.Text("name", false);
    if (row.ok() && !seen.emplace(b.satker, b.year, b.account).second) {
      row.Problem("account", "account " + b.account + " of " + b.satker + " in " + std::to_string(b.year) +
                                 " is given twice");
    }
    if (row.ok()) out.push_back(std::move(b));
  }));
  return out;
}

Result<std::vector<StockLine>> ParseInventoryCsv(std::string_view file, std::string_view text,
                                                 const election::Definition& def, const geo::RegionSet& regions) {
  std::vector<StockLine> out;
  std::set<std::tuple<std::string, std::string, int>> seen;
  RETURN_IF_ERROR(ReadRows(
      file, text, {"warehouse", "item", "quantity", "condition"}, {"note"}, "inventory lines", [&](Row& row) {
        StockLine s;
        s.warehouse = std::string(row.Field("warehouse"));
        if (!IsKpuOffice(s.warehouse, regions)) {
          row.Problem("warehouse", "expected a KPU warehouse: kpu, kpu:PROVINCE or kpu:REGENCY of a region that "
                                   "exists, found '" + Row::Shown(s.warehouse) + "'");
        }
        s.item = std::string(row.Field("item"));
        const std::string_view catalog = std::string_view(s.item).substr(0, s.item.find(':'));
        if (!def.FindItem(catalog) || s.item.size() > 80) {
          row.Problem("item", "unknown item '" + Row::Shown(s.item) + "' in " + def.id +
                                  " (an item code, or for a ballot item:CONTEST:variant)");
        }
        s.quantity = row.Quantity("quantity");
        if (std::optional<Condition> condition = ParseCondition(row.Field("condition"))) {
          s.condition = *condition;
        } else {
          row.Problem("condition", "expected baik, rusak_ringan or rusak_berat, found '" +
                                       Row::Shown(row.Field("condition")) + "'");
        }
        s.note = row.Text("note", false);
        if (row.ok() && !seen.emplace(s.warehouse, s.item, static_cast<int>(s.condition)).second) {
          row.Problem("item", s.item + " in " + std::string(ConditionName(s.condition)) + " condition at " +
                                  s.warehouse + " is given twice");
        }
        if (row.ok()) out.push_back(std::move(s));
      }));
  return out;
}

std::string WriteInventoryCsv(const std::vector<StockLine>& lines) {
  std::string out;
  AppendCsvRow(out, {"warehouse", "item", "quantity", "condition", "note"});
  for (const StockLine& s : lines) {
    const std::string quantity = std::to_string(s.quantity);
    AppendCsvRow(out, {s.warehouse, s.item, quantity, ConditionName(s.condition), s.note});
  }
  return out;
}

std::string WriteVendorsCsv(const std::vector<Vendor>& vendors) {
  std::string out;
  AppendCsvRow(out, {"code", "name", "npwp"});
  for (const Vendor& v : vendors) AppendCsvRow(out, {v.code, v.name, v.npwp});
  return out;
}

std::string WritePricesCsv(const std::vector<UnitPrice>& prices) {
  std::string out;
  AppendCsvRow(out, {"item", "zone", "rupiah", "shipping", "source", "reference"});
  for (const UnitPrice& p : prices) {
    const std::string rupiah = std::to_string(p.rupiah), shipping = std::to_string(p.shipping);
    AppendCsvRow(out, {p.item, p.zone, rupiah, shipping, PriceSourceName(p.source), p.reference});
  }
  return out;
}

std::string WriteBudgetCsv(const std::vector<BudgetLine>& lines) {
  std::string out;
  AppendCsvRow(out, {"satker", "year", "account", "pagu", "name"});
  for (const BudgetLine& b : lines) {
    const std::string year = std::to_string(b.year), pagu = std::to_string(b.pagu);
    AppendCsvRow(out, {b.satker, year, b.account, pagu, b.name});
  }
  return out;
}

std::vector<Vendor> DefaultVendors(const election::Definition& def) {
  std::vector<Vendor> out;
  for (const election::Vendor& v : def.vendors) out.push_back({v.code, v.name, ""});
  return out;
}

}  // namespace tepat::procurement
