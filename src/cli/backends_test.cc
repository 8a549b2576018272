// The same inputs give the same outputs on both backends, byte for byte: the command-line tool on an SQLite file and
// on a PostgreSQL database (testing::TestPostgres), from `tepat init` and the imports to needs at every level and in
// every format, regions with counts, readiness on an empty ledger and the accounts; then the scenario's documents
// posted through each backend's ledger session, and the ledger (export, verify with its chain head, balances, kits)
// and readiness read back.
#include <gtest/gtest.h>

#include <regex>

#include "testing/testing.h"

namespace tepat::cli {

namespace {

using testing::RunCli;

}  // namespace

TEST(BackendsTest, TheSameInputsGiveTheSameOutputs) {
  testing::TestPostgres pg;
  if (pg.url().empty()) {
    if (testing::TestPostgres::Required()) FAIL() << pg.why();
    GTEST_SKIP() << pg.why();
  }
  testing::TempDir dir;
  const std::string fixtures = testing::FixtureDir().string();
  const std::vector<std::string> databases = {dir.File("t.db"), pg.url()};
  const std::vector<std::vector<std::string>> queries = {
      {"needs", "--election", "pemilu-2024", "--level", "province"},
      {"needs", "--election", "pemilu-2024", "--level", "tps", "--format", "csv"},
      {"needs", "--election", "pemilu-2024", "--level", "village", "--format", "json"},
      {"needs", "--election", "pilkada-2024", "--level", "tps", "--format", "csv"},
      {"regions", "--election", "pemilu-2024", "--format", "csv"},
      {"regions", "--parent", "35.78", "--election", "pilkada-2024"},
      {"readiness", "--election", "pemilu-2024", "--format", "csv"},
      {"user", "list"},
      // After the scenario's documents are posted: the ledger and readiness read from it.
      {"ledger", "export"},
      {"ledger", "verify"},
      {"ledger", "balances", "--election", "pemilu-2024"},
      {"ledger", "kit", "KIT-35.78.01.1001.001", "--election", "pemilu-2024"},
      {"readiness", "--election", "pemilu-2024", "--format", "json"},
      {"readiness", "--election", "pemilu-2024", "--region", "35", "--level", "village", "--format", "csv"},
      {"readiness", "problems", "--election", "pemilu-2024"},
      {"readiness", "tps", "35.78.01.1001.001", "--election", "pemilu-2024"},
  };
  const size_t before_play = 8;  // the queries above the ledger's
  std::vector<std::vector<std::string>> outputs(databases.size());
  for (size_t b = 0; b < databases.size(); ++b) {
    auto run = [&](std::vector<std::string> args, const std::string& input = "") {
      args.insert(args.begin(), {"--db", databases[b]});
      const auto r = RunCli(args, input);
      EXPECT_EQ(0, r.code) << databases[b] << ": " << r.err;
      return r.out;
    };
    run({"init"});
    run({"import", "regions", fixtures + "/regions"});
    run({"import", "tps", "--election", "pemilu-2024", fixtures + "/pemilu-tps.csv"});
    run({"import", "tps", "--election", "pilkada-2024", fixtures + "/pilkada-tps.csv"});
    run({"import", "dapil", "--election", "pemilu-2024", fixtures + "/pemilu-dapil.csv"});
    run({"user", "add", "siti", "--role", "kpu", "--scope", "35.78", "--password-stdin"}, "a-long-passphrase-1\n");
    run({"user", "add", "budi", "--role", "bawaslu", "--scope", "35", "--password-stdin"}, "a-long-passphrase-2\n");
    run({"user", "disable", "budi"});
    // The accounts' creation times are the clock's, not the data's.
    static const std::regex kCreated("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC");
    for (size_t q = 0; q < queries.size(); ++q) {
      if (q == before_play) {
        // The same seed plays the same documents, posted through each backend's ledger session.
        const std::string truth = dir.File("truth-" + std::to_string(b) + ".csv");
        const std::string played =
            run({"scenario", "play", "--election", "pemilu-2024", "--seed", "5", "--truth", truth});
        EXPECT_NE(std::string::npos, played.find("matches the truth exactly")) << databases[b] << ": " << played;
      }
      outputs[b].push_back(std::regex_replace(run(queries[q]), kCreated, "(created)"));
    }
  }
  for (size_t q = 0; q < queries.size(); ++q) {
    std::string command;
    for (const std::string& arg : queries[q]) command += " " + arg;
    EXPECT_FALSE(outputs[0][q].empty()) << "tepat" << command;
    EXPECT_EQ(outputs[0][q], outputs[1][q]) << "tepat" << command << " differs between SQLite and PostgreSQL";
  }
}

}  // namespace tepat::cli
