// The ledger's reads in PostgreSQL: documents, movements, balances, kits, the per-TPS readiness projection, the
// clock and the chain head. Large reads are streamed row by row.
#include "readiness/tps_state.h"
#include "store/encoding.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

namespace {

constexpr const char* kDocumentColumns =
    "SELECT d.seq, d.id, e.code, d.kind, d.at, d.body, d.body_hash, d.hash, coalesce(st.received_by, ''), "
    "coalesce(st.reversed_by, '') FROM ledger_document d JOIN election e ON e.id = d.election_id "
    "LEFT JOIN ledger_status st ON st.seq = d.seq ";

StoredDocument DocumentFromRow(const pg::Rows& r, int i) {
  return {r.Int(i, 0),  r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Int(i, 4),
          r.Text(i, 5), r.Text(i, 6), r.Text(i, 7), r.Text(i, 8), r.Text(i, 9)};
}

constexpr const char* kKitColumns =
    "SELECT k.kit, k.tps, k.label, k.packed_at, k.seals, k.contents FROM ledger_kit k "
    "JOIN election e ON e.id = k.election_id ";

Result<ledger::Kit> KitFromRow(const pg::Rows& r, int i) {
  ledger::Kit kit{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), SplitLines(r.Text(i, 4)), {}};
  kit.contents = TRY(readiness::DecodeReceived(r.Text(i, 5)));
  return kit;
}

}  // namespace

Result<std::unique_ptr<LedgerSession>> PgStore::OpenLedger(const ledger::Catalog&) {
  return StorageError("posting documents is not supported on PostgreSQL yet (" + conn_->where() +
                      "): use an SQLite database for the ledger");
}

Status PgStore::ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each) {
  std::vector<pg::Value> params;
  if (!election.empty()) params.push_back(election);
  return conn_->ForEachRow(
      std::string(kDocumentColumns) + (election.empty() ? "" : "WHERE e.code = $1 ") + "ORDER BY d.seq", params,
      "reading documents", [&](const pg::Rows& r) { return each(DocumentFromRow(r, 0)); });
}

Status PgStore::ForEachMovement(const std::function<Status(const StoredMovement&)>& each) {
  return conn_->ForEachRow(
      "SELECT m.seq, m.line, coalesce(f.code, '?'), coalesce(t.code, '?'), coalesce(a.code, '?'), m.quantity "
      "FROM ledger_movement m LEFT JOIN ledger_node f ON f.id = m.from_id "
      "LEFT JOIN ledger_node t ON t.id = m.to_id LEFT JOIN ledger_article a ON a.id = m.article_id "
      "ORDER BY m.seq, m.line",
      {}, "reading movements", [&](const pg::Rows& r) {
        return each({r.Int(0, 0), r.Int(0, 1), {r.Text(0, 2), r.Text(0, 3), r.Text(0, 4), r.Int(0, 5)}});
      });
}

Status PgStore::ForEachBalance(
    const std::function<Status(const std::string&, const std::string&, const std::string&, int64_t)>& each) {
  return conn_->ForEachRow(
      "SELECT coalesce(e.code, ''), coalesce(n.code, 'node #' || b.node_id), "
      "coalesce(a.code, 'article #' || b.article_id), b.quantity FROM ledger_balance b "
      "LEFT JOIN ledger_node n ON n.id = b.node_id LEFT JOIN ledger_article a ON a.id = b.article_id "
      "LEFT JOIN election e ON e.id = a.election_id",
      {}, "reading balances",
      [&](const pg::Rows& r) { return each(r.Text(0, 0), r.Text(0, 1), r.Text(0, 2), r.Int(0, 3)); });
}

Result<StoredDocument> PgStore::FindDocument(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query(std::string(kDocumentColumns) + "WHERE d.id = $1", {id}, "reading document " + std::string(id)));
  if (r.size() == 0) return NotFound("there is no document " + std::string(id));
  return DocumentFromRow(r, 0);
}

Result<std::vector<ledger::Movement>> PgStore::MovementsOf(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query("SELECT f.code, t.code, a.code, m.quantity FROM ledger_movement m "
                       "JOIN ledger_node f ON f.id = m.from_id JOIN ledger_node t ON t.id = m.to_id "
                       "JOIN ledger_article a ON a.id = m.article_id "
                       "WHERE m.seq = (SELECT seq FROM ledger_document WHERE id = $1) ORDER BY m.line",
                       {id}, "reading movements"));
  std::vector<ledger::Movement> out;
  for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3)});
  return out;
}

Result<std::vector<StoredDocument>> PgStore::DocumentsOfNode(std::string_view election, std::string_view node) {
  const pg::Rows r =
      TRY(conn_->Query(std::string(kDocumentColumns) +
                           "WHERE e.code = $1 AND d.seq IN (SELECT seq FROM ledger_document WHERE node_id = "
                           "(SELECT id FROM ledger_node WHERE code = $2) UNION SELECT seq FROM ledger_document WHERE "
                           "to_node_id = (SELECT id FROM ledger_node WHERE code = $2)) ORDER BY d.seq",
                       {election, node}, "reading documents"));
  std::vector<StoredDocument> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(DocumentFromRow(r, i));
  return out;
}

Result<std::optional<ledger::Kit>> PgStore::FindKit(std::string_view election, std::string_view id_or_label) {
  const pg::Rows r = TRY(conn_->Query(std::string(kKitColumns) + "WHERE e.code = $1 AND (k.kit = $2 OR k.label = $2)",
                                      {election, id_or_label}, "reading kit " + std::string(id_or_label)));
  if (r.size() == 0) return std::optional<ledger::Kit>();
  return std::optional<ledger::Kit>(TRY(KitFromRow(r, 0)));
}

Status PgStore::ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) {
  return conn_->ForEachRow(std::string(kKitColumns) + "WHERE e.code = $1 ORDER BY k.kit COLLATE \"C\"", {election},
                           "reading kits", [&](const pg::Rows& r) -> Status { return each(TRY(KitFromRow(r, 0))); });
}

Status PgStore::ForEachTpsState(std::string_view election, std::string_view prefix,
                                const std::function<Status(const std::string&, const readiness::TpsState&)>& each) {
  const auto [first, last] = TpsKeyRange(prefix);
  return conn_->ForEachRow(
      "SELECT r.tps, r.dispatched_at, r.first_received_at, r.receipts, r.kits, r.misrouted, r.unsealed, r.damaged, "
      "r.wrong_items, r.received FROM readiness_tps r JOIN election e ON e.id = r.election_id "
      "WHERE e.code = $1 AND r.tps_key >= $2 AND r.tps_key < $3 ORDER BY r.tps_key",
      {election, first, last}, "reading readiness", [&](const pg::Rows& r) -> Status {
        readiness::TpsState state{
            {r.Int(0, 1), r.Int(0, 2), static_cast<int32_t>(r.Int(0, 3)), static_cast<int32_t>(r.Int(0, 4)),
             static_cast<int32_t>(r.Int(0, 5)), static_cast<int32_t>(r.Int(0, 6)), static_cast<int32_t>(r.Int(0, 7)),
             static_cast<int32_t>(r.Int(0, 8))},
            {}};
        state.received = TRY(readiness::DecodeReceived(r.Text(0, 9)));
        return each(r.Text(0, 0), state);
      });
}

Result<int64_t> PgStore::LedgerClock(std::string_view election) {
  const pg::Rows r = TRY(conn_->Query(
      "SELECT coalesce(max(c.at), 0) FROM ledger_clock c JOIN election e ON e.id = c.election_id WHERE e.code = $1",
      {election}, "reading the ledger clock"));
  return r.Int(0, 0);
}

Result<LedgerHead> PgStore::Head() {
  const pg::Rows r = TRY(
      conn_->Query("SELECT seq, hash FROM ledger_document ORDER BY seq DESC LIMIT 1", {}, "reading the chain head"));
  if (r.size() == 0) return LedgerHead{};
  return LedgerHead{r.Int(0, 0), r.Text(0, 1)};
}

}  // namespace tepat::store
