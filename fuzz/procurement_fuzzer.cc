// Fuzz target: procurement's reference files (src/procurement/reference.h) over the fixture regions and pemilu-2024.
// The first byte chooses the file (vendors, prices, budget lines, inventory, contracts, amendments or
// a delivery schedule or payments, the last three against a fixed contract), the rest is its text. Any input gives the
// records or a clean error; records that read are written back, and that text reads back and writes the same.
#include "fuzz_support.h"
#include "procurement/contract.h"
#include "procurement/reference.h"

namespace {

const std::vector<tepat::procurement::Vendor>& Vendors() {
  static const std::vector<tepat::procurement::Vendor> vendors = {{"1001", "PT A", ""}};
  return vendors;
}

const tepat::procurement::ContractBook& Book() {
  static const tepat::procurement::ContractBook book = [] {
    tepat::procurement::ContractBook b;
    b.contracts = tepat::procurement::ParseContractsCsv(
                      "c", "kd_paket,tahap,kd_penyedia,satker,tanggal_buat_paket,kd_produk,item,kuantitas,harga_satuan\n"
                           "P-1,1,1001,kpu,2023-09-18,KS-1,kotak_suara,2000,40379\n",
                      tepat::fuzz::Pemilu(), tepat::fuzz::Regions(), Vendors())
                      .value();
    return b;
  }();
  return book;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  if (size == 0) return 0;
  const std::string_view text = fuzz::Text(data + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      (void)fuzz::RoundTrip(
          "vendors", text, [](std::string_view t) { return procurement::ParseVendorsCsv("vendors.csv", t); },
          [](const std::vector<procurement::Vendor>& read) { return procurement::WriteVendorsCsv(read); });
      break;
    case 1:
      (void)fuzz::RoundTrip(
          "prices", text,
          [](std::string_view t) {
            return procurement::ParsePricesCsv("prices.csv", t, fuzz::Pemilu(), fuzz::Regions());
          },
          [](const std::vector<procurement::UnitPrice>& read) { return procurement::WritePricesCsv(read); });
      break;
    case 2:
      (void)fuzz::RoundTrip(
          "inventory", text,
          [](std::string_view t) {
            return procurement::ParseInventoryCsv("inventory.csv", t, fuzz::Pemilu(), fuzz::Regions());
          },
          [](const std::vector<procurement::StockLine>& read) { return procurement::WriteInventoryCsv(read); });
      break;
    case 3:
      (void)fuzz::RoundTrip(
          "contracts", text,
          [](std::string_view t) {
            return procurement::ParseContractsCsv("contracts.csv", t, fuzz::Pemilu(), fuzz::Regions(), Vendors());
          },
          [](const std::vector<procurement::Contract>& read) { return procurement::WriteContractsCsv(read); });
      break;
    case 4:
      (void)fuzz::RoundTrip(
          "amendments", text,
          [](std::string_view t) { return procurement::ParseAmendmentsCsv("amendments.csv", t, Book().contracts); },
          [](const std::vector<procurement::Amendment>& read) { return procurement::WriteAmendmentsCsv(read); });
      break;
    case 5:
      (void)fuzz::RoundTrip(
          "schedule", text,
          [](std::string_view t) {
            return procurement::ParseScheduleCsv("schedule.csv", t, fuzz::Pemilu(), fuzz::Regions(), Book());
          },
          [](const std::vector<procurement::ScheduledDelivery>& read) { return procurement::WriteScheduleCsv(read); });
      break;
    case 6:
      (void)fuzz::RoundTrip(
          "payments", text, [](std::string_view t) { return procurement::ParsePaymentsCsv("payments.csv", t, Book()); },
          [](const std::vector<procurement::Payment>& read) { return procurement::WritePaymentsCsv(read); });
      break;
    default:
      (void)fuzz::RoundTrip(
          "budget", text, [](std::string_view t) { return procurement::ParseBudgetCsv("budget.csv", t, fuzz::Regions()); },
          [](const std::vector<procurement::BudgetLine>& read) { return procurement::WriteBudgetCsv(read); });
  }
  return 0;
}
