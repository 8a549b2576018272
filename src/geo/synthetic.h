// Synthetic, realistic TPS and dapil over the real villages, for demos, tests and benchmarks. Deterministic per seed:
// the same seed and regions give the same output on every machine. The data is synthetic (not KPU's): totals and the
// per-province figures that are known match, everything else is drawn. docs/formats.md describes how.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"

namespace tepat::geo {

// The national figures a synthetic election must match, from the [synthetic] table of an election definition.
struct SyntheticProfile {
  int64_t tps = 0;
  int64_t dpt = 0;
  int64_t dpt_l = 0;                            // male voters; 0: half of the DPT
  int64_t disabled_per_100000 = 0;              // voters with disabilities per 100,000
  int32_t voter_cap = 0;                        // from the election
  std::map<std::string, int64_t> province_tps;  // known TPS per province code
  std::map<std::string, int64_t> province_dpt;  // known DPT per province code
  std::map<std::string, int64_t> dapil_count;   // per contest code: how many dapil to draw
  std::string source;                           // where the figures come from
};

// Draws the TPS of an election over the villages of `regions`: every village gets at least one TPS; provinces with a
// known count get exactly it and the rest share the remainder in proportion to their villages; DPT per province is
// the known figure or the remainder in proportion to TPS, spread over TPS without passing the cap.
Result<std::vector<Tps>> GenerateTps(const RegionSet& regions, const SyntheticProfile& profile, uint64_t seed);

// Draws dapil for every contest in `contests`: groups of whole regencies inside a province (within = province) or of
// whole districts inside a regency (within = regency), balanced by DPT, as many as the profile asks per contest.
Result<std::vector<Dapil>> GenerateDapil(const RegionSet& regions, const std::vector<DapilContest>& contests,
                                         const SyntheticProfile& profile, const std::vector<Tps>& tps, uint64_t seed);

}  // namespace tepat::geo
