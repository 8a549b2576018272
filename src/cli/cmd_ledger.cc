// tepat ledger: import documents (NDJSON), export them, and verify the hash chain and every balance.
#include <CLI/CLI.hpp>
#include <ostream>

#include "app/verify.h"
#include "cli/context.h"
#include "cli/output.h"
#include "common/text.h"

namespace tepat::cli {

namespace {

struct LedgerOptions {
  std::string node;
  std::string file;
  std::string out;
  std::string format = "ndjson";
  std::string election;
  size_t batch = 8192;
};

Status Import(Context& ctx, const LedgerOptions& options) {
  auto store = TRY(OpenStore(ctx));
  CliPoster poster(*store, options.batch);
  Result<ImportSummary> summary = poster.PostFile(options.file);
  if (summary.ok()) {
    *ctx.out << "ledger import: " << FormatThousands(summary.value().posted) << " documents posted, "
             << FormatThousands(summary.value().replayed) << " already posted (unchanged)\n";
  }
  return summary.ok() ? Status() : Status(std::move(summary).error());
}

Status Export(Context& ctx, const LedgerOptions& options) {
  auto store = TRY(OpenStore(ctx));
  OutputSink sink;
  RETURN_IF_ERROR(sink.Open(ctx, options.out));
  std::string buffer;
  RETURN_IF_ERROR(store->ForEachDocument(options.election, [&](const store::StoredDocument& doc) -> Status {
    buffer += doc.body;
    buffer += '\n';
    sink.Drain(buffer);
    return {};
  }));
  sink.Write(buffer);
  return sink.Commit();
}

// Every non-zero balance, or those of nodes whose code starts with `node`, sorted by node and article.
Status Balances(Context& ctx, const LedgerOptions& options) {
  auto store = TRY(OpenStore(ctx));
  std::vector<std::tuple<std::string, std::string, std::string, int64_t>> rows;
  RETURN_IF_ERROR(store->ForEachBalance(
      [&](const std::string& election, const std::string& node, const std::string& article, int64_t q) -> Status {
        if (node.starts_with(options.node) && (options.election.empty() || election == options.election)) {
          rows.emplace_back(election, node, article, q);
        }
        return {};
      }));
  std::sort(rows.begin(), rows.end());
  std::string out = "election,node,article,quantity\n";
  for (const auto& [election, node, article, quantity] : rows) {
    AppendCsvField(out, election);
    out += ',';
    AppendCsvField(out, node);
    out += ',';
    AppendCsvField(out, article);
    out += ',' + std::to_string(quantity) + '\n';
  }
  return WriteOutput(ctx, options.out, out);
}

// A kit found by its id or the code on its QR label: its TPS, contents, seals and where it is now.
Status KitShow(Context& ctx, const LedgerOptions& options) {
  if (options.election.empty()) return InvalidInput("--election is required");
  auto store = TRY(OpenStore(ctx));
  std::optional<ledger::Kit> kit = TRY(store->FindKit(options.election, options.file));
  if (!kit) return NotFound("no kit with id or label '" + options.file + "' in election " + options.election);
  std::string at;
  RETURN_IF_ERROR(store->ForEachBalance(
      [&](const std::string& election, const std::string& node, const std::string& article, int64_t q) -> Status {
        if (election == options.election && article == ledger::KitArticle(kit->kit) && q > 0) at = node;
        return {};
      }));
  std::string out =
      "Kit " + kit->kit + " (label " + kit->label + ") untuk TPS " + kit->tps + ", dikemas di " + kit->packed_at + "\n";
  out += "Posisi sekarang: " + (at.empty() ? std::string("dibuka atau dibatalkan") : at) + "\n";
  out += "Segel: ";
  for (size_t i = 0; i < kit->seals.size(); ++i) out += (i ? ", " : "") + kit->seals[i];
  out += "\n\n";
  TextTable table({"Barang", "Jumlah"}, {false, true});
  for (const auto& [item, quantity] : kit->contents) table.AddRow({item, FormatThousands(quantity)});
  out += table.Render();
  return WriteOutput(ctx, options.out, out);
}

// Verifies the ledger and writes the outcome to the audit trail (action ledger.verify, target the chain head
// verified), where the server's ledger status reads the last one.
Status Verify(Context& ctx) {
  auto store = TRY(OpenStore(ctx));
  const store::LedgerHead head = TRY(store->Head());
  const Result<std::string> verified = app::VerifyLedger(*store);
  const std::string target = head.seq ? "#" + std::to_string(head.seq) + " " + head.hash : "(empty)";
  RETURN_IF_ERROR(
      store->AppendAudit(verified.ok() ? CliAudit("ledger.verify", target, "", verified.value())
                                       : CliAudit("ledger.verify", target, "", verified.error().message(), "failed")));
  if (!verified.ok()) return verified.error();
  *ctx.out << "ledger verify: " << verified.value() << "\n";
  return {};
}

}  // namespace

void AddLedgerCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<LedgerOptions>();
  CLI::App* ledger = app.add_subcommand("ledger", "The chain of custody: import, export and verify documents");
  ledger->require_subcommand(1);

  CLI::App* import_command =
      ledger->add_subcommand("import", "Post documents from an NDJSON file (one JSON document per line)");
  import_command->add_option("file", options->file, "NDJSON file of documents (docs/formats.md)")->required();
  import_command->add_option("--batch", options->batch, "Documents per durable transaction (default 8192)")
      ->check(CLI::Range(1, 1000000));
  import_command->callback([&ctx, options] { ctx.status = Import(ctx, *options); });

  CLI::App* export_command = ledger->add_subcommand("export", "Write every document in ledger order, as NDJSON");
  export_command->add_option("--format", options->format, "ndjson")->check(CLI::IsMember({"ndjson"}));
  export_command->add_option("--out", options->out, "Output file (default: standard output)");
  export_command->add_option("--election", options->election, "Only this election's documents");
  export_command->callback([&ctx, options] { ctx.status = Export(ctx, *options); });

  CLI::App* balances =
      ledger->add_subcommand("balances", "What each node holds, as CSV (election,node,article,quantity)");
  balances->add_option("--node", options->node, "Only nodes whose code starts with this (kpu:35.78, ppk:35.78.01)");
  balances->add_option("--election", options->election, "Only this election's items and kits");
  balances->add_option("--out", options->out, "Output file (default: standard output)");
  balances->callback([&ctx, options] { ctx.status = Balances(ctx, *options); });

  CLI::App* kit =
      ledger->add_subcommand("kit", "A kit by its id or the code on its QR label: TPS, contents, seals, where it is");
  kit->add_option("code", options->file, "Kit id or label code")->required();
  kit->add_option("--election", options->election, "Election id")->required();
  kit->callback([&ctx, options] { ctx.status = KitShow(ctx, *options); });

  CLI::App* verify = ledger->add_subcommand(
      "verify", "Recompute the hash chain and every balance from the documents; exit 1 at the first mismatch");
  verify->callback([&ctx] { ctx.status = Verify(ctx); });
}  // namespace tepat::cli

}  // namespace tepat::cli
