// Fuzz target: the CSV reader and writer (src/common/csv.h). Any text is read into rows; the rows written back with
// AppendCsvRow must read as the same rows, without an error; and the numbers of every field read back as written.
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "common/csv.h"
#include "fuzz_support.h"

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(std::string_view text, bool* clean = nullptr) {
  tepat::CsvReader reader(text);
  std::vector<std::string_view> fields;
  Rows rows;
  while (reader.Next(fields)) {
    rows.emplace_back(fields.begin(), fields.end());
    if (clean && !reader.error().empty()) *clean = false;
  }
  return rows;
}

std::string WriteAll(const Rows& rows) {
  std::string out;
  for (const auto& row : rows) tepat::AppendCsvRow(out, std::vector<std::string_view>(row.begin(), row.end()));
  return out;
}

// A field's numbers: a whole number prints and reads back as itself; a decimal reads back from its shortest form.
void CheckNumbers(std::string_view field) {
  int64_t whole;
  if (tepat::ParseInt(field, whole)) {
    int64_t again;
    if (!tepat::ParseInt(std::to_string(whole), again) || again != whole) {
      tepat::fuzz::Fail("a whole number does not read back", field, std::to_string(whole));
    }
  }
  double decimal;
  if (tepat::ParseDecimal(field, decimal) && std::isfinite(decimal)) {
    char buffer[512];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, decimal, std::chars_format::fixed);
    double again;
    if (error == std::errc() &&
        (!tepat::ParseDecimal(std::string_view(buffer, end - buffer), again) || again != decimal)) {
      tepat::fuzz::Fail("a decimal number does not read back", field, std::string(buffer, end));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = tepat::fuzz::Text(data, size);
  const Rows rows = ReadAll(text);
  const std::string written = WriteAll(rows);
  bool clean = true;
  const Rows again = ReadAll(written, &clean);
  if (again != rows) tepat::fuzz::Fail("the rows written do not read back as the same rows", text, written);
  if (!clean) tepat::fuzz::Fail("the rows written read with an error", text, written);
  tepat::fuzz::ExpectSame("the rows written twice differ", written, WriteAll(again));
  for (const auto& row : rows) {
    for (const std::string& field : row) CheckNumbers(field);
  }
  // The header binding of a format with required and optional columns, over the first row.
  if (!rows.empty()) {
    tepat::ProblemList problems;
    const std::vector<std::string_view> header(rows[0].begin(), rows[0].end());
    const tepat::CsvHeader bound = tepat::CsvHeader::Bind("f.csv", header, {"code", "name"}, {"note"}, problems);
    if (problems.empty() && (bound.index("code") < 0 || bound.index("name") < 0)) {
      tepat::fuzz::Fail("a header passed without its required columns", text);
    }
  }
  return 0;
}
