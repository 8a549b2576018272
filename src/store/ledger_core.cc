// Posting to the ledger over a dialect: the caches, the reads planning asks for and the write sequence of a batch,
// with every statement written once.
#include "store/ledger_core.h"

#include <algorithm>

#include "common/hash.h"
#include "ledger/document.h"
#include "ledger/memory_ledger.h"
#include "readiness/tps_state.h"
#include "store/common.h"

namespace tepat::store {

namespace {

// The columns of a document the posting rules look at, as ledger::PostedDocument.
#define TEPAT_POSTED_COLUMNS                                                                                        \
  "SELECT d.seq, d.kind, n.code, d.body_hash, d.hash, coalesce(st.received_by, ''), coalesce(st.reversed_by, ''), " \
  "d.body, e.code, d.id FROM ledger_document d JOIN ledger_node n ON n.id = d.node_id "                            \
  "JOIN election e ON e.id = d.election_id LEFT JOIN ledger_status st ON st.seq = d.seq "

// The columns of readiness_tps a posting session reads, as a TPS state with its code.
#define TEPAT_TPS_STATE_COLUMNS                                                                                    \
  "SELECT dispatched_at, first_received_at, receipts, kits, misrouted, unsealed, damaged, wrong_items, received, " \
  "tps FROM readiness_tps "


#define TEPAT_TPS_UPSERT                                                                                             \
  "INSERT INTO readiness_tps(election_id, seq, tps, received, tps_key, dispatched_at, first_received_at, receipts, " \
  "kits, misrouted, unsealed, damaged, wrong_items) "
#define TEPAT_TPS_ON_CONFLICT                                                                                       \
  " ON CONFLICT (election_id, tps_key) DO UPDATE SET dispatched_at = excluded.dispatched_at, first_received_at = " \
  "excluded.first_received_at, receipts = excluded.receipts, kits = excluded.kits, misrouted = "                  \
  "excluded.misrouted, unsealed = excluded.unsealed, damaged = excluded.damaged, wrong_items = "                  \
  "excluded.wrong_items, received = excluded.received, seq = excluded.seq"

#define TEPAT_MOVEMENT_INSERT "INSERT INTO ledger_movement(seq, line, from_id, to_id, article_id, quantity) "
#define TEPAT_AUDIT_INSERT "INSERT INTO audit(at, actor, address, action, target, region, outcome, detail) "
#define TEPAT_BALANCE_INSERT "INSERT INTO ledger_balance(node_id, article_id, quantity) "
#define TEPAT_BALANCE_ON_CONFLICT " ON CONFLICT (node_id, article_id) DO UPDATE SET quantity = excluded.quantity"

// Statements for many rows: one row at a time (SQLite) and all rows at once over arrays (PostgreSQL).
constexpr BulkSql kFindDocuments{"ledger.find*", TEPAT_POSTED_COLUMNS "WHERE d.id = $1",
                                 TEPAT_POSTED_COLUMNS "WHERE d.id = ANY($1)"};
constexpr BulkSql kFindNodes{"ledger.node*", "SELECT id, code FROM ledger_node WHERE code = $1",
                             "SELECT id, code FROM ledger_node WHERE code = ANY($1)"};
constexpr BulkSql kFindArticles{"ledger.article*",
                                "SELECT id, code FROM ledger_article WHERE election_id = $1 AND code = $2",
                                "SELECT id, code FROM ledger_article WHERE election_id = $1 AND code = ANY($2)"};
constexpr BulkSql kFindTps{"ledger.tps*", TEPAT_TPS_STATE_COLUMNS "WHERE election_id = $1 AND tps_key = $2",
                           TEPAT_TPS_STATE_COLUMNS "WHERE election_id = $1 AND tps_key = ANY($2)"};
constexpr BulkSql kFindBalances{
    "ledger.balance*", "SELECT node_id, article_id, quantity FROM ledger_balance WHERE node_id = $1 AND article_id = $2",
    "SELECT node_id, article_id, quantity FROM ledger_balance WHERE (node_id, article_id) IN (SELECT * FROM "
    "unnest($1::bigint[], $2::bigint[]))"};
constexpr BulkSql kWriteMovements{
    "ledger.move+", TEPAT_MOVEMENT_INSERT "VALUES ($1, $2, $3, $4, $5, $6)",
    TEPAT_MOVEMENT_INSERT "SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[], $5::bigint[], "
                          "$6::bigint[])"};
constexpr BulkSql kWriteAudit{
    "ledger.audit+", kInsertAudit,
    TEPAT_AUDIT_INSERT "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], "
                       "$6::text[], $7::text[], $8::text[])"};
constexpr BulkSql kPutBalances{
    "ledger.balance=", TEPAT_BALANCE_INSERT "VALUES ($1, $2, $3)" TEPAT_BALANCE_ON_CONFLICT,
    TEPAT_BALANCE_INSERT "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])" TEPAT_BALANCE_ON_CONFLICT};
constexpr BulkSql kRemoveBalances{
    "ledger.balance-", "DELETE FROM ledger_balance WHERE node_id = $1 AND article_id = $2",
    "DELETE FROM ledger_balance WHERE (node_id, article_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))"};
constexpr BulkSql kPutTps{
    "ledger.tps=",
    TEPAT_TPS_UPSERT "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)" TEPAT_TPS_ON_CONFLICT,
    TEPAT_TPS_UPSERT "SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], "
                     "$8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], "
                     "$13::bigint[])" TEPAT_TPS_ON_CONFLICT};

ledger::PostedDocument PostedFromRow(const SqlRow& r) {
  const ledger::DocKind kind = ledger::ParseDocKind(r.Text(1)).value_or(ledger::DocKind::kGoodsReceipt);
  ledger::PostedDocument p;
  if (kind == ledger::DocKind::kDispatch || kind == ledger::DocKind::kReplacementRequest) {
    Result<ledger::Document> doc = ledger::ParseDocument("ledger", r.Text(7));
    if (doc.ok()) p = ledger::Summarize(doc.value(), r.Text(3), r.Text(4), r.Int(0));
  } else {
    p.seq = r.Int(0);
    p.id = r.Text(9);
    p.node = r.Text(2);
    p.body_hash = r.Text(3);
    p.hash = r.Text(4);
    p.kind = kind;
  }
  p.received_by = r.Text(5);
  p.reversed_by = r.Text(6);
  p.election = r.Text(8);
  return p;
}

}  // namespace

int64_t LedgerCore::Balance(const std::string& node, const std::string& article) {
  const int64_t node_id = Lookup(false, node, false);
  const int64_t article_id = Lookup(true, article, false);
  if (node_id == 0 || article_id == 0) return 0;
  return BalanceById(node_id, article_id);
}

const ledger::Kit* LedgerCore::FindKit(const std::string& kit) {
  if (auto cached = kits_.find(kit); cached != kits_.end()) return &cached->second;
  static const std::string kFindKit = std::string(kSelectKits) + "WHERE k.election_id = $1 AND k.kit = $2";
  std::optional<ledger::Kit> found;
  Fail(dialect_->Run("ledger.kit", kFindKit.c_str(), {election_id_, kit},
                     [&](const SqlRow& r) -> Status {
                       found = TRY(KitFromRow(r));
                       return {};
                     }));
  if (!found) return nullptr;
  // The cache holds the kits of the last few regencies' handovers; it starts again when full.
  if (kits_.size() >= 100'000) kits_.clear();
  return &kits_.emplace(kit, std::move(*found)).first->second;
}

bool LedgerCore::LabelUsed(const std::string& label) {
  bool used = false;
  Fail(dialect_->Run("ledger.label", "SELECT 1 FROM ledger_kit WHERE election_id = $1 AND label = $2",
                     {election_id_, label}, [&](const SqlRow&) -> Status {
                       used = true;
                       return {};
                     }));
  return used;
}

std::optional<ledger::PostedDocument> LedgerCore::FindDocument(const std::string& id) {
  if (auto known = found_.find(id); known != found_.end()) return known->second;
  std::optional<ledger::PostedDocument> found;
  Fail(dialect_->Run("ledger.find", kFindDocuments.each, {id}, [&](const SqlRow& r) -> Status {
    found = PostedFromRow(r);
    return {};
  }));
  return found;
}

Result<std::vector<ledger::Movement>> LedgerCore::MovementsOf(const std::string& id) {
  RETURN_IF_ERROR(WriteMovements());  // a reversal may name a document of this batch
  return store_.MovementsOf(id);
}

Result<ledger::Document> LedgerCore::LoadDocument(const std::string& id) {
  StoredDocument doc = TRY(store_.FindDocument(id));
  return ledger::ParseDocument("ledger", doc.body);
}

Result<std::vector<PostOutcome>> LedgerCore::Post(const std::vector<ledger::Document>& documents,
                                                  const std::vector<std::string>& where, const AuditOfOutcome& audit,
                                                  const std::vector<access::AuditEntry>& also) {
  failure_.reset();
  Result<std::vector<PostOutcome>> result = [&]() -> Result<std::vector<PostOutcome>> {
    RETURN_IF_ERROR(dialect_->Begin());
    RETURN_IF_ERROR(SyncHead());
    found_.clear();
    if (dialect_->ReadAhead()) RETURN_IF_ERROR(Prefetch(documents));
    std::vector<PostOutcome> outcomes =
        TRY(PlanBatch(
            documents, where, catalog_, *this,
            [this](const ledger::Document& doc, const std::string& body, const std::string& body_hash,
                   const ledger::Posting& posting) { return Write(doc, body, body_hash, posting); },
            [this] { return failure_; }));
    AttachStates(outcomes, tps_, head_seq_);
    RETURN_IF_ERROR(WriteAudit(outcomes, audit, also));
    RETURN_IF_ERROR(Flush());
    RETURN_IF_ERROR(dialect_->Commit());
    return outcomes;
  }();
  if (!result.ok()) {
    dialect_->Rollback();
    Forget();
  }
  return result;
}

// Ids created in a rolled-back transaction are gone too: every cache starts again.
void LedgerCore::Forget() {
  nodes_.clear();
  articles_.clear();
  balances_.clear();
  kits_.clear();
  dirty_.clear();
  tps_.clear();
  tps_changed_.clear();
  for (auto& column : movements_) column.clear();
  found_.clear();
  clock_ = 0;
  head_seq_ = -1;
}

// The id of a node or article code; created when `create` is set, otherwise 0 when unknown.
int64_t LedgerCore::Lookup(bool article, const std::string& code, bool create) {
  auto& cache = article ? articles_ : nodes_;
  auto it = cache.find(code);
  if (it != cache.end()) return it->second;
  int64_t id = 0;
  auto read = [&](const SqlRow& r) -> Status {
    id = r.Int(0);
    return {};
  };
  if (article) {
    Fail(dialect_->Run("ledger.article", kFindArticles.each, {election_id_, code}, read));
  } else {
    Fail(dialect_->Run("ledger.node", kFindNodes.each, {code}, read));
  }
  if (id == 0 && create) {
    if (article) {
      Fail(dialect_->Run("ledger.article+", "INSERT INTO ledger_article(election_id, code) VALUES ($1, $2) RETURNING id",
                         {election_id_, code}, read));
    } else {
      Fail(dialect_->Run("ledger.node+", "INSERT INTO ledger_node(code) VALUES ($1) RETURNING id", {code}, read));
    }
  }
  if (id != 0) cache.emplace(code, id);
  return id;
}

int64_t LedgerCore::BalanceById(int64_t node_id, int64_t article_id) {
  const Key key{node_id, article_id};
  if (auto it = balances_.find(key); it != balances_.end()) return it->second;
  int64_t quantity = 0;
  Fail(dialect_->Run("ledger.balance", kFindBalances.each, {node_id, article_id}, [&](const SqlRow& r) -> Status {
    quantity = r.Int(2);
    return {};
  }));
  balances_.emplace(key, quantity);
  return quantity;
}

readiness::TpsState& LedgerCore::TpsState(const std::string& tps) {
  if (auto it = tps_.find(tps); it != tps_.end()) return it->second;
  readiness::TpsState state;
  Fail(dialect_->Run("ledger.tps", kFindTps.each, {election_id_, geo::RegionKey(tps)}, [&](const SqlRow& r) -> Status {
    state = TRY(TpsStateFromRow(r, 0));
    return {};
  }));
  return tps_.emplace(tps, std::move(state)).first->second;
}

// Reads the chain head (under the ledger's lock); drops the caches when another process wrote since the last batch.
Status LedgerCore::SyncHead() {
  int64_t seq = 0;
  std::string hash;
  RETURN_IF_ERROR(dialect_->Run("ledger.head", kSelectHead, {},
                                [&](const SqlRow& r) -> Status {
                                  seq = r.Int(0);
                                  hash = r.Text(1);
                                  return {};
                                }));
  if (seq != head_seq_) {
    balances_.clear();
    kits_.clear();
    head_seq_ = seq;
    head_hash_ = std::move(hash);
  }
  return {};
}

// Reads what the batch's documents will look up, one statement for each kind rather than one per document: the
// documents they are or refer to, their nodes and articles, the TPS they reach and the balances they move. Planning
// finds these in the caches; what it needs beyond them it reads as it goes.
Status LedgerCore::Prefetch(const std::vector<ledger::Document>& documents) {
  static const std::string kTransit = "transit";
  std::vector<std::string> ids, codes, articles, tps;
  std::unordered_set<std::string> seen;
  auto add = [&](std::vector<std::string>& to, const std::string& value, bool wanted) {
    if (wanted && !value.empty() && seen.insert(value).second) to.push_back(value);
  };
  for (const ledger::Document& doc : documents) {
    for (const std::string* id : {&doc.id, &doc.dispatch, &doc.reverses, &doc.fulfils}) add(ids, *id, true);
    for (const std::string* node : {&doc.node, &doc.to, &doc.from}) {
      add(codes, *node, !nodes_.count(*node));
      if (node->starts_with("kpps:")) add(tps, node->substr(5), !tps_.count(node->substr(5)));
    }
    for (const ledger::DocLine& line : doc.lines) add(articles, line.item, !articles_.count(line.item));
    for (const std::string& kit : doc.kit_codes) add(articles, ledger::KitArticle(kit), true);
    for (const ledger::KitReceipt& kit : doc.kit_receipts) add(articles, ledger::KitArticle(kit.kit), true);
  }
  add(codes, kTransit, !nodes_.count(kTransit));
  if (!ids.empty()) {
    for (const std::string& id : ids) found_.emplace(id, std::nullopt);
    RETURN_IF_ERROR(dialect_->RunMany(kFindDocuments, {}, {ids}, [&](const SqlRow& r) -> Status {
      found_[r.Text(9)] = PostedFromRow(r);
      return {};
    }));
  }
  if (!codes.empty()) {
    RETURN_IF_ERROR(dialect_->RunMany(kFindNodes, {}, {codes}, [&](const SqlRow& r) -> Status {
      nodes_.emplace(r.Text(1), r.Int(0));
      return {};
    }));
  }
  if (!articles.empty()) {
    RETURN_IF_ERROR(dialect_->RunMany(kFindArticles, {election_id_}, {articles}, [&](const SqlRow& r) -> Status {
      articles_.emplace(r.Text(1), r.Int(0));
      return {};
    }));
  }
  if (!tps.empty()) {
    std::vector<int64_t> keys;
    for (const std::string& code : tps) keys.push_back(geo::RegionKey(code));
    RETURN_IF_ERROR(dialect_->RunMany(kFindTps, {election_id_}, {keys}, [&](const SqlRow& r) -> Status {
      tps_.emplace(r.Text(9), TRY(TpsStateFromRow(r, 0)));
      return {};
    }));
    for (const std::string& code : tps) tps_.emplace(code, readiness::TpsState{});
  }
  std::vector<int64_t> pair_node, pair_article;
  for (const ledger::Document& doc : documents) {
    std::vector<int64_t> node_ids, article_ids;
    for (const std::string* node : {&doc.node, &doc.to, &doc.from, &kTransit}) {
      if (auto it = nodes_.find(*node); it != nodes_.end()) node_ids.push_back(it->second);
    }
    auto article = [&](const std::string& code) {
      if (auto it = articles_.find(code); it != articles_.end()) article_ids.push_back(it->second);
    };
    for (const ledger::DocLine& line : doc.lines) article(line.item);
    for (const std::string& kit : doc.kit_codes) article(ledger::KitArticle(kit));
    for (const ledger::KitReceipt& kit : doc.kit_receipts) article(ledger::KitArticle(kit.kit));
    for (int64_t n : node_ids) {
      for (int64_t a : article_ids) {
        if (!balances_.emplace(Key{n, a}, 0).second) continue;  // none unless read below
        pair_node.push_back(n);
        pair_article.push_back(a);
      }
    }
  }
  if (pair_node.empty()) return {};
  return dialect_->RunMany(kFindBalances, {}, {pair_node, pair_article}, [&](const SqlRow& r) -> Status {
    balances_[{r.Int(0), r.Int(1)}] = r.Int(2);
    return {};
  });
}

// Writes a planned document at the head of the chain; its seq and hash.
Result<std::pair<int64_t, std::string>> LedgerCore::Write(const ledger::Document& doc, const std::string& body,
                                                          const std::string& body_hash,
                                                          const ledger::Posting& posting) {
  const int64_t seq = head_seq_ + 1;
  const std::string hash = ledger::ChainHash(head_hash_, body_hash);
  const int64_t node = NodeId(doc.node);
  // The documents this one posts, closes, reopens or reverses are read afresh from now on (after this write).
  for (const std::string* id : {&doc.id, &posting.reopens, &posting.reverses}) found_.erase(*id);
  std::erase_if(found_, [&](const auto& known) { return known.second && known.second->seq == posting.closes_seq; });
  // The counterpart: where a dispatch goes, where a receipt's goods came from (and refused ones go back to).
  const SqlValue to = doc.kind == ledger::DocKind::kDispatch  ? SqlValue(NodeId(doc.to))
                      : doc.kind == ledger::DocKind::kReceipt ? SqlValue(NodeId(doc.from))
                                                              : SqlValue();
  if (failure_) return *failure_;
  RETURN_IF_ERROR(dialect_->Run("ledger.doc+",
                                "INSERT INTO ledger_document(seq, id, election_id, kind, node_id, to_node_id, at, "
                                "body, body_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                {seq, doc.id, election_id_, ledger::DocKindName(doc.kind), node, to, doc.at_seconds,
                                 body, body_hash, hash}));
  for (size_t i = 0; i < posting.movements.size(); ++i) {
    const ledger::Movement& m = posting.movements[i];
    const int64_t from = NodeId(m.from), to_id = NodeId(m.to), article = ArticleId(m.article);
    for (auto [column, value] : {std::pair{0, seq}, std::pair{1, static_cast<int64_t>(i)}, std::pair{2, from},
                                 std::pair{3, to_id}, std::pair{4, article}, std::pair{5, m.quantity}}) {
      movements_[column].push_back(value);
    }
    for (const auto& [holder, change] : {std::pair{from, -m.quantity}, std::pair{to_id, m.quantity}}) {
      BalanceById(holder, article);
      balances_[{holder, article}] += change;
      dirty_.emplace(holder, article);
    }
  }
  for (const ledger::Kit& kit : posting.new_kits) {
    const std::string seals = JoinLines(kit.seals), contents = readiness::EncodeReceived(kit.contents);
    RETURN_IF_ERROR(dialect_->Run("ledger.kit+",
                                  "INSERT INTO ledger_kit(article_id, election_id, kit, tps, label, packed_at, seals, "
                                  "contents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  {ArticleId(ledger::KitArticle(kit.kit)), election_id_, kit.kit, kit.tps, kit.label,
                                   kit.packed_at, seals, contents}));
    if (kits_.size() >= 100'000) kits_.clear();
    kits_[kit.kit] = kit;
  }
  for (const std::string& kit : posting.removed_kits) {
    RETURN_IF_ERROR(dialect_->Run("ledger.kit-", "DELETE FROM ledger_kit WHERE election_id = $1 AND kit = $2",
                                  {election_id_, kit}));
    kits_.erase(kit);
  }
  if (posting.closes_seq != 0) {
    RETURN_IF_ERROR(dialect_->Run("ledger.received",
                                  "INSERT INTO ledger_status(seq, received_by) VALUES ($1, $2) ON CONFLICT (seq) DO "
                                  "UPDATE SET received_by = excluded.received_by",
                                  {posting.closes_seq, doc.id}));
  }
  if (!posting.reopens.empty()) {
    RETURN_IF_ERROR(dialect_->Run("ledger.reopened",
                                  "UPDATE ledger_status SET received_by = NULL WHERE seq = (SELECT seq FROM "
                                  "ledger_document WHERE id = $1)",
                                  {posting.reopens}));
  }
  if (!posting.reverses.empty()) {
    RETURN_IF_ERROR(dialect_->Run("ledger.reversed",
                                  "INSERT INTO ledger_status(seq, reversed_by) SELECT seq, $2 FROM ledger_document "
                                  "WHERE id = $1 ON CONFLICT (seq) DO UPDATE SET reversed_by = excluded.reversed_by",
                                  {posting.reverses, doc.id}));
  }
  for (const ledger::TpsEffect& effect : posting.effects) {
    readiness::ApplyEffect(TpsState(effect.tps), effect);
    tps_changed_.insert(effect.tps);
  }
  if (failure_) return *failure_;
  head_seq_ = seq;
  head_hash_ = hash;
  clock_ = std::max(clock_, doc.at_seconds);
  return std::pair{seq, hash};
}

// Writes the audit entry of each outcome that has one, and those of `also`, in one statement.
Status LedgerCore::WriteAudit(const std::vector<PostOutcome>& outcomes, const AuditOfOutcome& audit,
                              const std::vector<access::AuditEntry>& also) {
  std::vector<int64_t> at;
  std::array<std::vector<std::string>, 7> texts;  // actor, address, action, target, region, outcome, detail
  auto add = [&](const access::AuditEntry& entry) {
    at.push_back(entry.at);
    int k = 0;
    for (const std::string* text : {&entry.actor, &entry.address, &entry.action, &entry.target, &entry.region,
                                     &entry.outcome, &entry.detail}) {
      texts[k++].push_back(*text);
    }
  };
  for (size_t i = 0; audit && i < outcomes.size(); ++i) {
    if (const std::optional<access::AuditEntry> entry = audit(i, outcomes[i])) add(*entry);
  }
  for (const access::AuditEntry& entry : also) add(entry);
  if (at.empty()) return {};
  std::vector<SqlColumn> columns = {std::move(at)};
  for (auto& column : texts) columns.emplace_back(std::move(column));
  return dialect_->RunMany(kWriteAudit, {}, columns);
}

// Writes the movement lines buffered since the last call, in one statement.
Status LedgerCore::WriteMovements() {
  if (movements_[0].empty()) return {};
  std::vector<SqlColumn> columns;
  for (auto& column : movements_) columns.emplace_back(std::move(column));
  for (auto& column : movements_) column.clear();
  return dialect_->RunMany(kWriteMovements, {}, columns);
}

// Writes the movement lines, balances and TPS states the batch changed, and the clock: one statement each.
Status LedgerCore::Flush() {
  RETURN_IF_ERROR(WriteMovements());
  std::vector<int64_t> put_node, put_article, put_quantity, gone_node, gone_article;
  for (const Key& key : dirty_) {
    const int64_t quantity = balances_[key];
    (quantity == 0 ? gone_node : put_node).push_back(key.first);
    (quantity == 0 ? gone_article : put_article).push_back(key.second);
    if (quantity != 0) put_quantity.push_back(quantity);
  }
  dirty_.clear();
  if (!put_node.empty()) {
    RETURN_IF_ERROR(dialect_->RunMany(kPutBalances, {}, {put_node, put_article, put_quantity}));
  }
  if (!gone_node.empty()) RETURN_IF_ERROR(dialect_->RunMany(kRemoveBalances, {}, {gone_node, gone_article}));
  if (!tps_changed_.empty()) {
    std::vector<std::string> codes, received;
    std::vector<std::vector<int64_t>> numbers(9);
    for (const std::string& code : tps_changed_) {
      const readiness::TpsState& s = tps_[code];
      codes.push_back(code);
      received.push_back(readiness::EncodeReceived(s.received));
      int k = 0;
      for (int64_t v : {geo::RegionKey(code), s.dispatched_at, s.first_received_at, int64_t{s.receipts},
                        int64_t{s.kits}, int64_t{s.misrouted}, int64_t{s.unsealed}, int64_t{s.damaged},
                        int64_t{s.wrong_items}}) {
        numbers[k++].push_back(v);
      }
    }
    std::vector<SqlColumn> columns = {std::move(codes), std::move(received)};
    for (auto& column : numbers) columns.emplace_back(std::move(column));
    RETURN_IF_ERROR(dialect_->RunMany(kPutTps, {election_id_, head_seq_}, columns));
  }
  tps_.clear();
  tps_changed_.clear();
  if (clock_ > 0) {
    RETURN_IF_ERROR(dialect_->Run("ledger.clock=",
                                  "INSERT INTO ledger_clock(election_id, at) VALUES ($1, $2) ON CONFLICT "
                                  "(election_id) DO UPDATE SET at = CASE WHEN excluded.at > ledger_clock.at THEN "
                                  "excluded.at ELSE ledger_clock.at END",
                                  {election_id_, clock_}));
    clock_ = 0;
  }
  // Keep the balance cache bounded across batches.
  if (balances_.size() > 4'000'000) balances_.clear();
  if (failure_) return *failure_;
  return {};
}

#undef TEPAT_POSTED_COLUMNS
#undef TEPAT_TPS_STATE_COLUMNS
#undef TEPAT_TPS_UPSERT
#undef TEPAT_TPS_ON_CONFLICT
#undef TEPAT_MOVEMENT_INSERT
#undef TEPAT_AUDIT_INSERT
#undef TEPAT_BALANCE_INSERT
#undef TEPAT_BALANCE_ON_CONFLICT

}  // namespace tepat::store
