// Reading the rows of procurement's CSV files.
#include "procurement/csv_rows.h"

#include "ledger/node.h"

namespace tepat::procurement {

// A KPU office (one that holds a budget, signs a contract or keeps a warehouse): KPU RI, a KPU provinsi or a KPU kabupaten/kota of a region that exists.
bool IsKpuOffice(std::string_view code, const geo::RegionSet& regions) {
  const std::optional<ledger::Node> node = ledger::ParseNode(code);
  if (!node) return false;
  if (node->kind == ledger::NodeKind::kKpu) return true;
  return (node->kind == ledger::NodeKind::kKpuProvince || node->kind == ledger::NodeKind::kKpuRegency) &&
         regions.Find(node->region) >= 0;
}


Status ReadRows(std::string_view file, std::string_view text, const std::vector<std::string_view>& required,
                const std::vector<std::string_view>& optional, std::string_view what,
                const std::function<void(Row&)>& each, bool ignore_unknown) {
  ProblemList problems;
  CsvReader reader(text);
  std::vector<std::string_view> fields;
  std::string expected;
  for (std::string_view column : required) expected += (expected.empty() ? "" : ",") + std::string(column);
  if (!reader.Next(fields)) {
    problems.AddAt(file, 1, "", "the file is empty (expected the header " + expected + ")");
    return problems.ToError(std::string(file) + ": the " + std::string(what) + " were refused");
  }
  const CsvHeader header = CsvHeader::Bind(file, fields, required, optional, problems, ignore_unknown);
  if (!problems.empty()) return problems.ToError(std::string(file) + ": the " + std::string(what) + " were refused");
  while (reader.Next(fields)) {
    if (!reader.error().empty()) {
      problems.AddAt(file, reader.line(), "", reader.error());
      continue;
    }
    if (fields.size() != header.width()) {
      problems.AddAt(file, reader.line(), "",
                     (fields.size() < header.width() ? "short row: expected " : "long row: expected ") +
                         std::to_string(header.width()) + " fields, found " + std::to_string(fields.size()));
      continue;
    }
    Row row(file, reader.line(), header, fields, problems);
    each(row);
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": the " + std::string(what) + " were refused");
  return {};
}

}  // namespace tepat::procurement
