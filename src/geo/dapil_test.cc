// Tests of the dapil file and the village → dapil lookup.
#include "geo/dapil.h"

#include <gtest/gtest.h>

#include "election/definition.h"
#include "testing/testing.h"

namespace tepat::geo {

namespace {

std::vector<DapilContest> Contests() { return election::LoadBuiltin("pemilu-2024").value().DapilContests(); }

std::vector<Tps> FixtureTps() {
  return ParseTpsCsv("tps.csv", testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string()),
                     testing::FixtureRegions(), 300)
      .value();
}

Result<DapilSet> Parse(const std::string& text, const std::vector<Tps>& tps = {}) {
  return ParseDapilCsv("dapil.csv", text, testing::FixtureRegions(), Contests(), tps);
}

std::string Refusal(const std::string& text, const std::vector<Tps>& tps = {}) {
  auto result = Parse(text, tps);
  EXPECT_FALSE(result.ok());
  return result.ok() ? "" : result.error().ToString();
}

constexpr const char* kHeader = "contest,dapil_code,dapil_name,region_code\n";

}  // namespace

TEST(DapilFileTest, TheFixtureCoversEveryTps) {
  const RegionSet& regions = testing::FixtureRegions();
  auto result = Parse(testing::ReadText((testing::FixtureDir() / "pemilu-dapil.csv").string()), FixtureTps());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const DapilSet& dapils = result.value();
  EXPECT_EQ(10u, dapils.dapils().size());
  // DPRD_KAB (contest 2 of the dapil contests) in Surabaya: Rungkut is dapil 2.
  const int32_t dapil = dapils.ForVillage(2, regions.Find("35.78.03.1001"));
  ASSERT_GE(dapil, 0);
  EXPECT_EQ("35.78-02", dapils.dapils()[dapil].code);
  EXPECT_FALSE(dapils.Held(2, regions.Find("31.71.01.1001")));  // no DPRD_KAB in DKI Jakarta
  EXPECT_EQ(-1, dapils.ForVillage(2, regions.Find("31.71.01.1001")));
}

TEST(DapilFileTest, RefusesOverlapsUnknownsAndStrays) {
  const std::string text = std::string(kHeader) +
                           "DPR,35-01,Jawa Timur I,35.78\n"                // 2
                           "DPR,35-02,Jawa Timur II,35.78.01\n"            // 3: inside 35.78 of dapil 35-01
                           "DPD,35-01,Jawa Timur,35.78\n"                  // 4: DPD is not by dapil
                           "DPR,35-03,Jawa Timur III,35.99\n"              // 5: unknown regency
                           "DPR,35-04,Jawa Timur IV,35\n"                  // 6: a province
                           "DPRD_KAB,31.71-01,Jakarta Pusat 1,31.71.01\n"  // 7: no DPRD_KAB in DKI
                           "DPRD_KAB,35.78-01,Surabaya 1,35.78\n"          // 8: DPRD_KAB is made of districts
                           "DPRD_PROV,35-01,Jawa Timur 1,35.78\n"          // 9
                           "DPRD_PROV,35-01,Jawa Timur 1,34.71\n"          // 10: another province
                           "DPRD_PROV,35-02,,35.78.02\n"                   // 11: empty name, and overlap with line 9
                           "DPR,35-01,Jatim I,35.78\n";                    // 12: name differs; same region again
  const std::string refusal = Refusal(text);
  for (const char* expected : {
           "dapil.csv:3: region_code: 35.78.01 overlaps 35.78 of DPR dapil 35-01 (line 2)",
           "dapil.csv:4: contest: 'DPD' is not a contest by dapil in this election",
           "dapil.csv:5: region_code: unknown region '35.99'",
           "dapil.csv:6: region_code: '35' is not a regency or district code",
           "dapil.csv:7: region_code: DPRD_KAB is not held in province 31",
           "dapil.csv:8: region_code: a DPRD_KAB dapil is made of regions below the regency level",
           "dapil.csv:10: region_code: 34.71 lies outside 35 (Jawa Timur), where dapil 35-01 lies",
           "dapil.csv:11: dapil_name: empty dapil name",
           "dapil.csv:11: region_code: 35.78.02 overlaps 35.78 of DPRD_PROV dapil 35-01 (line 9)",
           "dapil.csv:12: dapil_name: 'Jatim I' differs from the name 'Jawa Timur I' on line 2",
           "dapil.csv:12: region_code: 35.78 overlaps 35.78 of DPR dapil 35-01 (line 2)",
       }) {
    EXPECT_NE(std::string::npos, refusal.find(expected)) << expected << "\nin:\n" << refusal;
  }
}

TEST(DapilFileTest, RefusesATpsWithoutItsDapil) {
  // The fixture without Rungkut's DPRD_KAB dapil: the TPS in 35.78.03 have none.
  std::string text = testing::ReadText((testing::FixtureDir() / "pemilu-dapil.csv").string());
  text = text.substr(0, text.find("DPRD_KAB,35.78-02"));
  const std::string refusal = Refusal(text, FixtureTps());
  EXPECT_NE(std::string::npos, refusal.find("dapil.csv: DPRD_KAB: 1 TPS in district 35.78.03 (Rungkut) has no dapil"))
      << refusal;
}

TEST(DapilFileTest, RefusesEmptyFiles) {
  EXPECT_NE(std::string::npos, Refusal("").find("dapil.csv:1: the file is empty"));
  EXPECT_NE(std::string::npos, Refusal(kHeader).find("dapil.csv:2: no dapil rows after the header"));
  EXPECT_NE(std::string::npos,
            Refusal("contest,dapil_code,region_code\n").find("dapil_name: required column is missing"));
}

TEST(DapilFileTest, WritingAndReadingAgainGivesTheSameDapil) {
  auto dapils = Parse(testing::ReadText((testing::FixtureDir() / "pemilu-dapil.csv").string())).value();
  std::string written;
  WriteDapilCsv(testing::FixtureRegions(), dapils, written);
  EXPECT_EQ(testing::ReadText((testing::FixtureDir() / "pemilu-dapil.csv").string()), written);
}

TEST(DapilFileTest, CodesAndNamesWithCommasQuotesAndLineBreaksReadBack) {
  // Found by fuzz/dapil_fuzzer (fuzz/corpus/dapil/line-break-in-code.csv): a code was written without quotes, and a
  // name was quoted for a comma or a quote but not for a line break, so the file written did not read back.
  const std::string text = std::string(kHeader) +
                           "DPR,\"35-01, \"\"Surabaya\"\"\",\"Jawa Timur\nI\",35.78\n"
                           "DPR,31-01,\"DKI Jakarta, I\",31.71\n";
  const DapilSet dapils = Parse(text).value();
  std::string written;
  WriteDapilCsv(testing::FixtureRegions(), dapils, written);
  EXPECT_EQ(text, written);
  const DapilSet again = Parse(written).value();
  ASSERT_EQ(2u, again.dapils().size());
  EXPECT_EQ("35-01, \"Surabaya\"", again.dapils()[0].code);
  EXPECT_EQ("Jawa Timur\nI", again.dapils()[0].name);
}

}  // namespace tepat::geo
