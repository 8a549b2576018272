// tepat ledger: import documents (NDJSON), export them, and verify the hash chain and every balance.
#include <CLI/CLI.hpp>
#include <array>
#include <map>
#include <ostream>
#include <unordered_map>
#include <unordered_set>

#include "cli/context.h"
#include "cli/output.h"
#include "common/hash.h"
#include "common/text.h"
#include "ledger/memory_ledger.h"

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

// A digest of a document's movements, to compare what posting gives now with what is stored.
std::string MovementText(const ledger::Movement& m) {
  return m.from + "|" + m.to + "|" + m.article + "|" + std::to_string(m.quantity) + "\n";
}

// Replays every document in order through posting, in memory, and compares with what the database holds: the hash
// chain, each document's movements, every balance, the kits and the per-TPS readiness projection. Returns what was
// checked, or the first mismatch.
Result<std::string> Replay(store::Store& db) {
  // One ledger in memory per election (items and kits are an election's own); one chain over all documents.
  std::map<std::string, std::unique_ptr<ledger::MemoryLedger>> memories;
  auto memory_of = [&](const std::string& election) -> ledger::MemoryLedger& {
    auto& memory = memories[election];
    if (!memory) {
      memory = std::make_unique<ledger::MemoryLedger>(
          ledger::MemoryLedger::History{[&](const std::string& id) { return db.MovementsOf(id); },
                                        [&](const std::string& id) -> Result<ledger::Document> {
                                          store::StoredDocument doc = TRY(db.FindDocument(id));
                                          return ledger::ParseDocument("ledger", doc.body);
                                        }});
    }
    return *memory;
  };
  std::map<std::string, std::unique_ptr<ElectionData>> elections;
  // The per-TPS projection the replay gives, held compactly (item codes interned): 820,000 TPS nationally.
  struct Replayed : readiness::TpsCounters {
    std::vector<std::pair<uint32_t, int64_t>> received;
  };
  std::map<std::string, std::unordered_map<std::string, Replayed>> tps_states;
  std::unordered_map<std::string, uint32_t> items;
  auto item_id = [&](const std::string& code) {
    return items.emplace(code, static_cast<uint32_t>(items.size())).first->second;
  };
  struct Digest {
    int64_t seq;
    std::array<char, 64> sha256;
  };
  std::vector<Digest> digests;  // per document: the digest of the movements the replay gives
  auto digest_of = [](const std::string& text) {
    std::array<char, 64> out{};
    const std::string hex = Sha256Hex(text);
    std::copy_n(hex.begin(), out.size(), out.begin());
    return out;
  };
  const std::array<char, 64> no_movements = digest_of("");
  std::string previous;
  int64_t expected_seq = 1, documents = 0;
  auto fail = [&](const store::StoredDocument& doc, const std::string& why) {
    return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(doc.seq) + " (" + doc.id +
                                           ", " + doc.kind + "): " + why);
  };
  RETURN_IF_ERROR(db.ForEachDocument("", [&](const store::StoredDocument& doc) -> Status {
    if (doc.seq != expected_seq) {
      return fail(doc, "expected document #" + std::to_string(expected_seq) + " here: a document was removed");
    }
    ++expected_seq;
    ++documents;
    const std::string body_hash = Sha256Hex(doc.body);
    if (body_hash != doc.body_hash) return fail(doc, "its body does not match its body hash: the body was edited");
    const std::string hash = ledger::ChainHash(previous, body_hash);
    if (hash != doc.hash) return fail(doc, "its hash does not follow from the document before: the chain is broken");
    previous = hash;
    Result<ledger::Document> parsed = ledger::ParseDocument("#" + std::to_string(doc.seq), doc.body);
    if (!parsed.ok()) return fail(doc, "its body is no longer a valid document: " + parsed.error().ToString());
    const ledger::Document& d = parsed.value();
    if (d.id != doc.id || ledger::DocKindName(d.kind) != doc.kind || d.election != doc.election) {
      return fail(doc, "its id, kind or election columns differ from its body");
    }
    if (!elections.count(d.election)) elections[d.election] = TRY(LoadElectionData(db, d.election));
    ledger::MemoryLedger& memory = memory_of(d.election);
    Result<ledger::Planned> planned = ledger::Plan(d, body_hash, elections[d.election]->catalog, memory, "verify");
    if (!planned.ok()) return fail(doc, "posting it again is refused: " + planned.error().ToString());
    if (planned.value().replay) return fail(doc, "its id appears twice in the ledger");
    const ledger::Posting& posting = planned.value().posting;
    std::string text;
    for (const ledger::Movement& m : posting.movements) text += MovementText(m);
    digests.push_back({doc.seq, digest_of(text)});
    auto& states = tps_states[d.election];
    for (const ledger::TpsEffect& effect : posting.effects) {
      Replayed& state = states[effect.tps];
      readiness::ApplyCounters(state, effect);
      for (const auto& [item, quantity] : effect.received) {
        readiness::AddQuantity(state.received, item_id(item), effect.sign * quantity);
      }
    }
    memory.Apply(d, body_hash, hash, doc.seq, posting);
    return {};
  }));

  // Movements: grouped by document, compared with the replay's digests.
  size_t next = 0;
  int64_t movements = 0, current = -1;
  std::string text;
  auto close = [&]() -> Status {
    if (current < 0) return {};
    while (next < digests.size() && digests[next].seq < current) {
      if (digests[next].sha256 != no_movements) {
        return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(digests[next].seq) +
                                               ": its movement lines are missing from the database");
      }
      ++next;
    }
    if (next >= digests.size() || digests[next].seq != current) {
      return Error(ErrorKind::kConflict, "ledger verify failed: movement lines for document #" +
                                             std::to_string(current) + ", which does not exist");
    }
    if (digests[next].sha256 != digest_of(text)) {
      return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(current) +
                                             ": its stored movement lines differ from what the document gives");
    }
    ++next;
    return {};
  };
  RETURN_IF_ERROR(db.ForEachMovement([&](const store::StoredMovement& m) -> Status {
    ++movements;
    if (m.seq != current) {
      RETURN_IF_ERROR(close());
      current = m.seq;
      text.clear();
    }
    text += MovementText(m.movement);
    return {};
  }));
  RETURN_IF_ERROR(close());
  for (; next < digests.size(); ++next) {
    if (digests[next].sha256 != no_movements) {
      return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(digests[next].seq) +
                                             ": its movement lines are missing from the database");
    }
  }

  // Balances: every stored row against the replay, then every balance of the replay found among them.
  int64_t balances = 0, kits_checked = 0;
  // Per election, the (node, article) pairs of stored non-zero rows, as 64-bit hashes.
  std::map<std::string, std::unordered_set<uint64_t>> matched;
  auto pair_hash = [](const std::string& node, const std::string& article) {
    return std::hash<std::string>()(node) * 1000003u ^ std::hash<std::string>()(article);
  };
  RETURN_IF_ERROR(db.ForEachBalance([&](const std::string& election, const std::string& node,
                                        const std::string& article, int64_t q) -> Status {
    const int64_t expected = memories.count(election) ? memories[election]->Balance(node, article) : 0;
    if (q != expected) {
      return Error(ErrorKind::kConflict, "ledger verify failed: the balance of " + article + " at " + node + " is " +
                                             std::to_string(q) + "; the movements give " + std::to_string(expected));
    }
    if (q != 0) matched[election].insert(pair_hash(node, article));
    return {};
  }));
  for (const auto& by_election : memories) {
    const std::string& election = by_election.first;
    const auto& memory = by_election.second;
    balances += static_cast<int64_t>(memory->balance_count());
    if (matched[election].size() == memory->balance_count()) continue;
    std::string missing;
    memory->ForEachBalance([&](const std::string& node, const std::string& article, int64_t quantity) {
      if (missing.empty() && !matched[election].count(pair_hash(node, article))) {
        missing =
            "the balance of " + article + " at " + node + " is missing; the movements give " + std::to_string(quantity);
      }
    });
    return Error(ErrorKind::kConflict, "ledger verify failed: " + missing);
  }
  matched.clear();

  // Kits and the per-TPS readiness projection.
  int64_t tps_checked = 0;
  for (const auto& [election, data] : elections) {
    ledger::MemoryLedger& memory = memory_of(election);
    kits_checked += static_cast<int64_t>(memory.kit_count());
    size_t stored_kits = 0;
    RETURN_IF_ERROR(db.ForEachKit(election, [&](const ledger::Kit& kit) -> Status {
      ++stored_kits;
      const ledger::Kit* packed = memory.FindKit(kit.kit);
      if (!packed || packed->contents != kit.contents || packed->tps != kit.tps || packed->label != kit.label ||
          packed->seals != kit.seals) {
        return Error(ErrorKind::kConflict, "ledger verify failed: kit " + kit.kit + " differs from its packing");
      }
      return {};
    }));
    if (stored_kits != memory.kit_count()) {
      return Error(ErrorKind::kConflict, "ledger verify failed: election " + election + " stores " +
                                             std::to_string(stored_kits) + " kits; the documents pack " +
                                             std::to_string(memory.kit_count()));
    }
    auto& replayed = tps_states[election];
    RETURN_IF_ERROR(db.ForEachTpsState(election, "", [&](const std::string& code, const readiness::TpsState& state) {
      ++tps_checked;
      auto it = replayed.find(code);
      const Replayed expected = it == replayed.end() ? Replayed{} : it->second;
      std::vector<std::pair<uint32_t, int64_t>> received;
      for (const auto& [item, quantity] : state.received) readiness::AddQuantity(received, item_id(item), quantity);
      if (!(static_cast<const readiness::TpsCounters&>(state) == expected) || received != expected.received) {
        return Status(Error(ErrorKind::kConflict, "ledger verify failed: the readiness of TPS " + code +
                                                      " differs from what the documents give"));
      }
      if (it != replayed.end()) replayed.erase(it);
      return Status();
    }));
    for (const auto& [code, state] : replayed) {
      if (!(static_cast<const readiness::TpsCounters&>(state) == readiness::TpsCounters{}) || !state.received.empty()) {
        return Error(ErrorKind::kConflict, "ledger verify failed: the readiness of TPS " + code + " is missing");
      }
    }
  }
  return "ok: " + FormatThousands(documents) + " documents, chain head " + (previous.empty() ? "(empty)" : previous) +
         "; " + FormatThousands(movements) + " movement lines, " + FormatThousands(balances) + " balances, " +
         FormatThousands(kits_checked) + " kits and " + FormatThousands(tps_checked) +
         " TPS readiness rows agree with the documents";
}

// Verifies the ledger and writes the outcome to the audit trail (action ledger.verify, target the chain head
// verified), where the server's ledger status reads the last one.
Status Verify(Context& ctx) {
  auto store = TRY(OpenStore(ctx));
  const store::LedgerHead head = TRY(store->Head());
  const Result<std::string> verified = Replay(*store);
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
