// Distribution plans and projections in PostgreSQL: the plan as its CSV text, the last projection's run, regions and
// TPS (written with COPY).
#include "store/common.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

Status PgStore::SavePlan(std::string_view election, const StoredPlan& plan, const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(election, true));
  TRY(
      conn_->Query("INSERT INTO sim_plan(election_id, body, legs, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5) "
                   "ON CONFLICT (election_id) DO UPDATE SET body = excluded.body, legs = excluded.legs, "
                   "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                   {election_id, plan.csv, plan.legs, plan.saved_at, plan.saved_by}, "saving the plan"));
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::optional<StoredPlan>> PgStore::LoadPlan(std::string_view election, bool with_body) {
  const pg::Rows r = TRY(conn_->Query(std::string("SELECT ") + (with_body ? "p.body" : "''") +
                                          ", p.legs, p.saved_at, p.saved_by, octet_length(p.body) FROM sim_plan p "
                                          "JOIN election e ON e.id = p.election_id WHERE e.code = $1",
                                      {election}, "reading the plan"));
  if (r.size() == 0) return std::optional<StoredPlan>();
  return std::optional<StoredPlan>(StoredPlan{r.Text(0, 0), r.Int(0, 1), r.Int(0, 2), r.Text(0, 3), r.Int(0, 4)});
}

Status PgStore::SaveProjection(std::string_view election, const ProjectionRun& run,
                               const std::vector<RegionRisk>& regions, const std::vector<TpsRisk>& tps,
                               const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(election, true));
  for (const char* table : {"sim_run", "sim_region", "sim_tps"}) {
    TRY(conn_->Query(std::string("DELETE FROM ") + table + " WHERE election_id = $1", {election_id},
                     "replacing the projection"));
  }
  TRY(
      conn_->Query("INSERT INTO sim_run(election_id, region, scenarios, seed, as_of, computed_at, legs) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {election_id, run.region, run.scenarios, run.seed, run.as_of, run.computed_at, run.legs},
                   "saving the projection"));
  std::string data;
  for (const RegionRisk& r : regions) {
    pg::AppendCopyField(data, election_id, true);
    pg::AppendCopyField(data, r.region);
    pg::AppendCopyField(data, r.parent);
    pg::AppendCopyField(data, r.tps);
    pg::AppendCopyField(data, r.expected_late);
    pg::AppendCopyField(data, r.sd_late);
    data += '\n';
  }
  RETURN_IF_ERROR(conn_->Copy("COPY sim_region(election_id, region, parent, tps, expected_late, sd_late) FROM STDIN",
                              data, "saving the projection's regions"));
  data.clear();
  data.reserve(tps.size() * 96);
  for (const TpsRisk& t : tps) {
    pg::AppendCopyField(data, election_id, true);
    pg::AppendCopyField(data, t.tps);
    pg::AppendCopyField(data, t.p_late);
    pg::AppendCopyField(data, t.p_low);
    pg::AppendCopyField(data, t.p_high);
    pg::AppendCopyField(data, t.lateness_hours);
    pg::AppendCopyField(data, t.p05);
    pg::AppendCopyField(data, t.p50);
    pg::AppendCopyField(data, t.p95);
    pg::AppendCopyField(data, t.deadline);
    data += '\n';
  }
  RETURN_IF_ERROR(conn_->Copy(
      "COPY sim_tps(election_id, tps, p_late, p_low, p_high, lateness_hours, p05, p50, p95, deadline) FROM STDIN", data,
      "saving the projection's TPS"));
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::optional<ProjectionRun>> PgStore::LoadProjectionRun(std::string_view election) {
  const pg::Rows r =
      TRY(conn_->Query("SELECT r.region, r.scenarios, r.seed, r.as_of, r.computed_at, r.legs FROM sim_run r "
                       "JOIN election e ON e.id = r.election_id WHERE e.code = $1",
                       {election}, "reading the projection"));
  if (r.size() == 0) return std::optional<ProjectionRun>();
  return std::optional<ProjectionRun>(
      ProjectionRun{r.Text(0, 0), r.Int(0, 1), r.Int(0, 2), r.Int(0, 3), r.Int(0, 4), r.Text(0, 5)});
}

Result<std::vector<RegionRisk>> PgStore::RegionRisks(std::string_view election, std::string_view parent) {
  const pg::Rows r =
      TRY(conn_->Query("SELECT r.region, r.parent, r.tps, r.expected_late, r.sd_late FROM sim_region r "
                       "JOIN election e ON e.id = r.election_id WHERE e.code = $1 AND (r.region = $2 OR r.parent = $2) "
                       "ORDER BY r.region COLLATE \"C\"",
                       {election, parent}, "reading the projection's regions"));
  std::vector<RegionRisk> out;
  for (int i = 0; i < r.size(); ++i) {
    out.push_back({r.Text(i, 0), r.Text(i, 1), r.Int(i, 2), r.Double(i, 3), r.Double(i, 4)});
  }
  return out;
}

Result<std::vector<TpsRisk>> PgStore::TpsRisks(std::string_view election, std::string_view region, double min_p,
                                               int64_t limit) {
  const auto [from, to] = RegionRange(region);
  std::vector<TpsRisk> out;
  RETURN_IF_ERROR(conn_->ForEachRow(
      "SELECT t.tps, t.p_late, t.p_low, t.p_high, t.lateness_hours, t.p05, t.p50, t.p95, t.deadline "
      "FROM sim_tps t JOIN election e ON e.id = t.election_id WHERE e.code = $1 AND t.p_late >= $2 "
      "AND ($3 = '' OR t.tps = $3 OR (t.tps COLLATE \"C\" >= $4 AND t.tps COLLATE \"C\" < $5)) "
      "ORDER BY t.p_late DESC, t.tps COLLATE \"C\"" +
          (limit > 0 ? " LIMIT " + std::to_string(limit) : std::string()),
      {election, min_p, region, from, to}, "reading the projection's TPS", [&](const pg::Rows& r, int i) {
        out.push_back({r.Text(i, 0), r.Double(i, 1), r.Double(i, 2), r.Double(i, 3), r.Double(i, 4), r.Int(i, 5),
                       r.Int(i, 6), r.Int(i, 7), r.Int(i, 8)});
        return Status{};
      }));
  return out;
}

}  // namespace tepat::store
