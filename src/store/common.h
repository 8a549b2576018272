// What both backends share: how values the schema keeps as text or numbers are written (lists of lines, a kit's
// seals; the range of TPS keys under a region), and the planning half of posting a batch.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace tepat::store {

// Statements both backends run as written, with $1, $2, ... (SQLite's Statement binds them by position: they must
// first appear in order).
inline constexpr const char* kInsertAudit =
    "INSERT INTO audit(at, actor, address, action, target, region, outcome, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
// The ledger's chain head: its newest document's seq and hash.
inline constexpr const char* kSelectHead = "SELECT seq, hash FROM ledger_document ORDER BY seq DESC LIMIT 1";
// Every movement line in ledger order, with its node and article codes.
inline constexpr const char* kSelectMovements =
    "SELECT m.seq, m.line, coalesce(f.code, '?'), coalesce(t.code, '?'), coalesce(a.code, '?'), m.quantity "
    "FROM ledger_movement m LEFT JOIN ledger_node f ON f.id = m.from_id "
    "LEFT JOIN ledger_node t ON t.id = m.to_id LEFT JOIN ledger_article a ON a.id = m.article_id "
    "ORDER BY m.seq, m.line";
// The movement lines of document $1.
inline constexpr const char* kSelectMovementsOf =
    "SELECT f.code, t.code, a.code, m.quantity FROM ledger_movement m "
    "JOIN ledger_node f ON f.id = m.from_id JOIN ledger_node t ON t.id = m.to_id "
    "JOIN ledger_article a ON a.id = m.article_id "
    "WHERE m.seq = (SELECT seq FROM ledger_document WHERE id = $1) ORDER BY m.line";
// Every stored balance: election, node, article, quantity.
inline constexpr const char* kSelectBalances =
    "SELECT coalesce(e.code, ''), coalesce(n.code, 'node #' || b.node_id), "
    "coalesce(a.code, 'article #' || b.article_id), b.quantity FROM ledger_balance b "
    "LEFT JOIN ledger_node n ON n.id = b.node_id LEFT JOIN ledger_article a ON a.id = b.article_id "
    "LEFT JOIN election e ON e.id = a.election_id";
// After DocumentColumns(): the documents of election $1 that node $2 signed or that were dispatched to it.
inline constexpr const char* kWhereDocumentsOfNode =
    "WHERE e.code = $1 AND d.seq IN (SELECT seq FROM ledger_document WHERE node_id = "
    "(SELECT id FROM ledger_node WHERE code = $2) UNION SELECT seq FROM ledger_document WHERE "
    "to_node_id = (SELECT id FROM ledger_node WHERE code = $2)) ORDER BY d.seq";
// A kit's columns (KitFromRow), for a WHERE on the kit `k` and its election `e`.
inline constexpr const char* kSelectKits =
    "SELECT k.kit, k.tps, k.label, k.packed_at, k.seals, k.contents FROM ledger_kit k "
    "JOIN election e ON e.id = k.election_id ";
// A TPS's code, state (TpsStateFromRow from column 1) and seq, for a WHERE on `r` and its election `e`.
inline constexpr const char* kSelectTpsStates =
    "SELECT r.tps, r.dispatched_at, r.first_received_at, r.receipts, r.kits, r.misrouted, r.unsealed, r.damaged, "
    "r.wrong_items, r.received, r.seq FROM readiness_tps r JOIN election e ON e.id = r.election_id ";
// The ledger's clock for election $1.
inline constexpr const char* kSelectLedgerClock =
    "SELECT coalesce(max(c.at), 0) FROM ledger_clock c JOIN election e ON e.id = c.election_id WHERE e.code = $1";

// Procurement's reference files of an election: one replaced ($1 election id, $2 kind, $3 body, $4 records,
// $5 saved_at, $6 saved_by), and one read (election code $1, kind $2): body, records, saved_at, saved_by.
inline constexpr const char* kSaveReference =
    "INSERT INTO procurement_reference(election_id, kind, body, records, saved_at, saved_by) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (election_id, kind) DO UPDATE SET body = excluded.body, "
    "records = excluded.records, saved_at = excluded.saved_at, saved_by = excluded.saved_by";
inline constexpr const char* kLoadReference =
    "SELECT r.body, r.records, r.saved_at, r.saved_by FROM procurement_reference r "
    "JOIN election e ON e.id = r.election_id WHERE e.code = $1 AND r.kind = $2";

// A row a statement returned, whichever the backend.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
};

// Rows of the statements above, read the same way on both backends.
StoredDocument DocumentFromRow(const SqlRow& r);           // DocumentColumns()
Result<ledger::Kit> KitFromRow(const SqlRow& r);            // kSelectKits
// A TPS state from its nine columns starting at `first` (dispatched_at ... received).
Result<readiness::TpsState> TpsStateFromRow(const SqlRow& r, int first);

// The columns of a stored document (StoredDocument's order) and the joins they need, for both backends; without
// `with_body` the body is read as '' (verify's pass over the chain reads only the hashes).
std::string DocumentColumns(bool with_body = true);

std::string JoinLines(const std::vector<std::string>& values);
std::vector<std::string> SplitLines(const std::string& text);

// The TPS keys under a region code ("" or "35.78" or "35.78."): those with the region's digits in front,
// 35.78 → [3578000000000, 3579000000000); every key for "".
std::pair<int64_t, int64_t> TpsKeyRange(std::string_view prefix);

// The codes strictly below region `code` as a half-open text range: ["35.78.", "35.78/") ("/" follows ".").
std::pair<std::string, std::string> RegionRange(std::string_view code);

// Writes one planned document at the head of the chain; gives its seq and hash.
using DocumentWriter = std::function<Result<std::pair<int64_t, std::string>>(
    const ledger::Document& doc, const std::string& body, const std::string& body_hash,
    const ledger::Posting& posting)>;
// Posting a batch, the part the backends share: each document in its canonical form and planned against `view`,
// then refused, replayed, or handed to `write`. `failed` gives a storage error the view met while planning, which
// ends the batch.
Result<std::vector<PostOutcome>> PlanBatch(const std::vector<ledger::Document>& documents,
                                           const std::vector<std::string>& where, const ledger::Catalog& catalog,
                                           ledger::LedgerView& view, const DocumentWriter& write,
                                           const std::function<std::optional<Error>()>& failed = nullptr);

}  // namespace tepat::store
