// The ledger in SQLite: posting in durable batches with balances, kits, statuses and the per-TPS readiness
// projection written in the same transaction; and the reads that export and verify need.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/hash.h"
#include "ledger/memory_ledger.h"
#include "store/common.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

namespace {

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const {
    return std::hash<int64_t>()(p.first * 1000003 ^ p.second);
  }
};

}  // namespace

class SqliteLedger final : public LedgerSession {
 public:
  SqliteLedger(SqliteStore& store, const ledger::Catalog& catalog, int64_t election_id)
      : store_(store), db_(store.db_), catalog_(catalog), election_id_(election_id) {}

  int64_t Balance(const std::string& node, const std::string& article) override {
    const int64_t node_id = Lookup(nodes_, node, "SELECT id FROM ledger_node WHERE code = ?", false);
    const int64_t article_id =
        Lookup(articles_, article, "SELECT id FROM ledger_article WHERE election_id = ?1 AND code = ?2", false);
    if (node_id == 0 || article_id == 0) return 0;
    return BalanceById(node_id, article_id);
  }

  const ledger::Kit* FindKit(const std::string& kit) override {
    if (auto cached = kits_.find(kit); cached != kits_.end()) return &cached->second;
    Statement& s = Prepare("kit",
                           "SELECT kit, tps, label, packed_at, seals, contents FROM ledger_kit "
                           "WHERE election_id = ? AND kit = ?");
    s.Bind(1, election_id_);
    s.Bind(2, kit);
    const ledger::Kit* out = nullptr;
    if (s.Step() == SQLITE_ROW) {
      // The cache holds the kits of the last few regencies' handovers; it starts again when full.
      if (kits_.size() >= 100'000) kits_.clear();
      out = &kits_.emplace(kit, KitFromRow(s)).first->second;
    }
    s.Reset();
    return out;
  }

  bool LabelUsed(const std::string& label) override {
    Statement& s = Prepare("label", "SELECT 1 FROM ledger_kit WHERE election_id = ? AND label = ?");
    s.Bind(1, election_id_);
    s.Bind(2, label);
    const bool used = s.Step() == SQLITE_ROW;
    s.Reset();
    return used;
  }

  std::optional<ledger::PostedDocument> FindDocument(const std::string& id) override {
    Statement& s = Prepare("find",
                           "SELECT d.seq, d.kind, n.code, d.body_hash, d.hash, st.received_by, "
                           "st.reversed_by, d.body, e.code FROM ledger_document d "
                           "JOIN ledger_node n ON n.id = d.node_id JOIN election e ON e.id = d.election_id "
                           "LEFT JOIN ledger_status st ON st.seq = d.seq WHERE d.id = ?");
    s.Bind(1, id);
    std::optional<ledger::PostedDocument> out;
    if (s.Step() == SQLITE_ROW) {
      const ledger::DocKind kind = ledger::ParseDocKind(s.Text(1)).value_or(ledger::DocKind::kGoodsReceipt);
      ledger::PostedDocument p;
      if (kind == ledger::DocKind::kDispatch || kind == ledger::DocKind::kReplacementRequest) {
        Result<ledger::Document> doc = ledger::ParseDocument("ledger", s.Text(7));
        if (doc.ok()) p = ledger::Summarize(doc.value(), s.Text(3), s.Text(4), s.Int(0));
      } else {
        p.seq = s.Int(0);
        p.id = id;
        p.node = s.Text(2);
        p.body_hash = s.Text(3);
        p.hash = s.Text(4);
        p.kind = kind;
      }
      p.received_by = s.Text(5);
      p.reversed_by = s.Text(6);
      p.election = s.Text(8);
      out = std::move(p);
    }
    s.Reset();
    return out;
  }

  Result<std::vector<ledger::Movement>> MovementsOf(const std::string& id) override { return store_.MovementsOf(id); }

  Result<ledger::Document> LoadDocument(const std::string& id) override {
    StoredDocument doc = TRY(store_.FindDocument(id));
    return ledger::ParseDocument("ledger", doc.body);
  }

  Result<std::vector<PostOutcome>> Post(const std::vector<ledger::Document>& documents,
                                        const std::vector<std::string>& where, const AuditOfOutcome& audit,
                                        const std::vector<access::AuditEntry>& also) override {
    Transaction txn(db_);
    if (!txn.ok()) return store_.LastError("starting to post documents");
    Result<std::vector<PostOutcome>> result = PostInTransaction(documents, where);
    if (result.ok()) AttachStates(result.value(), tps_, head_seq_);
    if (result.ok()) {
      if (Status written = WriteAudit(result.value(), audit, also); !written.ok()) result = written.error();
    }
    if (result.ok() && !Flush().ok()) result = store_.LastError("writing balances");
    if (result.ok() && !txn.Commit()) result = store_.LastError("committing documents");
    if (!result.ok()) {
      // Ids created in the rolled-back transaction are gone too.
      nodes_.clear();
      articles_.clear();
      balances_.clear();
      kits_.clear();
      dirty_.clear();
      tps_.clear();
      clock_ = 0;
      head_seq_ = -1;
    }
    return result;
  }

  Status Setup() {
    // Durable commits: a posted document survives a power cut once Post returns. The WAL is checkpointed into the
    // database file every 64 MiB rather than every 4 MiB, so that pages the batches rewrite (balances, indexes) are
    // copied once, or not at all by this connection when a server checkpoints in the background (a commit that
    // checkpoints waits for the copy: ~100 ms at national scale); a 256 MiB page cache holds the national indexes'
    // hot pages; another importer's batch is waited for up to a minute.
    const std::string sql = std::string("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=") +
                            (store_.auto_checkpoint_ ? "16384" : "0") +
                            "; PRAGMA cache_size=-262144; PRAGMA busy_timeout=60000;";
    return store_.Exec(sql.c_str());
  }

 private:
  Statement& Prepare(const std::string& name, const char* sql) {
    auto it = statements_.find(name);
    if (it == statements_.end()) it = statements_.emplace(name, std::make_unique<Statement>(db_, sql)).first;
    return *it->second;
  }

  // The id of a node or article code; created when `create` is set, otherwise 0 when unknown.
  int64_t Lookup(std::unordered_map<std::string, int64_t>& cache, const std::string& code, const char* select,
                 bool create) {
    auto it = cache.find(code);
    if (it != cache.end()) return it->second;
    const bool article = &cache == &articles_;
    Statement& s = Prepare(select, select);
    if (article) {
      s.Bind(1, election_id_);
      s.Bind(2, code);
    } else {
      s.Bind(1, code);
    }
    int64_t id = 0;
    if (s.Step() == SQLITE_ROW) id = s.Int(0);
    s.Reset();
    if (id == 0 && create) {
      Statement& insert = article ? Prepare("article+", "INSERT INTO ledger_article(election_id, code) VALUES (?, ?)")
                                  : Prepare("node+", "INSERT INTO ledger_node(code) VALUES (?)");
      if (article) {
        insert.Bind(1, election_id_);
        insert.Bind(2, code);
      } else {
        insert.Bind(1, code);
      }
      if (insert.Step() == SQLITE_DONE) id = sqlite3_last_insert_rowid(db_);
      insert.Reset();
    }
    if (id != 0) cache.emplace(code, id);
    return id;
  }
  int64_t NodeId(const std::string& code) {
    return Lookup(nodes_, code, "SELECT id FROM ledger_node WHERE code = ?", true);
  }
  int64_t ArticleId(const std::string& code) {
    return Lookup(articles_, code, "SELECT id FROM ledger_article WHERE election_id = ?1 AND code = ?2", true);
  }

  int64_t BalanceById(int64_t node_id, int64_t article_id) {
    auto key = std::make_pair(node_id, article_id);
    auto it = balances_.find(key);
    if (it != balances_.end()) return it->second;
    Statement& s = Prepare("balance", "SELECT quantity FROM ledger_balance WHERE node_id = ? AND article_id = ?");
    s.Bind(1, node_id);
    s.Bind(2, article_id);
    const int64_t quantity = s.Step() == SQLITE_ROW ? s.Int(0) : 0;
    s.Reset();
    balances_.emplace(key, quantity);
    return quantity;
  }

  ledger::Kit KitFromRow(Statement& s) {
    ledger::Kit kit{s.Text(0), s.Text(1), s.Text(2), s.Text(3), SplitLines(s.Text(4)), {}};
    if (auto contents = readiness::DecodeReceived(s.Text(5)); contents.ok()) kit.contents = contents.value();
    return kit;
  }

  readiness::TpsState& TpsState(const std::string& tps) {
    auto it = tps_.find(tps);
    if (it != tps_.end()) return it->second;
    readiness::TpsState state;
    Statement& s = Prepare("tps",
                           "SELECT dispatched_at, first_received_at, receipts, kits, misrouted, unsealed, "
                           "damaged, wrong_items, received FROM readiness_tps WHERE election_id = ? AND tps_key = ?");
    s.Bind(1, election_id_);
    s.Bind(2, geo::RegionKey(tps));
    if (s.Step() == SQLITE_ROW) {
      state = {{s.Int(0), s.Int(1), static_cast<int32_t>(s.Int(2)), static_cast<int32_t>(s.Int(3)),
                static_cast<int32_t>(s.Int(4)), static_cast<int32_t>(s.Int(5)), static_cast<int32_t>(s.Int(6)),
                static_cast<int32_t>(s.Int(7))},
               {}};
      if (auto received = readiness::DecodeReceived(s.Text(8)); received.ok()) state.received = received.value();
    }
    s.Reset();
    return tps_.emplace(tps, std::move(state)).first->second;
  }

  // Checks that no one else has written since the caches were filled; drops them otherwise.
  Status SyncHead() {
    Statement& s = Prepare("head", "SELECT seq, hash FROM ledger_document ORDER BY seq DESC LIMIT 1");
    int64_t seq = 0;
    std::string hash;
    if (s.Step() == SQLITE_ROW) {
      seq = s.Int(0);
      hash = s.Text(1);
    }
    s.Reset();
    if (seq != head_seq_) {
      balances_.clear();
      kits_.clear();
      head_seq_ = seq;
      head_hash_ = hash;
    }
    return {};
  }

  Result<std::vector<PostOutcome>> PostInTransaction(const std::vector<ledger::Document>& documents,
                                                     const std::vector<std::string>& where) {
    RETURN_IF_ERROR(SyncHead());
    return PlanBatch(documents, where, catalog_, *this,
                     [this](const ledger::Document& doc, const std::string& body, const std::string& body_hash,
                            const ledger::Posting& posting) { return Write(doc, body, body_hash, posting); });
  }

  // Writes a planned document at the head of the chain; its seq and hash.
  Result<std::pair<int64_t, std::string>> Write(const ledger::Document& doc, const std::string& body,
                                                const std::string& body_hash, const ledger::Posting& posting) {
    const int64_t seq = head_seq_ + 1;
    const std::string hash = ledger::ChainHash(head_hash_, body_hash);
    Statement& insert = Prepare("doc+",
                                "INSERT INTO ledger_document(seq, id, election_id, kind, node_id, to_node_id, "
                                "at, body, body_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(1, seq);
    insert.Bind(2, doc.id);
    insert.Bind(3, election_id_);
    insert.Bind(4, ledger::DocKindName(doc.kind));
    insert.Bind(5, NodeId(doc.node));
    // The counterpart: where a dispatch goes, where a receipt's goods came from (and refused ones go back to).
    if (doc.kind == ledger::DocKind::kDispatch || doc.kind == ledger::DocKind::kReceipt) {
      insert.Bind(6, NodeId(doc.kind == ledger::DocKind::kDispatch ? doc.to : doc.from));
    } else {
      insert.BindNull(6);
    }
    insert.Bind(7, doc.at_seconds);
    insert.BindStatic(8, body);
    insert.BindStatic(9, body_hash);
    insert.BindStatic(10, hash);
    const int rc = insert.Step();
    insert.Reset();
    if (rc != SQLITE_DONE) return store_.LastError("writing document " + doc.id);

    Statement& line = Prepare("move+",
                              "INSERT INTO ledger_movement(seq, line, from_id, to_id, article_id, quantity) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < posting.movements.size(); ++i) {
      const ledger::Movement& m = posting.movements[i];
      const int64_t from = NodeId(m.from), to = NodeId(m.to), article = ArticleId(m.article);
      line.Bind(1, seq);
      line.Bind(2, static_cast<int64_t>(i));
      line.Bind(3, from);
      line.Bind(4, to);
      line.Bind(5, article);
      line.Bind(6, m.quantity);
      const int line_rc = line.Step();
      line.Reset();
      if (line_rc != SQLITE_DONE) return store_.LastError("writing the movements of " + doc.id);
      for (const auto& [node, change] : {std::pair{from, -m.quantity}, std::pair{to, m.quantity}}) {
        BalanceById(node, article);
        balances_[{node, article}] += change;
        dirty_.emplace(node, article);
      }
    }
    for (const ledger::Kit& kit : posting.new_kits) {
      Statement& s = Prepare("kit+",
                             "INSERT INTO ledger_kit(article_id, election_id, kit, tps, label, packed_at, "
                             "seals, contents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      s.Bind(1, ArticleId(ledger::KitArticle(kit.kit)));
      s.Bind(2, election_id_);
      s.Bind(3, kit.kit);
      s.Bind(4, kit.tps);
      s.Bind(5, kit.label);
      s.Bind(6, kit.packed_at);
      s.Bind(7, JoinLines(kit.seals));
      s.Bind(8, readiness::EncodeReceived(kit.contents));
      const int kit_rc = s.Step();
      s.Reset();
      if (kit_rc != SQLITE_DONE) return store_.LastError("writing kit " + kit.kit);
      if (kits_.size() >= 100'000) kits_.clear();
      kits_[kit.kit] = kit;
    }
    for (const std::string& kit : posting.removed_kits) {
      Statement& s = Prepare("kit-", "DELETE FROM ledger_kit WHERE election_id = ? AND kit = ?");
      s.Bind(1, election_id_);
      s.Bind(2, kit);
      const int kit_rc = s.Step();
      s.Reset();
      if (kit_rc != SQLITE_DONE) return store_.LastError("removing kit " + kit);
      kits_.erase(kit);
    }
    auto status = [&](const char* name, const char* sql, const std::string& target, const char* value) -> Status {
      Statement& s = Prepare(name, sql);
      s.Bind(1, target);
      if (value) {
        s.Bind(2, std::string_view(value));
      }
      const int status_rc = s.Step();
      s.Reset();
      if (status_rc != SQLITE_DONE) return store_.LastError("updating the status of " + target);
      return {};
    };
    if (posting.closes_seq != 0) {
      Statement& received = Prepare("received",
                                    "INSERT INTO ledger_status(seq, received_by) VALUES (?, ?) ON "
                                    "CONFLICT(seq) DO UPDATE SET received_by = excluded.received_by");
      received.Bind(1, posting.closes_seq);
      received.Bind(2, doc.id);
      const int received_rc = received.Step();
      received.Reset();
      if (received_rc != SQLITE_DONE) return store_.LastError("updating the status of " + posting.closes);
    }
    if (!posting.reopens.empty()) {
      RETURN_IF_ERROR(status("reopened",
                             "UPDATE ledger_status SET received_by = NULL WHERE seq = (SELECT seq FROM "
                             "ledger_document WHERE id = ?1)",
                             posting.reopens, nullptr));
    }
    if (!posting.reverses.empty()) {
      RETURN_IF_ERROR(status("reversed",
                             "INSERT INTO ledger_status(seq, reversed_by) SELECT seq, ?2 FROM "
                             "ledger_document WHERE id = ?1 ON CONFLICT(seq) DO UPDATE SET "
                             "reversed_by = excluded.reversed_by",
                             posting.reverses, doc.id.c_str()));
    }
    for (const ledger::TpsEffect& effect : posting.effects) readiness::ApplyEffect(TpsState(effect.tps), effect);
    head_seq_ = seq;
    head_hash_ = hash;
    clock_ = std::max(clock_, doc.at_seconds);
    return std::pair{seq, hash};
  }

  // Writes the audit entry of each outcome that has one, and those of `also`.
  Status WriteAudit(const std::vector<PostOutcome>& outcomes, const AuditOfOutcome& audit,
                    const std::vector<access::AuditEntry>& also) {
    Statement& insert = Prepare("audit+", SqliteStore::kInsertAudit);
    for (size_t i = 0; audit && i < outcomes.size(); ++i) {
      if (const std::optional<access::AuditEntry> entry = audit(i, outcomes[i])) {
        RETURN_IF_ERROR(store_.WriteAudit(insert, *entry));
      }
    }
    for (const access::AuditEntry& entry : also) RETURN_IF_ERROR(store_.WriteAudit(insert, entry));
    return {};
  }

  // Writes the balances and TPS states the batch changed.
  Status Flush() {
    Statement& put = Prepare("balance=",
                             "INSERT INTO ledger_balance(node_id, article_id, quantity) VALUES (?, ?, ?) "
                             "ON CONFLICT(node_id, article_id) DO UPDATE SET quantity = excluded.quantity");
    Statement& remove = Prepare("balance-", "DELETE FROM ledger_balance WHERE node_id = ? AND article_id = ?");
    for (const auto& key : dirty_) {
      const int64_t quantity = balances_[key];
      Statement& s = quantity == 0 ? remove : put;
      s.Bind(1, key.first);
      s.Bind(2, key.second);
      if (quantity != 0) s.Bind(3, quantity);
      const int rc = s.Step();
      s.Reset();
      if (rc != SQLITE_DONE) return store_.LastError("writing a balance");
    }
    dirty_.clear();
    Statement& tps = Prepare("tps=",
                             "INSERT OR REPLACE INTO readiness_tps(election_id, tps_key, tps, dispatched_at, "
                             "first_received_at, receipts, kits, misrouted, unsealed, damaged, wrong_items, "
                             "received, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& [code, s] : tps_) {
      tps.Bind(1, election_id_);
      tps.Bind(2, geo::RegionKey(code));
      tps.Bind(3, code);
      tps.Bind(4, s.dispatched_at);
      tps.Bind(5, s.first_received_at);
      tps.Bind(6, s.receipts);
      tps.Bind(7, s.kits);
      tps.Bind(8, s.misrouted);
      tps.Bind(9, s.unsealed);
      tps.Bind(10, s.damaged);
      tps.Bind(11, s.wrong_items);
      tps.Bind(12, readiness::EncodeReceived(s.received));
      tps.Bind(13, head_seq_);
      const int rc = tps.Step();
      tps.Reset();
      if (rc != SQLITE_DONE) return store_.LastError("writing the readiness of TPS " + code);
    }
    tps_.clear();
    if (clock_ > 0) {
      Statement& clock = Prepare("clock=",
                                 "INSERT INTO ledger_clock(election_id, at) VALUES (?, ?) ON CONFLICT("
                                 "election_id) DO UPDATE SET at = max(at, excluded.at)");
      clock.Bind(1, election_id_);
      clock.Bind(2, clock_);
      const int rc = clock.Step();
      clock.Reset();
      if (rc != SQLITE_DONE) return store_.LastError("writing the ledger clock");
      clock_ = 0;
    }
    // Keep the balance cache bounded across batches.
    if (balances_.size() > 4'000'000) balances_.clear();
    return {};
  }

  SqliteStore& store_;
  sqlite3* db_;
  const ledger::Catalog& catalog_;
  int64_t election_id_;
  std::map<std::string, std::unique_ptr<Statement>> statements_;
  std::unordered_map<std::string, int64_t> nodes_, articles_;
  std::unordered_map<std::pair<int64_t, int64_t>, int64_t, PairHash> balances_;
  std::unordered_set<std::pair<int64_t, int64_t>, PairHash> dirty_;
  std::unordered_map<std::string, readiness::TpsState> tps_;
  std::unordered_map<std::string, ledger::Kit> kits_;
  int64_t clock_ = 0;  // the latest document time of the batch
  int64_t head_seq_ = -1;
  std::string head_hash_;
};

Result<std::unique_ptr<LedgerSession>> SqliteStore::OpenLedger(const ledger::Catalog& catalog) {
  const int64_t election_id = TRY(ElectionId(catalog.election, true));
  auto session = std::make_unique<SqliteLedger>(*this, catalog, election_id);
  RETURN_IF_ERROR(session->Setup());
  return std::unique_ptr<LedgerSession>(std::move(session));
}

namespace {

StoredDocument DocumentFromRow(Statement& s) {
  return {s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5), s.Text(6), s.Text(7), s.Text(8), s.Text(9)};
}

}  // namespace

Status SqliteStore::ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                                    bool with_body) {
  Statement s(db_, DocumentColumns(with_body) + (election.empty() ? "" : "WHERE e.code = ? ") + "ORDER BY d.seq");
  if (!election.empty()) s.Bind(1, election);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(each(DocumentFromRow(s)));
  if (rc != SQLITE_DONE) return LastError("reading documents");
  return {};
}

Status SqliteStore::ForEachMovement(const std::function<Status(const StoredMovement&)>& each) {
  Statement s(db_,
              "SELECT m.seq, m.line, coalesce(f.code, '?'), coalesce(t.code, '?'), coalesce(a.code, '?'), m.quantity "
              "FROM ledger_movement m LEFT JOIN ledger_node f ON f.id = m.from_id "
              "LEFT JOIN ledger_node t ON t.id = m.to_id LEFT JOIN ledger_article a ON a.id = m.article_id "
              "ORDER BY m.seq, m.line");
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    RETURN_IF_ERROR(each({s.Int(0), s.Int(1), {s.Text(2), s.Text(3), s.Text(4), s.Int(5)}}));
  }
  if (rc != SQLITE_DONE) return LastError("reading movements");
  return {};
}

Status SqliteStore::ForEachBalance(
    const std::function<Status(const std::string&, const std::string&, const std::string&, int64_t)>& each) {
  Statement s(db_,
              "SELECT coalesce(e.code, ''), coalesce(n.code, 'node #' || b.node_id), "
              "coalesce(a.code, 'article #' || b.article_id), b.quantity FROM ledger_balance b "
              "LEFT JOIN ledger_node n ON n.id = b.node_id LEFT JOIN ledger_article a ON a.id = b.article_id "
              "LEFT JOIN election e ON e.id = a.election_id");
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(each(s.Text(0), s.Text(1), s.Text(2), s.Int(3)));
  if (rc != SQLITE_DONE) return LastError("reading balances");
  return {};
}

Result<StoredDocument> SqliteStore::FindDocument(std::string_view id) {
  Statement s(db_, DocumentColumns() + "WHERE d.id = ?");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return DocumentFromRow(s);
  if (rc == SQLITE_DONE) return NotFound("there is no document " + std::string(id));
  return LastError("reading document " + std::string(id));
}

Result<std::vector<ledger::Movement>> SqliteStore::MovementsOf(std::string_view id) {
  Statement s(db_,
              "SELECT f.code, t.code, a.code, m.quantity FROM ledger_movement m "
              "JOIN ledger_node f ON f.id = m.from_id JOIN ledger_node t ON t.id = m.to_id "
              "JOIN ledger_article a ON a.id = m.article_id "
              "WHERE m.seq = (SELECT seq FROM ledger_document WHERE id = ?) ORDER BY m.line");
  s.Bind(1, id);
  std::vector<ledger::Movement> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Int(3)});
  if (rc != SQLITE_DONE) return LastError("reading movements");
  return out;
}

Result<std::vector<StoredDocument>> SqliteStore::DocumentsOfNode(std::string_view election, std::string_view node) {
  Statement s(db_, DocumentColumns() +
                       "WHERE e.code = ?1 AND d.seq IN (SELECT seq FROM ledger_document WHERE node_id = "
                       "(SELECT id FROM ledger_node WHERE code = ?2) UNION SELECT seq FROM ledger_document WHERE "
                       "to_node_id = (SELECT id FROM ledger_node WHERE code = ?2)) ORDER BY d.seq");
  s.Bind(1, election);
  s.Bind(2, node);
  std::vector<StoredDocument> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(DocumentFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading documents");
  return out;
}

Result<std::optional<ledger::Kit>> SqliteStore::FindKit(std::string_view election, std::string_view id_or_label) {
  Statement s(db_,
              "SELECT k.kit, k.tps, k.label, k.packed_at, k.seals, k.contents FROM ledger_kit k "
              "JOIN election e ON e.id = k.election_id WHERE e.code = ?1 AND (k.kit = ?2 OR k.label = ?2)");
  s.Bind(1, election);
  s.Bind(2, id_or_label);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<ledger::Kit>();
  if (rc != SQLITE_ROW) return LastError("reading kit " + std::string(id_or_label));
  ledger::Kit kit{s.Text(0), s.Text(1), s.Text(2), s.Text(3), SplitLines(s.Text(4)), {}};
  kit.contents = TRY(readiness::DecodeReceived(s.Text(5)));
  return std::optional<ledger::Kit>(std::move(kit));
}

Status SqliteStore::ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) {
  Statement s(db_,
              "SELECT k.kit, k.tps, k.label, k.packed_at, k.seals, k.contents FROM ledger_kit k "
              "JOIN election e ON e.id = k.election_id WHERE e.code = ? ORDER BY k.kit");
  s.Bind(1, election);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    ledger::Kit kit{s.Text(0), s.Text(1), s.Text(2), s.Text(3), SplitLines(s.Text(4)), {}};
    kit.contents = TRY(readiness::DecodeReceived(s.Text(5)));
    RETURN_IF_ERROR(each(kit));
  }
  if (rc != SQLITE_DONE) return LastError("reading kits");
  return {};
}

namespace {

// The rows of readiness_tps a bound statement selects, to `each`; `failed` makes the error of a failed step.
Status ForEachTpsRow(Statement& s,
                     const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each,
                     const std::function<Error()>& failed) {
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    readiness::TpsState state{{s.Int(1), s.Int(2), static_cast<int32_t>(s.Int(3)), static_cast<int32_t>(s.Int(4)),
                               static_cast<int32_t>(s.Int(5)), static_cast<int32_t>(s.Int(6)),
                               static_cast<int32_t>(s.Int(7)), static_cast<int32_t>(s.Int(8))},
                              {}};
    state.received = TRY(readiness::DecodeReceived(s.Text(9)));
    RETURN_IF_ERROR(each(s.Text(0), state, s.Int(10)));
  }
  return rc == SQLITE_DONE ? Status() : Status(failed());
}

constexpr const char* kTpsColumns =
    "SELECT r.tps, r.dispatched_at, r.first_received_at, r.receipts, r.kits, r.misrouted, r.unsealed, r.damaged, "
    "r.wrong_items, r.received, r.seq FROM readiness_tps r JOIN election e ON e.id = r.election_id ";

}  // namespace

Status SqliteStore::ForEachTpsState(std::string_view election, std::string_view prefix,
                                    const std::function<Status(const std::string&, const readiness::TpsState&)>& each) {
  Statement s(db_,
              std::string(kTpsColumns) + "WHERE e.code = ? AND r.tps_key >= ? AND r.tps_key < ? ORDER BY r.tps_key");
  const auto [first, last] = TpsKeyRange(prefix);
  s.Bind(1, election);
  s.Bind(2, first);
  s.Bind(3, last);
  return ForEachTpsRow(
      s, [&](const std::string& tps, const readiness::TpsState& state, int64_t) { return each(tps, state); },
      [this] { return LastError("reading readiness"); });
}

Status SqliteStore::ForEachTpsStateChangedAfter(
    std::string_view election, int64_t after_seq,
    const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) {
  Statement s(db_, std::string(kTpsColumns) + "WHERE e.code = ? AND r.seq > ? ORDER BY r.tps_key");
  s.Bind(1, election);
  s.Bind(2, after_seq);
  return ForEachTpsRow(s, each, [this] { return LastError("reading readiness"); });
}

Result<int64_t> SqliteStore::LedgerClock(std::string_view election) {
  Statement s(db_,
              "SELECT coalesce(max(c.at), 0) FROM ledger_clock c JOIN election e ON e.id = c.election_id "
              "WHERE e.code = ?");
  s.Bind(1, election);
  if (s.Step() != SQLITE_ROW) return LastError("reading the ledger clock");
  return s.Int(0);
}

Result<LedgerHead> SqliteStore::Head() {
  Statement s(db_, "SELECT seq, hash FROM ledger_document ORDER BY seq DESC LIMIT 1");
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return LedgerHead{};
  if (rc != SQLITE_ROW) return LastError("reading the chain head");
  return LedgerHead{s.Int(0), s.Text(1)};
}

}  // namespace tepat::store
