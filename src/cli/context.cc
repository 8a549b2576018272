// Shared command-line plumbing and the top-level Run.
#include "cli/context.h"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/time.h"

namespace tepat::cli {

Status WriteOutput(Context& ctx, const std::string& path, std::string_view content) {
  OutputSink sink;
  RETURN_IF_ERROR(sink.Open(ctx, path));
  sink.Write(content);
  return sink.Commit();
}

OutputSink::~OutputSink() {
  if (file_) {
    file_.reset();
    std::remove(temporary_.c_str());
  }
}

Status OutputSink::Open(Context& ctx, const std::string& path) {
  if (path.empty() || path == "-") {
    out_ = ctx.out;
    return {};
  }
  path_ = path;
  temporary_ = path + ".tmp" + std::to_string(::getpid());
  file_ = std::make_unique<std::ofstream>(temporary_, std::ios::binary | std::ios::trunc);
  if (!*file_) {
    file_.reset();
    return IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  out_ = file_.get();
  return {};
}

void OutputSink::Write(std::string_view text) { out_->write(text.data(), static_cast<std::streamsize>(text.size())); }

void OutputSink::Drain(std::string& buffer) {
  if (buffer.size() < (4u << 20)) return;
  Write(buffer);
  buffer.clear();
}

Status OutputSink::Commit() {
  out_->flush();
  if (!*out_) return IoError("cannot write " + (path_.empty() ? std::string("the output") : path_));
  if (!file_) return {};
  file_->close();
  file_.reset();
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    std::remove(temporary_.c_str());
    return IoError("cannot write " + path_ + ": " + std::strerror(errno));
  }
  return {};
}

int64_t Now() {
  if (const char* now = std::getenv("TEPAT_NOW")) {
    if (auto seconds = ParseInstant(now)) return *seconds;
  }
  return std::time(nullptr);
}

namespace {

std::string CliActor() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return std::string("os:") + pw->pw_name;
  return "os:" + std::to_string(geteuid());
}

}  // namespace

access::AuditEntry CliAudit(std::string action, std::string target, std::string region, std::string detail,
                            std::string outcome) {
  return {0,
          Now(),
          CliActor(),
          "cli",
          std::move(action),
          std::move(target),
          std::move(region),
          std::move(outcome),
          std::move(detail)};
}

access::Principal CliPrincipal() { return {0, CliActor(), access::Role::kAdmin, ""}; }

CliPoster::CliPoster(store::Store& store, size_t batch)
    : writer_(std::make_unique<app::LedgerWriter>(store, app::LedgerWriter::Options{batch, Now})),
      poster_(*writer_, batch, CliPrincipal(), "cli") {
  writer_->StartThread();
}

Result<std::unique_ptr<store::Store>> OpenStore(const Context& ctx) {
  const bool server = store::IsServerLocation(ctx.db);
  if (!server && !std::filesystem::exists(ctx.db)) {
    return NotFound("there is no database at " + ctx.db + ": run `tepat --db " + ctx.db + " init` first");
  }
  auto store = TRY(store::OpenStore(ctx.db));
  const int version = TRY(store->SchemaVersion());
  if (version < store::Store::LatestSchemaVersion()) {
    return StorageError(ctx.db + " is at schema version " + std::to_string(version) + ", this tepat needs " +
                        std::to_string(store::Store::LatestSchemaVersion()) + ": run `tepat --db " + ctx.db +
                        " init` first");
  }
  if (version > store::Store::LatestSchemaVersion()) {
    return StorageError(ctx.db + " has schema version " + std::to_string(version) + ", newer than this tepat");
  }
  return store;
}

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  return Run(argc, argv, std::cin, out, err);
}

int Run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err) {
  Context ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  CLI::App app("tepat: election logistics for Indonesia (KPU and Bawaslu)", "tepat");
  app.add_option("--db", ctx.db, "SQLite database file (default tepat.db)");
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every command");
  AddInitCommand(app, ctx);
  AddImportCommand(app, ctx);
  AddGenerateCommand(app, ctx);
  AddRegionsCommand(app, ctx);
  AddElectionCommand(app, ctx);
  AddNeedsCommand(app, ctx);
  AddLedgerCommand(app, ctx);
  AddReadinessCommand(app, ctx);
  AddScenarioCommand(app, ctx);
  AddPlanCommand(app, ctx);
  AddProcurementCommand(app, ctx);
  AddSimulateCommand(app, ctx);
  AddOversightCommand(app, ctx);
  AddUserCommand(app, ctx);
  AddAuditCommand(app, ctx);
  AddServeCommand(app, ctx);
  AddDemoCommand(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::ostringstream usage_out, usage_err;
    const int code = app.exit(error, usage_out, usage_err);
    out << usage_out.str();
    err << usage_err.str();
    return code == 0 ? 0 : 2;
  }
  if (!ctx.status.ok()) {
    err << "tepat: " << ctx.status.error().ToString() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace tepat::cli
