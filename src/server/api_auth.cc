// Accounts over HTTP: logging in and out, who is logged in, and changing one's password. Failed logins and wrong
// current passwords are throttled per account and per address, and every attempt goes to the audit trail.
#include <algorithm>

#include "common/hash.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::Forbidden;
using internal::FromError;
using internal::kCookie;
using internal::StringField;
using internal::Unauthorized;
using internal::Wib;

namespace {

// An account as the API shows it: its name, role and scope.
void UserJson(json::Builder& out, const access::Principal& who) {
  out.StartObject().String("username", who.username).String("role", access::RoleName(who.role));
  out.String("scope", who.scope).EndObject();
}

// The session token a request carries: in the Authorization header, or else in the session cookie.
std::string TokenOf(const Request& req) {
  const std::string_view authorization = req.Header("authorization");
  return authorization.starts_with("Bearer ") ? std::string(authorization.substr(7)) : req.Cookie(kCookie);
}

}  // namespace

int64_t Api::RetryAfter(const std::string& username, const Request& req, int64_t now) {
  return std::max(account_throttle_.RetryAfter("u:" + username, now),
                  address_throttle_.RetryAfter("a:" + req.remote, now));
}

void Api::CountFailure(const std::string& username, const Request& req, int64_t now) {
  account_throttle_.Failed("u:" + username, now);
  address_throttle_.Failed("a:" + req.remote, now);
}

Response Api::Login(Request& req) {
  rapidjson::Document body = JSON_BODY(req);
  const std::string username = StringField(body, "username"), password = StringField(body, "password");
  if (username.empty() || password.empty()) {
    return Response::Error(400, "bad_request", "username and password are required strings");
  }
  const int64_t now = options_.clock();
  access::Principal attempt{0, username, access::Role::kPublic, ""};
  if (const int64_t wait = RetryAfter(username, req, now); wait > 0) {
    Record(attempt, req, "login", username, "", "refused", "throttled");
    return Response::Error(429, "too_many_requests",
                           "too many failed logins; try again in " + std::to_string(wait) + " s")
        .With("Retry-After", std::to_string(wait));
  }
  auto account = store_.FindAccount(username);
  if (!account.ok()) return FromError(account.error());
  // An unknown name costs the same hashing as a wrong password.
  static const std::string kDummy = HashPassword("tepat-dummy-password-0");
  const bool known = account.value().has_value();
  const bool matches = VerifyPassword(password, known ? account.value()->password_hash : kDummy) && known;
  if (!matches || account.value()->disabled) {
    CountFailure(username, req, now);
    Record(attempt, req, "login", username, "", "refused", matches ? "disabled" : "wrong username or password");
    return Unauthorized("wrong username or password, or the account is disabled");
  }
  account_throttle_.Succeeded("u:" + username);
  const access::Account& a = *account.value();
  const std::string token = RandomHex(32);
  const access::Session session{Sha256Hex(token), a.id, now, now + options_.session_seconds, req.remote};
  const access::AuditEntry audit{
      0, now, a.username, req.remote, "login", a.username, a.role == access::Role::kVendor ? "" : a.scope, "ok", ""};
  if (Status saved = store_.SaveSession(session, audit); !saved.ok()) return FromError(saved.error());
  std::string cookie = std::string(kCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(options_.session_seconds);
  if (options_.secure_cookie) cookie += "; Secure";
  json::Builder out;
  out.StartObject().String("token", token).String("expires_at", Wib(session.expires_at));
  UserJson(out.Key("user"), access::PrincipalOf(a));
  return Response::Json(200, out.EndObject().Take()).With("Set-Cookie", cookie).With("Cache-Control", "no-store");
}

Response Api::Logout(Request& req) {
  const access::Principal who = WHO(req, false);
  const int64_t now = options_.clock();
  const std::string scope = who.role == access::Role::kVendor ? "" : who.scope;
  const access::AuditEntry audit{0, now, who.username, req.remote, "logout", who.username, scope, "ok", ""};
  if (Status ended = store_.EndSession(Sha256Hex(TokenOf(req)), audit, now); !ended.ok()) {
    return FromError(ended.error());
  }
  return Response::Json(200, "{\"status\":\"logged out\"}")
      .With("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

Response Api::Me(Request& req) {
  const access::Principal who = WHO(req, false);
  json::Builder out;
  UserJson(out, who);
  return Response::Json(200, out.Take());
}

Response Api::ChangePassword(Request& req) {
  const access::Principal who = WHO(req, false);
  rapidjson::Document body = JSON_BODY(req);
  const std::string current = StringField(body, "current_password"), next = StringField(body, "new_password");
  auto account = store_.FindAccountById(who.account);
  if (!account.ok() || !account.value()) return Unauthorized();
  access::Account a = *account.value();
  // Guessing the current password through a stolen session is throttled as logins are.
  const int64_t now = options_.clock();
  if (const int64_t wait = RetryAfter(who.username, req, now); wait > 0) {
    Record(who, req, "user.passwd", who.username, "", "refused", "throttled");
    return Response::Error(429, "too_many_requests",
                           "too many wrong passwords; try again in " + std::to_string(wait) + " s")
        .With("Retry-After", std::to_string(wait));
  }
  if (!VerifyPassword(current, a.password_hash)) {
    CountFailure(who.username, req, now);
    Record(who, req, "user.passwd", who.username, "", "refused", "wrong current password");
    return Forbidden("current_password: wrong password");
  }
  if (Status strong = access::CheckPasswordStrength(next); !strong.ok()) {
    return Response::Error(422, "unprocessable", "new_password: " + strong.error().message());
  }
  a.password_hash = HashPassword(next);
  const access::AuditEntry audit{0, options_.clock(), who.username, req.remote, "user.passwd", who.username, "", "ok",
                                 ""};
  if (Status saved = store_.UpdateAccount(a, true, audit); !saved.ok()) return FromError(saved.error());
  return Response::Json(200, "{\"status\":\"password changed; every session has ended, log in again\"}");
}

}  // namespace tepat::server
