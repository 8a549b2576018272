// Tests of the synthetic national generator on the real regions.
#include "geo/synthetic.h"

#include <gtest/gtest.h>

#include <map>

#include "election/definition.h"
#include "election/synthetic.h"
#include "testing/testing.h"

namespace tepat::geo {

namespace {

// National TPS for an election, generated once per test binary and seed.
const std::vector<Tps>& National(const std::string& election, uint64_t seed) {
  static std::map<std::pair<std::string, uint64_t>, std::vector<Tps>> cache;
  auto& tps = cache[{election, seed}];
  if (tps.empty()) {
    auto result = GenerateTps(testing::RealRegions(), election::BuiltinSyntheticProfile(election).value(), seed);
    EXPECT_TRUE(result.ok()) << result.error().ToString();
    if (result.ok()) tps = std::move(result).value();
  }
  return tps;
}

}  // namespace

TEST(SyntheticTest, Pemilu2024MatchesTheNationalFigures) {
  const RegionSet& regions = testing::RealRegions();
  const auto& tps = National("pemilu-2024", 1);
  ASSERT_EQ(820161u, tps.size());
  VoterCounts counts = CountVoters(regions, tps);
  EXPECT_EQ(203056748, counts.national.dpt);
  int64_t male = 0;
  for (const Tps& station : tps) {
    ASSERT_GE(station.dpt, 1);
    ASSERT_LE(station.dpt, 300);
    ASSERT_EQ(station.dpt, station.dpt_l + station.dpt_p);
    ASSERT_LE(station.disabled, station.dpt);
    ASSERT_NE(Access::kUnknown, station.access);
    male += station.dpt_l;
  }
  EXPECT_NEAR(101467243.0 / 203056748, static_cast<double>(male) / counts.national.dpt, 0.002);
  // The per-province figures that are known, exactly.
  EXPECT_EQ(30766, counts.by_region[regions.Find("31")].tps);
  EXPECT_EQ(140457, counts.by_region[regions.Find("32")].tps);
  EXPECT_EQ(1770, counts.by_region[regions.Find("93")].tps);
  EXPECT_EQ(35714901, counts.by_region[regions.Find("32")].dpt);
  EXPECT_EQ(367269, counts.by_region[regions.Find("93")].dpt);
  // Every village has a TPS.
  for (int32_t village : regions.OfLevel(Level::kVillage)) ASSERT_GE(counts.by_region[village].tps, 1);
}

TEST(SyntheticTest, AccessLooksLikeIndonesia) {
  const RegionSet& regions = testing::RealRegions();
  std::map<std::string, std::map<Access, int>> by_province;
  for (const Tps& station : National("pemilu-2024", 1)) {
    ++by_province[regions.at(regions.Ancestor(station.village, Level::kProvince)).code][station.access];
  }
  auto share = [&](const std::string& province, Access access) {
    int total = 0;
    for (auto [mode, count] : by_province[province]) total += count;
    return static_cast<double>(by_province[province][access]) / total;
  };
  EXPECT_GT(share("95", Access::kAir) + share("95", Access::kFoot), 0.6);  // highland Papua
  EXPECT_GT(share("81", Access::kSea), 0.3);                               // Maluku's islands
  EXPECT_GT(share("93", Access::kRiver), 0.2);                             // Papua Selatan's rivers
  EXPECT_GT(share("32", Access::kRoad), 0.9);                              // Jawa Barat
  EXPECT_EQ(0.0, share("32", Access::kAir));
}

TEST(SyntheticTest, TheSameSeedGivesTheSameTps) {
  const auto& first = National("pemilu-2024", 1);
  auto again = GenerateTps(testing::RealRegions(), election::BuiltinSyntheticProfile("pemilu-2024").value(), 1).value();
  ASSERT_EQ(first.size(), again.size());
  size_t same = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    same += first[i].dpt == again[i].dpt && first[i].village == again[i].village && first[i].access == again[i].access;
  }
  EXPECT_EQ(first.size(), same);
  const auto& other = National("pemilu-2024", 2);
  size_t differ = 0;
  for (size_t i = 0; i < std::min(first.size(), other.size()); ++i) differ += first[i].dpt != other[i].dpt;
  EXPECT_GT(differ, first.size() / 2);
}

TEST(SyntheticTest, Pilkada2024HasItsOwnCountAndCap) {
  const auto& tps = National("pilkada-2024", 1);
  ASSERT_EQ(435296u, tps.size());
  int32_t largest = 0;
  for (const Tps& station : tps) largest = std::max(largest, station.dpt);
  EXPECT_LE(largest, 600);
  EXPECT_GT(largest, 300);
}

TEST(SyntheticTest, DapilHaveTheNationalCountsAndCoverEveryTps) {
  const RegionSet& regions = testing::RealRegions();
  const auto def = election::LoadBuiltin("pemilu-2024").value();
  const auto& tps = National("pemilu-2024", 1);
  auto dapils = GenerateDapil(regions, def.DapilContests(), election::BuiltinSyntheticProfile("pemilu-2024").value(), tps, 1);
  ASSERT_TRUE(dapils.ok()) << dapils.error().ToString();
  std::map<std::string, int> per_contest;
  for (const Dapil& dapil : dapils.value()) ++per_contest[dapil.contest];
  EXPECT_EQ(84, per_contest["DPR"]);
  EXPECT_EQ(301, per_contest["DPRD_PROV"]);
  EXPECT_EQ(2325, per_contest["DPRD_KAB"]);
  // What the generator writes, the importer accepts: no overlap, every TPS covered.
  DapilSet set(regions, def.DapilContests(), dapils.value());
  std::string csv;
  WriteDapilCsv(regions, set, csv);
  auto parsed = ParseDapilCsv("generated.csv", csv, regions, def.DapilContests(), tps);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
}

TEST(SyntheticTest, NoFiguresNoTps) {
  SyntheticProfile empty;
  auto result = GenerateTps(testing::FixtureRegions(), empty, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().message().find("[synthetic]"));
}

}  // namespace tepat::geo
