// National benchmarks (BENCHMARKS.md): importing the real regions and 820,161 synthetic TPS, computing every TPS's
// needs rolled up to every level in C++, and the same rollup written as SQL over the same SQLite tables.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/context.h"
#include "geo/regions_csv.h"
#include "geo/synthetic.h"
#include "planning/needs.h"
#include "store/sqlite/sqlite_store.h"

namespace tepat::bench {

namespace {

namespace fs = std::filesystem;

const fs::path kRegionsDir = fs::path(TEPAT_SOURCE_DIR) / "data/node_modules/idn-area-data/data";

void Check(const Status& status) {
  if (!status.ok()) {
    std::cerr << "bench: " << status.error().ToString() << "\n";
    std::exit(1);
  }
}

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
const char* kNeedsSql = R"sql(
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
  if (sqlite3_prepare_v2(db, kNeedsSql, -1, &stmt, nullptr) != SQLITE_OK) {
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

}  // namespace

}  // namespace tepat::bench

BENCHMARK_MAIN();
