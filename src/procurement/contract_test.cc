// Tests of contracts, amendments and delivery schedules: an LKPP export read as it is, every refusal located, an
// amendment that keeps the signed quantity, and the schedule's checks.
#include "procurement/contract.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace tepat::procurement {

using testing::ExpectRefused;

namespace {

const election::Definition& Pemilu() { return testing::Builtin("pemilu-2024"); }

const std::vector<Vendor>& Vendors() {
  static const std::vector<Vendor> vendors = {{"1001", "PT Kotak Suara Nusantara", ""},
                                              {"1002", "PT Tinta Indonesia", ""}};
  return vendors;
}

// Two contracts as LKPP's e-purchasing export gives them, with columns tepat does not read and tepat's own (item,
// tahap, satker); the second contract's line states its total, shipping included.
const char* kContracts =
    "tahun_anggaran,kd_klpd,satker_id,kd_paket,nama_paket,kd_rup,tahap,kd_penyedia,satker,tanggal_buat_paket,hps,"
    "kd_produk,item,kuantitas,harga_satuan,ongkos_kirim,total_harga,status_paket\n"
    "2023,K24,9999,P-001,Kotak suara zona 1,R1,1,1001,kpu,2023-09-18 10:00:00,90000000,KS-1,kotak_suara,2000,40379,0,"
    "80758000,selesai\n"
    "2023,K24,9999,P-001,Kotak suara zona 1,R1,1,1001,kpu,2023-09-18 10:00:00,90000000,BS-1,bilik_suara,100,16207,,"
    ",selesai\n"
    "2023,K24,9999,P-002,Tinta,R2,1,1002,kpu,2023-09-18,,TI-1,tinta,500,11000,105500,5605500,selesai\n";

ContractBook Book() {
  ContractBook book;
  book.contracts = ParseContractsCsv("c.csv", kContracts, Pemilu(), testing::FixtureRegions(), Vendors()).value();
  return book;
}

}  // namespace

TEST(ContractTest, AnLkppExportDropsIn) {
  const ContractBook book = Book();
  ASSERT_EQ(2u, book.contracts.size());
  const Contract& boxes = book.contracts[0];
  EXPECT_EQ("P-001", boxes.number);
  EXPECT_EQ("Kotak suara zona 1", boxes.name);
  EXPECT_EQ(1, boxes.phase);
  EXPECT_EQ("1001", boxes.vendor);
  EXPECT_EQ(90'000'000, boxes.hps);
  ASSERT_EQ(2u, boxes.lines.size());
  EXPECT_EQ("buah", boxes.lines[1].unit);  // the item's unit when the file gives none
  EXPECT_EQ(2'000 * 40'379 + 100 * 16'207, boxes.Value());
  EXPECT_EQ(5'605'500, book.contracts[1].Value());  // 500 × 11,000 + 105,500 shipping
  // Written back in tepat's columns, it reads back the same.
  const std::string csv = WriteContractsCsv(book.contracts);
  auto again = ParseContractsCsv("again.csv", csv, Pemilu(), testing::FixtureRegions(), Vendors());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(csv, WriteContractsCsv(again.value()));
}

TEST(ContractTest, EveryContractProblemIsNamedByLineAndColumn) {
  const char* header = "kd_paket,tahap,kd_penyedia,satker,tanggal_buat_paket,kd_produk,item,kuantitas,harga_satuan,"
                       "total_harga\n";
  ExpectRefused(ParseContractsCsv("c.csv",
                                  std::string(header) +
                                      "P 1,0,9999,ppk:35.78.01,2023-02-30,KS-1,kotak_kardus,-5,40379.5,\n"
                                      "P-2,1,1001,kpu,2023-09-18,KS-1,kotak_suara,10,100,999\n"
                                      "P-3,1,1001,kpu,2023-09-18,KS-1,kotak_suara,10,100,\n"
                                      "P-3,1,1002,kpu,2023-09-18,KS-2,kotak_suara,10,100,\n"
                                      "P-3,1,1001,kpu,2023-09-18,KS-1,kotak_suara,10,100,\n",
                                  Pemilu(), testing::FixtureRegions(), Vendors()),
                {"c.csv: the contracts were refused", "c.csv:2: kd_paket: expected a contract number",
                 "c.csv:2: tahap: expected the phase, 1 to 9", "c.csv:2: kd_penyedia: unknown vendor '9999'",
                 "c.csv:2: satker: expected a KPU office", "c.csv:2: tanggal_buat_paket: expected a date",
                 "c.csv:2: item: unknown item 'kotak_kardus'", "c.csv:2: kuantitas: expected a whole quantity",
                 "c.csv:2: harga_satuan: expected whole rupiah",
                 "c.csv:3: total_harga: expected kuantitas × harga_satuan + ongkos_kirim = 1000, found 999",
                 "c.csv:5: kd_penyedia: contract P-3 is given twice",
                 "c.csv:6: kd_produk: product KS-1 of contract P-3 is given twice"});
  ExpectRefused(ParseContractsCsv("c.csv", "kd_paket,tahap\nP-1,1\n", Pemilu(), testing::FixtureRegions(), Vendors()),
                {"c.csv:1: kd_penyedia: required column is missing"});
}

TEST(ContractTest, AnAmendmentChangesAQuantityAndKeepsTheOriginal) {
  ContractBook book = Book();
  auto amendments = ParseAmendmentsCsv("a.csv",
                                       "kd_paket,adendum,tanggal,kd_produk,kuantitas\n"
                                       "P-001,1,2023-11-29,KS-1,1900\n"
                                       "P-001,2,2023-12-10,KS-1,1950\n"
                                       "P-002,1,2023-11-29,TI-1,0\n",
                                       book.contracts);
  ASSERT_TRUE(amendments.ok()) << amendments.error().ToString();
  book.amendments = amendments.value();
  EXPECT_EQ(1'950, book.CurrentQuantity("P-001", "KS-1"));  // the latest amendment
  EXPECT_EQ(2'000, book.contracts[0].lines[0].quantity);    // as signed
  EXPECT_EQ(100, book.CurrentQuantity("P-001", "BS-1"));    // not amended
  EXPECT_EQ(0, book.CurrentQuantity("P-002", "TI-1"));      // cancelled
  EXPECT_EQ(-1, book.CurrentQuantity("P-009", "KS-1"));
  ExpectRefused(ParseAmendmentsCsv("a.csv",
                                   "kd_paket,adendum,tanggal,kd_produk,kuantitas\n"
                                   "P-009,1,2023-11-29,KS-1,1\n"
                                   "P-001,1,2023-11-29,XX,1\n"
                                   "P-001,1,2023-01-01,KS-1,-3\n"
                                   "P-001,1,2023-11-29,BS-1,5\n"
                                   "P-001,1,2023-11-30,BS-1,6\n",
                                   book.contracts),
                {"a.csv:2: kd_paket: there is no contract 'P-009'", "a.csv:3: kd_produk: contract P-001 has no line 'XX'",
                 "a.csv:4: tanggal: amendment 1 of contract P-001 is dated before the contract (2023-09-18)",
                 "a.csv:4: kuantitas: expected a whole quantity", "a.csv:6: kd_produk: amendment 1 of contract P-001 "
                 "changes product BS-1 twice"});
}

TEST(ContractTest, TheScheduleAddsUpToEachLineWithinTheCalendar) {
  ContractBook book = Book();
  const char* header = "kd_paket,kd_produk,warehouse,kuantitas,due\n";
  auto schedule = ParseScheduleCsv("s.csv",
                                   std::string(header) + "P-001,KS-1,kpu:35.78,1500,2023-11-21\n"
                                                         "P-001,KS-1,kpu:31.71,500,2023-11-21\n",
                                   Pemilu(), testing::FixtureRegions(), book);
  ASSERT_TRUE(schedule.ok()) << schedule.error().ToString();
  EXPECT_EQ(2u, schedule.value().size());
  const std::string csv = WriteScheduleCsv(schedule.value());
  EXPECT_EQ(csv, WriteScheduleCsv(ParseScheduleCsv("again.csv", csv, Pemilu(), testing::FixtureRegions(), book).value()));

  ExpectRefused(ParseScheduleCsv("s.csv",
                                 std::string(header) + "P-001,KS-1,kpu:35.78,1500,2023-09-01\n"
                                                       "P-001,KS-1,kpu:35.78,400,2024-02-14\n"
                                                       "P-001,BS-1,ppk:35.78.01,100,2023-11-21\n"
                                                       "P-001,BS-1,kpu:99.99,100,2023-11-21\n"
                                                       "P-001,KS-1,kpu:31.71,100,2023-11-21\n"
                                                       "P-001,KS-1,kpu:31.71,100,2023-11-21\n",
                                 Pemilu(), testing::FixtureRegions(), book),
                {"s.csv:2: due: expected a due date from the contract's date (2023-09-18) to the deadline at the KPPS "
                 "(2024-02-13), found 2023-09-01",
                 "s.csv:3: due:", "s.csv:4: warehouse: expected a KPU warehouse",
                 "s.csv:5: warehouse: expected a KPU warehouse",
                 "s.csv:7: warehouse: kpu:31.71 is given twice for product KS-1 of contract P-001"});
  ExpectRefused(ParseScheduleCsv("s.csv",
                                 std::string(header) + "P-001,KS-1,kpu:35.78,1500,2023-11-21\n"
                                                       "P-002,TI-1,kpu:35.78,600,2023-11-21\n",
                                 Pemilu(), testing::FixtureRegions(), book),
                {"s.csv:2: kuantitas: the schedule of product KS-1 of contract P-001 adds up to 1.500, the line's "
                 "quantity is 2.000 (too little)",
                 "s.csv:3: kuantitas: the schedule of product TI-1 of contract P-002 adds up to 600, the line's "
                 "quantity is 500 (too much)"});
  // After an amendment the schedule adds up to the amended quantity; the stored one reads back as it was.
  book.amendments = {{"P-001", 1, 19'690, "KS-1", 1'500}};
  EXPECT_TRUE(ParseScheduleCsv("s.csv", std::string(header) + "P-001,KS-1,kpu:35.78,1500,2023-11-21\n", Pemilu(),
                               testing::FixtureRegions(), book)
                  .ok());
  EXPECT_TRUE(ParseScheduleCsv("stored", csv, Pemilu(), testing::FixtureRegions(), book, false).ok());
}

}  // namespace tepat::procurement
