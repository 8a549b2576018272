// Tests of the TPS file: the good path, every kind of bad input, and merging.
#include "geo/tps.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace tepat::geo {

namespace {

constexpr const char* kHeader = "tps_code,village_code,dpt,dpt_l,dpt_p,disabled,access,travel_hours\n";

Result<std::vector<Tps>> Parse(const std::string& text, int32_t cap = 300) {
  return ParseTpsCsv("tps.csv", text, testing::FixtureRegions(), cap);
}

// The refusal's text, or a failure when the file was accepted.
std::string Refusal(const std::string& text, int32_t cap = 300) {
  auto result = Parse(text, cap);
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.error().ToString();
}

}  // namespace

TEST(TpsFileTest, ReadsTheFixture) {
  const std::string text = testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string());
  auto result = Parse(text);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto& tps = result.value();
  ASSERT_EQ(7u, tps.size());
  // Sorted by code, whatever the file's order.
  EXPECT_EQ("31.01.01.1001.001", TpsCode(testing::FixtureRegions(), tps[0]));
  EXPECT_EQ(Access::kSea, tps[0].access);
  EXPECT_FLOAT_EQ(3.5f, tps[0].travel_hours);
  const Tps& missing = tps[6];  // 35.78.03.1001.001 has no optional fields
  EXPECT_EQ(200, missing.dpt);
  EXPECT_EQ(-1, missing.dpt_l);
  EXPECT_EQ(Access::kUnknown, missing.access);
}

TEST(TpsFileTest, AcceptsBomCrlfAndOnlyTheRequiredColumns) {
  auto result = Parse("\xEF\xBB\xBFvillage_code,dpt,tps_code\r\n35.78.01.1001,10,35.78.01.1001.002\r\n");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(2, result.value()[0].number);
}

TEST(TpsFileTest, RefusesBadRowsWithFileLineAndColumn) {
  const std::string text = std::string(kHeader) +
                           "35.78.01.1001.001,35.78.01.1001,-3,,,,,\n"       // 2: negative
                           "35.78.01.1001.002,35.78.01.1001,301,,,,,\n"      // 3: over the cap
                           "35.78.01.1001.003,35.78.01.1001,abc,,,,,\n"      // 4: not a number
                           "35.78.01.1001.004,35.78.01.1001,100,60,50,,,\n"  // 5: 60 + 50 != 100
                           "35.78.01.1001.005,99.99.99.9999,100,,,,,\n"      // 6: unknown village
                           "35.78.01.1002.006,35.78.01.1001,100,,,,,\n"      // 7: code of another village
                           "35.78.01.1001.007,35.78.01.1001\n"               // 8: short row
                           "35.78.01.1001.008,35.78.01.1001,100,,,,boat,\n"  // 9: unknown access
                           "35.78.01.1001.001,35.78.01.1001,100,,,,,\n"      // 10: duplicate of line 2's code
                           "35.78.01.1001.009,35.78.01.1001,100,,,,,-1\n"    // 11: negative hours
                           "35.78.01.1001.010,35.78.01.1001,100,50,,,,\n"    // 12: dpt_l without dpt_p
                           "35.78.01.1001.011,35.78.01.1001,10,,,11,,\n"     // 13: more disabled than voters
                           "35.78.01.1001.000,35.78.01.1001,10,,,,,\n";      // 14: TPS 000
  const std::string refusal = Refusal(text);
  for (const char* expected : {
           "tps.csv:2: dpt: negative DPT -3",
           "tps.csv:3: dpt: DPT 301 is over the election's cap of 300 voters per TPS",
           "tps.csv:4: dpt: expected a whole number, found 'abc'",
           "tps.csv:5: dpt_l: dpt_l + dpt_p = 110, not the DPT 100",
           "tps.csv:6: village_code: unknown village '99.99.99.9999'",
           "tps.csv:7: tps_code: '35.78.01.1002.006' does not start with its village code '35.78.01.1001'",
           "tps.csv:8: short row: expected 8 fields, found 2",
           "tps.csv:9: access: 'boat' is not one of road, river, sea, air, foot",
           "tps.csv:10: tps_code: '35.78.01.1001.001' appears twice (first on line 2)",
           "tps.csv:11: travel_hours: expected hours between 0 and 720, found '-1'",
           "tps.csv:12: dpt_p: dpt_l and dpt_p are given together or not at all",
           "tps.csv:13: disabled: more voters with disabilities than the DPT 10",
           "tps.csv:14: tps_code: TPS numbers start at 001",
       }) {
    EXPECT_NE(std::string::npos, refusal.find(expected)) << expected << "\nin:\n" << refusal;
  }
}

TEST(TpsFileTest, RefusesMissingAndUnknownColumnsAndEmptyFiles) {
  EXPECT_NE(std::string::npos, Refusal("tps_code,dpt,ward\n").find("tps.csv:1: ward: unknown column"));
  EXPECT_NE(std::string::npos,
            Refusal("tps_code,dpt,ward\n").find("tps.csv:1: village_code: required column is missing"));
  EXPECT_NE(std::string::npos, Refusal("").find("tps.csv:1: the file is empty"));
  EXPECT_NE(std::string::npos, Refusal(kHeader).find("tps.csv:2: no TPS rows after the header"));
  EXPECT_NE(std::string::npos, Refusal("tps_code,village_code,dpt\nx,35.78.01.1001,1\n").find("is not a TPS code"));
  EXPECT_NE(
      std::string::npos,
      Refusal("tps_code,village_code,dpt\n35.78.01.1001.001,35.78.01,1\n").find("'35.78.01' is not a village code"));
}

TEST(TpsFileTest, TheCapFollowsTheElection) {
  EXPECT_TRUE(Parse("tps_code,village_code,dpt\n35.78.01.1001.001,35.78.01.1001,600\n", 600).ok());
  EXPECT_FALSE(Parse("tps_code,village_code,dpt\n35.78.01.1001.001,35.78.01.1001,601\n", 600).ok());
}

TEST(TpsFileTest, MenAndWomenAreAddedWithoutOverflow) {
  // Confirmed with fuzz/tps_fuzzer (fuzz/corpus/tps/dpt-l-at-int32-max.csv): the sum of dpt_l and dpt_p overflowed
  // int32.
  const std::string refusal =
      Refusal("tps_code,village_code,dpt,dpt_l,dpt_p\n35.78.01.1001.001,35.78.01.1001,300,2147483647,1\n");
  EXPECT_NE(std::string::npos, refusal.find("tps.csv:2: dpt_l: dpt_l + dpt_p = 2147483648, not the DPT 300"))
      << refusal;
}

TEST(TpsFileTest, WritingAndReadingAgainGivesTheSameTps) {
  const std::string text = testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string());
  auto tps = Parse(text).value();
  std::string written;
  WriteTpsCsv(testing::FixtureRegions(), tps, written);
  auto again = Parse(written);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  std::string rewritten;
  WriteTpsCsv(testing::FixtureRegions(), again.value(), rewritten);
  EXPECT_EQ(written, rewritten);
}

TEST(VoterCountTest, AddsUpEveryLevel) {
  const RegionSet& regions = testing::FixtureRegions();
  auto tps = Parse(testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string())).value();
  VoterCounts counts = CountVoters(regions, tps);
  EXPECT_EQ(7, counts.national.tps);
  EXPECT_EQ(1221, counts.national.dpt);
  EXPECT_EQ(4, counts.by_region[regions.Find("35.78")].tps);
  EXPECT_EQ(751, counts.by_region[regions.Find("35.78")].dpt);
  EXPECT_EQ(550, counts.by_region[regions.Find("35.78.01.1001")].dpt);
}

}  // namespace tepat::geo
