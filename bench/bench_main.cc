// National benchmarks (BENCHMARKS.md): importing the real regions and 820,161 synthetic TPS, computing every TPS's
// needs rolled up to every level in C++, and the same rollup written as SQL over the same SQLite tables.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/context.h"
#include "common/time.h"
#include "geo/regions_csv.h"
#include "geo/synthetic.h"
#include "ledger/document.h"
#include "planning/needs.h"
#include "procurement/delivery.h"
#include "procurement/demo.h"
#include "procurement/plan.h"
#include "readiness/board.h"
#include "scenario/scenario.h"
#include "sim/plan.h"
#include "sim/simulate.h"
#include "store/sqlite/sqlite_store.h"

namespace tepat::bench {

namespace {

namespace fs = std::filesystem;

const fs::path kRegionsDir = fs::path(TEPAT_SOURCE_DIR) / "data/node_modules/idn-area-data/data";

template <class T>
T Check(Result<T> result) {
  if (!result.ok()) {
    std::cerr << "bench: " << result.error().ToString() << "\n";
    std::exit(1);
  }
  return std::move(result).value();
}

int Cli(std::vector<std::string> args) {
  std::vector<const char*> argv = {"tepat"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out, err;
  int code = cli::Run(static_cast<int>(argv.size()), argv.data(), out, err);
  if (code != 0) {
    std::cerr << "bench: tepat failed: " << err.str() << "\n";
    std::exit(1);
  }
  return code;
}

// The national data set, built once: a folder with a TPS file and a database holding regions, TPS and dapil.
struct National {
  fs::path dir;
  std::string db, tps_csv, dapil_csv;
  election::Definition def;
  geo::RegionSet regions;
  std::vector<geo::Tps> tps;
  geo::DapilSet dapils;

  National() {
    dir = fs::temp_directory_path() / "tepat-bench";
    fs::remove_all(dir);
    fs::create_directories(dir);
    db = (dir / "national.db").string();
    tps_csv = (dir / "tps.csv").string();
    dapil_csv = (dir / "dapil.csv").string();
    Cli({"--db", db, "init"});
    Cli({"--db", db, "import", "regions", kRegionsDir.string()});
    Cli({"--db", db, "generate", "tps", "--election", "pemilu-2024", "--seed", "1", "--out", tps_csv});
    Cli({"--db", db, "import", "tps", "--election", "pemilu-2024", tps_csv});
    Cli({"--db", db, "generate", "dapil", "--election", "pemilu-2024", "--seed", "1", "--out", dapil_csv});
    Cli({"--db", db, "import", "dapil", "--election", "pemilu-2024", dapil_csv});
    def = Check(election::LoadBuiltin("pemilu-2024"));
    auto store = Check(store::SqliteStore::Open(db));
    regions = Check(store->LoadRegions());
    tps = Check(store->LoadTps("pemilu-2024", regions));
    dapils = geo::DapilSet(regions, def.DapilContests(), Check(store->LoadDapil("pemilu-2024", regions)));
  }
};

National& Data() {
  static National national;
  return national;
}

// Seconds per iteration of the C++ rollup, for the SQL benchmark's ratio.
double g_cpp_seconds = 0;

void BM_ImportRegions(benchmark::State& state) {
  const std::string db = (fs::temp_directory_path() / "tepat-bench-regions.db").string();
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove(db);
    Cli({"--db", db, "init"});
    state.ResumeTiming();
    Cli({"--db", db, "import", "regions", kRegionsDir.string()});
  }
  state.counters["regions"] = 38 + 514 + 7285 + 83762;
  fs::remove(db);
}
BENCHMARK(BM_ImportRegions)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_ImportTps(benchmark::State& state) {
  National& data = Data();
  const std::string db = (data.dir / "import.db").string();
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove(db);
    Cli({"--db", db, "init"});
    Cli({"--db", db, "import", "regions", kRegionsDir.string()});
    state.ResumeTiming();
    // The whole command: read the file, parse and check every row, write in one transaction.
    Cli({"--db", db, "import", "tps", "--election", "pemilu-2024", data.tps_csv});
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(data.tps.size()) * state.iterations(), benchmark::Counter::kIsRate);
  fs::remove(db);
}
BENCHMARK(BM_ImportTps)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_NeedsCpp(benchmark::State& state) {
  National& data = Data();
  planning::NeedsOptions options;
  options.threads = static_cast<int>(state.range(0));
  size_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto needs = Check(planning::ComputeNeeds({&data.def, &data.regions, &data.tps, &data.dapils}, options));
    rows = needs.national.size();
    for (const auto& region : needs.by_region) rows += region.size();
    benchmark::DoNotOptimize(needs);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.threads == 2) g_cpp_seconds = seconds / state.iterations();
  state.counters["rollup_rows"] = static_cast<double>(rows);
  state.counters["tps"] = static_cast<double>(data.tps.size());
}
BENCHMARK(BM_NeedsCpp)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// The same needs for pemilu-2024 written as SQL: per-TPS quantities (reserves rounded up per TPS) summed per village,
// then rolled up to district, regency, province and nation with the re-vote reserves held at each regency.
const std::string kNeedsCtes = R"sql(
WITH
t AS MATERIALIZED (
  SELECT tps.village_id, tps.dpt, v.parent_id AS district_id, d.parent_id AS regency_id, r.parent_id AS province_id
  FROM tps JOIN region v ON v.id = tps.village_id JOIN region d ON d.id = v.parent_id
  JOIN region r ON r.id = d.parent_id
  WHERE tps.election_id = (SELECT id FROM election WHERE code = 'pemilu-2024')),
v AS MATERIALIZED (
  SELECT village_id, district_id, regency_id, province_id, count(*) AS n, sum(dpt + (dpt * 2 + 99) / 100) AS ballots,
         CASE WHEN province_id = 31 THEN 4 ELSE 5 END AS c
  FROM t GROUP BY village_id),
dapil_of AS MATERIALIZED (
  SELECT v.village_id, dp.contest, dp.code FROM v
  CROSS JOIN dapil_region dr ON dr.region_id = v.regency_id CROSS JOIN dapil dp ON dp.id = dr.dapil_id
  WHERE dp.election_id = (SELECT id FROM election WHERE code = 'pemilu-2024')
  UNION ALL
  SELECT v.village_id, dp.contest, dp.code FROM v
  CROSS JOIN dapil_region dr ON dr.region_id = v.district_id CROSS JOIN dapil dp ON dp.id = dr.dapil_id
  WHERE dp.election_id = (SELECT id FROM election WHERE code = 'pemilu-2024')),
ballot AS MATERIALIZED (
  SELECT village_id, 'PPWP' AS contest, 'nasional' AS variant, ballots AS qty FROM v
  UNION ALL SELECT village_id, 'DPD', printf('%02d', province_id), ballots FROM v
  UNION ALL SELECT d.village_id, d.contest, d.code, v.ballots FROM dapil_of d JOIN v USING (village_id)),
village AS MATERIALIZED (
  SELECT village_id, 'surat_suara:' || contest || ':' || variant AS item, qty FROM ballot
  UNION ALL SELECT village_id, 'kotak_suara', n * c FROM v
  UNION ALL SELECT village_id, 'bilik_suara', 4 * n FROM v
  UNION ALL SELECT village_id, 'tinta', 2 * n FROM v
  UNION ALL SELECT village_id, 'segel', n * (14 + 20 * c) FROM v
  UNION ALL SELECT village_id, 'segel_plastik', n * (5 + 5 * c) FROM v
  UNION ALL SELECT village_id, 'alat_coblos', 4 * n FROM v
  UNION ALL SELECT village_id, 'alat_bantu_tunanetra', 2 * n FROM v
  UNION ALL SELECT village_id, 'daftar_calon', n * c FROM v
  UNION ALL SELECT village_id, 'sampul', n * (5 + 14 * c) FROM v
  UNION ALL SELECT village_id, 'formulir', n * 2 * c FROM v
  UNION ALL SELECT village_id, 'tanda_pengenal_kpps', 7 * n FROM v
  UNION ALL SELECT village_id, 'tanda_pengenal_ketertiban', 2 * n FROM v
  UNION ALL SELECT village_id, 'tanda_pengenal_saksi', 20 * n FROM v
  UNION ALL SELECT village_id, 'karet_pengikat', n * 10 * c FROM v
  UNION ALL SELECT village_id, 'lem', n FROM v
  UNION ALL SELECT village_id, 'kantong_plastik', n * (1 + c) FROM v
  UNION ALL SELECT village_id, 'pulpen', 10 * n FROM v
  UNION ALL SELECT village_id, 'gembok', n * c FROM v
  UNION ALL SELECT village_id, 'spidol', 4 * n FROM v
  UNION ALL SELECT village_id, 'stiker_nomor_kotak', n * c FROM v
  UNION ALL SELECT village_id, 'salinan_dpt', n FROM v),
leaf AS MATERIALIZED (
  SELECT village.village_id, v.district_id, v.regency_id, v.province_id, village.item, village.qty
  FROM village JOIN v USING (village_id)),
regency_extra AS (
  SELECT DISTINCT v.regency_id, v.province_id, 'surat_suara_psu:' || b.contest || ':' || b.variant AS item, 1000 AS qty
  FROM ballot b JOIN v USING (village_id)),
district_extra AS (
  SELECT DISTINCT district_id, regency_id, province_id, 'kotak_hasil' AS item, 1 AS qty FROM v)
)sql";
const std::string kNeedsSql = kNeedsCtes + R"sql(
SELECT 0 AS level, NULL AS region, item, sum(qty) FROM (
  SELECT item, qty FROM leaf UNION ALL SELECT item, qty FROM regency_extra UNION ALL SELECT item, qty FROM district_extra)
  GROUP BY item
UNION ALL
SELECT 1, province_id, item, sum(qty) FROM (
  SELECT province_id, item, qty FROM leaf UNION ALL SELECT province_id, item, qty FROM regency_extra
  UNION ALL SELECT province_id, item, qty FROM district_extra) GROUP BY province_id, item
UNION ALL
SELECT 2, regency_id, item, sum(qty) FROM (
  SELECT regency_id, item, qty FROM leaf UNION ALL SELECT regency_id, item, qty FROM regency_extra
  UNION ALL SELECT regency_id, item, qty FROM district_extra) GROUP BY regency_id, item
UNION ALL
SELECT 3, district_id, item, sum(qty) FROM (
  SELECT district_id, item, qty FROM leaf UNION ALL SELECT district_id, item, qty FROM district_extra)
  GROUP BY district_id, item
UNION ALL
SELECT 4, village_id, item, sum(qty) FROM leaf GROUP BY village_id, item
)sql";

// Runs the SQL rollup, returning (level, region key, item) → quantity.
std::map<std::tuple<int, int64_t, std::string>, int64_t> RunSql(sqlite3* db, bool keep) {
  std::map<std::tuple<int, int64_t, std::string>, int64_t> rows;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, kNeedsSql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::cerr << "bench: " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
  int64_t count = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    ++count;
    if (!keep) continue;
    rows[{sqlite3_column_int(stmt, 0), sqlite3_column_int64(stmt, 1),
          reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2))}] = sqlite3_column_int64(stmt, 3);
  }
  sqlite3_finalize(stmt);
  if (!keep) rows[{-1, count, ""}] = count;
  return rows;
}

// Checks, once, that the SQL gives exactly what the C++ engine gives, row for row.
void CheckSqlAgainstCpp(sqlite3* db) {
  National& data = Data();
  auto needs = Check(planning::ComputeNeeds({&data.def, &data.regions, &data.tps, &data.dapils}));
  std::map<std::tuple<int, int64_t, std::string>, int64_t> expected;
  for (const auto& [need, quantity] : needs.national) expected[{0, 0, needs.items[need].code}] = quantity;
  for (size_t r = 0; r < data.regions.size(); ++r) {
    const geo::Region& region = data.regions.at(static_cast<int32_t>(r));
    for (const auto& [need, quantity] : needs.by_region[r]) {
      expected[{static_cast<int>(region.level), geo::RegionKey(region.code), needs.items[need].code}] = quantity;
    }
  }
  auto actual = RunSql(db, true);
  if (actual != expected) {
    std::cerr << "bench: the SQL rollup differs from the C++ engine (" << actual.size() << " rows against "
              << expected.size() << ")\n";
    std::exit(1);
  }
}

void BM_NeedsSql(benchmark::State& state) {
  National& data = Data();
  auto store = Check(store::SqliteStore::Open(data.db));
  static bool checked = false;
  if (!checked) {
    CheckSqlAgainstCpp(store->handle());
    checked = true;
  }
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(RunSql(store->handle(), false));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g_cpp_seconds > 0) state.counters["times_slower_than_cpp"] = seconds / state.iterations() / g_cpp_seconds;
}
BENCHMARK(BM_NeedsSql)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

// The whole `tepat needs` command on the national database: load, compute, write every level down to villages.
void BM_NeedsCommand(benchmark::State& state) {
  National& data = Data();
  const std::string out = (data.dir / "needs.csv").string();
  for (auto _ : state) {
    Cli({"--db", data.db, "needs", "--election", "pemilu-2024", "--level", "village", "--format", "csv", "--out", out});
  }
  state.counters["csv_bytes"] = static_cast<double>(fs::file_size(out));
}
BENCHMARK(BM_NeedsCommand)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The procurement plan's reference data for the national benchmark, the same for C++ and for SQL: a national
// e-katalog price for every other item, an HPS per regency for boxes and booths, a last-election price per province
// for ink; good stock of boxes and booths kept at every regency's warehouse; KPU RI's pagu.
struct PlanReference {
  std::vector<procurement::UnitPrice> prices;
  std::vector<procurement::BudgetLine> budget;
  std::vector<procurement::Stock> stock;

  explicit PlanReference(const National& data) {
    for (size_t i = 0; i < data.def.items.size(); i += 2) {
      prices.push_back({data.def.items[i].code, "", 1'000 + 37 * static_cast<int64_t>(i), 25,
                        procurement::PriceSource::kEkatalog, ""});
    }
    for (int32_t r : data.regions.OfLevel(geo::Level::kRegency)) {
      const std::string& code = data.regions.at(r).code;
      const int64_t key = geo::RegionKey(code);
      prices.push_back({"kotak_suara", code, 39'000 + key % 1'000, 0, procurement::PriceSource::kHps, ""});
      prices.push_back({"bilik_suara", code, 16'000 + key % 500, 0, procurement::PriceSource::kHps, ""});
      stock.push_back({"kpu:" + code, "kotak_suara", 100 + key % 50});
      stock.push_back({"kpu:" + code, "bilik_suara", 80});
    }
    for (int32_t p : data.regions.OfLevel(geo::Level::kProvince)) {
      prices.push_back({"tinta", data.regions.at(p).code, 11'000 + p, 0, procurement::PriceSource::kLastElection, ""});
    }
    budget.push_back({"kpu", 2023, "521211", 1'381'000'000'000, "Logistik"});
  }
};

// Seconds per iteration of the C++ plan, for the SQL benchmark's ratio.
double g_plan_cpp_seconds = 0;

// The national procurement plan in C++: with the argument 1 from scratch (the needs of 820,161 TPS, then the plan of
// 514 regencies × every item), what the SQL below does; with 0 from the needs already in memory, as the server has
// them.
void BM_ProcurementPlanCpp(benchmark::State& state) {
  National& data = Data();
  const PlanReference reference(data);
  const bool with_needs = state.range(0) == 1;
  planning::Needs kept;
  if (!with_needs) kept = Check(planning::ComputeNeeds({&data.def, &data.regions, &data.tps, &data.dapils}));
  size_t lines = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    planning::Needs computed;
    if (with_needs) computed = Check(planning::ComputeNeeds({&data.def, &data.regions, &data.tps, &data.dapils}));
    const planning::Needs& needs = with_needs ? computed : kept;
    procurement::PlanInput input{&data.def, &data.regions, &needs, &reference.prices, &reference.budget,
                                 reference.stock};
    auto plan = Check(procurement::ComputePlan(input));
    lines = plan.lines.size();
    benchmark::DoNotOptimize(plan);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (with_needs) g_plan_cpp_seconds = seconds / state.iterations();
  state.counters["plan_lines"] = static_cast<double>(lines);
}
BENCHMARK(BM_ProcurementPlanCpp)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// The same plan written as SQL over the same tables (the needs query's CTEs, then stock, packs, the best price of the
// narrowest zone and KPU RI's pagu): per item need, stock, buy, cost and lines with no price; and the office's total.
const std::string kPlanSql = kNeedsCtes + R"sql(,
need AS MATERIALIZED (
  SELECT regency_id, item, sum(qty) AS qty FROM (
    SELECT regency_id, item, qty FROM leaf UNION ALL SELECT regency_id, item, qty FROM regency_extra
    UNION ALL SELECT regency_id, item, qty FROM district_extra) GROUP BY regency_id, item),
best AS MATERIALIZED (
  SELECT item, zone, rupiah + shipping AS unit FROM (
    SELECT item, zone, rupiah, shipping, row_number() OVER (PARTITION BY item, zone ORDER BY source) AS k
    FROM proc_price) WHERE k = 1),
held AS MATERIALIZED (SELECT warehouse, item, sum(qty) AS qty FROM proc_stock GROUP BY warehouse, item),
line AS MATERIALIZED (
  SELECT n.item, n.qty AS need, min(n.qty, coalesce(s.qty, 0)) AS stock, p.pack,
         coalesce(br.unit, bp.unit, bn.unit) AS unit
  FROM need n JOIN region r ON r.id = n.regency_id
  JOIN proc_pack p ON p.item = substr(n.item, 1, instr(n.item || ':', ':') - 1)
  LEFT JOIN held s ON s.warehouse = 'kpu:' || r.code AND s.item = n.item
  LEFT JOIN best br ON br.item = p.item AND br.zone = r.code
  LEFT JOIN best bp ON bp.item = p.item AND bp.zone = substr(r.code, 1, 2)
  LEFT JOIN best bn ON bn.item = p.item AND bn.zone = ''),
bought AS MATERIALIZED (
  SELECT item, need, stock, (need - stock + pack - 1) / pack * pack AS buy, unit FROM line)
SELECT substr(item, 1, instr(item || ':', ':') - 1) AS catalog, sum(need), sum(stock), sum(buy),
       sum(buy * coalesce(unit, 0)), sum(buy > 0 AND unit IS NULL)
FROM bought GROUP BY catalog
UNION ALL
SELECT '', (SELECT sum(pagu) FROM proc_budget WHERE satker = 'kpu'), 0, 0, sum(buy * coalesce(unit, 0)), 0
FROM bought
)sql";

// Loads the reference data into tables of the benchmark's database copy, once.
void LoadPlanTables(sqlite3* db, const National& data, const PlanReference& reference) {
  auto exec = [&](const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::cerr << "bench: " << (error ? error : "") << "\n";
      std::exit(1);
    }
  };
  exec("DROP TABLE IF EXISTS proc_price; DROP TABLE IF EXISTS proc_budget; DROP TABLE IF EXISTS proc_stock;"
       "DROP TABLE IF EXISTS proc_pack;"
       "CREATE TABLE proc_price (item TEXT, zone TEXT, rupiah INTEGER, shipping INTEGER, source INTEGER);"
       "CREATE TABLE proc_budget (satker TEXT, pagu INTEGER);"
       "CREATE TABLE proc_stock (warehouse TEXT, item TEXT, qty INTEGER);"
       "CREATE TABLE proc_pack (item TEXT PRIMARY KEY, pack INTEGER); BEGIN");
  auto quote = [](const std::string& text) { return "'" + text + "'"; };
  for (const procurement::UnitPrice& p : reference.prices) {
    exec("INSERT INTO proc_price VALUES (" + quote(p.item) + "," + quote(p.zone) + "," + std::to_string(p.rupiah) +
         "," + std::to_string(p.shipping) + "," + std::to_string(static_cast<int>(p.source)) + ")");
  }
  for (const procurement::BudgetLine& b : reference.budget) {
    exec("INSERT INTO proc_budget VALUES (" + quote(b.satker) + "," + std::to_string(b.pagu) + ")");
  }
  for (const procurement::Stock& s : reference.stock) {
    exec("INSERT INTO proc_stock VALUES (" + quote(s.warehouse) + "," + quote(s.item) + "," +
         std::to_string(s.quantity) + ")");
  }
  for (const election::Item& item : data.def.items) {
    exec("INSERT INTO proc_pack VALUES (" + quote(item.code) + "," + std::to_string(item.pack) + ")");
  }
  exec("CREATE INDEX proc_price_item ON proc_price(item, zone); COMMIT; ANALYZE");
}

using PlanTotals = std::map<std::string, std::array<int64_t, 5>>;  // catalog item ("" the office) → sums

PlanTotals RunPlanSql(sqlite3* db) {
  PlanTotals totals;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, kPlanSql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    std::cerr << "bench: " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    auto& row = totals[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))];
    for (int c = 0; c < 5; ++c) row[c] = sqlite3_column_int64(stmt, c + 1);
  }
  sqlite3_finalize(stmt);
  return totals;
}

void BM_ProcurementPlanSql(benchmark::State& state) {
  National& data = Data();
  const PlanReference reference(data);
  const std::string copy = (data.dir / "plan.db").string();
  fs::copy_file(data.db, copy, fs::copy_options::overwrite_existing);
  auto store = Check(store::SqliteStore::Open(copy));
  LoadPlanTables(store->handle(), data, reference);
  // Checked once against the C++ plan, item by item.
  auto needs = Check(planning::ComputeNeeds({&data.def, &data.regions, &data.tps, &data.dapils}));
  procurement::PlanInput input{&data.def, &data.regions, &needs, &reference.prices, &reference.budget,
                               reference.stock};
  const procurement::Plan plan = Check(procurement::ComputePlan(input));
  PlanTotals expected;
  for (const procurement::PlanRow& row :
       procurement::RollUp(plan, needs, data.regions, true, geo::Level::kNational, -1)) {
    expected[data.def.items[row.item].code] = {row.need, row.stock, row.buy, row.cost, row.unpriced_lines};
  }
  expected[""] = {plan.offices[0].pagu, 0, 0, plan.offices[0].cost, 0};
  if (RunPlanSql(store->handle()) != expected) {
    std::cerr << "bench: the SQL plan differs from the C++ plan\n";
    std::exit(1);
  }
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(RunPlanSql(store->handle()));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (g_plan_cpp_seconds > 0) {
    state.counters["times_slower_than_cpp"] = seconds / state.iterations() / g_plan_cpp_seconds;
  }
}
BENCHMARK(BM_ProcurementPlanSql)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

// Delivery progress of every contract line × warehouse nationally, from memory: the demo's contracts (tepat generate
// procurement: Pemilu 2024's two contracts, a schedule row per regency and item) and one arrival per scheduled
// delivery as the national scenario's goods receipts make them, some late and some short.
void BM_DeliveryProgress(benchmark::State& state) {
  National& data = Data();
  const readiness::Board board = Check(readiness::Board::Build(data.def, data.regions, data.tps, &data.dapils));
  std::map<int32_t, std::map<int32_t, int64_t>> need;
  for (size_t i = 0; i < board.tps_count(); ++i) {
    const int32_t regency = data.regions.Ancestor(board.tps(i).village, geo::Level::kRegency);
    for (const auto& [id, quantity] : board.NeedOf(i)) need[regency][id] += quantity;
  }
  procurement::Deliveries delivered;
  for (const auto& [regency, items] : need) {
    for (const auto& [id, quantity] : items) {
      const planning::NeedItem& n = board.needs().items[id];
      const std::string contest = n.contest < 0 ? "" : data.def.contests[n.contest].code;
      delivered[regency][{data.def.items[n.item].code, contest}] += scenario::VendorDelivery(quantity);
    }
  }
  const procurement::DemoProcurement demo = procurement::MakeDemoProcurement(data.def, data.regions, delivered);
  std::vector<procurement::Arrival> arrivals;
  for (size_t i = 0; i < demo.book.schedule.size(); ++i) {
    const procurement::ScheduledDelivery& s = demo.book.schedule[i];
    const std::string item = s.product.substr(5, s.product.find('-', 5) - 5);  // EKAT-item[-CONTEST]
    const int64_t good = i % 50 == 0 ? s.quantity * 9 / 10 : s.quantity;
    arrivals.push_back({s.contract, s.warehouse, item, s.due_day - (i % 17 == 0 ? -3 : 2), good, good / 200, false});
  }
  const int64_t as_of = ParseDate(data.def.voting_day).value();
  size_t rows = 0;
  for (auto _ : state) {
    const procurement::DeliveryProgress progress = procurement::ComputeDeliveries(demo.book, arrivals, {}, as_of);
    rows = progress.rows.size();
    benchmark::DoNotOptimize(progress);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["arrivals"] = static_cast<double>(arrivals.size());
}
BENCHMARK(BM_DeliveryProgress)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// The national scenario's documents (about 1.8 million), written once without posting.
struct Scenario {
  std::string ndjson, truth, ledger_db;
  explicit Scenario(const National& data) {
    ndjson = (data.dir / "scenario.ndjson").string();
    truth = (data.dir / "scenario-truth.csv").string();
    ledger_db = (data.dir / "ledger.db").string();
    Cli({"--db", data.db, "scenario", "play", "--election", "pemilu-2024", "--seed", "7", "--truth", truth, "--ndjson",
         ndjson, "--write-only"});
  }
};

Scenario& ScenarioData() {
  static Scenario scenario(Data());
  return scenario;
}

int64_t Count(const std::string& db, const char* sql) {
  auto store = Check(store::SqliteStore::Open(db));
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(store->handle(), sql, -1, &stmt, nullptr);
  sqlite3_step(stmt);
  const int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

// `tepat ledger import` of the whole national scenario into SQLite, durable commits in batches of 8,192 documents.
void BM_LedgerImportNational(benchmark::State& state) {
  National& data = Data();
  Scenario& scenario = ScenarioData();
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scenario.ledger_db + suffix);
    fs::copy_file(data.db, scenario.ledger_db);
    state.ResumeTiming();
    Cli({"--db", scenario.ledger_db, "ledger", "import", scenario.ndjson});
  }
  const double lines = static_cast<double>(Count(scenario.ledger_db, "SELECT count(*) FROM ledger_movement"));
  const double documents = static_cast<double>(Count(scenario.ledger_db, "SELECT count(*) FROM ledger_document"));
  state.counters["movement_lines"] = lines;
  state.counters["documents"] = documents;
  state.counters["lines_per_s"] = benchmark::Counter(lines * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["documents_per_s"] = benchmark::Counter(documents * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LedgerImportNational)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// What SQLite alone needs to write the rows the national import leaves, with no parsing, planning or hashing: every
// ledger and readiness row of the imported national ledger copied by SQLite itself (INSERT ... SELECT from the
// attached ledger) into a fresh copy of the national database, in as many durable commits as the import makes, each
// commit taking the same share of every table. Arg 0 copies the bodies as stored; arg 1 writes "{}" instead of each
// body, the lower bound for any way of keeping them. The import can be no faster than this.
void BM_LedgerSqliteFloor(benchmark::State& state) {
  National& data = Data();
  Scenario& scenario = ScenarioData();
  if (!fs::exists(scenario.ledger_db) || Count(scenario.ledger_db, "SELECT count(*) FROM ledger_document") == 0) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scenario.ledger_db + suffix);
    fs::copy_file(data.db, scenario.ledger_db);
    Cli({"--db", scenario.ledger_db, "ledger", "import", scenario.ndjson});
  }
  const std::string db = (data.dir / "floor.db").string();
  const bool bodies = state.range(0) == 0;
  // Each table with the key that splits it into the commits' shares, and the table whose key range it follows, so
  // that a row never comes before the row its foreign key names. Nodes and articles, which documents and kits name,
  // are all written by the first commit.
  struct Table {
    std::string name, key, range_of;
  };
  const std::vector<Table> tables = {{"ledger_node", "id", ""},
                                     {"ledger_article", "id", ""},
                                     {"ledger_document", "seq", "ledger_document"},
                                     {"ledger_movement", "seq", "ledger_document"},
                                     {"ledger_kit", "article_id", "ledger_kit"},
                                     {"ledger_status", "seq", "ledger_document"},
                                     {"ledger_balance", "node_id", "ledger_balance"},
                                     {"readiness_tps", "tps_key", "readiness_tps"},
                                     {"ledger_clock", "election_id", "ledger_clock"}};
  const int64_t documents = Count(scenario.ledger_db, "SELECT count(*) FROM ledger_document");
  const int64_t commits = (documents + 8191) / 8192;
  const int64_t election = Count(scenario.ledger_db, "SELECT id FROM election WHERE code = 'pemilu-2024'");
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    fs::copy_file(data.db, db);
    auto store = Check(store::SqliteStore::Open(db));
    sqlite3* handle = store->handle();
    auto exec = [&](const std::string& sql) {
      if (sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::cerr << "bench: " << sql << ": " << sqlite3_errmsg(handle) << "\n";
        std::exit(1);
      }
    };
    exec("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=16384; PRAGMA cache_size=-262144;");
    exec("ATTACH DATABASE '" + scenario.ledger_db + "' AS src");
    std::map<std::string, std::pair<int64_t, int64_t>> ranges;
    for (const Table& t : tables) {
      if (t.range_of != t.name) continue;
      ranges[t.name] = {Count(scenario.ledger_db, ("SELECT min(" + t.key + ") FROM " + t.name).c_str()),
                        Count(scenario.ledger_db, ("SELECT max(" + t.key + ") + 1 FROM " + t.name).c_str())};
    }
    state.ResumeTiming();
    for (int64_t c = 0; c < commits; ++c) {
      exec("BEGIN IMMEDIATE");
      for (const Table& t : tables) {
        if (t.range_of.empty() && c > 0) continue;
        const auto [low, high] = t.range_of.empty() ? std::pair{INT64_MIN, INT64_MIN} : ranges[t.range_of];
        const __int128 span = high - low;
        const int64_t from = c == 0 ? INT64_MIN : low + static_cast<int64_t>(span * c / commits);
        const int64_t to =
            c + 1 == commits || t.range_of.empty() ? INT64_MAX : low + static_cast<int64_t>(span * (c + 1) / commits);
        const std::string columns = t.name == "ledger_document" && !bodies
                                        ? "seq, id, election_id, kind, node_id, to_node_id, at, '{}', body_hash, hash"
                                        : "*";
        // readiness_tps is keyed by (election_id, tps_key); the scenario's ledger holds one election.
        const std::string scope =
            t.name == "readiness_tps" ? "election_id = " + std::to_string(election) + " AND " : "";
        exec("INSERT INTO main." + t.name + " SELECT " + columns + " FROM src." + t.name + " WHERE " + scope + t.key +
             " >= " + std::to_string(from) + " AND " + t.key + " < " + std::to_string(to));
      }
      exec("COMMIT");
    }
    state.PauseTiming();
    exec("DETACH DATABASE src");
    state.ResumeTiming();
  }
  const double lines = static_cast<double>(Count(db, "SELECT count(*) FROM ledger_movement"));
  int64_t rows = 0;
  for (const Table& t : tables) rows += Count(db, ("SELECT count(*) FROM " + t.name).c_str());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["movement_lines"] = lines;
  state.counters["lines_per_s"] = benchmark::Counter(lines * state.iterations(), benchmark::Counter::kIsRate);
  fs::remove(db);
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(db + suffix);
}
BENCHMARK(BM_LedgerSqliteFloor)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

// One document posted at a time, each in its own durable transaction, on the national ledger: handovers of a box
// from regency warehouses to their PPK and the PPK's receipt.
void BM_PostOneDocument(benchmark::State& state) {
  National& data = Data();
  Scenario& scenario = ScenarioData();
  auto store = Check(store::SqliteStore::Open(scenario.ledger_db));
  auto election = Check(cli::LoadElectionData(*store, "pemilu-2024"));
  app::LedgerWriter writer(*store, {});
  writer.Use(*election);
  std::vector<double> micros;
  const auto& districts = data.regions.OfLevel(geo::Level::kDistrict);
  uint64_t n = 0;
  for (auto _ : state) {
    const std::string& district = data.regions.at(districts[(n * 7919) % districts.size()]).code;
    const std::string regency = district.substr(0, 5);
    char id[40];
    std::snprintf(id, sizeof id, "bbbbbbbb-0000-4000-8000-%012llu", static_cast<unsigned long long>(2 * n + 1));
    const std::string dispatch = id;
    std::snprintf(id, sizeof id, "bbbbbbbb-0000-4000-8000-%012llu", static_cast<unsigned long long>(2 * n + 2));
    const std::string receipt = id;
    ++n;
    const std::vector<std::string> texts = {
        R"({"id":")" + dispatch +
            R"(","kind":"dispatch","election":"pemilu-2024","at":"2024-02-13T09:00:00+07:00",)"
            R"("node":"kpu:)" +
            regency + R"(","signed_by":[{"name":"Bench","role":"KPU"}],"to":"ppk:)" + district +
            R"(","lines":[{"item":"kotak_suara","quantity":1}]})",
        R"({"id":")" + receipt +
            R"(","kind":"receipt","election":"pemilu-2024","at":"2024-02-13T11:00:00+07:00",)"
            R"("node":"ppk:)" +
            district + R"(","signed_by":[{"name":"Bench","role":"PPK"}],"from":"kpu:)" + regency + R"(","dispatch":")" +
            dispatch + R"(","lines":[{"item":"kotak_suara","sent":1,"accepted":1}]})"};
    for (const std::string& text : texts) {
      const auto start = std::chrono::steady_clock::now();
      auto doc = Check(ledger::ParseDocument("bench", text));
      auto written = writer.Write({{std::move(doc), "bench", cli::CliPrincipal(), "cli"}});
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
      const store::PostOutcome outcome = Check(std::move(written[0]));
      if (outcome.kind == store::PostOutcome::Kind::kRefused) {
        std::cerr << "bench: " << outcome.error->ToString() << "\n";
        std::exit(1);
      }
    }
  }
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
  state.counters["max_us"] = Percentile(micros, 1.0);
}
BENCHMARK(BM_PostOneDocument)->Iterations(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Readiness of one region at any level with its child regions, from the board built once over the national ledger's
// per-TPS projection.
void BM_ReadinessRegion(benchmark::State& state) {
  National& data = Data();
  Scenario& scenario = ScenarioData();
  auto store = Check(store::SqliteStore::Open(scenario.ledger_db));
  auto election = Check(cli::LoadElectionData(*store, "pemilu-2024"));
  const auto load_start = std::chrono::steady_clock::now();
  readiness::Board board = Check(cli::LoadBoard(*store, *election));
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  const int64_t clock = Check(store->LedgerClock("pemilu-2024"));
  std::vector<double> micros;
  uint64_t n = 0;
  int64_t complete = 0;
  for (auto _ : state) {
    // Every level in turn: the nation, then a province, regency, district or village picked across the country.
    const int level = static_cast<int>(n % 5);
    int32_t region = -1;
    if (level > 0) {
      const auto& of = data.regions.OfLevel(static_cast<geo::Level>(level));
      region = of[(n * 104729) % of.size()];
    }
    ++n;
    // What a drill-down shows: the region and each of the regions one level below it.
    const auto start = std::chrono::steady_clock::now();
    readiness::RegionReadiness r = board.Region(region, clock);
    complete += r.states[2];
    const auto [first, last] = region < 0 ? std::pair<int32_t, int32_t>{0, static_cast<int32_t>(data.regions.size())}
                                          : data.regions.Subtree(region);
    for (int32_t child = first; child < last; ++child) {
      if (data.regions.at(child).parent != region) continue;
      readiness::RegionReadiness c = board.Region(child, clock);
      complete += c.states[2];
    }
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
  state.counters["board_load_s"] = load_seconds;
  benchmark::DoNotOptimize(complete);
}
BENCHMARK(BM_ReadinessRegion)->Iterations(100000)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The simulation's national world: the board, the generated plan (~910,000 legs) and its network, built once.
struct SimWorld {
  readiness::Board board;
  sim::Plan plan;
  sim::Network network;
  double generate_seconds = 0, build_seconds = 0;
};

SimWorld& Sim() {
  static SimWorld* world = [] {
    National& data = Data();
    readiness::Board board = Check(readiness::Board::Build(data.def, data.regions, data.tps, &data.dapils));
    auto start = std::chrono::steady_clock::now();
    sim::Plan plan = sim::GeneratePlan(board, sim::DefaultModel());
    const double generate = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    sim::Network network = Check(sim::Network::Build(plan, board, sim::DefaultModel()));
    const double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return new SimWorld{std::move(board), std::move(plan), std::move(network), generate, build};
  }();
  return *world;
}

// ns per leg-sample of the kernel on one thread, for the straightforward version's ratio.
double g_kernel_ns_one_thread = 0;

// The national plan × N scenarios (Arg 0) on T threads (Arg 1): the kernel, with its per-TPS histograms, blame and
// per-region spread. ns_per_leg_sample is wall time per leg and scenario (on all threads together).
void BM_SimulateNational(benchmark::State& state) {
  SimWorld& world = Sim();
  const sim::Options options{state.range(0), 1, static_cast<int>(state.range(1))};
  double late = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    sim::Outcome outcome = sim::Simulate(world.network, options);
    late = outcome.regions.front().expected_late;
  }
  const double samples = static_cast<double>(world.network.legs()) * static_cast<double>(options.scenarios);
  if (options.threads == 1) {
    g_kernel_ns_one_thread = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
                             static_cast<double>(state.iterations()) / samples;
  }
  state.counters["legs"] = static_cast<double>(world.network.legs());
  state.counters["expected_late_tps"] = late;
  state.counters["ns_per_leg_sample"] =
      benchmark::Counter(samples * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["plan_generate_s"] = world.generate_seconds;
  state.counters["network_build_s"] = world.build_seconds;
}
BENCHMARK(BM_SimulateNational)
    ->Args({1000, 2})
    ->Args({10000, 2})
    ->Args({1000, 1})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// The straightforward version on the same plan: one std::lognormal_distribution draw per leg and scenario, scenario
// after scenario, one thread, travel times only; compare its ns_per_leg_sample with BM_SimulateNational's at 1 thread.
void BM_SimulateStraightforward(benchmark::State& state) {
  SimWorld& world = Sim();
  const sim::Options options{state.range(0), 1, 1};
  int64_t late = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    std::vector<int64_t> counts = sim::SimulateStraightforward(world.network, sim::DefaultModel(), options);
    for (int64_t c : counts) late += c;
  }
  const double samples = static_cast<double>(world.network.legs()) * static_cast<double>(options.scenarios);
  const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
                    static_cast<double>(state.iterations()) / samples;
  // Against the kernel on one thread (BM_SimulateNational/1000/1 runs first).
  if (g_kernel_ns_one_thread > 0) state.counters["times_slower_than_tepat_1_thread"] = ns / g_kernel_ns_one_thread;
  state.counters["ns_per_leg_sample"] =
      benchmark::Counter(samples * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  benchmark::DoNotOptimize(late);
}
BENCHMARK(BM_SimulateStraightforward)->Arg(20)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

}  // namespace tepat::bench

BENCHMARK_MAIN();
