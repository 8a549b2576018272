// tepat audit: the audit trail on the command line, newest first, as CSV: what the server's GET /api/v1/audit gives
// an admin.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>

#include "cli/context.h"
#include "common/csv.h"
#include "common/time.h"

namespace tepat::cli {

namespace {

struct AuditOptions {
  std::string action;
  int64_t limit = 100;
  std::string out;
};

Status Audit(Context& ctx, const AuditOptions& options) {
  if (options.limit < 0) return InvalidInput("--limit " + std::to_string(options.limit) + ": give 0 (all) or more");
  auto store = TRY(OpenStore(ctx));
  OutputSink sink;
  RETURN_IF_ERROR(sink.Open(ctx, options.out));
  std::string csv = "seq,at,actor,address,action,target,region,outcome,detail\n";
  int64_t left = options.limit == 0 ? INT64_MAX : options.limit, before = 0;
  while (left > 0) {
    const int page = static_cast<int>(std::min<int64_t>(left, 10'000));
    const std::vector<access::AuditEntry> entries = TRY(store->ReadAudit(false, "", options.action, before, page));
    for (const access::AuditEntry& a : entries) {
      const std::string seq = std::to_string(a.seq), at = FormatInstant(a.at, 7 * 60);
      AppendCsvRow(csv, {seq, at, a.actor, a.address, a.action, a.target, a.region, a.outcome, a.detail});
      before = a.seq;
    }
    sink.Drain(csv);
    left -= static_cast<int64_t>(entries.size());
    if (static_cast<int>(entries.size()) < page) break;
  }
  sink.Write(csv);
  return sink.Commit();
}

}  // namespace

void AddAuditCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "The audit trail, newest first, as CSV");
  cmd->add_option("--action", options->action, "Only entries of this action (document.post, user.add, ledger.verify)");
  cmd->add_option("--limit", options->limit, "At most this many entries (default 100; 0 for all)");
  cmd->add_option("--out", options->out, "Output file (default: standard output)");
  cmd->callback([&ctx, options] { ctx.status = Audit(ctx, *options); });
}

}  // namespace tepat::cli
