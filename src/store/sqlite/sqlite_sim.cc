// Distribution plans and projections in SQLite: the plan as its CSV text, the last projection's run, regions and TPS.
#include "store/common.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

Status SqliteStore::SavePlan(std::string_view election, const StoredPlan& plan, const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  const int64_t election_id = TRY(ElectionId(election, true));
  Statement s(db_,
              "INSERT INTO sim_plan(election_id, body, legs, saved_at, saved_by) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (election_id) DO UPDATE SET body = excluded.body, legs = excluded.legs, "
              "saved_at = excluded.saved_at, saved_by = excluded.saved_by");
  s.Bind(1, election_id);
  s.BindStatic(2, plan.csv);
  s.Bind(3, plan.legs);
  s.Bind(4, plan.saved_at);
  s.Bind(5, plan.saved_by);
  if (s.Step() != SQLITE_DONE) return LastError("saving the plan");
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("saving the plan");
  return {};
}

Result<std::optional<StoredPlan>> SqliteStore::LoadPlan(std::string_view election, bool with_body) {
  Statement s(db_, std::string("SELECT ") + (with_body ? "p.body" : "''") +
                       ", p.legs, p.saved_at, p.saved_by, length(CAST(p.body AS BLOB)) FROM sim_plan p "
                       "JOIN election e ON e.id = p.election_id WHERE e.code = ?");
  s.Bind(1, election);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredPlan>();
  if (rc != SQLITE_ROW) return LastError("reading the plan");
  return std::optional<StoredPlan>(StoredPlan{s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Int(4)});
}

Status SqliteStore::SaveProjection(std::string_view election, const ProjectionRun& run,
                                   const std::vector<RegionRisk>& regions, const std::vector<TpsRisk>& tps,
                                   const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  const int64_t election_id = TRY(ElectionId(election, true));
  for (const char* table : {"sim_run", "sim_region", "sim_tps"}) {
    Statement clear(db_, std::string("DELETE FROM ") + table + " WHERE election_id = ?");
    clear.Bind(1, election_id);
    if (clear.Step() != SQLITE_DONE) return LastError("replacing the projection");
  }
  {
    Statement s(db_,
                "INSERT INTO sim_run(election_id, region, scenarios, seed, as_of, computed_at, legs) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, election_id);
    s.Bind(2, run.region);
    s.Bind(3, run.scenarios);
    s.Bind(4, run.seed);
    s.Bind(5, run.as_of);
    s.Bind(6, run.computed_at);
    s.Bind(7, run.legs);
    if (s.Step() != SQLITE_DONE) return LastError("saving the projection");
  }
  Statement region(db_,
                   "INSERT INTO sim_region(election_id, region, parent, tps, expected_late, sd_late) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  for (const RegionRisk& r : regions) {
    region.Bind(1, election_id);
    region.BindStatic(2, r.region);
    region.BindStatic(3, r.parent);
    region.Bind(4, r.tps);
    region.BindDouble(5, r.expected_late);
    region.BindDouble(6, r.sd_late);
    if (region.Step() != SQLITE_DONE) return LastError("saving the projection's regions");
    region.Reset();
  }
  Statement station(db_,
                    "INSERT INTO sim_tps(election_id, tps, p_late, p_low, p_high, lateness_hours, p05, p50, p95, "
                    "deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const TpsRisk& t : tps) {
    station.Bind(1, election_id);
    station.BindStatic(2, t.tps);
    station.BindDouble(3, t.p_late);
    station.BindDouble(4, t.p_low);
    station.BindDouble(5, t.p_high);
    station.BindDouble(6, t.lateness_hours);
    station.Bind(7, t.p05);
    station.Bind(8, t.p50);
    station.Bind(9, t.p95);
    station.Bind(10, t.deadline);
    if (station.Step() != SQLITE_DONE) return LastError("saving the projection's TPS");
    station.Reset();
  }
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("saving the projection");
  return {};
}

Result<std::optional<ProjectionRun>> SqliteStore::LoadProjectionRun(std::string_view election) {
  Statement s(db_,
              "SELECT r.region, r.scenarios, r.seed, r.as_of, r.computed_at, r.legs FROM sim_run r "
              "JOIN election e ON e.id = r.election_id WHERE e.code = ?");
  s.Bind(1, election);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<ProjectionRun>();
  if (rc != SQLITE_ROW) return LastError("reading the projection");
  return std::optional<ProjectionRun>(ProjectionRun{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4), s.Text(5)});
}

Result<std::vector<RegionRisk>> SqliteStore::RegionRisks(std::string_view election, std::string_view parent) {
  Statement s(db_,
              "SELECT r.region, r.parent, r.tps, r.expected_late, r.sd_late FROM sim_region r "
              "JOIN election e ON e.id = r.election_id WHERE e.code = ? AND (r.region = ? OR r.parent = ?) "
              "ORDER BY r.region");
  s.Bind(1, election);
  s.Bind(2, parent);
  s.Bind(3, parent);
  std::vector<RegionRisk> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1), s.Int(2), s.Double(3), s.Double(4)});
  if (rc != SQLITE_DONE) return LastError("reading the projection's regions");
  return out;
}

Result<std::vector<TpsRisk>> SqliteStore::TpsRisks(std::string_view election, std::string_view region, double min_p,
                                                   int64_t limit) {
  const auto [from, to] = RegionRange(region);
  Statement s(db_,
              "SELECT t.tps, t.p_late, t.p_low, t.p_high, t.lateness_hours, t.p05, t.p50, t.p95, t.deadline "
              "FROM sim_tps t JOIN election e ON e.id = t.election_id WHERE e.code = ? AND t.p_late >= ? "
              "AND (? = '' OR t.tps = ? OR (t.tps >= ? AND t.tps < ?)) ORDER BY t.p_late DESC, t.tps LIMIT ?");
  s.Bind(1, election);
  s.BindDouble(2, min_p);
  s.Bind(3, region);
  s.Bind(4, region);
  s.Bind(5, from);
  s.Bind(6, to);
  s.Bind(7, limit > 0 ? limit : int64_t{-1});
  std::vector<TpsRisk> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back(
        {s.Text(0), s.Double(1), s.Double(2), s.Double(3), s.Double(4), s.Int(5), s.Int(6), s.Int(7), s.Int(8)});
  }
  if (rc != SQLITE_DONE) return LastError("reading the projection's TPS");
  return out;
}

}  // namespace tepat::store
