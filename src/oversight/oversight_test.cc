// Supervision reports, checklists and the cross-check, in memory.
#include <gtest/gtest.h>

#include "common/time.h"
#include "oversight/checklist.h"
#include "oversight/crosscheck.h"
#include "oversight/finding.h"
#include "oversight/report.h"

namespace tepat::oversight {

extern const size_t kEmbeddedChecklistsCount;  // every file of oversight/checklists/ (cmake/embed.cmake)

namespace {

constexpr const char* kReport = R"({"id":"0e0e0e0e-0000-4000-8000-000000000001","kind":"supervision_report",
"election":"pemilu-2024","stage":"tps_h1","supervisor":{"name":"Sri Wahyuni","position":"Pengawas TPS 001"},
"assignment":"ST-12/PM.01.02/35.78/02/2024","node":"kpps:35.78.01.1001.001","at":"2024-02-13T10:00:00+07:00",
"observed":[{"item":"kotak_suara","count":5},{"item":"surat_suara:DPR:35-37","count":266}],
"kits":[{"kit":"KIT-1","present":true,"seals":[{"seal":"S1","intact":true},{"seal":"S2","intact":true}]}],
"attachments":[{"name":"foto.jpg","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]})";

Report Parse(const std::string& text) {
  auto parsed = ParseReport("r.json", text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().ToString();
  return parsed.ok() ? parsed.value() : Report{};
}

TEST(ReportTest, ReadsWritesAndReadsBackTheSame) {
  const Report r = Parse(kReport);
  EXPECT_EQ(Stage::kTpsH1, r.stage);
  EXPECT_EQ("Sri Wahyuni", r.supervisor.name);
  ASSERT_EQ(2u, r.observed.size());
  EXPECT_EQ(266, r.observed[1].count);
  ASSERT_EQ(1u, r.kits.size());
  EXPECT_EQ(2u, r.kits[0].seals.size());
  const std::string written = WriteReport(r);
  EXPECT_EQ(written, WriteReport(Parse(written)));
  EXPECT_EQ(std::string::npos, written.find(' ' + std::string("\"")));  // canonical: no spaces between fields
}

TEST(ReportTest, EveryProblemIsNamedByItsField) {
  const auto refused = ParseReport("reports.ndjson:7", R"({"id":"X","kind":"supervision_report","election":"e",
    "stage":"somewhere","supervisor":{"name":""},"assignment":"A","node":"gudang","at":"yesterday","colour":1,
    "observed":[{"item":"kotak_suara","count":-1},{"item":"kotak_suara","count":1}],
    "kits":[{"kit":"K","present":false,"seals":[{"seal":"S","intact":false}]}],
    "attachments":[{"name":"a","sha256":"xyz"}]})");
  ASSERT_FALSE(refused.ok());
  const std::string text = refused.error().ToString();
  for (const char* expected :
       {"reports.ndjson:7: id:", "reports.ndjson:7: stage: unknown stage \"somewhere\"",
        "supervisor.name: must not be empty", "supervisor.position: required field is missing",
        "node: \"gudang\" is not a node code", "at: expected a time", "colour: unknown field",
        "observed[0].count: expected a whole number", "observed[1].item: item kotak_suara is already counted",
        "kits[0].seals: a kit that is not there has no seals", "attachments[0].sha256: expected 64"}) {
    EXPECT_NE(std::string::npos, text.find(expected)) << expected << "\n" << text;
  }
  EXPECT_FALSE(ParseReport("r", "{not json").ok());
}

TEST(ReportTest, FormANumbersFollowTheRegencyAndTheMonthInWib) {
  // 2024-01-31T20:00:00Z is already February in WIB.
  EXPECT_EQ("007/LHP/PM.01.02/35.78/02/2024", ReportNumber(7, "35.78", 1706731200));
  EXPECT_EQ("1234/LHP/PM.01.02/RI/02/2024", ReportNumber(1234, "RI", 1706731200));
}

TEST(ChecklistTest, EveryStageHasItsChecklistAndEveryFileReads) {
  std::set<Stage> stages;
  std::set<std::pair<std::string, int>> versions;
  for (const Checklist& c : BuiltinChecklists()) {
    EXPECT_TRUE(versions.insert({c.id, c.version}).second) << c.id << " v" << c.version << " is there twice";
    stages.insert(c.stage);
    EXPECT_EQ(std::string(StageName(c.stage)), c.id);
    EXPECT_GE(c.questions.size(), 5u) << c.id;
  }
  EXPECT_EQ(static_cast<size_t>(kStages), stages.size());
  EXPECT_EQ(kEmbeddedChecklistsCount, BuiltinChecklists().size());  // a file that does not read is left out
  EXPECT_TRUE(FindChecklist("tps_h1", 1).ok());
  EXPECT_FALSE(FindChecklist("tps_h1", 99).ok());
}

TEST(ChecklistTest, AFileWithProblemsIsRefusedWithItsLines) {
  const auto refused = ParseChecklist("x.toml",
                                      "id = \"x\"\nversion = 1\nstage = \"tps_h1\"\ntitle = \"T\"\n"
                                      "title_en = \"T\"\n[[questions]]\nid = \"a\"\ntext = \"?\"\n"
                                      "text_en = \"?\"\nanswer = \"maybe\"\nprinciple = \"speed\"\n");
  ASSERT_FALSE(refused.ok());
  const std::string text = refused.error().ToString();
  EXPECT_NE(std::string::npos, text.find("x.toml:10: questions[0].answer: expected yes_no, count or text")) << text;
  EXPECT_NE(std::string::npos, text.find("questions[0].principle")) << text;
}

TEST(FindingTest, ATimeAtTheEpochIsRefusedNotReadAsNone) {
  // Shown by fuzz/finding_fuzzer: a time at 1970-01-01 read as 0, which stands for "none", and was left out when
  // written back.
  Finding f;
  f.id = "0b3e9a56-1c1e-4d7a-9a51-3f6f0c1d2e4f";
  f.election = "pemilu-2024";
  f.region = "35.78";
  f.stage = "tps_h1";
  f.title = "Kotak suara tidak tersegel";
  f.description = "-";
  f.created_by = "bawaslu";
  f.created_at = 1707800000;
  const std::string json = WriteFinding(f);
  ASSERT_TRUE(ParseFinding("f", json).ok()) << ParseFinding("f", json).error().ToString();
  const std::string at = FormatInstant(f.created_at, 7 * 60);
  std::string epoch = json;
  epoch.replace(epoch.find(at), at.size(), "1970-01-01T07:00:00+07:00");
  auto refused = ParseFinding("f", epoch);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(std::string::npos, refused.error().ToString().find("created_at: expected a time after 1970"))
      << refused.error().ToString();
}

TEST(ChecklistTest, AVersionPastAMillionIsRefusedNotWrapped) {
  // Shown by fuzz/checklist_fuzzer: a version past 2^32 was cut to an int and read as another version.
  const auto refused = ParseChecklist("x.toml",
                                      "id = \"x\"\nversion = 4294967297\nstage = \"tps_h1\"\ntitle = \"T\"\n"
                                      "title_en = \"T\"\nquestions = []\n");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(std::string::npos, refused.error().ToString().find("version: expected 1 to 1,000,000"))
      << refused.error().ToString();
}

TEST(ChecklistTest, AnswersMustFitTheirQuestionsAndAllBeGiven) {
  const Checklist& c = *FindChecklist("tps_h1", 1).value();
  Report r = Parse(kReport);
  r.checklist = "tps_h1";
  r.checklist_version = 1;
  for (const Question& q : c.questions) {
    r.answers.push_back({q.id, q.answer == AnswerKind::kYesNo ? "ya" : q.answer == AnswerKind::kCount ? "3" : "-"});
  }
  ProblemList fine;
  CheckAnswers(r, "r", fine);
  EXPECT_TRUE(fine.empty()) << fine.ToError("").ToString();

  Report wrong = r;
  wrong.answers[0].answer = "mungkin";
  wrong.answers.pop_back();
  wrong.answers.push_back({"no_such_question", "ya"});
  wrong.stage = Stage::kPacking;
  ProblemList problems;
  CheckAnswers(wrong, "r", problems);
  const std::string text = problems.ToError("refused").ToString();
  EXPECT_NE(std::string::npos, text.find("checklist.answers[0].answer: question")) << text;
  EXPECT_NE(std::string::npos, text.find("has no question no_such_question")) << text;
  EXPECT_NE(std::string::npos, text.find("is not answered")) << text;
  EXPECT_NE(std::string::npos, text.find("is for stage tps_h1, the report's stage is packing")) << text;
}

// A TPS's record: a dispatch of kit KIT-1 and its receipt at the KPPS, seals intact; and a loose box.
class CrossCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kit_ = {"KIT-1",     "35.78.01.1001.001", "QR-1",
            "kpu:35.78", {"S1", "S2"},        {{"surat_suara:DPR:35-37", 266}, {"kotak_suara", 4}}};
    ledger::Document dispatch;
    dispatch.id = "d1";
    dispatch.kind = ledger::DocKind::kDispatch;
    dispatch.node = "pps:35.78.01.1001";
    dispatch.at_seconds = 100;
    ledger::Document receipt;
    receipt.id = "r1";
    receipt.kind = ledger::DocKind::kReceipt;
    receipt.node = kNode;
    receipt.at_seconds = 200;
    receipt.kit_receipts = {{"KIT-1", true, true, false, ""}};
    docs_ = {{dispatch,
              {{"pps:35.78.01.1001", "transit", "kit:KIT-1", 1}, {"pps:35.78.01.1001", "transit", "kotak_suara", 1}}},
             {receipt, {{"transit", kNode, "kit:KIT-1", 1}, {"transit", kNode, "kotak_suara", 1}}}};
    report_ = Parse(kReport);  // 5 boxes (4 in the kit, 1 loose), 266 DPR ballots of 35-37, seals intact
  }
  std::vector<Discrepancy> Check(int64_t at = 300) {
    const Recorded recorded =
        RecordAt(kNode, at, docs_, [&](const std::string& id) { return id == "KIT-1" ? &kit_ : nullptr; });
    return CrossCheck(report_, recorded);
  }
  static constexpr const char* kNode = "kpps:35.78.01.1001.001";
  ledger::Kit kit_;
  std::vector<NodeDocument> docs_;
  Report report_;
};

TEST_F(CrossCheckTest, WhatIsSeenAsRecordedIsNoDiscrepancy) { EXPECT_TRUE(Check().empty()); }

TEST_F(CrossCheckTest, ACountDiffersAndNamesTheDocument) {
  report_.observed[0].count = 3;
  const auto found = Check();
  ASSERT_EQ(1u, found.size());
  EXPECT_EQ(DiscrepancyKind::kCountMismatch, found[0].kind);
  EXPECT_EQ("kotak_suara", found[0].subject);
  EXPECT_EQ(5, found[0].recorded);
  EXPECT_EQ(3, found[0].observed);
  EXPECT_EQ("r1", found[0].document);
}

TEST_F(CrossCheckTest, AnotherDapilsBallotsAreAVariantMismatchOnly) {
  report_.observed[1].item = "surat_suara:DPR:35-38";
  const auto found = Check();
  ASSERT_EQ(1u, found.size());
  EXPECT_EQ(DiscrepancyKind::kVariantMismatch, found[0].kind);
  EXPECT_EQ("surat_suara:DPR:35-38", found[0].subject);
  EXPECT_EQ("r1", found[0].document);
}

TEST_F(CrossCheckTest, ABrokenSealRecordedIntact) {
  report_.kits[0].seals[1].intact = false;
  const auto found = Check();
  ASSERT_EQ(1u, found.size());
  EXPECT_EQ(DiscrepancyKind::kSealBroken, found[0].kind);
  EXPECT_EQ("KIT-1", found[0].subject);
  // Recorded broken on receipt: what is seen agrees.
  docs_[1].document.kit_receipts[0].seals_intact = false;
  EXPECT_TRUE(Check().empty());
}

TEST_F(CrossCheckTest, AKitRecordedReceivedThatIsNotThere) {
  report_.kits[0].present = false;
  report_.kits[0].seals.clear();
  report_.observed = {{"kotak_suara", 1}};  // only the loose box is there
  const auto found = Check();
  ASSERT_EQ(1u, found.size());
  EXPECT_EQ(DiscrepancyKind::kNotReceived, found[0].kind);
  EXPECT_EQ("r1", found[0].document);
}

TEST_F(CrossCheckTest, TheRecordIsTakenAtTheReportsTime) {
  // Before the receipt the KPPS holds nothing: the kit and everything counted contradict nothing recorded there...
  const auto found = Check(150);
  ASSERT_EQ(2u, found.size());  // ...except the counts: the ballots (a variant held by no record) and the box
  EXPECT_EQ(DiscrepancyKind::kVariantMismatch, found[0].kind);
  EXPECT_EQ(DiscrepancyKind::kCountMismatch, found[1].kind);
  EXPECT_EQ("", found[1].document);
}

}  // namespace

}  // namespace tepat::oversight
