// Fuzz target: the dapil importer (src/geo/dapil.h) over the fixture regions and TPS, with pemilu-2024's contests.
// Any input gives the dapil or a clean error; dapil that read are written back (WriteDapilCsv), and that text reads
// back and writes the same.
#include "fuzz_support.h"
#include "geo/dapil.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const geo::RegionSet& regions = fuzz::Regions();
  const std::vector<geo::DapilContest> contests = fuzz::Pemilu().DapilContests();
  (void)fuzz::RoundTrip(
      "dapil", fuzz::Text(data, size),
      [&](std::string_view text) { return geo::ParseDapilCsv("dapil.csv", text, regions, contests, fuzz::Tps()); },
      [&](const geo::DapilSet& read) {
        std::string out;
        geo::WriteDapilCsv(regions, read, out);
        return out;
      });
  return 0;
}
