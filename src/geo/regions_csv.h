// Reading the Kemendagri hierarchy in the layout of the npm package idn-area-data: provinces.csv (code,name),
// regencies.csv (code,province_code,name), districts.csv (code,regency_code,name), villages.csv
// (code,district_code,name) and islands.csv (code,regency_code,coordinate,is_populated,is_outermost_small,name).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "geo/region.h"

namespace tepat::geo {

// The text of one input file and the name to report problems under.
struct SourceFile {
  std::string name;
  std::string text;
};

struct RegionFiles {
  SourceFile provinces;
  SourceFile regencies;
  SourceFile districts;
  SourceFile villages;
  SourceFile islands;  // optional: an empty name means absent
};

// Checks all files and builds the set. Every problem is reported (up to 50) as FILE:LINE: column: reason: bad codes,
// a parent that does not match the code or does not exist, repeated codes, empty names, short or long rows.
Result<RegionSet> ParseRegionFiles(const RegionFiles& files);

}  // namespace tepat::geo
