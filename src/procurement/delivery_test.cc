// Tests of deliveries against the schedule: the worked example of docs/procurement.md §5.
#include "procurement/delivery.h"

#include <gtest/gtest.h>

#include "common/time.h"
#include "testing/testing.h"

namespace tepat::procurement {

namespace {

int64_t Day(const char* text) { return ParseDate(text).value(); }

ContractBook Book() {
  const election::Definition def = election::LoadBuiltin("pemilu-2024").value();
  const std::vector<Vendor> vendors = {{"1001", "PT Kotak", ""}, {"1002", "PT Tinta", ""}};
  ContractBook book;
  book.contracts = ParseContractsCsv("c.csv",
                                     "kd_paket,tahap,kd_penyedia,satker,tanggal_buat_paket,kd_produk,item,kuantitas,"
                                     "harga_satuan\n"
                                     "P-001,1,1001,kpu,2023-09-18,KS-1,kotak_suara,2000,40379\n"
                                     "P-001,1,1001,kpu,2023-09-18,BS-1,bilik_suara,100,16207\n"
                                     "P-002,1,1002,kpu,2023-09-18,TI-1,tinta,500,11211\n",
                                     def, testing::FixtureRegions(), vendors)
                       .value();
  book.schedule = {{"P-001", "KS-1", "kpu:35.78", 1'500, Day("2023-11-21")},
                   {"P-001", "KS-1", "kpu:31.71", 500, Day("2023-11-21")},
                   {"P-002", "TI-1", "kpu:35.78", 500, Day("2023-12-15")}};
  return book;
}

const std::vector<Arrival>& Arrivals() {
  static const std::vector<Arrival> arrivals = {
      {"P-001", "kpu:35.78", "kotak_suara", Day("2023-11-20"), 1'000, 0, false},
      {"P-001", "kpu:35.78", "kotak_suara", Day("2023-11-25"), 500, 10, false},  // late, 10 damaged
      {"P-001", "kpu:31.71", "kotak_suara", Day("2023-11-21"), 300, 0, false},   // on its due day, short
      {"P-001", "kpu:35.78", "bilik_suara", Day("2023-11-10"), 50, 0, false},    // no schedule for it
      {"P-002", "kpu:35.78", "kotak_suara", Day("2023-11-10"), 20, 0, false},    // not an item of P-002
      {"P-001", "kpu:35.78", "kotak_suara", Day("2024-01-05"), 99, 0, false},    // after the day asked
  };
  return arrivals;
}

const DeliveryRow& Row(const DeliveryProgress& p, std::string_view contract, std::string_view warehouse,
                       std::string_view item) {
  for (const DeliveryRow& row : p.rows) {
    if (row.contract == contract && row.warehouse == warehouse && row.item == item) return row;
  }
  ADD_FAILURE() << "no row " << contract << " " << warehouse << " " << item;
  static const DeliveryRow none;
  return none;
}

}  // namespace

TEST(DeliveryTest, EachLineAndWarehouseAgainstItsDueDate) {
  const DeliveryProgress p =
      ComputeDeliveries(Book(), Arrivals(), {{"P-001", "kotak_suara", 1'900}}, Day("2023-12-01"));
  ASSERT_EQ(5u, p.rows.size());
  const DeliveryRow& surabaya = Row(p, "P-001", "kpu:35.78", "kotak_suara");
  EXPECT_EQ(1'000, surabaya.on_time);
  EXPECT_EQ(500, surabaya.late);
  EXPECT_EQ(10, surabaya.damaged);
  EXPECT_EQ(0, surabaya.Short());
  EXPECT_EQ(DeliveryStatus::kLate, surabaya.status);  // complete, but after its due day

  const DeliveryRow& jakarta = Row(p, "P-001", "kpu:31.71", "kotak_suara");
  EXPECT_EQ(300, jakarta.on_time);  // received on the due day itself
  EXPECT_EQ(200, jakarta.Short());
  EXPECT_EQ(DeliveryStatus::kOverdue, jakarta.status);

  EXPECT_EQ(DeliveryStatus::kPending, Row(p, "P-002", "kpu:35.78", "tinta").status);  // due on 15 December
  const DeliveryRow& booths = Row(p, "P-001", "kpu:35.78", "bilik_suara");
  EXPECT_EQ(DeliveryStatus::kUnscheduled, booths.status);
  EXPECT_EQ("BS-1", booths.product);
  EXPECT_EQ(50, booths.Excess());
  EXPECT_EQ("", Row(p, "P-002", "kpu:35.78", "kotak_suara").product);  // P-002 has no line of boxes

  ASSERT_EQ(2u, p.vendors.size());
  EXPECT_EQ("1001", p.vendors[0].vendor);
  EXPECT_EQ(2'000, p.vendors[0].due);      // both rows were due by 1 December
  EXPECT_EQ(1'300, p.vendors[0].on_time);  // 1,000 at Surabaya, 300 at Jakarta Pusat
  EXPECT_DOUBLE_EQ(0.65, p.vendors[0].OnTimeRate());
  EXPECT_EQ(1'850, p.vendors[0].arrived);
  EXPECT_EQ(0, p.vendors[1].due);  // P-002 is not yet due

  const auto boxes = std::find_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.item == "kotak_suara"; });
  ASSERT_NE(p.items.end(), boxes);
  EXPECT_EQ(2'000, boxes->contracted);
  EXPECT_EQ(1'900, boxes->shipped);
  EXPECT_EQ(1'820, boxes->arrived);
  EXPECT_EQ(10, boxes->damaged);
}

TEST(DeliveryTest, BeforeTheDueDayNothingIsLateAndAnAmendmentChangesWhatIsContracted) {
  ContractBook book = Book();
  book.amendments = {{"P-001", 1, Day("2023-11-29"), "KS-1", 1'800}};
  const DeliveryProgress p = ComputeDeliveries(book, Arrivals(), {}, Day("2023-11-15"));
  EXPECT_EQ(DeliveryStatus::kPending, Row(p, "P-001", "kpu:35.78", "kotak_suara").status);
  EXPECT_EQ(0, Row(p, "P-001", "kpu:35.78", "kotak_suara").Arrived());  // nothing had arrived by then
  EXPECT_EQ(0, p.vendors[0].due);
  const auto boxes = std::find_if(p.items.begin(), p.items.end(), [](const auto& i) { return i.item == "kotak_suara"; });
  EXPECT_EQ(1'800, boxes->contracted);
}

}  // namespace tepat::procurement
