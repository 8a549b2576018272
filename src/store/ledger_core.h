// Posting to the ledger, written once for both backends: the caches a posting session keeps (node and article ids,
// balances, kits, the readiness of the batch's TPS), the reads that planning asks for and the write sequence of a
// batch (the chain head under the ledger's lock, each document planned and written, the audit entries, the balances,
// the readiness and the clock, one commit). A backend gives only a LedgerDialect: how to run a statement, how to run
// one for many rows, and its transaction. See docs/decisions/0012-one-ledger-core.md.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "store/common.h"
#include "store/store.h"

namespace tepat::store {

// A parameter of a ledger statement: NULL, a number, or a text that lives until the call returns.
using SqlValue = std::variant<std::monostate, int64_t, std::string_view>;

// A column of the rows a statement runs for: numbers or texts, one per row.
using SqlColumn = std::variant<std::vector<int64_t>, std::vector<std::string>>;

using RowFn = std::function<Status(const SqlRow&)>;

// A statement run for many rows: `each` runs for one row, its $1, $2, ... bound to that row's values of the
// columns; `all` runs once for every row, its $1, $2, ... bound to whole columns as arrays (PostgreSQL's unnest).
struct BulkSql {
  const char* name;
  const char* each;
  const char* all;
};

// What a backend does for the ledger core. Statements are written once with $1, $2, ... placeholders, which both
// backends read (SQLite binds them by name). A statement given no `row` is a write, which a backend may send ahead
// (PostgreSQL's pipeline): its failure then comes with the next call.
class LedgerDialect {
 public:
  virtual ~LedgerDialect() = default;
  // The batch's transaction; Begin also takes the ledger's lock where several processes may post (PostgreSQL).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // Runs one statement, prepared once under `name`; each row it returns to `row`.
  virtual Status Run(const char* name, const char* sql, std::initializer_list<SqlValue> params,
                     const RowFn& row = nullptr) = 0;
  // Runs a statement for every row of `columns` (all of one length), with the `fixed` values first ($1, ... for
  // every row) and the columns' after them.
  virtual Status RunMany(const BulkSql& sql, std::initializer_list<SqlValue> fixed,
                         const std::vector<SqlColumn>& columns, const RowFn& row = nullptr) = 0;
  // Whether reading what a batch will need ahead, one statement per kind, pays (a round trip to a server costs more
  // than reading a little that planning may not need).
  virtual bool ReadAhead() const = 0;
};

// The ledger session of one election over a dialect; the only implementation of LedgerSession.
class LedgerCore final : public LedgerSession {
 public:
  LedgerCore(std::unique_ptr<LedgerDialect> dialect, LedgerStore& store, const ledger::Catalog& catalog,
             int64_t election_id)
      : dialect_(std::move(dialect)), store_(store), catalog_(catalog), election_id_(election_id) {}

  // ledger::LedgerView, answered from the caches or the database within the current transaction.
  int64_t Balance(const std::string& node, const std::string& article) override;
  const ledger::Kit* FindKit(const std::string& kit) override;
  bool LabelUsed(const std::string& label) override;
  std::optional<ledger::PostedDocument> FindDocument(const std::string& id) override;
  Result<std::vector<ledger::Movement>> MovementsOf(const std::string& id) override;
  Result<ledger::Document> LoadDocument(const std::string& id) override;

  Result<std::vector<PostOutcome>> Post(const std::vector<ledger::Document>& documents,
                                        const std::vector<std::string>& where, const AuditOfOutcome& audit,
                                        const std::vector<access::AuditEntry>& also) override;

 private:
  struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const {
      return std::hash<int64_t>()(p.first * 1000003 ^ p.second);
    }
  };
  using Key = std::pair<int64_t, int64_t>;  // (node id, article id)

  // The first failure of a read whose caller cannot return one (a LedgerView method); it ends the batch.
  void Fail(const Status& status) {
    if (!status.ok() && !failure_) failure_ = status.error();
  }
  int64_t Lookup(bool article, const std::string& code, bool create);
  int64_t NodeId(const std::string& code) { return Lookup(false, code, true); }
  int64_t ArticleId(const std::string& code) { return Lookup(true, code, true); }
  int64_t BalanceById(int64_t node_id, int64_t article_id);
  readiness::TpsState& TpsState(const std::string& tps);

  Status SyncHead();
  Status Prefetch(const std::vector<ledger::Document>& documents);
  Result<std::pair<int64_t, std::string>> Write(const ledger::Document& doc, const std::string& body,
                                                const std::string& body_hash, const ledger::Posting& posting);
  Status WriteAudit(const std::vector<PostOutcome>& outcomes, const AuditOfOutcome& audit,
                    const std::vector<access::AuditEntry>& also);
  Status WriteMovements();
  Status Flush();
  void Forget();

  std::unique_ptr<LedgerDialect> dialect_;
  LedgerStore& store_;
  const ledger::Catalog& catalog_;
  int64_t election_id_;
  std::optional<Error> failure_;
  std::unordered_map<std::string, int64_t> nodes_, articles_;
  std::unordered_map<Key, int64_t, PairHash> balances_;
  std::unordered_set<Key, PairHash> dirty_;
  std::unordered_map<std::string, readiness::TpsState> tps_;  // the batch's TPS, as read and as posting changes them
  std::unordered_set<std::string> tps_changed_;
  std::unordered_map<std::string, ledger::Kit> kits_;
  std::unordered_map<std::string, std::optional<ledger::PostedDocument>> found_;  // read ahead; none: absent
  std::array<std::vector<int64_t>, 6> movements_;  // lines not yet written: seq, line, from, to, article, quantity
  int64_t clock_ = 0;                              // the latest document time of the batch
  int64_t head_seq_ = -1;
  std::string head_hash_;
};

}  // namespace tepat::store
