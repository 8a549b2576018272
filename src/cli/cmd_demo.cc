// tepat demo: prepares the national demo database: the real regions, synthetic national TPS and dapil, the
// distribution played through the ledger up to H-2 (so that progress and problems show), and three accounts with
// fresh random passwords, printed once. Every step is idempotent: run it again to get new passwords.
#include <CLI/CLI.hpp>
#include <ostream>
#include <sstream>

#include "cli/context.h"
#include "common/hash.h"

namespace tepat::cli {

namespace {

struct DemoOptions {
  std::string election = "pemilu-2024";
  std::string regions = "data/node_modules/idn-area-data/data";
  std::string out = "out";
  std::string until = "H-2";
  std::string listen = "127.0.0.1:8080";
};

// Runs one tepat command in this process, its output going to the demo's.
Status Step(Context& ctx, std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), {"tepat", "--db", ctx.db});
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::istringstream in(input);
  std::ostringstream err;
  const int code = Run(static_cast<int>(argv.size()), argv.data(), in, *ctx.out, err);
  if (code != 0) return Error(ErrorKind::kInternal, "demo: `tepat " + args[3] + "` failed: " + err.str());
  return {};
}

Status Demo(Context& ctx, const DemoOptions& o) {
  const std::string& e = o.election;
  const std::string tps = o.out + "/" + e + "-tps.csv", dapil = o.out + "/" + e + "-dapil.csv";
  std::filesystem::create_directories(o.out);
  RETURN_IF_ERROR(Step(ctx, {"init"}));
  RETURN_IF_ERROR(Step(ctx, {"import", "regions", o.regions}));
  RETURN_IF_ERROR(Step(ctx, {"generate", "tps", "--election", e, "--seed", "1", "--out", tps}));
  RETURN_IF_ERROR(Step(ctx, {"import", "tps", "--election", e, tps}));
  const election::Definition def = TRY(LoadElection(e));
  if (!def.DapilContests().empty()) {
    RETURN_IF_ERROR(Step(ctx, {"generate", "dapil", "--election", e, "--seed", "1", "--out", dapil}));
    RETURN_IF_ERROR(Step(ctx, {"import", "dapil", "--election", e, dapil}));
  }
  RETURN_IF_ERROR(Step(ctx, {"needs", "--election", e, "--level", "province"}));
  // Procurement: vendors, prices, budget, contracts (Pemilu 2024's real ones, amended to this election's needs), their
  // delivery schedule and payments; the scenario's goods receipts then name their contracts.
  if (!def.vendors.empty()) {
    const std::string folder = o.out + "/" + e + "-procurement";
    RETURN_IF_ERROR(Step(ctx, {"generate", "procurement", "--election", e, "--out", folder}));
    for (const char* kind : {"vendors", "prices", "budget", "contracts", "amendments", "schedule", "payments"}) {
      RETURN_IF_ERROR(
          Step(ctx, {"procurement", "import", kind, "--election", e, folder + "/" + std::string(kind) + ".csv"}));
    }
  }
  // Bawaslu's supervisors visit a share of the TPS at H-1; the cross-check must find where KPU's record differs.
  RETURN_IF_ERROR(Step(ctx, {"scenario", "play", "--election", e, "--seed", "1", "--until", o.until, "--truth",
                             o.out + "/" + e + "-truth.csv", "--with-supervision", "--supervision-truth",
                             o.out + "/" + e + "-supervision.csv"}));
  RETURN_IF_ERROR(Step(ctx, {"readiness", "--election", e, "--level", "province"}));
  if (!def.vendors.empty()) {
    RETURN_IF_ERROR(Step(ctx, {"procurement", "deliveries", "--election", e, "--view", "vendors", "--as-of",
                               def.voting_day}));
    RETURN_IF_ERROR(Step(ctx, {"procurement", "efficiency", "--election", e}));
  }
  // The distribution plan and a projection from where the ledger stands: which TPS may still miss H-1.
  RETURN_IF_ERROR(Step(ctx, {"plan", "generate", "--election", e}));
  RETURN_IF_ERROR(Step(ctx, {"simulate", "--election", e, "--scenarios", "1000", "--live", "--save", "--top", "10"}));

  // Accounts: an administrator, a KPU officer of Kota Surabaya and a Bawaslu supervisor of Jawa Timur.
  auto store = TRY(OpenStore(ctx));
  struct Demo {
    const char* name;
    const char* role;
    const char* scope;
  };
  std::string logins;
  for (const Demo& d :
       {Demo{"admin", "admin", ""}, Demo{"kpu-surabaya", "kpu", "35.78"}, Demo{"bawaslu-jatim", "bawaslu", "35"}}) {
    const std::string password = "demo-" + RandomHex(8);
    const bool exists = TRY(store->FindAccount(d.name)).has_value();
    std::vector<std::string> args = {"user", exists ? "passwd" : "add", d.name};
    if (!exists) {
      args.insert(args.end(), {"--role", d.role});
      if (*d.scope) args.insert(args.end(), {"--scope", d.scope});
    }
    args.push_back("--password-stdin");
    RETURN_IF_ERROR(Step(ctx, args, password + "\n"));
    logins += "  " + std::string(d.name) + std::string(14 - std::string(d.name).size(), ' ') + password + "  (" +
              d.role + (*d.scope ? std::string(" of ") + d.scope : std::string()) + ")\n";
  }
  *ctx.out << "\nThe demo database is " << ctx.db << " (" << e << ", played to " << o.until
           << "). Serve it and log in:\n  build/tepat --db " << ctx.db << " serve --listen " << o.listen
           << "\n  curl -s -X POST http://" << o.listen
           << "/api/v1/auth/login -d '{\"username\":\"admin\",\"password\":\"...\"}'\n"
           << "Accounts (new passwords on every run of tepat demo; there is no default password):\n"
           << logins;
  return {};
}

}  // namespace

void AddDemoCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Prepare the national demo database: regions, TPS, dapil, the distribution to H-2, its projection, demo "
      "accounts");
  cmd->add_option("--election", options->election, "Election (default pemilu-2024)");
  cmd->add_option("--regions", options->regions, "The Kemendagri region files (default: the npm package's)");
  cmd->add_option("--out", options->out, "Folder for the generated files (default out)");
  cmd->add_option("--until", options->until, "Play the distribution to the end of day H-n (default H-2)");
  cmd->add_option("--listen", options->listen, "Where the printed serve command listens (default 127.0.0.1:8080)");
  cmd->callback([&ctx, options] { ctx.status = Demo(ctx, *options); });
}

}  // namespace tepat::cli
