// The accounts' part of the storage interface (store.h): accounts, sessions and the append-only audit trail.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "access/access.h"
#include "common/result.h"

namespace tepat::store {

// Accounts, sessions and the audit trail as stored.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Accounts, sessions and the audit trail. Each change is written in one transaction with its audit entry.
  // Adds an account; a taken username is a conflict. Returns the new account's id.
  virtual Result<int64_t> AddAccount(const access::Account& account, const access::AuditEntry& audit) = 0;
  // Saves an account's role, scope, password hash and disabled flag. A disabled account or a new password ends
  // every session of the account.
  virtual Status UpdateAccount(const access::Account& account, bool end_sessions, const access::AuditEntry& audit) = 0;
  virtual Result<std::optional<access::Account>> FindAccount(std::string_view username) = 0;
  virtual Result<std::optional<access::Account>> FindAccountById(int64_t id) = 0;
  virtual Result<std::vector<access::Account>> ListAccounts() = 0;
  // Starts a session (a login) with its audit entry.
  virtual Status SaveSession(const access::Session& session, const access::AuditEntry& audit) = 0;
  // The session with this token hash if it has not expired at `now`.
  virtual Result<std::optional<access::Session>> FindSession(std::string_view token_hash, int64_t now) = 0;
  // Ends a session (a logout) with its audit entry; expired sessions are removed too.
  virtual Status EndSession(std::string_view token_hash, const access::AuditEntry& audit, int64_t now) = 0;
  virtual Status AppendAudit(const access::AuditEntry& audit) = 0;
  // Several entries in one transaction.
  virtual Status AppendAudit(const std::vector<access::AuditEntry>& entries) = 0;
  // Audit entries newest first, at most `limit`, with seq below `before` (0: from the newest), of one `action` when
  // not empty; only those whose region lies within `scope` when `scoped` (a bawaslu reader), all otherwise.
  virtual Result<std::vector<access::AuditEntry>> ReadAudit(bool scoped, std::string_view scope,
                                                            std::string_view action, int64_t before, int limit) = 0;
};

}  // namespace tepat::store
