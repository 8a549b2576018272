// End-to-end tests of the command line, in process, over a real SQLite file: the fixture regions, TPS and dapil,
// golden needs files, bad input that changes nothing, and every output format.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/testing.h"

namespace tepat::cli {

namespace {

using testing::RunCli;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("t.db");
    Ok({"init"});
    Ok({"import", "regions", (testing::FixtureDir() / "regions").string()});
  }

  std::string Ok(std::vector<std::string> args) { return testing::CliOk(db_, std::move(args)); }
  std::string Refused(std::vector<std::string> args) { return testing::CliRefused(db_, std::move(args)); }
  std::string Fixture(const char* name) { return (testing::FixtureDir() / name).string(); }
  void LoadPemilu() {
    Ok({"import", "tps", "--election", "pemilu-2024", Fixture("pemilu-tps.csv")});
    Ok({"import", "dapil", "--election", "pemilu-2024", Fixture("pemilu-dapil.csv")});
  }
  void Golden(const std::string& name, const std::string& actual) { testing::ExpectGolden(name, actual); }

  testing::TempDir dir_;
  std::string db_;
};

}  // namespace

TEST_F(CliTest, NeedsMatchTheGoldenFiles) {
  LoadPemilu();
  Golden("pemilu-needs-tps.csv", Ok({"needs", "--election", "pemilu-2024", "--level", "tps", "--format", "csv"}));
  Golden("pemilu-needs-province.txt", Ok({"needs", "--election", "pemilu-2024", "--level", "province"}));
  Ok({"import", "tps", "--election", "pilkada-2024", Fixture("pilkada-tps.csv")});
  Golden("pilkada-needs-tps.csv", Ok({"needs", "--election", "pilkada-2024", "--level", "tps", "--format", "csv"}));
}

TEST_F(CliTest, NeedsCsvHasTheAgreedShape) {
  LoadPemilu();
  const std::string csv = Ok({"needs", "--election", "pemilu-2024", "--format", "csv"});
  EXPECT_EQ(0u, csv.find("region_code,level,item_code,quantity\n,national,surat_suara:PPWP:nasional,"));
  EXPECT_NE(std::string::npos, csv.find("\n31,province,kotak_suara,8\n"));  // 2 TPS in DKI × 4 boxes
  EXPECT_EQ(std::string::npos, csv.find(",regency,"));                      // only down to --level (province)
  // A region narrows the rows to it and what lies under it.
  const std::string surabaya =
      Ok({"needs", "--election", "pemilu-2024", "--region", "35.78", "--level", "tps", "--format", "csv"});
  EXPECT_NE(std::string::npos, surabaya.find("\n35.78,regency,surat_suara_psu:DPRD_KAB:35.78-02,1000\n"));
  EXPECT_NE(std::string::npos, surabaya.find("\n35.78.01.1001.001,tps,surat_suara:PPWP:nasional,306\n"));
  EXPECT_EQ(std::string::npos, surabaya.find("\n31"));
  EXPECT_EQ(std::string::npos, surabaya.find(",national,"));
}

TEST_F(CliTest, NeedsJsonCarriesTheSameRows) {
  LoadPemilu();
  const std::string csv = Ok({"needs", "--election", "pemilu-2024", "--level", "village", "--format", "csv"});
  auto json =
      nlohmann::json::parse(Ok({"needs", "--election", "pemilu-2024", "--level", "village", "--format", "json"}));
  EXPECT_EQ("pemilu-2024", json["election"]);
  const auto& rows = json["rows"];
  EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n') - 1), rows.size());
  EXPECT_EQ("", rows[0]["region_code"]);
  EXPECT_EQ("national", rows[0]["level"]);
  EXPECT_TRUE(rows[0]["quantity"].is_number_integer());
}

TEST_F(CliTest, NeedsXlsxHasASheetPerLevel) {
  LoadPemilu();
  const std::string path = dir_.File("needs.xlsx");
  Ok({"needs", "--election", "pemilu-2024", "--level", "village", "--format", "xlsx", "--out", path});
  const std::string bytes = testing::ReadText(path);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ("PK", bytes.substr(0, 2));  // a zip container
  // National, province, regency, district and village: five worksheets, and no sixth.
  EXPECT_NE(std::string::npos, bytes.find("xl/worksheets/sheet5.xml"));
  EXPECT_EQ(std::string::npos, bytes.find("xl/worksheets/sheet6.xml"));
  EXPECT_NE(std::string::npos, Refused({"needs", "--election", "pemilu-2024", "--format", "xlsx"}).find("--out"));
}

TEST_F(CliTest, RegionsListWithCounts) {
  LoadPemilu();
  const std::string csv = Ok({"regions", "--parent", "35.78", "--election", "pemilu-2024", "--format", "csv"});
  EXPECT_EQ(
      "code,name,level,parent_code,tps,dpt\n"
      "35.78.01,Karang Pilang,district,35.78,3,551\n"
      "35.78.02,Wonocolo,district,35.78,0,0\n"
      "35.78.03,Rungkut,district,35.78,1,200\n",
      csv);
  const std::string table = Ok({"regions", "--election", "pemilu-2024"});
  EXPECT_NE(std::string::npos, table.find("Jumlah: 3 wilayah"));
  auto json = nlohmann::json::parse(Ok({"regions", "--level", "regency", "--format", "json"}));
  EXPECT_EQ(4u, json.size());
  EXPECT_EQ("Kota Surabaya", json[3]["name"]);
}

TEST_F(CliTest, ABadTpsFileChangesNothing) {
  LoadPemilu();
  const std::string before = Ok({"needs", "--election", "pemilu-2024", "--level", "tps", "--format", "csv"});
  const std::string bad = dir_.File("bad.csv");
  testing::WriteText(bad,
                     "tps_code,village_code,dpt\n35.78.01.1001.001,35.78.01.1001,120\n"
                     "35.78.01.1001.009,35.78.01.1001,301\n");
  const std::string err = Refused({"import", "tps", "--election", "pemilu-2024", bad});
  EXPECT_NE(std::string::npos, err.find(bad + ":3: dpt: DPT 301 is over the election's cap of 300"));
  EXPECT_NE(std::string::npos, err.find("nothing was imported"));
  EXPECT_EQ(before, Ok({"needs", "--election", "pemilu-2024", "--level", "tps", "--format", "csv"}));
}

TEST_F(CliTest, NewTpsMustHaveTheirDapil) {
  LoadPemilu();
  const std::string file = dir_.File("wonocolo.csv");
  testing::WriteText(file, "tps_code,village_code,dpt\n35.78.02.1001.001,35.78.02.1001,100\n");
  Ok({"import", "tps", "--election", "pemilu-2024", file});  // Wonocolo is in DPRD_KAB dapil 35.78-01
  testing::WriteText(file, "tps_code,village_code,dpt\n34.71.02.1001.001,34.71.02.1001,100\n");
  Ok({"import", "tps", "--election", "pemilu-2024", file});
  // A dapil file that leaves Jetis (34.71.02) out is refused, and the old dapil stay.
  std::string dapil = testing::ReadText(Fixture("pemilu-dapil.csv"));
  dapil.replace(dapil.find("DPRD_KAB,34.71-01,Kota Yogyakarta 1,34.71.02\n"),
                std::string("DPRD_KAB,34.71-01,Kota Yogyakarta 1,34.71.02\n").size(), "");
  testing::WriteText(dir_.File("dapil.csv"), dapil);
  const std::string err = Refused({"import", "dapil", "--election", "pemilu-2024", dir_.File("dapil.csv")});
  EXPECT_NE(std::string::npos, err.find("DPRD_KAB: 1 TPS in district 34.71.02 (Jetis) has no dapil"));
  Ok({"needs", "--election", "pemilu-2024"});
}

TEST_F(CliTest, NeedsWithoutDapilSaysWhatToDo) {
  Ok({"import", "tps", "--election", "pemilu-2024", Fixture("pemilu-tps.csv")});
  EXPECT_NE(std::string::npos,
            Refused({"needs", "--election", "pemilu-2024"}).find("pemilu-2024 has no dapil: run `tepat import dapil"));
  EXPECT_NE(std::string::npos, Refused({"needs", "--election", "pilkada-2024"}).find("has no TPS"));
  EXPECT_NE(std::string::npos,
            Refused({"needs", "--election", "pemilu-2024", "--region", "35.78.01.1001.001"}).find("--region"));
  auto usage = RunCli({"--db", db_, "needs", "--election", "pemilu-2024", "--level", "kota"});
  EXPECT_EQ(2, usage.code);
  EXPECT_NE(std::string::npos, usage.err.find("--level"));
  EXPECT_NE(std::string::npos, Refused({"needs", "--election", "pemilu-2029"}).find("unknown election"));
}

TEST_F(CliTest, ElectionShowIsReadable) {
  const std::string text = Ok({"election", "show", "pemilu-2024"});
  EXPECT_NE(std::string::npos, text.find("Pemilihan Umum 2024 (pemilu-2024)"));
  EXPECT_NE(std::string::npos, text.find("DPT + ceil(2% × DPT)"));
  EXPECT_NE(std::string::npos, Ok({"election", "show", "pilkada-2024"}).find("ceil(2.5% × DPT)"));
  EXPECT_NE(std::string::npos, Ok({"election", "list"}).find("pilkada-2024"));
}

TEST(CliUsageTest, ADatabaseMustBeInitialised) {
  testing::TempDir dir;
  auto result = RunCli({"--db", dir.File("new.db"), "regions"});
  EXPECT_EQ(1, result.code);
  EXPECT_NE(std::string::npos, result.err.find("run `tepat --db " + dir.File("new.db") + " init` first"));
  EXPECT_EQ(2, RunCli({"frobnicate"}).code);
  EXPECT_EQ(0, RunCli({"--help"}).code);
}

TEST(CliBinaryTest, TheBuiltToolRuns) {
  // The installed binary, as a user runs it.
  const std::string command = std::string(TEPAT_BINARY) + " election list > /dev/null";
  EXPECT_EQ(0, std::system(command.c_str()));
}

}  // namespace tepat::cli
