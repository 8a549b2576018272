// Procurement's reference data end to end, in process, on an SQLite file and on PostgreSQL: each kind imported,
// listed and exported so that it reads back the same; a refused file names its problems and changes nothing; every
// import leaves its audit entry; the election's vendors are the defaults until a file replaces them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/testing.h"

namespace tepat::cli {

namespace {

class ProcurementCliTest : public testing::WorldTest {
 protected:
  void SetUp() override { MakeWorldOf("35.78."); }
  std::string List(const std::string& kind, const std::string& format) {
    return Ok({"procurement", "list", kind, "--election", "pemilu-2024", "--format", format});
  }
  void Write(const std::string& name, const std::string& text) { testing::WriteText(File(name), text); }
};

TEST_P(ProcurementCliTest, EachKindIsImportedListedAndReadsBack) {
  Write("vendors.csv", "code,name,npwp\nkotak-1,\"PT Kotak, Tbk\",01.234.567.8-901.000\n");
  Write("prices.csv", "item,zone,rupiah,source,reference\nkotak_suara,,40379,ekatalog,KD-1\nkotak_suara,35.78,39000,"
                      "last_election,pemilu-2019\n");
  Write("budget.csv", "satker,year,account,pagu,name\nkpu:35.78,2024,076.01.06.3492.ABG.002.521211,350000000,"
                      "Distribusi\n");
  for (const char* kind : {"vendors", "prices", "budget"}) {
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
  // One audit entry per import: three kinds, each imported twice.
  const std::string audit = Ok({"audit", "--action", "procurement.import", "--limit", "0"});
  EXPECT_EQ(7, std::count(audit.begin(), audit.end(), '\n')) << audit;  // the header and six entries
  EXPECT_NE(std::string::npos, audit.find("pemilu-2024/budget")) << audit;
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
  EXPECT_NE(std::string::npos, Refused({"procurement", "list", "contracts", "--election", "pemilu-2024"})
                                   .find("expected vendors, prices or budget, not 'contracts'"));
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
