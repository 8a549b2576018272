// Fuzz target: the TPS importer (src/geo/tps.h) over the fixture regions, with pemilu-2024's cap of 300 voters. Any
// input gives the TPS or a clean error; TPS that read are written back (WriteTpsCsv), and that text reads back and
// writes the same.
#include "fuzz_support.h"
#include "geo/tps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const geo::RegionSet& regions = fuzz::Regions();
  const auto tps = fuzz::RoundTrip(
      "tps", fuzz::Text(data, size),
      [&](std::string_view text) { return geo::ParseTpsCsv("tps.csv", text, regions, fuzz::Pemilu().tps_voter_cap); },
      [&](const std::vector<geo::Tps>& read) {
        std::string out;
        geo::WriteTpsCsv(regions, read, out);
        return out;
      });
  if (tps.ok()) geo::CountVoters(regions, tps.value());
  return 0;
}
