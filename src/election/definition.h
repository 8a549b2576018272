// Election definitions: contests, the item catalog and the quantity rules, read from a TOML data file
// (elections/<id>.toml, built into the binary). A new election is a new file, not new code; docs/rules.md explains
// every field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/dapil.h"
#include "geo/region.h"

namespace tepat::election {

// How the ballot of a contest varies: one for the nation, one per province or regency, or one per dapil.
enum class VariantBy : uint8_t { kNational, kProvince, kRegency, kDapil };
std::string_view VariantByName(VariantBy by);

struct Contest {
  std::string code;  // PPWP, DPR, DPD, DPRD_PROV, DPRD_KAB, GUBERNUR, BUPATI_WALIKOTA
  std::string name;
  std::string name_en;
  std::string ballot_colour;
  VariantBy variant_by = VariantBy::kNational;
  geo::Level dapil_within = geo::Level::kProvince;  // for kDapil: the region a dapil lies inside
  std::vector<std::string> not_held_in;             // province codes
};

enum class Category : uint8_t { kVoting, kSupport };  // Perlengkapan Pemungutan Suara / Dukungan Perlengkapan Lainnya
std::string_view CategoryName(Category category);
std::string_view CategoryNameId(Category category);

struct Item {
  std::string code;
  std::string name;
  std::string name_en;
  std::string unit;
  Category category = Category::kVoting;
  std::string source;      // where the rule comes from, or
  std::string assumption;  // the assumption made where no source was found
  int64_t pack = 1;        // the packing unit: a procurement plan buys whole packs ([[items]] pack)
};

// What a rule is evaluated for: once per region (or TPS), once per contest held at a TPS, or once per ballot variant
// used by at least one TPS of a region.
enum class ForEach : uint8_t { kOnce, kContest, kVariant };
std::string_view ForEachName(ForEach each);

// A quantity rule. The quantity is fixed + per_contest × contests held + per_tps × TPS + dpt × DPT
// + ceil(DPT × reserve_numerator / reserve_denominator), in integers. At a TPS, DPT is the TPS's, contests are those
// held there and per_tps counts 1. At a level above (village ... national), DPT and TPS are the region's totals and
// the reserve term is not allowed: reserves are rounded up per TPS.
struct Rule {
  std::string item;
  geo::Level at = geo::Level::kTps;
  ForEach for_each = ForEach::kOnce;
  std::vector<std::string> contests;  // empty: all contests
  int64_t fixed = 0;
  int64_t per_contest = 0;
  int64_t per_tps = 0;
  int64_t dpt = 0;
  int64_t reserve_numerator = 0;
  int64_t reserve_denominator = 1;
  std::string note;
  int line = 0;  // where the rule is in its file
};

// A vendor under contract for the election: the source of goods receipts (`vendor:CODE` in the ledger).
struct Vendor {
  std::string code;
  std::string name;
  std::vector<std::string> supplies;  // item codes
};

// Who buys what ([procurement]): the level of the KPU office that procures each line of the needs. A need item is
// bought at the level its item names, else the level its contest names, else `buyer`. Pemilu 2024: KPU RI for
// everything (national umbrella contracts, ordered per satker, delivered to each KPU kab/kota); Pilkada 2024: the
// KPU provinsi for the governor election's items, the KPU kab/kota for the rest.
struct Procurement {
  geo::Level buyer = geo::Level::kNational;  // national, province or regency
  std::vector<std::pair<std::string, geo::Level>> by_contest;
  std::vector<std::pair<std::string, geo::Level>> by_item;
  std::string source;

  // The level that buys `item` of `contest` ("" when the need item has no contest).
  geo::Level BuyerOf(std::string_view item, std::string_view contest) const;
};

struct Definition {
  std::string id;
  std::string name;
  std::string name_en;
  std::string voting_day;  // YYYY-MM-DD
  int32_t tps_voter_cap = 0;
  int32_t deliver_days_before = 1;  // the legal deadline at the KPPS: H-1
  // Planned arrival at the PPK and PPS, days before voting day ([deadlines]; an assumption: domain.md §3.3 found no
  // published H-n for these levels). Used to schedule the scenario; readiness judges the TPS deadline.
  int32_t ppk_days_before = 5;
  int32_t pps_days_before = 2;
  std::vector<Vendor> vendors;
  Procurement procurement;
  std::string source;
  std::vector<Contest> contests;
  std::vector<Item> items;
  std::vector<Rule> rules;
  std::string file;  // the file it was read from

  const Contest* FindContest(std::string_view code) const;
  const Item* FindItem(std::string_view code) const;
  // The index of the vendor that supplies an item: the first whose `supplies` lists it, else the last vendor (which
  // supplies the rest). Only for a definition with vendors.
  size_t SupplierOf(std::string_view item) const;
  // Whether `contest` is held in the province with code `province`.
  static bool Held(const Contest& contest, std::string_view province);
  // The contests by dapil, as the dapil importer needs them.
  std::vector<geo::DapilContest> DapilContests() const;
};

// Reads and checks a definition. Errors name the file, the line and what was expected.
Result<Definition> ParseDefinition(std::string_view file, std::string_view text);

// The definitions built into tepat, by id (pemilu-2024, pilkada-2024).
std::vector<std::string> BuiltinIds();
// A built-in definition by id.
Result<Definition> LoadBuiltin(std::string_view id);
// The text of a built-in election's file.
Result<std::string_view> BuiltinText(std::string_view id);

}  // namespace tepat::election
