// tepat user: accounts on the command line. The first admin is made here; there is no default password.
#include <CLI/CLI.hpp>
#include <ctime>
#include <istream>
#include <ostream>

#include "cli/context.h"
#include "common/hash.h"
#include "common/text.h"

namespace tepat::cli {

namespace {

struct UserOptions {
  std::string name;
  std::string role;
  std::string scope;
  bool password_stdin = false;
};

Result<std::string> ReadPassword(Context& ctx, bool from_stdin) {
  if (!from_stdin) return InvalidInput("give the password on standard input with --password-stdin");
  std::string password;
  std::getline(*ctx.in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  RETURN_IF_ERROR(access::CheckPasswordStrength(password));
  return password;
}

Result<access::Account> Existing(store::Store& store, const std::string& name) {
  auto account = TRY(store.FindAccount(name));
  if (!account) return NotFound("there is no account named " + name);
  return *account;
}

Status Add(Context& ctx, const UserOptions& options) {
  auto store = TRY(OpenStore(ctx));
  if (options.name.empty() || options.name.size() > 64 ||
      options.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos) {
    return InvalidInput("username '" + options.name + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-'");
  }
  const auto role = access::ParseRole(options.role);
  if (!role || *role == access::Role::kPublic) {
    return InvalidInput("--role " + options.role + ": use admin, kpu, bawaslu or vendor");
  }
  RETURN_IF_ERROR(access::CheckScope(*role, options.scope));
  if ((*role == access::Role::kKpu || *role == access::Role::kBawaslu) && !options.scope.empty()) {
    const geo::RegionSet regions = TRY(LoadRegions(*store));
    const std::string region = options.scope.size() == 17 ? options.scope.substr(0, 13) : options.scope;
    if (regions.Find(region) < 0) return NotFound("--scope " + options.scope + ": there is no region " + region);
  }
  const std::string password = TRY(ReadPassword(ctx, options.password_stdin));
  access::Account account{0, options.name, *role, options.scope, HashPassword(password), false, std::time(nullptr)};
  const std::string what = std::string(access::RoleName(*role)) + (options.scope.empty() ? "" : " of " + options.scope);
  TRY(store->AddAccount(account, CliAudit("user.add", options.name, options.scope, what)));
  *ctx.out << "user add: " << options.name << " (" << what << ")\n";
  return {};
}

Status List(Context& ctx) {
  auto store = TRY(OpenStore(ctx));
  const std::vector<access::Account> accounts = TRY(store->ListAccounts());
  TextTable table({"username", "role", "scope", "state", "created"});
  for (const access::Account& a : accounts) {
    char created[32];
    const std::time_t at = a.created_at;
    std::strftime(created, sizeof created, "%Y-%m-%d %H:%M UTC", std::gmtime(&at));
    table.AddRow({a.username, std::string(access::RoleName(a.role)), a.scope.empty() ? "-" : a.scope,
                  a.disabled ? "disabled" : "active", created});
  }
  *ctx.out << table.Render();
  return {};
}

Status SetDisabled(Context& ctx, const UserOptions& options, bool disabled) {
  auto store = TRY(OpenStore(ctx));
  access::Account account = TRY(Existing(*store, options.name));
  account.disabled = disabled;
  RETURN_IF_ERROR(store->UpdateAccount(account, disabled,
                                       CliAudit(disabled ? "user.disable" : "user.enable", options.name,
                                                account.role == access::Role::kVendor ? "" : account.scope, "")));
  *ctx.out << "user " << (disabled ? "disable" : "enable") << ": " << options.name
           << (disabled ? " can no longer log in; its sessions have ended\n" : " can log in again\n");
  return {};
}

Status Passwd(Context& ctx, const UserOptions& options) {
  auto store = TRY(OpenStore(ctx));
  access::Account account = TRY(Existing(*store, options.name));
  account.password_hash = HashPassword(TRY(ReadPassword(ctx, options.password_stdin)));
  RETURN_IF_ERROR(store->UpdateAccount(
      account, true,
      CliAudit("user.passwd", options.name, account.role == access::Role::kVendor ? "" : account.scope, "")));
  *ctx.out << "user passwd: the password of " << options.name << " is changed; its sessions have ended\n";
  return {};
}

}  // namespace

void AddUserCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<UserOptions>();
  CLI::App* cmd = app.add_subcommand("user", "Accounts: add, list, disable, enable, change a password");
  cmd->require_subcommand(1);

  CLI::App* add = cmd->add_subcommand("add", "Add an account (the password is read from standard input)");
  add->add_option("name", options->name, "Username (a-z, 0-9, '.', '_', '-')")->required();
  add->add_option("--role", options->role, "admin, kpu, bawaslu or vendor")->required();
  add->add_option("--scope", options->scope,
                  "kpu and bawaslu: a region or TPS code (none: the nation); vendor: vendor:CODE");
  add->add_flag("--password-stdin", options->password_stdin, "Read the password from standard input");
  add->callback([&ctx, options] { ctx.status = Add(ctx, *options); });

  CLI::App* list = cmd->add_subcommand("list", "List the accounts");
  list->callback([&ctx] { ctx.status = List(ctx); });

  for (const bool disabled : {true, false}) {
    CLI::App* sub = cmd->add_subcommand(
        disabled ? "disable" : "enable",
        disabled ? "Stop an account from logging in and end its sessions" : "Let a disabled account log in again");
    sub->add_option("name", options->name, "Username")->required();
    sub->callback([&ctx, options, disabled] { ctx.status = SetDisabled(ctx, *options, disabled); });
  }

  CLI::App* passwd = cmd->add_subcommand("passwd", "Set an account's password (read from standard input)");
  passwd->add_option("name", options->name, "Username")->required();
  passwd->add_flag("--password-stdin", options->password_stdin, "Read the password from standard input");
  passwd->callback([&ctx, options] { ctx.status = Passwd(ctx, *options); });
}

}  // namespace tepat::cli
