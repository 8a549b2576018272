// What every command shares: the global options, reading and writing files, opening the store, finding an election.
#pragma once

#include <fstream>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "ledger/posting.h"
#include "readiness/board.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace tepat::cli {

class Lines;

struct Context {
  std::string db = "tepat.db";
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // The command's outcome, set by the command's callback.
  Status status;
};

Result<std::string> ReadFile(const std::string& path);
// Writes to `path`, or to the context's output when `path` is empty or "-".
Status WriteOutput(Context& ctx, const std::string& path, std::string_view content);

// Output written piece by piece, for outputs too large to hold in memory: to the context's output, or to a file
// through a temporary file that Commit() renames into place (a failed command leaves no half file).
class OutputSink {
 public:
  OutputSink() = default;
  ~OutputSink();
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;

  Status Open(Context& ctx, const std::string& path);
  void Write(std::string_view text);
  // Writes `buffer` out and clears it once it holds more than a few MiB.
  void Drain(std::string& buffer);
  Status Commit();

 private:
  std::ostream* out_ = nullptr;
  std::unique_ptr<std::ofstream> file_;
  std::string path_, temporary_;
};

// Opens the store and checks that its schema is current (`tepat init` creates and migrates it).
Result<std::unique_ptr<store::Store>> OpenStore(const Context& ctx);
// An election by built-in id, or from a definition file when the argument ends in ".toml".
Result<election::Definition> LoadElection(const std::string& id_or_path);
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
// Loads an election's data; fails with a hint when it has no TPS. Held by pointer: the catalog points into it.
Result<std::unique_ptr<ElectionData>> LoadElectionData(store::Store& store, const std::string& election);
// The readiness board of an election with its stored per-TPS projection loaded: all of it, or that of the TPS whose
// codes start with `prefix` (a region's code and a dot), for answers about that region only.
Result<readiness::Board> LoadBoard(store::Store& store, const ElectionData& data, std::string_view prefix = "");
// Loads the stored per-TPS projection into a board built for the same election.
Status LoadTpsStates(store::Store& store, const ElectionData& data, readiness::Board& board,
                     std::string_view prefix = "");

// Posts NDJSON documents (one JSON document per line) to the ledger: the one path every document takes, from a file,
// the scenario or a test. Each document is all-or-nothing: a line that is not a valid document, or a document the
// ledger refuses, is reported with its line number and writes nothing, and the others are posted. Documents go in
// batches, each batch one durable transaction; each election's data and ledger session stay open across inputs.
struct ImportSummary {
  int64_t posted = 0, replayed = 0, refused = 0;
};
class LedgerPoster {
 public:
  LedgerPoster(store::Store& store, size_t batch) : store_(store), batch_(batch) {}
  // Uses already loaded data for its election (it must outlive the poster).
  void Use(const ElectionData& data) { external_[data.definition.id] = &data; }
  // Posts the documents of `text`, named `file` in messages.
  Result<ImportSummary> Post(std::string_view file, std::string_view text);
  // Posts the documents of an NDJSON file, read line by line.
  Result<ImportSummary> PostFile(const std::string& path);

 private:
  Result<ImportSummary> Post(std::string_view file, Lines& lines);
  store::Store& store_;
  size_t batch_;
  std::map<std::string, const ElectionData*> external_;
  std::map<std::string, std::unique_ptr<ElectionData>> owned_;
  std::map<std::string, std::unique_ptr<store::LedgerSession>> sessions_;
};

// Appends one CSV row `tps_code,problem` per problem in `mask`: the format of `readiness problems` and of the
// scenario's truth, which must compare byte for byte.
void AppendProblemRows(std::string& out, const std::string& tps_code, readiness::ProblemMask mask);

// Commands, one file each.
void AddInitCommand(CLI::App& app, Context& ctx);
void AddImportCommand(CLI::App& app, Context& ctx);
void AddGenerateCommand(CLI::App& app, Context& ctx);
void AddRegionsCommand(CLI::App& app, Context& ctx);
void AddElectionCommand(CLI::App& app, Context& ctx);
void AddNeedsCommand(CLI::App& app, Context& ctx);
void AddLedgerCommand(CLI::App& app, Context& ctx);
void AddReadinessCommand(CLI::App& app, Context& ctx);
void AddScenarioCommand(CLI::App& app, Context& ctx);

// Runs tepat with `argv`, writing to `out` and `err`; returns the exit code (0 ok, 1 refused or failed, 2 usage).
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace tepat::cli
