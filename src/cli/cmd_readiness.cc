// tepat readiness: per-TPS state and problems against needs and deadlines, rolled up through every level, with the
// tepat scorecard; the list of problems per TPS; and one TPS in detail with its documents.
#include <CLI/CLI.hpp>
#include <chrono>
#include <map>
#include <ostream>
#include <set>

#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"
#include "common/time.h"
#include "ledger/node.h"

namespace tepat::cli {

namespace {

using readiness::kPrinciples;
using readiness::kProblems;
using readiness::kStates;
using readiness::Principle;
using readiness::Problem;
using readiness::State;

struct ReadinessOptions {
  std::string election;
  std::string region;
  std::string level;
  std::string format = "table";
  std::string at;
  std::string tps;
  std::string out;
};

// The instant readiness is judged at: --at, "now", or by default the ledger's clock (its latest document).
Result<int64_t> Clock(store::Store& store, const std::string& election, const std::string& at) {
  if (at == "now") {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  if (!at.empty()) {
    if (auto seconds = ParseInstant(at)) return *seconds;
    return InvalidInput("--at: expected \"now\" or a time with its offset, like 2024-02-13T18:00:00+07:00");
  }
  return store.LedgerClock(election);
}

struct Row {
  std::string code, name, level;
  readiness::RegionReadiness r;
};

Status Summary(Context& ctx, const ReadinessOptions& options) {
  if (options.election.empty()) return InvalidInput("--election is required");
  auto format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) return InvalidInput("--format: expected table, csv or json");
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  const geo::RegionSet& regions = data->regions;
  // A region's readiness needs only its own TPS.
  readiness::Board board = TRY(LoadBoard(*store, *data, options.region.empty() ? "" : options.region + "."));
  const int64_t clock = TRY(Clock(*store, data->definition.id, options.at));

  int32_t top = -1;
  geo::Level top_level = geo::Level::kNational;
  if (!options.region.empty()) {
    top = regions.Find(options.region);
    if (top < 0) return NotFound("--region: unknown region '" + options.region + "'");
    top_level = regions.at(top).level;
  }
  // Below a village come its TPS: `readiness problems` and `readiness tps CODE` show them; a village is one row.
  geo::Level level = top_level == geo::Level::kVillage ? geo::Level::kVillage
                                                       : static_cast<geo::Level>(static_cast<int>(top_level) + 1);
  if (!options.level.empty()) level = *geo::ParseLevel(options.level);
  if (level < top_level || (level == top_level && top_level != geo::Level::kVillage)) {
    return InvalidInput("--level: " + options.level + " is not below " + std::string(geo::LevelName(top_level)));
  }
  std::vector<Row> rows;
  for (int32_t index : regions.OfLevel(level)) {
    if (top >= 0 && !regions.Within(index, top)) continue;
    rows.push_back({regions.at(index).code, regions.at(index).name, std::string(geo::LevelName(level)),
                    board.Region(index, clock)});
  }
  Row total{top < 0 ? "" : regions.at(top).code, top < 0 ? "Indonesia" : regions.at(top).name,
            std::string(geo::LevelName(top_level)), board.Region(top, clock)};
  const auto& items = data->definition.items;

  std::string out;
  if (*format == Format::kCsv) {
    out = "region_code,level,name,tps";
    for (int s = 0; s < kStates; ++s) out += ",state_" + std::string(readiness::StateName(static_cast<State>(s)));
    for (int p = 0; p < kProblems; ++p) out += "," + std::string(readiness::ProblemName(static_cast<Problem>(p)));
    for (int p = 0; p < kPrinciples; ++p) {
      out += ",right_" + std::string(readiness::PrincipleName(static_cast<Principle>(p)));
    }
    out += "\n";
    rows.push_back(total);
    for (const Row& row : rows) {
      AppendCsvField(out, row.code);
      out += "," + row.level + ",";
      AppendCsvField(out, row.name);
      out += "," + std::to_string(row.r.tps);
      for (int64_t n : row.r.states) out += "," + std::to_string(n);
      for (int64_t n : row.r.problems) out += "," + std::to_string(n);
      for (int64_t n : row.r.right) out += "," + std::to_string(n);
      out += "\n";
    }
  } else if (*format == Format::kJson) {
    out = "{\"election\": ";
    AppendJsonString(out, data->definition.id);
    out += ", \"at\": ";
    AppendJsonString(out, FormatInstant(clock, 7 * 60));
    out += ", \"regions\": [";
    rows.insert(rows.begin(), total);
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      out += i ? ",\n  " : "\n  ";
      readiness::AppendRegionJson(out, row.code, row.level, row.name, row.r, items);
    }
    out += "\n]}\n";
  } else {
    const std::string region_name = top < 0 ? "Indonesia" : regions.at(top).name;
    out = "Kesiapan logistik " + data->definition.name + " (" + data->definition.id + "): " + region_name + ", per " +
          std::string(geo::LevelNameId(level)) + "\n";
    out += "Keadaan per " + FormatInstant(clock, 7 * 60) + " (WIB); batas tiba di KPPS H-" +
           std::to_string(data->definition.deliver_days_before) + ".\n\n";
    std::vector<std::string> header = {"Kode", std::string(geo::LevelNameId(level)), "TPS"};
    for (int s = kStates - 1; s >= 0; --s) header.emplace_back(readiness::StateNameId(static_cast<State>(s)));
    for (int p = 0; p < kProblems; ++p) header.emplace_back(readiness::ProblemNameId(static_cast<Problem>(p)));
    std::vector<bool> right(header.size(), true);
    right[0] = right[1] = false;
    TextTable table(header, right);
    auto cells = [&](const Row& row) {
      std::vector<std::string> c = {row.code, row.name, FormatThousands(row.r.tps)};
      for (int s = kStates - 1; s >= 0; --s) c.push_back(FormatThousands(row.r.states[s]));
      for (int64_t n : row.r.problems) c.push_back(FormatThousands(n));
      return c;
    };
    for (const Row& row : rows) table.AddRow(cells(row));
    table.AddRule();
    Row named = total;
    named.name = "Jumlah " + total.name;
    table.AddRow(cells(named));
    out += table.Render();
    out += "\nSkor tepat (TPS yang sudah menerima dan tepat, dari semua TPS):";
    for (int p = 0; p < kPrinciples; ++p) {
      out += std::string(p ? ", " : " ") + std::string(readiness::PrincipleName(static_cast<Principle>(p))) + " " +
             Percent(total.r.right[p], total.r.tps);
    }
    out += "\nKemajuan per barang (diterima TPS / kebutuhan TPS):";
    int shown = 0;
    for (size_t k = 0; k < items.size(); ++k) {
      if (total.r.item_need[k] == 0) continue;
      out += (shown++ % 4 == 0 ? "\n  " : "; ") + items[k].name + " " +
             Percent(total.r.item_received[k], total.r.item_need[k]);
    }
    out += "\n";
  }
  return WriteOutput(ctx, options.out, out);
}

Status Problems(Context& ctx, const ReadinessOptions& options) {
  if (options.election.empty()) return InvalidInput("--election is required");
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  readiness::Board board = TRY(LoadBoard(*store, *data, options.region.empty() ? "" : options.region + "."));
  const int64_t clock = TRY(Clock(*store, data->definition.id, options.at));
  int32_t top = -1;
  if (!options.region.empty()) {
    top = data->regions.Find(options.region);
    if (top < 0) return NotFound("--region: unknown region '" + options.region + "'");
  }
  OutputSink sink;
  RETURN_IF_ERROR(sink.Open(ctx, options.out));
  std::string buffer = "tps_code,problem\n";
  for (size_t i = 0; i < board.tps_count(); ++i) {
    if (top >= 0 && !data->regions.Within(board.tps(i).village, top)) continue;
    const readiness::ProblemMask mask = board.ProblemsOf(i, clock);
    if (mask == 0) continue;
    AppendProblemRows(buffer, geo::TpsCode(data->regions, board.tps(i)), mask);
    sink.Drain(buffer);
  }
  sink.Write(buffer);
  return sink.Commit();
}

Status TpsDetail(Context& ctx, const ReadinessOptions& options) {
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  readiness::Board board = TRY(LoadBoard(*store, *data, options.tps));
  const int64_t clock = TRY(Clock(*store, data->definition.id, options.at));
  const int64_t index = board.FindTps(options.tps);
  if (index < 0) return NotFound("unknown TPS '" + options.tps + "' in election " + data->definition.id);
  const int offset = ProvinceUtcOffsetMinutes(options.tps.substr(0, 2));
  const geo::Region& village = data->regions.at(board.tps(index).village);
  std::string out =
      "TPS " + options.tps + " (" + village.name + "), DPT " + FormatThousands(board.tps(index).dpt) + "\n";
  out += "Keadaan: " + std::string(readiness::StateNameId(board.StateOf(index))) + "; batas tiba " +
         FormatInstant(board.Deadline(index), offset) + "; per " + FormatInstant(clock, offset) + "\n";
  const readiness::ProblemMask mask = board.ProblemsOf(index, clock);
  out += "Masalah:";
  if (mask == 0) out += " tidak ada";
  for (int p = 0; p < kProblems; ++p) {
    if (mask & (1u << p)) {
      out += " " + std::string(readiness::ProblemName(static_cast<Problem>(p))) + " (" +
             std::string(readiness::ProblemNameId(static_cast<Problem>(p))) + ")";
    }
  }
  out += "\n";
  // Its risk in the saved projection (tepat simulate --save), when one covers it.
  const std::vector<store::TpsRisk> risk = TRY(store->TpsRisks(data->definition.id, options.tps, 0, 1));
  if (!risk.empty()) {
    const store::TpsRisk& r = risk.front();
    const std::optional<store::ProjectionRun> run = TRY(store->LoadProjectionRun(data->definition.id));
    out += "Risiko terlambat (proyeksi" +
           (run ? " " + std::to_string(run->scenarios) + " skenario" +
                      (run->as_of ? ", dari keadaan ledger pada " + FormatInstant(run->as_of, offset) : "")
                : std::string()) +
           "): " + Percent(static_cast<int64_t>(std::llround(r.p_late * 10000)), 10000) + " (IK 95% " +
           Percent(static_cast<int64_t>(std::llround(r.p_low * 10000)), 10000) + "–" +
           Percent(static_cast<int64_t>(std::llround(r.p_high * 10000)), 10000) + "); tiba p5 " +
           FormatInstant(r.p05, offset) + ", p50 " + FormatInstant(r.p50, offset) + ", p95 " +
           FormatInstant(r.p95, offset) + "\n";
  }
  out += "\n";
  TextTable items({"Barang", "Kebutuhan", "Diterima", "Selisih"}, {false, true, true, true});
  for (const auto& [code, need, received] : board.Items(index)) {
    items.AddRow({code, FormatThousands(need), FormatThousands(received),
                  received == need ? "" : (received > need ? "+" : "") + FormatThousands(received - need)});
  }
  out += items.Render() + "\nDokumen rantai serah terima (pengepakan, BAST, penerimaan):\n";
  // The documents of its chain: the packing of its kits at the KPU kab/kota, the handovers that carried them down
  // through its PPK and PPS, and everything at its KPPS.
  std::map<int64_t, std::pair<store::StoredDocument, ledger::Document>> chain;
  std::set<std::string> kits;
  const std::string kpps = ledger::NodeForRegion(options.tps);
  for (geo::Level level : {geo::Level::kRegency, geo::Level::kDistrict, geo::Level::kVillage, geo::Level::kTps}) {
    const std::string node =
        level == geo::Level::kTps ? kpps : ledger::NodeForRegion(geo::AncestorCode(options.tps, level));
    for (store::StoredDocument& doc : TRY(store->DocumentsOfNode(data->definition.id, node))) {
      Result<ledger::Document> parsed = ledger::ParseDocument("ledger", doc.body);
      if (!parsed.ok()) continue;
      const ledger::Document& d = parsed.value();
      bool mine = node == kpps || d.to == kpps;
      for (const ledger::KitSpec& kit : d.kits) {
        if (kit.tps == options.tps) {
          kits.insert(kit.kit);
          mine = true;
        }
      }
      for (const std::string& kit : d.kit_codes) mine = mine || kits.count(kit);
      for (const ledger::KitReceipt& kit : d.kit_receipts) mine = mine || kits.count(kit.kit);
      if (mine) chain.emplace(doc.seq, std::make_pair(std::move(doc), std::move(parsed).value()));
    }
  }
  TextTable docs({"#", "Waktu", "Jenis", "Dokumen", "Isi"}, {true, false, false, false, false});
  for (const auto& [seq, entry] : chain) {
    const auto& [doc, v] = entry;
    std::string what;
    if (v.kind == ledger::DocKind::kDispatch) what = v.node + " → " + v.to;
    if (v.kind == ledger::DocKind::kReceipt) what = v.node + " dari " + v.from;
    if (v.kind == ledger::DocKind::kPacking) what = "dikemas di " + v.node;
    for (const ledger::KitSpec& k : v.kits) {
      if (k.tps == options.tps) what += "; kit " + k.kit + " (label " + k.label + ")";
    }
    for (const ledger::KitReceipt& k : v.kit_receipts) {
      if (!kits.count(k.kit) && v.node != kpps) continue;
      what += "; kit " + k.kit + (k.accepted ? "" : " ditolak") + (k.seals_intact ? "" : ", segel rusak") +
              (k.damaged ? ", rusak" : "");
    }
    for (const std::string& k : v.kit_codes) {
      if (kits.count(k) || v.to == kpps) what += "; kit " + k;
    }
    if (!v.signed_by.empty()) what += "; ditandatangani " + v.signed_by.front().name;
    // Names of people are for logged-in users once the server serves this (issue 4); the command line is local.
    docs.AddRow({std::to_string(seq), FormatInstant(doc.at, offset), doc.kind, doc.id, what});
  }
  out += docs.Render();
  return WriteOutput(ctx, options.out, out);
}

}  // namespace

void AddReadinessCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ReadinessOptions>();
  CLI::App* cmd = app.add_subcommand("readiness", "Readiness per region against needs and deadlines (tepat scorecard)");
  cmd->require_subcommand(0, 1);
  auto common = [&](CLI::App* c) {
    c->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file");
    c->add_option("--region", options->region, "Only this region (province, regency, district or village code)");
    c->add_option("--at", options->at,
                  "Judge at this time (ISO 8601 with offset) or \"now\"; default: the ledger's "
                  "latest document");
    c->add_option("--out", options->out, "Output file (default: standard output)");
  };
  common(cmd);
  cmd->add_option("--level", options->level, "List regions of this level (default: one below --region)")
      ->check(CLI::IsMember({"province", "regency", "district", "village"}));
  cmd->add_option("--format", options->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));

  CLI::App* problems = cmd->add_subcommand("problems", "One row per TPS and problem (tps_code,problem)");
  common(problems);
  problems->add_option("--format", options->format, "csv (the only format)")->check(CLI::IsMember({"csv"}));
  problems->callback([&ctx, options] { ctx.status = Problems(ctx, *options); });

  CLI::App* tps = cmd->add_subcommand("tps", "One TPS: needs against received, problems and its documents");
  tps->add_option("code", options->tps, "TPS code, like 35.78.01.1001.001")->required();
  tps->add_option("--election", options->election, "Election id or definition file")->required();
  tps->add_option("--at", options->at, "Judge at this time or \"now\"");
  tps->callback([&ctx, options] { ctx.status = TpsDetail(ctx, *options); });

  cmd->callback([&ctx, options, cmd] {
    if (cmd->get_subcommands().empty()) ctx.status = Summary(ctx, *options);
  });
}

}  // namespace tepat::cli
