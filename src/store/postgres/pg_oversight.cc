// Supervision records in PostgreSQL: reports, findings and actions with their events, numbered per regency and year.
#include "store/common.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

namespace {

constexpr const char* kReportColumns =
    "SELECT r.seq, r.id, e.code, r.number, r.stage, r.node, r.region, r.at, r.body, r.content, r.recorded_by, "
    "r.recorded_at FROM oversight_report r JOIN election e ON e.id = r.election_id ";

StoredReport ReportFromRow(const pg::Rows& r, int i) {
  StoredReport out;
  out.seq = r.Int(i, 0);
  out.id = r.Text(i, 1);
  out.election = r.Text(i, 2);
  out.number = r.Text(i, 3);
  out.stage = r.Text(i, 4);
  out.node = r.Text(i, 5);
  out.region = r.Text(i, 6);
  out.at = r.Int(i, 7);
  out.body = r.Text(i, 8);
  out.content = r.Text(i, 9);
  out.recorded_by = r.Text(i, 10);
  out.recorded_at = r.Int(i, 11);
  return out;
}

constexpr const char* kItemColumns =
    "SELECT i.id, e.code, i.kind, i.number, i.region, i.state, i.body, i.version, i.created_at, i.updated_at "
    "FROM oversight_item i JOIN election e ON e.id = i.election_id ";

OversightItem ItemFromRow(const pg::Rows& r, int row) {
  OversightItem i;
  i.id = r.Text(row, 0);
  i.election = r.Text(row, 1);
  i.kind = r.Text(row, 2);
  i.number = r.Text(row, 3);
  i.region = r.Text(row, 4);
  i.state = r.Text(row, 5);
  i.body = r.Text(row, 6);
  i.version = r.Int(row, 7);
  i.created_at = r.Int(row, 8);
  i.updated_at = r.Int(row, 9);
  return i;
}

}  // namespace

Result<int64_t> PgStore::NextSerial(int64_t election_id, std::string_view series, std::string_view regency, int year) {
  const pg::Rows r = TRY(
      conn_->Query("INSERT INTO oversight_counter(election_id, series, regency, year, last) VALUES ($1, $2, $3, $4, 1) "
                   "ON CONFLICT (election_id, series, regency, year) DO UPDATE SET last = oversight_counter.last + 1 "
                   "RETURNING last",
                   {election_id, series, regency, year}, "numbering"));
  return r.Int(0, 0);
}

Result<std::vector<StoredReport>> PgStore::SaveReports(std::vector<StoredReport> reports,
                                                       const std::function<void(StoredReport&, int64_t)>& number,
                                                       const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  for (StoredReport& r : reports) {
    const pg::Rows found =
        TRY(conn_->Query(std::string(kReportColumns) + "WHERE r.id = $1", {r.id}, "reading report " + r.id));
    if (found.size() > 0) {
      StoredReport stored = ReportFromRow(found, 0);
      if (stored.content != r.content) {
        return Conflict("report " + r.id + " is recorded already, with other content (" + stored.number + ")");
      }
      r = std::move(stored);
      r.replayed = true;
      continue;
    }
    const int64_t election_id = TRY(ElectionId(r.election, true));
    if (r.number.empty()) number(r, TRY(NextSerial(election_id, "LHP", r.regency, r.year)));
    const pg::Rows added = TRY(conn_->Query(
        "INSERT INTO oversight_report(id, election_id, number, stage, node, region, at, body, content, recorded_by, "
        "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING seq",
        {r.id, election_id, r.number, r.stage, r.node, r.region, r.at, r.body, r.content, r.recorded_by, r.recorded_at},
        "saving report " + r.id));
    if (added.size() == 0) return Conflict("report number " + r.number + " is taken already in " + r.election);
    r.seq = added.Int(0, 0);
  }
  RETURN_IF_ERROR(WriteAudit(audit));
  RETURN_IF_ERROR(txn.Commit());
  return reports;
}

Status PgStore::ForEachReport(std::string_view election, std::string_view region,
                              const std::function<Status(const StoredReport&)>& each) {
  const auto [from, to] = RegionRange(region);
  return conn_->ForEachRow(std::string(kReportColumns) +
                               "WHERE e.code = $1 AND ($2 = '' OR r.region = $2 OR (r.region >= $3 AND r.region < "
                               "$4)) ORDER BY r.seq",
                           {election, region, from, to}, "reading reports",
                           [&](const pg::Rows& r, int i) { return each(ReportFromRow(r, i)); });
}

Result<std::optional<StoredReport>> PgStore::FindReport(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query(std::string(kReportColumns) + "WHERE r.id = $1", {id}, "reading report " + std::string(id)));
  if (r.size() == 0) return std::optional<StoredReport>();
  return std::optional<StoredReport>(ReportFromRow(r, 0));
}

Result<OversightItem> PgStore::SaveItem(OversightItem item, OversightEvent event,
                                        const std::function<void(OversightItem&, int64_t)>& number,
                                        const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(item.election, true));
  if (item.version == 0) {
    if (item.number.empty()) number(item, TRY(NextSerial(election_id, item.kind, item.regency, item.year)));
    item.version = 1;
    const pg::Rows added = TRY(conn_->Query(
        "INSERT INTO oversight_item(id, election_id, kind, number, region, state, body, version, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT DO NOTHING",
        {item.id, election_id, item.kind, item.number, item.region, item.state, item.body, item.created_at,
         item.updated_at},
        "saving " + item.kind + " " + item.id));
    if (added.changed() == 0) return Conflict(item.kind + " " + item.id + " exists already");
  } else {
    const pg::Rows updated = TRY(conn_->Query(
        "UPDATE oversight_item SET state = $1, body = $2, version = version + 1, updated_at = $3 "
        "WHERE id = $4 AND version = $5",
        {item.state, item.body, item.updated_at, item.id, item.version}, "saving " + item.kind + " " + item.id));
    if (updated.changed() == 0) {
      return Conflict(item.kind + " " + item.number + " was changed by someone else meanwhile; read it again");
    }
    ++item.version;
  }
  RETURN_IF_ERROR(conn_->Query(
      "INSERT INTO oversight_event(item_id, seq, at, actor, action, state, note) SELECT $1, coalesce(max(seq), 0) + "
      "1, $2, $3, $4, $5, $6 FROM oversight_event WHERE item_id = $1",
      {item.id, event.at, event.actor, event.action, item.state, event.note}, "saving the history of " + item.id));
  RETURN_IF_ERROR(WriteAudit(audit));
  RETURN_IF_ERROR(txn.Commit());
  return item;
}

Result<std::optional<OversightItem>> PgStore::FindItem(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query(std::string(kItemColumns) + "WHERE i.id = $1", {id}, "reading " + std::string(id)));
  if (r.size() == 0) return std::optional<OversightItem>();
  return std::optional<OversightItem>(ItemFromRow(r, 0));
}

Status PgStore::ForEachItem(std::string_view election, std::string_view kind, std::string_view region,
                            const std::function<Status(const OversightItem&)>& each) {
  const auto [from, to] = RegionRange(region);
  return conn_->ForEachRow(std::string(kItemColumns) +
                               "WHERE e.code = $1 AND i.kind = $2 AND ($3 = '' OR i.region = $3 OR (i.region >= $4 "
                               "AND i.region < $5)) ORDER BY i.created_at, i.number COLLATE \"C\"",
                           {election, kind, region, from, to}, "reading " + std::string(kind) + "s",
                           [&](const pg::Rows& r, int i) { return each(ItemFromRow(r, i)); });
}

Result<std::vector<OversightEvent>> PgStore::ItemEvents(std::string_view id) {
  const pg::Rows r = TRY(conn_->Query(
      "SELECT item_id, seq, at, actor, action, state, note FROM oversight_event WHERE item_id = $1 ORDER BY seq", {id},
      "reading the history of " + std::string(id)));
  std::vector<OversightEvent> out;
  for (int i = 0; i < r.size(); ++i) {
    out.push_back({r.Text(i, 0), r.Int(i, 1), r.Int(i, 2), r.Text(i, 3), r.Text(i, 4), r.Text(i, 5), r.Text(i, 6)});
  }
  return out;
}

}  // namespace tepat::store
