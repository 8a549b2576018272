// Supervision end to end, in process, on an SQLite file and on PostgreSQL: the scenario's supervisors record their
// reports and the cross-check finds exactly the places where KPU's record differs from what they saw; refused
// reports leave nothing; a report given again is a replay, changed it is refused; Form A numbers follow the regency.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "testing/testing.h"

namespace tepat::cli {

namespace {

using testing::RunCli;

class OversightCliTest : public testing::WorldTest {
 protected:
  // Real regions, the synthetic TPS of Kota Surabaya (about 4,700) and the national dapil; Play plays the
  // distribution to H-2.
  void SetUp() override { MakeWorldOf("35.78."); }
  std::string Play(bool supervised) {
    std::vector<std::string> args = {"scenario", "play",    "--election", "pemilu-2024", "--seed",
                                     "7",        "--until", "H-2",        "--truth",     File("truth.csv")};
    if (supervised) args.insert(args.end(), {"--with-supervision", "--supervision-truth", File("supervision.csv")});
    return Ok(args);
  }
};

TEST_P(OversightCliTest, TheCrossCheckFindsExactlyWhereTheRecordDiffersFromWhatIsThere) {
  const std::string out = Play(true);
  EXPECT_NE(std::string::npos, out.find("the cross-check of the reports against the ledger finds exactly the truth"))
      << out;
  const std::string truth = testing::ReadText(File("supervision.csv"));
  for (const char* kind : {",count_mismatch", ",variant_mismatch", ",seal_broken", ",not_received"}) {
    EXPECT_NE(std::string::npos, truth.find(kind)) << kind << " is not in the truth:\n" << truth;
  }
  EXPECT_EQ(truth, Ok({"oversight", "discrepancies", "--election", "pemilu-2024"}));
  // Under a district: the truth's rows of that district.
  std::string district = "tps_code,discrepancy\n";
  std::istringstream rows(truth);
  for (std::string row; std::getline(rows, row);) {
    if (row.starts_with("35.78.02.")) district += row + "\n";
  }
  EXPECT_EQ(district, Ok({"oversight", "discrepancies", "--election", "pemilu-2024", "--region", "35.78.02"}));
  // In detail each names its report and the KPU document it contradicts.
  const std::string detail = Ok({"oversight", "discrepancies", "--election", "pemilu-2024", "--format", "detail"});
  std::istringstream lines(detail);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ("tps_code,discrepancy,report,node,subject,recorded,observed,document", line);
  int rows_seen = 0;
  while (std::getline(lines, line)) {
    ++rows_seen;
    EXPECT_NE(std::string::npos, line.find("/LHP/PM.01.02/35.78/02/2024,kpps:")) << line;
    EXPECT_EQ(36u, line.substr(line.rfind(',') + 1).size()) << line;  // a document id
  }
  EXPECT_GT(rows_seen, 0);
  // Vulnerability: every TPS where supervisors found a difference carries that indicator; Bawaslu's own mapping adds
  // its indicators; an unknown indicator refuses the mapping.
  const std::string first_tps = truth.substr(truth.find('\n') + 1, 17);
  testing::WriteText(File("mapped.csv"), "tps_code,indicator\n" + first_tps + ",keamanan_riwayat_kekerasan\n");
  const std::string ranked =
      Ok({"oversight", "vulnerability", "--election", "pemilu-2024", "--indicators", File("mapped.csv")});
  std::istringstream ranked_rows(ranked);
  std::getline(ranked_rows, line);
  EXPECT_EQ("rank,tps_code,score,hak_pilih,keamanan,kampanye,netralitas,logistik,lokasi,listrik_internet,indicators",
            line);
  std::map<std::string, std::string> by_tps;
  int previous = 1 << 30;
  while (std::getline(ranked_rows, line)) {
    const std::string code = line.substr(line.find(',') + 1, 17);
    by_tps[code] = line;
    const int score = std::stoi(line.substr(line.find(',', line.find(',') + 1) + 1));
    EXPECT_LE(score, previous) << line;
    previous = score;
  }
  std::istringstream truth_rows(truth);
  std::getline(truth_rows, line);
  while (std::getline(truth_rows, line)) {
    EXPECT_NE(std::string::npos, by_tps[line.substr(0, 17)].find("logistik_temuan_pengawas")) << line;
  }
  EXPECT_NE(std::string::npos, by_tps[first_tps].find(",3,0,0,")) << by_tps[first_tps];  // keamanan's weight
  testing::WriteText(File("unknown.csv"), "tps_code,indicator\n" + first_tps + ",hujan\n");
  EXPECT_NE(std::string::npos,
            Refused({"oversight", "vulnerability", "--election", "pemilu-2024", "--indicators", File("unknown.csv")})
                .find("unknown.csv:2: indicator: unknown indicator \"hujan\""));
  // Playing again records nothing new: every report is a replay.
  const std::string again = Play(true);
  EXPECT_NE(std::string::npos, again.find("finds exactly the truth")) << again;
  EXPECT_EQ(truth, testing::ReadText(File("supervision.csv")));
}

TEST_P(OversightCliTest, RefusedReportsLeaveNothingAndNumbersFollowTheRegency) {
  Play(false);
  const std::string node = "kpps:35.78.01.1001.001";
  auto report = [&](const std::string& id, const std::string& extra) {
    return "{\"id\":\"" + id +
           "\",\"kind\":\"supervision_report\",\"election\":\"pemilu-2024\",\"stage\":\"tps_h1\","
           "\"supervisor\":{\"name\":\"Sri\",\"position\":\"Pengawas TPS 001\"},\"assignment\":\"ST-1\","
           "\"node\":\"" +
           node + "\",\"at\":\"2024-02-12T20:00:00+07:00\"" + extra + "}\n";
  };
  const std::string a = "0e0e0e0e-0000-4000-8000-00000000000a", b = "0e0e0e0e-0000-4000-8000-00000000000b";
  testing::WriteText(
      File("bad.ndjson"),
      report(a, "") + report(b, ",\"checklist\":{\"id\":\"tps_h1\",\"version\":1,\"answers\":[]}") + "{\"id\":1}\n");
  const std::string err = Refused({"oversight", "record", File("bad.ndjson")});
  EXPECT_NE(std::string::npos, err.find("bad.ndjson:2: checklist.answers: question")) << err;
  EXPECT_NE(std::string::npos, err.find("bad.ndjson:3: id: expected a string")) << err;
  EXPECT_NE(std::string::npos, err.find("nothing was recorded")) << err;
  EXPECT_EQ("number,id,stage,node,at,recorded_by\n", Ok({"oversight", "reports", "--election", "pemilu-2024"}));

  testing::WriteText(File("good.ndjson"), report(a, "") + report(b, ",\"narrative\":\"Baik.\""));
  const std::string recorded = Ok({"oversight", "record", File("good.ndjson")});
  EXPECT_NE(std::string::npos, recorded.find("001/LHP/PM.01.02/35.78/02/2024  " + a)) << recorded;
  EXPECT_NE(std::string::npos, recorded.find("002/LHP/PM.01.02/35.78/02/2024  " + b)) << recorded;
  EXPECT_NE(std::string::npos,
            Ok({"oversight", "record", File("good.ndjson")}).find("0 reports recorded, 2 recorded already"));
  testing::WriteText(File("changed.ndjson"), report(a, ",\"narrative\":\"Lain.\""));
  EXPECT_NE(std::string::npos,
            Refused({"oversight", "record", File("changed.ndjson")}).find("is recorded already, with other content"));
  const std::string listed = Ok({"oversight", "reports", "--election", "pemilu-2024", "--region", "35.78.01"});
  EXPECT_EQ(3, std::count(listed.begin(), listed.end(), '\n')) << listed;
  EXPECT_EQ("number,id,stage,node,at,recorded_by\n",
            Ok({"oversight", "reports", "--election", "pemilu-2024", "--region", "35.78.02"}));
}

// A finding raised from a discrepancy is followed to its closing, each step kept with who and when; steps out of
// order are refused and change nothing; an unanswered recommendation past its due time is flagged overdue.
TEST_P(OversightCliTest, AFindingIsFollowedFromTheDiscrepancyToItsClosing) {
  Play(true);
  std::istringstream rows(testing::ReadText(File("supervision.csv")));
  std::string header, first, second;
  std::getline(rows, header);
  std::getline(rows, first);
  std::getline(rows, second);
  const std::string e = "pemilu-2024";
  ::setenv("TEPAT_NOW", "2024-02-13T08:00:00+07:00", 1);
  const std::string raised = Ok({"oversight", "finding", "new", "--election", e, "--from-discrepancy",
                                 first.replace(first.find(','), 1, ":"), "--deadline", "2024-02-13T16:00:00+07:00"});
  EXPECT_NE(std::string::npos, raised.find("001/TM/PM.01.02/35.78/02/2024")) << raised;
  const std::string id = raised.substr(raised.find("  ") + 2, 36);
  auto step = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"oversight", "finding", "step", id});
    return args;
  };
  EXPECT_NE(std::string::npos, Refused(step({"answer", "--text", "Sudah"})).find("is draft"));
  Ok(step({"register"}));
  EXPECT_NE(std::string::npos, Refused(step({"recommend", "--text", "Ganti"})).find("give the KPU unit"));
  EXPECT_NE(std::string::npos,
            Refused(step({"recommend", "--to", "bawaslu:35.78", "--text", "Ganti"})).find("addressed to a KPU unit"));
  EXPECT_NE(std::string::npos, Refused({"oversight", "finding", "new", "--election", e, "--region", "35.99",
                                        "--category", "procedure", "--title", "x"})
                                   .find("finding: region: there is no region or TPS 35.99"));
  Ok(step({"recommend", "--to", "kpu:35.78", "--text", "Kirim kekurangan sebelum H-1", "--due",
           "2024-02-13T12:00:00+07:00"}));
  ::setenv("TEPAT_NOW", "2024-02-13T13:00:00+07:00", 1);  // past due, not answered
  std::string listed = Ok({"oversight", "findings", "--election", e});
  EXPECT_NE(std::string::npos, listed.find(",recommended,")) << listed;
  EXPECT_NE(std::string::npos, listed.find(",kpu:35.78,2024-02-13T12:00:00+07:00,yes,")) << listed;
  Ok(step({"answer", "--text", "Kekurangan dikirim dari gudang"}));
  Ok(step({"follow_up", "--text", "Diterima KPPS pukul 15.00"}));
  Ok(step({"close", "--text", "Tuntas sebelum H-1"}));
  EXPECT_NE(std::string::npos, Refused(step({"escalate", "--text", "x"})).find("is closed"));
  const std::string shown = Ok({"oversight", "finding", "show", id});
  for (const char* expected : {"\"state\":\"closed\"", "\"answer\":\"Kekurangan dikirim dari gudang\"",
                               "\"evidence\":[\"report:", "create -> draft", "register -> registered",
                               "recommend -> recommended", "answer -> answered", "follow_up -> followed_up",
                               "close -> closed  Tuntas sebelum H-1", "2024-02-13T13:00:00+07:00  os:"}) {
    EXPECT_NE(std::string::npos, shown.find(expected)) << expected << "\n" << shown;
  }
  // A second finding, by hand, escalated; both listed, numbered in turn.
  const std::string other = Ok({"oversight", "finding", "new", "--election", e, "--region", "35.78.01", "--category",
                                "storage_security", "--title", "Gudang PPK tidak terkunci", "--register"});
  EXPECT_NE(std::string::npos, other.find("002/TM/PM.01.02/35.78/02/2024")) << other;
  EXPECT_NE(std::string::npos, Refused({"oversight", "finding", "new", "--election", e, "--region", "35.78.01",
                                        "--category", "weather", "--title", "x"})
                                   .find("--category: expected"));
  listed = Ok({"oversight", "findings", "--election", e});
  EXPECT_EQ(3, std::count(listed.begin(), listed.end(), '\n')) << listed;

  // The follow-up plan and the evaluation: one finding closed before voting day, one open; one action late.
  EXPECT_NE(std::string::npos,
            Refused({"oversight", "action", "new", "--election", e, "--region", "35.78", "--title", "x", "--owner", "y",
                     "--due", "2024-02-13T15:00:00+07:00", "--finding", "no-such-finding"})
                .find("action: findings: there is no finding no-such-finding"));
  const std::string action = Ok({"oversight", "action", "new", "--election", e, "--region", "35.78", "--title",
                                 "Periksa ulang segel di semua PPS", "--owner", "KPU Kota Surabaya", "--due",
                                 "2024-02-13T15:00:00+07:00", "--finding", id, "--stage", "tps_h1"});
  EXPECT_NE(std::string::npos, action.find("RTL/35.78/2024/001")) << action;
  ::setenv("TEPAT_NOW", "2024-02-13T18:00:00+07:00", 1);
  EXPECT_NE(std::string::npos, Ok({"oversight", "actions", "--election", e}).find(",open,35.78,tps_h1,"));
  EXPECT_NE(std::string::npos, Ok({"oversight", "actions", "--election", e}).find("2024-02-13T15:00:00+07:00,yes,"));
  const std::string evaluation = Ok({"oversight", "evaluation", "--election", e});
  EXPECT_NE(std::string::npos, evaluation.find("\ntotal,2,1,1,0,0,1,50.0%,")) << evaluation;
  EXPECT_NE(std::string::npos, evaluation.find("\nstorage_security,1,1,0,")) << evaluation;
  EXPECT_NE(std::string::npos, evaluation.find("\nactions,1,1,0,0,1,")) << evaluation;
  Ok({"oversight", "evaluation", "--election", e, "--format", "xlsx", "--out", File("evaluation.xlsx")});
  EXPECT_EQ("PK", testing::ReadText(File("evaluation.xlsx")).substr(0, 2));
  ::unsetenv("TEPAT_NOW");
}

// At a warehouse the record includes goods a receiver refused and sent back: a KPU warehouse dispatches two boxes, a
// PPK accepts one and refuses one, and a supervisor who counts what the warehouse then holds finds no discrepancy; one
// box fewer is a count_mismatch naming the receipt.
TEST_P(OversightCliTest, GoodsRefusedAndSentBackCountAtTheSender) {
  Play(false);
  const std::string ppk = "kpu:35.78", pps = "ppk:35.78.01";  // the regency warehouse keeps the reserve
  auto held = [&] {
    std::istringstream rows(Ok({"ledger", "balances", "--node", ppk, "--election", "pemilu-2024"}));
    for (std::string row; std::getline(rows, row);) {
      if (row.starts_with("pemilu-2024," + ppk + ",kotak_suara,")) return std::stoll(row.substr(row.rfind(',') + 1));
    }
    return 0LL;
  };
  const long long before = held();
  ASSERT_GE(before, 2);
  const std::string dispatch = "0e0e0e0e-0000-4000-8000-000000000301", receipt = "0e0e0e0e-0000-4000-8000-000000000302";
  const std::string person = R"("signed_by":[{"name":"Rahmat","role":"Ketua"}])";
  testing::WriteText(
      File("refused.ndjson"),
      R"({"id":")" + dispatch +
          R"(","kind":"dispatch","election":"pemilu-2024","at":"2024-02-12T21:00:00+07:00","node":")" + ppk + R"(",)" +
          person + R"(,"to":")" + pps + R"(","lines":[{"item":"kotak_suara","quantity":2}]})" + "\n" + R"({"id":")" +
          receipt + R"(","kind":"receipt","election":"pemilu-2024","at":"2024-02-12T22:00:00+07:00","node":")" + pps +
          R"(",)" + person + R"(,"from":")" + ppk + R"(","dispatch":")" + dispatch +
          R"(","lines":[{"item":"kotak_suara","sent":2,"accepted":1,"rejected":1,"reason":"damaged"}]})" + "\n");
  Ok({"ledger", "import", File("refused.ndjson")});
  ASSERT_EQ(before - 1, held());
  auto report = [&](const std::string& id, long long count) {
    return R"({"id":")" + id +
           R"(","kind":"supervision_report","election":"pemilu-2024","stage":"storage","supervisor":{"name":"Sri","position":"Panwascam"},"assignment":"ST-2","node":")" +
           ppk + R"(","at":"2024-02-12T23:00:00+07:00","observed":[{"item":"kotak_suara","count":)" +
           std::to_string(count) + "}]}\n";
  };
  testing::WriteText(File("warehouse.ndjson"), report("0e0e0e0e-0000-4000-8000-000000000303", before - 1));
  Ok({"oversight", "record", File("warehouse.ndjson")});
  EXPECT_EQ("tps_code,discrepancy\n", Ok({"oversight", "discrepancies", "--election", "pemilu-2024"}));
  testing::WriteText(File("short.ndjson"), report("0e0e0e0e-0000-4000-8000-000000000304", before - 2));
  Ok({"oversight", "record", File("short.ndjson")});
  const std::string detail = Ok({"oversight", "discrepancies", "--election", "pemilu-2024", "--format", "detail"});
  EXPECT_NE(std::string::npos, detail.find(ppk + ",count_mismatch,")) << detail;
  EXPECT_NE(std::string::npos, detail.find(",kotak_suara," + std::to_string(before - 1) + "," +
                                           std::to_string(before - 2) + "," + receipt))
      << detail;
}

INSTANTIATE_TEST_SUITE_P(Backends, OversightCliTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace

}  // namespace tepat::cli
