// tepat procurement import|list: an election's procurement reference data (vendors, unit prices, budget lines),
// docs/formats.md §15.
#include <CLI/CLI.hpp>
#include <ostream>

#include "app/procurement.h"
#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"

namespace tepat::cli {

namespace {

struct ProcurementOptions {
  std::string kind;
  std::string election;
  std::string file;
  std::string format = "table";
  std::string out;
};

Status CheckKind(const std::string& kind) {
  if (app::IsReferenceKind(kind)) return {};
  return InvalidInput("expected vendors, prices or budget, not '" + kind + "'");
}

Status Import(Context& ctx, const ProcurementOptions& options) {
  RETURN_IF_ERROR(CheckKind(options.kind));
  auto store = TRY(OpenStore(ctx));
  const election::Definition def = TRY(LoadElection(options.election));
  const geo::RegionSet regions = TRY(LoadRegions(*store));
  const std::string text = TRY(ReadFile(options.file));
  const int64_t records = TRY(app::ImportReference(*store, def, regions, options.kind, options.file, text,
                                                   CliAudit("procurement.import", def.id, "", "")));
  *ctx.out << "imported " << FormatThousands(records) << " " << options.kind << " of " << def.id << " from "
           << options.file << "; they replace those before\n";
  return {};
}

// A table for people: Indonesian column labels, numbers right-aligned with thousands separators.
std::string Table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& numeric) {
  std::vector<size_t> widths(header.size());
  for (size_t c = 0; c < header.size(); ++c) widths[c] = DisplayWidth(header[c]);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(widths[c] - DisplayWidth(cells[c]), ' ');
      text += (c ? "  " : "") + (numeric[c] ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : ""));
    }
    out += text + "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

Status List(Context& ctx, const ProcurementOptions& options) {
  RETURN_IF_ERROR(CheckKind(options.kind));
  const std::optional<Format> format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) {
    return InvalidInput("--format: expected table, csv or json, not '" + options.format + "'");
  }
  auto store = TRY(OpenStore(ctx));
  const election::Definition def = TRY(LoadElection(options.election));
  const geo::RegionSet regions = TRY(LoadRegions(*store));
  const app::ReferenceData data = TRY(app::LoadReference(*store, def, regions, options.kind));
  if (*format == Format::kCsv) return WriteOutput(ctx, options.out, app::ReferenceCsv(data, options.kind));
  std::string out;
  if (*format == Format::kJson) {
    out = app::ReferenceJson(data, def.id, options.kind) + "\n";
  } else if (options.kind == "vendors") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::Vendor& v : data.vendors) rows.push_back({v.code, v.name, v.npwp.empty() ? "-" : v.npwp});
    out = Table({"Kode", "Nama penyedia (vendor)", "NPWP"}, rows, {false, false, false});
    if (!data.vendors_imported) out += "(bawaan definisi pemilihan / the election definition's defaults)\n";
  } else if (options.kind == "prices") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::UnitPrice& p : data.prices) {
      rows.push_back({p.item, p.zone.empty() ? "nasional" : p.zone, FormatThousands(p.rupiah),
                      std::string(procurement::PriceSourceName(p.source)), p.reference});
    }
    out = Table({"Barang (item)", "Zona (zone)", "Harga satuan Rp", "Sumber (source)", "Referensi"}, rows,
                {false, false, true, false, false});
  } else {
    std::vector<std::vector<std::string>> rows;
    int64_t total = 0;
    for (const procurement::BudgetLine& b : data.budget) {
      rows.push_back({b.satker, std::to_string(b.year), b.account, FormatThousands(b.pagu), b.name});
      total += b.pagu;
    }
    rows.push_back({"jumlah (total)", "", "", FormatThousands(total), ""});
    out = Table({"Satker", "Tahun", "Akun (MAK)", "Pagu Rp", "Uraian (name)"}, rows,
                {false, false, false, true, false});
  }
  return WriteOutput(ctx, options.out, out);
}

}  // namespace

void AddProcurementCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ProcurementOptions>();
  CLI::App* cmd = app.add_subcommand("procurement", "Procurement reference data: vendors, unit prices, budget lines");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* c) {
    c->add_option("kind", options->kind, "vendors, prices or budget")->required();
    c->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
        ->required();
  };
  CLI::App* import = cmd->add_subcommand("import", "Read a reference file (CSV, docs/formats.md §15) and save it");
  common(import);
  import->add_option("file", options->file, "The CSV file")->required();
  import->callback([&ctx, options] { ctx.status = Import(ctx, *options); });

  CLI::App* list = cmd->add_subcommand("list", "Show the saved reference data (CSV: what import reads back)");
  common(list);
  list->add_option("--format", options->format, "table, csv or json");
  list->add_option("--out", options->out, "Output file (default: standard output)");
  list->callback([&ctx, options] { ctx.status = List(ctx, *options); });
}

}  // namespace tepat::cli
