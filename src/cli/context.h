// What every command shares: the global options, reading and writing files, opening the store, finding an election.
#pragma once

#include <fstream>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/ledger_writer.h"
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

using app::AppendProblemRows;
using app::ElectionData;
using app::ImportSummary;
using app::LedgerPoster;
using app::LoadBoard;
using app::LoadDapil;
using app::LoadElection;
using app::LoadElectionData;
using app::LoadRegions;
using app::LoadTpsStates;
using app::ReadFile;

struct Context {
  std::string db = "tepat.db";
  std::istream* in = nullptr;  // standard input (passwords given with --password-stdin)
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // The command's outcome, set by the command's callback.
  Status status;
};

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

// The time now, or the time TEPAT_NOW gives (ISO 8601 with its offset): supervision records made on a replayed
// election (the demo, tests) carry the election's own dates.
int64_t Now();

// An audit entry of a command: its actor is the operating-system user ("os:NAME"), its address "cli".
access::AuditEntry CliAudit(std::string action, std::string target, std::string region, std::string detail,
                            std::string outcome = "ok");
// The command's user as the ledger sees it: an admin (whoever runs tepat has the database), named as in CliAudit.
access::Principal CliPrincipal();
// Posts NDJSON documents as the command's user through a ledger writer of its own, stamped with Now(), whose thread
// commits one batch while the next is read.
class CliPoster {
 public:
  CliPoster(store::Store& store, size_t batch);
  // Uses already loaded data for its election (it must outlive the poster).
  void Use(const ElectionData& data) { writer_->Use(data); }
  Result<ImportSummary> Post(std::string_view file, std::string_view text) { return poster_.Post(file, text); }
  Result<ImportSummary> PostFile(const std::string& path) { return poster_.PostFile(path); }

 private:
  std::unique_ptr<app::LedgerWriter> writer_;
  LedgerPoster poster_;
};

// Commands, one file each.
void AddInitCommand(CLI::App& app, Context& ctx);
void AddImportCommand(CLI::App& app, Context& ctx);
void AddOversightCommand(CLI::App& app, Context& ctx);
void AddGenerateCommand(CLI::App& app, Context& ctx);
void AddRegionsCommand(CLI::App& app, Context& ctx);
void AddElectionCommand(CLI::App& app, Context& ctx);
void AddNeedsCommand(CLI::App& app, Context& ctx);
void AddLedgerCommand(CLI::App& app, Context& ctx);
void AddReadinessCommand(CLI::App& app, Context& ctx);
void AddScenarioCommand(CLI::App& app, Context& ctx);
void AddPlanCommand(CLI::App& app, Context& ctx);
void AddProcurementCommand(CLI::App& app, Context& ctx);
void AddSimulateCommand(CLI::App& app, Context& ctx);
void AddUserCommand(CLI::App& app, Context& ctx);
void AddAuditCommand(CLI::App& app, Context& ctx);
void AddServeCommand(CLI::App& app, Context& ctx);
void AddDemoCommand(CLI::App& app, Context& ctx);

// Runs tepat with `argv`, writing to `out` and `err`; returns the exit code (0 ok, 1 refused or failed, 2 usage).
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
// The same, reading standard input from `in`.
int Run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace tepat::cli
