// tepat regions: lists regions of one level, under a parent, with TPS and DPT counts for an election.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"

namespace tepat::cli {

namespace {

struct RegionsOptions {
  std::string level;
  std::string parent;
  std::string election;
  std::string format = "table";
  std::string out;
};

Status ListRegions(Context& ctx, const RegionsOptions& options) {
  auto format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) {
    return InvalidInput("--format: expected table, csv or json, not '" + options.format + "'");
  }
  auto store = TRY(OpenStore(ctx));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  int32_t parent = -1;
  geo::Level level = geo::Level::kProvince;
  if (!options.parent.empty()) {
    parent = regions.Find(options.parent);
    if (parent < 0) return NotFound("--parent: unknown region '" + options.parent + "'");
    if (regions.at(parent).level == geo::Level::kVillage) {
      return InvalidInput("--parent: " + options.parent +
                          " is a village; no regions lie under it (its TPS are in "
                          "`tepat needs --region " +
                          options.parent + " --level tps`)");
    }
    level = static_cast<geo::Level>(static_cast<int>(regions.at(parent).level) + 1);
  }
  if (!options.level.empty()) {
    auto parsed = geo::ParseLevel(options.level);
    if (!parsed || *parsed == geo::Level::kNational || *parsed == geo::Level::kTps) {
      return InvalidInput("--level: expected province, regency, district or village, not '" + options.level + "'");
    }
    level = *parsed;
  }
  if (parent >= 0 && level <= regions.at(parent).level) {
    return InvalidInput("--level " + std::string(geo::LevelName(level)) + " does not lie under --parent " +
                        options.parent);
  }
  std::optional<geo::VoterCounts> counts;
  std::string election_id;
  if (!options.election.empty()) {
    election::Definition def = TRY(LoadElection(options.election));
    election_id = def.id;
    counts = geo::CountVoters(regions, TRY(store->LoadTps(def.id, regions)));
  }
  std::vector<int32_t> selected;
  for (int32_t index : regions.OfLevel(level)) {
    if (parent < 0 || regions.Within(index, parent)) selected.push_back(index);
  }

  std::string out;
  auto parent_code = [&](int32_t index) {
    const int32_t up = regions.at(index).parent;
    return up < 0 ? std::string() : regions.at(up).code;
  };
  switch (*format) {
    case Format::kCsv:
      out = counts ? "code,name,level,parent_code,tps,dpt\n" : "code,name,level,parent_code\n";
      for (int32_t index : selected) {
        const geo::Region& region = regions.at(index);
        out += region.code + ",";
        AppendCsvField(out, region.name);
        out += "," + std::string(geo::LevelName(region.level)) + "," + parent_code(index);
        if (counts) {
          out +=
              "," + std::to_string(counts->by_region[index].tps) + "," + std::to_string(counts->by_region[index].dpt);
        }
        out += "\n";
      }
      break;
    case Format::kJson:
      out = "[";
      for (size_t i = 0; i < selected.size(); ++i) {
        const geo::Region& region = regions.at(selected[i]);
        out += i == 0 ? "\n  {\"code\": " : ",\n  {\"code\": ";
        AppendJsonString(out, region.code);
        out += ", \"name\": ";
        AppendJsonString(out, region.name);
        out += ", \"level\": \"" + std::string(geo::LevelName(region.level)) + "\", \"parent_code\": ";
        AppendJsonString(out, parent_code(selected[i]));
        if (counts) {
          out += ", \"tps\": " + std::to_string(counts->by_region[selected[i]].tps) +
                 ", \"dpt\": " + std::to_string(counts->by_region[selected[i]].dpt);
        }
        out += "}";
      }
      out += selected.empty() ? "]\n" : "\n]\n";
      break;
    default: {
      std::vector<std::string> header = {"Kode", "Nama", "Tingkat"};
      std::vector<bool> right = {false, false, false};
      if (counts) {
        header.insert(header.end(), {"TPS", "DPT"});
        right.insert(right.end(), {true, true});
      }
      TextTable table(header, right);
      geo::VoterCount sum;
      for (int32_t index : selected) {
        const geo::Region& region = regions.at(index);
        std::vector<std::string> row = {region.code, region.name, std::string(geo::LevelNameId(region.level))};
        if (counts) {
          const geo::VoterCount& count = counts->by_region[index];
          row.insert(row.end(), {FormatThousands(count.tps), FormatThousands(count.dpt)});
          sum.tps += count.tps;
          sum.dpt += count.dpt;
        }
        table.AddRow(std::move(row));
      }
      table.AddRule();
      std::vector<std::string> total = {"", "Jumlah: " + FormatThousands(selected.size()) + " wilayah", ""};
      if (counts) total.insert(total.end(), {FormatThousands(sum.tps), FormatThousands(sum.dpt)});
      table.AddRow(std::move(total));
      if (counts) out = "Pemilihan " + election_id + "\n";
      out += table.Render();
    }
  }
  return WriteOutput(ctx, options.out, out);
}

}  // namespace

void AddRegionsCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<RegionsOptions>();
  CLI::App* cmd = app.add_subcommand("regions", "List regions, with TPS and DPT counts for an election");
  cmd->add_option("--level", options->level, "province, regency, district or village (default: below --parent)")
      ->check(CLI::IsMember({"province", "regency", "district", "village"}));
  cmd->add_option("--parent", options->parent, "Only regions under this code");
  cmd->add_option("--election", options->election, "Add the TPS and DPT counts of this election");
  cmd->add_option("--format", options->format, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--out", options->out, "Output file (default: standard output)");
  cmd->callback([&ctx, options] { ctx.status = ListRegions(ctx, *options); });
}

}  // namespace tepat::cli
