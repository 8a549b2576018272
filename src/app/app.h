// What the command line and the server share: reading an election's definition and data, the readiness board built
// over the stored projection, and reading NDJSON documents into the ledger writer (app/ledger_writer.h), the one
// path every document takes into the ledger.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/synthetic.h"
#include "geo/tps.h"
#include "ledger/posting.h"
#include "readiness/board.h"
#include "store/store.h"

namespace tepat::app {

class Lines;
class LedgerWriter;

Result<std::string> ReadFile(const std::string& path);
// An election by built-in id, or from a definition file when the argument ends in ".toml".
Result<election::Definition> LoadElection(const std::string& id_or_path);
// The demo's profile of the same election (its file's [synthetic] table), for `tepat generate`.
Result<geo::SyntheticProfile> LoadSyntheticProfile(const std::string& id_or_path);
// The regions, failing with a hint when none are imported.
Result<geo::RegionSet> LoadRegions(store::Store& store);
// The dapil of an election as a DapilSet over `regions`.
Result<geo::DapilSet> LoadDapil(store::Store& store, const election::Definition& def, const geo::RegionSet& regions);

// An election with its regions, TPS and dapil, and the catalog the ledger checks documents against.
struct ElectionData {
  election::Definition definition;
  geo::RegionSet regions;
  std::vector<geo::Tps> tps;
  geo::DapilSet dapils;
  ledger::Catalog catalog;
};
// Loads an election's data; fails with a hint when it has no TPS. Held by pointer: the catalog points into it. The
// needs, computed to build the catalog, go to `needs` when it is given.
Result<std::unique_ptr<ElectionData>> LoadElectionData(store::Store& store, const std::string& election,
                                                       planning::Needs* needs = nullptr);
// The readiness board of an election with its stored per-TPS projection loaded: all of it, or that of the TPS whose
// codes start with `prefix` (a region's code and a dot), for answers about that region only.
Result<readiness::Board> LoadBoard(store::Store& store, const ElectionData& data, std::string_view prefix = "");
// Loads the stored per-TPS projection into a board built for the same election.
Status LoadTpsStates(store::Store& store, const ElectionData& data, readiness::Board& board,
                     std::string_view prefix = "");

// Posts NDJSON documents (one JSON document per line) through a LedgerWriter, from a file, the scenario or a test.
// Each document is all-or-nothing: a line that is not a valid document, or a document the ledger refuses, is
// reported with its line number and writes nothing, and the others are posted. Lines are read and parsed while the
// writer commits the batch before (give it StartThread() for that), each batch of `batch` documents one durable
// transaction.
struct ImportSummary {
  int64_t posted = 0, replayed = 0, refused = 0;
};
class LedgerPoster {
 public:
  // Posts as `who` from `address` (the audit trail's actor and address).
  LedgerPoster(LedgerWriter& writer, size_t batch, access::Principal who, std::string address)
      : writer_(writer), batch_(batch), who_(std::move(who)), address_(std::move(address)) {}
  // Posts the documents of `text`, named `file` in messages.
  Result<ImportSummary> Post(std::string_view file, std::string_view text);
  // Posts the documents of an NDJSON file, read line by line.
  Result<ImportSummary> PostFile(const std::string& path);

 private:
  Result<ImportSummary> Post(std::string_view file, Lines& lines);
  LedgerWriter& writer_;
  size_t batch_;
  access::Principal who_;
  std::string address_;
};

// Appends one CSV row `tps_code,problem` per problem in `mask`: the format of `readiness problems` and of the
// scenario's truth, which must compare byte for byte.
void AppendProblemRows(std::string& out, const std::string& tps_code, readiness::ProblemMask mask);

}  // namespace tepat::app
