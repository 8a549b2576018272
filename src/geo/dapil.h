// Electoral districts (dapil) of one election: which regencies or districts each dapil of a contest is made of,
// and which dapil every TPS votes in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/region.h"
#include "geo/tps.h"

namespace tepat::geo {

// What an election says about a contest that is contested by dapil (DPR, DPRD_PROV, DPRD_KAB): a dapil lies inside
// one region of level `within` (the province, or the regency), and the contest is not held in `excluded_provinces`.
struct DapilContest {
  std::string code;
  Level within = Level::kProvince;
  std::vector<std::string> excluded_provinces;
};

struct Dapil {
  std::string contest;
  std::string code;
  std::string name;
  std::vector<int32_t> regions;  // regencies or districts, indices in the RegionSet
};

// The dapil of an election, with the lookup from a TPS's village to its dapil per contest.
class DapilSet {
 public:
  DapilSet() = default;
  DapilSet(const RegionSet& regions, std::vector<DapilContest> contests, std::vector<Dapil> dapils);

  const std::vector<Dapil>& dapils() const { return dapils_; }
  const std::vector<DapilContest>& contests() const { return contests_; }
  bool empty() const { return dapils_.empty(); }
  // The dapil (index into dapils()) that the village votes in for contest `contest_index` (into contests()), or -1.
  int32_t ForVillage(size_t contest_index, int32_t village) const;
  // Whether contest `contest_index` is held in the province of region `index`.
  bool Held(size_t contest_index, int32_t region) const;

 private:
  const RegionSet* regions_ = nullptr;
  std::vector<DapilContest> contests_;
  std::vector<Dapil> dapils_;
  std::vector<std::vector<int32_t>> by_region_;  // per contest, per region index: the dapil or -1
};

// Reads a dapil file (contest,dapil_code,dapil_name,region_code) and checks it: known contests and regions, regions
// that are regencies or districts inside one province (or regency) per dapil, no region in two dapil of a contest
// (a regency and one of its districts count as overlapping), none in a province where the contest is not held, and
// every TPS in `tps` resolving to exactly one dapil per contest held there.
Result<DapilSet> ParseDapilCsv(std::string_view file, std::string_view text, const RegionSet& regions,
                               const std::vector<DapilContest>& contests, const std::vector<Tps>& tps);

// Checks that every TPS has exactly one dapil for every contest held at it; problems are reported under `file`.
Status CheckDapilCoverage(std::string_view file, const RegionSet& regions, const DapilSet& dapils,
                          const std::vector<Tps>& tps);

// Writes dapil as CSV in the import format, one row per region.
void WriteDapilCsv(const RegionSet& regions, const DapilSet& dapils, std::string& out);

}  // namespace tepat::geo
