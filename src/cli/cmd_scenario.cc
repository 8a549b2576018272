// tepat scenario play: plays a whole distribution through the ledger, writes the injected ground truth, and checks
// that readiness, derived from the ledger alone, reports exactly that truth.
#include <CLI/CLI.hpp>
#include <ostream>

#include "app/oversight.h"
#include "app/procurement.h"
#include "cli/context.h"
#include "common/text.h"
#include "scenario/scenario.h"

namespace tepat::cli {

namespace {

struct ScenarioOptions {
  std::string election;
  uint64_t seed = 1;
  std::string region;
  std::string until;
  std::string rates;
  std::string truth;
  std::string ndjson;
  bool write_only = false;
  size_t batch = 8192;
  bool with_supervision = false;
  std::string supervision_truth;
};

// Supervision after the play: reports recorded, their truth written, and the cross-check held to that truth.
Status Supervise(Context& ctx, const ScenarioOptions& options, store::Store& store, const ElectionData& data,
                 const scenario::Player& player, int64_t clock) {
  std::vector<std::pair<size_t, std::string>> truth;
  const readiness::Board& board = player.board();
  const std::string ndjson = player.Supervise({}, clock, truth);
  const access::AuditEntry who = CliAudit("oversight.report", "scenario", options.region, "");
  const app::RecordedReports recorded = TRY(
      app::RecordReports(store, data.regions, app::ReportLines("supervision", ndjson), who.actor, who.address, who.at));
  std::vector<app::FoundDiscrepancy> expected;
  for (const auto& [index, name] : truth) {
    for (int k = 0; k < oversight::kDiscrepancyKinds; ++k) {
      const auto kind = static_cast<oversight::DiscrepancyKind>(k);
      if (oversight::DiscrepancyName(kind) == name) {
        expected.push_back({geo::TpsCode(data.regions, board.tps(index)), "", "", {kind, "", "", "", 0, 0, ""}});
      }
    }
  }
  const std::string truth_csv = app::DiscrepancyCsv(expected);
  RETURN_IF_ERROR(WriteOutput(ctx, options.supervision_truth, truth_csv));
  const std::string found = app::DiscrepancyCsv(TRY(app::FindDiscrepancies(store, data.definition.id, options.region)));
  *ctx.out << "supervision: " << FormatThousands(recorded.recorded) << " reports recorded ("
           << FormatThousands(recorded.replayed) << " recorded already), "
           << FormatThousands(static_cast<int64_t>(expected.size())) << " places where the record differs from what "
           << "is there, written to " << options.supervision_truth << "\n";
  if (found != truth_csv) {
    return Error(ErrorKind::kInternal, "the cross-check differs from the supervision truth:\n  truth:\n" + truth_csv +
                                           "  cross-check:\n" + found);
  }
  *ctx.out << "supervision: the cross-check of the reports against the ledger finds exactly the truth\n";
  return {};
}

Status Play(Context& ctx, const ScenarioOptions& options) {
  scenario::Options play;
  play.seed = options.seed;
  if (!options.rates.empty()) {
    const std::string text = TRY(ReadFile(options.rates));
    play.rates = TRY(scenario::ParseRates(options.rates, text));
  }
  if (!options.until.empty()) {
    int days = -1;
    if (options.until.size() >= 3 && options.until.starts_with("H-")) days = std::atoi(options.until.c_str() + 2);
    if (days < 0 || options.until.find_first_not_of("0123456789", 2) != std::string::npos) {
      return InvalidInput("--until: expected H-n, like H-3, not '" + options.until + "'");
    }
    play.until_days_before = days;
  }
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  if (data->definition.vendors.empty()) {
    return InvalidInput("election " + data->definition.id + " lists no [[vendors]]: the scenario needs them");
  }
  if (!options.region.empty()) {
    play.region = data->regions.Find(options.region);
    if (play.region < 0) return NotFound("--region: unknown region '" + options.region + "'");
  }
  // The vendors' receipts name the contracts the stored delivery schedule gives (docs/procurement.md §4).
  const app::ReferenceData procurement =
      TRY(app::LoadReference(*store, data->definition, data->regions, "contracts"));
  for (const procurement::ScheduledDelivery& s : procurement.contracts.schedule) {
    const procurement::Contract* contract = procurement.contracts.Find(s.contract);
    if (!contract) continue;
    for (const procurement::ContractLine& line : contract->lines) {
      if (line.product == s.product) play.contracts.emplace(std::tuple(s.warehouse, line.item, line.contest), s.contract);
    }
  }
  readiness::Board needs = TRY(readiness::Board::Build(data->definition, data->regions, data->tps, &data->dapils));
  scenario::Player player(needs, play);
  CliPoster poster(*store, options.batch);
  poster.Use(*data);
  OutputSink ndjson;
  if (options.write_only && options.ndjson.empty()) return InvalidInput("--write-only needs --ndjson FILE");
  if (options.with_supervision && options.write_only) {
    return InvalidInput("--with-supervision records reports against the posted ledger: leave out --write-only");
  }
  if (options.with_supervision != !options.supervision_truth.empty()) {
    return InvalidInput("--with-supervision and --supervision-truth FILE go together");
  }
  if (!options.ndjson.empty()) RETURN_IF_ERROR(ndjson.Open(ctx, options.ndjson));
  ImportSummary total;
  const std::vector<int32_t> regencies = player.Regencies();
  for (size_t r = 0; r < regencies.size(); ++r) {
    const int32_t regency = regencies[r];
    std::string text = player.PlayRegency(regency);
    if (!options.write_only) {
      const ImportSummary summary = TRY(poster.Post("scenario " + data->regions.at(regency).code, text));
      total.posted += summary.posted;
      total.replayed += summary.replayed;
    }
    if (!options.ndjson.empty()) ndjson.Write(text);
    // A line per province played, so that a national play shows its progress.
    const int32_t province = data->regions.Ancestor(regency, geo::Level::kProvince);
    if (r + 1 == regencies.size() || data->regions.Ancestor(regencies[r + 1], geo::Level::kProvince) != province) {
      *ctx.out << "scenario: " << data->regions.at(province).code << " " << data->regions.at(province).name << ": "
               << FormatThousands(player.documents()) << " documents so far\n"
               << std::flush;
    }
  }
  if (!options.ndjson.empty()) RETURN_IF_ERROR(ndjson.Commit());

  // The truth, and readiness as the ledger gives it.
  const auto truth = player.Truth();
  std::string csv = "tps_code,problem\n";
  int64_t truth_rows = 0;
  for (const auto& [index, mask] : truth) {
    AppendProblemRows(csv, geo::TpsCode(data->regions, needs.tps(index)), mask);
    truth_rows += std::popcount(mask);
  }
  RETURN_IF_ERROR(WriteOutput(ctx, options.truth, csv));
  if (options.write_only) {
    *ctx.out << "scenario: " << FormatThousands(player.documents()) << " documents written to " << options.ndjson
             << " (not posted), " << FormatThousands(truth_rows) << " injected problems at "
             << FormatThousands(static_cast<int64_t>(truth.size())) << " TPS written to " << options.truth << "\n";
    return {};
  }
  // The board that gave the needs now takes the per-TPS projection the ledger wrote.
  readiness::Board& board = needs;
  RETURN_IF_ERROR(LoadTpsStates(*store, *data, board, options.region.empty() ? "" : options.region + "."));
  const int64_t clock = TRY(store->LedgerClock(data->definition.id));
  size_t next = 0, mismatches = 0;
  std::string differences;
  for (size_t i = 0; i < board.tps_count(); ++i) {
    if (play.region >= 0 && !data->regions.Within(board.tps(i).village, play.region)) continue;
    readiness::ProblemMask expected = 0;
    if (next < truth.size() && truth[next].first == i) expected = truth[next++].second;
    const readiness::ProblemMask got = board.ProblemsOf(i, clock);
    if (got != expected && ++mismatches <= 10) {
      const std::string code = geo::TpsCode(data->regions, board.tps(i));
      std::string truth_rows, readiness_rows;
      AppendProblemRows(truth_rows, code, expected);
      AppendProblemRows(readiness_rows, code, got);
      differences += "  truth:\n" + truth_rows + "  readiness:\n" + readiness_rows;
    }
  }
  *ctx.out << "scenario: " << FormatThousands(total.posted) << " documents posted (" << FormatThousands(total.replayed)
           << " already posted), " << FormatThousands(truth_rows) << " injected problems at "
           << FormatThousands(static_cast<int64_t>(truth.size())) << " TPS written to " << options.truth << "\n";
  if (mismatches > 0) {
    return Error(ErrorKind::kInternal, "readiness differs from the injected truth at " + std::to_string(mismatches) +
                                           " TPS:\n" + differences);
  }
  *ctx.out << "scenario: readiness derived from the ledger matches the truth exactly\n";
  if (options.with_supervision) return Supervise(ctx, options, *store, *data, player, clock);
  return {};
}

}  // namespace

void AddScenarioCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ScenarioOptions>();
  CLI::App* scenario = app.add_subcommand("scenario", "Realistic distribution scenarios");
  scenario->require_subcommand(1);
  CLI::App* play = scenario->add_subcommand(
      "play", "Play the distribution with injected anomalies through the ledger and write the ground truth");
  play->add_option("--election", options->election, "Election id or definition file")->required();
  play->add_option("--seed", options->seed, "Random seed: the same seed plays the same scenario")->required();
  play->add_option("--region", options->region, "Play only this region (default: the nation)");
  play->add_option("--until", options->until, "Stop at the end of day H-n (e.g. H-3); default: voting day morning");
  play->add_option("--rates", options->rates, "TOML file of anomaly rates (docs/formats.md)");
  play->add_option("--truth", options->truth, "Where to write the ground truth (CSV tps_code,problem)")->required();
  play->add_option("--ndjson", options->ndjson, "Also write the documents posted, as NDJSON");
  play->add_flag("--write-only", options->write_only,
                 "Write the documents (--ndjson) and the truth without posting them, for `tepat ledger import`");
  play->add_flag("--with-supervision", options->with_supervision,
                 "Then let Bawaslu's supervisors visit TPS at H-1 and record their reports (docs/oversight.md)");
  play->add_option("--supervision-truth", options->supervision_truth,
                   "Where to write the places the record differs from what is there (CSV tps_code,discrepancy)");
  play->add_option("--batch", options->batch, "Documents per durable transaction (default 8192)")
      ->check(CLI::Range(1, 1000000));
  play->callback([&ctx, options] { ctx.status = Play(ctx, *options); });
}

}  // namespace tepat::cli
