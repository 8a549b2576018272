// Region codes and the RegionSet.
#include "geo/region.h"

#include <algorithm>

namespace tepat::geo {

namespace {

constexpr std::string_view kLevelNames[] = {"national", "province", "regency", "district", "village", "tps"};
constexpr std::string_view kLevelNamesId[] = {"Nasional",  "Provinsi",       "Kabupaten/Kota",
                                              "Kecamatan", "Desa/Kelurahan", "TPS"};
// Digits in each dotted segment, level by level.
constexpr size_t kSegmentDigits[] = {2, 2, 2, 4, 3};

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view LevelName(Level level) { return kLevelNames[static_cast<int>(level)]; }
std::string_view LevelNameId(Level level) { return kLevelNamesId[static_cast<int>(level)]; }

std::optional<Level> ParseLevel(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kLevelNames[i] == name) return static_cast<Level>(i);
  }
  return std::nullopt;
}

std::optional<Level> LevelOfCode(std::string_view code) {
  size_t segment = 0;
  size_t start = 0;
  while (true) {
    if (segment >= 5) return std::nullopt;
    size_t dot = code.find('.', start);
    std::string_view part = code.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.size() != kSegmentDigits[segment] || !AllDigits(part)) return std::nullopt;
    ++segment;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return static_cast<Level>(segment);
}

std::string_view ParentCode(std::string_view code) {
  size_t dot = code.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : code.substr(0, dot);
}

std::string_view AncestorCode(std::string_view code, Level level) {
  size_t length = 0;
  for (int i = 0; i < static_cast<int>(level); ++i) length += kSegmentDigits[i] + (i > 0 ? 1 : 0);
  return code.substr(0, std::min(length, code.size()));
}

int64_t RegionKey(std::string_view code) {
  int64_t key = 0;
  for (char c : code) {
    if (c != '.') key = key * 10 + (c - '0');
  }
  return key;
}

RegionSet::RegionSet(std::vector<Region> regions, std::vector<Island> islands)
    : regions_(std::move(regions)), islands_(std::move(islands)) {
  std::sort(regions_.begin(), regions_.end(), [](const Region& a, const Region& b) { return a.code < b.code; });
  by_code_.reserve(regions_.size() * 2);
  for (int32_t i = 0; i < static_cast<int32_t>(regions_.size()); ++i) {
    Region& region = regions_[i];
    by_code_.emplace(region.code, i);
    by_key_.emplace(RegionKey(region.code), i);
    by_level_[static_cast<int>(region.level)].push_back(i);
    auto parent = by_code_.find(std::string(ParentCode(region.code)));
    region.parent = parent == by_code_.end() ? -1 : parent->second;
  }
  // Codes sort so that a subtree is contiguous: its end is the first later code that is not under it.
  subtree_end_.assign(regions_.size(), static_cast<int32_t>(regions_.size()));
  std::vector<int32_t> open;
  for (int32_t i = 0; i < static_cast<int32_t>(regions_.size()); ++i) {
    while (!open.empty() && !Within(i, open.back())) {
      subtree_end_[open.back()] = i;
      open.pop_back();
    }
    open.push_back(i);
  }
}

int32_t RegionSet::Find(std::string_view code) const {
  auto found = by_code_.find(std::string(code));
  return found == by_code_.end() ? -1 : found->second;
}

int32_t RegionSet::FindKey(int64_t key) const {
  auto found = by_key_.find(key);
  return found == by_key_.end() ? -1 : found->second;
}

int32_t RegionSet::Ancestor(int32_t index, Level level) const {
  while (index >= 0 && regions_[index].level > level) index = regions_[index].parent;
  return index;
}

std::pair<int32_t, int32_t> RegionSet::Subtree(int32_t index) const { return {index + 1, subtree_end_[index]}; }

bool RegionSet::Within(int32_t index, int32_t ancestor) const {
  const std::string& code = regions_[index].code;
  const std::string& prefix = regions_[ancestor].code;
  return code.size() >= prefix.size() && code.compare(0, prefix.size(), prefix) == 0 &&
         (code.size() == prefix.size() || code[prefix.size()] == '.');
}

}  // namespace tepat::geo
