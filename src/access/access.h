// Who may do what: accounts' roles and region scopes, checked by region-code prefix (never stored per TPS), and the
// throttling of failed logins. Plain data and rules; the server and the command line enforce them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ledger/document.h"

namespace tepat::access {

enum class Role : uint8_t {
  kPublic,   // anyone, not logged in: aggregated readiness and needs, never people's names
  kAdmin,    // accounts, the audit trail, everything
  kKpu,      // a KPU officer (operator) within a region scope
  kBawaslu,  // a supervisor within a region scope: reads all KPU logistics data there, writes supervision records
  kVendor,   // a vendor: its own vendor node
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// The one who makes a request. `scope` is a region or TPS code for kpu and bawaslu ("" for the nation), the vendor
// node ("vendor:CODE") for a vendor, "" for admin and public.
struct Principal {
  int64_t account = 0;  // 0 for the public
  std::string username;
  Role role = Role::kPublic;
  std::string scope;
};

// Checks that `scope` suits `role`: a region or TPS code for kpu and bawaslu (its shape only; the caller checks the
// region exists), "vendor:CODE" for a vendor, nothing for admin.
Status CheckScope(Role role, std::string_view scope);

// An account as stored. The password is kept only as an argon2id hash (HashPassword).
struct Account {
  int64_t id = 0;
  std::string username;
  Role role = Role::kKpu;
  std::string scope;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at = 0;
};

// A login session. The client holds a random token; only its SHA-256 is stored, so the database does not hold
// anything that logs in.
struct Session {
  std::string token_hash;
  int64_t account = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::string address;
};

// One line of the append-only audit trail: who did what, when, from where, to what, and how it ended. `region` is the
// region code the change concerns ("" for the nation or for accounts), for scoped reading by bawaslu.
struct AuditEntry {
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;    // username, or "-" for the public
  std::string address;  // the client's address, or "cli"
  std::string action;   // "login", "logout", "user.add", "document.post", ...
  std::string target;
  std::string region;
  std::string outcome;  // "ok", "refused", "failed"
  std::string detail;
};

Principal PrincipalOf(const Account& account);

// Whether a region or TPS code lies within a region scope: the scope itself or below it ("" holds everything).
bool WithinScope(std::string_view scope, std::string_view code);

// What a principal may do.
bool MayReadRegion(const Principal& who, std::string_view region);  // aggregated readiness and needs: everyone
bool MayReadDetailsOf(const Principal& who, std::string_view region);
bool MayReadAudit(const Principal& who, std::string_view region);
bool MayManageAccounts(const Principal& who);
// Supervision: admins and bawaslu accounts within scope record reports and findings and read them; a kpu account
// reads and answers the findings whose recommendation is addressed to a unit within its scope, and never writes a
// supervision record.
bool MaySupervise(const Principal& who, std::string_view region);
bool MayAnswerFinding(const Principal& who, std::string_view addressee_region);

// Whether the principal may post `doc`: every node it touches must be within the principal's scope. A KPU officer
// of a district dispatches only from that district's nodes and receives only into them; a vendor posts only as its
// own node; bawaslu and the public post no logistics documents. The error says which node is outside and why.
Status MayPost(const Principal& who, const ledger::Document& doc);

// The region a node's stock belongs to ("" for KPU RI and the nation's virtual nodes), or nothing for a vendor.
std::optional<std::string> RegionOfNode(std::string_view node);

// Failed-login throttling, per account and per address: after `limit` failures within `window` seconds, further
// attempts are refused until the window has passed since the oldest counted failure. Time is given by the caller.
class Throttle {
 public:
  Throttle(int limit, int64_t window_seconds) : limit_(limit), window_(window_seconds) {}
  // Seconds to wait before `key` may try again (0 when it may try now).
  int64_t RetryAfter(const std::string& key, int64_t now);
  void Failed(const std::string& key, int64_t now);
  void Succeeded(const std::string& key) { failures_.erase(key); }

 private:
  void Forget(std::vector<int64_t>& times, int64_t now) const;
  int limit_;
  int64_t window_;
  std::map<std::string, std::vector<int64_t>> failures_;
};

// A password a user may choose: at least 10 characters and not only one kind of character.
Status CheckPasswordStrength(std::string_view password);

}  // namespace tepat::access
