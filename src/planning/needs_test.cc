// Tests of the needs engine with the worked examples of domain.md §1.3.
#include "planning/needs.h"

#include <gtest/gtest.h>

#include <map>

#include "election/synthetic.h"
#include "geo/synthetic.h"
#include "testing/testing.h"

namespace tepat::planning {

namespace {

using geo::Level;

// Needs of one election over the fixture regions, with a lookup by region code and item code.
class FixtureNeeds {
 public:
  FixtureNeeds(const std::string& election, const std::string& tps_file, const std::string& dapil_file = "")
      : regions_(testing::FixtureRegions()), def_(election::LoadBuiltin(election).value()) {
    tps_ = geo::ParseTpsCsv(tps_file, testing::ReadText((testing::FixtureDir() / tps_file).string()), regions_,
                            def_.tps_voter_cap)
               .value();
    if (!dapil_file.empty()) {
      auto dapils = geo::ParseDapilCsv(dapil_file, testing::ReadText((testing::FixtureDir() / dapil_file).string()),
                                       regions_, def_.DapilContests(), tps_);
      EXPECT_TRUE(dapils.ok()) << dapils.error().ToString();
      dapils_ = std::move(dapils).value();
    }
    NeedsOptions options;
    options.visit_first = 0;
    options.visit_last = tps_.size();
    options.visit_tps = [&](size_t index, const Quantities& quantities) {
      by_tps_[geo::TpsCode(regions_, tps_[index])] = quantities;
    };
    auto needs = ComputeNeeds({&def_, &regions_, &tps_, &dapils_}, options);
    EXPECT_TRUE(needs.ok()) << needs.error().ToString();
    if (needs.ok()) needs_ = std::move(needs).value();
  }

  // The quantity of `item` for a region code ("" for the nation) or a TPS code; 0 when absent.
  int64_t At(const std::string& code, const std::string& item) const {
    const Quantities* quantities = &needs_.national;
    if (geo::LevelOfCode(code) == Level::kTps) {
      quantities = &by_tps_.at(code);
    } else if (!code.empty()) {
      quantities = &needs_.by_region[regions_.Find(code)];
    }
    for (const auto& [need, quantity] : *quantities) {
      if (needs_.items[need].code == item) return quantity;
    }
    return 0;
  }
  const Needs& needs() const { return needs_; }
  const geo::RegionSet& regions() const { return regions_; }

 private:
  const geo::RegionSet& regions_;
  election::Definition def_;
  std::vector<geo::Tps> tps_;
  geo::DapilSet dapils_;
  Needs needs_;
  std::map<std::string, Quantities> by_tps_;
};

}  // namespace

TEST(NeedsTest, PemiluBallotsAreDptPlusTwoPercentRoundedUpPerTps) {
  FixtureNeeds needs("pemilu-2024", "pemilu-tps.csv", "pemilu-dapil.csv");
  EXPECT_EQ(306, needs.At("35.78.01.1001.001", "surat_suara:PPWP:nasional"));  // 300 → 306
  EXPECT_EQ(255, needs.At("35.78.01.1001.002", "surat_suara:PPWP:nasional"));  // 250 → 255
  EXPECT_EQ(2, needs.At("35.78.01.1002.001", "surat_suara:PPWP:nasional"));    // 1 → 2
  // Every ballot of the TPS, with its variant.
  EXPECT_EQ(306, needs.At("35.78.01.1001.001", "surat_suara:DPR:35-01"));
  EXPECT_EQ(306, needs.At("35.78.01.1001.001", "surat_suara:DPD:35"));
  EXPECT_EQ(306, needs.At("35.78.01.1001.001", "surat_suara:DPRD_PROV:35-01"));
  EXPECT_EQ(306, needs.At("35.78.01.1001.001", "surat_suara:DPRD_KAB:35.78-01"));
  EXPECT_EQ(204, needs.At("35.78.03.1001.001", "surat_suara:DPRD_KAB:35.78-02"));
  EXPECT_EQ(0, needs.At("35.78.03.1001.001", "surat_suara:DPRD_KAB:35.78-01"));
  EXPECT_EQ(306 + 255 + 2, needs.At("35.78.01", "surat_suara:PPWP:nasional"));
}

TEST(NeedsTest, BoxesFollowTheContestsHeld) {
  FixtureNeeds needs("pemilu-2024", "pemilu-tps.csv", "pemilu-dapil.csv");
  EXPECT_EQ(5, needs.At("35.78.01.1001.001", "kotak_suara"));
  EXPECT_EQ(4, needs.At("31.71.01.1001.001", "kotak_suara"));  // DKI Jakarta: no DPRD kab/kota
  EXPECT_EQ(0, needs.At("31.71.01.1001.001", "surat_suara:DPRD_KAB:31.71-01"));
  EXPECT_EQ(4, needs.At("35.78.01.1001.001", "bilik_suara"));
  EXPECT_EQ(2, needs.At("35.78.01.1001.001", "tinta"));
  EXPECT_EQ(2, needs.At("35.78.01.1001.001", "alat_bantu_tunanetra"));
  EXPECT_EQ(5, needs.At("35.78.01.1001.001", "daftar_calon"));
  EXPECT_EQ(4, needs.At("31.71.01.1001.001", "daftar_calon"));
  EXPECT_EQ(114, needs.At("35.78.01.1001.001", "segel"));
  // Regions add up their TPS: Surabaya has 4 TPS with 5 boxes each.
  EXPECT_EQ(20, needs.At("35.78", "kotak_suara"));
  EXPECT_EQ(7 * 4, needs.At("", "bilik_suara"));
}

TEST(NeedsTest, ReVoteReservesAreHeldAtTheRegency) {
  FixtureNeeds needs("pemilu-2024", "pemilu-tps.csv", "pemilu-dapil.csv");
  // Surabaya uses one PPWP, DPR, DPD and DPRD_PROV ballot and two DPRD_KAB ballots.
  EXPECT_EQ(1000, needs.At("35.78", "surat_suara_psu:PPWP:nasional"));
  EXPECT_EQ(1000, needs.At("35.78", "surat_suara_psu:DPRD_KAB:35.78-01"));
  EXPECT_EQ(1000, needs.At("35.78", "surat_suara_psu:DPRD_KAB:35.78-02"));
  EXPECT_EQ(0, needs.At("35.78.01", "surat_suara_psu:PPWP:nasional"));  // not held at the district
  EXPECT_EQ(1000, needs.At("35", "surat_suara_psu:PPWP:nasional"));     // rolled up
  // Four regencies have TPS: 31.01, 31.71, 34.71, 35.78.
  EXPECT_EQ(4000, needs.At("", "surat_suara_psu:PPWP:nasional"));
  // DKI Jakarta's two regencies each hold their own DPR variant.
  EXPECT_EQ(1000, needs.At("31.01", "surat_suara_psu:DPR:31-02"));
  EXPECT_EQ(0, needs.At("31.01", "surat_suara_psu:DPR:31-01"));
  // One kotak_hasil per district with TPS.
  EXPECT_EQ(1, needs.At("35.78.03", "kotak_hasil"));
  EXPECT_EQ(5, needs.At("", "kotak_hasil"));  // 35.78.01, 35.78.03, 31.71.01, 31.01.01, 34.71.01
}

TEST(NeedsTest, PilkadaReserveIsTwoAndAHalfPercent) {
  FixtureNeeds needs("pilkada-2024", "pilkada-tps.csv");
  EXPECT_EQ(540, needs.At("35.78.01.1001.001", "surat_suara:GUBERNUR:35"));  // 526 → 540
  EXPECT_EQ(540, needs.At("35.78.01.1001.001", "surat_suara:BUPATI_WALIKOTA:35.78"));
  EXPECT_EQ(615, needs.At("35.78.01.1001.002", "surat_suara:GUBERNUR:35"));  // 600 → 615
  EXPECT_EQ(2, needs.At("35.78.01.1001.001", "kotak_suara"));
  // DI Yogyakarta elects no governor; DKI Jakarta no regent or mayor.
  EXPECT_EQ(0, needs.At("34.71.01.1001.001", "surat_suara:GUBERNUR:34"));
  EXPECT_EQ(41, needs.At("34.71.01.1001.001", "surat_suara:BUPATI_WALIKOTA:34.71"));  // 40 → 41
  EXPECT_EQ(1, needs.At("34.71.01.1001.001", "kotak_suara"));
  EXPECT_EQ(410, needs.At("31.71.01.1001.001", "surat_suara:GUBERNUR:31"));  // 400 → 410
  EXPECT_EQ(0, needs.At("31.71.01.1001.001", "surat_suara:BUPATI_WALIKOTA:31.71"));
  EXPECT_EQ(1, needs.At("31.71.01.1001.001", "kotak_suara"));
  // Re-vote reserves: governor ballots at the province, regent/mayor ballots at the regency.
  EXPECT_EQ(2000, needs.At("35", "surat_suara_psu:GUBERNUR:35"));
  EXPECT_EQ(0, needs.At("35.78", "surat_suara_psu:GUBERNUR:35"));
  EXPECT_EQ(2000, needs.At("35.78", "surat_suara_psu:BUPATI_WALIKOTA:35.78"));
  EXPECT_EQ(0, needs.At("34", "surat_suara_psu:GUBERNUR:34"));
  EXPECT_EQ(0, needs.At("31.71", "surat_suara_psu:BUPATI_WALIKOTA:31.71"));
  EXPECT_EQ(2000 * 2, needs.At("", "surat_suara_psu:GUBERNUR:31") + needs.At("", "surat_suara_psu:GUBERNUR:35"));
}

TEST(NeedsTest, EveryLevelIsTheSumOfTheOneBelowPlusItsReserves) {
  FixtureNeeds needs("pemilu-2024", "pemilu-tps.csv", "pemilu-dapil.csv");
  const geo::RegionSet& regions = needs.regions();
  for (const auto& item : needs.needs().items) {
    if (item.code.rfind("surat_suara_psu", 0) == 0 || item.code == "kotak_hasil") continue;
    int64_t provinces = 0;
    for (int32_t province : regions.OfLevel(Level::kProvince))
      provinces += needs.At(regions.at(province).code, item.code);
    int64_t villages = 0;
    for (int32_t village : regions.OfLevel(Level::kVillage)) villages += needs.At(regions.at(village).code, item.code);
    EXPECT_EQ(needs.At("", item.code), provinces) << item.code;
    EXPECT_EQ(provinces, villages) << item.code;
  }
}

TEST(NeedsTest, CatalogIsInDefinitionOrder) {
  FixtureNeeds needs("pemilu-2024", "pemilu-tps.csv", "pemilu-dapil.csv");
  const auto& items = needs.needs().items;
  ASSERT_FALSE(items.empty());
  EXPECT_EQ("surat_suara:PPWP:nasional", items.front().code);
  EXPECT_EQ("surat_suara:DPR:31-01", items[1].code);
  EXPECT_EQ("kotak_hasil", items.back().code);
}

TEST(NeedsTest, AMissingDapilIsAnError) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  auto def = election::LoadBuiltin("pemilu-2024").value();
  auto tps = geo::ParseTpsCsv("t", testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string()), regions, 300)
                 .value();
  geo::DapilSet none(regions, def.DapilContests(), {});
  auto result = ComputeNeeds({&def, &regions, &tps, &none});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().ToString().find("pemilu-2024 has no dapil: run `tepat import dapil"));
  geo::DapilSet partial(regions, def.DapilContests(), {{"DPR", "34-01", "DI Yogyakarta", {regions.Find("34.71")}}});
  result = ComputeNeeds({&def, &regions, &tps, &partial});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().ToString().find("village 35.78.01.1001: DPR: its TPS have no dapil"));
}

TEST(NeedsTest, ThreadsGiveTheSameNeedsNationally) {
  const geo::RegionSet& regions = testing::RealRegions();
  auto def = election::LoadBuiltin("pemilu-2024").value();
  auto profile = election::BuiltinSyntheticProfile("pemilu-2024").value();
  auto tps = geo::GenerateTps(regions, profile, 7).value();
  auto dapils = geo::GenerateDapil(regions, def.DapilContests(), profile, tps, 7).value();
  geo::DapilSet set(regions, def.DapilContests(), dapils);
  NeedsOptions one, two;
  one.threads = 1;
  two.threads = 2;
  auto a = ComputeNeeds({&def, &regions, &tps, &set}, one).value();
  auto b = ComputeNeeds({&def, &regions, &tps, &set}, two).value();
  EXPECT_EQ(a.national, b.national);
  EXPECT_EQ(a.by_region, b.by_region);
  // 84 DPR dapil give 84 DPR ballot variants; 2,325 DPRD kab/kota dapil give as many.
  int dpr = 0, dprd_kab = 0;
  for (const NeedItem& item : a.items) {
    dpr += item.code.rfind("surat_suara:DPR:", 0) == 0;
    dprd_kab += item.code.rfind("surat_suara:DPRD_KAB:", 0) == 0;
  }
  EXPECT_EQ(84, dpr);
  EXPECT_EQ(2325, dprd_kab);
  // Reserves are rounded up per TPS, so the nation needs more than a flat 2% of its DPT.
  int64_t dpt = 0, per_tps = 0;
  for (const geo::Tps& station : tps) {
    dpt += station.dpt;
    per_tps += station.dpt + (station.dpt * 2 + 99) / 100;
  }
  int64_t ppwp = 0;
  for (const auto& [need, quantity] : a.national) {
    if (a.items[need].code == "surat_suara:PPWP:nasional") ppwp = quantity;
  }
  EXPECT_EQ(per_tps, ppwp);
  EXPECT_GT(ppwp, dpt + (dpt * 2 + 99) / 100);
  // 30,766 TPS in DKI Jakarta have 4 boxes, the rest 5.
  int64_t boxes = 0;
  for (const auto& [need, quantity] : a.national) {
    if (a.items[need].code == "kotak_suara") boxes = quantity;
  }
  EXPECT_EQ(30766 * 4 + (820161 - 30766) * 5, boxes);
}

}  // namespace tepat::planning

namespace tepat::planning {

// Rules limited to some contests count only those contests, and only where they are held; per-variant rules above
// the TPS count the TPS and voters of their variant only.
TEST(NeedsRulesTest, ContestFiltersAndVariantCounts) {
  std::string text = testing::ReadText((testing::SourceDir() / "elections/pilkada-2024.toml").string());
  text += R"(
[[items]]
code = "map_gubernur"
name = "Map Gubernur"
unit = "buah"
category = "dukungan_perlengkapan_lainnya"
assumption = "test"

[[items]]
code = "cadangan_per_tps"
name = "Cadangan per TPS"
unit = "lembar"
category = "dukungan_perlengkapan_lainnya"
assumption = "test"

[[rules]]
item = "map_gubernur"
at = "tps"
contests = ["GUBERNUR"]
per_contest = 100
fixed = 1

[[rules]]
item = "cadangan_per_tps"
at = "province"
for_each = "variant"
contests = ["BUPATI_WALIKOTA"]
per_tps = 10
dpt = 1
)";
  auto def = election::ParseDefinition("custom.toml", text);
  ASSERT_TRUE(def.ok()) << def.error().ToString();
  const geo::RegionSet& regions = testing::FixtureRegions();
  auto tps =
      geo::ParseTpsCsv("t", testing::ReadText((testing::FixtureDir() / "pilkada-tps.csv").string()), regions, 600)
          .value();
  std::map<std::string, Quantities> by_tps;
  NeedsOptions options;
  options.visit_last = tps.size();
  options.visit_tps = [&](size_t i, const Quantities& q) { by_tps[geo::TpsCode(regions, tps[i])] = q; };
  geo::DapilSet none;
  auto needs = ComputeNeeds({&def.value(), &regions, &tps, &none}, options);
  ASSERT_TRUE(needs.ok()) << needs.error().ToString();
  auto at = [&](const Quantities& quantities, const std::string& code) {
    for (const auto& [need, quantity] : quantities) {
      if (needs.value().items[need].code == code) return quantity;
    }
    return int64_t{0};
  };
  EXPECT_EQ(101, at(by_tps["35.78.01.1001.001"], "map_gubernur"));
  EXPECT_EQ(0, at(by_tps["34.71.01.1001.001"], "map_gubernur"));  // no governor in DI Yogyakarta
  // Jawa Timur's one regent/mayor variant (35.78) has 2 TPS with 526 + 600 voters.
  EXPECT_EQ(10 * 2 + 526 + 600,
            at(needs.value().by_region[regions.Find("35")], "cadangan_per_tps:BUPATI_WALIKOTA:35.78"));
  EXPECT_EQ(0, at(needs.value().by_region[regions.Find("31")], "cadangan_per_tps:BUPATI_WALIKOTA:31.71"));
}

}  // namespace tepat::planning
