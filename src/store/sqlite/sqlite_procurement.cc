// Procurement's reference data in SQLite: each file of an election kept whole as its CSV.
#include "store/common.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

Status SqliteStore::SaveReference(std::string_view election, std::string_view kind, const StoredReference& reference,
                                  const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  const int64_t election_id = TRY(ElectionId(election, true));
  Statement s(db_, kSaveReference);
  s.Bind(1, election_id);
  s.Bind(2, kind);
  s.BindStatic(3, reference.csv);
  s.Bind(4, reference.records);
  s.Bind(5, reference.saved_at);
  s.Bind(6, reference.saved_by);
  if (s.Step() != SQLITE_DONE) return LastError("saving the " + std::string(kind));
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("saving the " + std::string(kind));
  return {};
}

Result<std::optional<StoredReference>> SqliteStore::LoadReference(std::string_view election, std::string_view kind) {
  Statement s(db_, kLoadReference);
  s.Bind(1, election);
  s.Bind(2, kind);
  std::optional<StoredReference> found;
  RETURN_IF_ERROR(EachRow(s, "reading the " + std::string(kind), [&](const SqlRow& r) -> Status {
    found = StoredReference{r.Text(0), r.Int(1), r.Int(2), r.Text(3)};
    return {};
  }));
  return found;
}

}  // namespace tepat::store
