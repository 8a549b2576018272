// The ledger's reads in PostgreSQL: documents, movements, balances, kits, the per-TPS readiness projection, the
// clock and the chain head. Large reads are streamed row by row.
#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "common/hash.h"
#include "ledger/document.h"
#include "ledger/memory_ledger.h"
#include "readiness/tps_state.h"
#include "store/common.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

namespace {

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

// The columns of a document the posting rules look at, as ledger::PostedDocument.
constexpr const char* kPostedColumns =
    "SELECT d.seq, d.kind, n.code, d.body_hash, d.hash, coalesce(st.received_by, ''), coalesce(st.reversed_by, ''), "
    "d.body, e.code, d.id FROM ledger_document d JOIN ledger_node n ON n.id = d.node_id "
    "JOIN election e ON e.id = d.election_id LEFT JOIN ledger_status st ON st.seq = d.seq ";

ledger::PostedDocument PostedFromRow(const pg::Rows& r, int i) {
  const ledger::DocKind kind = ledger::ParseDocKind(r.Text(i, 1)).value_or(ledger::DocKind::kGoodsReceipt);
  ledger::PostedDocument p;
  if (kind == ledger::DocKind::kDispatch || kind == ledger::DocKind::kReplacementRequest) {
    Result<ledger::Document> doc = ledger::ParseDocument("ledger", r.Text(i, 7));
    if (doc.ok()) p = ledger::Summarize(doc.value(), r.Text(i, 3), r.Text(i, 4), r.Int(i, 0));
  } else {
    p.seq = r.Int(i, 0);
    p.id = r.Text(i, 9);
    p.node = r.Text(i, 2);
    p.body_hash = r.Text(i, 3);
    p.hash = r.Text(i, 4);
    p.kind = kind;
  }
  p.received_by = r.Text(i, 5);
  p.reversed_by = r.Text(i, 6);
  p.election = r.Text(i, 8);
  return p;
}

// The columns of readiness_tps a posting session reads, as a TPS state.
constexpr const char* kTpsStateColumns =
    "SELECT dispatched_at, first_received_at, receipts, kits, misrouted, unsealed, damaged, wrong_items, received, "
    "tps FROM readiness_tps ";

readiness::TpsState TpsStateFromRow(const pg::Rows& r, int i) {
  readiness::TpsState state{
      {r.Int(i, 0), r.Int(i, 1), static_cast<int32_t>(r.Int(i, 2)), static_cast<int32_t>(r.Int(i, 3)),
       static_cast<int32_t>(r.Int(i, 4)), static_cast<int32_t>(r.Int(i, 5)), static_cast<int32_t>(r.Int(i, 6)),
       static_cast<int32_t>(r.Int(i, 7))},
      {}};
  if (auto received = readiness::DecodeReceived(r.Text(i, 8)); received.ok()) state.received = received.value();
  return state;
}

}  // namespace

namespace {

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const {
    return std::hash<int64_t>()(p.first * 1000003 ^ p.second);
  }
};

// Posting on PostgreSQL. Several processes may post at once (several `tepat serve` on one database): each batch
// takes one transaction-scoped advisory lock first, so that batches follow one another as on SQLite. The ledger is
// one hash chain, whose next seq and hash depend on the document before, so its writers take turns whatever the
// nodes they touch; a balance is read under the lock, so two writers never both spend it, and a document id is
// unique in the table, so none is counted twice. What this session caches (node and article ids, balances, kits) is
// dropped when the chain head moved since its last batch: another process wrote.
class PgLedger final : public LedgerSession {
 public:
  PgLedger(PgStore& store, const ledger::Catalog& catalog, int64_t election_id)
      : store_(store), conn_(store.connection()), catalog_(catalog), election_id_(election_id) {}

  int64_t Balance(const std::string& node, const std::string& article) override {
    const int64_t node_id = Lookup(nodes_, node, false);
    const int64_t article_id = Lookup(articles_, article, false);
    if (node_id == 0 || article_id == 0) return 0;
    return BalanceById(node_id, article_id);
  }

  const ledger::Kit* FindKit(const std::string& kit) override {
    if (auto cached = kits_.find(kit); cached != kits_.end()) return &cached->second;
    auto r = Run("kit",
                 "SELECT kit, tps, label, packed_at, seals, contents FROM ledger_kit k WHERE election_id = $1 AND "
                 "kit = $2",
                 {election_id_, kit});
    if (!r || r->size() == 0) return nullptr;
    auto found = KitFromRow(*r, 0);
    if (!found.ok()) {
      Fail(found.error());
      return nullptr;
    }
    // The cache holds the kits of the last few regencies' handovers; it starts again when full.
    if (kits_.size() >= 100'000) kits_.clear();
    return &kits_.emplace(kit, std::move(found).value()).first->second;
  }

  bool LabelUsed(const std::string& label) override {
    auto r = Run("label", "SELECT 1 FROM ledger_kit WHERE election_id = $1 AND label = $2", {election_id_, label});
    return r && r->size() > 0;
  }

  std::optional<ledger::PostedDocument> FindDocument(const std::string& id) override {
    if (auto known = found_.find(id); known != found_.end()) return known->second;
    auto r = Run("find", (std::string(kPostedColumns) + "WHERE d.id = $1").c_str(), {id});
    if (!r || r->size() == 0) return std::nullopt;
    return PostedFromRow(*r, 0);
  }

  Result<std::vector<ledger::Movement>> MovementsOf(const std::string& id) override {
    RETURN_IF_ERROR(WriteMovements());  // a reversal may name a document of this batch
    return store_.MovementsOf(id);
  }

  Result<ledger::Document> LoadDocument(const std::string& id) override {
    StoredDocument doc = TRY(store_.FindDocument(id));
    return ledger::ParseDocument("ledger", doc.body);
  }

  Result<std::vector<PostOutcome>> Post(const std::vector<ledger::Document>& documents,
                                        const std::vector<std::string>& where, const AuditOfOutcome& audit,
                                        const std::vector<access::AuditEntry>& also) override {
    failure_.reset();
    Result<std::vector<PostOutcome>> result = [&]() -> Result<std::vector<PostOutcome>> {
      pg::Transaction txn(conn_);
      RETURN_IF_ERROR(txn.status());
      RETURN_IF_ERROR(conn_.Send("lock", "SELECT pg_advisory_xact_lock($1)", {kLedgerLock}, "waiting for the ledger"));
      std::vector<PostOutcome> outcomes = TRY(PostInTransaction(documents, where));
      AttachStates(outcomes, tps_, head_seq_);
      RETURN_IF_ERROR(WriteAudit(outcomes, audit, also));
      RETURN_IF_ERROR(Flush());
      RETURN_IF_ERROR(txn.Commit());
      return outcomes;
    }();
    if (!result.ok()) {
      // Ids created in the rolled-back transaction are gone too.
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
    return result;
  }

 private:
  // One advisory lock key for the ledger's writers, in every database ("tepatldg").
  static constexpr int64_t kLedgerLock = 0x74657061746c6467;
  inline static const std::string kTransit = "transit";

  // A prepared statement's rows, or nothing after recording the failure (the transaction is then lost anyway).
  std::optional<pg::Rows> Run(const std::string& name, const char* sql, const std::vector<pg::Value>& params) {
    auto r = conn_.Prepared(name, sql, params, "posting: " + name);
    if (!r.ok()) {
      Fail(r.error());
      return std::nullopt;
    }
    return std::move(r).value();
  }
  void Fail(const Error& error) {
    if (!failure_) failure_ = error;
  }
  // A write sent ahead (pg::Connection::Send): its failure, if any, arrives with the next read and fails the batch.
  void Queue(const std::string& name, const char* sql, const std::vector<pg::Value>& params) {
    if (Status sent = conn_.Send(name, sql, params, "posting: " + name); !sent.ok()) Fail(sent.error());
  }

  // The id of a node or article code; created when `create` is set, otherwise 0 when unknown.
  int64_t Lookup(std::unordered_map<std::string, int64_t>& cache, const std::string& code, bool create) {
    auto it = cache.find(code);
    if (it != cache.end()) return it->second;
    const bool article = &cache == &articles_;
    auto r = article ? Run("article", "SELECT id FROM ledger_article WHERE election_id = $1 AND code = $2",
                           {election_id_, code})
                     : Run("node", "SELECT id FROM ledger_node WHERE code = $1", {code});
    int64_t id = r && r->size() ? r->Int(0, 0) : 0;
    if (id == 0 && create) {
      auto added = article
                       ? Run("article+", "INSERT INTO ledger_article(election_id, code) VALUES ($1, $2) RETURNING id",
                             {election_id_, code})
                       : Run("node+", "INSERT INTO ledger_node(code) VALUES ($1) RETURNING id", {code});
      if (added && added->size()) id = added->Int(0, 0);
    }
    if (id != 0) cache.emplace(code, id);
    return id;
  }
  int64_t NodeId(const std::string& code) { return Lookup(nodes_, code, true); }
  int64_t ArticleId(const std::string& code) { return Lookup(articles_, code, true); }

  int64_t BalanceById(int64_t node_id, int64_t article_id) {
    auto key = std::make_pair(node_id, article_id);
    auto it = balances_.find(key);
    if (it != balances_.end()) return it->second;
    auto r = Run("balance", "SELECT quantity FROM ledger_balance WHERE node_id = $1 AND article_id = $2",
                 {node_id, article_id});
    const int64_t quantity = r && r->size() ? r->Int(0, 0) : 0;
    balances_.emplace(key, quantity);
    return quantity;
  }

  readiness::TpsState& TpsState(const std::string& tps) {
    auto it = tps_.find(tps);
    if (it != tps_.end()) return it->second;
    readiness::TpsState state;
    auto r = Run("tps", (std::string(kTpsStateColumns) + "WHERE election_id = $1 AND tps_key = $2").c_str(),
                 {election_id_, geo::RegionKey(tps)});
    if (r && r->size()) state = TpsStateFromRow(*r, 0);
    return tps_.emplace(tps, std::move(state)).first->second;
  }

  // Reads what the batch's documents will look up, a query for each kind rather than one per document: the
  // documents they are or refer to, their nodes and articles, the TPS they reach and the balances they move.
  // Planning finds these in the caches; what it needs beyond them it reads as before.
  Status Prefetch(const std::vector<ledger::Document>& documents) {
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
    add(codes, "transit", !nodes_.count("transit"));
    if (!ids.empty()) {
      const pg::Rows r = TRY(conn_.Prepared("find*", (std::string(kPostedColumns) + "WHERE d.id = ANY($1)").c_str(),
                                            {pg::TextArray(ids)}, "posting: reading documents"));
      for (const std::string& id : ids) found_.emplace(id, std::nullopt);
      for (int i = 0; i < r.size(); ++i) found_[r.Text(i, 9)] = PostedFromRow(r, i);
    }
    if (!codes.empty() || !articles.empty()) {
      const pg::Rows r = TRY(conn_.Prepared(
          "ids*",
          "SELECT 0, id, code FROM ledger_node WHERE code = ANY($1) UNION ALL SELECT 1, id, code FROM ledger_article "
          "WHERE election_id = $2 AND code = ANY($3)",
          {pg::TextArray(codes), election_id_, pg::TextArray(articles)}, "posting: reading nodes and articles"));
      for (int i = 0; i < r.size(); ++i) (r.Int(i, 0) == 0 ? nodes_ : articles_).emplace(r.Text(i, 2), r.Int(i, 1));
    }
    if (!tps.empty()) {
      std::vector<int64_t> keys;
      for (const std::string& code : tps) keys.push_back(geo::RegionKey(code));
      const pg::Rows r = TRY(conn_.Prepared(
          "tps*", (std::string(kTpsStateColumns) + "WHERE election_id = $1 AND tps_key = ANY($2)").c_str(),
          {election_id_, pg::IntArray(keys)}, "posting: reading readiness"));
      for (int i = 0; i < r.size(); ++i) tps_.emplace(r.Text(i, 9), TpsStateFromRow(r, i));
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
          if (balances_.count({n, a})) continue;
          balances_.emplace(std::pair{n, a}, 0);  // none unless read below
          pair_node.push_back(n);
          pair_article.push_back(a);
        }
      }
    }
    if (!pair_node.empty()) {
      const pg::Rows r =
          TRY(conn_.Prepared("balance*",
                             "SELECT node_id, article_id, quantity FROM ledger_balance WHERE (node_id, "
                             "article_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))",
                             {pg::IntArray(pair_node), pg::IntArray(pair_article)}, "posting: reading balances"));
      for (int i = 0; i < r.size(); ++i) balances_[{r.Int(i, 0), r.Int(i, 1)}] = r.Int(i, 2);
    }
    return {};
  }

  // Reads the chain head under the lock; drops the caches when another process wrote since the last batch.
  Status SyncHead() {
    const pg::Rows r = TRY(conn_.Prepared("head", "SELECT seq, hash FROM ledger_document ORDER BY seq DESC LIMIT 1", {},
                                          "reading the chain head"));
    const int64_t seq = r.size() ? r.Int(0, 0) : 0;
    if (seq != head_seq_) {
      balances_.clear();
      kits_.clear();
      head_seq_ = seq;
      head_hash_ = r.size() ? r.Text(0, 1) : "";
    }
    return {};
  }

  Result<std::vector<PostOutcome>> PostInTransaction(const std::vector<ledger::Document>& documents,
                                                     const std::vector<std::string>& where) {
    RETURN_IF_ERROR(SyncHead());
    found_.clear();
    RETURN_IF_ERROR(Prefetch(documents));
    return PlanBatch(
        documents, where, catalog_, *this,
        [this](const ledger::Document& doc, const std::string& body, const std::string& body_hash,
               const ledger::Posting& posting) { return Write(doc, body, body_hash, posting); },
        [this] { return failure_; });
  }

  // Writes a planned document at the head of the chain; its seq and hash.
  Result<std::pair<int64_t, std::string>> Write(const ledger::Document& doc, const std::string& body,
                                                const std::string& body_hash, const ledger::Posting& posting) {
    const int64_t seq = head_seq_ + 1;
    const std::string hash = ledger::ChainHash(head_hash_, body_hash);
    const int64_t node = NodeId(doc.node);
    // The documents this one posts, closes, reopens or reverses are read afresh from now on (after this write).
    for (const std::string* id : {&doc.id, &posting.reopens, &posting.reverses}) found_.erase(*id);
    std::erase_if(found_, [&](const auto& known) { return known.second && known.second->seq == posting.closes_seq; });
    // The counterpart: where a dispatch goes, where a receipt's goods came from (and refused ones go back to).
    const pg::Value to = doc.kind == ledger::DocKind::kDispatch  ? pg::Value(NodeId(doc.to))
                         : doc.kind == ledger::DocKind::kReceipt ? pg::Value(NodeId(doc.from))
                                                                 : pg::Value(std::nullopt);
    Queue("doc+",
          "INSERT INTO ledger_document(seq, id, election_id, kind, node_id, to_node_id, at, body, body_hash, hash) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          {seq, doc.id, election_id_, ledger::DocKindName(doc.kind), node, to, doc.at_seconds, body, body_hash, hash});
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
      Queue("kit+",
            "INSERT INTO ledger_kit(article_id, election_id, kit, tps, label, packed_at, seals, contents) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {ArticleId(ledger::KitArticle(kit.kit)), election_id_, kit.kit, kit.tps, kit.label, kit.packed_at,
             JoinLines(kit.seals), readiness::EncodeReceived(kit.contents)});
      if (kits_.size() >= 100'000) kits_.clear();
      kits_[kit.kit] = kit;
    }
    for (const std::string& kit : posting.removed_kits) {
      Queue("kit-", "DELETE FROM ledger_kit WHERE election_id = $1 AND kit = $2", {election_id_, kit});
      kits_.erase(kit);
    }
    if (posting.closes_seq != 0) {
      Queue("received",
            "INSERT INTO ledger_status(seq, received_by) VALUES ($1, $2) ON CONFLICT (seq) DO UPDATE SET received_by = "
            "excluded.received_by",
            {posting.closes_seq, doc.id});
    }
    if (!posting.reopens.empty()) {
      Queue("reopened",
            "UPDATE ledger_status SET received_by = NULL WHERE seq = (SELECT seq FROM ledger_document WHERE id = $1)",
            {posting.reopens});
    }
    if (!posting.reverses.empty()) {
      Queue("reversed",
            "INSERT INTO ledger_status(seq, reversed_by) SELECT seq, $2 FROM ledger_document WHERE id = $1 "
            "ON CONFLICT (seq) DO UPDATE SET reversed_by = excluded.reversed_by",
            {posting.reverses, doc.id});
    }
    if (failure_) return *failure_;
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
  Status WriteAudit(const std::vector<PostOutcome>& outcomes, const AuditOfOutcome& audit,
                    const std::vector<access::AuditEntry>& also) {
    std::vector<int64_t> at;
    std::vector<std::string> actor, address, action, target, region, outcome, detail;
    auto add = [&](const access::AuditEntry& entry) {
      at.push_back(entry.at);
      actor.push_back(entry.actor);
      address.push_back(entry.address);
      action.push_back(entry.action);
      target.push_back(entry.target);
      region.push_back(entry.region);
      outcome.push_back(entry.outcome);
      detail.push_back(entry.detail);
    };
    for (size_t i = 0; audit && i < outcomes.size(); ++i) {
      if (const std::optional<access::AuditEntry> entry = audit(i, outcomes[i])) add(*entry);
    }
    for (const access::AuditEntry& entry : also) add(entry);
    if (at.empty()) return {};
    return conn_.Send("audit+",
                      "INSERT INTO audit(at, actor, address, action, target, region, outcome, detail) SELECT * FROM "
                      "unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
                      "$8::text[])",
                      {pg::IntArray(at), pg::TextArray(actor), pg::TextArray(address), pg::TextArray(action),
                       pg::TextArray(target), pg::TextArray(region), pg::TextArray(outcome), pg::TextArray(detail)},
                      "writing the audit trail");
  }

  // Writes the movement lines buffered since the last call, in one statement.
  Status WriteMovements() {
    if (movements_[0].empty()) return {};
    std::vector<pg::Value> arrays;
    for (const auto& column : movements_) arrays.push_back(pg::IntArray(column));
    RETURN_IF_ERROR(conn_.Send("move+",
                               "INSERT INTO ledger_movement(seq, line, from_id, to_id, article_id, quantity) "
                               "SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::bigint[], "
                               "$5::bigint[], $6::bigint[])",
                               arrays, "writing movement lines"));
    for (auto& column : movements_) column.clear();
    return {};
  }

  // Writes the movement lines, balances and TPS states the batch changed, and the clock: one statement each.
  Status Flush() {
    RETURN_IF_ERROR(WriteMovements());
    std::vector<int64_t> put_node, put_article, put_quantity, gone_node, gone_article;
    for (const auto& key : dirty_) {
      const int64_t quantity = balances_[key];
      (quantity == 0 ? gone_node : put_node).push_back(key.first);
      (quantity == 0 ? gone_article : put_article).push_back(key.second);
      if (quantity != 0) put_quantity.push_back(quantity);
    }
    dirty_.clear();
    if (!put_node.empty()) {
      RETURN_IF_ERROR(conn_.Send("balance=",
                                 "INSERT INTO ledger_balance(node_id, article_id, quantity) SELECT * FROM "
                                 "unnest($1::bigint[], $2::bigint[], $3::bigint[]) ON CONFLICT (node_id, "
                                 "article_id) DO UPDATE SET quantity = excluded.quantity",
                                 {pg::IntArray(put_node), pg::IntArray(put_article), pg::IntArray(put_quantity)},
                                 "writing balances"));
    }
    if (!gone_node.empty()) {
      RETURN_IF_ERROR(conn_.Send("balance-",
                                 "DELETE FROM ledger_balance WHERE (node_id, article_id) IN (SELECT * FROM "
                                 "unnest($1::bigint[], $2::bigint[]))",
                                 {pg::IntArray(gone_node), pg::IntArray(gone_article)}, "writing balances"));
    }
    if (!tps_changed_.empty()) {
      std::vector<std::vector<int64_t>> numbers(9);
      std::vector<std::string> codes, received;
      for (const std::string& code : tps_changed_) {
        const readiness::TpsState& s = tps_[code];
        codes.push_back(code);
        received.push_back(readiness::EncodeReceived(s.received));
        int k = 0;
        for (int64_t v :
             {geo::RegionKey(code), s.dispatched_at, s.first_received_at, int64_t{s.receipts}, int64_t{s.kits},
              int64_t{s.misrouted}, int64_t{s.unsealed}, int64_t{s.damaged}, int64_t{s.wrong_items}}) {
          numbers[k++].push_back(v);
        }
      }
      std::vector<pg::Value> params = {election_id_, head_seq_, pg::TextArray(codes), pg::TextArray(received)};
      for (const auto& column : numbers) params.push_back(pg::IntArray(column));
      RETURN_IF_ERROR(conn_.Send(
          "tps=",
          "INSERT INTO readiness_tps(election_id, seq, tps, received, tps_key, dispatched_at, first_received_at, "
          "receipts, kits, misrouted, unsealed, damaged, wrong_items) SELECT $1, $2, * FROM unnest($3::text[], "
          "$4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], "
          "$11::bigint[], $12::bigint[], $13::bigint[]) ON CONFLICT (election_id, tps_key) DO UPDATE SET "
          "dispatched_at = excluded.dispatched_at, first_received_at = excluded.first_received_at, receipts = "
          "excluded.receipts, kits = excluded.kits, misrouted = excluded.misrouted, unsealed = excluded.unsealed, "
          "damaged = excluded.damaged, wrong_items = excluded.wrong_items, received = excluded.received, seq = "
          "excluded.seq",
          params, "writing readiness"));
    }
    tps_.clear();
    tps_changed_.clear();
    if (clock_ > 0) {
      RETURN_IF_ERROR(conn_.Send("clock=",
                                 "INSERT INTO ledger_clock(election_id, at) VALUES ($1, $2) ON CONFLICT "
                                 "(election_id) DO UPDATE SET at = greatest(ledger_clock.at, excluded.at)",
                                 {election_id_, clock_}, "writing the ledger clock"));
      clock_ = 0;
    }
    // Keep the balance cache bounded across batches.
    if (balances_.size() > 4'000'000) balances_.clear();
    if (failure_) return *failure_;
    return {};
  }

  PgStore& store_;
  pg::Connection& conn_;
  const ledger::Catalog& catalog_;
  int64_t election_id_;
  std::optional<Error> failure_;
  std::unordered_map<std::string, int64_t> nodes_, articles_;
  std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> balances_;
  std::unordered_set<std::pair<int64_t, int64_t>, PairHash> dirty_;
  std::unordered_map<std::string, readiness::TpsState> tps_;  // the batch's TPS, as read and as posting changes them
  std::unordered_set<std::string> tps_changed_;
  std::unordered_map<std::string, ledger::Kit> kits_;
  std::unordered_map<std::string, std::optional<ledger::PostedDocument>> found_;  // read for this batch; none: absent
  std::array<std::vector<int64_t>, 6> movements_;  // movement lines not yet written: seq, line, from, to, article, n
  int64_t clock_ = 0;                              // the latest document time of the batch
  int64_t head_seq_ = -1;
  std::string head_hash_;
};

}  // namespace

Result<std::unique_ptr<LedgerSession>> PgStore::OpenLedger(const ledger::Catalog& catalog) {
  const int64_t election_id = TRY(ElectionId(catalog.election, true));
  return std::unique_ptr<LedgerSession>(std::make_unique<PgLedger>(*this, catalog, election_id));
}

Status PgStore::ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                                bool with_body) {
  std::vector<pg::Value> params;
  if (!election.empty()) params.push_back(election);
  return conn_->ForEachRow(
      DocumentColumns(with_body) + (election.empty() ? "" : "WHERE e.code = $1 ") + "ORDER BY d.seq", params,
      "reading documents", [&](const pg::Rows& r, int i) { return each(DocumentFromRow(r, i)); });
}

Status PgStore::ForEachMovement(const std::function<Status(const StoredMovement&)>& each) {
  return conn_->ForEachRow(
      "SELECT m.seq, m.line, coalesce(f.code, '?'), coalesce(t.code, '?'), coalesce(a.code, '?'), m.quantity "
      "FROM ledger_movement m LEFT JOIN ledger_node f ON f.id = m.from_id "
      "LEFT JOIN ledger_node t ON t.id = m.to_id LEFT JOIN ledger_article a ON a.id = m.article_id "
      "ORDER BY m.seq, m.line",
      {}, "reading movements", [&](const pg::Rows& r, int i) {
        return each({r.Int(i, 0), r.Int(i, 1), {r.Text(i, 2), r.Text(i, 3), r.Text(i, 4), r.Int(i, 5)}});
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
      [&](const pg::Rows& r, int i) { return each(r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Int(i, 3)); });
}

Result<StoredDocument> PgStore::FindDocument(std::string_view id) {
  const pg::Rows r =
      TRY(conn_->Query(DocumentColumns() + "WHERE d.id = $1", {id}, "reading document " + std::string(id)));
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
  const pg::Rows r = TRY(conn_->Query(
      DocumentColumns() + "WHERE e.code = $1 AND d.seq IN (SELECT seq FROM ledger_document WHERE node_id = "
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
                           "reading kits",
                           [&](const pg::Rows& r, int i) -> Status { return each(TRY(KitFromRow(r, i))); });
}

namespace {

constexpr const char* kTpsColumns =
    "SELECT r.tps, r.dispatched_at, r.first_received_at, r.receipts, r.kits, r.misrouted, r.unsealed, r.damaged, "
    "r.wrong_items, r.received, r.seq FROM readiness_tps r JOIN election e ON e.id = r.election_id ";

// A row of kTpsColumns to `each`.
Status EachTpsRow(const pg::Rows& r, int i,
                  const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) {
  readiness::TpsState state{
      {r.Int(i, 1), r.Int(i, 2), static_cast<int32_t>(r.Int(i, 3)), static_cast<int32_t>(r.Int(i, 4)),
       static_cast<int32_t>(r.Int(i, 5)), static_cast<int32_t>(r.Int(i, 6)), static_cast<int32_t>(r.Int(i, 7)),
       static_cast<int32_t>(r.Int(i, 8))},
      {}};
  state.received = TRY(readiness::DecodeReceived(r.Text(i, 9)));
  return each(r.Text(i, 0), state, r.Int(i, 10));
}

}  // namespace

Status PgStore::ForEachTpsState(std::string_view election, std::string_view prefix,
                                const std::function<Status(const std::string&, const readiness::TpsState&)>& each) {
  const auto [first, last] = TpsKeyRange(prefix);
  return conn_->ForEachRow(
      std::string(kTpsColumns) + "WHERE e.code = $1 AND r.tps_key >= $2 AND r.tps_key < $3 ORDER BY r.tps_key",
      {election, first, last}, "reading readiness", [&](const pg::Rows& r, int i) {
        return EachTpsRow(
            r, i, [&](const std::string& tps, const readiness::TpsState& state, int64_t) { return each(tps, state); });
      });
}

Status PgStore::ForEachTpsStateChangedAfter(
    std::string_view election, int64_t after_seq,
    const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) {
  return conn_->ForEachRow(std::string(kTpsColumns) + "WHERE e.code = $1 AND r.seq > $2 ORDER BY r.tps_key",
                           {election, after_seq}, "reading readiness",
                           [&](const pg::Rows& r, int i) { return EachTpsRow(r, i, each); });
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
