// tepat generate tps|dapil|procurement: synthetic national data over the real regions, deterministic per seed.
#include <CLI/CLI.hpp>
#include <ostream>

#include <filesystem>
#include <map>

#include "app/procurement.h"
#include "cli/context.h"
#include "procurement/demo.h"
#include "readiness/board.h"
#include "scenario/scenario.h"
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

// The demo's procurement files (docs/procurement.md §9), from what the scenario's vendors deliver to each regency:
// vendors, prices, budget, contracts, amendments, schedule and payments, as FOLDER/KIND.csv.
Status GenerateProcurementFiles(Context& ctx, const std::string& election_id, uint64_t, const std::string& out) {
  if (out.empty() || out == "-") return InvalidInput("--out: the folder the procurement files are written to");
  auto store = TRY(OpenStore(ctx));
  const auto data = TRY(LoadElectionData(*store, election_id));
  if (data->definition.vendors.empty()) {
    return InvalidInput("election " + data->definition.id + " lists no [[vendors]]: the demo's contracts need them");
  }
  const readiness::Board board =
      TRY(readiness::Board::Build(data->definition, data->regions, data->tps, &data->dapils));
  const planning::Needs& needs = board.needs();
  // Per regency and need item, what its TPS need (as the scenario sums them), then what the vendors deliver.
  std::map<int32_t, std::map<int32_t, int64_t>> need;
  for (size_t i = 0; i < board.tps_count(); ++i) {
    const int32_t regency = data->regions.Ancestor(board.tps(i).village, geo::Level::kRegency);
    for (const auto& [id, quantity] : board.NeedOf(i)) need[regency][id] += quantity;
  }
  procurement::Deliveries delivered;
  const election::Definition& def = data->definition;
  for (const auto& [regency, items] : need) {
    for (const auto& [id, quantity] : items) {
      const planning::NeedItem& n = needs.items[id];
      const std::string contest = n.contest < 0 ? "" : def.contests[n.contest].code;
      delivered[regency][{def.items[n.item].code, contest}] += scenario::VendorDelivery(quantity);
    }
  }
  const procurement::DemoProcurement demo = procurement::MakeDemoProcurement(def, data->regions, delivered);
  std::filesystem::create_directories(out);
  const std::pair<const char*, std::string> files[] = {
      {"vendors", procurement::WriteVendorsCsv(demo.vendors)},
      {"prices", procurement::WritePricesCsv(demo.prices)},
      {"budget", procurement::WriteBudgetCsv(demo.budget)},
      {"contracts", procurement::WriteContractsCsv(demo.book.contracts)},
      {"amendments", procurement::WriteAmendmentsCsv(demo.book.amendments)},
      {"schedule", procurement::WriteScheduleCsv(demo.book.schedule)},
      {"payments", procurement::WritePaymentsCsv(demo.book.payments)},
  };
  for (const auto& [kind, csv] : files) {
    RETURN_IF_ERROR(WriteOutput(ctx, out + "/" + kind + ".csv", csv));
  }
  *ctx.out << "wrote the demo's procurement files for " << def.id << " to " << out << ": "
           << FormatThousands(demo.book.contracts.size()) << " contracts, "
           << FormatThousands(demo.book.schedule.size()) << " scheduled deliveries (import them in the order "
           << "vendors, prices, budget, contracts, amendments, schedule, payments)\n";
  return {};
}

}  // namespace

void AddGenerateCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("generate", "Generate synthetic TPS, dapil or procurement files (documented as synthetic)");
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
  add("procurement", "The demo's procurement files (--out FOLDER), from what the scenario delivers",
      GenerateProcurementFiles);
}

}  // namespace tepat::cli
