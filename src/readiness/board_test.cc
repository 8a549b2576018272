// Tests of the readiness board and of verify's projection check over the fixture regions, TPS and dapil: effects
// applied one at a time move a TPS through its states and problems, every region rolls up its TPS, and a reversal
// takes back exactly what its document gave.
#include "readiness/board.h"

#include <gtest/gtest.h>

#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/tps.h"
#include "readiness/projection_check.h"
#include "testing/testing.h"

namespace tepat::readiness {

namespace {

class BoardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    def_ = election::LoadBuiltin("pemilu-2024").value();
    tps_ = geo::ParseTpsCsv("pemilu-tps.csv", testing::ReadText((testing::FixtureDir() / "pemilu-tps.csv").string()),
                            regions_, def_.tps_voter_cap)
               .value();
    auto dapils = geo::ParseDapilCsv("pemilu-dapil.csv",
                                     testing::ReadText((testing::FixtureDir() / "pemilu-dapil.csv").string()), regions_,
                                     def_.DapilContests(), tps_);
    ASSERT_TRUE(dapils.ok()) << dapils.error().ToString();
    dapils_ = std::move(dapils).value();
    auto board = Board::Build(def_, regions_, tps_, &dapils_);
    ASSERT_TRUE(board.ok()) << board.error().ToString();
    board_ = std::make_unique<Board>(std::move(board).value());
    first_ = geo::TpsCode(regions_, tps_.front());
  }
  // A receipt at the TPS's KPPS of everything it needs, less `short_by` of its first item, at `at`.
  ledger::TpsEffect Receipt(const std::string& tps, int64_t at, int64_t short_by = 0) const {
    ledger::TpsEffect e{.tps = tps, .received_at = at, .kits = 1};
    const auto items = board_->Items(board_->FindTps(tps));
    for (size_t i = 0; i < items.size(); ++i) {
      e.received.emplace_back(std::get<0>(items[i]), std::get<1>(items[i]) - (i == 0 ? short_by : 0));
    }
    return e;
  }
  int64_t Before() const { return board_->Deadline(board_->FindTps(first_)) - 86400; }
  int64_t After() const { return board_->Deadline(board_->FindTps(first_)) + 86400; }

  const geo::RegionSet& regions_ = testing::FixtureRegions();
  election::Definition def_;
  std::vector<geo::Tps> tps_;
  geo::DapilSet dapils_;
  std::unique_ptr<Board> board_;
  std::string first_;
};

}  // namespace

TEST_F(BoardTest, ATpsGoesFromNothingToInTransitToComplete) {
  const size_t i = board_->FindTps(first_);
  EXPECT_EQ(State::kNotDelivered, board_->StateOf(i));
  EXPECT_EQ(0, board_->ProblemsOf(i, Before()));  // not late yet
  EXPECT_EQ(Bit(Problem::kNotDelivered), board_->ProblemsOf(i, After()));
  board_->Apply({.tps = first_, .dispatched_at = Before() - 3600});
  EXPECT_EQ(State::kInTransit, board_->StateOf(i));
  board_->Apply(Receipt(first_, Before()));
  EXPECT_EQ(State::kComplete, board_->StateOf(i));
  EXPECT_EQ(0, board_->ProblemsOf(i, After())) << "everything it needs, in time";
}

TEST_F(BoardTest, ShortLateAndReversedReceiptsAreNamed) {
  const size_t i = board_->FindTps(first_);
  const ledger::TpsEffect late_and_short = Receipt(first_, After(), 1);
  board_->Apply(late_and_short);
  EXPECT_EQ(Bit(Problem::kShort) | Bit(Problem::kLate), board_->ProblemsOf(i, After() + 60));
  // The reversal of that receipt takes back exactly what it gave.
  ledger::TpsEffect reversal = late_and_short;
  reversal.sign = -1;
  board_->Apply(reversal);
  EXPECT_EQ(State::kNotDelivered, board_->StateOf(i));
  EXPECT_EQ(Bit(Problem::kNotDelivered), board_->ProblemsOf(i, After() + 60));
  // Misrouted and unsealed kits are problems of the TPS that received them.
  ledger::TpsEffect wrong = Receipt(first_, Before());
  wrong.misrouted = 1;
  wrong.unsealed = 1;
  board_->Apply(wrong);
  EXPECT_EQ(Bit(Problem::kMisrouted) | Bit(Problem::kUnsealed), board_->ProblemsOf(i, Before()));
}

TEST_F(BoardTest, EveryRegionRollsUpItsTps) {
  for (const geo::Tps& tps : tps_) board_->Apply(Receipt(geo::TpsCode(regions_, tps), Before()));
  board_->Apply(Receipt(first_, Before(), 0));  // a second receipt of the same goods: excess
  const RegionReadiness nation = board_->Region(-1, After());
  EXPECT_EQ(static_cast<int64_t>(tps_.size()), nation.tps);
  EXPECT_EQ(nation.tps, nation.states[static_cast<int>(State::kComplete)]);
  EXPECT_EQ(1, nation.problems[static_cast<int>(Problem::kExcess)]);
  // The nation is the sum of its provinces, state by state and item by item.
  RegionReadiness sum;
  sum.item_need.assign(nation.item_need.size(), 0);
  for (int32_t p : regions_.OfLevel(geo::Level::kProvince)) {
    const RegionReadiness r = board_->Region(p, After());
    sum.tps += r.tps;
    for (int s = 0; s < kStates; ++s) sum.states[s] += r.states[s];
    for (size_t k = 0; k < r.item_need.size(); ++k) sum.item_need[k] += r.item_need[k];
  }
  EXPECT_EQ(nation.tps, sum.tps);
  EXPECT_EQ(nation.states, sum.states);
  EXPECT_EQ(nation.item_need, sum.item_need);
}

TEST_F(BoardTest, AStateOlderThanTheOneHeldIsIgnored) {
  TpsState newer;
  newer.receipts = 1;
  newer.first_received_at = Before();
  ASSERT_TRUE(board_->Load(first_, newer, 10).ok());
  ASSERT_TRUE(board_->Load(first_, TpsState{}, 9).ok());
  EXPECT_EQ(10, board_->SeqOf(first_));
  EXPECT_FALSE(board_->Load("99.99.99.9999.999", TpsState{}).ok());
}

TEST(ProjectionCheckTest, TheStoredProjectionMustBeWhatTheEffectsGive) {
  const ledger::TpsEffect receipt{.tps = "35.78.01.1001.001",
                                  .received_at = 1707800000,
                                  .received = {{"kotak_suara", 5}, {"surat_suara:DPR:35-01", 310}},
                                  .kits = 1};
  TpsState state;
  ApplyEffect(state, receipt);
  {
    ProjectionCheck check;
    check.Apply(receipt);
    EXPECT_TRUE(check.Stored("35.78.01.1001.001", state).ok());
    EXPECT_TRUE(check.Stored("35.78.01.1001.002", TpsState{}).ok()) << "an empty state of a TPS with no effects";
    EXPECT_TRUE(check.End().ok());
    EXPECT_EQ(2, check.checked());
  }
  {
    ProjectionCheck check;
    check.Apply(receipt);
    TpsState more = state;
    more.received[0].second += 1;
    const Status differs = check.Stored("35.78.01.1001.001", more);
    ASSERT_FALSE(differs.ok());
    EXPECT_EQ("ledger verify failed: the readiness of TPS 35.78.01.1001.001 differs from what the documents give",
              differs.error().message());
  }
  {
    ProjectionCheck check;
    check.Apply(receipt);
    const Status missing = check.End();
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ("ledger verify failed: the readiness of TPS 35.78.01.1001.001 is missing", missing.error().message());
  }
  {
    // A reversal brings it back to nothing, which needs no stored row.
    ProjectionCheck check;
    check.Apply(receipt);
    ledger::TpsEffect reversal = receipt;
    reversal.sign = -1;
    check.Apply(reversal);
    EXPECT_TRUE(check.End().ok());
  }
}

}  // namespace tepat::readiness
