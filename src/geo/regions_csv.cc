// Parsing and checking of the idn-area-data region files.
#include "geo/regions_csv.h"

#include <algorithm>
#include <unordered_set>

#include "common/csv.h"

namespace tepat::geo {

namespace {

// Reads one level's file into `out`. `parent_column` is empty for provinces.
void ReadLevel(const SourceFile& file, Level level, std::string_view parent_column,
               const std::unordered_set<std::string>& parents, std::unordered_set<std::string>& seen,
               std::vector<Region>& out, ProblemList& problems) {
  CsvReader reader(file.text);
  std::vector<std::string_view> row;
  if (!reader.Next(row)) {
    problems.AddAt(file.name, 1, "", "the file is empty (expected a header row and at least one region)");
    return;
  }
  std::vector<std::string_view> required = {"code", "name"};
  if (!parent_column.empty()) required.insert(required.begin() + 1, parent_column);
  CsvHeader header = CsvHeader::Bind(file.name, row, required, {}, problems);
  const int code_at = header.index("code");
  const int name_at = header.index("name");
  const int parent_at = parent_column.empty() ? -1 : header.index(parent_column);
  if (code_at < 0 || name_at < 0 || (!parent_column.empty() && parent_at < 0)) return;

  size_t rows = 0;
  while (reader.Next(row)) {
    ++rows;
    const size_t line = reader.line();
    if (!reader.error().empty()) {
      problems.AddAt(file.name, line, "", reader.error());
      continue;
    }
    if (row.size() != header.width()) {
      problems.AddAt(file.name, line, "",
                     "expected " + std::to_string(header.width()) + " fields, found " + std::to_string(row.size()));
      continue;
    }
    std::string code(row[code_at]);
    if (LevelOfCode(code) != level) {
      problems.AddAt(file.name, line, "code", "'" + code + "' is not a " + std::string(LevelName(level)) + " code");
      continue;
    }
    if (row[name_at].empty()) problems.AddAt(file.name, line, "name", "empty name");
    if (parent_at >= 0) {
      std::string_view parent = row[parent_at];
      if (parent != ParentCode(code)) {
        problems.AddAt(file.name, line, std::string(parent_column),
                       "'" + std::string(parent) + "' does not match the code '" + code + "'");
        continue;
      }
      if (!parents.count(std::string(parent))) {
        problems.AddAt(file.name, line, std::string(parent_column), "unknown region '" + std::string(parent) + "'");
        continue;
      }
    }
    if (!seen.insert(code).second) {
      problems.AddAt(file.name, line, "code", "'" + code + "' appears twice");
      continue;
    }
    out.push_back({std::move(code), std::string(row[name_at]), level, -1});
  }
  if (rows == 0) problems.AddAt(file.name, 2, "", "no rows after the header");
}

void ReadIslands(const SourceFile& file, const std::unordered_set<std::string>& regencies, std::vector<Island>& out,
                 ProblemList& problems) {
  CsvReader reader(file.text);
  std::vector<std::string_view> row;
  if (!reader.Next(row)) {
    problems.AddAt(file.name, 1, "", "the file is empty (expected a header row)");
    return;
  }
  CsvHeader header = CsvHeader::Bind(file.name, row, {"code", "regency_code", "name"},
                                     {"coordinate", "is_populated", "is_outermost_small"}, problems);
  const int code_at = header.index("code"), regency_at = header.index("regency_code"), name_at = header.index("name");
  const int coordinate_at = header.index("coordinate"), populated_at = header.index("is_populated");
  const int outermost_at = header.index("is_outermost_small");
  if (code_at < 0 || regency_at < 0 || name_at < 0) return;
  std::unordered_set<std::string> seen;
  auto flag = [&](int at, size_t line, std::string_view column, const std::vector<std::string_view>& fields) {
    if (at < 0) return false;
    if (fields[at] != "0" && fields[at] != "1") {
      problems.AddAt(file.name, line, std::string(column), "expected 0 or 1, found '" + std::string(fields[at]) + "'");
    }
    return fields[at] == "1";
  };
  while (reader.Next(row)) {
    const size_t line = reader.line();
    if (!reader.error().empty()) {
      problems.AddAt(file.name, line, "", reader.error());
      continue;
    }
    if (row.size() != header.width()) {
      problems.AddAt(file.name, line, "",
                     "expected " + std::to_string(header.width()) + " fields, found " + std::to_string(row.size()));
      continue;
    }
    Island island;
    island.code = std::string(row[code_at]);
    island.regency_code = std::string(row[regency_at]);
    island.name = std::string(row[name_at]);
    // Islands without a regency carry an empty regency_code in the package; they are kept unassigned.
    if (!island.regency_code.empty() && !regencies.count(island.regency_code)) {
      problems.AddAt(file.name, line, "regency_code", "unknown regency '" + island.regency_code + "'");
      continue;
    }
    if (!seen.insert(island.code).second) {
      problems.AddAt(file.name, line, "code", "'" + island.code + "' appears twice");
      continue;
    }
    if (coordinate_at >= 0) island.coordinate = std::string(row[coordinate_at]);
    island.populated = flag(populated_at, line, "is_populated", row);
    island.outermost_small = flag(outermost_at, line, "is_outermost_small", row);
    out.push_back(std::move(island));
  }
}

}  // namespace

Result<RegionSet> ParseRegionFiles(const RegionFiles& files) {
  ProblemList problems;
  std::vector<Region> regions;
  size_t lines = 0;  // at most one region a line
  for (const SourceFile* file : {&files.provinces, &files.regencies, &files.districts, &files.villages}) {
    lines += std::count(file->text.begin(), file->text.end(), '\n') + 1;
  }
  regions.reserve(lines);
  std::unordered_set<std::string> provinces, regencies, districts, villages;
  ReadLevel(files.provinces, Level::kProvince, "", {}, provinces, regions, problems);
  ReadLevel(files.regencies, Level::kRegency, "province_code", provinces, regencies, regions, problems);
  ReadLevel(files.districts, Level::kDistrict, "regency_code", regencies, districts, regions, problems);
  ReadLevel(files.villages, Level::kVillage, "district_code", districts, villages, regions, problems);
  std::vector<Island> islands;
  if (!files.islands.name.empty()) ReadIslands(files.islands, regencies, islands, problems);
  if (!problems.empty()) return problems.ToError("the region files were refused");
  return RegionSet(std::move(regions), std::move(islands));
}

}  // namespace tepat::geo
