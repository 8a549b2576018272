#include "access/access.h"

#include <algorithm>

#include "geo/region.h"
#include "ledger/node.h"

namespace tepat::access {

namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {{Role::kPublic, "public"},
                                                        {Role::kAdmin, "admin"},
                                                        {Role::kKpu, "kpu"},
                                                        {Role::kBawaslu, "bawaslu"},
                                                        {Role::kVendor, "vendor"}};

// A region code (2, 5, 8 or 13 characters of digits and dots) or a TPS code (a village code, a dot, three digits).
bool RegionOrTpsCode(std::string_view code) {
  if (code.size() == 17 && code[13] == '.') {
    return geo::LevelOfCode(code.substr(0, 13)).has_value() &&
           std::all_of(code.begin() + 14, code.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return geo::LevelOfCode(code).has_value();
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "public";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return std::nullopt;
}

Status CheckScope(Role role, std::string_view scope) {
  switch (role) {
    case Role::kPublic:
      return InvalidInput("public is not a role an account can have");
    case Role::kAdmin:
      if (!scope.empty()) return InvalidInput("an admin has no scope; leave out --scope");
      return {};
    case Role::kKpu:
    case Role::kBawaslu:
      if (scope.empty() || RegionOrTpsCode(scope)) return {};
      return InvalidInput("scope " + std::string(scope) +
                          " is not a region or TPS code (35, 35.78, 35.78.01, 35.78.01.1001 or 35.78.01.1001.001); "
                          "leave it out for the whole nation");
    case Role::kVendor: {
      const auto node = ledger::ParseNode(scope);
      if (node && node->kind == ledger::NodeKind::kVendor) return {};
      return InvalidInput("a vendor's scope is its vendor node, vendor:CODE; got '" + std::string(scope) + "'");
    }
  }
  return InvalidInput("unknown role");
}

Principal PrincipalOf(const Account& account) { return {account.id, account.username, account.role, account.scope}; }

bool WithinScope(std::string_view scope, std::string_view code) {
  if (scope.empty()) return true;
  return code.size() >= scope.size() && code.substr(0, scope.size()) == scope &&
         (code.size() == scope.size() || code[scope.size()] == '.');
}

bool MayReadRegion(const Principal&, std::string_view) { return true; }

bool MayReadDetailsOf(const Principal& who, std::string_view region) {
  switch (who.role) {
    case Role::kAdmin:
      return true;
    case Role::kKpu:
    case Role::kBawaslu:
      return WithinScope(who.scope, region);
    default:
      return false;
  }
}

bool MayReadAudit(const Principal& who, std::string_view region) {
  if (who.role == Role::kAdmin) return true;
  return who.role == Role::kBawaslu && WithinScope(who.scope, region);
}

bool MayManageAccounts(const Principal& who) { return who.role == Role::kAdmin; }

bool MaySupervise(const Principal& who, std::string_view region) {
  if (who.role == Role::kAdmin) return true;
  return who.role == Role::kBawaslu && WithinScope(who.scope, region);
}

bool MayAnswerFinding(const Principal& who, std::string_view addressee_region) {
  if (who.role == Role::kAdmin) return true;
  return who.role == Role::kKpu && WithinScope(who.scope, addressee_region);
}

std::optional<std::string> RegionOfNode(std::string_view code) {
  const auto node = ledger::ParseNode(code);
  if (!node || node->kind == ledger::NodeKind::kVendor) return std::nullopt;
  return node->region;
}

Status MayPost(const Principal& who, const ledger::Document& doc) {
  auto outside = [&](std::string_view field, std::string_view node) {
    return Error(ErrorKind::kPermissionDenied, std::string(field) + ": " + std::string(node) + " is outside the scope of " +
                                               who.username + " (" + std::string(RoleName(who.role)) +
                                               (who.scope.empty() ? "" : " of " + who.scope) + ")");
  };
  switch (who.role) {
    case Role::kAdmin:
      return {};
    case Role::kPublic:
      return Error(ErrorKind::kPermissionDenied, "posting documents needs a login");
    case Role::kBawaslu:
      return Error(ErrorKind::kPermissionDenied,
                   "bawaslu accounts read logistics documents and write supervision "
                   "records only; " +
                       who.username + " cannot post a " + std::string(ledger::DocKindName(doc.kind)));
    case Role::kVendor:
      if (doc.node != who.scope) return outside("node", doc.node);
      return {};
    case Role::kKpu:
      break;
  }
  // The signing node holds the stock the document changes: it must be the officer's.
  const auto region = RegionOfNode(doc.node);
  if (!region || !WithinScope(who.scope, *region)) return outside("node", doc.node);
  if (doc.kind == ledger::DocKind::kDispatch) {
    // Down the chain the receiver must be in scope too; a return up the chain goes to the committee above.
    const auto from = ledger::ParseNode(doc.node), to = ledger::ParseNode(doc.to);
    const auto to_region = RegionOfNode(doc.to);
    const bool upward = from && to && ledger::Adjacent(*from, *to) && !ledger::Downward(*from, *to);
    if (!upward && (!to_region || !WithinScope(who.scope, *to_region))) return outside("to", doc.to);
  }
  return {};
}

void Throttle::Forget(std::vector<int64_t>& times, int64_t now) const {
  times.erase(std::remove_if(times.begin(), times.end(), [&](int64_t t) { return t <= now - window_; }), times.end());
}

int64_t Throttle::RetryAfter(const std::string& key, int64_t now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  Forget(it->second, now);
  if (static_cast<int>(it->second.size()) < limit_) return 0;
  return it->second.front() + window_ - now;
}

void Throttle::Failed(const std::string& key, int64_t now) {
  auto& times = failures_[key];
  Forget(times, now);
  times.push_back(now);
  // Bounded memory: the throttle only needs the last `limit_` failures of a key.
  if (static_cast<int>(times.size()) > limit_) times.erase(times.begin());
  if (failures_.size() > 100'000) failures_.clear();
}

Status CheckPasswordStrength(std::string_view password) {
  if (password.size() < 10) return InvalidInput("the password must have at least 10 characters");
  const bool letters = std::any_of(password.begin(), password.end(), [](char c) { return std::isalpha(c & 0xff); });
  const bool others = std::any_of(password.begin(), password.end(), [](char c) { return !std::isalpha(c & 0xff); });
  if (!letters || !others) return InvalidInput("the password must mix letters with digits or other characters");
  return {};
}

}  // namespace tepat::access
