// Tests of region codes, the RegionSet and the region files.
#include "geo/region.h"

#include <gtest/gtest.h>

#include "geo/regions_csv.h"
#include "testing/testing.h"

namespace tepat::geo {

TEST(RegionCodeTest, LevelsFollowTheShapeOfTheCode) {
  EXPECT_EQ(Level::kProvince, LevelOfCode("35"));
  EXPECT_EQ(Level::kRegency, LevelOfCode("35.78"));
  EXPECT_EQ(Level::kDistrict, LevelOfCode("35.78.01"));
  EXPECT_EQ(Level::kVillage, LevelOfCode("35.78.01.1001"));
  EXPECT_EQ(Level::kTps, LevelOfCode("35.78.01.1001.001"));
  for (const char* bad : {"", "3", "355", "35.7", "35.78.1", "35.78.01.101", "35.78.01.1001.01", "3a", "35..78",
                          "35.78.01.1001.001.1", "35.78."}) {
    EXPECT_FALSE(LevelOfCode(bad)) << bad;
  }
}

TEST(RegionCodeTest, ParentsAndAncestorsArePrefixes) {
  EXPECT_EQ("35.78", ParentCode("35.78.01"));
  EXPECT_EQ("", ParentCode("35"));
  EXPECT_EQ("35", AncestorCode("35.78.01.1001", Level::kProvince));
  EXPECT_EQ("35.78.01", AncestorCode("35.78.01.1001.001", Level::kDistrict));
  EXPECT_EQ(3578011001, RegionKey("35.78.01.1001"));
}

TEST(RegionSetTest, SubtreesAreContiguous) {
  const RegionSet& regions = testing::FixtureRegions();
  const int32_t surabaya = regions.Find("35.78");
  ASSERT_GE(surabaya, 0);
  auto [first, last] = regions.Subtree(surabaya);
  int villages = 0;
  for (int32_t i = first; i < last; ++i) {
    EXPECT_TRUE(regions.Within(i, surabaya)) << regions.at(i).code;
    villages += regions.at(i).level == Level::kVillage;
  }
  EXPECT_EQ(15, villages);
  EXPECT_FALSE(regions.Within(regions.Find("34.71"), surabaya));
  EXPECT_EQ(regions.Find("35"), regions.Ancestor(regions.Find("35.78.03.1006"), Level::kProvince));
  EXPECT_EQ(regions.Find("35.78.03.1006"), regions.FindKey(3578031006));
}

TEST(RegionFilesTest, TheRealHierarchyLoadsWhole) {
  const RegionSet& regions = testing::RealRegions();
  EXPECT_EQ(38u, regions.OfLevel(Level::kProvince).size());
  EXPECT_EQ(514u, regions.OfLevel(Level::kRegency).size());
  EXPECT_EQ(7285u, regions.OfLevel(Level::kDistrict).size());
  EXPECT_EQ(83762u, regions.OfLevel(Level::kVillage).size());
  EXPECT_GT(regions.islands().size(), 17000u);
  EXPECT_EQ("Kota Surabaya", regions.at(regions.Find("35.78")).name);
}

namespace {

RegionFiles Files(std::string provinces, std::string regencies, std::string districts, std::string villages) {
  return {{"provinces.csv", std::move(provinces)},
          {"regencies.csv", std::move(regencies)},
          {"districts.csv", std::move(districts)},
          {"villages.csv", std::move(villages)},
          {}};
}

}  // namespace

TEST(RegionFilesTest, EveryProblemIsLocated) {
  auto result = ParseRegionFiles(Files("code,name\n35,Jawa Timur\n35,Jawa Timur lagi\n3x,Bad\n",
                                       "code,province_code,name\n35.78,35,Kota Surabaya\n36.01,36,Pandeglang\n"
                                       "35.79,34,Salah\n",
                                       "code,regency_code,name\n35.78.01,35.78,\n35.78.02,35.78\n",
                                       "code,district_code,name,extra\n"));
  ASSERT_FALSE(result.ok());
  const std::string text = result.error().ToString();
  EXPECT_NE(std::string::npos, text.find("provinces.csv:3: code: '35' appears twice"));
  EXPECT_NE(std::string::npos, text.find("provinces.csv:4: code: '3x' is not a province code"));
  EXPECT_NE(std::string::npos, text.find("regencies.csv:3: province_code: unknown region '36'"));
  EXPECT_NE(std::string::npos, text.find("regencies.csv:4: province_code: '34' does not match the code '35.79'"));
  EXPECT_NE(std::string::npos, text.find("districts.csv:2: name: empty name"));
  EXPECT_NE(std::string::npos, text.find("districts.csv:3: expected 3 fields, found 2"));
  EXPECT_NE(std::string::npos, text.find("villages.csv:1: extra: unknown column"));
}

TEST(RegionFilesTest, AnEmptyFileIsRefused) {
  auto result =
      ParseRegionFiles(Files("", "code,province_code,name\n", "code,regency_code,name\n", "code,district_code,name\n"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().ToString().find("provinces.csv:1: the file is empty"));
  EXPECT_NE(std::string::npos, result.error().ToString().find("regencies.csv:2: no rows after the header"));
}

}  // namespace tepat::geo
