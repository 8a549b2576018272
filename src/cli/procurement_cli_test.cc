// Procurement's reference data end to end, in process, on an SQLite file and on PostgreSQL: each kind imported,
// listed and exported so that it reads back the same; a refused file names its problems and changes nothing; every
// import leaves its audit entry; the election's vendors are the defaults until a file replaces them.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "testing/testing.h"

namespace tepat::cli {

namespace {

class ProcurementCliTest : public testing::WorldTest {
 protected:
  void SetUp() override { MakeWorldOf("35.78."); }
  std::string List(const std::string& kind, const std::string& format, const std::string& election = "pemilu-2024") {
    return Ok({"procurement", "list", kind, "--election", election, "--format", format});
  }
  void Write(const std::string& name, const std::string& text) { testing::WriteText(File(name), text); }
};

TEST_P(ProcurementCliTest, EachKindIsImportedListedAndReadsBack) {
  Write("vendors.csv", "code,name,npwp\nkotak-1,\"PT Kotak, Tbk\",01.234.567.8-901.000\n");
  Write("prices.csv", "item,zone,rupiah,source,reference\nkotak_suara,,40379,ekatalog,KD-1\nkotak_suara,35.78,39000,"
                      "last_election,pemilu-2019\n");
  Write("budget.csv", "satker,year,account,pagu,name\nkpu:35.78,2024,076.01.06.3492.ABG.002.521211,350000000,"
                      "Distribusi\n");
  Write("inventory.csv", "warehouse,item,quantity,condition,note\nkpu:35.78,kotak_suara,120,baik,BMN Pemilu 2019\n");
  for (const char* kind : {"vendors", "prices", "budget", "inventory"}) {
    const std::string said = Ok({"procurement", "import", kind, "--election", "pemilu-2024", File(std::string(kind) + ".csv")});
    EXPECT_NE(std::string::npos, said.find(std::string(" ") + kind + " of pemilu-2024")) << said;
    const std::string csv = List(kind, "csv");
    Write(std::string(kind) + "-again.csv", csv);
    Ok({"procurement", "import", kind, "--election", "pemilu-2024", File(std::string(kind) + "-again.csv")});
    EXPECT_EQ(csv, List(kind, "csv")) << kind;
  }
  EXPECT_EQ("code,name,npwp\nkotak-1,\"PT Kotak, Tbk\",012345678901000\n", List("vendors", "csv"));
  const std::string table = List("budget", "table");
  EXPECT_NE(std::string::npos, table.find("Pagu Rp")) << table;
  EXPECT_NE(std::string::npos, table.find("350.000.000")) << table;
  const auto json = nlohmann::json::parse(List("prices", "json"));
  ASSERT_EQ(2u, json["records"].size());
  EXPECT_EQ(39000, json["records"][1]["rupiah"]);
  EXPECT_EQ("last_election", json["records"][1]["source"]);
  // One audit entry per import: four kinds, each imported twice.
  const std::string audit = Ok({"audit", "--action", "procurement.import", "--limit", "0"});
  EXPECT_EQ(9, std::count(audit.begin(), audit.end(), '\n')) << audit;  // the header and eight entries
  EXPECT_NE(std::string::npos, audit.find("pemilu-2024/budget")) << audit;
}

TEST_P(ProcurementCliTest, ThePlanBuysWhatIsNeededLessGoodStockAgainstThePagu) {
  Write("prices.csv", "item,zone,rupiah,shipping,source\nkotak_suara,,40379,0,ekatalog\nkotak_suara,35.78,39000,500,hps\n"
                      "surat_suara,,643,0,last_election\n");
  Write("budget.csv", "satker,year,account,pagu\nkpu,2023,521211,100000000000\n");
  Write("inventory.csv", "warehouse,item,quantity,condition\nkpu:35.78,kotak_suara,100,baik\n"
                         "kpu:35.78,kotak_suara,50,rusak_berat\n");
  for (const char* kind : {"prices", "budget", "inventory"}) {
    Ok({"procurement", "import", kind, "--election", "pemilu-2024", File(std::string(kind) + ".csv")});
  }
  const auto plan = nlohmann::json::parse(Ok({"procurement", "plan", "--election", "pemilu-2024", "--format", "json"}));
  int64_t cost = 0;
  bool boxes = false, ballots = false;
  for (const auto& row : plan["rows"]) {
    EXPECT_EQ("kpu", row["group"]);  // Pemilu 2024: KPU RI buys everything
    cost += row["cost"].get<int64_t>();
    if (row["item"] == "kotak_suara") {
      boxes = true;
      EXPECT_EQ(100, row["stock"]);  // the good stock only
      EXPECT_EQ(row["need"].get<int64_t>() - 100, row["buy"]);
      EXPECT_EQ(row["buy"].get<int64_t>() * 39'500, row["cost"]);  // the regency's HPS price and its shipping
    }
    if (row["item"] == "surat_suara") {
      ballots = true;
      EXPECT_EQ(0, row["buy"].get<int64_t>() % 500);  // whole reams, per ballot variant
      EXPECT_GE(row["buy"].get<int64_t>(), row["need"].get<int64_t>());
      EXPECT_EQ(row["buy"].get<int64_t>() * 643, row["cost"]);
    }
    if (row["item"] == "tinta") {
      EXPECT_EQ(1, row["unpriced_lines"]);
    }
  }
  EXPECT_TRUE(boxes && ballots) << plan.dump();
  ASSERT_EQ(1u, plan["offices"].size());
  EXPECT_EQ(cost, plan["offices"][0]["cost"]);
  EXPECT_EQ(100'000'000'000 - cost, plan["offices"][0]["balance"]);

  // The same per regency, as CSV, and the offices as a table.
  const std::string csv =
      Ok({"procurement", "plan", "--election", "pemilu-2024", "--by", "regency", "--region", "35.78", "--format", "csv"});
  EXPECT_EQ(0u, csv.find("region,name,item,unit,need,stock,buy,cost,unpriced_lines\n35.78,Kota Surabaya,")) << csv;
  const std::string table = Ok({"procurement", "plan", "--election", "pemilu-2024", "--view", "offices"});
  EXPECT_NE(std::string::npos, table.find("cukup (surplus)")) << table;
  Ok({"procurement", "plan", "--election", "pemilu-2024", "--format", "xlsx", "--out", File("plan.xlsx")});
  EXPECT_GT(std::filesystem::file_size(File("plan.xlsx")), 1000u);
  EXPECT_NE(std::string::npos, Refused({"procurement", "plan", "--election", "pemilu-2024", "--by", "village"})
                                   .find("--by: expected office, national, province or regency"));
  EXPECT_NE(std::string::npos, Refused({"procurement", "plan", "--election", "pemilu-2024", "--region", "35.78.01"})
                                   .find("--region: expected the code of a province or a regency"));
}

// Contracts, an amendment and a schedule imported; goods receipts that name a contract are posted (one naming
// another vendor's contract is refused), then judged against the schedule; the ledger still verifies.
TEST_P(ProcurementCliTest, DeliveriesAreJudgedAgainstTheContractsSchedule) {
  Write("vendors.csv", "code,name,npwp\n1001,PT Kotak,\n1002,PT Tinta,\n");
  Write("contracts.csv",
        "tahun_anggaran,kd_paket,tahap,kd_penyedia,satker,tanggal_buat_paket,kd_produk,item,kuantitas,harga_satuan,"
        "status_paket\n"
        "2023,P-001,1,1001,kpu,2023-09-18 10:00:00,KS-1,kotak_suara,2000,40379,selesai\n"
        "2023,P-002,1,1002,kpu,2023-09-18,TI-1,tinta,500,11211,selesai\n");
  Write("amendments.csv", "kd_paket,adendum,tanggal,kd_produk,kuantitas\nP-001,1,2023-11-01,KS-1,1800\n");
  Write("too-much.csv", "kd_paket,kd_produk,warehouse,kuantitas,due\nP-001,KS-1,kpu:35.78,2000,2023-11-21\n");
  Write("schedule.csv", "kd_paket,kd_produk,warehouse,kuantitas,due\nP-001,KS-1,kpu:35.78,1800,2023-11-21\n"
                        "P-002,TI-1,kpu:35.78,500,2023-11-21\n");
  for (const char* kind : {"vendors", "contracts", "amendments"}) {
    Ok({"procurement", "import", kind, "--election", "pemilu-2024", File(std::string(kind) + ".csv")});
  }
  EXPECT_NE(std::string::npos,
            Refused({"procurement", "import", "schedule", "--election", "pemilu-2024", File("too-much.csv")})
                .find("too-much.csv:2: kuantitas: the schedule of product KS-1 of contract P-001 adds up to 2.000, "
                      "the line's quantity is 1.800 (too much)"));
  Ok({"procurement", "import", "schedule", "--election", "pemilu-2024", File("schedule.csv")});
  const std::string contracts = List("contracts", "table");
  EXPECT_NE(std::string::npos, contracts.find("1.800")) << contracts;  // the amended quantity beside the signed one

  auto receipt = [](int n, const std::string& vendor, const std::string& contract, const std::string& at,
                    const std::string& item, int good) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
    return std::string(R"({"id":")") + id +
           R"(","kind":"goods_receipt","election":"pemilu-2024","at":")" + at +
           R"(","node":"kpu:35.78","signed_by":[{"name":"Ani","role":"KPU"}],"vendor":"vendor:)" + vendor +
           R"(","delivery_note":"SJ","contract":")" + contract + R"(","lines":[{"item":")" + item +
           R"(","good":)" + std::to_string(good) + "}]}\n";
  };
  Write("receipts.ndjson", receipt(1, "1001", "P-001", "2023-11-20T10:00:00+07:00", "kotak_suara", 1000) +
                               receipt(2, "1001", "P-001", "2023-11-25T10:00:00+07:00", "kotak_suara", 700) +
                               receipt(3, "1001", "P-002", "2023-11-20T10:00:00+07:00", "tinta", 500) +
                               receipt(4, "1002", "P-002", "2023-11-21T10:00:00+07:00", "tinta", 500));
  const testing::CliResult posted = testing::RunCli({"--db", db_, "ledger", "import", File("receipts.ndjson")});
  EXPECT_NE(std::string::npos, posted.err.find("contract: contract P-002 is with vendor:1002, not vendor:1001"))
      << posted.err;
  const auto progress = nlohmann::json::parse(
      Ok({"procurement", "deliveries", "--election", "pemilu-2024", "--as-of", "2023-12-01", "--format", "json"}));
  ASSERT_EQ(2u, progress["rows"].size()) << progress.dump();
  EXPECT_EQ(1000, progress["rows"][0]["on_time"]);
  EXPECT_EQ(700, progress["rows"][0]["late"]);
  EXPECT_EQ(100, progress["rows"][0]["short"]);
  EXPECT_EQ("overdue", progress["rows"][0]["status"]);
  EXPECT_EQ("on_time", progress["rows"][1]["status"]);
  EXPECT_EQ("1001", progress["vendors"][0]["vendor"]);
  EXPECT_DOUBLE_EQ(1000.0 / 1800.0, progress["vendors"][0]["on_time_rate"].get<double>());
  const std::string items =
      Ok({"procurement", "deliveries", "--election", "pemilu-2024", "--as-of", "2023-12-01", "--view", "items"});
  EXPECT_NE(std::string::npos, items.find("94,4%")) << items;  // 1,700 of the 1,800 boxes contracted arrived
  Ok({"ledger", "verify"});

  // Payments against the contracts, and tepat efisien: the contracts' value now against the pagu.
  Write("too-much-paid.csv", "kd_paket,nomor,tanggal,rupiah\nP-002,SP2D-9,2023-12-01,6000000\n");
  EXPECT_NE(std::string::npos,
            Refused({"procurement", "import", "payments", "--election", "pemilu-2024", File("too-much-paid.csv")})
                .find("too-much-paid.csv:2: rupiah: the payments of contract P-002 add up to 6.000.000, past its "
                      "value of 5.605.500"));
  Write("payments.csv", "kd_paket,nomor,tanggal,rupiah\nP-001,SP2D-1,2023-12-01,50000000\n");
  Write("budget.csv", "satker,year,account,pagu\nkpu,2023,521211,100000000\n");
  Ok({"procurement", "import", "payments", "--election", "pemilu-2024", File("payments.csv")});
  Ok({"procurement", "import", "budget", "--election", "pemilu-2024", File("budget.csv")});
  const auto efficiency =
      nlohmann::json::parse(Ok({"procurement", "efficiency", "--election", "pemilu-2024", "--format", "json"}));
  EXPECT_EQ("", efficiency["regions"][0]["region"]);
  EXPECT_EQ(1800 * 40379 + 500 * 11211, efficiency["regions"][0]["contracted"]);  // as scheduled, amended
  ASSERT_EQ(1u, efficiency["offices"].size());
  EXPECT_EQ(1800 * 40379 + 500 * 11211, efficiency["offices"][0]["value"]);
  EXPECT_EQ(100000000 - (1800 * 40379 + 500 * 11211), efficiency["offices"][0]["savings_against_pagu"]);
  EXPECT_EQ(50000000, efficiency["offices"][0]["paid"]);
  const std::string table = Ok({"procurement", "efficiency", "--election", "pemilu-2024", "--region", "35"});
  EXPECT_NE(std::string::npos, table.find("Kota Surabaya")) << table;
  EXPECT_NE(std::string::npos, table.find("Realisasi")) << table;

  // For Bawaslu: the overdue delivery and the quantity scheduled against the plan, each able to become a finding.
  const auto found = nlohmann::json::parse(Ok({"procurement", "discrepancies", "--election", "pemilu-2024",
                                               "--as-of", "2023-12-01", "--format", "json"}));
  std::set<std::string> codes;
  for (const auto& d : found["discrepancies"]) codes.insert(d["code"].get<std::string>() + ":" + d["discrepancy"].get<std::string>());
  EXPECT_TRUE(codes.count("kpu:35.78#P-001/KS-1:delivery_overdue")) << found.dump();
  EXPECT_TRUE(codes.count("kpu:35.78#kotak_suara:contract_quantity")) << found.dump();
  EXPECT_FALSE(codes.count("kpu:35.78#P-002/TI-1:delivery_overdue")) << found.dump();  // complete, on time
  const std::string finding = Ok({"oversight", "finding", "new", "--election", "pemilu-2024", "--from-discrepancy",
                                  "kpu:35.78#P-001/KS-1:delivery_overdue"});
  EXPECT_NE(std::string::npos, finding.find("Pengiriman P-001/KS-1 ke kpu:35.78 lewat jatuh tempo: 1.700 dari 1.800"))
      << finding;
  EXPECT_NE(std::string::npos, Refused({"oversight", "finding", "new", "--election", "pemilu-2024",
                                        "--from-discrepancy", "kpu:35.78#P-009/KS-1:delivery_overdue"})
                                   .find("no delivery_overdue at kpu:35.78#P-009/KS-1"));
}

// The demo's procurement: generated from what the scenario delivers, imported, and the scenario's receipts tied to
// their contracts, on time; Pemilu 2024 bought by KPU RI at the real 2024 figures, Pilkada 2024 by the regions.
TEST_P(ProcurementCliTest, TheDemosContractsAreDeliveredByTheScenario) {
  // Pilkada 2024's TPS of the same city beside Pemilu 2024's.
  Ok({"generate", "tps", "--election", "pilkada-2024", "--out", File("pilkada-all.csv")});
  std::string mine;
  std::istringstream all(testing::ReadText(File("pilkada-all.csv")));
  for (std::string line; std::getline(all, line);) {
    if (mine.empty() || line.starts_with("35.78.")) mine += line + "\n";
  }
  Write("pilkada-tps.csv", mine);
  Ok({"import", "tps", "--election", "pilkada-2024", File("pilkada-tps.csv")});
  for (const std::string election : {"pemilu-2024", "pilkada-2024"}) {
    const std::string folder = File(election + "-procurement");
    Ok({"generate", "procurement", "--election", election, "--out", folder});
    for (const char* kind : {"vendors", "prices", "budget", "contracts", "amendments", "schedule", "payments"}) {
      Ok({"procurement", "import", kind, "--election", election, folder + "/" + kind + ".csv"});
    }
    // Another seed for the second election: the scenario's document ids follow the seed.
    const std::string seed = election == "pemilu-2024" ? "1" : "2";
    Ok({"scenario", "play", "--election", election, "--seed", seed, "--truth", File(election + "-truth.csv")});
    const std::string voting_day = election == "pemilu-2024" ? "2024-02-14" : "2024-11-27";
    const auto progress = nlohmann::json::parse(Ok({"procurement", "deliveries", "--election", election, "--as-of",
                                                    voting_day, "--format", "json"}));
    ASSERT_FALSE(progress["rows"].empty()) << election;
    for (const auto& row : progress["rows"]) {
      EXPECT_EQ("on_time", row["status"]) << election << " " << row.dump();  // Surabaya: neither east nor short
    }
    for (const auto& vendor : progress["vendors"]) EXPECT_EQ(1.0, vendor["on_time_rate"]) << election;
    const auto contracts = nlohmann::json::parse(List("contracts", "json", election));
    const auto found = nlohmann::json::parse(Ok({"procurement", "discrepancies", "--election", election, "--as-of",
                                                 voting_day, "--format", "json"}));
    std::set<std::string> codes;
    for (const auto& d : found["discrepancies"]) {
      codes.insert(d["code"].get<std::string>() + ":" + d["discrepancy"].get<std::string>());
    }
    EXPECT_TRUE(codes.count("kpu:35.78#tinta:price_above_reference")) << found.dump();  // 11,211 against 9,800
    if (election == "pemilu-2024") {
      ASSERT_EQ(2u, contracts["records"].size());
      const auto& t1 = contracts["records"][0];
      EXPECT_EQ("KPU-RI/T1/2023", t1["number"]);
      EXPECT_EQ(527'000'000'000, t1["hps"]);
      for (const auto& line : t1["lines"]) {
        if (line["item"] != "kotak_suara") continue;
        EXPECT_EQ(4'164'552, line["quantity"]);  // as signed in 2023
        EXPECT_EQ(40'379, line["unit_price"]);
        EXPECT_LT(line["current_quantity"].get<int64_t>(), 4'164'552);  // amended to one city's needs
      }
    } else {
      std::set<std::string> numbers;
      for (const auto& c : contracts["records"]) numbers.insert(c["number"].get<std::string>() + " " + c["office"].get<std::string>());
      EXPECT_TRUE(numbers.count("KPU-35/T2/2024 kpu:35")) << contracts.dump();       // the governor's ballots
      EXPECT_TRUE(numbers.count("KPU-3578/T1/2024 kpu:35.78")) << contracts.dump();  // the city's boxes
      const auto efficiency =
          nlohmann::json::parse(Ok({"procurement", "efficiency", "--election", election, "--format", "json"}));
      ASSERT_EQ(2u, efficiency["offices"].size()) << efficiency.dump();
      EXPECT_NE(efficiency["offices"][0]["pagu"], efficiency["offices"][1]["pagu"]);
    }
  }
  Ok({"ledger", "verify"});
}

TEST_P(ProcurementCliTest, ARefusedFileNamesItsProblemsAndChangesNothing) {
  Write("prices.csv", "item,zone,rupiah,source\nkotak_suara,,40379,ekatalog\n");
  Ok({"procurement", "import", "prices", "--election", "pemilu-2024", File("prices.csv")});
  const std::string before = List("prices", "csv");
  Write("bad.csv", "item,zone,rupiah,source\nkotak_suara,,40379,ekatalog\nkotak_kardus,99,-1,katalog\n");
  const std::string refused = Refused({"procurement", "import", "prices", "--election", "pemilu-2024", File("bad.csv")});
  EXPECT_NE(std::string::npos, refused.find("bad.csv:3: item: unknown item 'kotak_kardus'")) << refused;
  EXPECT_NE(std::string::npos, refused.find("bad.csv:3: zone:")) << refused;
  EXPECT_NE(std::string::npos, refused.find("bad.csv:3: rupiah:")) << refused;
  EXPECT_NE(std::string::npos, refused.find("bad.csv:3: source:")) << refused;
  EXPECT_EQ(before, List("prices", "csv"));
  EXPECT_NE(std::string::npos, Refused({"procurement", "list", "kontrak", "--election", "pemilu-2024"})
                                   .find("expected vendors, prices, budget, inventory, contracts, amendments, "
                                         "schedule or payments, not 'kontrak'"));
  // Nothing is audited for a refused file.
  const std::string audit = Ok({"audit", "--action", "procurement.import", "--limit", "0"});
  EXPECT_EQ(2, std::count(audit.begin(), audit.end(), '\n')) << audit;
}

TEST_P(ProcurementCliTest, TheElectionsVendorsAreTheDefaultsUntilAFileReplacesThem) {
  const std::string defaults = List("vendors", "table");
  EXPECT_NE(std::string::npos, defaults.find("tahap1-perlengkapan")) << defaults;
  EXPECT_NE(std::string::npos, defaults.find("bawaan definisi pemilihan")) << defaults;
  EXPECT_FALSE(nlohmann::json::parse(List("vendors", "json"))["imported"].get<bool>());
  Write("vendors.csv", "code,name,npwp\nlokal,CV Lokal,\n");
  Ok({"procurement", "import", "vendors", "--election", "pemilu-2024", File("vendors.csv")});
  const std::string imported = List("vendors", "table");
  EXPECT_EQ(std::string::npos, imported.find("tahap1-perlengkapan")) << imported;
  EXPECT_TRUE(nlohmann::json::parse(List("vendors", "json"))["imported"].get<bool>());
  // Budget lines are empty until imported; the table still shows the total.
  EXPECT_NE(std::string::npos, List("budget", "table").find("jumlah (total)"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProcurementCliTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

}  // namespace tepat::cli
