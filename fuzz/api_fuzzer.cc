// Fuzz target: the whole API (server::Api) over a small temporary SQLite database: the fixture regions, TPS and dapil
// of pemilu-2024, a played scenario in the ledger, and an admin, a KPU officer of 35.78 and a Bawaslu supervisor of
// 35.78.01. Each input is one raw HTTP request, answered as the server answers it (server::AnswerRaw) without a
// socket; "@admin", "@kpu" and "@bawaslu" in it stand for those accounts' session tokens. No input may get a 5xx, an
// answer that is not valid JSON where it says it is, or a crash. State carries over from one input to the next, as it
// does on a server.
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "app/app.h"
#include "app/ledger_writer.h"
#include "cli/context.h"
#include "common/hash.h"
#include "fuzz_support.h"
#include "server/api.h"
#include "server/http.h"
#include "store/store.h"

namespace {

using namespace tepat;
namespace fs = std::filesystem;

constexpr const char* kPassword = "rahasia-2024-tepat";

struct World {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  server::Metrics metrics;
  std::unique_ptr<app::LedgerWriter> writer;  // without a thread: a post is written before its request returns
  std::unique_ptr<server::Api> api;
  server::Router router;
  server::ServerOptions options;
  std::map<std::string, std::string> tokens;  // "@admin" → its session token
};

void Cli(const std::vector<std::string>& args, const std::string& input = "") {
  std::vector<const char*> argv = {"tepat"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::istringstream in(input);
  std::ostringstream out, err;
  if (cli::Run(static_cast<int>(argv.size()), argv.data(), in, out, err) != 0) {
    fuzz::Fail("the fuzz world could not be made", err.str());
  }
}

// Gives each account a session again when an input ended it (a logout, a password change): sessions are made in the
// store, as a login would make them, so that the throttle of failed logins the fuzzer causes does not stop it.
void KeepSessions(World& w) {
  const int64_t now = std::time(nullptr);
  for (auto& [name, token] : w.tokens) {
    if (!token.empty()) {
      auto session = w.store->FindSession(Sha256Hex(token), now);
      if (session.ok() && session.value()) continue;
    }
    const std::string user = name.substr(1);
    auto account = w.store->FindAccount(user);
    if (!account.ok() || !account.value()) fuzz::Fail("no account", user);
    token = RandomHex(32);
    const access::Session session{Sha256Hex(token), account.value()->id, now, now + 3600, "127.0.0.1"};
    const access::AuditEntry audit{0, now, user, "127.0.0.1", "login", user, "", "ok", "fuzz"};
    if (!w.store->SaveSession(session, audit).ok()) fuzz::Fail("no session", user);
  }
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    char pattern[] = "/tmp/tepat-api-fuzz-XXXXXX";
    if (!::mkdtemp(pattern)) fuzz::Fail("no temporary folder", pattern);
    w->dir = pattern;
    fs::create_directories(w->dir / "regions");
    for (const char* name : {"provinces.csv", "regencies.csv", "districts.csv", "villages.csv", "islands.csv"}) {
      std::ofstream(w->dir / "regions" / name) << fuzz::FixtureFile(name);
    }
    for (const char* name : {"pemilu-tps.csv", "pemilu-dapil.csv"})
      std::ofstream(w->dir / name) << fuzz::FixtureFile(name);
    const std::string db = (w->dir / "api.db").string();
    Cli({"--db", db, "init"});
    Cli({"--db", db, "import", "regions", (w->dir / "regions").string()});
    Cli({"--db", db, "import", "tps", "--election", "pemilu-2024", (w->dir / "pemilu-tps.csv").string()});
    Cli({"--db", db, "import", "dapil", "--election", "pemilu-2024", (w->dir / "pemilu-dapil.csv").string()});
    Cli({"--db", db, "scenario", "play", "--election", "pemilu-2024", "--seed", "5", "--until", "H-2", "--truth",
         (w->dir / "truth.csv").string()});
    Cli({"--db", db, "plan", "generate", "--election", "pemilu-2024"});
    const std::string password = std::string(kPassword) + "\n";
    Cli({"--db", db, "user", "add", "admin", "--role", "admin", "--password-stdin"}, password);
    Cli({"--db", db, "user", "add", "kpu", "--role", "kpu", "--scope", "35.78", "--password-stdin"}, password);
    Cli({"--db", db, "user", "add", "bawaslu", "--role", "bawaslu", "--scope", "35.78.01", "--password-stdin"},
        password);
    auto store = store::OpenStore(db);
    if (!store.ok()) fuzz::Fail("the fuzz database does not open", store.error().ToString());
    w->store = std::move(store).value();
    w->writer = std::make_unique<app::LedgerWriter>(*w->store, app::LedgerWriter::Options{});
    w->api = std::make_unique<server::Api>(*w->store, *w->writer, w->metrics, server::ApiOptions{});
    w->api->AddRoutes(w->router);
    auto data = app::LoadElectionData(*w->store, "pemilu-2024");
    if (!data.ok()) fuzz::Fail("pemilu-2024 does not load", data.error().ToString());
    auto board = app::LoadBoard(*w->store, *data.value());
    auto clock = w->store->LedgerClock("pemilu-2024");
    if (!board.ok() || !clock.ok()) fuzz::Fail("the board does not load", "");
    auto election = std::make_unique<server::LoadedElection>();
    election->data = std::move(data).value();
    election->board = std::make_unique<readiness::Board>(std::move(board).value());
    election->clock = clock.value();
    w->api->AddElection(std::move(election));
    w->api->Ready();
    for (const char* user : {"admin", "kpu", "bawaslu"}) w->tokens[std::string("@") + user] = "";
    KeepSessions(*w);
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(TheWorld().dir, ignored);
    });
    return w;
  }();
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  std::string raw(fuzz::Text(data, size));
  for (const auto& [name, token] : w.tokens) {
    for (size_t at = raw.find(name); at != std::string::npos; at = raw.find(name, at + token.size())) {
      raw.replace(at, name.size(), token);
    }
  }
  const server::Response r = server::AnswerRaw(raw, w.router, w.options);
  KeepSessions(w);
  static const bool verbose = std::getenv("TEPAT_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "%d %s %.120s\n", r.status, raw.substr(0, raw.find(' ', raw.find(' ') + 1)).c_str(),
                 r.body.c_str());
  }
  if (r.status >= 500 || r.status < 100) fuzz::Fail("answered " + std::to_string(r.status), raw, r.body);
  if (r.content_type == "application/json" && !r.stream && r.status != 304) {
    rapidjson::Document answer;
    answer.Parse<rapidjson::kParseValidateEncodingFlag>(r.body.data(), r.body.size());
    if (answer.HasParseError()) fuzz::Fail("an answer that is not valid JSON", raw, r.body);
  }
  return 0;
}
