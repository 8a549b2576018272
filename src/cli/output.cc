// CSV and JSON text helpers.
#include "cli/output.h"

#include <cstdio>

namespace tepat::cli {

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  if (name == "xlsx") return Format::kXlsx;
  return std::nullopt;
}

}  // namespace tepat::cli
