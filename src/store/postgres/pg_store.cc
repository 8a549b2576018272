// The PostgreSQL store: migrations, regions, TPS and dapil.
#include "store/postgres/pg_store.h"

#include <cmath>

#include "store/migrations.h"

namespace tepat::store {

namespace {

// Migrations of concurrent `tepat init` runs take turns under this advisory lock.
constexpr int64_t kMigrationLock = 0x74657061;  // "tepa"

std::string Int(int64_t n) { return std::to_string(n); }

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url) {
  auto conn = TRY(pg::Connection::Open(url));
  return std::unique_ptr<PgStore>(new PgStore(std::move(conn)));
}

Result<int> PgStore::SchemaVersion() {
  const pg::Rows exists =
      TRY(conn_->Query("SELECT to_regclass('schema_version') IS NOT NULL", {}, "reading the schema version"));
  if (exists.Text(0, 0) != "t") return 0;
  const pg::Rows version =
      TRY(conn_->Query("SELECT coalesce(max(version), 0) FROM schema_version", {}, "reading the schema version"));
  return static_cast<int>(version.Int(0, 0));
}

Status PgStore::Migrate() {
  RETURN_IF_ERROR(conn_->Exec("SELECT pg_advisory_lock(" + Int(kMigrationLock) + ")", "waiting for other migrations"));
  auto migrate = [&]() -> Status {
    RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT "
                    "NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    "creating the schema version table"));
    const int current = TRY(SchemaVersion());
    if (current > LatestSchemaVersion()) {
      return StorageError(conn_->where() + " has schema version " + std::to_string(current) +
                          ", newer than this tepat (" + std::to_string(LatestSchemaVersion()) + "): upgrade tepat");
    }
    for (const Migration& migration : Migrations()) {
      if (migration.version <= current) continue;
      pg::Transaction txn(*conn_);
      RETURN_IF_ERROR(txn.status());
      RETURN_IF_ERROR(conn_->Exec(migration.postgres, "migration " + std::to_string(migration.version)));
      RETURN_IF_ERROR(conn_->Query("INSERT INTO schema_version(version, name) VALUES ($1, $2)",
                                   {migration.version, migration.name}, "recording a migration"));
      RETURN_IF_ERROR(txn.Commit());
    }
    return {};
  };
  Status migrated = migrate();
  Status unlocked = conn_->Exec("SELECT pg_advisory_unlock(" + Int(kMigrationLock) + ")", "ending the migration");
  RETURN_IF_ERROR(migrated);
  return unlocked;
}

Status PgStore::SaveRegions(const geo::RegionSet& regions) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  RETURN_IF_ERROR(
      conn_->Exec("CREATE TEMP TABLE region_in (LIKE region) ON COMMIT DROP; "
                  "CREATE TEMP TABLE island_in (LIKE island) ON COMMIT DROP",
                  "starting the region import"));
  std::string data;
  for (const geo::Region& region : regions.regions()) {
    pg::AppendCopyField(data, geo::RegionKey(region.code), true);
    pg::AppendCopyField(data, region.code);
    pg::AppendCopyField(data, static_cast<int64_t>(region.level));
    pg::AppendCopyField(
        data, region.parent >= 0 ? pg::Value(geo::RegionKey(regions.at(region.parent).code)) : pg::Value(std::nullopt));
    pg::AppendCopyField(data, region.name);
    data += '\n';
  }
  RETURN_IF_ERROR(conn_->Copy("COPY region_in(id, code, level, parent_id, name) FROM STDIN", data, "saving regions"));
  data.clear();
  for (const geo::Island& row : regions.islands()) {
    pg::AppendCopyField(data, row.code, true);
    pg::AppendCopyField(data, row.regency_code);
    pg::AppendCopyField(data, row.name);
    pg::AppendCopyField(data, row.coordinate);
    pg::AppendCopyField(data, row.populated ? 1 : 0);
    pg::AppendCopyField(data, row.outermost_small ? 1 : 0);
    data += '\n';
  }
  RETURN_IF_ERROR(conn_->Copy("COPY island_in FROM STDIN", data, "saving islands"));
  RETURN_IF_ERROR(conn_->Exec(
      "INSERT INTO region SELECT * FROM region_in ON CONFLICT (id) DO UPDATE SET name = excluded.name; "
      "INSERT INTO island SELECT * FROM island_in ON CONFLICT (code) DO UPDATE SET regency_code = "
      "excluded.regency_code, name = excluded.name, coordinate = excluded.coordinate, populated = excluded.populated, "
      "outermost_small = excluded.outermost_small",
      "saving regions"));
  return txn.Commit();
}

Result<geo::RegionSet> PgStore::LoadRegions() {
  std::vector<geo::Region> regions;
  RETURN_IF_ERROR(
      conn_->ForEachRow("SELECT code, level, name FROM region ORDER BY code COLLATE \"C\"", {}, "reading regions",
                        [&](const pg::Rows& r, int i) -> Status {
                          regions.push_back({r.Text(i, 0), r.Text(i, 2), static_cast<geo::Level>(r.Int(i, 1)), -1});
                          return {};
                        }));
  std::vector<geo::Island> islands;
  RETURN_IF_ERROR(conn_->ForEachRow(
      "SELECT code, regency_code, name, coordinate, populated, outermost_small FROM island ORDER BY code COLLATE \"C\"",
      {}, "reading islands", [&](const pg::Rows& r, int i) -> Status {
        islands.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Int(i, 4) != 0, r.Int(i, 5) != 0});
        return {};
      }));
  return geo::RegionSet(std::move(regions), std::move(islands));
}

Result<int64_t> PgStore::ElectionId(std::string_view election, bool create) {
  if (create) {
    RETURN_IF_ERROR(conn_->Query("INSERT INTO election(code) VALUES ($1) ON CONFLICT (code) DO NOTHING", {election},
                                 "recording election " + std::string(election)));
  }
  const pg::Rows rows = TRY(
      conn_->Query("SELECT id FROM election WHERE code = $1", {election}, "reading election " + std::string(election)));
  return rows.size() ? rows.Int(0, 0) : int64_t{0};
}

Status PgStore::SaveTps(std::string_view election, const geo::RegionSet& regions, const std::vector<geo::Tps>& tps) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(election, true));
  RETURN_IF_ERROR(conn_->Exec("CREATE TEMP TABLE tps_in (LIKE tps) ON COMMIT DROP", "starting the TPS import"));
  std::string data;
  data.reserve(tps.size() * 48);
  int32_t last_village = -1;
  int64_t village_key = 0;
  auto optional = [](int32_t v) { return v >= 0 ? pg::Value(int64_t{v}) : pg::Value(std::nullopt); };
  for (const geo::Tps& station : tps) {
    if (station.village != last_village) {
      last_village = station.village;
      village_key = geo::RegionKey(regions.at(station.village).code);
    }
    pg::AppendCopyField(data, election_id, true);
    pg::AppendCopyField(data, village_key);
    pg::AppendCopyField(data, int64_t{station.number});
    pg::AppendCopyField(data, int64_t{station.dpt});
    pg::AppendCopyField(data, optional(station.dpt_l));
    pg::AppendCopyField(data, optional(station.dpt_p));
    pg::AppendCopyField(data, optional(station.disabled));
    pg::AppendCopyField(data, station.access != geo::Access::kUnknown ? pg::Value(geo::AccessName(station.access))
                                                                      : pg::Value(std::nullopt));
    pg::AppendCopyField(data, std::isnan(station.travel_hours) ? pg::Value(std::nullopt)
                                                               : pg::Value(static_cast<double>(station.travel_hours)));
    data += '\n';
  }
  RETURN_IF_ERROR(conn_->Copy("COPY tps_in FROM STDIN", data, "saving TPS"));
  RETURN_IF_ERROR(
      conn_->Exec("INSERT INTO tps SELECT * FROM tps_in ON CONFLICT (election_id, village_id, number) DO UPDATE SET "
                  "dpt = excluded.dpt, dpt_l = excluded.dpt_l, dpt_p = excluded.dpt_p, disabled = excluded.disabled, "
                  "access = excluded.access, travel_hours = excluded.travel_hours",
                  "saving TPS"));
  return txn.Commit();
}

Result<std::vector<geo::Tps>> PgStore::LoadTps(std::string_view election, const geo::RegionSet& regions) {
  std::vector<geo::Tps> out;
  const int64_t election_id = TRY(ElectionId(election, false));
  if (election_id == 0) return out;
  int64_t last_key = -1;
  int32_t last_village = -1;
  RETURN_IF_ERROR(conn_->ForEachRow(
      "SELECT village_id, number, dpt, dpt_l, dpt_p, disabled, access, travel_hours FROM tps WHERE election_id = $1 "
      "ORDER BY village_id, number",
      {election_id}, "reading TPS", [&](const pg::Rows& r, int i) -> Status {
        geo::Tps station;
        const int64_t key = r.Int(i, 0);
        if (key != last_key) {
          last_key = key;
          last_village = regions.FindKey(key);
          if (last_village < 0) {
            return StorageError("TPS refer to village " + std::to_string(key) + ", unknown in " + conn_->where());
          }
        }
        station.village = last_village;
        station.number = static_cast<int32_t>(r.Int(i, 1));
        station.dpt = static_cast<int32_t>(r.Int(i, 2));
        station.dpt_l = r.Null(i, 3) ? -1 : static_cast<int32_t>(r.Int(i, 3));
        station.dpt_p = r.Null(i, 4) ? -1 : static_cast<int32_t>(r.Int(i, 4));
        station.disabled = r.Null(i, 5) ? -1 : static_cast<int32_t>(r.Int(i, 5));
        if (!r.Null(i, 6)) station.access = geo::ParseAccess(r.Text(i, 6)).value_or(geo::Access::kUnknown);
        if (!r.Null(i, 7)) station.travel_hours = static_cast<float>(r.Double(i, 7));
        out.push_back(station);
        return {};
      }));
  return out;
}

Status PgStore::ReplaceDapil(std::string_view election, const geo::RegionSet& regions,
                             const std::vector<geo::Dapil>& dapils) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(election, true));
  RETURN_IF_ERROR(conn_->Query("DELETE FROM dapil WHERE election_id = $1", {election_id}, "clearing dapil"));
  // The dapil get their ids from one insert in list order; their regions then follow by COPY.
  std::string data;
  for (const geo::Dapil& dapil : dapils) {
    pg::AppendCopyField(data, int64_t{static_cast<int64_t>(&dapil - dapils.data())}, true);
    pg::AppendCopyField(data, dapil.contest);
    pg::AppendCopyField(data, dapil.code);
    pg::AppendCopyField(data, dapil.name);
    data += '\n';
  }
  RETURN_IF_ERROR(
      conn_->Exec("CREATE TEMP TABLE dapil_in (ord BIGINT, contest TEXT, code TEXT, name TEXT) ON COMMIT "
                  "DROP; CREATE TEMP TABLE dapil_region_in (ord BIGINT, region_id BIGINT) ON COMMIT DROP",
                  "starting the dapil import"));
  RETURN_IF_ERROR(conn_->Copy("COPY dapil_in FROM STDIN", data, "saving dapil"));
  data.clear();
  for (size_t i = 0; i < dapils.size(); ++i) {
    for (int32_t region : dapils[i].regions) {
      pg::AppendCopyField(data, static_cast<int64_t>(i), true);
      pg::AppendCopyField(data, geo::RegionKey(regions.at(region).code));
      data += '\n';
    }
  }
  RETURN_IF_ERROR(conn_->Copy("COPY dapil_region_in FROM STDIN", data, "saving dapil"));
  RETURN_IF_ERROR(
      conn_->Query("WITH added AS (INSERT INTO dapil(election_id, contest, code, name) SELECT $1, contest, "
                   "code, name FROM dapil_in ORDER BY ord RETURNING id, contest, code) "
                   "INSERT INTO dapil_region(dapil_id, region_id) SELECT a.id, r.region_id FROM added a "
                   "JOIN dapil_in d ON d.contest = a.contest AND d.code = a.code "
                   "JOIN dapil_region_in r ON r.ord = d.ord",
                   {election_id}, "saving dapil"));
  return txn.Commit();
}

Result<std::vector<geo::Dapil>> PgStore::LoadDapil(std::string_view election, const geo::RegionSet& regions) {
  std::vector<geo::Dapil> out;
  const int64_t election_id = TRY(ElectionId(election, false));
  if (election_id == 0) return out;
  int64_t last = -1;
  RETURN_IF_ERROR(conn_->ForEachRow(
      "SELECT d.id, d.contest, d.code, d.name, r.region_id FROM dapil d JOIN dapil_region r ON r.dapil_id = d.id "
      "WHERE d.election_id = $1 ORDER BY d.id, r.region_id",
      {election_id}, "reading dapil", [&](const pg::Rows& r, int i) -> Status {
        if (r.Int(i, 0) != last) {
          last = r.Int(i, 0);
          out.push_back({r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), {}});
        }
        const int32_t region = regions.FindKey(r.Int(i, 4));
        if (region < 0)
          return StorageError("dapil " + out.back().code + " refers to an unknown region in " + conn_->where());
        out.back().regions.push_back(region);
        return {};
      }));
  return out;
}

}  // namespace tepat::store
