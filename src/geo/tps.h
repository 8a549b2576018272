// Polling stations (TPS) of one election: where they are, how many voters (DPT) they serve and how they are reached.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/region.h"

namespace tepat::geo {

// How a TPS is reached from its district office.
enum class Access : uint8_t { kUnknown = 0, kRoad, kRiver, kSea, kAir, kFoot };

std::string_view AccessName(Access access);  // "", "road", "river", "sea", "air", "foot"
std::optional<Access> ParseAccess(std::string_view name);

struct Tps {
  int32_t village = -1;  // index in the RegionSet
  int32_t number = 0;    // 1..999, the last segment of the code
  int32_t dpt = 0;
  int32_t dpt_l = -1;     // -1 when not given
  int32_t dpt_p = -1;     // -1 when not given
  int32_t disabled = -1;  // voters with disabilities; -1 when not given
  Access access = Access::kUnknown;
  float travel_hours = NAN;  // from the district office; NaN when not given
};

// "35.78.01.1001" and 1 → "35.78.01.1001.001".
std::string TpsCode(const RegionSet& regions, const Tps& tps);

// Orders TPS by village and number, the order every consumer of a TPS list expects.
void SortTps(std::vector<Tps>& tps);

// Reads a TPS file (header; required tps_code,village_code,dpt; optional dpt_l,dpt_p,disabled,access,travel_hours)
// and checks every row against `regions` and the election's voter cap. The result is sorted by code.
Result<std::vector<Tps>> ParseTpsCsv(std::string_view file, std::string_view text, const RegionSet& regions,
                                     int32_t voter_cap);

// Writes TPS as CSV in the same format, header included, in the order given.
void WriteTpsCsv(const RegionSet& regions, const std::vector<Tps>& tps, std::string& out);

}  // namespace tepat::geo

namespace tepat::geo {

// How many TPS and voters a region holds.
struct VoterCount {
  int64_t tps = 0;
  int64_t dpt = 0;
};

struct VoterCounts {
  std::vector<VoterCount> by_region;  // indexed like the RegionSet
  VoterCount national;
};

// Counts TPS and DPT per region at every level.
VoterCounts CountVoters(const RegionSet& regions, const std::vector<Tps>& tps);

}  // namespace tepat::geo
