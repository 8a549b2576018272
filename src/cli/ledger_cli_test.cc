// The ledger, readiness and scenario commands end to end, in process, over a real SQLite file: a scenario whose
// readiness must equal its injected truth, replay and export, tampering that verify must find, refused input that
// leaves no trace, and two importers posting at once.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <thread>

#include "common/csv.h"
#include "store/postgres/pg.h"
#include "store/store.h"
#include "testing/testing.h"

namespace tepat::cli {

namespace {

using testing::RunCli;

// Anomaly rates far above 2024's, so that the seven fixture TPS show every kind of problem the ledger can hold.
constexpr const char* kHighRates = R"(missing = 0.15
short_kit = 0.3
excess_kit = 0.2
wrong_variant = 0.3
misrouted = 0.6
damaged = 0.3
unsealed = 0.3
late = 0.2
)";

// Each test runs on an SQLite file and on a PostgreSQL database (testing::TestPostgres).
class LedgerCliTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (Postgres() && pg_.url().empty()) {
      if (testing::TestPostgres::Required()) FAIL() << pg_.why();
      GTEST_SKIP() << pg_.why();
    }
    db_ = Postgres() ? pg_.url() : dir_.File("t.db");
    Ok({"init"});
    Ok({"import", "regions", (testing::FixtureDir() / "regions").string()});
    Ok({"import", "tps", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-tps.csv").string()});
    Ok({"import", "dapil", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-dapil.csv").string()});
    testing::WriteText(dir_.File("rates.toml"), kHighRates);
  }
  std::string Ok(std::vector<std::string> args, const std::string& db = "") {
    args.insert(args.begin(), {"--db", db.empty() ? db_ : db});
    auto result = RunCli(args);
    EXPECT_EQ(0, result.code) << result.err;
    return result.out;
  }
  std::string Refused(std::vector<std::string> args, const std::string& db = "") {
    args.insert(args.begin(), {"--db", db.empty() ? db_ : db});
    auto result = RunCli(args);
    EXPECT_EQ(1, result.code) << result.out;
    return result.err;
  }
  std::string Play(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        "scenario",         "play",    "--election",      "pemilu-2024", "--seed",           "11", "--rates",
        File("rates.toml"), "--truth", File("truth.csv"), "--ndjson",    File("docs.ndjson")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ok(args);
  }
  std::string File(const std::string& name) { return dir_.File(name); }
  // The audit trail's document.post entries, newest first, each as its CSV fields (seq, at, actor, address, action,
  // target, region, outcome, detail).
  std::vector<std::vector<std::string>> AuditOfPosts() {
    const std::string csv = Ok({"audit", "--action", "document.post", "--limit", "0"});
    std::vector<std::vector<std::string>> rows;
    CsvReader reader(csv);
    std::vector<std::string_view> fields;
    for (bool header = true; reader.Next(fields); header = false) {
      if (!header) rows.emplace_back(fields.begin(), fields.end());
    }
    return rows;
  }
  bool Postgres() const { return GetParam() == "postgres"; }
  // A new, empty database of the test's backend.
  std::string Database(const std::string& name) { return Postgres() ? pg_.Another() : File(name + ".db"); }
  void Sql(const std::string& db, const std::string& sql) {
    if (Postgres()) {
      auto conn = store::pg::Connection::Open(db);
      ASSERT_TRUE(conn.ok()) << conn.error().ToString();
      const Status done = conn.value()->Exec(sql, "test SQL");
      EXPECT_TRUE(done.ok()) << done.error().ToString();
      return;
    }
    sqlite3* handle = nullptr;
    ASSERT_EQ(SQLITE_OK, sqlite3_open(db.c_str(), &handle));
    char* error = nullptr;
    EXPECT_EQ(SQLITE_OK, sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error)) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(handle);
  }
  // A copy of the database after `Play`, for tampering.
  std::string Copy(const std::string& name) {
    if (Postgres()) return pg_.Another(db_);
    Sql(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    std::filesystem::copy_file(db_, File(name));
    return File(name);
  }

  testing::TempDir dir_;
  testing::TestPostgres pg_;
  std::string db_;
};

TEST_P(LedgerCliTest, ReadinessEqualsTheInjectedTruth) {
  const std::string out = Play();
  EXPECT_NE(std::string::npos, out.find("readiness derived from the ledger matches the truth exactly")) << out;
  const std::string truth = testing::ReadText(File("truth.csv"));
  std::set<std::string> problems;
  for (size_t at = truth.find('\n'); at != std::string::npos && at + 1 < truth.size(); at = truth.find('\n', at + 1)) {
    const size_t comma = truth.find(',', at);
    problems.insert(truth.substr(comma + 1, truth.find('\n', comma) - comma - 1));
  }
  EXPECT_GE(problems.size(), 4u) << truth;
  EXPECT_EQ(truth, Ok({"readiness", "problems", "--election", "pemilu-2024", "--format", "csv"}));
  // Readiness as the command line prints it, on either backend: the golden files (TEPAT_UPDATE_GOLDEN=1 rewrites).
  testing::ExpectGolden("pemilu-readiness-district.csv",
                        Ok({"readiness", "--election", "pemilu-2024", "--level", "district", "--format", "csv"}));
  testing::ExpectGolden("pemilu-readiness-province.txt", Ok({"readiness", "--election", "pemilu-2024"}));
  testing::ExpectGolden("pemilu-readiness-problems.csv", truth);
  // The same by region: Surabaya's TPS only.
  const std::string surabaya = Ok({"readiness", "problems", "--election", "pemilu-2024", "--region", "35.78"});
  EXPECT_EQ(std::string::npos, surabaya.find("31.71.")) << surabaya;
  EXPECT_NE(std::string::npos, Ok({"ledger", "verify"}).find("ledger verify: ok"));
}

TEST_P(LedgerCliTest, ReplayAndExportChangeNothing) {
  Play();
  const std::string before = Ok({"readiness", "--election", "pemilu-2024", "--format", "csv"});
  EXPECT_NE(std::string::npos, Ok({"ledger", "import", File("docs.ndjson")}).find("0 documents posted"));
  Ok({"ledger", "export", "--format", "ndjson", "--out", File("export.ndjson")});
  EXPECT_TRUE(testing::ReadText(File("docs.ndjson")) == testing::ReadText(File("export.ndjson")));
  EXPECT_GT(testing::ReadText(File("docs.ndjson")).size(), 10000u);
  Ok({"ledger", "import", File("export.ndjson")});
  EXPECT_EQ(before, Ok({"readiness", "--election", "pemilu-2024", "--format", "csv"}));
  // Importing the export into a new database gives the same readiness and the same chain.
  const std::string other = Database("other");
  Ok({"init"}, other);
  Ok({"import", "regions", (testing::FixtureDir() / "regions").string()}, other);
  Ok({"import", "tps", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-tps.csv").string()}, other);
  Ok({"import", "dapil", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-dapil.csv").string()}, other);
  Ok({"ledger", "import", File("export.ndjson")}, other);
  EXPECT_EQ(before, Ok({"readiness", "--election", "pemilu-2024", "--format", "csv"}, other));
  auto head = [](const std::string& verify) { return verify.substr(verify.find("chain head"), 75); };
  EXPECT_EQ(head(Ok({"ledger", "verify"})), head(Ok({"ledger", "verify"}, other)));
}

TEST_P(LedgerCliTest, VerifyFindsEveryKindOfTampering) {
  Play();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"UPDATE ledger_movement SET quantity = quantity + 1 WHERE seq = 3 AND line = 0",
       "its stored movement lines differ"},
      {"UPDATE ledger_document SET body = replace(body, 'SJ/', 'SX/') WHERE seq = 1", "its body does not match"},
      {"DELETE FROM ledger_movement WHERE seq = 4; DELETE FROM ledger_document WHERE seq = 4",
       "a document was removed"},
      {"UPDATE ledger_balance SET quantity = quantity + 1 WHERE (node_id, article_id) = "
       "(SELECT node_id, article_id FROM ledger_balance LIMIT 1)",
       "the balance of"},
      {"INSERT INTO ledger_balance SELECT node_id, article_id + 100000, 7 FROM ledger_balance LIMIT 1",
       "the balance of"},
      {"UPDATE readiness_tps SET kits = kits + 1 WHERE tps = (SELECT min(tps) FROM readiness_tps)",
       "the readiness of TPS"},
      {"UPDATE ledger_document SET hash = 'x' || substr(hash, 2) WHERE seq = 2", "the chain is broken"},
  };
  int n = 0;
  for (const auto& [sql, expected] : cases) {
    const std::string copy = Copy("tampered" + std::to_string(++n) + ".db");
    ASSERT_FALSE(copy.empty());
    Sql(copy, sql);
    const std::string error = Refused({"ledger", "verify"}, copy);
    EXPECT_NE(std::string::npos, error.find(expected)) << sql << "\n" << error;
    // The failure is in the audit trail, for the server's ledger status.
    auto opened = store::OpenStore(copy);
    ASSERT_TRUE(opened.ok());
    auto last = opened.value()->ReadAudit(false, "", "ledger.verify", 0, 1);
    ASSERT_TRUE(last.ok() && last.value().size() == 1) << sql;
    EXPECT_EQ("failed", last.value()[0].outcome);
    EXPECT_NE(std::string::npos, last.value()[0].detail.find(expected)) << last.value()[0].detail;
  }
}

TEST_P(LedgerCliTest, RefusedDocumentsLeaveNoTrace) {
  const std::string uuid = "00000000-0000-4000-8000-00000000000";
  const std::string head = R"({"kind":"goods_receipt","election":"pemilu-2024","at":"2024-01-10T09:00:00+07:00",)"
                           R"("node":"kpu:35.78","signed_by":[{"name":"Ani","role":"KPU"}],)"
                           R"("vendor":"vendor:tahap1-perlengkapan","delivery_note":"SJ-1",)";
  testing::WriteText(
      File("bad.ndjson"),
      "{" + head.substr(1) + R"("id":")" + uuid + R"(1","lines":[{"item":"kotak_suara","good":10}]})" +
          "\n{not json\n" + R"({"id":")" + uuid + R"(2","kind":"dispatch","election":"pemilu-2024",)" +
          R"("at":"2024-01-11T09:00:00+07:00","node":"kpu:35.78","signed_by":[{"name":"Ani","role":"KPU"}],)" +
          R"("to":"ppk:35.78.01","lines":[{"item":"kotak_suara","quantity":11}]})" + "\n" + R"({"id":")" + uuid +
          R"(3","kind":"dispatch","election":"pemilu-2024",)" +
          R"("at":"2024-01-11T09:00:00+07:00","node":"kpu:35.78","signed_by":[{"name":"Ani","role":"KPU"}],)" +
          R"("to":"pps:35.78.01.1001","lines":[{"item":"kotak_suara","quantity":1}]})" + "\n");
  const std::string error = Refused({"ledger", "import", File("bad.ndjson")});
  EXPECT_NE(std::string::npos, error.find("refused and not posted: 3; posted: 1; already posted before: 0")) << error;
  EXPECT_NE(std::string::npos, error.find("bad.ndjson:2: not valid JSON")) << error;
  EXPECT_NE(std::string::npos, error.find("bad.ndjson:3: lines[0].quantity: kpu:35.78 holds 10 of kotak_suara; this "
                                          "document takes 11"))
      << error;
  EXPECT_NE(std::string::npos, error.find("bad.ndjson:4: to: a handover goes between adjacent levels")) << error;
  const std::string exported = Ok({"ledger", "export"});
  EXPECT_EQ(1, std::count(exported.begin(), exported.end(), '\n')) << exported;
  EXPECT_NE(std::string::npos, Ok({"ledger", "verify"}).find("1 documents"));
  // The posted document and the two the ledger refused are in the audit trail, once each, newest first; the line
  // that is not a document never reached the ledger's writer.
  const std::vector<std::vector<std::string>> audit = AuditOfPosts();
  ASSERT_EQ(3u, audit.size());
  EXPECT_EQ((std::vector<std::string>{uuid + "3", "refused"}), (std::vector<std::string>{audit[0][5], audit[0][7]}));
  EXPECT_EQ((std::vector<std::string>{uuid + "2", "refused"}), (std::vector<std::string>{audit[1][5], audit[1][7]}));
  EXPECT_EQ((std::vector<std::string>{uuid + "1", "ok"}), (std::vector<std::string>{audit[2][5], audit[2][7]}));
  EXPECT_EQ("35.78", audit[2][6]);
  EXPECT_EQ("cli", audit[2][3]);
  EXPECT_NE(std::string::npos, audit[1][8].find("holds 10 of kotak_suara")) << audit[1][8];
}

TEST_P(LedgerCliTest, EveryPostedDocumentHasOneAuditEntry) {
  Play();
  const std::string docs = testing::ReadText(File("docs.ndjson"));
  const size_t documents = std::count(docs.begin(), docs.end(), '\n');
  auto posts = [&] {
    std::set<std::string> targets;
    size_t ok = 0;
    for (const auto& row : AuditOfPosts()) {
      EXPECT_EQ("ok", row[7]) << row[8];
      ok += row[7] == "ok";
      targets.insert(row[5]);
    }
    EXPECT_EQ(ok, targets.size());
    return ok;
  };
  EXPECT_EQ(documents, posts());
  // A replay changes nothing and records nothing.
  Ok({"ledger", "import", File("docs.ndjson")});
  EXPECT_EQ(documents, posts());
}

TEST_P(LedgerCliTest, TwoImportersAtOnceLoseNothingAndCountNothingTwice) {
  Play();
  const std::string expected = Ok({"readiness", "--election", "pemilu-2024", "--format", "csv"});
  const std::string fresh = Database("fresh");
  Ok({"init"}, fresh);
  Ok({"import", "regions", (testing::FixtureDir() / "regions").string()}, fresh);
  Ok({"import", "tps", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-tps.csv").string()}, fresh);
  Ok({"import", "dapil", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-dapil.csv").string()}, fresh);
  testing::CliResult results[2];
  std::thread threads[2];
  for (int i = 0; i < 2; ++i) {
    threads[i] = std::thread([&, i] {
      results[i] = RunCli({"--db", fresh, "ledger", "import", "--batch", "3", File("docs.ndjson")});
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(0, results[0].code) << results[0].err;
  EXPECT_EQ(0, results[1].code) << results[1].err;
  EXPECT_EQ(expected, Ok({"readiness", "--election", "pemilu-2024", "--format", "csv"}, fresh));
  EXPECT_TRUE(testing::ReadText(File("docs.ndjson")) == Ok({"ledger", "export"}, fresh));
  EXPECT_NE(std::string::npos, Ok({"ledger", "verify"}, fresh).find("ledger verify: ok"));
}

TEST_P(LedgerCliTest, UntilStopsThePlayBeforeTheDeadline) {
  Play({"--until", "H-3"});
  const std::string truth = testing::ReadText(File("truth.csv"));
  EXPECT_EQ(std::string::npos, truth.find("not_delivered")) << truth;
  EXPECT_EQ(std::string::npos, truth.find("late")) << truth;
  const std::string csv = Ok({"readiness", "--election", "pemilu-2024", "--level", "province", "--format", "csv"});
  EXPECT_NE(std::string::npos, csv.find("region_code,level,name,tps,state_not_delivered,state_in_transit")) << csv;
  // At H-3 the kits have left the warehouses (H-7) and none has reached a KPPS (H-2).
  EXPECT_NE(std::string::npos, csv.find(",national,Indonesia,7,0,7,0,")) << csv;
}

TEST_P(LedgerCliTest, PilkadaPlaysToo) {
  Ok({"import", "tps", "--election", "pilkada-2024", (testing::FixtureDir() / "pilkada-tps.csv").string()});
  const std::string out = Ok({"scenario", "play", "--election", "pilkada-2024", "--seed", "5", "--rates",
                              File("rates.toml"), "--truth", File("pilkada-truth.csv")});
  EXPECT_NE(std::string::npos, out.find("matches the truth exactly")) << out;
  // Both elections' ledgers live in one database and verify together.
  Play();
  EXPECT_NE(std::string::npos, Ok({"ledger", "verify"}).find("ledger verify: ok"));
  EXPECT_EQ(testing::ReadText(File("truth.csv")), Ok({"readiness", "problems", "--election", "pemilu-2024"}));
}

TEST_P(LedgerCliTest, ATpsShowsItsNeedsAndDocuments) {
  Play();
  const std::string out = Ok({"readiness", "tps", "35.78.01.1001.001", "--election", "pemilu-2024"});
  EXPECT_NE(std::string::npos, out.find("TPS 35.78.01.1001.001")) << out;
  EXPECT_NE(std::string::npos, out.find("surat_suara:PPWP:nasional")) << out;
  // Its kit's whole journey: packed at the KPU kab/kota, handed to the PPK, the PPS and a KPPS.
  EXPECT_NE(std::string::npos, out.find("dikemas di kpu:35.78")) << out;
  EXPECT_NE(std::string::npos, out.find("kpu:35.78 → ppk:35.78.01")) << out;
  EXPECT_NE(std::string::npos, out.find("pps:35.78.01.1001 dari ppk:35.78.01")) << out;
  // The QR label names the kit, its TPS and its contents; the kit ends where it was received.
  const std::string kit = Ok({"ledger", "kit", "KIT-35.78.03.1001.001", "--election", "pemilu-2024"});
  EXPECT_NE(std::string::npos, kit.find("untuk TPS 35.78.03.1001.001")) << kit;
  EXPECT_NE(std::string::npos, kit.find("surat_suara:DPRD_KAB:")) << kit;
  const std::string label = kit.substr(kit.find("(label ") + 7, kit.find(')') - kit.find("(label ") - 7);
  EXPECT_EQ(kit, Ok({"ledger", "kit", label, "--election", "pemilu-2024"}));
  EXPECT_NE(std::string::npos, Refused({"ledger", "kit", "NO-SUCH", "--election", "pemilu-2024"}).find("no kit"));
  const std::string table = Ok({"readiness", "--election", "pemilu-2024"});
  EXPECT_NE(std::string::npos, table.find("Skor tepat")) << table;
  EXPECT_NE(std::string::npos, Refused({"readiness", "tps", "35.78.99.1001.001", "--election", "pemilu-2024"})
                                   .find("unknown TPS '35.78.99.1001.001'"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerCliTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

}  // namespace tepat::cli
