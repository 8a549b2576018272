#include "app/verify.h"

#include <unordered_set>

#include "app/app.h"
#include "common/text.h"
#include "ledger/verify.h"
#include "readiness/projection_check.h"

namespace tepat::app {

namespace {

ledger::StoredRecord Record(const store::StoredDocument& d) {
  return {d.seq, d.id, d.election, d.kind, d.body, d.body_hash, d.hash};
}

// Earlier documents read again from the database being verified (verify has checked them already).
ledger::MemoryLedger::History HistoryOf(store::LedgerStore& db) {
  return {[&db](const std::string& id) -> Result<std::optional<ledger::PostedDocument>> {
            Result<store::StoredDocument> stored = db.FindDocument(id);
            if (!stored.ok()) {
              if (stored.error().kind() == ErrorKind::kNotFound) return std::optional<ledger::PostedDocument>();
              return stored.error();
            }
            const store::StoredDocument& d = stored.value();
            const ledger::Document doc = TRY(ledger::ParseDocument("ledger", d.body));
            return std::optional<ledger::PostedDocument>(ledger::Summarize(doc, d.body_hash, d.hash, d.seq));
          },
          [&db](const std::string& id) { return db.MovementsOf(id); },
          [&db](const std::string& id) -> Result<ledger::Document> {
            store::StoredDocument doc = TRY(db.FindDocument(id));
            return ledger::ParseDocument("ledger", doc.body);
          }};
}

}  // namespace

Result<std::string> VerifyLedger(store::Store& db) {
  ledger::ChainCheck chain;
  RETURN_IF_ERROR(db.ForEachDocument(
      "", [&](const store::StoredDocument& d) { return chain.Add(Record(d)); }, false));
  ledger::MovementCheck movements(chain.documents());
  const std::unordered_set<std::string> elections(chain.elections().begin(), chain.elections().end());
  // A stored balance of no election with documents: the documents give none.
  auto unexpected = [&](const std::string& election, const std::string& node, const std::string& article,
                        int64_t quantity) -> Status {
    if (elections.count(election) || quantity == 0) return {};
    return Error(ErrorKind::kConflict, "ledger verify failed: the balance of " + article + " at " + node + " is " +
                                           std::to_string(quantity) + "; the movements give 0");
  };
  if (elections.empty()) RETURN_IF_ERROR(db.ForEachBalance(unexpected));
  int64_t balances = 0, kits = 0, tps = 0;
  for (const std::string& election : chain.elections()) {
    const std::unique_ptr<ElectionData> data = TRY(LoadElectionData(db, election));
    // The replay needs the catalog only: the TPS list goes (the catalog keeps their codes).
    std::vector<geo::Tps>().swap(data->tps);
    data->catalog.contracts = nullptr;  // contracts were checked when posted; they may have changed since
    ledger::ElectionReplay replay(data->catalog, HistoryOf(db), movements);
    readiness::ProjectionCheck projection;
    projection.Reserve(data->catalog.tps.size());
    RETURN_IF_ERROR(db.ForEachDocument(election, [&](const store::StoredDocument& d) {
      return replay.Document(Record(d), [&](const ledger::TpsEffect& effect) { projection.Apply(effect); });
    }));
    const bool first = election == chain.elections().front();
    RETURN_IF_ERROR(db.ForEachBalance(
        [&](const std::string& of, const std::string& node, const std::string& article, int64_t quantity) -> Status {
          if (of == election) return replay.Balance(node, article, quantity);
          return first ? unexpected(of, node, article, quantity) : Status();
        }));
    RETURN_IF_ERROR(replay.EndBalances());
    RETURN_IF_ERROR(db.ForEachKit(election, [&](const ledger::Kit& kit) { return replay.Kit(kit); }));
    RETURN_IF_ERROR(replay.EndKits());
    RETURN_IF_ERROR(db.ForEachTpsState(election, "", [&](const std::string& code, const readiness::TpsState& state) {
      return projection.Stored(code, state);
    }));
    RETURN_IF_ERROR(projection.End());
    balances += replay.balances();
    kits += replay.kits();
    tps += projection.checked();
  }
  RETURN_IF_ERROR(db.ForEachMovement([&](const store::StoredMovement& m) { return movements.Add(m.seq, m.movement); }));
  RETURN_IF_ERROR(movements.End());
  return "ok: " + FormatThousands(chain.documents()) + " documents, chain head " +
         (chain.head().empty() ? "(empty)" : chain.head()) + "; " + FormatThousands(movements.lines()) +
         " movement lines, " + FormatThousands(balances) + " balances, " + FormatThousands(kits) + " kits and " +
         FormatThousands(tps) + " TPS readiness rows agree with the documents";
}

}  // namespace tepat::app
