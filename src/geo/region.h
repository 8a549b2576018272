// The Kemendagri region hierarchy: provinces, regencies (kabupaten/kota), districts (kecamatan) and villages
// (desa/kelurahan), identified by dotted codes (35, 35.78, 35.78.01, 35.78.01.1001), and the RegionSet that holds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tepat::geo {

// The levels of the hierarchy. TPS sit below villages; the nation sits above provinces.
enum class Level : uint8_t { kNational = 0, kProvince = 1, kRegency = 2, kDistrict = 3, kVillage = 4, kTps = 5 };

std::string_view LevelName(Level level);    // "national", "province", ...
std::string_view LevelNameId(Level level);  // "Nasional", "Provinsi", ... (Indonesian, for people)
std::optional<Level> ParseLevel(std::string_view name);

// The level a code has by its shape: 2 digits, then ".2 digits", ".2 digits", ".4 digits", ".3 digits" (TPS).
// Returns nothing when the code is malformed.
std::optional<Level> LevelOfCode(std::string_view code);
// The code of the parent region: "35.78.01" → "35.78"; a province's parent is "".
std::string_view ParentCode(std::string_view code);
// The ancestor of `code` at `level` (a prefix of the code). `level` must not be below the code's own level.
std::string_view AncestorCode(std::string_view code, Level level);

// A region's code as a number, its digits run together: "35.78.01.1001" → 3578011001. Unique across levels,
// because every level has its own number of digits; storage uses it as the region's stable key.
int64_t RegionKey(std::string_view code);

struct Region {
  std::string code;
  std::string name;
  Level level = Level::kProvince;
  int32_t parent = -1;  // index in the RegionSet; -1 for provinces
};

// An island from the Kemendagri island list; used to judge how villages are reached.
struct Island {
  std::string code;
  std::string regency_code;
  std::string name;
  std::string coordinate;
  bool populated = false;
  bool outermost_small = false;
};

// All regions, sorted by code (so every parent comes before its children and every subtree is a contiguous range),
// with lookups by code and by level.
class RegionSet {
 public:
  RegionSet() = default;
  // `regions` need not be sorted; parents are resolved by code. The caller has checked that every parent exists.
  explicit RegionSet(std::vector<Region> regions, std::vector<Island> islands = {});

  const std::vector<Region>& regions() const { return regions_; }
  const std::vector<Island>& islands() const { return islands_; }
  const Region& at(int32_t index) const { return regions_[index]; }
  size_t size() const { return regions_.size(); }
  bool empty() const { return regions_.empty(); }

  // The index of the region with `code`, or -1.
  int32_t Find(std::string_view code) const;
  // The index of the region whose RegionKey is `key`, or -1.
  int32_t FindKey(int64_t key) const;
  // The indices of every region of `level`, in code order.
  const std::vector<int32_t>& OfLevel(Level level) const { return by_level_[static_cast<int>(level)]; }
  // The ancestor of region `index` at `level` (the region itself when it is of that level).
  int32_t Ancestor(int32_t index, Level level) const;
  // The half-open range [first, last) of indices in the whole set that lie under region `index`, itself excluded.
  std::pair<int32_t, int32_t> Subtree(int32_t index) const;
  // Whether region `index` is `ancestor` or lies under it.
  bool Within(int32_t index, int32_t ancestor) const;

 private:
  std::vector<Region> regions_;
  std::vector<Island> islands_;
  std::unordered_map<std::string, int32_t> by_code_;
  std::unordered_map<int64_t, int32_t> by_key_;
  std::vector<int32_t> by_level_[6];
  std::vector<int32_t> subtree_end_;
};

}  // namespace tepat::geo
