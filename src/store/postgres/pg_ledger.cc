// The ledger's reads in PostgreSQL: documents, movements, balances, kits, the per-TPS readiness projection, the
// clock and the chain head. Large reads are streamed row by row.
#include <type_traits>
#include <variant>

#include "readiness/tps_state.h"
#include "store/common.h"
#include "store/ledger_core.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

namespace {

class PgRow final : public SqlRow {
 public:
  PgRow(const pg::Rows& rows, int i) : rows_(rows), i_(i) {}
  int64_t Int(int column) const override { return rows_.Int(i_, column); }
  std::string Text(int column) const override { return rows_.Text(i_, column); }

 private:
  const pg::Rows& rows_;
  int i_;
};

pg::Value ToValue(const SqlValue& value) {
  if (const auto* n = std::get_if<int64_t>(&value)) return *n;
  if (const auto* text = std::get_if<std::string_view>(&value)) return *text;
  return std::nullopt;
}

// The ledger core's statements on PostgreSQL. Several processes may post at once (several `tepat serve` on one
// database): each batch takes one transaction-scoped advisory lock first, so that batches follow one another as on
// SQLite. The ledger is one hash chain, whose next seq and hash depend on the document before, so its writers take
// turns whatever the nodes they touch; a balance is read under the lock, so two writers never both spend it, and a
// document id is unique in the table, so none is counted twice. Writes are sent ahead in libpq's pipeline mode and
// a statement for many rows binds whole columns as arrays, so that a batch costs a few round trips; what a batch
// will need is read ahead, one query per kind.
class PgLedgerDialect final : public LedgerDialect {
 public:
  explicit PgLedgerDialect(pg::Connection& conn) : conn_(conn) {}

  Status Begin() override {
    txn_.emplace(conn_);
    RETURN_IF_ERROR(txn_->status());
    return conn_.Send("ledger.lock", "SELECT pg_advisory_xact_lock($1)", {kLedgerLock}, "waiting for the ledger");
  }
  Status Commit() override {
    Status committed = txn_->Commit();
    txn_.reset();
    return committed;
  }
  void Rollback() override { txn_.reset(); }

  Status Run(const char* name, const char* sql, std::initializer_list<SqlValue> params, const RowFn& row) override {
    std::vector<pg::Value> values;
    for (const SqlValue& value : params) values.push_back(ToValue(value));
    return Execute(name, sql, values, row);
  }

  Status RunMany(const BulkSql& sql, std::initializer_list<SqlValue> fixed, const std::vector<SqlColumn>& columns,
                 const RowFn& row) override {
    std::vector<pg::Value> values;
    for (const SqlValue& value : fixed) values.push_back(ToValue(value));
    for (const SqlColumn& column : columns) {
      values.push_back(std::visit(
          [](const auto& c) -> pg::Value {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, std::vector<int64_t>>) return pg::IntArray(c);
            else return pg::TextArray(c);
          },
          column));
    }
    return Execute(sql.name, sql.all, values, row);
  }

  bool ReadAhead() const override { return true; }

 private:
  // One advisory lock key for the ledger's writers, in every database ("tepatldg").
  static constexpr int64_t kLedgerLock = 0x74657061746c6467;

  // A write is sent ahead; a read waits for its rows (and for the writes before it).
  Status Execute(const char* name, const char* sql, const std::vector<pg::Value>& values, const RowFn& row) {
    const std::string doing = std::string("posting: ") + name;
    if (!row) return conn_.Send(name, sql, values, doing);
    const pg::Rows r = TRY(conn_.Prepared(name, sql, values, doing));
    for (int i = 0; i < r.size(); ++i) RETURN_IF_ERROR(row(PgRow(r, i)));
    return {};
  }

  pg::Connection& conn_;
  std::optional<pg::Transaction> txn_;
};

}  // namespace

Result<std::unique_ptr<LedgerSession>> PgStore::OpenLedger(const ledger::Catalog& catalog) {
  const int64_t election_id = TRY(ElectionId(catalog.election, true));
  return std::unique_ptr<LedgerSession>(
      std::make_unique<LedgerCore>(std::make_unique<PgLedgerDialect>(connection()), *this, catalog, election_id));
}

Status PgStore::ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                                bool with_body) {
  std::vector<pg::Value> params;
  if (!election.empty()) params.push_back(election);
  return EachRow(DocumentColumns(with_body) + (election.empty() ? "" : "WHERE e.code = $1 ") + "ORDER BY d.seq",
                 params, "reading documents", [&](const SqlRow& r) { return each(DocumentFromRow(r)); });
}

Status PgStore::ForEachMovement(const std::function<Status(const StoredMovement&)>& each) {
  return EachRow(kSelectMovements, {}, "reading movements", [&](const SqlRow& r) {
    return each({r.Int(0), r.Int(1), {r.Text(2), r.Text(3), r.Text(4), r.Int(5)}});
  });
}

Status PgStore::ForEachBalance(
    const std::function<Status(const std::string&, const std::string&, const std::string&, int64_t)>& each) {
  return EachRow(kSelectBalances, {}, "reading balances",
                 [&](const SqlRow& r) { return each(r.Text(0), r.Text(1), r.Text(2), r.Int(3)); });
}

Result<StoredDocument> PgStore::FindDocument(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query(DocumentColumns() + "WHERE d.id = $1", {id}, "reading document " + std::string(id)));
  if (r.size() == 0) return NotFound("there is no document " + std::string(id));
  return DocumentFromRow(PgRow(r, 0));
}

Result<std::vector<ledger::Movement>> PgStore::MovementsOf(std::string_view id) {
  const pg::Rows r = TRY(conn_->Query(kSelectMovementsOf, {id}, "reading movements"));
  std::vector<ledger::Movement> out;
  for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3)});
  return out;
}

Result<std::vector<StoredDocument>> PgStore::DocumentsOfNode(std::string_view election, std::string_view node) {
  const pg::Rows r =
      TRY(conn_->Query(DocumentColumns() + kWhereDocumentsOfNode, {election, node}, "reading documents"));
  std::vector<StoredDocument> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(DocumentFromRow(PgRow(r, i)));
  return out;
}

Result<std::optional<ledger::Kit>> PgStore::FindKit(std::string_view election, std::string_view id_or_label) {
  const pg::Rows r = TRY(conn_->Query(std::string(kSelectKits) + "WHERE e.code = $1 AND (k.kit = $2 OR k.label = $2)",
                                      {election, id_or_label}, "reading kit " + std::string(id_or_label)));
  if (r.size() == 0) return std::optional<ledger::Kit>();
  return std::optional<ledger::Kit>(TRY(KitFromRow(PgRow(r, 0))));
}

Status PgStore::ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) {
  return EachRow(std::string(kSelectKits) + "WHERE e.code = $1 ORDER BY k.kit COLLATE \"C\"", {election},
                 "reading kits", [&](const SqlRow& r) -> Status { return each(TRY(KitFromRow(r))); });
}

Status PgStore::ForEachTpsState(std::string_view election, std::string_view prefix,
                                const std::function<Status(const std::string&, const readiness::TpsState&)>& each) {
  const auto [first, last] = TpsKeyRange(prefix);
  return EachRow(
      std::string(kSelectTpsStates) + "WHERE e.code = $1 AND r.tps_key >= $2 AND r.tps_key < $3 ORDER BY r.tps_key",
      {election, first, last}, "reading readiness",
      [&](const SqlRow& r) -> Status { return each(r.Text(0), TRY(TpsStateFromRow(r, 1))); });
}

Status PgStore::ForEachTpsStateChangedAfter(
    std::string_view election, int64_t after_seq,
    const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) {
  return EachRow(std::string(kSelectTpsStates) + "WHERE e.code = $1 AND r.seq > $2 ORDER BY r.tps_key",
                 {election, after_seq}, "reading readiness",
                 [&](const SqlRow& r) -> Status { return each(r.Text(0), TRY(TpsStateFromRow(r, 1)), r.Int(10)); });
}

Result<int64_t> PgStore::LedgerClock(std::string_view election) {
  const pg::Rows r = TRY(conn_->Query(kSelectLedgerClock, {election}, "reading the ledger clock"));
  return r.Int(0, 0);
}

Result<LedgerHead> PgStore::Head() {
  const pg::Rows r = TRY(conn_->Query(kSelectHead, {}, "reading the chain head"));
  if (r.size() == 0) return LedgerHead{};
  return LedgerHead{r.Int(0, 0), r.Text(0, 1)};
}

// The rows of one query to `each`, streamed.
Status PgStore::EachRow(const std::string& sql, const std::vector<pg::Value>& params, std::string_view doing,
                        const std::function<Status(const SqlRow&)>& each) {
  return conn_->ForEachRow(sql, params, doing, [&](const pg::Rows& r, int i) { return each(PgRow(r, i)); });
}

}  // namespace tepat::store
