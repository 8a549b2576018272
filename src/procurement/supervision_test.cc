// Tests of procurement's discrepancies and the findings they make.
#include "procurement/supervision.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace tepat::procurement {

TEST(SupervisionTest, EachKindOfDiscrepancyAndItsFinding) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  Plan plan;
  plan.offices = {{-1, 3, 0, 50'000'000, 40'000'000, true}, {regions.Find("35"), 1, 0, 10, 20, true}};
  std::vector<DestinationBalance> balances = {
      {regions.Find("35.78"), "kotak_suara", 1'100, 47'300'000, 1'000, 44'416'900, 2'883'100},  // 6.5 % above
      {regions.Find("31.71"), "kotak_suara", 500, 21'500'000, 500, 20'189'500, 1'310'500},      // 6.5 % above
      {regions.Find("31.71"), "tinta", 0, 0, 300, 0, 0},  // the plan's, no contract yet: not a discrepancy
  };
  DeliveryProgress progress;
  DeliveryRow late;
  late.contract = "P-1";
  late.product = "KS-1";
  late.warehouse = "kpu:35.78";
  late.due = 1'100;
  late.on_time = 600;
  late.late = 500;
  late.status = DeliveryStatus::kLate;
  DeliveryRow overdue = late;
  overdue.warehouse = "kpu:31.71";
  overdue.due = 500;
  overdue.on_time = 100;
  overdue.late = 0;
  overdue.status = DeliveryStatus::kOverdue;
  progress.rows = {late, overdue};

  const auto found = FindProcurementDiscrepancies(regions, plan, balances, progress, 5);
  ASSERT_EQ(6u, found.size());
  EXPECT_EQ("kpu:35.78#kotak_suara", found[0].Code());
  EXPECT_EQ(ProcurementIssue::kContractQuantity, found[0].kind);
  EXPECT_EQ(ProcurementIssue::kPriceAboveReference, found[1].kind);  // 6.5 % is more than 5 %
  EXPECT_EQ(ProcurementIssue::kPriceAboveReference, found[2].kind);
  EXPECT_EQ("kpu:35.78#P-1/KS-1", found[3].Code());
  EXPECT_EQ(ProcurementIssue::kDeliveryLate, found[3].kind);
  EXPECT_EQ(ProcurementIssue::kDeliveryOverdue, found[4].kind);
  EXPECT_EQ("kpu#pagu", found[5].Code());  // KPU RI: 50,000,000 planned against 40,000,000
  EXPECT_EQ(3u, FindProcurementDiscrepancies(regions, plan, balances, progress, 10).size());  // within 10 %

  const oversight::Finding excess = FindingOf(found[0]);
  EXPECT_EQ("35.78", excess.region);
  EXPECT_EQ(oversight::Category::kExcess, excess.category);
  EXPECT_EQ("procurement", excess.stage);
  EXPECT_EQ("Kuantitas kontrak kotak_suara untuk kpu:35.78 1.100, kebutuhan 1.000", excess.title);
  const oversight::Finding overdue_finding = FindingOf(found[4]);
  EXPECT_EQ(oversight::Category::kLate, overdue_finding.category);
  EXPECT_EQ(oversight::Severity::kHigh, overdue_finding.severity);
  EXPECT_EQ("receipt", overdue_finding.stage);
  EXPECT_EQ("", FindingOf(found[5]).region);  // KPU RI's: raised by hand with a region
  EXPECT_EQ(ProcurementIssue::kPaguShortfall, ParseProcurementIssue("pagu_shortfall"));
  EXPECT_FALSE(ParseProcurementIssue("pagu"));
}

}  // namespace tepat::procurement
