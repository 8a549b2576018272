// The SQLite backend.
#include "store/sqlite/sqlite_store.h"

#include <cmath>
#include <map>

#include "store/migrations.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

namespace {

// Rows per multi-row INSERT; stays under SQLite's 32766 bound parameters for any table here.
constexpr size_t kBatchRows = 100;

std::string ValuesList(size_t rows, size_t columns) {
  std::string row = "(";
  for (size_t c = 0; c < columns; ++c) row += c == 0 ? "?" : ",?";
  row += ")";
  std::string out;
  for (size_t r = 0; r < rows; ++r) out += (r == 0 ? "" : ",") + row;
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  // Connections are used by one thread each: no memory statistics, whose mutex costs on every allocation.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return StorageError("cannot open database " + path + ": " + message);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  Status setup = store->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
      "PRAGMA cache_size=-65536;");
  if (!setup.ok()) return std::move(setup).error();
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Error SqliteStore::LastError(std::string_view doing) {
  return StorageError(std::string(doing) + " failed in " + path_ + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return StorageError("SQL failed in " + path_ + ": " + text);
  }
  return {};
}

void SqliteStore::LeaveMaintenanceToOthers() {
  auto_checkpoint_ = false;
  sqlite3_wal_autocheckpoint(db_, 0);
}

Status SqliteStore::Maintain() {
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) != SQLITE_OK) {
    return LastError("checkpoint");
  }
  return {};
}

Result<int> SqliteStore::SchemaVersion() {
  Statement exists(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
  if (!exists.ok() || exists.Step() != SQLITE_ROW) return LastError("reading the schema version");
  if (exists.Int(0) == 0) return 0;
  Statement version(db_, "SELECT coalesce(max(version), 0) FROM schema_version");
  if (!version.ok() || version.Step() != SQLITE_ROW) return LastError("reading the schema version");
  return static_cast<int>(version.Int(0));
}

Status SqliteStore::Migrate() {
  RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
           "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"));
  const int current = TRY(SchemaVersion());
  if (current > LatestSchemaVersion()) {
    return StorageError(path_ + " has schema version " + std::to_string(current) + ", newer than this tepat (" +
                        std::to_string(LatestSchemaVersion()) + "): upgrade tepat");
  }
  for (const Migration& migration : Migrations()) {
    if (migration.version <= current) continue;
    Transaction txn(db_);
    if (!txn.ok()) return LastError("starting a migration");
    RETURN_IF_ERROR(Exec(migration.sqlite));
    Statement record(db_, "INSERT INTO schema_version(version, name) VALUES (?, ?)");
    record.Bind(1, migration.version);
    record.Bind(2, migration.name);
    if (record.Step() != SQLITE_DONE || !txn.Commit()) return LastError("recording a migration");
  }
  return {};
}

Status SqliteStore::SaveRegions(const geo::RegionSet& regions) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting the region import");
  Statement upsert(db_,
                   "INSERT INTO region(id, code, level, parent_id, name) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT(id) DO UPDATE SET name = excluded.name");
  if (!upsert.ok()) return LastError("preparing the region import");
  for (const geo::Region& region : regions.regions()) {
    upsert.Bind(1, geo::RegionKey(region.code));
    upsert.BindStatic(2, region.code);
    upsert.Bind(3, static_cast<int64_t>(region.level));
    if (region.parent >= 0) {
      upsert.Bind(4, geo::RegionKey(regions.at(region.parent).code));
    } else {
      upsert.BindNull(4);
    }
    upsert.BindStatic(5, region.name);
    if (upsert.Step() != SQLITE_DONE) return LastError("saving region " + region.code);
    upsert.Reset();
  }
  Statement island(db_,
                   "INSERT INTO island(code, regency_code, name, coordinate, populated, outermost_small) "
                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET regency_code = excluded.regency_code, "
                   "name = excluded.name, coordinate = excluded.coordinate, populated = excluded.populated, "
                   "outermost_small = excluded.outermost_small");
  if (!island.ok()) return LastError("preparing the island import");
  for (const geo::Island& row : regions.islands()) {
    island.BindStatic(1, row.code);
    island.BindStatic(2, row.regency_code);
    island.BindStatic(3, row.name);
    island.BindStatic(4, row.coordinate);
    island.Bind(5, row.populated ? 1 : 0);
    island.Bind(6, row.outermost_small ? 1 : 0);
    if (island.Step() != SQLITE_DONE) return LastError("saving island " + row.code);
    island.Reset();
  }
  if (!txn.Commit()) return LastError("committing the region import");
  return {};
}

Result<geo::RegionSet> SqliteStore::LoadRegions() {
  std::vector<geo::Region> regions;
  Statement select(db_, "SELECT code, level, name FROM region ORDER BY code");
  if (!select.ok()) return LastError("reading regions");
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) {
    regions.push_back({select.Text(0), select.Text(2), static_cast<geo::Level>(select.Int(1)), -1});
  }
  if (rc != SQLITE_DONE) return LastError("reading regions");
  std::vector<geo::Island> islands;
  Statement islands_select(
      db_, "SELECT code, regency_code, name, coordinate, populated, outermost_small FROM island ORDER BY code");
  if (!islands_select.ok()) return LastError("reading islands");
  while ((rc = islands_select.Step()) == SQLITE_ROW) {
    islands.push_back({islands_select.Text(0), islands_select.Text(1), islands_select.Text(2), islands_select.Text(3),
                       islands_select.Int(4) != 0, islands_select.Int(5) != 0});
  }
  if (rc != SQLITE_DONE) return LastError("reading islands");
  return geo::RegionSet(std::move(regions), std::move(islands));
}

Result<int64_t> SqliteStore::ElectionId(std::string_view election, bool create) {
  if (create) {
    Statement insert(db_, "INSERT INTO election(code) VALUES (?) ON CONFLICT(code) DO NOTHING");
    insert.Bind(1, election);
    if (insert.Step() != SQLITE_DONE) return LastError("recording election " + std::string(election));
  }
  Statement select(db_, "SELECT id FROM election WHERE code = ?");
  select.Bind(1, election);
  int rc = select.Step();
  if (rc == SQLITE_ROW) return select.Int(0);
  if (rc == SQLITE_DONE) return int64_t{0};
  return LastError("reading election " + std::string(election));
}

Status SqliteStore::SaveTps(std::string_view election, const geo::RegionSet& regions,
                            const std::vector<geo::Tps>& tps) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting the TPS import");
  const int64_t election_id = TRY(ElectionId(election, true));
  const std::string head =
      "INSERT INTO tps(election_id, village_id, number, dpt, dpt_l, dpt_p, disabled, access, travel_hours) VALUES ";
  const std::string tail =
      " ON CONFLICT(election_id, village_id, number) DO UPDATE SET dpt = excluded.dpt, dpt_l = excluded.dpt_l, "
      "dpt_p = excluded.dpt_p, disabled = excluded.disabled, access = excluded.access, "
      "travel_hours = excluded.travel_hours";
  auto prepare = [&](size_t rows) { return std::make_unique<Statement>(db_, head + ValuesList(rows, 9) + tail); };
  std::unique_ptr<Statement> batch = prepare(kBatchRows);
  if (!batch->ok()) return LastError("preparing the TPS import");
  int64_t last_village = -1;
  int64_t village_key = 0;
  size_t i = 0;
  while (i < tps.size()) {
    const size_t rows = std::min(kBatchRows, tps.size() - i);
    Statement* statement = batch.get();
    std::unique_ptr<Statement> last_batch;
    if (rows < kBatchRows) {
      last_batch = prepare(rows);
      statement = last_batch.get();
    }
    int at = 1;
    for (size_t r = 0; r < rows; ++r, ++i) {
      const geo::Tps& station = tps[i];
      if (station.village != last_village) {
        last_village = station.village;
        village_key = geo::RegionKey(regions.at(station.village).code);
      }
      statement->Bind(at++, election_id);
      statement->Bind(at++, village_key);
      statement->Bind(at++, station.number);
      statement->Bind(at++, station.dpt);
      for (int32_t value : {station.dpt_l, station.dpt_p, station.disabled}) {
        if (value >= 0) {
          statement->Bind(at++, value);
        } else {
          statement->BindNull(at++);
        }
      }
      if (station.access != geo::Access::kUnknown) {
        statement->BindStatic(at++, geo::AccessName(station.access));
      } else {
        statement->BindNull(at++);
      }
      if (!std::isnan(station.travel_hours)) {
        statement->BindDouble(at++, station.travel_hours);
      } else {
        statement->BindNull(at++);
      }
    }
    if (statement->Step() != SQLITE_DONE) return LastError("saving TPS");
    sqlite3_reset(statement->get());
  }
  if (!txn.Commit()) return LastError("committing the TPS import");
  return {};
}

Result<std::vector<geo::Tps>> SqliteStore::LoadTps(std::string_view election, const geo::RegionSet& regions) {
  std::vector<geo::Tps> out;
  const int64_t election_id = TRY(ElectionId(election, false));
  if (election_id == 0) return out;
  Statement count(db_, "SELECT count(*) FROM tps WHERE election_id = ?");
  count.Bind(1, election_id);
  if (count.Step() == SQLITE_ROW) out.reserve(count.Int(0));
  Statement select(db_,
                   "SELECT village_id, number, dpt, dpt_l, dpt_p, disabled, access, travel_hours FROM tps "
                   "WHERE election_id = ? ORDER BY village_id, number");
  if (!select.ok()) return LastError("reading TPS");
  select.Bind(1, election_id);
  int64_t last_key = -1;
  int32_t last_village = -1;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) {
    geo::Tps station;
    const int64_t key = select.Int(0);
    if (key != last_key) {
      last_key = key;
      last_village = regions.FindKey(key);
      if (last_village < 0)
        return StorageError("TPS refer to village " + std::to_string(key) + ", unknown in " + path_);
    }
    station.village = last_village;
    station.number = static_cast<int32_t>(select.Int(1));
    station.dpt = static_cast<int32_t>(select.Int(2));
    station.dpt_l = select.Null(3) ? -1 : static_cast<int32_t>(select.Int(3));
    station.dpt_p = select.Null(4) ? -1 : static_cast<int32_t>(select.Int(4));
    station.disabled = select.Null(5) ? -1 : static_cast<int32_t>(select.Int(5));
    if (!select.Null(6)) station.access = geo::ParseAccess(select.Text(6)).value_or(geo::Access::kUnknown);
    if (!select.Null(7)) station.travel_hours = static_cast<float>(select.Double(7));
    out.push_back(station);
  }
  if (rc != SQLITE_DONE) return LastError("reading TPS");
  // Village keys sort like village codes (same digits, same widths), so the rows arrive in TPS order.
  return out;
}

Status SqliteStore::ReplaceDapil(std::string_view election, const geo::RegionSet& regions,
                                 const std::vector<geo::Dapil>& dapils) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting the dapil import");
  const int64_t election_id = TRY(ElectionId(election, true));
  Statement clear(db_, "DELETE FROM dapil WHERE election_id = ?");
  clear.Bind(1, election_id);
  if (clear.Step() != SQLITE_DONE) return LastError("clearing dapil");
  Statement insert(db_, "INSERT INTO dapil(election_id, contest, code, name) VALUES (?, ?, ?, ?)");
  Statement member(db_, "INSERT INTO dapil_region(dapil_id, region_id) VALUES (?, ?)");
  if (!insert.ok() || !member.ok()) return LastError("preparing the dapil import");
  for (const geo::Dapil& dapil : dapils) {
    insert.Bind(1, election_id);
    insert.BindStatic(2, dapil.contest);
    insert.BindStatic(3, dapil.code);
    insert.BindStatic(4, dapil.name);
    if (insert.Step() != SQLITE_DONE) return LastError("saving dapil " + dapil.code);
    insert.Reset();
    const int64_t dapil_id = sqlite3_last_insert_rowid(db_);
    for (int32_t region : dapil.regions) {
      member.Bind(1, dapil_id);
      member.Bind(2, geo::RegionKey(regions.at(region).code));
      if (member.Step() != SQLITE_DONE) return LastError("saving dapil " + dapil.code);
      member.Reset();
    }
  }
  if (!txn.Commit()) return LastError("committing the dapil import");
  return {};
}

Result<std::vector<geo::Dapil>> SqliteStore::LoadDapil(std::string_view election, const geo::RegionSet& regions) {
  std::vector<geo::Dapil> out;
  const int64_t election_id = TRY(ElectionId(election, false));
  if (election_id == 0) return out;
  Statement select(db_,
                   "SELECT d.id, d.contest, d.code, d.name, r.region_id FROM dapil d "
                   "JOIN dapil_region r ON r.dapil_id = d.id WHERE d.election_id = ? ORDER BY d.id, r.region_id");
  if (!select.ok()) return LastError("reading dapil");
  select.Bind(1, election_id);
  int64_t last = -1;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) {
    if (select.Int(0) != last) {
      last = select.Int(0);
      out.push_back({select.Text(1), select.Text(2), select.Text(3), {}});
    }
    int32_t region = regions.FindKey(select.Int(4));
    if (region < 0) return StorageError("dapil " + out.back().code + " refers to an unknown region in " + path_);
    out.back().regions.push_back(region);
  }
  if (rc != SQLITE_DONE) return LastError("reading dapil");
  return out;
}

}  // namespace tepat::store
