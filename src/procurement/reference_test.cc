// Tests of procurement's reference data: what each file reads, every refusal located, and a round trip.
#include "procurement/reference.h"

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace tepat::procurement {

using testing::ExpectRefused;

namespace {

const election::Definition& Pemilu() { return testing::Builtin("pemilu-2024"); }

}  // namespace

TEST(ReferenceTest, VendorsReadWithTheirTaxNumbersAsDigits) {
  auto vendors = ParseVendorsCsv("v.csv",
                                 "code,name,npwp\n"
                                 "kotak-1,\"PT Kotak Jaya, Tbk\",01.234.567.8-901.000\n"
                                 "tinta-2,PT Tinta,1234567890123456\n"
                                 "lokal,CV Lokal,\n");
  ASSERT_TRUE(vendors.ok()) << vendors.error().ToString();
  ASSERT_EQ(3u, vendors.value().size());
  EXPECT_EQ("PT Kotak Jaya, Tbk", vendors.value()[0].name);
  EXPECT_EQ("012345678901000", vendors.value()[0].npwp);
  EXPECT_EQ("1234567890123456", vendors.value()[1].npwp);
  EXPECT_EQ("", vendors.value()[2].npwp);
  auto again = ParseVendorsCsv("again.csv", WriteVendorsCsv(vendors.value()));
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(WriteVendorsCsv(vendors.value()), WriteVendorsCsv(again.value()));
}

TEST(ReferenceTest, EveryVendorProblemIsNamedByLineAndColumn) {
  ExpectRefused(ParseVendorsCsv("v.csv",
                                "code,name,npwp\n"
                                "kotak 1,PT A,012345678901000\n"
                                "b,,012345678901000\n"
                                "c,PT C,12-34\n"
                                "b,PT B again,\n"
                                "d,PT D\n"),
                {"v.csv: the vendors were refused", "v.csv:2: code: expected letters, digits", "v.csv:3: name: required",
                 "v.csv:4: npwp: expected 15 or 16 digits", "v.csv:6: short row: expected 3 fields, found 2"});
  ExpectRefused(ParseVendorsCsv("v.csv", "code,name,npwp\nb,PT B,\nb,PT B,\n"), {"v.csv:3: code: vendor b is listed twice"});
  ExpectRefused(ParseVendorsCsv("v.csv", ""), {"v.csv:1: the file is empty (expected the header code,name,npwp)"});
  ExpectRefused(ParseVendorsCsv("v.csv", "code,name\n"), {"v.csv:1", "npwp"});
  ExpectRefused(ParseVendorsCsv("v.csv", "code,name,npwp\na,\xff\xfe,\n"), {"v.csv:2: name: not valid UTF-8"});
}

TEST(ReferenceTest, PricesReadAndTheNarrowestZoneAndBestSourceApply) {
  auto prices = ParsePricesCsv("p.csv",
                               "item,zone,rupiah,source,reference\n"
                               "kotak_suara,,40379,ekatalog,KD-123\n"
                               "kotak_suara,35,42000,hps,HPS/2023/01\n"
                               "kotak_suara,35,41000,ekatalog,KD-124\n"
                               "kotak_suara,35.78,39000,last_election,pemilu-2019\n"
                               "tinta,,11211,ekatalog,\n",
                               Pemilu(), testing::FixtureRegions());
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  const std::vector<UnitPrice>& p = prices.value();
  const PriceIndex index(p);
  EXPECT_EQ(39000, index.For("kotak_suara", "35.78")->rupiah);  // the regency's own, whatever its source
  EXPECT_EQ(41000, index.For("kotak_suara", "35.09")->rupiah);  // the province's e-katalog before its HPS
  EXPECT_EQ(41000, index.For("kotak_suara", "35")->rupiah);     // a province's own warehouse
  EXPECT_EQ(40379, index.For("kotak_suara", "31.71")->rupiah);  // the nation's
  EXPECT_EQ(40379, index.For("kotak_suara", "")->rupiah);
  EXPECT_EQ(11211, index.For("tinta", "35.78")->rupiah);
  EXPECT_EQ(nullptr, index.For("bilik_suara", "35.78"));
  auto again = ParsePricesCsv("again.csv", WritePricesCsv(p), Pemilu(), testing::FixtureRegions());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(WritePricesCsv(p), WritePricesCsv(again.value()));
}

TEST(ReferenceTest, EveryPriceProblemIsNamedByLineAndColumn) {
  ExpectRefused(ParsePricesCsv("p.csv",
                               "item,zone,rupiah,source\n"
                               "kotak_kardus,,1,ekatalog\n"
                               "kotak_suara,99,1,ekatalog\n"
                               "kotak_suara,35.78.01,1,ekatalog\n"
                               "kotak_suara,,-5,ekatalog\n"
                               "kotak_suara,,1.5,ekatalog\n"
                               "kotak_suara,,0,hps\n"
                               "kotak_suara,,2000000000000000,hps\n"
                               "kotak_suara,,1,katalog\n"
                               "tinta,,1,hps\n"
                               "tinta,,2,hps\n",
                               Pemilu(), testing::FixtureRegions()),
                {"p.csv: the prices were refused", "p.csv:2: item: unknown item 'kotak_kardus' in pemilu-2024",
                 "p.csv:3: zone: expected empty (the nation), a province or a regency code that exists, found '99'",
                 "p.csv:4: zone:", "p.csv:5: rupiah: expected whole rupiah above 0", "p.csv:6: rupiah:",
                 "p.csv:7: rupiah:", "p.csv:8: rupiah:", "p.csv:9: source: expected ekatalog, hps or last_election",
                 "p.csv:11: item: a hps price of tinta in the nation is given twice"});
}

TEST(ReferenceTest, BudgetLinesReadForKpuOfficesThatExist) {
  auto lines = ParseBudgetCsv("b.csv",
                              "satker,year,account,pagu,name\n"
                              "kpu,2023,076.01.06.3492.ABG.001.521211,527000000000,Pengadaan logistik tahap I\n"
                              "kpu:35,2024,076.01.06.3492.ABG.002.521211,1500000000,\n"
                              "kpu:35.78,2024,076.01.06.3492.ABG.002.521211,350000000,Distribusi\n",
                              testing::FixtureRegions());
  ASSERT_TRUE(lines.ok()) << lines.error().ToString();
  ASSERT_EQ(3u, lines.value().size());
  EXPECT_EQ(527'000'000'000, lines.value()[0].pagu);
  EXPECT_EQ(2024, lines.value()[2].year);
  auto again = ParseBudgetCsv("again.csv", WriteBudgetCsv(lines.value()), testing::FixtureRegions());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(WriteBudgetCsv(lines.value()), WriteBudgetCsv(again.value()));

  ExpectRefused(ParseBudgetCsv("b.csv",
                               "satker,year,account,pagu\n"
                               "ppk:35.78.01,2024,076.01,1\n"
                               "kpu:99,2024,076.01,1\n"
                               "kpu,1999,076.01,1\n"
                               "kpu,2024,076 01,1\n"
                               "kpu,2024,076.01,Rp1.000\n"
                               "kpu,2024,076.01,1\n"
                               "kpu,2024,076.01,2\n",
                               testing::FixtureRegions()),
                {"b.csv: the budget lines were refused", "b.csv:2: satker: expected a KPU office", "b.csv:3: satker:",
                 "b.csv:4: year: expected a budget year from 2000 to 2100", "b.csv:5: account: expected a budget account",
                 "b.csv:6: pagu: expected whole rupiah above 0", "b.csv:8: account: account 076.01 of kpu in 2024 is "
                 "given twice"});
}

TEST(ReferenceTest, TheElectionsVendorsAreTheDefaults) {
  const std::vector<Vendor> vendors = DefaultVendors(Pemilu());
  ASSERT_EQ(Pemilu().vendors.size(), vendors.size());
  EXPECT_EQ("tahap1-perlengkapan", vendors[0].code);
  auto again = ParseVendorsCsv("defaults.csv", WriteVendorsCsv(vendors));
  ASSERT_TRUE(again.ok()) << again.error().ToString();
}

}  // namespace tepat::procurement
