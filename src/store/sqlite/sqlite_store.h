// The SQLite backend of the Store: one file, WAL journal, raw sqlite3 C API.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/store.h"

namespace tepat::store {

class SqlRow;
class Statement;

class SqliteStore final : public Store {
 public:
  // Opens (creating when missing) the database file at `path` and sets the connection up.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  Status Migrate() override;
  Result<int> SchemaVersion() override;
  Status SaveRegions(const geo::RegionSet& regions) override;
  Result<geo::RegionSet> LoadRegions() override;
  Status SaveTps(std::string_view election, const geo::RegionSet& regions, const std::vector<geo::Tps>& tps) override;
  Result<std::vector<geo::Tps>> LoadTps(std::string_view election, const geo::RegionSet& regions) override;
  Status ReplaceDapil(std::string_view election, const geo::RegionSet& regions,
                      const std::vector<geo::Dapil>& dapils) override;
  Result<std::vector<geo::Dapil>> LoadDapil(std::string_view election, const geo::RegionSet& regions) override;

  Result<std::unique_ptr<LedgerSession>> OpenLedger(const ledger::Catalog& catalog) override;
  Status ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                         bool with_body = true) override;
  Status ForEachMovement(const std::function<Status(const StoredMovement&)>& each) override;
  Status ForEachBalance(
      const std::function<Status(const std::string&, const std::string&, const std::string&, int64_t)>& each) override;
  Result<StoredDocument> FindDocument(std::string_view id) override;
  Result<std::vector<ledger::Movement>> MovementsOf(std::string_view id) override;
  Result<std::vector<StoredDocument>> DocumentsOfNode(std::string_view election, std::string_view node) override;
  Result<std::optional<ledger::Kit>> FindKit(std::string_view election, std::string_view id_or_label) override;
  Status ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) override;
  Status ForEachTpsState(std::string_view election, std::string_view prefix,
                         const std::function<Status(const std::string&, const readiness::TpsState&)>& each) override;
  Status ForEachTpsStateChangedAfter(
      std::string_view election, int64_t after_seq,
      const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) override;
  Result<int64_t> LedgerClock(std::string_view election) override;
  Result<LedgerHead> Head() override;
  Result<int64_t> AddAccount(const access::Account& account, const access::AuditEntry& audit) override;
  Status UpdateAccount(const access::Account& account, bool end_sessions, const access::AuditEntry& audit) override;
  Result<std::optional<access::Account>> FindAccount(std::string_view username) override;
  Result<std::optional<access::Account>> FindAccountById(int64_t id) override;
  Result<std::vector<access::Account>> ListAccounts() override;
  Status SaveSession(const access::Session& session, const access::AuditEntry& audit) override;
  Result<std::optional<access::Session>> FindSession(std::string_view token_hash, int64_t now) override;
  Status EndSession(std::string_view token_hash, const access::AuditEntry& audit, int64_t now) override;
  Status AppendAudit(const access::AuditEntry& audit) override;
  Status AppendAudit(const std::vector<access::AuditEntry>& entries) override;
  Result<std::vector<access::AuditEntry>> ReadAudit(bool scoped, std::string_view scope, std::string_view action,
                                                    int64_t before, int limit) override;
  Result<std::vector<StoredReport>> SaveReports(std::vector<StoredReport> reports,
                                                const std::function<void(StoredReport&, int64_t)>& number,
                                                const access::AuditEntry& audit) override;
  Status ForEachReport(std::string_view election, std::string_view region,
                       const std::function<Status(const StoredReport&)>& each) override;
  Result<std::optional<StoredReport>> FindReport(std::string_view id) override;
  Result<OversightItem> SaveItem(OversightItem item, OversightEvent event,
                                 const std::function<void(OversightItem&, int64_t)>& number,
                                 const access::AuditEntry& audit) override;
  Status SavePlan(std::string_view election, const StoredPlan& plan, const access::AuditEntry& audit) override;
  Result<std::optional<StoredPlan>> LoadPlan(std::string_view election, bool with_body = true) override;
  Status SaveProjection(std::string_view election, const ProjectionRun& run, const std::vector<RegionRisk>& regions,
                        const std::vector<TpsRisk>& tps, const access::AuditEntry& audit) override;
  Result<std::optional<ProjectionRun>> LoadProjectionRun(std::string_view election) override;
  Result<std::vector<RegionRisk>> RegionRisks(std::string_view election, std::string_view parent) override;
  Result<std::vector<TpsRisk>> TpsRisks(std::string_view election, std::string_view region, double min_p,
                                        int64_t limit) override;
  Result<std::optional<OversightItem>> FindItem(std::string_view id) override;
  Status ForEachItem(std::string_view election, std::string_view kind, std::string_view region,
                     const std::function<Status(const OversightItem&)>& each) override;
  Result<std::vector<OversightEvent>> ItemEvents(std::string_view id) override;
  Status SaveReference(std::string_view election, std::string_view kind, const StoredReference& reference,
                       const access::AuditEntry& audit) override;
  Result<std::optional<StoredReference>> LoadReference(std::string_view election, std::string_view kind) override;
  void LeaveMaintenanceToOthers() override;
  Status Maintain() override;

  // The raw connection, for benchmarks that run SQL over the same tables.
  sqlite3* handle() { return db_; }

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  friend class SqliteLedgerDialect;
  Status Exec(const char* sql);
  // Each row of `s` to `each`, until it returns an error; a statement that failed to prepare or step is an error.
  Status EachRow(Statement& s, std::string_view doing, const std::function<Status(const SqlRow&)>& each);
  Error LastError(std::string_view doing);
  // The id of an election's row; created when `create` is set, otherwise 0 when absent.
  Result<int64_t> ElectionId(std::string_view election, bool create);
  // The next number of a series (LHP, finding, action) for a regency and year, within the caller's transaction.
  Result<int64_t> NextSerial(int64_t election_id, std::string_view series, std::string_view regency, int year);
  // Writes an audit entry within the caller's transaction.
  Status WriteAudit(const access::AuditEntry& audit);

  sqlite3* db_;
  std::string path_;
  bool auto_checkpoint_ = true;  // commits checkpoint the write-ahead log themselves
};

}  // namespace tepat::store
