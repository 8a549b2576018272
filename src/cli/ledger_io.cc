// What the ledger, readiness and scenario commands share: loading an election's data and catalog, building the
// readiness board, and posting NDJSON documents (the one path every document takes into the ledger).
#include <map>
#include <ostream>

#include "cli/context.h"
#include "common/text.h"
#include "ledger/node.h"
#include "planning/needs.h"

namespace tepat::cli {

Result<std::unique_ptr<ElectionData>> LoadElectionData(store::Store& store, const std::string& election) {
  auto data = std::make_unique<ElectionData>();
  data->definition = TRY(LoadElection(election));
  data->regions = TRY(LoadRegions(store));
  data->tps = TRY(store.LoadTps(data->definition.id, data->regions));
  if (data->tps.empty()) {
    return NotFound("election " + data->definition.id + " has no TPS: run `tepat import tps` or `tepat generate` first");
  }
  data->dapils = TRY(LoadDapil(store, data->definition, data->regions));
  planning::NeedsInput input{&data->definition, &data->regions, &data->tps, &data->dapils};
  const planning::Needs needs = TRY(planning::ComputeNeeds(input));
  ledger::Catalog& catalog = data->catalog;
  catalog.election = data->definition.id;
  catalog.regions = &data->regions;
  for (const planning::NeedItem& item : needs.items) catalog.items.insert(item.code);
  for (const election::Vendor& vendor : data->definition.vendors) catalog.vendors.insert(vendor.code);
  catalog.tps.reserve(data->tps.size());
  for (const geo::Tps& tps : data->tps) catalog.tps.insert(geo::RegionKey(geo::TpsCode(data->regions, tps)));
  return data;
}

Result<readiness::Board> LoadBoard(store::Store& store, const ElectionData& data) {
  readiness::Board board =
      TRY(readiness::Board::Build(data.definition, data.regions, data.tps, &data.dapils));
  for (const auto& [code, state] : TRY(store.LoadTpsStates(data.definition.id))) {
    RETURN_IF_ERROR(board.Load(code, state));
  }
  return board;
}

Result<ImportSummary> LedgerPoster::Post(std::string_view file, std::string_view text) {
  // Read every line first: a malformed line refuses the whole input.
  std::vector<ledger::Document> documents;
  std::vector<std::string> where;
  ProblemList problems;
  size_t line = 0;
  while (!text.empty()) {
    ++line;
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view json = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!json.empty() && json.back() == '\r') json.remove_suffix(1);
    if (json.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::string at = std::string(file) + ":" + std::to_string(line);
    Result<ledger::Document> doc = ledger::ParseDocument(at, json);
    if (!doc.ok()) {
      const Error& error = doc.error();
      if (error.problems().empty()) problems.Add(at, "", error.message().substr(at.size() + 2));
      for (const Problem& p : error.problems()) problems.Add(p.where, p.column, p.reason);
      continue;
    }
    documents.push_back(std::move(doc).value());
    where.push_back(std::move(at));
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": the documents were refused; nothing was posted");

  // Post runs of documents of one election through that election's ledger.
  ImportSummary summary;
  ProblemList refused;
  size_t i = 0;
  while (i < documents.size()) {
    const std::string election = documents[i].election;
    if (!sessions_.count(election)) {
      const ElectionData* data = external_.count(election) ? external_[election] : nullptr;
      if (!data) {
        Result<std::unique_ptr<ElectionData>> loaded = LoadElectionData(store_, election);
        if (!loaded.ok()) {
          return Error(loaded.error().kind(), where[i] + ": election: " + loaded.error().message() + "; " +
                                                  FormatThousands(summary.posted) +
                                                  " documents before it were posted");
        }
        data = (owned_[election] = std::move(loaded).value()).get();
      }
      sessions_[election] = TRY(store_.OpenLedger(data->catalog));
    }
    size_t j = i;
    while (j < documents.size() && j - i < batch_ && documents[j].election == election) ++j;
    std::vector<ledger::Document> chunk(std::make_move_iterator(documents.begin() + i),
                                        std::make_move_iterator(documents.begin() + j));
    std::vector<std::string> chunk_where(where.begin() + i, where.begin() + j);
    const std::vector<store::PostOutcome> outcomes = TRY(sessions_[election]->Post(chunk, chunk_where));
    for (size_t k = 0; k < outcomes.size(); ++k) {
      const store::PostOutcome& outcome = outcomes[k];
      switch (outcome.kind) {
        case store::PostOutcome::Kind::kPosted: ++summary.posted; break;
        case store::PostOutcome::Kind::kReplayed: ++summary.replayed; break;
        case store::PostOutcome::Kind::kRefused:
          ++summary.refused;
          if (outcome.error->problems().empty()) {
            refused.Add(chunk_where[k], "", outcome.error->message().substr(chunk_where[k].size() + 2));
          }
          for (const Problem& p : outcome.error->problems()) refused.Add(p.where, p.column, p.reason);
      }
    }
    i = j;
  }
  if (!refused.empty()) {
    return refused.ToError(std::string(file) + ": " + FormatThousands(summary.refused) +
                           " documents were refused and not posted; " + FormatThousands(summary.posted) +
                           " others were posted and " + FormatThousands(summary.replayed) + " were already");
  }
  return summary;
}

}  // namespace tepat::cli
