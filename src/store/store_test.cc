// Tests of the storage interface, each run on both backends: an SQLite file and a fresh PostgreSQL database
// (testing::TestPostgres). Migrations, round trips, writes that fail leaving nothing behind, accounts, sessions and
// the append-only audit trail. SQLite's own housekeeping is tested at the end.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <filesystem>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"
#include "testing/testing.h"

namespace tepat::store {

namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      if (pg_.url().empty()) {
        if (testing::TestPostgres::Required()) FAIL() << pg_.why();
        GTEST_SKIP() << pg_.why();
      }
      auto opened = OpenStore(pg_.url());
      ASSERT_TRUE(opened.ok()) << opened.error().ToString();
      store_ = std::move(opened).value();
    } else {
      auto opened = OpenStore(dir_.File("t.db"));
      ASSERT_TRUE(opened.ok()) << opened.error().ToString();
      store_ = std::move(opened).value();
    }
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override { store_.reset(); }

  // Runs SQL on the store's own connection, behind the interface's back.
  void Sql(const std::string& sql) {
    if (auto* pg = dynamic_cast<PgStore*>(store_.get())) {
      ASSERT_TRUE(pg->connection().Exec(sql, "test SQL").ok());
    } else {
      ASSERT_EQ(SQLITE_OK, sqlite3_exec(static_cast<SqliteStore*>(store_.get())->handle(), sql.c_str(), nullptr,
                                        nullptr, nullptr));
    }
  }

  std::vector<geo::Tps> FixtureTps() {
    return geo::ParseTpsCsv("t", testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string()),
                            testing::FixtureRegions(), 300)
        .value();
  }

  testing::TempDir dir_;
  testing::TestPostgres pg_;
  std::unique_ptr<Store> store_;
};

access::AuditEntry Audit(std::string action, std::string region = "") {
  return {0, 1700000000, "os:test", "cli", std::move(action), "t", std::move(region), "ok", ""};
}

}  // namespace

TEST_P(StoreTest, MigratesOnceAndKnowsItsVersion) {
  EXPECT_EQ(Store::LatestSchemaVersion(), store_->SchemaVersion().value());
  ASSERT_TRUE(store_->Migrate().ok());
  EXPECT_EQ(Store::LatestSchemaVersion(), store_->SchemaVersion().value());
}

TEST_P(StoreTest, RefusesADatabaseFromANewerTepat) {
  Sql("INSERT INTO schema_version(version, name) VALUES (999, 'future')");
  Status status = store_->Migrate();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(std::string::npos, status.error().message().find("newer than this tepat"));
}

TEST_P(StoreTest, RegionsRoundTripAndReimportUpdatesNames) {
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
  renamed[0].name = "Renamed\t\\ \"quoted\"\r\n";  // COPY's escapes round trip too
  ASSERT_TRUE(store_->SaveRegions(geo::RegionSet(renamed)).ok());
  EXPECT_EQ(renamed[0].name, store_->LoadRegions().value().at(0).name);
}

TEST_P(StoreTest, TpsRoundTripAndReplaceByCode) {
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

TEST_P(StoreTest, AFailedWriteLeavesNothing) {
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
  std::string message = status.error().message();
  for (char& c : message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(std::string::npos, message.find("foreign key")) << status.error().message();
  EXPECT_TRUE(store_->LoadTps("pemilu-2024", regions).value().empty());
}

TEST_P(StoreTest, DapilAreReplacedWhole) {
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

TEST_P(StoreTest, AccountsSessionsAndAnAppendOnlyAuditTrail) {
  access::Account siti{0, "siti", access::Role::kKpu, "35.78", "$argon2id$x", false, 1700000000};
  const auto id = store_->AddAccount(siti, Audit("user.add", "35.78"));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  const auto again = store_->AddAccount(siti, Audit("user.add", "35.78"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(ErrorKind::kConflict, again.error().kind());
  ASSERT_TRUE(store_
                  ->AddAccount({0, "budi", access::Role::kBawaslu, "31", "$argon2id$y", false, 1700000000},
                               Audit("user.add", "31"))
                  .ok());
  auto found = store_->FindAccount("siti").value();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(id.value(), found->id);
  EXPECT_EQ(access::Role::kKpu, found->role);
  EXPECT_EQ("35.78", found->scope);
  EXPECT_FALSE(store_->FindAccount("nobody").value().has_value());
  const auto listed = store_->ListAccounts().value();
  ASSERT_EQ(2u, listed.size());
  EXPECT_EQ("budi", listed[0].username);
  // A session lives until it expires or ends; disabling with end_sessions ends them all.
  ASSERT_TRUE(store_->SaveSession({"hash-1", id.value(), 100, 200, "10.0.0.7"}, Audit("login", "35.78")).ok());
  ASSERT_TRUE(store_->FindSession("hash-1", 150).value().has_value());
  EXPECT_FALSE(store_->FindSession("hash-1", 200).value().has_value());
  found->disabled = true;
  ASSERT_TRUE(store_->UpdateAccount(*found, true, Audit("user.disable", "35.78")).ok());
  EXPECT_FALSE(store_->FindSession("hash-1", 150).value().has_value());
  EXPECT_TRUE(store_->FindAccountById(id.value()).value()->disabled);
  // The audit trail: newest first, by scope, by action, and never changed.
  const auto all = store_->ReadAudit(false, "", "", 0, 100).value();
  ASSERT_EQ(4u, all.size());  // the refused second siti wrote nothing
  EXPECT_EQ("user.disable", all[0].action);
  EXPECT_EQ(3u, store_->ReadAudit(true, "35", "", 0, 100).value().size());
  EXPECT_EQ(2u, store_->ReadAudit(false, "", "user.add", 0, 100).value().size());
  EXPECT_EQ(all[3].seq, store_->ReadAudit(false, "", "", all[2].seq, 10).value().at(0).seq);
  ASSERT_TRUE(store_->AppendAudit({Audit("ledger.verify"), Audit("ledger.verify")}).ok());
  EXPECT_EQ(2u, store_->ReadAudit(false, "", "ledger.verify", 0, 100).value().size());
  for (const char* change : {"UPDATE audit SET outcome = 'changed'", "DELETE FROM audit"}) {
    if (auto* pg = dynamic_cast<PgStore*>(store_.get())) {
      const Status refused = pg->connection().Exec(change, "changing the audit trail");
      ASSERT_FALSE(refused.ok()) << change;
      EXPECT_NE(std::string::npos, refused.error().message().find("the audit trail is append-only"));
    } else {
      char* message = nullptr;
      EXPECT_NE(SQLITE_OK,
                sqlite3_exec(static_cast<SqliteStore*>(store_.get())->handle(), change, nullptr, nullptr, &message));
      EXPECT_NE(nullptr, std::strstr(message ? message : "", "the audit trail is append-only"));
      sqlite3_free(message);
    }
  }
  EXPECT_EQ(6u, store_->ReadAudit(false, "", "", 0, 100).value().size());
}

TEST_P(StoreTest, AnEmptyLedgerHasNoHeadNoClockAndNoDocuments) {
  EXPECT_EQ(0, store_->Head().value().seq);
  EXPECT_EQ(0, store_->LedgerClock("pemilu-2024").value());
  EXPECT_FALSE(store_->FindDocument("00000000-0000-4000-8000-000000000001").ok());
  EXPECT_FALSE(store_->FindKit("pemilu-2024", "K1").value().has_value());
}

// A PostgreSQL connection the server ends (a restart, a failover) fails the statement under way, and the next one
// connects again.
TEST(PgStoreTest, ABrokenConnectionIsMadeAgain) {
  testing::TestPostgres database;
  if (database.url().empty()) {
    if (testing::TestPostgres::Required()) FAIL() << database.why();
    GTEST_SKIP() << database.why();
  }
  auto opened = PgStore::Open(database.url());
  ASSERT_TRUE(opened.ok());
  PgStore& store = *opened.value();
  ASSERT_TRUE(store.Migrate().ok());
  const auto pid = store.connection().Query("SELECT pg_backend_pid()", {}, "test");
  ASSERT_TRUE(pid.ok());
  auto other = PgStore::Open(database.url());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      other.value()->connection().Query("SELECT pg_terminate_backend($1)", {pid.value().Int(0, 0)}, "test").ok());
  (void)store.ListAccounts();  // fails, or finds the connection gone
  const auto again = store.ListAccounts();
  EXPECT_TRUE(again.ok()) << again.error().ToString();
  const auto moved = store.connection().Query("SELECT pg_backend_pid()", {}, "test");
  ASSERT_TRUE(moved.ok());
  EXPECT_NE(pid.value().Int(0, 0), moved.value().Int(0, 0));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// Writes sent ahead in pipeline mode run in order before the next read, which sees them; a failing one makes the next
// call fail with its own message, skips what was sent after it, and rolls its transaction back whole; the connection
// then works as before, its prepared statements included.
TEST(PgStoreTest, WritesSentAheadFailWithTheFirstFailureAndLeaveNothing) {
  testing::TestPostgres database;
  if (database.url().empty()) {
    if (testing::TestPostgres::Required()) FAIL() << database.why();
    GTEST_SKIP() << database.why();
  }
  auto opened = pg::Connection::Open(database.url());
  ASSERT_TRUE(opened.ok());
  pg::Connection& conn = *opened.value();
  ASSERT_TRUE(conn.Exec("CREATE TABLE t (n BIGINT PRIMARY KEY)", "test").ok());
  const char* insert = "INSERT INTO t(n) VALUES ($1)";
  const char* count = "SELECT count(*), coalesce(sum(n), 0) FROM t";
  {
    pg::Transaction txn(conn);
    for (int64_t n = 1; n <= 2500; ++n) ASSERT_TRUE(conn.Send("put", insert, {n}, "inserting").ok());  // past 1,000
    const auto seen = conn.Prepared("count", count, {}, "counting");
    ASSERT_TRUE(seen.ok()) << seen.error().ToString();
    EXPECT_EQ(2500, seen.value().Int(0, 0));
    ASSERT_TRUE(txn.Commit().ok());
  }
  {
    pg::Transaction txn(conn);
    ASSERT_TRUE(conn.Send("put", insert, {int64_t{9001}}, "inserting 9001").ok());
    ASSERT_TRUE(conn.Send("put", insert, {int64_t{7}}, "inserting 7 again").ok());  // the key exists
    ASSERT_TRUE(conn.Send("put", insert, {int64_t{9002}}, "inserting 9002").ok());
    const Status committed = txn.Commit();
    ASSERT_FALSE(committed.ok());
    EXPECT_NE(std::string::npos, committed.error().ToString().find("inserting 7 again failed"))
        << committed.error().ToString();
    EXPECT_NE(std::string::npos, committed.error().ToString().find("duplicate key")) << committed.error().ToString();
  }
  EXPECT_FALSE(conn.transaction_open());
  const auto after = conn.Prepared("count", count, {}, "counting");
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  EXPECT_EQ(2500, after.value().Int(0, 0));
  EXPECT_EQ(2500 * 2501 / 2, after.value().Int(0, 1));
  // A statement whose preparation failed in a pipeline is prepared again next time.
  ASSERT_TRUE(conn.Send("bad", "INSERT INTO missing_table VALUES ($1)", {int64_t{1}}, "inserting elsewhere").ok());
  EXPECT_FALSE(conn.Collect().ok());
  ASSERT_TRUE(conn.Exec("CREATE TABLE missing_table (n BIGINT)", "test").ok());
  ASSERT_TRUE(conn.Send("bad", "INSERT INTO missing_table VALUES ($1)", {int64_t{1}}, "inserting elsewhere").ok());
  EXPECT_TRUE(conn.Collect().ok());
}
// A server's connections leave copying the write-ahead log into the database file to Maintain() on another
// connection: a commit of 8 MiB (past SQLite's automatic checkpoint at 1,000 pages) leaves the file as it was, and
// Maintain() copies it in.
TEST(SqliteStoreTest, ConnectionsLeaveCheckpointsToMaintain) {
  testing::TempDir dir_;
  const std::string path = dir_.File("t.db");
  auto opened = SqliteStore::Open(path);
  ASSERT_TRUE(opened.ok());
  auto store_ = std::move(opened).value();
  ASSERT_TRUE(store_->Migrate().ok());
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

// Statements shared with PostgreSQL are written with $1, $2, ..., which SQLite numbers in order of first appearance:
// a statement where that order differs from the numbers would bind the wrong values, so it does not prepare unless
// its caller binds by name (as the ledger core's SQLite dialect does).
TEST(SqliteStoreTest, NumberedParametersMustFirstAppearInOrder) {
  testing::TempDir dir;
  auto store = SqliteStore::Open(dir.File("t.db")).value();
  EXPECT_TRUE(Statement(store->handle(), "SELECT $1, $2, $1").ok());
  EXPECT_TRUE(Statement(store->handle(), "SELECT ?1, ?, ?").ok());
  EXPECT_FALSE(Statement(store->handle(), "SELECT $2, $1").ok());
  Statement by_name(store->handle(), "SELECT $2, $1", /*by_name=*/true);
  ASSERT_TRUE(by_name.ok());
  sqlite3_bind_int64(by_name.get(), sqlite3_bind_parameter_index(by_name.get(), "$1"), 1);
  sqlite3_bind_int64(by_name.get(), sqlite3_bind_parameter_index(by_name.get(), "$2"), 2);
  ASSERT_EQ(SQLITE_ROW, by_name.Step());
  EXPECT_EQ(2, by_name.Int(0));
  EXPECT_EQ(1, by_name.Int(1));
}

TEST(OpenStoreTest, APostgresUrlGoesToPostgres) {
  auto result = OpenStore("postgresql://tepat@127.0.0.1:1/none");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string::npos, result.error().message().find("cannot connect to PostgreSQL"))
      << result.error().ToString();
}

}  // namespace tepat::store
