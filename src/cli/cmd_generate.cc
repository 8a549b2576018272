// tepat generate tps|dapil: synthetic national data over the real regions, deterministic per seed.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/context.h"
#include "common/text.h"
#include "geo/synthetic.h"

namespace tepat::cli {

namespace {

Status GenerateTpsFile(Context& ctx, const std::string& election_id, uint64_t seed, const std::string& out) {
  auto store = TRY(OpenStore(ctx));
  election::Definition def = TRY(LoadElection(election_id));
  const geo::SyntheticProfile profile = TRY(app::LoadSyntheticProfile(election_id));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  std::vector<geo::Tps> tps = TRY(geo::GenerateTps(regions, profile, seed));
  std::string csv;
  csv.reserve(tps.size() * 56);
  geo::WriteTpsCsv(regions, tps, csv);
  RETURN_IF_ERROR(WriteOutput(ctx, out, csv));
  int64_t dpt = 0;
  for (const geo::Tps& station : tps) dpt += station.dpt;
  if (!out.empty() && out != "-") {
    *ctx.out << "wrote " << FormatThousands(tps.size()) << " synthetic TPS with a DPT of " << FormatThousands(dpt)
             << " for " << def.id << " (seed " << seed << ") to " << out << "\n";
  }
  return {};
}

Status GenerateDapilFile(Context& ctx, const std::string& election_id, uint64_t seed, const std::string& out) {
  auto store = TRY(OpenStore(ctx));
  election::Definition def = TRY(LoadElection(election_id));
  const geo::SyntheticProfile profile = TRY(app::LoadSyntheticProfile(election_id));
  geo::RegionSet regions = TRY(LoadRegions(*store));
  std::vector<geo::Tps> tps = TRY(store->LoadTps(def.id, regions));
  std::vector<geo::Dapil> dapils = TRY(geo::GenerateDapil(regions, def.DapilContests(), profile, tps, seed));
  geo::DapilSet set(regions, def.DapilContests(), std::move(dapils));
  std::string csv;
  geo::WriteDapilCsv(regions, set, csv);
  RETURN_IF_ERROR(WriteOutput(ctx, out, csv));
  if (!out.empty() && out != "-") {
    *ctx.out << "wrote " << FormatThousands(set.dapils().size()) << " synthetic dapil for " << def.id << " to " << out
             << (tps.empty() ? " (balanced by villages: no TPS loaded)" : " (balanced by DPT)") << "\n";
  }
  return {};
}

}  // namespace

void AddGenerateCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("generate", "Generate synthetic TPS or dapil files (documented as synthetic)");
  cmd->require_subcommand(1);
  struct Options {
    std::string election;
    uint64_t seed = 1;
    std::string out;
  };
  auto add = [&](const char* name, const char* help, auto generate) {
    auto options = std::make_shared<Options>();
    CLI::App* sub = cmd->add_subcommand(name, help);
    sub->add_option("--election", options->election, "Election id (or a definition .toml)")->required();
    sub->add_option("--seed", options->seed, "Seed: the same seed gives the same file (default 1)");
    sub->add_option("--out", options->out, "Output file (default: standard output)");
    sub->callback(
        [&ctx, options, generate] { ctx.status = generate(ctx, options->election, options->seed, options->out); });
  };
  add("tps", "Synthetic TPS over the imported villages", GenerateTpsFile);
  add("dapil", "Synthetic dapil over the imported regions", GenerateDapilFile);
}

}  // namespace tepat::cli
