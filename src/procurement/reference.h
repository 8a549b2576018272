// Procurement's reference data, read at run time rather than built into the binary (docs/procurement.md):
// vendors (penyedia), unit prices per item and price zone with where each price comes from, and budget lines (the
// pagu of a KPU office, or satker, per year and account). Each is a CSV file read all or nothing, every problem
// located as FILE:LINE: column: reason (docs/formats.md §15), and written back in the same form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"

namespace tepat::procurement {

// A vendor (penyedia): its code as the ledger names it (`vendor:CODE`) and as LKPP's kd_penyedia, its name and its
// tax number (NPWP: 15 digits, or 16 since 2024; kept as digits only; empty when not known, as for the defaults).
struct Vendor {
  std::string code;
  std::string name;
  std::string npwp;
};

// Where a unit price comes from: an e-katalog product, the owner's estimate (HPS) or what the last election paid.
enum class PriceSource : uint8_t { kEkatalog, kHps, kLastElection };
std::string_view PriceSourceName(PriceSource source);  // ekatalog, hps, last_election
std::optional<PriceSource> ParsePriceSource(std::string_view name);

// The price of one unit of an item (the unit of the election's item list), delivered to the KPU kabupaten/kota
// warehouse, in a price zone: the nation (""), a province ("35") or a regency ("35.78").
struct UnitPrice {
  std::string item;
  std::string zone;
  int64_t rupiah = 0;
  int64_t shipping = 0;  // ongkos kirim per unit on top of `rupiah`, where the price does not include it
  PriceSource source = PriceSource::kEkatalog;
  std::string reference;  // the e-katalog product (kd_produk), the HPS document, or the election it was paid in
};

// A budget line: the ceiling (pagu) of a KPU office's account (MAK) in a budget year.
struct BudgetLine {
  std::string satker;  // the office's ledger node: kpu, kpu:35 or kpu:35.78
  int32_t year = 0;
  std::string account;
  int64_t pagu = 0;  // rupiah
  std::string name;
};

// The condition of stock kept in a warehouse, as SILOG's damage categories: only *baik* (good) stock is usable.
enum class Condition : uint8_t { kBaik, kRusakRingan, kRusakBerat };
std::string_view ConditionName(Condition condition);  // baik, rusak_ringan, rusak_berat
std::optional<Condition> ParseCondition(std::string_view name);

// A line of an inventory file: stock of an item kept at a KPU warehouse from an earlier election (state property,
// barang milik negara), counted with its condition.
struct StockLine {
  std::string warehouse;  // the KPU office's node: kpu, kpu:35 or kpu:35.78
  std::string item;       // a line of the needs: an item code, or item:CONTEST:variant for a ballot
  int64_t quantity = 0;
  Condition condition = Condition::kBaik;
  std::string note;
};

// The most rupiah a price, a pagu or a cost may be: far above the whole 2024 election budget (Rp51 trillion), far
// below what sums of them could overflow.
constexpr int64_t kMaxRupiah = 1'000'000'000'000'000;  // Rp1 quadrillion
// The most units a quantity in these files may be: far above the 1.2 billion ballots of 2024. A quantity times a
// price may still pass kMaxRupiah; the plan refuses a cost that does.
constexpr int64_t kMaxQuantity = 100'000'000'000;

// The prices of an election indexed for lookups: the best price per item and zone (an e-katalog price before an HPS
// before the last election's), so that a warehouse's price is at most three lookups.
class PriceIndex {
 public:
  explicit PriceIndex(const std::vector<UnitPrice>& prices);  // which must outlive the index
  // The price of `item` for the warehouse of `code` (a regency's, a province's, or "" for the nation's): the
  // regency's own, else its province's, else the nation's. Nothing when none is known.
  const UnitPrice* For(std::string_view item, std::string_view code) const;

 private:
  std::unordered_map<std::string, const UnitPrice*> best_;  // by "item|zone"
};

// The readers. Columns (a header row names them, in any order):
//   vendors: code, name, npwp
//   prices:    item, zone, rupiah, shipping, source, reference  (zone may be empty: the nation; shipping and reference
//              optional)
//   budget:    satker, year, account, pagu, name        (name optional)
//   inventory: warehouse, item, quantity, condition, note  (note optional)
// Codes must be unique: a vendor's code; an item, zone and source; a satker, year and account; a warehouse, item and
// condition.
Result<std::vector<Vendor>> ParseVendorsCsv(std::string_view file, std::string_view text);
Result<std::vector<UnitPrice>> ParsePricesCsv(std::string_view file, std::string_view text,
                                              const election::Definition& def, const geo::RegionSet& regions);
Result<std::vector<BudgetLine>> ParseBudgetCsv(std::string_view file, std::string_view text,
                                               const geo::RegionSet& regions);

// The writers, whose output the readers read back as the same records.
Result<std::vector<StockLine>> ParseInventoryCsv(std::string_view file, std::string_view text,
                                                 const election::Definition& def, const geo::RegionSet& regions);

std::string WriteVendorsCsv(const std::vector<Vendor>& vendors);
std::string WritePricesCsv(const std::vector<UnitPrice>& prices);
std::string WriteBudgetCsv(const std::vector<BudgetLine>& lines);
std::string WriteInventoryCsv(const std::vector<StockLine>& lines);

// The vendors an election's definition names ([[vendors]]): the defaults until an import replaces them.
std::vector<Vendor> DefaultVendors(const election::Definition& def);

}  // namespace tepat::procurement
