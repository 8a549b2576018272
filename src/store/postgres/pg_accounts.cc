// Accounts, sessions and the append-only audit trail in PostgreSQL. Every change is one transaction with its audit
// entry.
#include "store/common.h"
#include "store/postgres/pg_store.h"

namespace tepat::store {

namespace {

constexpr const char* kAccountColumns =
    "SELECT id, username, role, scope, password_hash, disabled, created_at FROM account ";

access::Account AccountFromRow(const pg::Rows& r, int row) {
  return {r.Int(row, 0),  r.Text(row, 1), access::ParseRole(r.Text(row, 2)).value_or(access::Role::kPublic),
          r.Text(row, 3), r.Text(row, 4), r.Int(row, 5) != 0,
          r.Int(row, 6)};
}

}  // namespace

Status PgStore::WriteAudit(const access::AuditEntry& audit) {
  RETURN_IF_ERROR(conn_->Query(
      kInsertAudit,
      {audit.at, audit.actor, audit.address, audit.action, audit.target, audit.region, audit.outcome, audit.detail},
      "writing the audit trail"));
  return {};
}

Status PgStore::AppendAudit(const access::AuditEntry& audit) {
  return AppendAudit(std::vector<access::AuditEntry>{audit});
}

Status PgStore::AppendAudit(const std::vector<access::AuditEntry>& entries) {
  if (entries.empty()) return {};
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  for (const access::AuditEntry& audit : entries) RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<int64_t> PgStore::AddAccount(const access::Account& account, const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const pg::Rows added = TRY(conn_->Query(
      "INSERT INTO account(username, role, scope, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (username) DO NOTHING RETURNING id",
      {account.username, access::RoleName(account.role), account.scope, account.password_hash,
       int64_t{account.disabled}, account.created_at},
      "adding account " + account.username));
  if (added.size() == 0) return Error(ErrorKind::kConflict, "there is already an account named " + account.username);
  RETURN_IF_ERROR(WriteAudit(audit));
  RETURN_IF_ERROR(txn.Commit());
  return added.Int(0, 0);
}

Status PgStore::UpdateAccount(const access::Account& account, bool end_sessions, const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  const pg::Rows updated = TRY(conn_->Query(
      "UPDATE account SET role = $1, scope = $2, password_hash = $3, disabled = $4 WHERE id = $5",
      {access::RoleName(account.role), account.scope, account.password_hash, int64_t{account.disabled}, account.id},
      "updating account " + account.username));
  if (updated.changed() == 0) return NotFound("there is no account named " + account.username);
  if (end_sessions) {
    RETURN_IF_ERROR(conn_->Query("DELETE FROM account_session WHERE account_id = $1", {account.id},
                                 "ending the sessions of " + account.username));
  }
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::optional<access::Account>> PgStore::FindAccount(std::string_view username) {
  const pg::Rows r = TRY(conn_->Query(std::string(kAccountColumns) + "WHERE username = $1", {username},
                                      "reading account " + std::string(username)));
  if (r.size() == 0) return std::optional<access::Account>();
  return std::optional<access::Account>(AccountFromRow(r, 0));
}

Result<std::optional<access::Account>> PgStore::FindAccountById(int64_t id) {
  const pg::Rows r = TRY(conn_->Query(std::string(kAccountColumns) + "WHERE id = $1", {id}, "reading an account"));
  if (r.size() == 0) return std::optional<access::Account>();
  return std::optional<access::Account>(AccountFromRow(r, 0));
}

Result<std::vector<access::Account>> PgStore::ListAccounts() {
  const pg::Rows r =
      TRY(conn_->Query(std::string(kAccountColumns) + "ORDER BY username COLLATE \"C\"", {}, "reading accounts"));
  std::vector<access::Account> out;
  for (int i = 0; i < r.size(); ++i) out.push_back(AccountFromRow(r, i));
  return out;
}

Status PgStore::SaveSession(const access::Session& session, const access::AuditEntry& audit) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  RETURN_IF_ERROR(
      conn_->Query("INSERT INTO account_session(token_hash, account_id, created_at, expires_at, address) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   {session.token_hash, session.account, session.created_at, session.expires_at, session.address},
                   "starting a session"));
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::optional<access::Session>> PgStore::FindSession(std::string_view token_hash, int64_t now) {
  const pg::Rows r =
      TRY(conn_->Query("SELECT token_hash, account_id, created_at, expires_at, address FROM account_session "
                       "WHERE token_hash = $1 AND expires_at > $2",
                       {token_hash, now}, "reading a session"));
  if (r.size() == 0) return std::optional<access::Session>();
  return std::optional<access::Session>(
      access::Session{r.Text(0, 0), r.Int(0, 1), r.Int(0, 2), r.Int(0, 3), r.Text(0, 4)});
}

Status PgStore::EndSession(std::string_view token_hash, const access::AuditEntry& audit, int64_t now) {
  pg::Transaction txn(*conn_);
  RETURN_IF_ERROR(txn.status());
  RETURN_IF_ERROR(conn_->Query("DELETE FROM account_session WHERE token_hash = $1 OR expires_at <= $2",
                               {token_hash, now}, "ending a session"));
  RETURN_IF_ERROR(WriteAudit(audit));
  return txn.Commit();
}

Result<std::vector<access::AuditEntry>> PgStore::ReadAudit(bool scoped, std::string_view scope, std::string_view action,
                                                           int64_t before, int limit) {
  // A scope matches its own region and everything below it: "35.78" → "35.78" and "35.78.%".
  const pg::Rows r = TRY(conn_->Query(
      std::string("SELECT seq, at, actor, address, action, target, region, outcome, detail FROM audit "
                  "WHERE ($1 = 0 OR seq < $1) AND ($2 = 0 OR $3 = '' OR region = $3 OR region LIKE $3 || '.%') ") +
          (action.empty() ? "AND $5 = '' " : "AND action = $5 ") + "ORDER BY seq DESC LIMIT $4",
      {before, int64_t{scoped}, scope, int64_t{limit}, action}, "reading the audit trail"));
  std::vector<access::AuditEntry> out;
  for (int i = 0; i < r.size(); ++i) {
    out.push_back({r.Int(i, 0), r.Int(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4), r.Text(i, 5), r.Text(i, 6),
                   r.Text(i, 7), r.Text(i, 8)});
  }
  return out;
}

}  // namespace tepat::store
