// Accounts, sessions and the append-only audit trail in SQLite. Every change is one transaction with its audit entry.
#include "store/common.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace tepat::store {

namespace {

constexpr const char* kAccountColumns =
    "SELECT id, username, role, scope, password_hash, disabled, created_at FROM account ";

access::Account AccountFromRow(Statement& s) {
  return {s.Int(0),      s.Text(1), access::ParseRole(s.Text(2)).value_or(access::Role::kPublic), s.Text(3), s.Text(4),
          s.Int(5) != 0, s.Int(6)};
}

}  // namespace

Status SqliteStore::WriteAudit(const access::AuditEntry& audit) {
  Statement insert(db_, kInsertAudit);
  insert.Bind(1, audit.at);
  insert.Bind(2, audit.actor);
  insert.Bind(3, audit.address);
  insert.Bind(4, audit.action);
  insert.Bind(5, audit.target);
  insert.Bind(6, audit.region);
  insert.Bind(7, audit.outcome);
  insert.Bind(8, audit.detail);
  if (insert.Step() != SQLITE_DONE) return LastError("writing the audit trail");
  return {};
}

Status SqliteStore::AppendAudit(const access::AuditEntry& audit) {
  return AppendAudit(std::vector<access::AuditEntry>{audit});
}

Status SqliteStore::AppendAudit(const std::vector<access::AuditEntry>& entries) {
  if (entries.empty()) return {};
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  for (const access::AuditEntry& audit : entries) RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing the audit trail");
  return {};
}

Result<int64_t> SqliteStore::AddAccount(const access::Account& account, const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  Statement s(db_,
              "INSERT INTO account(username, role, scope, password_hash, disabled, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(username) DO NOTHING");
  s.Bind(1, account.username);
  s.Bind(2, access::RoleName(account.role));
  s.Bind(3, account.scope);
  s.Bind(4, account.password_hash);
  s.Bind(5, int64_t{account.disabled});
  s.Bind(6, account.created_at);
  if (s.Step() != SQLITE_DONE) return LastError("adding account " + account.username);
  if (sqlite3_changes(db_) == 0) {
    return Error(ErrorKind::kConflict, "there is already an account named " + account.username);
  }
  const int64_t id = sqlite3_last_insert_rowid(db_);
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing account " + account.username);
  return id;
}

Status SqliteStore::UpdateAccount(const access::Account& account, bool end_sessions, const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  Statement s(db_, "UPDATE account SET role = ?, scope = ?, password_hash = ?, disabled = ? WHERE id = ?");
  s.Bind(1, access::RoleName(account.role));
  s.Bind(2, account.scope);
  s.Bind(3, account.password_hash);
  s.Bind(4, int64_t{account.disabled});
  s.Bind(5, account.id);
  if (s.Step() != SQLITE_DONE) return LastError("updating account " + account.username);
  if (sqlite3_changes(db_) == 0) return NotFound("there is no account named " + account.username);
  if (end_sessions) {
    Statement end(db_, "DELETE FROM account_session WHERE account_id = ?");
    end.Bind(1, account.id);
    if (end.Step() != SQLITE_DONE) return LastError("ending the sessions of " + account.username);
  }
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing account " + account.username);
  return {};
}

Result<std::optional<access::Account>> SqliteStore::FindAccount(std::string_view username) {
  Statement s(db_, std::string(kAccountColumns) + "WHERE username = ?");
  s.Bind(1, username);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<access::Account>(AccountFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading account " + std::string(username));
  return std::optional<access::Account>();
}

Result<std::optional<access::Account>> SqliteStore::FindAccountById(int64_t id) {
  Statement s(db_, std::string(kAccountColumns) + "WHERE id = ?");
  s.Bind(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return std::optional<access::Account>(AccountFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading an account");
  return std::optional<access::Account>();
}

Result<std::vector<access::Account>> SqliteStore::ListAccounts() {
  Statement s(db_, std::string(kAccountColumns) + "ORDER BY username");
  std::vector<access::Account> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(AccountFromRow(s));
  if (rc != SQLITE_DONE) return LastError("reading accounts");
  return out;
}

Status SqliteStore::SaveSession(const access::Session& session, const access::AuditEntry& audit) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  Statement s(db_,
              "INSERT INTO account_session(token_hash, account_id, created_at, expires_at, address) "
              "VALUES (?, ?, ?, ?, ?)");
  s.Bind(1, session.token_hash);
  s.Bind(2, session.account);
  s.Bind(3, session.created_at);
  s.Bind(4, session.expires_at);
  s.Bind(5, session.address);
  if (s.Step() != SQLITE_DONE) return LastError("starting a session");
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing a session");
  return {};
}

Result<std::optional<access::Session>> SqliteStore::FindSession(std::string_view token_hash, int64_t now) {
  Statement s(db_,
              "SELECT token_hash, account_id, created_at, expires_at, address FROM account_session "
              "WHERE token_hash = ? AND expires_at > ?");
  s.Bind(1, token_hash);
  s.Bind(2, now);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) {
    return std::optional<access::Session>(access::Session{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4)});
  }
  if (rc != SQLITE_DONE) return LastError("reading a session");
  return std::optional<access::Session>();
}

Status SqliteStore::EndSession(std::string_view token_hash, const access::AuditEntry& audit, int64_t now) {
  Transaction txn(db_);
  if (!txn.ok()) return LastError("starting a transaction");
  Statement s(db_, "DELETE FROM account_session WHERE token_hash = ? OR expires_at <= ?");
  s.Bind(1, token_hash);
  s.Bind(2, now);
  if (s.Step() != SQLITE_DONE) return LastError("ending a session");
  RETURN_IF_ERROR(WriteAudit(audit));
  if (!txn.Commit()) return LastError("committing the end of a session");
  return {};
}

Result<std::vector<access::AuditEntry>> SqliteStore::ReadAudit(bool scoped, std::string_view scope,
                                                               std::string_view action, int64_t before, int limit) {
  // A scope matches its own region and everything below it: "35.78" → "35.78" and "35.78.%". One action is read
  // through the index on (action, seq).
  Statement s(db_, std::string("SELECT seq, at, actor, address, action, target, region, outcome, detail FROM audit "
                               "WHERE (?1 = 0 OR seq < ?1) AND (?2 = 0 OR ?3 = '' OR region = ?3 OR region LIKE ?3 || "
                               "'.%') ") +
                       (action.empty() ? "" : "AND action = ?5 ") + "ORDER BY seq DESC LIMIT ?4");
  s.Bind(1, before);
  s.Bind(2, int64_t{scoped});
  s.Bind(3, scope);
  s.Bind(4, int64_t{limit});
  if (!action.empty()) s.Bind(5, action);
  std::vector<access::AuditEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7), s.Text(8)});
  }
  if (rc != SQLITE_DONE) return LastError("reading the audit trail");
  return out;
}

}  // namespace tepat::store
