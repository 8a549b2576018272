// Supervision records in SQLite: reports, findings and actions with their events, numbered per regency and year.
#include "store/common.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

namespace {

constexpr const char* kReportColumns =
    "SELECT r.seq, r.id, e.code, r.number, r.stage, r.node, r.region, r.at, r.body, r.content, r.recorded_by, "
    "r.recorded_at FROM oversight_report r JOIN election e ON e.id = r.election_id ";

StoredReport ReportFromRow(Statement& s) {
  StoredReport r;
  r.seq = s.Int(0);
  r.id = s.Text(1);
  r.election = s.Text(2);
  r.number = s.Text(3);
  r.stage = s.Text(4);
  r.node = s.Text(5);
  r.region = s.Text(6);
  r.at = s.Int(7);
  r.body = s.Text(8);
  r.content = s.Text(9);
  r.recorded_by = s.Text(10);
  r.recorded_at = s.Int(11);
  return r;
}

constexpr const char* kItemColumns =
    "SELECT i.id, e.code, i.kind, i.number, i.region, i.state, i.body, i.version, i.created_at, i.updated_at "
    "FROM oversight_item i JOIN election e ON e.id = i.election_id ";

OversightItem ItemFromRow(Statement& s) {
  OversightItem i;
  i.id = s.Text(0);
  i.election = s.Text(1);
  i.kind = s.Text(2);
  i.number = s.Text(3);
  i.region = s.Text(4);
  i.state = s.Text(5);
  i.body = s.Text(6);
  i.version = s.Int(7);
  i.created_at = s.Int(8);
  i.updated_at = s.Int(9);
  return i;
}

}  // namespace

Result<int64_t> SqliteStore::NextSerial(int64_t election_id, std::string_view series, std::string_view regency,
                                        int year) {
  Statement s(db_,
              "INSERT INTO oversight_counter(election_id, series, regency, year, last) VALUES (?, ?, ?, ?, 1) "
              "ON CONFLICT (election_id, series, regency, year) DO UPDATE SET last = last + 1 RETURNING last");
  s.Bind(1, election_id);
  s.Bind(2, series);
  s.Bind(3, regency);
  s.Bind(4, int64_t{year});
  if (s.Step() != SQLITE_ROW) return LastError("numbering");
  return s.Int(0);
}

Result<std::vector<StoredReport>> SqliteStore::SaveReports(std::vector<StoredReport> reports,
                                                           const std::function<void(StoredReport&, int64_t)>& number,
                                                           const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  for (StoredReport& r : reports) {
    {
      Statement found(db_, std::string(kReportColumns) + "WHERE r.id = ?");
      found.Bind(1, r.id);
      if (found.Step() == SQLITE_ROW) {
        StoredReport stored = ReportFromRow(found);
        if (stored.content != r.content) {
          return Conflict("report " + r.id + " is recorded already, with other content (" + stored.number + ")");
        }
        r = std::move(stored);
        r.replayed = true;
        continue;
      }
    }
    const int64_t election_id = TRY(ElectionId(r.election, true));
    if (r.number.empty()) number(r, TRY(NextSerial(election_id, "LHP", r.regency, r.year)));
    Statement s(db_,
                "INSERT INTO oversight_report(id, election_id, number, stage, node, region, at, body, content, "
                "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                "RETURNING seq");
    s.Bind(1, r.id);
    s.Bind(2, election_id);
    s.Bind(3, r.number);
    s.Bind(4, r.stage);
    s.Bind(5, r.node);
    s.Bind(6, r.region);
    s.Bind(7, r.at);
    s.Bind(8, r.body);
    s.Bind(9, r.content);
    s.Bind(10, r.recorded_by);
    s.Bind(11, r.recorded_at);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return Conflict("report number " + r.number + " is taken already in " + r.election);
    if (rc != SQLITE_ROW) return LastError("saving report " + r.id);
    r.seq = s.Int(0);
  }
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing reports");
  return reports;
}

Status SqliteStore::ForEachReport(std::string_view election, std::string_view region,
                                  const std::function<Status(const StoredReport&)>& each) {
  Statement s(db_, std::string(kReportColumns) +
                       "WHERE e.code = ? AND (? = '' OR r.region = ? OR (r.region >= ? AND r.region < ?)) "
                       "ORDER BY r.seq");
  const auto [from, to] = RegionRange(region);
  s.Bind(1, election);
  s.Bind(2, region);
  s.Bind(3, region);
  s.Bind(4, from);
  s.Bind(5, to);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(each(ReportFromRow(s)));
  if (rc != SQLITE_DONE) return LastError("reading reports");
  return {};
}

Result<std::optional<StoredReport>> SqliteStore::FindReport(std::string_view id) {
  Statement s(db_, std::string(kReportColumns) + "WHERE r.id = ?");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<StoredReport>(ReportFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading report " + std::string(id));
  return std::optional<StoredReport>();
}

Result<OversightItem> SqliteStore::SaveItem(OversightItem item, OversightEvent event,
                                            const std::function<void(OversightItem&, int64_t)>& number,
                                            const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  const int64_t election_id = TRY(ElectionId(item.election, true));
  if (item.version == 0) {
    if (item.number.empty()) {
      number(item, TRY(NextSerial(election_id, item.kind, item.regency, item.year)));
    }
    item.version = 1;
    Statement s(db_,
                "INSERT INTO oversight_item(id, election_id, kind, number, region, state, body, version, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING");
    s.Bind(1, item.id);
    s.Bind(2, election_id);
    s.Bind(3, item.kind);
    s.Bind(4, item.number);
    s.Bind(5, item.region);
    s.Bind(6, item.state);
    s.Bind(7, item.body);
    s.Bind(8, item.created_at);
    s.Bind(9, item.updated_at);
    if (s.Step() != SQLITE_DONE) return LastError("saving " + item.kind + " " + item.id);
    if (sqlite3_changes(db_) == 0) return Conflict(item.kind + " " + item.id + " exists already");
  } else {
    Statement s(db_,
                "UPDATE oversight_item SET state = ?, body = ?, version = version + 1, updated_at = ? "
                "WHERE id = ? AND version = ?");
    s.Bind(1, item.state);
    s.Bind(2, item.body);
    s.Bind(3, item.updated_at);
    s.Bind(4, item.id);
    s.Bind(5, item.version);
    if (s.Step() != SQLITE_DONE) return LastError("saving " + item.kind + " " + item.id);
    if (sqlite3_changes(db_) == 0) {
      return Conflict(item.kind + " " + item.number + " was changed by someone else meanwhile; read it again");
    }
    ++item.version;
  }
  Statement e(db_,
              "INSERT INTO oversight_event(item_id, seq, at, actor, action, state, note) SELECT ?, "
              "coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ? FROM oversight_event WHERE item_id = ?");
  e.Bind(1, item.id);
  e.Bind(2, event.at);
  e.Bind(3, event.actor);
  e.Bind(4, event.action);
  e.Bind(5, item.state);
  e.Bind(6, event.note);
  e.Bind(7, item.id);
  if (e.Step() != SQLITE_DONE) return LastError("saving the history of " + item.id);
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing " + item.kind + " " + item.id);
  return item;
}

Result<std::optional<OversightItem>> SqliteStore::FindItem(std::string_view id) {
  Statement s(db_, std::string(kItemColumns) + "WHERE i.id = ?");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<OversightItem>(ItemFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading " + std::string(id));
  return std::optional<OversightItem>();
}

Status SqliteStore::ForEachItem(std::string_view election, std::string_view kind, std::string_view region,
                                const std::function<Status(const OversightItem&)>& each) {
  Statement s(db_, std::string(kItemColumns) +
                       "WHERE e.code = ? AND i.kind = ? AND (? = '' OR i.region = ? OR (i.region >= ? AND i.region < "
                       "?)) ORDER BY i.created_at, i.number");
  const auto [from, to] = RegionRange(region);
  s.Bind(1, election);
  s.Bind(2, kind);
  s.Bind(3, region);
  s.Bind(4, region);
  s.Bind(5, from);
  s.Bind(6, to);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(each(ItemFromRow(s)));
  if (rc != SQLITE_DONE) return LastError("reading " + std::string(kind) + "s");
  return {};
}

Result<std::vector<OversightEvent>> SqliteStore::ItemEvents(std::string_view id) {
  Statement s(db_,
              "SELECT item_id, seq, at, actor, action, state, note FROM oversight_event WHERE item_id = ? "
              "ORDER BY seq");
  s.Bind(1, id);
  std::vector<OversightEvent> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back({s.Text(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)});
  }
  if (rc != SQLITE_DONE) return LastError("reading the history of " + std::string(id));
  return out;
}

}  // namespace tepat::store
