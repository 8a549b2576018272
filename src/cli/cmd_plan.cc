// tepat plan generate|import|export: the distribution plan of an election (docs/simulation.md), kept in the database.
#include <CLI/CLI.hpp>
#include <map>
#include <ostream>

#include "app/sim.h"
#include "cli/context.h"
#include "common/text.h"
#include "common/time.h"

namespace tepat::cli {

namespace {

struct PlanOptions {
  std::string election;
  std::string region;
  std::string model;
  std::string file;
  std::string out;
};

Result<sim::Model> LoadModel(const std::string& path) {
  if (path.empty()) return sim::DefaultModel();
  const std::string text = TRY(ReadFile(path));
  return sim::ParseModel(path, text);
}

// What a plan holds, in a few lines: legs per level and mode, trips, when the warehouses are ready.
std::string Summary(const sim::Plan& plan, const readiness::Board& board) {
  std::map<geo::Level, int64_t> by_level;
  std::map<sim::Mode, int64_t> by_mode;
  std::map<std::string, int64_t> trips;
  int64_t ready_from = INT64_MAX, ready_to = 0;
  for (const sim::Leg& leg : plan.legs) {
    by_level[*geo::LevelOfCode(leg.to)]++;
    if (leg.mode != sim::Mode::kReady) by_mode[leg.mode]++;
    if (!leg.trip.empty()) trips[leg.trip]++;
    if (leg.mode == sim::Mode::kReady) {
      ready_from = std::min(ready_from, leg.dispatch_at);
      ready_to = std::max(ready_to, leg.dispatch_at);
    }
  }
  std::string out = FormatThousands(static_cast<int64_t>(plan.legs.size())) +
                    " legs: " + FormatThousands(by_level[geo::Level::kRegency]) + " warehouses (KPU kab/kota), " +
                    FormatThousands(by_level[geo::Level::kDistrict]) + " to PPK, " +
                    FormatThousands(by_level[geo::Level::kVillage]) + " to PPS, " +
                    FormatThousands(by_level[geo::Level::kTps]) + " to TPS (of " +
                    FormatThousands(static_cast<int64_t>(board.tps_count())) + ")\n";
  out += "by mode:";
  for (const auto& [mode, count] : by_mode)
    out += " " + std::string(sim::ModeName(mode)) + " " + FormatThousands(count);
  int64_t stops = 0;
  for (const auto& [trip, count] : trips) stops += count;
  out += "\nvehicle trips: " + FormatThousands(static_cast<int64_t>(trips.size())) + " serving " +
         FormatThousands(stops) + " stops\n";
  if (ready_to > 0) {
    out += "kits ready at the warehouses from " + FormatInstant(ready_from, 420) + " to " +
           FormatInstant(ready_to, 420) + " (WIB)\n";
  }
  return out;
}

Status Save(store::Store& store, const std::string& election, const sim::Plan& plan, const std::string& action,
            const std::string& region) {
  store::StoredPlan stored;
  sim::WritePlanCsv(plan, stored.csv);
  stored.legs = static_cast<int64_t>(plan.legs.size());
  stored.saved_at = Now();
  const access::AuditEntry audit = CliAudit(action, election, region, std::to_string(stored.legs) + " legs");
  stored.saved_by = audit.actor;
  RETURN_IF_ERROR(store.SavePlan(election, stored, audit));
  return {};
}

Status Generate(Context& ctx, const PlanOptions& options) {
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  const sim::Model model = TRY(LoadModel(options.model));
  readiness::Board board = TRY(readiness::Board::Build(data->definition, data->regions, data->tps, &data->dapils));
  int32_t region = -1;
  if (!options.region.empty()) {
    region = data->regions.Find(options.region);
    if (region < 0) return NotFound("--region: there is no region " + options.region);
  }
  const sim::Plan plan = sim::GeneratePlan(board, model, region);
  RETURN_IF_ERROR(Save(*store, data->definition.id, plan, "plan.generate", options.region));
  if (!options.out.empty()) {
    std::string csv;
    sim::WritePlanCsv(plan, csv);
    RETURN_IF_ERROR(WriteOutput(ctx, options.out, csv));
  }
  if (options.out == "-") return {};
  *ctx.out << "generated the distribution plan of " << data->definition.id
           << (options.region.empty() ? "" : " for " + options.region + " (the saved plan now covers it alone)")
           << " from the TPS access data (model " << model.name << "); saved\n"
           << Summary(plan, board);
  return {};
}

Status Import(Context& ctx, const PlanOptions& options) {
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  readiness::Board board = TRY(readiness::Board::Build(data->definition, data->regions, data->tps, &data->dapils));
  const std::string text = TRY(ReadFile(options.file));
  const sim::Plan plan = TRY(sim::ParsePlanCsv(options.file, text, board));
  RETURN_IF_ERROR(Save(*store, data->definition.id, plan, "plan.import", ""));
  *ctx.out << "imported the distribution plan of " << data->definition.id << " from " << options.file << "; saved\n"
           << Summary(plan, board);
  return {};
}

Status Export(Context& ctx, const PlanOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const election::Definition definition = TRY(LoadElection(options.election));
  std::optional<store::StoredPlan> plan = TRY(store->LoadPlan(definition.id));
  if (!plan) return app::NoPlan(definition.id);
  return WriteOutput(ctx, options.out, plan->csv);
}

}  // namespace

void AddPlanCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand("plan", "The distribution plan: legs, modes, departures (tepat simulate uses it)");
  cmd->require_subcommand(1);
  auto election = [&](CLI::App* c) {
    c->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
        ->required();
  };
  CLI::App* generate = cmd->add_subcommand("generate", "Derive a plausible plan from the TPS access data and save it");
  election(generate);
  generate->add_option("--region", options->region,
                       "Only the TPS of this region (the saved plan then covers that region alone)");
  generate->add_option("--model", options->model, "Travel model (TOML; default: the built-in sim/model.toml)");
  generate->add_option("--out", options->out, "Also write it as CSV to this file (- for standard output)");
  generate->callback([&ctx, options] { ctx.status = Generate(ctx, *options); });

  CLI::App* import = cmd->add_subcommand("import", "Read a plan from CSV (docs/formats.md §14) and save it");
  election(import);
  import->add_option("file", options->file, "Plan CSV")->required();
  import->callback([&ctx, options] { ctx.status = Import(ctx, *options); });

  CLI::App* exported = cmd->add_subcommand("export", "Write the saved plan as CSV");
  election(exported);
  exported->add_option("--out", options->out, "Output file (default: standard output)");
  exported->callback([&ctx, options] { ctx.status = Export(ctx, *options); });
}

}  // namespace tepat::cli
