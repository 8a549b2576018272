// Fuzz target: procurement's reference files (src/procurement/reference.h) over the fixture regions and pemilu-2024.
// The first byte chooses the file (vendors, prices, budget lines or inventory), the rest is its text. Any input gives the
// records or a clean error; records that read are written back, and that text reads back and writes the same.
#include "fuzz_support.h"
#include "procurement/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  if (size == 0) return 0;
  const std::string_view text = fuzz::Text(data + 1, size - 1);
  switch (data[0] % 4) {
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
    default:
      (void)fuzz::RoundTrip(
          "budget", text, [](std::string_view t) { return procurement::ParseBudgetCsv("budget.csv", t, fuzz::Regions()); },
          [](const std::vector<procurement::BudgetLine>& read) { return procurement::WriteBudgetCsv(read); });
  }
  return 0;
}
