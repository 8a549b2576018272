// TPS codes, the TPS file format and merging.
#include "geo/tps.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/csv.h"

namespace tepat::geo {

namespace {

constexpr std::string_view kAccessNames[] = {"", "road", "river", "sea", "air", "foot"};

bool Before(const Tps& a, const Tps& b) { return a.village != b.village ? a.village < b.village : a.number < b.number; }

void AppendInt(std::string& out, int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

}  // namespace

std::string_view AccessName(Access access) { return kAccessNames[static_cast<int>(access)]; }

std::optional<Access> ParseAccess(std::string_view name) {
  for (int i = 1; i < 6; ++i) {
    if (kAccessNames[i] == name) return static_cast<Access>(i);
  }
  return std::nullopt;
}

std::string TpsCode(const RegionSet& regions, const Tps& tps) {
  char number[8];
  std::snprintf(number, sizeof number, ".%03d", tps.number);
  return regions.at(tps.village).code + number;
}

void SortTps(std::vector<Tps>& tps) { std::sort(tps.begin(), tps.end(), Before); }

Result<std::vector<Tps>> ParseTpsCsv(std::string_view file, std::string_view text, const RegionSet& regions,
                                     int32_t voter_cap) {
  ProblemList problems;
  CsvReader reader(text);
  std::vector<std::string_view> row;
  if (!reader.Next(row)) {
    problems.AddAt(file, 1, "", "the file is empty (expected the header tps_code,village_code,dpt)");
    return problems.ToError(std::string(file) + " was refused");
  }
  CsvHeader header = CsvHeader::Bind(file, row, {"tps_code", "village_code", "dpt"},
                                     {"dpt_l", "dpt_p", "disabled", "access", "travel_hours"}, problems);
  if (!problems.empty()) return problems.ToError(std::string(file) + " was refused");
  const int code_at = header.index("tps_code"), village_at = header.index("village_code");
  const int dpt_at = header.index("dpt"), dpt_l_at = header.index("dpt_l"), dpt_p_at = header.index("dpt_p");
  const int disabled_at = header.index("disabled"), access_at = header.index("access");
  const int hours_at = header.index("travel_hours");

  std::vector<Tps> out;
  out.reserve(text.size() / 40);
  // Every well-formed code with its line, bad rows included, to report duplicates.
  struct Seen {
    int32_t village;
    int32_t number;
    uint32_t line;
  };
  std::vector<Seen> seen;
  seen.reserve(out.capacity());
  std::string_view last_village_code;
  int32_t last_village = -1;
  bool sorted = true;

  // Reads an optional non-negative count; -1 when the column is absent or the field empty.
  auto count = [&](int at, std::string_view column, size_t line, int32_t& value) {
    value = -1;
    if (at < 0 || row[at].empty()) return true;
    int64_t parsed;
    if (!ParseInt(row[at], parsed) || parsed < 0 || parsed > INT32_MAX) {
      problems.AddAt(file, line, std::string(column),
                     "expected a whole number of 0 or more, found '" + std::string(row[at]) + "'");
      return false;
    }
    value = static_cast<int32_t>(parsed);
    return true;
  };

  while (reader.Next(row)) {
    const size_t line = reader.line();
    if (!reader.error().empty()) {
      problems.AddAt(file, line, "", reader.error());
      continue;
    }
    if (row.size() != header.width()) {
      problems.AddAt(file, line, "",
                     (row.size() < header.width() ? "short row: expected " : "long row: expected ") +
                         std::to_string(header.width()) + " fields, found " + std::to_string(row.size()));
      continue;
    }
    Tps tps;
    bool ok = true;
    std::string_view village_code = row[village_at];
    if (village_code != last_village_code) {
      last_village = LevelOfCode(village_code) == Level::kVillage ? regions.Find(village_code) : -1;
      last_village_code = village_code;
    }
    tps.village = last_village;
    if (tps.village < 0) {
      problems.AddAt(file, line, "village_code",
                     LevelOfCode(village_code) == Level::kVillage
                         ? "unknown village '" + std::string(village_code) + "'"
                         : "'" + std::string(village_code) + "' is not a village code (like 35.78.01.1001)");
      ok = false;
    }
    std::string_view code = row[code_at];
    if (LevelOfCode(code) != Level::kTps) {
      problems.AddAt(file, line, "tps_code",
                     "'" + std::string(code) + "' is not a TPS code (village code, a dot, three digits)");
      ok = false;
    } else if (code.substr(0, code.size() - 4) != village_code) {
      problems.AddAt(
          file, line, "tps_code",
          "'" + std::string(code) + "' does not start with its village code '" + std::string(village_code) + "'");
      ok = false;
    } else {
      int64_t number = 0;
      ParseInt(code.substr(code.size() - 3), number);
      tps.number = static_cast<int32_t>(number);
      if (tps.number == 0) {
        problems.AddAt(file, line, "tps_code", "TPS numbers start at 001");
        ok = false;
      } else if (tps.village >= 0) {
        seen.push_back({tps.village, tps.number, static_cast<uint32_t>(line)});
      }
    }
    int64_t dpt;
    if (!ParseInt(row[dpt_at], dpt)) {
      problems.AddAt(file, line, "dpt", "expected a whole number, found '" + std::string(row[dpt_at]) + "'");
      ok = false;
    } else if (dpt < 0) {
      problems.AddAt(file, line, "dpt", "negative DPT " + std::to_string(dpt));
      ok = false;
    } else if (dpt > voter_cap) {
      problems.AddAt(file, line, "dpt",
                     "DPT " + std::to_string(dpt) + " is over the election's cap of " + std::to_string(voter_cap) +
                         " voters per TPS");
      ok = false;
    } else {
      tps.dpt = static_cast<int32_t>(dpt);
    }
    ok = count(dpt_l_at, "dpt_l", line, tps.dpt_l) && ok;
    ok = count(dpt_p_at, "dpt_p", line, tps.dpt_p) && ok;
    ok = count(disabled_at, "disabled", line, tps.disabled) && ok;
    if (ok && (tps.dpt_l >= 0) != (tps.dpt_p >= 0)) {
      problems.AddAt(file, line, tps.dpt_l >= 0 ? "dpt_p" : "dpt_l",
                     "dpt_l and dpt_p are given together or not at all");
      ok = false;
    } else if (const int64_t sum = int64_t{tps.dpt_l} + tps.dpt_p; ok && tps.dpt_l >= 0 && sum != tps.dpt) {
      problems.AddAt(file, line, "dpt_l",
                     "dpt_l + dpt_p = " + std::to_string(sum) + ", not the DPT " + std::to_string(tps.dpt));
      ok = false;
    }
    if (ok && tps.disabled > tps.dpt) {
      problems.AddAt(file, line, "disabled", "more voters with disabilities than the DPT " + std::to_string(tps.dpt));
      ok = false;
    }
    if (access_at >= 0 && !row[access_at].empty()) {
      auto access = ParseAccess(row[access_at]);
      if (!access) {
        problems.AddAt(file, line, "access",
                       "'" + std::string(row[access_at]) + "' is not one of road, river, sea, air, foot");
        ok = false;
      } else {
        tps.access = *access;
      }
    }
    if (hours_at >= 0 && !row[hours_at].empty()) {
      double hours;
      if (!ParseDecimal(row[hours_at], hours) || hours < 0 || hours > 24 * 30) {
        problems.AddAt(file, line, "travel_hours",
                       "expected hours between 0 and 720, found '" + std::string(row[hours_at]) + "'");
        ok = false;
      } else {
        tps.travel_hours = static_cast<float>(hours);
      }
    }
    if (!ok) continue;
    if (!out.empty() && !Before(out.back(), tps)) sorted = false;
    out.push_back(tps);
  }
  if (out.empty() && problems.empty()) problems.AddAt(file, 2, "", "no TPS rows after the header");

  // Duplicates: order the codes seen (usually already in order) and compare neighbours.
  auto seen_before = [](const Seen& a, const Seen& b) {
    return a.village != b.village ? a.village < b.village
           : a.number != b.number ? a.number < b.number
                                  : a.line < b.line;
  };
  if (!std::is_sorted(seen.begin(), seen.end(), seen_before)) std::sort(seen.begin(), seen.end(), seen_before);
  for (size_t i = 1; i < seen.size(); ++i) {
    if (seen[i].village == seen[i - 1].village && seen[i].number == seen[i - 1].number) {
      Tps twin;
      twin.village = seen[i].village;
      twin.number = seen[i].number;
      problems.AddAt(
          file, seen[i].line, "tps_code",
          "'" + TpsCode(regions, twin) + "' appears twice (first on line " + std::to_string(seen[i - 1].line) + ")");
    }
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + " was refused");
  if (!sorted) SortTps(out);
  return out;
}

void WriteTpsCsv(const RegionSet& regions, const std::vector<Tps>& tps, std::string& out) {
  out += "tps_code,village_code,dpt,dpt_l,dpt_p,disabled,access,travel_hours\n";
  char number[8];
  for (const Tps& station : tps) {
    const std::string& village = regions.at(station.village).code;
    std::snprintf(number, sizeof number, ".%03d", station.number);
    out += village;
    out += number;
    out += ',';
    out += village;
    for (int32_t value : {station.dpt, station.dpt_l, station.dpt_p, station.disabled}) {
      out += ',';
      if (value >= 0) AppendInt(out, value);
    }
    out += ',';
    out += AccessName(station.access);
    out += ',';
    if (!std::isnan(station.travel_hours)) {
      char hours[16];
      int length = std::snprintf(hours, sizeof hours, "%.1f", station.travel_hours);
      out.append(hours, length);
    }
    out += '\n';
  }
}

}  // namespace tepat::geo

namespace tepat::geo {

VoterCounts CountVoters(const RegionSet& regions, const std::vector<Tps>& tps) {
  VoterCounts counts;
  counts.by_region.assign(regions.size(), {});
  for (const Tps& station : tps) {
    VoterCount& village = counts.by_region[station.village];
    ++village.tps;
    village.dpt += station.dpt;
  }
  // Regions are sorted by code, so children come after parents: add up from the back.
  for (int32_t i = static_cast<int32_t>(regions.size()) - 1; i >= 0; --i) {
    const VoterCount& count = counts.by_region[i];
    int32_t parent = regions.at(i).parent;
    VoterCount& up = parent >= 0 ? counts.by_region[parent] : counts.national;
    up.tps += count.tps;
    up.dpt += count.dpt;
  }
  return counts;
}

}  // namespace tepat::geo
