// tepat scenario play: plays a whole distribution through the ledger, writes the injected ground truth, and checks
// that readiness, derived from the ledger alone, reports exactly that truth.
#include <CLI/CLI.hpp>
#include <ostream>

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
};

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
  readiness::Board needs = TRY(readiness::Board::Build(data->definition, data->regions, data->tps, &data->dapils));
  scenario::Player player(needs, play);
  LedgerPoster poster(*store, options.batch);
  poster.Use(*data);
  OutputSink ndjson;
  if (options.write_only && options.ndjson.empty()) return InvalidInput("--write-only needs --ndjson FILE");
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
  play->add_option("--batch", options->batch, "Documents per durable transaction (default 8192)")
      ->check(CLI::Range(1, 1000000));
  play->callback([&ctx, options] { ctx.status = Play(ctx, *options); });
}

}  // namespace tepat::cli
