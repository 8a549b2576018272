// Tests of the procurement plan: the worked example of docs/procurement.md §2, in rupiah, and its limits.
#include "procurement/plan.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace tepat::procurement {

namespace {

const election::Definition& Pilkada() { return testing::Builtin("pilkada-2024"); }

int32_t ItemIndex(std::string_view code) {
  return static_cast<int32_t>(Pilkada().FindItem(code) - Pilkada().items.data());
}
int32_t ContestIndex(std::string_view code) {
  return static_cast<int32_t>(Pilkada().FindContest(code) - Pilkada().contests.data());
}

// The needs of the worked example, over the fixture regions: Jakarta (31) elects its governor only, Surabaya (35.78)
// its governor and its mayor.
planning::Needs ExampleNeeds() {
  const geo::RegionSet& regions = testing::FixtureRegions();
  planning::Needs needs;
  needs.items = {
      {ItemIndex("surat_suara"), ContestIndex("GUBERNUR"), "31", "surat_suara:GUBERNUR:31"},
      {ItemIndex("surat_suara"), ContestIndex("GUBERNUR"), "35", "surat_suara:GUBERNUR:35"},
      {ItemIndex("surat_suara"), ContestIndex("BUPATI_WALIKOTA"), "35.78", "surat_suara:BUPATI_WALIKOTA:35.78"},
      {ItemIndex("surat_suara_psu"), ContestIndex("GUBERNUR"), "31", "surat_suara_psu:GUBERNUR:31"},
      {ItemIndex("kotak_suara"), -1, "", "kotak_suara"},
  };
  needs.by_region.resize(regions.size());
  auto set = [&](std::string_view code, planning::Quantities q) { needs.by_region[regions.Find(code)] = q; };
  set("31.71", {{0, 12'345}, {4, 1'000}});
  set("31.01", {{0, 10'250}, {4, 800}});
  set("31", {{0, 22'595}, {3, 2'000}, {4, 1'800}});  // the regencies' and the PSU reserve held at KPU DKI Jakarta
  set("35.78", {{1, 20'001}, {2, 20'001}});
  set("35", {{1, 20'001}, {2, 20'001}});
  needs.national = {{0, 22'595}, {1, 20'001}, {2, 20'001}, {3, 2'000}, {4, 1'800}};
  return needs;
}

std::vector<UnitPrice> ExamplePrices() {
  return {
      {"kotak_suara", "", 40'379, 0, PriceSource::kEkatalog, "KD-1"},
      {"surat_suara", "", 700, 25, PriceSource::kEkatalog, "KD-2"},
      {"surat_suara", "31", 650, 0, PriceSource::kHps, "HPS/31"},
  };
}

std::vector<BudgetLine> ExampleBudget() {
  return {
      {"kpu:31", 2024, "521211", 20'000'000, "Logistik Pilgub"},
      {"kpu:31.71", 2024, "521211", 25'000'000, "Logistik"},
      {"kpu:35.78", 2024, "521211", 10'000'000, "Logistik"},
      {"kpu:35.78", 2024, "521219", 5'000'000, "Logistik tambahan"},
  };
}

const PlanLine* FindLine(const Plan& plan, std::string_view destination, std::string_view item,
                         const planning::Needs& needs) {
  const geo::RegionSet& regions = testing::FixtureRegions();
  for (const PlanLine& line : plan.lines) {
    if (OfficeNode(regions, line.destination) == destination && needs.items[line.need_item].code == item) return &line;
  }
  return nullptr;
}

const OfficePlan* FindOffice(const Plan& plan, std::string_view node) {
  for (const OfficePlan& office : plan.offices) {
    if (OfficeNode(testing::FixtureRegions(), office.office) == node) return &office;
  }
  return nullptr;
}

}  // namespace

// docs/procurement.md §2, the worked example, line by line.
TEST(ProcurementPlanTest, TheWorkedExampleBuysWholePacksAtTheZonesPriceAgainstEachPagu) {
  const planning::Needs needs = ExampleNeeds();
  const std::vector<UnitPrice> prices = ExamplePrices();
  const std::vector<BudgetLine> budget = ExampleBudget();
  PlanInput input{&Pilkada(), &testing::FixtureRegions(), &needs, &prices, &budget, {}};
  input.stock = {{"kpu:31.71", "kotak_suara", 300},
                 {"kpu:31.01", "kotak_suara", 500},
                 {"kpu:31.01", "kotak_suara", 400},  // two lines add up: 900, more than the 800 needed
                 {"kpps:31.71.01.1001.001", "kotak_suara", 99},  // not a warehouse: ignored
                 {"kpu:35.78", "tinta", 10}};                    // not needed there: ignored
  auto computed = ComputePlan(input);
  ASSERT_TRUE(computed.ok()) << computed.error().ToString();
  const Plan& plan = computed.value();
  ASSERT_EQ(7u, plan.lines.size());

  const PlanLine* boxes = FindLine(plan, "kpu:31.71", "kotak_suara", needs);
  ASSERT_NE(nullptr, boxes);
  EXPECT_EQ(1'000, boxes->need);
  EXPECT_EQ(300, boxes->stock);
  EXPECT_EQ(700, boxes->buy);  // a box is its own pack
  EXPECT_EQ(40'379, boxes->unit_price);
  EXPECT_EQ(28'265'300, boxes->cost);
  EXPECT_EQ("kpu:31.71", OfficeNode(testing::FixtureRegions(), boxes->buyer));  // shared items: the KPU kab/kota

  const PlanLine* covered = FindLine(plan, "kpu:31.01", "kotak_suara", needs);
  ASSERT_NE(nullptr, covered);
  EXPECT_EQ(800, covered->stock);  // at most the need
  EXPECT_EQ(0, covered->buy);
  EXPECT_EQ(0, covered->cost);

  const PlanLine* governor = FindLine(plan, "kpu:31.71", "surat_suara:GUBERNUR:31", needs);
  ASSERT_NE(nullptr, governor);
  EXPECT_EQ(12'500, governor->buy);     // 12,345 in reams of 500
  EXPECT_EQ(650, governor->unit_price);  // the province's HPS price: the narrowest zone first
  EXPECT_EQ(8'125'000, governor->cost);
  EXPECT_EQ("kpu:31", OfficeNode(testing::FixtureRegions(), governor->buyer));  // governor items: the KPU provinsi
  EXPECT_EQ(6'825'000, FindLine(plan, "kpu:31.01", "surat_suara:GUBERNUR:31", needs)->cost);  // 10,500 × 650

  const PlanLine* reserve = FindLine(plan, "kpu:31", "surat_suara_psu:GUBERNUR:31", needs);
  ASSERT_NE(nullptr, reserve);  // held at the province: what it holds beyond its regencies
  EXPECT_EQ(2'000, reserve->need);
  EXPECT_EQ(2'000, reserve->buy);
  EXPECT_FALSE(reserve->priced);

  const PlanLine* mayor = FindLine(plan, "kpu:35.78", "surat_suara:BUPATI_WALIKOTA:35.78", needs);
  ASSERT_NE(nullptr, mayor);
  EXPECT_EQ(20'500, mayor->buy);
  EXPECT_EQ(725, mayor->unit_price);  // the nation's e-katalog price and its shipping
  EXPECT_EQ(14'862'500, mayor->cost);
  EXPECT_EQ("kpu:35", OfficeNode(testing::FixtureRegions(),
                                 FindLine(plan, "kpu:35.78", "surat_suara:GUBERNUR:35", needs)->buyer));

  ASSERT_EQ(5u, plan.offices.size());
  const OfficePlan* jakarta = FindOffice(plan, "kpu:31");
  ASSERT_NE(nullptr, jakarta);
  EXPECT_EQ(14'950'000, jakarta->cost);  // 8,125,000 + 6,825,000; the reserve has no price
  EXPECT_EQ(1, jakarta->unpriced_lines);
  EXPECT_EQ(3, jakarta->buy_lines);
  EXPECT_EQ(5'050'000, jakarta->Balance());  // a surplus
  EXPECT_EQ(-3'265'300, FindOffice(plan, "kpu:31.71")->Balance());  // 25,000,000 − 28,265,300: a shortfall
  EXPECT_EQ(0, FindOffice(plan, "kpu:31.01")->cost);
  EXPECT_FALSE(FindOffice(plan, "kpu:31.01")->has_budget);
  EXPECT_EQ(15'000'000, FindOffice(plan, "kpu:35.78")->pagu);  // two budget lines
  EXPECT_EQ(137'500, FindOffice(plan, "kpu:35.78")->Balance());
  EXPECT_EQ(-14'862'500, FindOffice(plan, "kpu:35")->Balance());  // no budget at all
  EXPECT_EQ(nullptr, FindOffice(plan, "kpu"));                     // KPU RI buys nothing in Pilkada
}

TEST(ProcurementPlanTest, RollsUpByOfficeOrByDestinationWithinARegion) {
  const planning::Needs needs = ExampleNeeds();
  const std::vector<UnitPrice> prices = ExamplePrices();
  const std::vector<BudgetLine> budget = ExampleBudget();
  const geo::RegionSet& regions = testing::FixtureRegions();
  const Plan plan = ComputePlan({&Pilkada(), &regions, &needs, &prices, &budget, {}}).value();

  // By destination at the provinces: Jakarta's ballots are its two regencies' and its reserve.
  const auto provinces = RollUp(plan, needs, regions, false, geo::Level::kProvince, -1);
  const auto ballots = std::find_if(provinces.begin(), provinces.end(), [&](const PlanRow& row) {
    return row.group == regions.Find("31") && row.item == ItemIndex("surat_suara");
  });
  ASSERT_NE(provinces.end(), ballots);
  EXPECT_EQ(22'595, ballots->need);
  EXPECT_EQ(23'000, ballots->buy);  // 12,500 + 10,500: packs are whole per warehouse
  EXPECT_EQ(14'950'000, ballots->cost);

  // By office within Surabaya: what each office buys for it.
  const auto surabaya = RollUp(plan, needs, regions, true, geo::Level::kRegency, regions.Find("35.78"));
  ASSERT_EQ(2u, surabaya.size());
  EXPECT_EQ(regions.Find("35"), surabaya[0].group);
  EXPECT_EQ(regions.Find("35.78"), surabaya[1].group);
  EXPECT_EQ(14'862'500, surabaya[1].cost);

  // The nation as one: every line, here with no stock (1,800 boxes bought at Rp40,379).
  const auto nation = RollUp(plan, needs, regions, false, geo::Level::kNational, -1);
  int64_t cost = 0;
  for (const PlanRow& row : nation) {
    EXPECT_EQ(-1, row.group);
    cost += row.cost;
  }
  EXPECT_EQ(14'950'000 + 1'800 * 40'379 + 2 * 14'862'500, cost);
}

TEST(ProcurementPlanTest, PemiluIsBoughtByKpuRiForEveryWarehouse) {
  const election::Definition pemilu = election::LoadBuiltin("pemilu-2024").value();
  const geo::RegionSet& regions = testing::FixtureRegions();
  planning::Needs needs;
  const int32_t box = static_cast<int32_t>(pemilu.FindItem("kotak_suara") - pemilu.items.data());
  needs.items = {{box, -1, "", "kotak_suara"}};
  needs.by_region.resize(regions.size());
  needs.by_region[regions.Find("35.78")] = {{0, 100}};
  needs.by_region[regions.Find("35")] = {{0, 100}};
  needs.national = {{0, 100}};
  const std::vector<UnitPrice> prices = {{"kotak_suara", "", 40'379, 0, PriceSource::kEkatalog, ""}};
  const std::vector<BudgetLine> budget = {{"kpu", 2023, "521211", 5'000'000, ""}};
  const Plan plan = ComputePlan({&pemilu, &regions, &needs, &prices, &budget, {}}).value();
  ASSERT_EQ(1u, plan.lines.size());
  EXPECT_EQ(-1, plan.lines[0].buyer);
  EXPECT_EQ(regions.Find("35.78"), plan.lines[0].destination);
  ASSERT_EQ(1u, plan.offices.size());
  EXPECT_EQ(5'000'000 - 4'037'900, plan.offices[0].Balance());
}

TEST(ProcurementPlanTest, ACostPastRp1QuadrillionIsRefused) {
  const planning::Needs needs = ExampleNeeds();
  const std::vector<UnitPrice> prices = {{"surat_suara", "", kMaxRupiah, 0, PriceSource::kEkatalog, ""}};
  const std::vector<BudgetLine> budget;
  auto plan = ComputePlan({&Pilkada(), &testing::FixtureRegions(), &needs, &prices, &budget, {}});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(std::string::npos, plan.error().ToString().find("passes Rp1 quadrillion")) << plan.error().ToString();
}

}  // namespace tepat::procurement
