// tepat procurement import|list|plan: an election's procurement reference data (vendors, unit prices, budget lines,
// inventory), docs/formats.md §15, and the procurement plan, docs/procurement.md.
#include <CLI/CLI.hpp>
#include <ostream>

#include "app/procurement.h"
#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"
#include "common/time.h"

namespace tepat::cli {

namespace {

struct ProcurementOptions {
  std::string kind;
  std::string election;
  std::string file;
  std::string format = "table";
  std::string out;
  std::string region;
  std::string by = "office";
  std::string view = "rows";
  std::string as_of;
  std::string level;
  int64_t tolerance = 10;
};

Status CheckKind(const std::string& kind) {
  if (app::IsReferenceKind(kind)) return {};
  return InvalidInput("expected " + app::KindList() + ", not '" + kind + "'");
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
                      FormatThousands(p.shipping), std::string(procurement::PriceSourceName(p.source)), p.reference});
    }
    out = Table({"Barang (item)", "Zona (zone)", "Harga satuan Rp", "Ongkos kirim Rp", "Sumber (source)", "Referensi"},
                rows, {false, false, true, true, false, false});
  } else if (options.kind == "inventory") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::StockLine& s : data.inventory) {
      rows.push_back({s.warehouse, s.item, FormatThousands(s.quantity),
                      std::string(procurement::ConditionName(s.condition)), s.note});
    }
    out = Table({"Gudang (warehouse)", "Barang (item)", "Jumlah", "Kondisi", "Catatan"}, rows,
                {false, false, true, false, false});
  } else if (options.kind == "contracts") {
    std::vector<std::vector<std::string>> rows;
    const procurement::ContractBook& book = data.contracts;
    for (const procurement::Contract& c : book.contracts) {
      for (const procurement::ContractLine& l : c.lines) {
        const int64_t now = book.CurrentQuantity(c.number, l.product);
        rows.push_back({c.number, std::to_string(c.phase), c.vendor, c.office, FormatDay(c.signed_day), l.item,
                        FormatThousands(l.quantity), now == l.quantity ? "" : FormatThousands(now),
                        FormatThousands(l.unit_price), FormatThousands(l.Total())});
      }
    }
    out = Table({"Kontrak (kd_paket)", "Tahap", "Penyedia", "Satker", "Tanggal", "Barang", "Kuantitas", "Adendum",
                 "Harga satuan Rp", "Total Rp"},
                rows, {false, true, false, false, false, false, true, true, true, true});
  } else if (options.kind == "amendments") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::Amendment& a : data.contracts.amendments) {
      rows.push_back({a.contract, std::to_string(a.number), FormatDay(a.day), a.product, FormatThousands(a.quantity)});
    }
    out = Table({"Kontrak (kd_paket)", "Adendum", "Tanggal", "Produk (kd_produk)", "Kuantitas baru"}, rows,
                {false, true, false, false, true});
  } else if (options.kind == "payments") {
    std::vector<std::vector<std::string>> rows;
    int64_t total = 0;
    for (const procurement::Payment& p : data.contracts.payments) {
      rows.push_back({p.contract, p.number, FormatDay(p.day), FormatThousands(p.rupiah)});
      total += p.rupiah;
    }
    rows.push_back({"jumlah (total)", "", "", FormatThousands(total)});
    out = Table({"Kontrak (kd_paket)", "Nomor (SP2D)", "Tanggal", "Rupiah"}, rows, {false, false, false, true});
  } else if (options.kind == "schedule") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::ScheduledDelivery& d : data.contracts.schedule) {
      rows.push_back({d.contract, d.product, d.warehouse, FormatThousands(d.quantity), FormatDay(d.due_day)});
    }
    out = Table({"Kontrak (kd_paket)", "Produk (kd_produk)", "Gudang (warehouse)", "Kuantitas", "Jatuh tempo (due)"},
                rows, {false, false, false, true, false});
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

// The plan's offices against their budget, for people.
std::string OfficeTable(const app::ElectionData& data, const std::vector<const procurement::OfficePlan*>& offices) {
  std::vector<std::vector<std::string>> rows;
  for (const procurement::OfficePlan* o : offices) {
    const std::string status = !o->has_budget ? "tanpa pagu (no budget)"
                               : o->Balance() >= 0 ? "cukup (surplus)"
                                                   : "kurang (shortfall)";
    rows.push_back({procurement::OfficeNode(data.regions, o->office), app::PlanGroupName(data.regions, o->office, true),
                    FormatThousands(o->cost), o->has_budget ? FormatThousands(o->pagu) : "-",
                    FormatThousands(o->Balance()), status,
                    o->unpriced_lines ? FormatThousands(o->unpriced_lines) : "-"});
  }
  return Table({"Satker", "Kantor (office)", "Biaya Rp (cost)", "Pagu Rp", "Selisih Rp (balance)", "Status",
                "Tanpa harga (unpriced)"},
               rows, {false, false, true, true, true, false, true});
}

Status WritePlanXlsx(const std::string& path, const app::ElectionData& data, const procurement::Plan& plan,
                     const planning::Needs& needs, const app::PlanView& view) {
  XlsxWriter xlsx;
  RETURN_IF_ERROR(xlsx.Open(path));
  RETURN_IF_ERROR(xlsx.AddSheet("Rencana pengadaan",
                                {view.by_office ? "Satker" : "Kode wilayah", "Nama", "Barang", "Satuan", "Kebutuhan",
                                 "Stok", "Beli", "Biaya Rp", "Tanpa harga"},
                                {14, 36, 24, 10, 16, 14, 16, 20, 12}));
  for (const procurement::PlanRow& row :
       procurement::RollUp(plan, needs, data.regions, view.by_office, view.level, view.within)) {
    const election::Item& item = data.definition.items[row.item];
    RETURN_IF_ERROR(xlsx.AddRow({app::PlanGroupCode(data.regions, row.group, view.by_office), app::PlanGroupName(data.regions, row.group, view.by_office), item.name,
                                 item.unit, row.need, row.stock, row.buy, row.cost, row.unpriced_lines}));
  }
  RETURN_IF_ERROR(xlsx.AddSheet("Pagu", {"Satker", "Kantor", "Biaya Rp", "Pagu Rp", "Selisih Rp", "Tanpa harga"},
                                {14, 36, 20, 20, 20, 12}));
  for (const procurement::OfficePlan* o : app::ViewOffices(data, plan, view)) {
    RETURN_IF_ERROR(xlsx.AddRow({procurement::OfficeNode(data.regions, o->office),
                                 app::PlanGroupName(data.regions, o->office, true), o->cost, o->pagu, o->Balance(),
                                 o->unpriced_lines}));
  }
  return xlsx.Close();
}

Status Plan(Context& ctx, const ProcurementOptions& options) {
  const std::optional<Format> format = ParseFormat(options.format);
  if (!format) return InvalidInput("--format: expected table, csv, json or xlsx, not '" + options.format + "'");
  if (*format == Format::kXlsx && options.out.empty()) return InvalidInput("--format xlsx needs --out FILE.xlsx");
  app::PlanView view;
  if (options.by == "office") {
    view.by_office = true;
  } else if (const std::optional<geo::Level> level = geo::ParseLevel(options.by);
             level && *level <= geo::Level::kRegency) {
    view.by_office = false;
    view.level = *level;
  } else {
    return InvalidInput("--by: expected office, national, province or regency, not '" + options.by + "'");
  }
  if (options.view != "rows" && options.view != "offices") {
    return InvalidInput("--view: expected rows or offices, not '" + options.view + "'");
  }
  auto store = TRY(OpenStore(ctx));
  planning::Needs needs;
  const auto data = TRY(app::LoadElectionData(*store, options.election, &needs));
  if (!options.region.empty()) {
    view.within = data->regions.Find(options.region);
    if (view.within < 0 || data->regions.at(view.within).level > geo::Level::kRegency) {
      return InvalidInput("--region: expected the code of a province or a regency, not '" + options.region + "'");
    }
  }
  app::ReferenceData reference;
  const procurement::Plan plan = TRY(app::PlanProcurement(*store, *data, needs, reference));
  if (*format == Format::kXlsx) return WritePlanXlsx(options.out, *data, plan, needs, view);
  if (*format == Format::kJson) return WriteOutput(ctx, options.out, app::PlanJson(*data, plan, needs, view) + "\n");
  if (*format == Format::kCsv) {
    if (options.view == "rows") return WriteOutput(ctx, options.out, app::PlanCsv(*data, plan, needs, view));
    return WriteOutput(ctx, options.out, app::PlanOfficesCsv(*data, plan, view));
  }
  std::string out = "Rencana pengadaan (procurement plan) " + data->definition.id;
  if (view.within >= 0) out += ", " + data->regions.at(view.within).name;
  out += "\n\n";
  if (options.view == "rows") {
    std::vector<std::vector<std::string>> rows;
    for (const procurement::PlanRow& row :
         procurement::RollUp(plan, needs, data->regions, view.by_office, view.level, view.within)) {
      const election::Item& item = data->definition.items[row.item];
      rows.push_back({app::PlanGroupName(data->regions, row.group, view.by_office), item.code, item.unit,
                      FormatThousands(row.need), FormatThousands(row.stock), FormatThousands(row.buy),
                      row.unpriced_lines == 0 ? FormatThousands(row.cost)
                      : row.cost == 0         ? std::string("- *")
                                              : FormatThousands(row.cost) + " *"});
    }
    out += Table({view.by_office ? "Kantor (office)" : "Wilayah (region)", "Barang (item)", "Satuan", "Kebutuhan",
                  "Stok", "Beli (buy)", "Biaya Rp (cost)"},
                 rows, {false, false, false, true, true, true, true});
    out += "(* tanpa harga untuk sebagian baris / some lines have no price)\n\n";
  }
  out += OfficeTable(*data, app::ViewOffices(*data, plan, view));
  return WriteOutput(ctx, options.out, out);
}

// The day asked with --as-of (YYYY-MM-DD), or today (TEPAT_NOW's, when set).
Result<int64_t> AsOfDay(const std::string& text) {
  if (text.empty()) return Now() / 86400;
  if (auto day = ParseDate(text)) return *day;
  return InvalidInput("--as-of: expected a date YYYY-MM-DD, not '" + text + "'");
}

Status Deliveries(Context& ctx, const ProcurementOptions& options) {
  const std::optional<Format> format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) {
    return InvalidInput("--format: expected table, csv or json, not '" + options.format + "'");
  }
  if (options.view != "rows" && options.view != "vendors" && options.view != "items") {
    return InvalidInput("--view: expected rows, vendors or items, not '" + options.view + "'");
  }
  const int64_t as_of = TRY(AsOfDay(options.as_of));
  auto store = TRY(OpenStore(ctx));
  const election::Definition def = TRY(LoadElection(options.election));
  const geo::RegionSet regions = TRY(LoadRegions(*store));
  if (!options.region.empty() && regions.Find(options.region) < 0) {
    return InvalidInput("--region: there is no region '" + options.region + "'");
  }
  const app::ReferenceData data = TRY(app::LoadReference(*store, def, regions, "contracts"));
  const app::ContractDeliveries deliveries = TRY(app::LoadContractDeliveries(*store, def, regions, data.vendors));
  const procurement::DeliveryProgress progress =
      procurement::ComputeDeliveries(data.contracts, deliveries.arrivals, deliveries.shipments, as_of);
  if (*format == Format::kJson) {
    return WriteOutput(ctx, options.out, app::DeliveriesJson(def, progress, options.region) + "\n");
  }
  if (*format == Format::kCsv) return WriteOutput(ctx, options.out, app::DeliveriesCsv(progress, options.region));
  std::string out = "Pengiriman menurut kontrak (deliveries against the schedule) " + def.id + ", per " +
                    FormatDay(as_of) + "\n\n";
  std::vector<std::vector<std::string>> rows;
  if (options.view == "rows") {
    for (const procurement::DeliveryRow& r : progress.rows) {
      if (!app::WarehouseWithin(r.warehouse, options.region)) continue;
      rows.push_back({r.contract, r.item, r.warehouse, FormatThousands(r.due), r.due_day ? FormatDay(r.due_day) : "-",
                      FormatThousands(r.on_time), FormatThousands(r.late), FormatThousands(r.Short()),
                      FormatThousands(r.damaged), std::string(procurement::DeliveryStatusName(r.status))});
    }
    out += Table({"Kontrak", "Barang", "Gudang", "Jadwal", "Jatuh tempo", "Tepat waktu", "Terlambat", "Kurang",
                  "Rusak", "Status"},
                 rows, {false, false, false, true, false, true, true, true, true, false});
  } else if (options.view == "vendors") {
    for (const procurement::VendorDelivery& v : progress.vendors) {
      rows.push_back({v.vendor, FormatThousands(v.due), FormatThousands(v.on_time), Percent(v.OnTimeRate()),
                      FormatThousands(v.arrived)});
    }
    out += Table({"Penyedia (vendor)", "Jatuh tempo (due)", "Tepat waktu (on time)", "Persen", "Diterima (arrived)"},
                 rows, {false, true, true, true, true});
  } else {
    for (const procurement::ItemDelivery& i : progress.items) {
      rows.push_back({i.item, FormatThousands(i.contracted), FormatThousands(i.shipped), Percent(i.shipped, i.contracted),
                      FormatThousands(i.arrived), Percent(i.arrived, i.contracted), FormatThousands(i.damaged)});
    }
    out += Table({"Barang (item)", "Kontrak", "Dikirim (shipped)", "%", "Diterima (arrived)", "%", "Rusak"}, rows,
                 {false, true, true, true, true, true, true});
  }
  return WriteOutput(ctx, options.out, out);
}

Status Efficiency(Context& ctx, const ProcurementOptions& options) {
  const std::optional<Format> format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) {
    return InvalidInput("--format: expected table, csv or json, not '" + options.format + "'");
  }
  // --level's default: the provinces of the nation, the regencies of a region.
  const std::string by = !options.level.empty() ? options.level : options.region.empty() ? "province" : "regency";
  const std::optional<geo::Level> level = geo::ParseLevel(by);
  if (!level || *level == geo::Level::kNational || *level > geo::Level::kRegency) {
    return InvalidInput("--level: expected province or regency, not '" + by + "'");
  }
  auto store = TRY(OpenStore(ctx));
  planning::Needs needs;
  const auto data = TRY(app::LoadElectionData(*store, options.election, &needs));
  int32_t within = -1;
  if (!options.region.empty()) {
    within = data->regions.Find(options.region);
    if (within < 0 || data->regions.at(within).level > geo::Level::kRegency) {
      return InvalidInput("--region: expected the code of a province or a regency, not '" + options.region + "'");
    }
  }
  const procurement::Efficiency efficiency = TRY(app::ScoreEfficiency(*store, *data, needs));
  if (*format == Format::kJson) {
    return WriteOutput(ctx, options.out, app::EfficiencyJson(*data, efficiency, *level, within) + "\n");
  }
  if (*format == Format::kCsv) return WriteOutput(ctx, options.out, app::EfficiencyCsv(*data, efficiency, *level, within));
  std::string out = "Tepat efisien " + data->definition.id + "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const procurement::RegionEfficiency* r : app::EfficiencyRows(*data, efficiency, *level, within)) {
    const double score = r->Score();
    rows.push_back({r->region < 0 ? "Nasional" : data->regions.at(r->region).name, FormatThousands(r->contracted),
                    FormatThousands(r->over), FormatThousands(r->under), FormatThousands(r->above_reference),
                    r->dpt ? FormatThousands(r->contracted / r->dpt) : "-",
                    r->tps ? FormatThousands(r->contracted / r->tps) : "-", score < 0 ? "-" : Percent(score)});
  }
  out += Table({"Wilayah (region)", "Kontrak Rp", "Lebih Rp (over)", "Kurang Rp (under)", "Di atas acuan Rp",
                "Rp/pemilih", "Rp/TPS", "Efisien"},
               rows, {false, true, true, true, true, true, true, true});
  rows.clear();
  for (const procurement::OfficeEfficiency* office : app::EfficiencyOffices(*data, efficiency, within)) {
    const procurement::OfficeEfficiency& o = *office;
    rows.push_back({procurement::OfficeNode(data->regions, o.office), o.has_budget ? FormatThousands(o.pagu) : "-",
                    FormatThousands(o.value), o.hps ? Percent(o.SavingsAgainstHps(), o.hps) : "-",
                    o.has_budget ? Percent(o.SavingsAgainstPagu(), o.pagu) : "-", FormatThousands(o.paid),
                    o.has_budget ? Percent(o.paid, o.pagu) : "-"});
  }
  out += "\n" + Table({"Satker", "Pagu Rp", "Nilai kontrak Rp", "Efisiensi thd HPS", "Efisiensi thd pagu",
                       "Realisasi Rp", "Realisasi/pagu"},
                      rows, {false, true, true, true, true, true, true});
  return WriteOutput(ctx, options.out, out);
}

Status Discrepancies(Context& ctx, const ProcurementOptions& options) {
  const std::optional<Format> format = ParseFormat(options.format);
  if (!format || *format == Format::kXlsx) {
    return InvalidInput("--format: expected table, csv or json, not '" + options.format + "'");
  }
  if (options.tolerance < 0 || options.tolerance > 1000) {
    return InvalidInput("--tolerance: expected a percentage from 0 to 1000");
  }
  const int64_t as_of = TRY(AsOfDay(options.as_of));
  auto store = TRY(OpenStore(ctx));
  planning::Needs needs;
  const auto data = TRY(app::LoadElectionData(*store, options.election, &needs));
  if (!options.region.empty() && data->regions.Find(options.region) < 0) {
    return InvalidInput("--region: there is no region '" + options.region + "'");
  }
  const auto found =
      TRY(app::FindProcurementDiscrepancies(*store, *data, needs, as_of, options.region, options.tolerance));
  if (*format == Format::kJson) {
    return WriteOutput(ctx, options.out, app::ProcurementDiscrepanciesJson(found, options.region) + "\n");
  }
  if (*format == Format::kCsv) return WriteOutput(ctx, options.out, app::ProcurementDiscrepanciesCsv(found));
  std::vector<std::vector<std::string>> rows;
  for (const procurement::ProcurementDiscrepancy& d : found) {
    rows.push_back({d.Code(), std::string(procurement::ProcurementIssueName(d.kind)), procurement::FindingOf(d).title});
  }
  return WriteOutput(ctx, options.out,
                     "Pengawasan pengadaan (procurement discrepancies) " + data->definition.id + ", per " +
                         FormatDay(as_of) + "\n\n" +
                         Table({"Kode (code)", "Jenis (kind)", "Uraian"}, rows, {false, false, false}) +
                         "(temuan / a finding: tepat oversight finding new --from-discrepancy CODE:KIND)\n");
}

}  // namespace

void AddProcurementCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ProcurementOptions>();
  CLI::App* cmd = app.add_subcommand(
      "procurement", "Procurement: reference data (vendors, unit prices, budget lines, inventory) and the plan");
  cmd->require_subcommand(1);
  auto common = [&](CLI::App* c) {
    c->add_option("kind", options->kind, "vendors, prices, budget, inventory, contracts, amendments, schedule or payments")->required();
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

  CLI::App* plan = cmd->add_subcommand(
      "plan", "What each KPU office must buy: needs less stock in whole packs, priced, against its pagu");
  plan->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
      ->required();
  plan->add_option("--region", options->region, "Only what is bought for a province or regency (its code)");
  plan->add_option("--by", options->by, "office (default: per buying office), or national, province, regency");
  plan->add_option("--view", options->view, "rows (default) or offices (each office against its pagu; for CSV)");
  plan->add_option("--format", options->format, "table, csv, json or xlsx");
  plan->add_option("--out", options->out, "Output file (default: standard output; required for xlsx)");
  plan->callback([&ctx, options] { ctx.status = Plan(ctx, *options); });

  CLI::App* deliveries = cmd->add_subcommand(
      "deliveries", "Deliveries against the contracts' schedule: per line and warehouse, per vendor, per item");
  deliveries->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
      ->required();
  deliveries->add_option("--as-of", options->as_of, "The day to judge on, YYYY-MM-DD (default: today)");
  deliveries->add_option("--region", options->region, "Only the warehouses within a region (its code)");
  deliveries->add_option("--view", options->view, "rows (default), vendors or items (for tables)");
  deliveries->add_option("--format", options->format, "table, csv or json");
  deliveries->add_option("--out", options->out, "Output file (default: standard output)");
  deliveries->callback([&ctx, options] { ctx.status = Deliveries(ctx, *options); });

  CLI::App* efficiency = cmd->add_subcommand(
      "efficiency", "Tepat efisien: contracted against needed, prices against the reference, savings, payments");
  efficiency->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
      ->required();
  efficiency->add_option("--region", options->region, "A province or regency: it and its regions (default: the nation)");
  efficiency->add_option("--level", options->level,
                         "province or regency: the regions listed (default: the provinces, or a region's regencies)");
  efficiency->add_option("--format", options->format, "table, csv or json");
  efficiency->add_option("--out", options->out, "Output file (default: standard output)");
  efficiency->callback([&ctx, options] { ctx.status = Efficiency(ctx, *options); });

  CLI::App* discrepancies = cmd->add_subcommand(
      "discrepancies", "For Bawaslu: contract quantities against needs, prices against the reference, late "
                       "deliveries, shortfalls against the pagu; each can become a finding");
  discrepancies->add_option("--election", options->election, "Election id (pemilu-2024, pilkada-2024) or definition file")
      ->required();
  discrepancies->add_option("--as-of", options->as_of, "The day to judge deliveries on, YYYY-MM-DD (default: today)");
  discrepancies->add_option("--region", options->region, "Only the offices and warehouses within a region");
  discrepancies->add_option("--tolerance", options->tolerance, "How far a quantity may differ from the plan and a price lie above its reference, % (10)");
  discrepancies->add_option("--format", options->format, "table, csv or json");
  discrepancies->add_option("--out", options->out, "Output file (default: standard output)");
  discrepancies->callback([&ctx, options] { ctx.status = Discrepancies(ctx, *options); });
}

}  // namespace tepat::cli
