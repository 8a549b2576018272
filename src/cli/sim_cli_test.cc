// The distribution plan and its simulation end to end, in process, on an SQLite file and on PostgreSQL: plans
// generated, exported and imported (a bad one refused, changing nothing); projections the same whatever the thread
// count; what-if changes and mitigation compared on the same scenarios; a live projection from the ledger; a saved
// projection feeding the vulnerability register.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/store.h"
#include "testing/testing.h"

namespace tepat::cli {

namespace {

using nlohmann::json;

class SimCliTest : public testing::WorldTest {
 protected:
  // Real regions and the synthetic TPS of Maluku Utara (about 6,800, many reached by sea), with the national dapil.
  void SetUp() override { MakeWorldOf("82."); }
  json Simulate(std::vector<std::string> more) {
    std::vector<std::string> args = {"simulate", "--election", "pemilu-2024", "--scenarios", "300", "--format", "json"};
    if (std::find(more.begin(), more.end(), "--seed") == more.end()) more.insert(more.end(), {"--seed", "3"});
    args.insert(args.end(), more.begin(), more.end());
    return json::parse(Ok(args));
  }
};

TEST_P(SimCliTest, PlansAreGeneratedExportedAndImportedAndABadOneChangesNothing) {
  EXPECT_NE(std::string::npos, Refused({"simulate", "--election", "pemilu-2024"}).find("tepat plan generate"));
  const std::string generated = Ok({"plan", "generate", "--election", "pemilu-2024"});
  EXPECT_NE(std::string::npos, generated.find("to TPS (of " + std::to_string(tps_ / 1000) + ".")) << generated;
  const std::string exported = Ok({"plan", "export", "--election", "pemilu-2024"});
  testing::WriteText(File("plan.csv"), exported);
  Ok({"plan", "import", "--election", "pemilu-2024", File("plan.csv")});
  EXPECT_EQ(exported, Ok({"plan", "export", "--election", "pemilu-2024"}));
  // Line 5 with an unknown mode, line 7 reaching a place that is not the election's: refused, named, nothing saved.
  std::istringstream lines(exported);
  std::string bad, line;
  for (int n = 1; std::getline(lines, line); ++n) {
    if (n == 5)
      line = line.substr(0, line.find(',', line.find(',') + 1)) + ",rocket" +
             line.substr(line.find(',', line.find(',', line.find(',') + 1) + 1) - 0);
    if (n == 7) line = "31.71.01.1001.001" + line.substr(line.find(','));
    bad += line + "\n";
  }
  testing::WriteText(File("bad.csv"), bad);
  const std::string refused = Refused({"plan", "import", "--election", "pemilu-2024", File("bad.csv")});
  EXPECT_NE(std::string::npos, refused.find("bad.csv:5: mode: unknown mode 'rocket'")) << refused;
  EXPECT_NE(std::string::npos, refused.find("bad.csv:7: to")) << refused;
  EXPECT_EQ(exported, Ok({"plan", "export", "--election", "pemilu-2024"}));
}

TEST_P(SimCliTest, TheProjectionIsTheSameWhateverTheThreadsAndRanksTheTpsAtRisk) {
  Ok({"plan", "generate", "--election", "pemilu-2024"});
  const json one = Simulate({"--threads", "1"});
  const json two = Simulate({"--threads", "2"});
  EXPECT_EQ(one.dump(), two.dump());
  EXPECT_EQ(tps_, one["tps"]);
  EXPECT_EQ("", one["scope"]["code"]);
  EXPECT_EQ("82.01", Simulate({"--region", "82.01"})["scope"]["code"]);
  EXPECT_GT(one["scope"]["expected_late"].get<double>(), 0);
  ASSERT_EQ(20u, one["tps_at_risk"].size());
  double last = 1;
  for (const json& t : one["tps_at_risk"]) {
    EXPECT_LE(t["p_late"].get<double>(), last);
    last = t["p_late"];
    EXPECT_LE(t["p_late_95"][0].get<double>(), t["p_late"].get<double>());
    EXPECT_GE(t["p_late_95"][1].get<double>(), t["p_late"].get<double>());
  }
  EXPECT_GT(one["tps_at_risk"][0]["p_late"].get<double>(), 0);
  // The regencies of the province add up to it; another seed draws other scenarios.
  double sum = 0;
  for (const json& r : one["regions"]) sum += r["expected_late"].get<double>();
  EXPECT_NEAR(one["scope"]["expected_late"].get<double>(), sum, 1e-9);
  EXPECT_NE(one.dump(), Simulate({"--seed", "4"}).dump());
  // Every TPS in CSV.
  const std::string csv = Ok({"simulate", "--election", "pemilu-2024", "--scenarios", "100", "--format", "csv"});
  EXPECT_EQ(tps_ + 1, std::count(csv.begin(), csv.end(), '\n'));
  EXPECT_TRUE(csv.starts_with("tps_code,village,p_late,p_late_low,p_late_high,expected_lateness_hours,"));
  // Bad input is refused with where and why.
  EXPECT_NE(std::string::npos,
            Refused({"simulate", "--election", "pemilu-2024", "--scenarios", "0"}).find("--scenarios"));
  EXPECT_NE(std::string::npos, Refused({"simulate", "--election", "pemilu-2024", "--now", "2024-02-12T00:00+09:00"})
                                   .find("--now goes with --live"));
}

TEST_P(SimCliTest, WhatIfAndMitigationAreComparedOnTheSameScenarios) {
  Ok({"plan", "generate", "--election", "pemilu-2024"});
  testing::WriteText(File("early.toml"), "[[change]]\nwhat = \"advance\"\nregion = \"82\"\ndays = 2\n");
  const json early = Simulate({"--what-if", File("early.toml")});
  EXPECT_LT(early["what_if"]["difference"]["high"].get<double>(), 0) << early["what_if"].dump();
  EXPECT_NEAR(early["scope"]["expected_late"].get<double>() + early["what_if"]["difference"]["mean"].get<double>(),
              early["what_if"]["scope"]["expected_late"].get<double>(), 1e-9);
  testing::WriteText(File("typo.toml"), "[[change]]\nwhat = \"advance\"\nregion = \"82.99\"\ndays = 2\n");
  const std::string typo = Refused({"simulate", "--election", "pemilu-2024", "--what-if", File("typo.toml")});
  EXPECT_NE(std::string::npos, typo.find("typo.toml:3: change[1].region: unknown region '82.99'")) << typo;
  // Mitigation: its changes, written as a what-if file and given back, make the difference it reported.
  const json mitigated = Simulate({"--mitigate", "3", "--mitigation-out", File("m.toml")});
  ASSERT_FALSE(mitigated["mitigation"]["changes"].empty()) << mitigated.dump();
  EXPECT_LT(mitigated["mitigation"]["difference"]["mean"].get<double>(), 0);
  const json again = Simulate({"--what-if", File("m.toml")});
  EXPECT_NEAR(mitigated["mitigation"]["difference"]["mean"].get<double>(),
              again["what_if"]["difference"]["mean"].get<double>(), 1e-9);
}

TEST_P(SimCliTest, ALiveProjectionStartsFromTheLedgerAndASavedOneFeedsTheVulnerabilityRegister) {
  Ok({"plan", "generate", "--election", "pemilu-2024"});
  Ok({"scenario", "play", "--election", "pemilu-2024", "--seed", "7", "--until", "H-2", "--truth", File("truth.csv")});
  const std::string csv =
      Ok({"simulate", "--election", "pemilu-2024", "--scenarios", "200", "--live", "--format", "csv"});
  // Every TPS whose kit the ledger records as received is not late.
  auto store = store::OpenStore(db_).value();
  std::map<std::string, int64_t> received;
  ASSERT_TRUE(store
                  ->ForEachTpsState("pemilu-2024", "",
                                    [&](const std::string& tps, const readiness::TpsState& s) {
                                      if (s.first_received_at > 0) received[tps] = s.first_received_at;
                                      return Status{};
                                    })
                  .ok());
  ASSERT_FALSE(received.empty());
  auto p_late = [](const std::string& row) {
    const std::string rest = row.substr(row.find(',') + 1);
    return std::stod(rest.substr(rest.find(',') + 1));
  };
  std::istringstream rows(csv);
  std::string row;
  std::getline(rows, row);
  int checked = 0;
  while (std::getline(rows, row)) {
    if (!received.contains(row.substr(0, row.find(',')))) continue;
    EXPECT_EQ(0, p_late(row)) << row;
    ++checked;
  }
  EXPECT_EQ(static_cast<int>(received.size()), checked);
  // From H-7, with a rainy model, the boats still to sail put some TPS at risk; the projection is saved.
  std::string model = testing::ReadText((testing::SourceDir() / "sim/model.toml").string());
  model.replace(model.find("probability = 0.06"), 18, "probability = 0.30");
  testing::WriteText(File("rainy.toml"), model);
  const std::string early =
      Ok({"simulate", "--election", "pemilu-2024", "--scenarios", "200", "--live", "--now", "2024-02-07T07:00:00+07:00",
          "--model", File("rainy.toml"), "--format", "csv", "--save"});
  EXPECT_NE(csv, early);
  std::istringstream risks(early);
  std::getline(risks, row);
  int risky = 0;
  std::string a_risky_tps;
  while (std::getline(risks, row)) {
    if (p_late(row) < 0.1) continue;
    ++risky;
    a_risky_tps = row.substr(0, row.find(','));
  }
  ASSERT_GT(risky, 0);
  // The saved projection puts them in the TPS vulnerability register.
  const std::string register_ = Ok({"oversight", "vulnerability", "--election", "pemilu-2024"});
  std::istringstream ranked(register_);
  bool found = false;
  while (std::getline(ranked, row)) {
    if (row.find(a_risky_tps) != std::string::npos) {
      found = true;
      EXPECT_NE(std::string::npos, row.find("logistik_risiko_terlambat")) << row;
    }
  }
  EXPECT_TRUE(found) << a_risky_tps << " is not in\n" << register_.substr(0, 2000);
}

INSTANTIATE_TEST_SUITE_P(Backends, SimCliTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

}  // namespace tepat::cli
