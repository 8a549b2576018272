// Tests of tepat efisien: the worked example of docs/procurement.md §6, in rupiah.
#include "procurement/efficiency.h"

#include <gtest/gtest.h>

#include "common/time.h"
#include "testing/testing.h"

namespace tepat::procurement {

TEST(EfficiencyTest, TheWorkedExampleScoresOverContractingAndPricesAboveTheReference) {
  const election::Definition& def = testing::Builtin("pemilu-2024");
  const geo::RegionSet& regions = testing::FixtureRegions();
  planning::Needs needs;
  needs.items = {{static_cast<int32_t>(def.FindItem("kotak_suara") - def.items.data()), -1, "", "kotak_suara"}};
  Plan plan;
  plan.lines = {{regions.Find("35.78"), -1, 0, 1'000, 0, 1'000, 40'379, true, 40'379'000},
                {regions.Find("31.71"), -1, 0, 500, 0, 500, 40'379, true, 20'189'500}};
  ContractBook book;
  Contract contract;
  contract.number = "P-1";
  contract.vendor = "1001";
  contract.office = "kpu";
  contract.signed_day = ParseDate("2023-09-18").value();
  contract.hps = 100'000'000;
  contract.lines = {{"KS-1", "kotak_suara", "", "", "buah", 1'600, 42'000, 1'600'000}};
  book.contracts = {contract};
  book.schedule = {{"P-1", "KS-1", "kpu:35.78", 1'100, contract.signed_day + 60},
                   {"P-1", "KS-1", "kpu:31.71", 500, contract.signed_day + 60}};
  book.payments = {{"P-1", "SP2D-1", contract.signed_day + 90, 30'000'000}};
  const std::vector<UnitPrice> prices = {{"kotak_suara", "", 40'379, 0, PriceSource::kEkatalog, ""}};
  const std::vector<BudgetLine> budget = {{"kpu", 2023, "521211", 80'000'000, ""}};
  RegionTotals totals;
  totals.dpt.assign(regions.size(), 0);
  totals.tps.assign(regions.size(), 0);
  totals.national_dpt = 344'000;
  totals.national_tps = 1'200;

  const Efficiency e = ComputeEfficiency(def, regions, needs, plan, book, prices, budget, totals);
  const RegionEfficiency& nation = e.regions[0];
  EXPECT_EQ(-1, nation.region);
  EXPECT_EQ(68'800'000, nation.contracted);  // 1,600 × 42,000 + 1,600,000 shipping
  EXPECT_EQ(100, nation.over_units);         // 1,100 scheduled to Surabaya, 1,000 needed there
  EXPECT_EQ(4'300'000, nation.over);         // 100 × 47,300,000 / 1,100
  EXPECT_EQ(0, nation.under_units);
  EXPECT_EQ(2'883'100 + 1'310'500, nation.above_reference);  // 43,000 a box delivered against 40,379
  EXPECT_NEAR(1.0 - 8'493'600.0 / 68'800'000.0, nation.Score(), 1e-12);
  EXPECT_EQ(200.0, static_cast<double>(nation.contracted) / nation.dpt);  // Rp200 per voter

  const auto surabaya = std::find_if(e.regions.begin(), e.regions.end(),
                                     [&](const RegionEfficiency& r) { return r.region == regions.Find("35.78"); });
  ASSERT_NE(e.regions.end(), surabaya);
  EXPECT_EQ(47'300'000, surabaya->contracted);
  EXPECT_EQ(4'300'000, surabaya->over);
  const auto yogyakarta = std::find_if(e.regions.begin(), e.regions.end(),
                                       [&](const RegionEfficiency& r) { return r.region == regions.Find("34.71"); });
  ASSERT_NE(e.regions.end(), yogyakarta);
  EXPECT_EQ(-1, yogyakarta->Score());  // nothing contracted there

  ASSERT_EQ(1u, e.offices.size());
  const OfficeEfficiency& kpu = e.offices[0];
  EXPECT_EQ(68'800'000, kpu.value);
  EXPECT_EQ(31'200'000, kpu.SavingsAgainstHps());   // efisiensi 31.2 % against the HPS
  EXPECT_EQ(11'200'000, kpu.SavingsAgainstPagu());  // 14 % against the pagu
  EXPECT_EQ(30'000'000, kpu.paid);                  // realisasi 37.5 % of the pagu

  // Fewer units scheduled than the plan buys: the missing units at the reference price.
  book.schedule[0].quantity = 900;
  const Efficiency short_ = ComputeEfficiency(def, regions, needs, plan, book, prices, budget, totals);
  EXPECT_EQ(100, short_.regions[0].under_units);
  EXPECT_EQ(4'037'900, short_.regions[0].under);
}

}  // namespace tepat::procurement
