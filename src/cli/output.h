// Output formats shared by the listing commands: table (for people, Indonesian labels), CSV, JSON and XLSX.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/csv.h"
#include "common/result.h"
#include "common/text.h"  // AppendJsonString

namespace tepat::cli {

enum class Format { kTable, kCsv, kJson, kXlsx };
std::optional<Format> ParseFormat(std::string_view name);

using tepat::AppendCsvField;  // common/csv.h

// A number with `digits` decimals, with the Indonesian decimal comma for tables (a point with `comma` false); never
// "-0".
std::string Decimal(double value, int digits, bool comma = true);
// A share (0.123) as a percentage with one decimal and the decimal comma: "12,3%".
std::string Percent(double share);
// `part` of `whole` as a percentage like Percent; "-" when `whole` is 0.
std::string Percent(int64_t part, int64_t whole);

// A spreadsheet cell: text or a whole number (shown with thousands separators).
using Cell = std::variant<std::string, int64_t>;

// Writes an XLSX workbook sheet by sheet, row by row, in constant memory.
class XlsxWriter {
 public:
  ~XlsxWriter();
  Status Open(const std::string& path);
  // Starts a sheet with a bold, frozen header row; `widths` are column widths in characters.
  Status AddSheet(const std::string& name, const std::vector<std::string>& header, const std::vector<double>& widths);
  Status AddRow(const std::vector<Cell>& cells);
  Status Close();

  // The most data rows a sheet holds (Excel's limit less the header).
  static constexpr int64_t kMaxRows = 1048575;

 private:
  struct Impl;
  Impl* impl_ = nullptr;
};

}  // namespace tepat::cli
