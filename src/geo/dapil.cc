// Dapil files, their checks and the village → dapil lookup.
#include "geo/dapil.h"

#include <algorithm>
#include <map>

#include "common/csv.h"

namespace tepat::geo {

DapilSet::DapilSet(const RegionSet& regions, std::vector<DapilContest> contests, std::vector<Dapil> dapils)
    : regions_(&regions), contests_(std::move(contests)), dapils_(std::move(dapils)) {
  by_region_.assign(contests_.size(), std::vector<int32_t>());
  for (int32_t d = 0; d < static_cast<int32_t>(dapils_.size()); ++d) {
    for (size_t c = 0; c < contests_.size(); ++c) {
      if (contests_[c].code != dapils_[d].contest) continue;
      auto& lookup = by_region_[c];
      if (lookup.empty()) lookup.assign(regions.size(), -1);
      for (int32_t region : dapils_[d].regions) lookup[region] = d;
    }
  }
}

int32_t DapilSet::ForVillage(size_t contest_index, int32_t village) const {
  const auto& lookup = by_region_[contest_index];
  if (lookup.empty()) return -1;
  for (int32_t region = village; region >= 0; region = regions_->at(region).parent) {
    if (lookup[region] >= 0) return lookup[region];
  }
  return -1;
}

bool DapilSet::Held(size_t contest_index, int32_t region) const {
  const std::string& province = regions_->at(regions_->Ancestor(region, Level::kProvince)).code;
  const auto& excluded = contests_[contest_index].excluded_provinces;
  return std::find(excluded.begin(), excluded.end(), province) == excluded.end();
}

Status CheckDapilCoverage(std::string_view file, const RegionSet& regions, const DapilSet& dapils,
                          const std::vector<Tps>& tps) {
  ProblemList problems;
  // Report per district and contest, not per TPS: a missing dapil leaves whole districts uncovered.
  for (size_t c = 0; c < dapils.contests().size(); ++c) {
    std::map<int32_t, std::pair<size_t, int32_t>> uncovered;  // district → (TPS count, first village)
    int32_t last_village = -1;
    bool last_ok = true;
    for (const Tps& station : tps) {
      if (station.village != last_village) {
        last_village = station.village;
        last_ok = !dapils.Held(c, station.village) || dapils.ForVillage(c, station.village) >= 0;
      }
      if (last_ok) continue;
      auto& entry = uncovered[regions.Ancestor(station.village, Level::kDistrict)];
      if (entry.first++ == 0) entry.second = station.village;
    }
    for (const auto& [district, entry] : uncovered) {
      problems.Add(std::string(file), dapils.contests()[c].code,
                   std::to_string(entry.first) + " TPS in district " + regions.at(district).code + " (" +
                       regions.at(district).name + (entry.first == 1 ? ") has no dapil" : ") have no dapil"));
    }
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + " was refused: not every TPS resolves to a dapil");
  return {};
}

Result<DapilSet> ParseDapilCsv(std::string_view file, std::string_view text, const RegionSet& regions,
                               const std::vector<DapilContest>& contests, const std::vector<Tps>& tps) {
  ProblemList problems;
  const std::string refused = std::string(file) + " was refused";
  if (contests.empty()) return InvalidInput(refused + ": this election has no contest by dapil");
  CsvReader reader(text);
  std::vector<std::string_view> row;
  if (!reader.Next(row)) {
    problems.AddAt(file, 1, "", "the file is empty (expected the header contest,dapil_code,dapil_name,region_code)");
    return problems.ToError(refused);
  }
  CsvHeader header = CsvHeader::Bind(file, row, {"contest", "dapil_code", "dapil_name", "region_code"}, {}, problems);
  if (!problems.empty()) return problems.ToError(refused);
  const int contest_at = header.index("contest"), code_at = header.index("dapil_code");
  const int name_at = header.index("dapil_name"), region_at = header.index("region_code");

  std::vector<Dapil> dapils;
  std::map<std::pair<std::string, std::string>, std::pair<int32_t, size_t>> by_code;  // → (dapil, first line)
  std::vector<int32_t> anchor;                                                        // per dapil: its enclosing region
  // Per contest: region → (dapil, line) for the overlap check.
  std::vector<std::map<int32_t, std::pair<int32_t, size_t>>> claimed(contests.size());
  size_t rows = 0;
  while (reader.Next(row)) {
    ++rows;
    const size_t line = reader.line();
    if (!reader.error().empty()) {
      problems.AddAt(file, line, "", reader.error());
      continue;
    }
    if (row.size() != header.width()) {
      problems.AddAt(file, line, "", "expected 4 fields, found " + std::to_string(row.size()));
      continue;
    }
    std::string contest_code(row[contest_at]);
    auto contest =
        std::find_if(contests.begin(), contests.end(), [&](const DapilContest& c) { return c.code == contest_code; });
    if (contest == contests.end()) {
      std::string known;
      for (const DapilContest& c : contests) known += (known.empty() ? "" : ", ") + c.code;
      problems.AddAt(
          file, line, "contest",
          "'" + contest_code + "' is not a contest by dapil in this election (expected one of " + known + ")");
      continue;
    }
    const size_t c = contest - contests.begin();
    std::string code(row[code_at]);
    if (code.empty()) {
      problems.AddAt(file, line, "dapil_code", "empty dapil code");
      continue;
    }
    if (row[name_at].empty()) problems.AddAt(file, line, "dapil_name", "empty dapil name");
    std::string_view region_code = row[region_at];
    auto level = LevelOfCode(region_code);
    int32_t region = level ? regions.Find(region_code) : -1;
    if (level != Level::kRegency && level != Level::kDistrict) {
      problems.AddAt(file, line, "region_code", "'" + std::string(region_code) + "' is not a regency or district code");
      continue;
    }
    if (region < 0) {
      problems.AddAt(file, line, "region_code", "unknown region '" + std::string(region_code) + "'");
      continue;
    }
    std::string province = regions.at(regions.Ancestor(region, Level::kProvince)).code;
    if (std::find(contest->excluded_provinces.begin(), contest->excluded_provinces.end(), province) !=
        contest->excluded_provinces.end()) {
      problems.AddAt(
          file, line, "region_code",
          contest_code + " is not held in province " + province + " (" + regions.at(regions.Find(province)).name + ")");
      continue;
    }
    if (contest->within >= level) {
      problems.AddAt(file, line, "region_code",
                     "a " + contest_code + " dapil is made of regions below the " +
                         std::string(LevelName(contest->within)) + " level");
      continue;
    }
    auto [entry, inserted] = by_code.try_emplace({contest_code, code}, static_cast<int32_t>(dapils.size()), line);
    const int32_t d = entry->second.first;
    const int32_t enclosing = regions.Ancestor(region, contest->within);
    if (inserted) {
      dapils.push_back({contest_code, code, std::string(row[name_at]), {}});
      anchor.push_back(enclosing);
    } else if (dapils[d].name != row[name_at]) {
      problems.AddAt(file, line, "dapil_name",
                     "'" + std::string(row[name_at]) + "' differs from the name '" + dapils[d].name + "' on line " +
                         std::to_string(entry->second.second));
    }
    if (anchor[d] != enclosing) {
      problems.AddAt(file, line, "region_code",
                     std::string(region_code) + " lies outside " + regions.at(anchor[d]).code + " (" +
                         regions.at(anchor[d]).name + "), where dapil " + code + " lies");
      continue;
    }
    // Overlap: the region itself, an ancestor or a descendant already in a dapil of this contest.
    auto& taken = claimed[c];
    int32_t clash = -1;
    for (int32_t up = region; up >= 0 && clash < 0; up = regions.at(up).parent) {
      if (taken.count(up)) clash = up;
    }
    if (clash < 0) {
      auto [first, last] = regions.Subtree(region);
      auto below = taken.lower_bound(first);
      if (below != taken.end() && below->first < last) clash = below->first;
    }
    if (clash >= 0) {
      const auto& [other, other_line] = taken[clash];
      problems.AddAt(file, line, "region_code",
                     std::string(region_code) + " overlaps " + regions.at(clash).code + " of " + contest_code +
                         " dapil " + dapils[other].code + " (line " + std::to_string(other_line) + ")");
      continue;
    }
    taken.emplace(region, std::make_pair(d, line));
    dapils[d].regions.push_back(region);
  }
  if (rows == 0) problems.AddAt(file, 2, "", "no dapil rows after the header");
  if (!problems.empty()) return problems.ToError(refused);
  DapilSet set(regions, contests, std::move(dapils));
  RETURN_IF_ERROR(CheckDapilCoverage(file, regions, set, tps));
  return set;
}

void WriteDapilCsv(const RegionSet& regions, const DapilSet& dapils, std::string& out) {
  out += "contest,dapil_code,dapil_name,region_code\n";
  for (const Dapil& dapil : dapils.dapils()) {
    for (int32_t region : dapil.regions) {
      AppendCsvRow(out, {dapil.contest, dapil.code, dapil.name, regions.at(region).code});
    }
  }
}

}  // namespace tepat::geo
