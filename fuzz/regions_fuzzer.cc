// Fuzz target: the region importer (src/geo/regions_csv.h). The input takes the place of one of the five fixture
// files (tests/fixtures/regions), the one whose columns its first line names (province_code: regencies.csv,
// district_code: villages.csv, regency_code: districts.csv, or islands.csv with coordinate or is_populated; else
// provinces.csv); the others stay. Any input gives the region set or a clean error.
#include <string>

#include "fuzz_support.h"
#include "geo/regions_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tepat::fuzz::FixtureFile;
  const std::string_view text = tepat::fuzz::Text(data, size);
  const std::string_view first = text.substr(0, text.find('\n'));
  auto names = [&](std::string_view column) { return first.find(column) != std::string_view::npos; };
  tepat::geo::RegionFiles files;
  for (auto [name, file] : {std::pair{"provinces.csv", &files.provinces}, std::pair{"regencies.csv", &files.regencies},
                            std::pair{"districts.csv", &files.districts}, std::pair{"villages.csv", &files.villages},
                            std::pair{"islands.csv", &files.islands}}) {
    *file = {name, std::string(FixtureFile(name))};
  }
  tepat::geo::SourceFile& replaced = names("province_code")                         ? files.regencies
                                     : names("district_code")                       ? files.villages
                                     : names("coordinate") || names("is_populated") ? files.islands
                                     : names("regency_code")                        ? files.districts
                                                                                    : files.provinces;
  replaced.text = std::string(text);
  const tepat::Result<tepat::geo::RegionSet> regions = tepat::geo::ParseRegionFiles(files);
  if (!regions.ok()) {
    tepat::fuzz::ExpectCleanError("regions", regions.error());
    return 0;
  }
  // A set that reads is whole: every region below a province has its parent, and each finds itself by code.
  const tepat::geo::RegionSet& set = regions.value();
  for (int32_t i = 0; i < static_cast<int32_t>(set.size()); ++i) {
    const tepat::geo::Region& region = set.at(i);
    if (set.Find(region.code) != i || (region.level != tepat::geo::Level::kProvince && region.parent < 0)) {
      tepat::fuzz::Fail("a region set that reads is not whole", text, region.code);
    }
  }
  return 0;
}
