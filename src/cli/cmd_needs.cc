// tepat needs: what every region must receive, per item, with the reserves held there, rolled up through every level.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <map>
#include <ostream>

#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"
#include "planning/needs.h"

namespace tepat::cli {

namespace {

using geo::Level;

struct NeedsOptions {
  std::string election;
  std::string region;
  std::string level;
  std::string format = "table";
  std::string out;
};

// One row of output: a region (or the nation, region -1, or a TPS) and its quantities.
struct RowSource {
  Level level;
  int32_t region = -1;  // index in the RegionSet; for TPS the village
  int32_t tps = -1;     // index into the TPS list, for TPS rows
};

class NeedsReport {
 public:
  NeedsReport(const election::Definition& def, const geo::RegionSet& regions, const std::vector<geo::Tps>& tps,
              const planning::Needs& needs, const geo::VoterCounts& counts)
      : def_(def), regions_(regions), tps_(tps), needs_(needs), counts_(counts) {}

  std::string Code(const RowSource& row) const {
    if (row.level == Level::kNational) return "";
    if (row.level == Level::kTps) return geo::TpsCode(regions_, tps_[row.tps]);
    return regions_.at(row.region).code;
  }
  std::string Name(const RowSource& row) const {
    if (row.level == Level::kNational) return "Indonesia";
    if (row.level == Level::kTps) return "TPS " + Code(row).substr(Code(row).size() - 3);
    return regions_.at(row.region).name;
  }
  const planning::Quantities& Of(const RowSource& row) const {
    return row.region < 0 ? needs_.national : needs_.by_region[row.region];
  }
  geo::VoterCount Voters(const RowSource& row) const {
    if (row.level == Level::kTps) return {1, tps_[row.tps].dpt};
    return row.region < 0 ? counts_.national : counts_.by_region[row.region];
  }
  std::string ItemName(int32_t need) const {
    const planning::NeedItem& item = needs_.items[need];
    std::string name = def_.items[item.item].name;
    if (item.contest >= 0) name += " " + def_.contests[item.contest].code + " " + item.variant;
    return name;
  }
  const election::Definition& def() const { return def_; }
  const planning::Needs& needs() const { return needs_; }

 private:
  const election::Definition& def_;
  const geo::RegionSet& regions_;
  const std::vector<geo::Tps>& tps_;
  const planning::Needs& needs_;
  const geo::VoterCounts& counts_;
};

void AppendCsvRows(const NeedsReport& report, const RowSource& row, const planning::Quantities& quantities,
                   std::string& out) {
  const std::string code = report.Code(row);
  for (const auto& [need, quantity] : quantities) {
    out += code;
    out += ',';
    out += geo::LevelName(row.level);
    out += ',';
    AppendCsvField(out, report.needs().items[need].code);
    out += ',';
    out += std::to_string(quantity);
    out += '\n';
  }
}

void AppendJsonRows(const NeedsReport& report, const RowSource& row, const planning::Quantities& quantities,
                    std::string& out, bool& first) {
  const std::string code = report.Code(row);
  for (const auto& [need, quantity] : quantities) {
    out += first ? "\n    {" : ",\n    {";
    first = false;
    out += "\"region_code\": ";
    AppendJsonString(out, code);
    out += ", \"level\": \"";
    out += geo::LevelName(row.level);
    out += "\", \"item_code\": ";
    AppendJsonString(out, report.needs().items[need].code);
    out += ", \"quantity\": " + std::to_string(quantity) + "}";
  }
}

// The table for people: one row per region of the deepest level, item groups as columns (ballots summed over their
// variants), split into panels that fit a terminal, and the region's own total below.
std::string RenderTable(const NeedsReport& report, const std::vector<RowSource>& rows, const RowSource& total,
                        Level level, const std::vector<std::pair<RowSource, planning::Quantities>>& tps_rows) {
  const auto& def = report.def();
  const auto& items = report.needs().items;
  // Column groups: (item, contest) in catalog order.
  std::vector<std::pair<int32_t, int32_t>> groups;
  std::vector<int32_t> group_of(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    std::pair<int32_t, int32_t> key = {items[i].item, items[i].contest};
    auto found = std::find(groups.begin(), groups.end(), key);
    group_of[i] = static_cast<int32_t>(found - groups.begin());
    if (found == groups.end()) groups.push_back(key);
  }
  auto sums = [&](const planning::Quantities& quantities) {
    std::vector<int64_t> out(groups.size(), 0);
    for (const auto& [need, quantity] : quantities) out[group_of[need]] += quantity;
    return out;
  };
  std::vector<std::string> labels;
  for (const auto& [item, contest] : groups) {
    labels.push_back(def.items[item].name + (contest >= 0 ? " " + def.contests[contest].code : ""));
  }
  struct Line {
    std::string code, name;
    geo::VoterCount voters;
    std::vector<int64_t> values;
  };
  std::vector<Line> lines;
  for (const RowSource& row : rows) {
    lines.push_back({report.Code(row), report.Name(row), report.Voters(row), sums(report.Of(row))});
  }
  for (const auto& [row, quantities] : tps_rows) {
    lines.push_back({report.Code(row), report.Name(row), report.Voters(row), sums(quantities)});
  }
  Line total_line = {"", "Jumlah " + report.Name(total), report.Voters(total), sums(report.Of(total))};
  // Item groups the region does not need at all (DPRD kab/kota in DKI Jakarta, say) get no column.
  std::vector<size_t> shown;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (total_line.values[g] != 0) shown.push_back(g);
  }

  std::string out = "Kebutuhan logistik " + def.name + " (" + def.id + "): " + report.Name(total) + ", per " +
                    std::string(geo::LevelNameId(level)) + "\n";
  out += "Hari pemungutan suara " + def.voting_day + "; batas tiba di KPPS H-" +
         std::to_string(def.deliver_days_before) + ". Jumlah termasuk cadangan yang disimpan di tiap tingkat.\n\n";
  // Panels of at most kPanelWidth characters: code, name, TPS and DPT, then as many item columns as fit.
  constexpr size_t kPanelWidth = 140;
  size_t next = 0;
  bool first_panel = true;
  while (next < shown.size() || first_panel) {
    std::vector<std::string> header = {"Kode", level == Level::kTps ? "Nama" : std::string(geo::LevelNameId(level))};
    std::vector<bool> right = {false, false};
    if (first_panel) {
      header.insert(header.end(), {"TPS", "DPT"});
      right.insert(right.end(), {true, true});
    }
    size_t width = 16 + 30 + (first_panel ? 24 : 0);
    std::vector<size_t> columns;
    while (next < shown.size()) {
      size_t column_width = std::max<size_t>(DisplayWidth(labels[shown[next]]), 12) + 2;
      if (!columns.empty() && width + column_width > kPanelWidth) break;
      width += column_width;
      columns.push_back(shown[next++]);
    }
    for (size_t c : columns) {
      header.push_back(labels[c]);
      right.push_back(true);
    }
    TextTable table(header, right);
    auto cells = [&](const Line& line) {
      std::vector<std::string> row = {line.code, line.name};
      if (first_panel) row.insert(row.end(), {FormatThousands(line.voters.tps), FormatThousands(line.voters.dpt)});
      for (size_t c : columns) row.push_back(FormatThousands(line.values[c]));
      return row;
    };
    for (const Line& line : lines) table.AddRow(cells(line));
    if (level != total.level) {  // listing the region's own level, its one row is the total
      table.AddRule();
      table.AddRow(cells(total_line));
    }
    out += table.Render() + "\n";
    first_panel = false;
  }
  out += "Surat suara dijumlahkan atas semua variannya (dapil, provinsi, kabupaten/kota); rinciannya: --format csv.\n";
  return out;
}

// One sheet per level, long format; TPS rows are written as the second pass computes them.
Status WriteXlsx(
    Context& ctx, const std::string& path, const NeedsReport& report,
    const std::vector<std::vector<RowSource>>& by_level,
    const std::function<Status(const std::function<void(const RowSource&, const planning::Quantities&)>&)>& visit_tps) {
  const auto& def = report.def();
  const auto& items = report.needs().items;
  XlsxWriter xlsx;
  RETURN_IF_ERROR(xlsx.Open(path));
  const std::vector<std::string> header = {"Kode wilayah", "Wilayah", "Kode barang", "Barang", "Satuan", "Jumlah"};
  const std::vector<double> widths = {18, 32, 34, 44, 10, 16};
  Status written;
  auto write_rows = [&](const RowSource& row, const planning::Quantities& quantities) {
    for (const auto& [need, quantity] : quantities) {
      if (!written.ok()) return;
      written = xlsx.AddRow({report.Code(row), report.Name(row), items[need].code, report.ItemName(need),
                             def.items[items[need].item].unit, quantity});
    }
  };
  auto add_sheet = [&](Level level) {
    std::string sheet(geo::LevelNameId(level));
    std::replace(sheet.begin(), sheet.end(), '/', '-');  // sheet names cannot hold '/'
    return xlsx.AddSheet(sheet, header, widths);
  };
  for (int level = 0; level < 5; ++level) {
    if (by_level[level].empty()) continue;
    RETURN_IF_ERROR(add_sheet(static_cast<Level>(level)));
    for (const RowSource& row : by_level[level]) write_rows(row, report.Of(row));
    RETURN_IF_ERROR(written);
  }
  bool tps_sheet = false;
  RETURN_IF_ERROR(visit_tps([&](const RowSource& row, const planning::Quantities& quantities) {
    if (!tps_sheet) {
      tps_sheet = true;
      written = add_sheet(Level::kTps);
    }
    write_rows(row, quantities);
  }));
  RETURN_IF_ERROR(written);
  RETURN_IF_ERROR(xlsx.Close());
  *ctx.out << "wrote " << path << "\n";
  return {};
}

Status Needs(Context& ctx, const NeedsOptions& options) {
  auto format = ParseFormat(options.format);
  if (!format) return InvalidInput("--format: expected table, csv, json or xlsx, not '" + options.format + "'");
  if (*format == Format::kXlsx && (options.out.empty() || options.out == "-")) {
    return InvalidInput("--format xlsx writes a file: give --out FILE.xlsx");
  }
  auto store = TRY(OpenStore(ctx));
  election::Definition def = TRY(LoadElection(options.election));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  std::vector<geo::Tps> tps = TRY(store->LoadTps(def.id, regions));
  if (tps.empty()) return NotFound("election " + def.id + " has no TPS: run `tepat import tps` first");
  geo::DapilSet dapils = TRY(LoadDapil(*store, def, regions));

  RowSource top{Level::kNational, -1, -1};
  if (!options.region.empty()) {
    auto level = geo::LevelOfCode(options.region);
    if (!level || *level == Level::kTps) {
      return InvalidInput("--region: '" + options.region + "' is not a province, regency, district or village code");
    }
    top = {*level, regions.Find(options.region), -1};
    if (top.region < 0) return NotFound("--region: unknown region '" + options.region + "'");
  }
  Level deepest = top.level == Level::kTps ? Level::kTps : static_cast<Level>(static_cast<int>(top.level) + 1);
  if (!options.level.empty()) {
    auto level = geo::ParseLevel(options.level);
    if (!level) return InvalidInput("--level: expected national, province, regency, district, village or tps");
    if (*level < top.level) {
      return InvalidInput("--level " + options.level + " lies above --region " + options.region);
    }
    deepest = *level;
  }

  planning::NeedsInput input{&def, &regions, &tps, &dapils};
  planning::Needs needs = TRY(planning::ComputeNeeds(input));
  geo::VoterCounts counts = geo::CountVoters(regions, tps);
  NeedsReport report(def, regions, tps, needs, counts);

  // Rows by level, top down, each level in code order.
  std::vector<std::vector<RowSource>> by_level(6);
  by_level[static_cast<int>(top.level)].push_back(top);
  int32_t first = 0, last = static_cast<int32_t>(regions.size());
  if (top.region >= 0) std::tie(first, last) = regions.Subtree(top.region);
  for (int32_t r = first; r < last; ++r) {
    const Level level = regions.at(r).level;
    if (level <= deepest) by_level[static_cast<int>(level)].push_back({level, r, -1});
  }
  // TPS rows come from a second pass over the TPS under the region, handed to `each` in code order as they are
  // computed, so that national TPS output is never held in memory whole.
  using RowVisitor = std::function<void(const RowSource&, const planning::Quantities&)>;
  auto visit_tps = [&](const RowVisitor& each) -> Status {
    if (deepest != Level::kTps) return {};
    const int32_t lo = top.region < 0 ? 0 : (top.level == Level::kVillage ? top.region : first);
    const int32_t hi = top.region < 0 ? last : (top.level == Level::kVillage ? top.region + 1 : last);
    auto village_at = [](const geo::Tps& t, int32_t v) { return t.village < v; };
    planning::NeedsOptions visit;
    visit.visit_first = std::lower_bound(tps.begin(), tps.end(), lo, village_at) - tps.begin();
    visit.visit_last = std::lower_bound(tps.begin(), tps.end(), hi, village_at) - tps.begin();
    visit.visit_tps = [&](size_t index, const planning::Quantities& quantities) {
      each({Level::kTps, tps[index].village, static_cast<int32_t>(index)}, quantities);
    };
    TRY(planning::ComputeNeeds(input, visit));
    return {};
  };

  if (*format == Format::kXlsx) return WriteXlsx(ctx, options.out, report, by_level, visit_tps);
  OutputSink sink;
  RETURN_IF_ERROR(sink.Open(ctx, options.out));
  std::string out;
  switch (*format) {
    case Format::kCsv:
      out = "region_code,level,item_code,quantity\n";
      for (const auto& rows : by_level) {
        for (const RowSource& row : rows) AppendCsvRows(report, row, report.Of(row), out);
      }
      RETURN_IF_ERROR(visit_tps([&](const RowSource& row, const planning::Quantities& quantities) {
        AppendCsvRows(report, row, quantities, out);
        sink.Drain(out);
      }));
      break;
    case Format::kJson: {
      out = "{\n  \"election\": ";
      AppendJsonString(out, def.id);
      out += ",\n  \"rows\": [";
      bool first_row = true;
      for (const auto& rows : by_level) {
        for (const RowSource& row : rows) AppendJsonRows(report, row, report.Of(row), out, first_row);
      }
      RETURN_IF_ERROR(visit_tps([&](const RowSource& row, const planning::Quantities& quantities) {
        AppendJsonRows(report, row, quantities, out, first_row);
        sink.Drain(out);
      }));
      out += "\n  ]\n}\n";
      break;
    }
    default: {
      std::vector<std::pair<RowSource, planning::Quantities>> tps_rows;
      RETURN_IF_ERROR(visit_tps([&](const RowSource& row, const planning::Quantities& quantities) {
        tps_rows.emplace_back(row, quantities);
      }));
      out = RenderTable(report, deepest == Level::kTps ? std::vector<RowSource>{} : by_level[static_cast<int>(deepest)],
                        top, deepest, tps_rows);
    }
  }
  sink.Write(out);
  return sink.Commit();
}

}  // namespace

void AddNeedsCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<NeedsOptions>();
  CLI::App* cmd =
      app.add_subcommand("needs", "What each region and TPS needs, per item, rolled up through every level");
  cmd->add_option("--election", options->election, "Election id (or a definition .toml)")->required();
  cmd->add_option("--region", options->region, "Only this region and what lies under it (default: the nation)");
  cmd->add_option("--level", options->level,
                  "Deepest level to list: national, province, regency, district, village or tps "
                  "(default: one below --region)")
      ->check(CLI::IsMember({"national", "province", "regency", "district", "village", "tps"}));
  cmd->add_option("--format", options->format, "table (default), csv, json or xlsx")
      ->check(CLI::IsMember({"table", "csv", "json", "xlsx"}));
  cmd->add_option("--out", options->out, "Output file (default: standard output; required for xlsx)");
  cmd->callback([&ctx, options] { ctx.status = Needs(ctx, *options); });
}

}  // namespace tepat::cli
