// tepat import regions|tps|dapil: reads a file, checks all of it, and writes it in one transaction or not at all.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <ostream>

#include "cli/context.h"
#include "common/text.h"
#include "geo/regions_csv.h"

namespace tepat::cli {

namespace {

// Importers write all or nothing: a refusal says so.
Status AllOrNothing(Status status) {
  if (status.ok()) return status;
  Error error = std::move(status).error();
  return Error(error.kind(), error.message() + "; nothing was imported", error.problems(), error.problem_count());
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status ImportRegions(Context& ctx, const std::string& dir) {
  const auto start = std::chrono::steady_clock::now();
  auto store = TRY(OpenStore(ctx));
  geo::RegionFiles files;
  auto read = [&](const char* name, geo::SourceFile& file, bool required) -> Status {
    const std::string path = (std::filesystem::path(dir) / name).string();
    if (!required && !std::filesystem::exists(path)) return {};
    file.name = path;
    file.text = TRY(ReadFile(path));
    return {};
  };
  RETURN_IF_ERROR(read("provinces.csv", files.provinces, true));
  RETURN_IF_ERROR(read("regencies.csv", files.regencies, true));
  RETURN_IF_ERROR(read("districts.csv", files.districts, true));
  RETURN_IF_ERROR(read("villages.csv", files.villages, true));
  RETURN_IF_ERROR(read("islands.csv", files.islands, false));
  geo::RegionSet regions = TRY(geo::ParseRegionFiles(files));
  RETURN_IF_ERROR(store->SaveRegions(regions));
  *ctx.out << "imported " << FormatThousands(regions.OfLevel(geo::Level::kProvince).size()) << " provinces, "
           << FormatThousands(regions.OfLevel(geo::Level::kRegency).size()) << " regencies, "
           << FormatThousands(regions.OfLevel(geo::Level::kDistrict).size()) << " districts, "
           << FormatThousands(regions.OfLevel(geo::Level::kVillage).size()) << " villages and "
           << FormatThousands(regions.islands().size()) << " islands from " << dir << " in "
           << std::to_string(SecondsSince(start)).substr(0, 4) << " s\n";
  return {};
}

Status ImportTps(Context& ctx, const std::string& election_id, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  auto store = TRY(OpenStore(ctx));
  election::Definition def = TRY(LoadElection(election_id));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  const std::string text = TRY(ReadFile(path));
  std::vector<geo::Tps> tps = TRY(geo::ParseTpsCsv(path, text, regions, def.tps_voter_cap));
  // When the election already has dapil, the new TPS must resolve to them.
  geo::DapilSet dapils = TRY(LoadDapil(*store, def, regions));
  if (!dapils.empty()) RETURN_IF_ERROR(geo::CheckDapilCoverage(path, regions, dapils, tps));
  RETURN_IF_ERROR(store->SaveTps(def.id, regions, tps));
  int64_t dpt = 0;
  for (const geo::Tps& station : tps) dpt += station.dpt;
  *ctx.out << "imported " << FormatThousands(tps.size()) << " TPS with a DPT of " << FormatThousands(dpt) << " for "
           << def.id << " from " << path << " in " << std::to_string(SecondsSince(start)).substr(0, 4) << " s\n";
  return {};
}

Status ImportDapil(Context& ctx, const std::string& election_id, const std::string& path) {
  auto store = TRY(OpenStore(ctx));
  election::Definition def = TRY(LoadElection(election_id));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  std::vector<geo::Tps> tps = TRY(store->LoadTps(def.id, regions));
  const std::string text = TRY(ReadFile(path));
  geo::DapilSet dapils = TRY(geo::ParseDapilCsv(path, text, regions, def.DapilContests(), tps));
  RETURN_IF_ERROR(store->ReplaceDapil(def.id, regions, dapils.dapils()));
  *ctx.out << "imported " << FormatThousands(dapils.dapils().size()) << " dapil for " << def.id << " from " << path;
  for (const geo::DapilContest& contest : dapils.contests()) {
    size_t count = 0;
    for (const geo::Dapil& dapil : dapils.dapils()) count += dapil.contest == contest.code;
    *ctx.out << (contest.code == dapils.contests().front().code ? ": " : ", ") << contest.code << " "
             << FormatThousands(count);
  }
  *ctx.out << "\n";
  if (tps.empty())
    *ctx.out << "note: " << def.id << " has no TPS yet; they are checked against these dapil on import\n";
  return {};
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("import", "Import regions, TPS or dapil (all or nothing)");
  cmd->require_subcommand(1);

  auto dir = std::make_shared<std::string>();
  CLI::App* regions = cmd->add_subcommand("regions", "Import the Kemendagri regions (idn-area-data layout)");
  regions->add_option("DIR", *dir, "Folder with provinces.csv, regencies.csv, districts.csv, villages.csv, islands.csv")
      ->required();
  regions->callback([&ctx, dir] { ctx.status = AllOrNothing(ImportRegions(ctx, *dir)); });

  struct ElectionFile {
    std::string election;
    std::string file;
  };
  auto add = [&](const char* name, const char* help, const char* file_help) {
    auto options = std::make_shared<ElectionFile>();
    CLI::App* sub = cmd->add_subcommand(name, help);
    sub->add_option("--election", options->election, "Election id (or a definition .toml)")->required();
    sub->add_option("FILE", options->file, file_help)->required();
    return std::make_pair(sub, options);
  };
  auto [tps, tps_options] = add("tps", "Import TPS and their voters (adds, or replaces by TPS code)",
                                "CSV: tps_code,village_code,dpt[,dpt_l,dpt_p,disabled,access,travel_hours]");
  tps->callback([&ctx, o = tps_options] { ctx.status = AllOrNothing(ImportTps(ctx, o->election, o->file)); });
  auto [dapil, dapil_options] = add("dapil", "Import the dapil of an election (replaces its dapil)",
                                    "CSV: contest,dapil_code,dapil_name,region_code");
  dapil->callback([&ctx, o = dapil_options] { ctx.status = AllOrNothing(ImportDapil(ctx, o->election, o->file)); });
}

}  // namespace tepat::cli
