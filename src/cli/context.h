// What every command shares: the global options, reading and writing files, opening the store, finding an election.
#pragma once

#include <fstream>
#include <iosfwd>
#include <memory>
#include <string>

#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace tepat::cli {

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

// Commands, one file each.
void AddInitCommand(CLI::App& app, Context& ctx);
void AddImportCommand(CLI::App& app, Context& ctx);
void AddGenerateCommand(CLI::App& app, Context& ctx);
void AddRegionsCommand(CLI::App& app, Context& ctx);
void AddElectionCommand(CLI::App& app, Context& ctx);
void AddNeedsCommand(CLI::App& app, Context& ctx);

// Runs tepat with `argv`, writing to `out` and `err`; returns the exit code (0 ok, 1 refused or failed, 2 usage).
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace tepat::cli
