// tepat simulate: Monte Carlo projection of the distribution plan (docs/simulation.md): per TPS the chance of
// arriving after its deadline, per region the expected late TPS and their spread, the legs that most often make
// TPS late; what-if changes compared on the same scenarios; a greedy mitigation; from the plan alone or from what
// the ledger says has already arrived.
#include <CLI/CLI.hpp>
#include <chrono>
#include <ostream>
#include <thread>

#include "app/sim.h"
#include "cli/context.h"
#include "cli/output.h"
#include "common/json.h"
#include "common/text.h"
#include "common/time.h"

namespace tepat::cli {

namespace {

struct SimulateOptions {
  std::string election;
  std::string region;
  int64_t scenarios = 1000;
  uint64_t seed = 1;
  int threads = 0;
  std::string what_if;
  std::string model;
  std::string format = "table";
  int top = 20;
  bool live = false;
  std::string now;
  bool save = false;
  int mitigate = 0;
  double advance_hours = 24;
  int64_t mitigate_scenarios = 1000;
  std::string mitigation_out;
  std::string out;
};

std::string TpsName(const geo::RegionSet& regions, const geo::Tps& tps) {
  const int32_t district = regions.Ancestor(tps.village, geo::Level::kDistrict);
  const int32_t regency = regions.Ancestor(tps.village, geo::Level::kRegency);
  return regions.at(tps.village).name + ", " + regions.at(district).name + ", " + regions.at(regency).name;
}

std::string Table(const SimulateOptions& options, const readiness::Board& board, const app::SimulationRequest& request,
                  const app::SimulationResult& result) {
  const geo::RegionSet& regions = board.regions();
  const int32_t scope = request.region;
  const app::SimulationRun& base = result.base;
  const app::Projection& p = result.projection;
  const sim::RegionOutcome& all = base.outcome.regions.front();
  std::string out = "Simulasi " + board.definition().id + ", " +
                    (scope >= 0 ? regions.at(scope).code + " " + regions.at(scope).name : std::string("Nasional")) +
                    ": " + FormatThousands(base.outcome.scenarios) + " skenario (seed " + std::to_string(options.seed) +
                    "), " + FormatThousands(static_cast<int64_t>(base.network.legs())) + " leg, " +
                    FormatThousands(static_cast<int64_t>(base.network.tps())) + " TPS" +
                    (p.run.as_of ? ", dari keadaan ledger pada " + FormatInstant(p.run.as_of, 420) : "") + "\n";
  out += "Perkiraan TPS terlambat: " + Decimal(all.expected_late, 1) + " (simpangan baku " + Decimal(all.sd_late, 1) +
         "); dihitung dalam " + Decimal(result.seconds, 1) + " detik dengan " +
         std::to_string(request.options.threads) + " thread\n\n";
  out += "TPS paling berisiko\n";
  TextTable tps({"TPS", "Wilayah", "P(terlambat)", "IK 95%", "Terlambat (jam)", "Tiba p5", "p50", "p95", "Batas waktu"},
                {false, false, true, false, true, false, false, false, false});
  const std::vector<int32_t>& list = base.network.tps_list();
  for (size_t i : app::MostAtRisk(p, static_cast<size_t>(options.top))) {
    const store::TpsRisk& t = p.tps[i];
    if (t.p_late <= 0) break;
    const int offset = ProvinceUtcOffsetMinutes(t.tps.substr(0, 2));
    auto at = [&](int64_t s) { return FormatInstant(s, offset).substr(5, 11); };
    tps.AddRow({t.tps, TpsName(regions, board.tps(list[i])), Percent(t.p_late),
                Percent(t.p_low) + "–" + Percent(t.p_high), Decimal(t.lateness_hours, 1), at(t.p05), at(t.p50),
                at(t.p95), at(t.deadline)});
  }
  out += tps.Render() + "\n";
  out += "Wilayah\n";
  TextTable table({"Kode", "Nama", "TPS", "TPS terlambat", "Simpangan baku"}, {false, false, true, true, true});
  for (const sim::RegionOutcome* r : app::Children(base.outcome, regions, scope)) {
    table.AddRow({regions.at(r->region).code, regions.at(r->region).name, FormatThousands(r->tps),
                  Decimal(r->expected_late, 1), Decimal(r->sd_late, 1)});
  }
  out += table.Render() + "\n";
  out +=
      "Leg yang paling sering membuat TPS terlambat (TPS terlambat per skenario dengan leg ini sebagai "
      "penundaan terbesar di jalannya)\n";
  TextTable legs({"Leg ke", "Dari", "Moda", "TPS terlambat"}, {false, false, false, true});
  rapidjson::Document blamed;
  blamed.Parse(p.run.legs.c_str());
  int legs_shown = 0;
  for (const auto& leg : blamed.GetArray()) {
    if (legs_shown++ == 10) break;
    const std::string mode = leg["mode"].GetString();
    legs.AddRow({leg["leg"].GetString(), mode == "ready" ? "vendor" : leg["from"].GetString(),
                 mode == "ready" ? "kit siap di gudang" : mode, Decimal(leg["late_tps"].GetDouble(), 2)});
  }
  out += legs.Render();
  auto difference = [&](const sim::Difference& d, double before) {
    return "TPS terlambat " + Decimal(before, 1) + " → " + Decimal(before + d.mean, 1) + ": selisih " +
           Decimal(d.mean, 1) + " (IK 95% " + Decimal(d.low, 1) + " s.d. " + Decimal(d.high, 1) +
           ", pada skenario yang sama)\n";
  };
  if (result.changed) {
    out += "\nWhat-if:\n";
    for (const sim::Change& c : request.changes) out += "  - " + c.label + "\n";
    out += "  " + difference(result.changed_difference, all.expected_late);
    TextTable changed({"Kode", "Nama", "Dasar", "Dengan perubahan", "Selisih"}, {false, false, true, true, true});
    std::map<int32_t, double> before;
    for (const sim::RegionOutcome* r : app::Children(base.outcome, regions, scope)) {
      before[r->region] = r->expected_late;
    }
    for (const sim::RegionOutcome* r : app::Children(result.changed->outcome, regions, scope)) {
      const double b = before[r->region];
      if (std::abs(r->expected_late - b) < 0.05) continue;
      changed.AddRow({regions.at(r->region).code, regions.at(r->region).name, Decimal(b, 1),
                      Decimal(r->expected_late, 1), Decimal(r->expected_late - b, 1)});
    }
    out += changed.Render();
  }
  if (result.mitigated) {
    out += "\nMitigasi: " + std::to_string(result.chosen.size()) + " perubahan (dari anggaran " +
           std::to_string(options.mitigate) + ") yang paling mengurangi TPS terlambat\n";
    TextTable chosen({"#", "Perubahan", "TPS terlambat berkurang"}, {true, false, true});
    for (size_t k = 0; k < result.chosen.size(); ++k) {
      chosen.AddRow({std::to_string(k + 1), result.chosen[k].change.label, Decimal(result.chosen[k].reduction, 2)});
    }
    out += chosen.Render();
    const double before = result.changed ? all.expected_late + result.changed_difference.mean : all.expected_late;
    out += "  Semuanya, pada " + FormatThousands(base.outcome.scenarios) +
           " skenario: " + difference(result.mitigated_difference, before);
    if (!options.mitigation_out.empty()) out += "  Ditulis ke " + options.mitigation_out + " (untuk --what-if)\n";
  }
  return out;
}

std::string Csv(const readiness::Board& board, const app::Projection& p, const std::vector<int32_t>& list) {
  std::string out =
      "tps_code,village,p_late,p_late_low,p_late_high,expected_lateness_hours,arrival_p05,arrival_p50,"
      "arrival_p95,deadline\n";
  const geo::RegionSet& regions = board.regions();
  for (size_t i = 0; i < p.tps.size(); ++i) {
    const store::TpsRisk& t = p.tps[i];
    const int offset = ProvinceUtcOffsetMinutes(t.tps.substr(0, 2));
    out += t.tps + ",";
    AppendCsvField(out, regions.at(board.tps(list[i]).village).name);
    out += "," + Decimal(t.p_late, 4, false) + "," + Decimal(t.p_low, 4, false) + "," + Decimal(t.p_high, 4, false) +
           "," + Decimal(t.lateness_hours, 2, false) + "," + FormatInstant(t.p05, offset) + "," +
           FormatInstant(t.p50, offset) + "," + FormatInstant(t.p95, offset) + "," + FormatInstant(t.deadline, offset) +
           "\n";
  }
  return out;
}

Status Simulate(Context& ctx, SimulateOptions options) {
  if (options.scenarios < 1 || options.scenarios > 1'000'000) {
    return InvalidInput("--scenarios: expected 1 to 1,000,000");
  }
  if (options.mitigate < 0 || options.mitigate > 100) return InvalidInput("--mitigate: expected 0 to 100 changes");
  if (options.mitigate_scenarios < 1 || options.mitigate_scenarios > 1'000'000) {
    return InvalidInput("--mitigate-scenarios: expected 1 to 1,000,000");
  }
  if (!(options.advance_hours > 0 && options.advance_hours <= 1440)) {
    return InvalidInput("--advance-hours: expected more than 0 and at most 1,440 hours");
  }
  if (options.top < 1 || options.top > 10'000) return InvalidInput("--top: expected 1 to 10,000");
  if (options.threads > 256) return InvalidInput("--threads: expected at most 256");
  if (!options.mitigation_out.empty() && options.mitigate == 0)
    return InvalidInput("--mitigation-out goes with --mitigate");
  if (options.threads <= 0) options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  const election::Definition& definition = data->definition;
  int32_t scope = -1;
  if (!options.region.empty()) {
    scope = data->regions.Find(options.region);
    if (scope < 0) return NotFound("--region: there is no region " + options.region);
  }
  sim::Model model = sim::DefaultModel();
  if (!options.model.empty()) {
    const std::string text = TRY(ReadFile(options.model));
    model = TRY(sim::ParseModel(options.model, text));
  }
  readiness::Board board = TRY(readiness::Board::Build(definition, data->regions, data->tps, &data->dapils));
  const sim::Plan plan = TRY(app::LoadPlan(*store, board));
  std::optional<sim::Observed> observed;
  if (options.live) {
    int64_t now = 0;
    if (!options.now.empty()) {
      std::optional<int64_t> at = ParseInstant(options.now);
      if (!at) return InvalidInput("--now: expected a time with its offset, like 2024-02-12T12:00:00+07:00");
      now = *at;
    } else {
      now = TRY(store->LedgerClock(definition.id));
      if (now == 0)
        return InvalidInput("--live: the ledger of " + definition.id + " is empty; give --now or drop --live");
    }
    observed = TRY(app::ObservedFromLedger(*store, definition.id, now));
  } else if (!options.now.empty()) {
    return InvalidInput("--now goes with --live");
  }
  std::vector<sim::Change> changes;
  if (!options.what_if.empty()) {
    const std::string text = TRY(ReadFile(options.what_if));
    changes = TRY(sim::ParseChanges(options.what_if, text, data->regions));
  }
  app::SimulationRequest request;
  request.region = scope;
  request.options = {options.scenarios, options.seed, options.threads};
  request.changes = std::move(changes);
  request.mitigate = options.mitigate;
  request.advance_hours = options.advance_hours;
  request.mitigate_scenarios = options.mitigate_scenarios;
  request.top = options.top;
  app::SimulationResult result = TRY(app::RunSimulation(plan, board, model, observed ? &*observed : nullptr, request));
  app::Projection& projection = result.projection;
  if (options.save) {
    projection.run.computed_at = Now();
    RETURN_IF_ERROR(store->SaveProjection(
        definition.id, projection.run, projection.regions, projection.tps,
        CliAudit("simulate.save", definition.id, options.region,
                 std::to_string(options.scenarios) + " scenarios, seed " + std::to_string(options.seed))));
  }
  // Files are written once the projection is saved: a failed save leaves none.
  if (result.mitigated && !options.mitigation_out.empty()) {
    std::vector<sim::Change> chosen;
    for (const sim::Mitigation& m : result.chosen) chosen.push_back(m.change);
    RETURN_IF_ERROR(WriteOutput(ctx, options.mitigation_out,
                                "# Mitigation chosen by tepat simulate --mitigate " + std::to_string(options.mitigate) +
                                    " (seed " + std::to_string(options.seed) + ")\n\n" + sim::WriteChanges(chosen)));
  }
  std::string out;
  if (options.format == "csv") {
    out = Csv(board, projection, result.base.network.tps_list());
  } else if (options.format == "json") {
    out = app::SimulationJson(result, board, request);
  } else {
    out = Table(options, board, request, result);
    if (options.save) out += "\nProyeksi disimpan (tepat serve menampilkannya).\n";
  }
  return WriteOutput(ctx, options.out, out);
}

}  // namespace

void AddSimulateCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand("simulate",
                                     "Monte Carlo projection of the distribution plan: which TPS will "
                                     "miss their deadline, how likely, and what would change it");
  cmd->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
      ->required();
  cmd->add_option("--region", options->region, "Only the TPS of this region");
  cmd->add_option("--scenarios", options->scenarios, "Scenarios to draw (default 1000)");
  cmd->add_option("--seed", options->seed, "Random seed: the same seed gives the same results (default 1)");
  cmd->add_option("--threads", options->threads, "Threads (default: every core); results do not depend on it");
  cmd->add_option("--what-if", options->what_if, "Changes to compare with the plan on the same scenarios (TOML)");
  cmd->add_option("--model", options->model, "Travel and shock model (TOML; default: the built-in sim/model.toml)");
  cmd->add_option("--format", options->format, "table, csv (every TPS) or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--top", options->top, "TPS at risk to list (table and json; default 20)");
  cmd->add_flag("--live", options->live, "Start from what the ledger says has already left and arrived");
  cmd->add_option("--now", options->now, "With --live: the time to project from (default: the ledger's latest)");
  cmd->add_flag("--save", options->save,
                "Save the projection: the readiness views and the vulnerability register "
                "show it");
  cmd->add_option("--mitigate", options->mitigate, "Find up to this many changes that reduce late TPS the most");
  cmd->add_option("--advance-hours", options->advance_hours,
                  "With --mitigate: how much earlier a leg may leave "
                  "(default 24)");
  cmd->add_option("--mitigate-scenarios", options->mitigate_scenarios,
                  "With --mitigate: scenarios each candidate is judged on (default 1000)");
  cmd->add_option("--mitigation-out", options->mitigation_out, "With --mitigate: write the changes as a what-if file");
  cmd->add_option("--out", options->out, "Output file (default: standard output)");
  cmd->callback([&ctx, options] { ctx.status = Simulate(ctx, *options); });
}

}  // namespace tepat::cli
