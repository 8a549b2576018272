// The listing commands' shared output: the formats, and numbers as tables show them (XlsxWriter is in xlsx.cc).
#include "cli/output.h"

#include <algorithm>
#include <cstdio>

namespace tepat::cli {

std::string Decimal(double value, int digits, bool comma) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  std::string out = buffer;
  if (out == "-0" || out.find_first_not_of("-0.") == std::string::npos) out = std::string(buffer).substr(out[0] == '-');
  if (comma) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string Percent(double share) { return Decimal(100 * share, 1) + "%"; }

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return Decimal(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "%";
}

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  if (name == "xlsx") return Format::kXlsx;
  return std::nullopt;
}

}  // namespace tepat::cli
