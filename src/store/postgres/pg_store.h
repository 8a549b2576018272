// The store on PostgreSQL, through raw libpq: the same schema as SQLite's (migrations.cc), bulk writes by COPY into
// a temporary table and one INSERT ... SELECT, reads streamed row by row.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/pg.h"
#include "store/store.h"

namespace tepat::store {

class SqlRow;

class PgStore final : public Store {
 public:
  // Connects to `url` (postgresql://USER@HOST:PORT/DB).
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url);

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

  pg::Connection& connection() { return *conn_; }

 private:
  explicit PgStore(std::unique_ptr<pg::Connection> conn) : conn_(std::move(conn)) {}
  // The id of an election, created when `create` is set; 0 when unknown.
  Result<int64_t> ElectionId(std::string_view election, bool create);
  Status WriteAudit(const access::AuditEntry& audit);
  // The rows of one query to `each`, streamed (pg::Connection::ForEachRow).
  Status EachRow(const std::string& sql, const std::vector<pg::Value>& params, std::string_view doing,
                 const std::function<Status(const SqlRow&)>& each);
  Result<int64_t> NextSerial(int64_t election_id, std::string_view series, std::string_view regency, int year);

  std::unique_ptr<pg::Connection> conn_;
};

}  // namespace tepat::store
