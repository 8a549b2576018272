// Tests of the SQLite store: migrations, round trips, and writes that fail leaving nothing behind.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/testing.h"

namespace tepat::store {

namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_.File("t.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }

  std::vector<geo::Tps> FixtureTps() {
    return geo::ParseTpsCsv("t", testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string()),
                            testing::FixtureRegions(), 300)
        .value();
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace

TEST_F(SqliteStoreTest, MigratesOnceAndKnowsItsVersion) {
  EXPECT_EQ(Store::LatestSchemaVersion(), store_->SchemaVersion().value());
  ASSERT_TRUE(store_->Migrate().ok());
  EXPECT_EQ(Store::LatestSchemaVersion(), store_->SchemaVersion().value());
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerTepat) {
  sqlite3_exec(store_->handle(), "INSERT INTO schema_version(version, name) VALUES (999, 'future')", nullptr, nullptr,
               nullptr);
  Status status = store_->Migrate();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.error().message().find("newer than this tepat"));
}

TEST_F(SqliteStoreTest, RegionsRoundTripAndReimportUpdatesNames) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  ASSERT_TRUE(store_->SaveRegions(regions).ok());
  auto loaded = store_->LoadRegions().value();
  ASSERT_EQ(regions.size(), loaded.size());
  for (size_t i = 0; i < regions.size(); ++i) {
    EXPECT_EQ(regions.at(i).code, loaded.at(i).code);
    EXPECT_EQ(regions.at(i).name, loaded.at(i).name);
    EXPECT_EQ(regions.at(i).parent, loaded.at(i).parent);
  }
  EXPECT_EQ(regions.islands().size(), loaded.islands().size());
  std::vector<geo::Region> renamed = regions.regions();
  renamed[0].name = "Renamed";
  ASSERT_TRUE(store_->SaveRegions(geo::RegionSet(renamed)).ok());
  EXPECT_EQ("Renamed", store_->LoadRegions().value().at(0).name);
}

TEST_F(SqliteStoreTest, TpsRoundTripAndReplaceByCode) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  ASSERT_TRUE(store_->SaveRegions(regions).ok());
  auto tps = FixtureTps();
  ASSERT_TRUE(store_->SaveTps("pemilu-2024", regions, tps).ok());
  auto loaded = store_->LoadTps("pemilu-2024", regions).value();
  ASSERT_EQ(tps.size(), loaded.size());
  for (size_t i = 0; i < tps.size(); ++i) {
    EXPECT_EQ(tps[i].village, loaded[i].village);
    EXPECT_EQ(tps[i].number, loaded[i].number);
    EXPECT_EQ(tps[i].dpt, loaded[i].dpt);
    EXPECT_EQ(tps[i].dpt_l, loaded[i].dpt_l);
    EXPECT_EQ(tps[i].access, loaded[i].access);
  }
  // The same code again replaces; a new code adds.
  std::vector<geo::Tps> change = {tps[0]};
  change[0].dpt = 99;
  change.push_back(tps[0]);
  change[1].number = 2;
  ASSERT_TRUE(store_->SaveTps("pemilu-2024", regions, change).ok());
  loaded = store_->LoadTps("pemilu-2024", regions).value();
  EXPECT_EQ(tps.size() + 1, loaded.size());
  EXPECT_EQ(99, loaded[0].dpt);
  // Elections are separate.
  EXPECT_TRUE(store_->LoadTps("pilkada-2024", regions).value().empty());
}

TEST_F(SqliteStoreTest, AFailedWriteLeavesNothing) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  ASSERT_TRUE(store_->SaveRegions(regions).ok());
  auto tps = FixtureTps();
  // A RegionSet with a village the database does not have: the foreign key fails on the last row.
  std::vector<geo::Region> more = regions.regions();
  more.push_back({"35.78.03.1099", "Nowhere", geo::Level::kVillage, -1});
  geo::RegionSet wider(more);
  std::vector<geo::Tps> batch = tps;
  for (auto& station : batch) station.village = wider.Find(regions.at(station.village).code);
  batch.push_back({wider.Find("35.78.03.1099"), 1, 10});
  Status status = store_->SaveTps("pemilu-2024", wider, batch);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.error().message().find("FOREIGN KEY"));
  EXPECT_TRUE(store_->LoadTps("pemilu-2024", regions).value().empty());
}

TEST_F(SqliteStoreTest, DapilAreReplacedWhole) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  ASSERT_TRUE(store_->SaveRegions(regions).ok());
  std::vector<geo::Dapil> first = {{"DPR", "35-01", "Jawa Timur I", {regions.Find("35.78")}},
                                   {"DPR", "34-01", "DI Yogyakarta", {regions.Find("34.71")}}};
  ASSERT_TRUE(store_->ReplaceDapil("pemilu-2024", regions, first).ok());
  EXPECT_EQ(2u, store_->LoadDapil("pemilu-2024", regions).value().size());
  std::vector<geo::Dapil> second = {{"DPR", "35-09", "Jawa Timur IX", {regions.Find("35.78"), regions.Find("34.71")}}};
  ASSERT_TRUE(store_->ReplaceDapil("pemilu-2024", regions, second).ok());
  auto loaded = store_->LoadDapil("pemilu-2024", regions).value();
  ASSERT_EQ(1u, loaded.size());
  EXPECT_EQ("35-09", loaded[0].code);
  EXPECT_EQ(2u, loaded[0].regions.size());
}

// A server's connections leave copying the write-ahead log into the database file to Maintain() on another
// connection: a commit of 8 MiB (past SQLite's automatic checkpoint at 1,000 pages) leaves the file as it was, and
// Maintain() copies it in.
TEST_F(SqliteStoreTest, ConnectionsLeaveCheckpointsToMaintain) {
  const std::string path = dir_.File("t.db");
  ASSERT_EQ(SQLITE_OK, sqlite3_exec(store_->handle(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr));
  const auto before = std::filesystem::file_size(path);
  store_->LeaveMaintenanceToOthers();
  ASSERT_EQ(SQLITE_OK, sqlite3_exec(store_->handle(),
                                    "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                    "FROM n WHERE i < 1024) INSERT INTO filler SELECT randomblob(8192) FROM n",
                                    nullptr, nullptr, nullptr));
  EXPECT_EQ(before, std::filesystem::file_size(path));
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 8u << 20);
  auto other = SqliteStore::Open(path);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other.value()->Maintain().ok());
  EXPECT_GT(std::filesystem::file_size(path), before + (8u << 20));
}

TEST(OpenStoreTest, PostgresIsNotYetSupported) {
  auto result = OpenStore("postgresql://tepat@localhost/tepat");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().message().find("PostgreSQL is not supported yet"));
}

}  // namespace tepat::store
