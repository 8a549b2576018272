// The ledger in SQLite: the ledger core's dialect (posting in durable batches, see store/ledger_core.h) and the reads
// that export and verify need.
#include <unordered_map>
#include <variant>

#include "store/common.h"
#include "store/ledger_core.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

namespace {

class SqliteRow final : public SqlRow {
 public:
  explicit SqliteRow(Statement& s) : s_(s) {}
  int64_t Int(int column) const override { return s_.Int(column); }
  std::string Text(int column) const override { return s_.Text(column); }

 private:
  Statement& s_;
};

}  // namespace

// The ledger core's statements on SQLite: each prepared once and stepped row by row, its $1, $2, ... bound by name.
// Reads are local and cheap, so nothing is read ahead.
class SqliteLedgerDialect final : public LedgerDialect {
 public:
  explicit SqliteLedgerDialect(SqliteStore& store) : store_(store), db_(store.db_) {}
  ~SqliteLedgerDialect() override { Rollback(); }

  // Durable commits: a posted document survives a power cut once Post returns. The WAL is checkpointed into the
  // database file every 64 MiB rather than every 4 MiB, so that pages the batches rewrite (balances, indexes) are
  // copied once, or not at all by this connection when a server checkpoints in the background (a commit that
  // checkpoints waits for the copy: ~100 ms at national scale); a 256 MiB page cache holds the national indexes' hot
  // pages; another importer's batch is waited for up to a minute.
  Status Setup() {
    const std::string sql = std::string("PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=") +
                            (store_.auto_checkpoint_ ? "16384" : "0") +
                            "; PRAGMA cache_size=-262144; PRAGMA busy_timeout=60000;";
    return store_.Exec(sql.c_str());
  }

  Status Begin() override {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return store_.LastError("starting to post documents");
    }
    open_ = true;
    return {};
  }
  Status Commit() override {
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return store_.LastError("committing documents");
    }
    open_ = false;
    return {};
  }
  void Rollback() override {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    open_ = false;
  }

  Status Run(const char* name, const char* sql, std::initializer_list<SqlValue> params, const RowFn& row) override {
    Prepared* p = TRY(Prepare(name, sql));
    int position = 0;
    for (const SqlValue& value : params) Bind(*p, position++, value);
    return Step(*p, name, row);
  }

  Status RunMany(const BulkSql& sql, std::initializer_list<SqlValue> fixed, const std::vector<SqlColumn>& columns,
                 const RowFn& row) override {
    Prepared* p = TRY(Prepare(sql.name, sql.each));
    const size_t rows = columns.empty() ? 0 : std::visit([](const auto& c) { return c.size(); }, columns[0]);
    for (size_t r = 0; r < rows; ++r) {
      int position = 0;
      for (const SqlValue& value : fixed) Bind(*p, position++, value);
      for (const SqlColumn& column : columns) {
        std::visit([&](const auto& values) { Bind(*p, position++, SqlValue(values[r])); }, column);
      }
      RETURN_IF_ERROR(Step(*p, sql.name, row));
    }
    return {};
  }

  bool ReadAhead() const override { return false; }

 private:
  struct Prepared {
    std::unique_ptr<Statement> statement;
    std::vector<int> index;  // the parameter index of $1, $2, ... (0: not in the statement)
  };

  Result<Prepared*> Prepare(const char* name, const char* sql) {
    auto it = statements_.find(name);
    if (it != statements_.end()) return &it->second;
    Prepared p{std::make_unique<Statement>(db_, sql, /*by_name=*/true), {}};
    if (!p.statement->ok()) return store_.LastError(std::string("preparing ") + name);
    const int count = sqlite3_bind_parameter_count(p.statement->get());
    std::string placeholder;
    for (int k = 1; k <= count; ++k) {
      placeholder = '$';
      placeholder += std::to_string(k);
      p.index.push_back(sqlite3_bind_parameter_index(p.statement->get(), placeholder.c_str()));
    }
    return &statements_.emplace(name, std::move(p)).first->second;
  }

  // Binds `value` to $`position + 1`; texts are bound without a copy (the statement is stepped before they go).
  static void Bind(Prepared& p, int position, const SqlValue& value) {
    if (position >= static_cast<int>(p.index.size()) || p.index[position] == 0) return;
    Statement& s = *p.statement;
    const int at = p.index[position];
    if (const auto* n = std::get_if<int64_t>(&value)) {
      s.Bind(at, *n);
    } else if (const auto* text = std::get_if<std::string_view>(&value)) {
      s.BindStatic(at, *text);
    } else {
      s.BindNull(at);
    }
  }

  Status Step(Prepared& p, const char* name, const RowFn& row) {
    Statement& s = *p.statement;
    Status status;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      if (row && !(status = row(SqliteRow(s))).ok()) break;
    }
    if (status.ok() && rc != SQLITE_DONE) status = store_.LastError(std::string("posting: ") + name);
    s.Reset();
    return status;
  }

  SqliteStore& store_;
  sqlite3* db_;
  std::unordered_map<std::string, Prepared> statements_;
  bool open_ = false;
};

Result<std::unique_ptr<LedgerSession>> SqliteStore::OpenLedger(const ledger::Catalog& catalog) {
  const int64_t election_id = TRY(ElectionId(catalog.election, true));
  auto dialect = std::make_unique<SqliteLedgerDialect>(*this);
  RETURN_IF_ERROR(dialect->Setup());
  return std::unique_ptr<LedgerSession>(std::make_unique<LedgerCore>(std::move(dialect), *this, catalog, election_id));
}

Status SqliteStore::ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                                    bool with_body) {
  Statement s(db_, DocumentColumns(with_body) + (election.empty() ? "" : "WHERE e.code = $1 ") + "ORDER BY d.seq");
  if (!election.empty()) s.Bind(1, election);
  return EachRow(s, "reading documents", [&](const SqlRow& r) { return each(DocumentFromRow(r)); });
}

Status SqliteStore::ForEachMovement(const std::function<Status(const StoredMovement&)>& each) {
  Statement s(db_, kSelectMovements);
  return EachRow(s, "reading movements", [&](const SqlRow& r) {
    return each({r.Int(0), r.Int(1), {r.Text(2), r.Text(3), r.Text(4), r.Int(5)}});
  });
}

Status SqliteStore::ForEachBalance(
    const std::function<Status(const std::string&, const std::string&, const std::string&, int64_t)>& each) {
  Statement s(db_, kSelectBalances);
  return EachRow(s, "reading balances", [&](const SqlRow& r) { return each(r.Text(0), r.Text(1), r.Text(2), r.Int(3)); });
}

Result<StoredDocument> SqliteStore::FindDocument(std::string_view id) {
  Statement s(db_, DocumentColumns() + "WHERE d.id = $1");
  s.Bind(1, id);
  std::optional<StoredDocument> found;
  RETURN_IF_ERROR(EachRow(s, "reading document " + std::string(id), [&](const SqlRow& r) -> Status {
    found = DocumentFromRow(r);
    return {};
  }));
  if (!found) return NotFound("there is no document " + std::string(id));
  return std::move(*found);
}

Result<std::vector<ledger::Movement>> SqliteStore::MovementsOf(std::string_view id) {
  Statement s(db_, kSelectMovementsOf);
  s.Bind(1, id);
  std::vector<ledger::Movement> out;
  RETURN_IF_ERROR(EachRow(s, "reading movements", [&](const SqlRow& r) -> Status {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
    return {};
  }));
  return out;
}

Result<std::vector<StoredDocument>> SqliteStore::DocumentsOfNode(std::string_view election, std::string_view node) {
  Statement s(db_, DocumentColumns() + kWhereDocumentsOfNode);
  s.Bind(1, election);
  s.Bind(2, node);
  std::vector<StoredDocument> out;
  RETURN_IF_ERROR(EachRow(s, "reading documents", [&](const SqlRow& r) -> Status {
    out.push_back(DocumentFromRow(r));
    return {};
  }));
  return out;
}

Result<std::optional<ledger::Kit>> SqliteStore::FindKit(std::string_view election, std::string_view id_or_label) {
  Statement s(db_, std::string(kSelectKits) + "WHERE e.code = $1 AND (k.kit = $2 OR k.label = $2)");
  s.Bind(1, election);
  s.Bind(2, id_or_label);
  std::optional<ledger::Kit> found;
  RETURN_IF_ERROR(EachRow(s, "reading kit " + std::string(id_or_label), [&](const SqlRow& r) -> Status {
    found = TRY(KitFromRow(r));
    return {};
  }));
  return found;
}

Status SqliteStore::ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) {
  Statement s(db_, std::string(kSelectKits) + "WHERE e.code = $1 ORDER BY k.kit");
  s.Bind(1, election);
  return EachRow(s, "reading kits", [&](const SqlRow& r) -> Status { return each(TRY(KitFromRow(r))); });
}

Status SqliteStore::ForEachTpsState(std::string_view election, std::string_view prefix,
                                    const std::function<Status(const std::string&, const readiness::TpsState&)>& each) {
  Statement s(db_, std::string(kSelectTpsStates) +
                       "WHERE e.code = $1 AND r.tps_key >= $2 AND r.tps_key < $3 ORDER BY r.tps_key");
  const auto [first, last] = TpsKeyRange(prefix);
  s.Bind(1, election);
  s.Bind(2, first);
  s.Bind(3, last);
  return EachRow(s, "reading readiness",
                 [&](const SqlRow& r) -> Status { return each(r.Text(0), TRY(TpsStateFromRow(r, 1))); });
}

Status SqliteStore::ForEachTpsStateChangedAfter(
    std::string_view election, int64_t after_seq,
    const std::function<Status(const std::string&, const readiness::TpsState&, int64_t)>& each) {
  Statement s(db_, std::string(kSelectTpsStates) + "WHERE e.code = $1 AND r.seq > $2 ORDER BY r.tps_key");
  s.Bind(1, election);
  s.Bind(2, after_seq);
  return EachRow(s, "reading readiness",
                 [&](const SqlRow& r) -> Status { return each(r.Text(0), TRY(TpsStateFromRow(r, 1)), r.Int(10)); });
}

Result<int64_t> SqliteStore::LedgerClock(std::string_view election) {
  Statement s(db_, kSelectLedgerClock);
  s.Bind(1, election);
  if (s.Step() != SQLITE_ROW) return LastError("reading the ledger clock");
  return s.Int(0);
}

Result<LedgerHead> SqliteStore::Head() {
  Statement s(db_, kSelectHead);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return LedgerHead{};
  if (rc != SQLITE_ROW) return LastError("reading the chain head");
  return LedgerHead{s.Int(0), s.Text(1)};
}

// Each row of `s` to `each`, until it returns an error.
Status SqliteStore::EachRow(Statement& s, std::string_view doing, const std::function<Status(const SqlRow&)>& each) {
  if (!s.ok()) return LastError(doing);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(each(SqliteRow(s)));
  if (rc != SQLITE_DONE) return LastError(doing);
  return {};
}

}  // namespace tepat::store
