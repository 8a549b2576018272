// Procurement's reference data in PostgreSQL: each file of an election kept whole as its CSV.
#include "store/common.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

Status PgStore::SaveReference(std::string_view election, std::string_view kind, const StoredReference& reference,
                              const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const int64_t election_id = TRY(ElectionId(election, true));
  TRY(conn_->Query(kSaveReference,
                   {election_id, kind, reference.csv, reference.records, reference.saved_at, reference.saved_by},
                   "saving the " + std::string(kind)));
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::optional<StoredReference>> PgStore::LoadReference(std::string_view election, std::string_view kind) {
  std::optional<StoredReference> found;
  RETURN_IF_ERROR(EachRow(kLoadReference, {election, kind}, "reading the " + std::string(kind),
                          [&](const SqlRow& r) -> Status {
                            found = StoredReference{r.Text(0), r.Int(1), r.Int(2), r.Text(3)};
                            return {};
                          }));
  return found;
}

}  // namespace tepat::store
