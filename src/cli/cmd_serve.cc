// tepat serve: the HTTP API, live events and the web application's files. Settings come from a TOML file
// (--config), then the environment (TEPAT_*), then flags: flags win over the environment, which wins over the file.
#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <thread>

#include "cli/context.h"
#include "common/toml_text.h"
#include "server/api.h"

namespace tepat::cli {

namespace {

// Every setting, as text until it is checked, with where it came from for messages.
struct Setting {
  std::string value;
  std::string from;
};

struct ServeOptions {
  std::string config;
  std::map<std::string, std::string> flags;  // setting name → value given on the command line
};

// The settings tepat serve knows: name in the file's [server] table, environment variable, flag.
struct Known {
  const char* name;
  const char* env;
  const char* flag;
  const char* fallback;
  const char* help;
};
constexpr Known kSettings[] = {
    {"listen", "TEPAT_LISTEN", "--listen", "127.0.0.1:8080", "ADDRESS:PORT to listen on (port 0: any free port)"},
    {"static_dir", "TEPAT_STATIC_DIR", "--static-dir", "",
     "the web application's built files (default: web/dist of this build, when built; \"none\" serves none)"},
    {"elections", "TEPAT_ELECTIONS", "--elections", "",
     "elections to load, comma separated (default: every built-in "
     "election with TPS in the database)"},
    {"max_connections", "TEPAT_MAX_CONNECTIONS", "--max-connections", "10000", "open connections allowed"},
    {"request_deadline_ms", "TEPAT_REQUEST_DEADLINE_MS", "--request-deadline-ms", "10000",
     "from a request's first byte to its answer"},
    {"idle_timeout_ms", "TEPAT_IDLE_TIMEOUT_MS", "--idle-timeout-ms", "120000", "an idle kept-alive connection"},
    {"heartbeat_ms", "TEPAT_HEARTBEAT_MS", "--heartbeat-ms", "15000", "heartbeat on event streams"},
    {"events_ms", "TEPAT_EVENTS_MS", "--events-ms", "1000", "how often changed readiness is sent to event streams"},
    {"follow_ms", "TEPAT_FOLLOW_MS", "--follow-ms", "500",
     "how often the ledger is read for documents other processes posted"},
    {"session_hours", "TEPAT_SESSION_HOURS", "--session-hours", "12", "how long a login lasts"},
    {"secure_cookie", "TEPAT_SECURE_COOKIE", "--secure-cookie", "false", "mark the session cookie Secure (TLS)"},
    {"allowed_origins", "TEPAT_ALLOWED_ORIGINS", "--allowed-origins", "",
     "origins besides the server's own whose pages may send writes, comma separated (https://tepat.example.go.id "
     "behind a proxy that changes Host)"},
};

Result<std::map<std::string, Setting>> Settings(const ServeOptions& options) {
  std::map<std::string, Setting> out;
  for (const Known& k : kSettings) out[k.name] = {k.fallback, "default"};
  if (!options.config.empty()) {
    const std::string text = TRY(ReadFile(options.config));
    const toml::table file = TRY(ParseToml(options.config, text));
    const toml::table* server = file["server"].as_table();
    if (!server) return InvalidInput(options.config + ": expected a [server] table");
    for (const auto& [key, value] : *server) {
      const std::string name(key.str());
      if (!out.count(name)) return InvalidInput(options.config + ": [server] " + name + ": unknown setting");
      std::ostringstream text_value;
      if (value.is_string()) {
        text_value << value.as_string()->get();
      } else if (value.is_integer()) {
        text_value << value.as_integer()->get();
      } else if (value.is_boolean()) {
        text_value << (value.as_boolean()->get() ? "true" : "false");
      } else {
        return InvalidInput(options.config + ": [server] " + name + ": expected a string, integer or boolean");
      }
      out[name] = {text_value.str(), options.config + ": [server] " + name};
    }
  }
  for (const Known& k : kSettings) {
    if (const char* env = std::getenv(k.env); env && *env) out[k.name] = {env, std::string("$") + k.env};
  }
  for (const auto& [name, value] : options.flags) {
    for (const Known& k : kSettings) {
      if (k.name == name) out[name] = {value, k.flag};
    }
  }
  return out;
}

Result<int64_t> Integer(const Setting& s, int64_t low, int64_t high) {
  char* end = nullptr;
  const long long v = std::strtoll(s.value.c_str(), &end, 10);
  if (s.value.empty() || *end != '\0' || v < low || v > high) {
    return InvalidInput(s.from + ": expected a whole number from " + std::to_string(low) + " to " +
                        std::to_string(high) + ", not '" + s.value + "'");
  }
  return static_cast<int64_t>(v);
}

// A comma-separated list, without empty items.
std::vector<std::string> List(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find(',', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<bool> Boolean(const Setting& s) {
  if (s.value == "true" || s.value == "1") return true;
  if (s.value == "false" || s.value == "0") return false;
  return InvalidInput(s.from + ": expected true or false, not '" + s.value + "'");
}

Status Serve(Context& ctx, const ServeOptions& options) {
  auto settings = TRY(Settings(options));
  server::ServerOptions server_options;
  server::ApiOptions api_options;
  const Setting& listen = settings["listen"];
  const size_t colon = listen.value.rfind(':');
  if (colon == std::string::npos)
    return InvalidInput(listen.from + ": expected ADDRESS:PORT, not '" + listen.value + "'");
  server_options.address = listen.value.substr(0, colon);
  server_options.port = static_cast<uint16_t>(TRY(Integer({listen.value.substr(colon + 1), listen.from}, 0, 65535)));
  server_options.max_connections = TRY(Integer(settings["max_connections"], 1, 1'000'000));
  server_options.request_deadline =
      std::chrono::milliseconds(TRY(Integer(settings["request_deadline_ms"], 100, 3'600'000)));
  server_options.idle_timeout = std::chrono::milliseconds(TRY(Integer(settings["idle_timeout_ms"], 100, 86'400'000)));
  server_options.heartbeat = std::chrono::milliseconds(TRY(Integer(settings["heartbeat_ms"], 10, 3'600'000)));
  const auto events_every = std::chrono::milliseconds(TRY(Integer(settings["events_ms"], 10, 60'000)));
  const auto follow_every = std::chrono::milliseconds(TRY(Integer(settings["follow_ms"], 10, 60'000)));
  api_options.session_seconds = TRY(Integer(settings["session_hours"], 1, 24 * 30)) * 3600;
  api_options.secure_cookie = TRY(Boolean(settings["secure_cookie"]));
  api_options.static_dir = settings["static_dir"].value;
  if (settings["static_dir"].from == "default" && std::filesystem::exists(TEPAT_WEB_DIR "/index.html")) {
    api_options.static_dir = TEPAT_WEB_DIR;
  }
  if (api_options.static_dir == "none") api_options.static_dir.clear();
  if (!store::IsServerLocation(ctx.db)) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) api_options.never_serve.push_back(ctx.db + suffix);
  }
  for (const std::string& origin : List(settings["allowed_origins"].value)) {
    if (!(origin.starts_with("http://") || origin.starts_with("https://")) ||
        origin.find('/', origin.find("://") + 3) != std::string::npos) {
      return InvalidInput(settings["allowed_origins"].from +
                          ": expected origins like https://tepat.example.go.id, not '" + origin + "'");
    }
    server_options.allowed_origins.push_back(origin);
  }
  std::vector<std::string> elections = List(settings["elections"].value);
  const bool named = !elections.empty();
  if (!named) elections = election::BuiltinIds();

  // No request waits for housekeeping: the connections that commit leave it to the maintenance thread below.
  auto store = TRY(OpenStore(ctx));
  store->LeaveMaintenanceToOthers();
  // Documents are written on a connection of their own by the ledger writer's thread, every document that queued up
  // while it committed going into one durable transaction (group commit).
  auto writer_store = TRY(OpenStore(ctx));
  writer_store->LeaveMaintenanceToOthers();
  // One clock for the handlers and the ledger writer's audit entries: the system's, since over HTTP now is always
  // the clock (TEPAT_NOW is the command line's; docs/oversight.md §14).
  const app::Clock clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
  api_options.clock = clock;
  api_options.open_store = [&ctx] { return OpenStore(ctx); };
  app::LedgerWriter writer(*writer_store, {.clock = clock});
  writer.StartThread();
  server::Router router;
  server::Metrics metrics;
  server::Api api(*store, writer, metrics, api_options);
  api.AddRoutes(router);
  server::HttpServer http(router, metrics, server_options);
  auto maintainer = TRY(OpenStore(ctx));
  auto follower = TRY(OpenStore(ctx));
  api.AnswerOn([&http](std::function<void()> work) { http.Post(std::move(work)); });
  if (std::string error = http.Listen(); !error.empty()) return IoError(error);
  *ctx.out << "tepat serve: listening on http://" << server_options.address << ":" << http.port() << std::endl;
  *ctx.out << "tepat serve: web application "
           << (api_options.static_dir.empty() ? "not served (no static_dir; build it with make build)"
                                              : "from " + api_options.static_dir)
           << std::endl;

  // The elections load on their own connection while /healthz already answers; each is handed to the I/O thread.
  std::mutex mutex;
  std::condition_variable wake;
  bool done = false;
  std::map<std::string, int64_t> followed;  // election → the ledger seq its board reflects (guarded by `mutex`)
  std::thread loader([&] {
    auto own = OpenStore(ctx);
    for (const std::string& id : elections) {
      if (!own.ok()) break;
      auto data = LoadElectionData(*own.value(), id);
      if (!data.ok()) {
        if (named) *ctx.err << "tepat serve: election " << id << ": " << data.error().message() << std::endl;
        continue;
      }
      // The head first: documents posted while the board loads are read again by the follower, never missed.
      auto head = own.value()->Head();
      auto board = LoadBoard(*own.value(), *data.value());
      auto clock = own.value()->LedgerClock(id);
      if (!board.ok() || !clock.ok() || !head.ok()) {
        *ctx.err << "tepat serve: election " << id << ": "
                 << (!board.ok()   ? board.error()
                     : !clock.ok() ? clock.error()
                                   : head.error())
                        .message()
                 << std::endl;
        continue;
      }
      auto loaded = std::make_shared<server::LoadedElection>();
      loaded->data = std::move(data).value();
      loaded->board = std::make_unique<readiness::Board>(std::move(board).value());
      loaded->clock = clock.value();
      *ctx.out << "tepat serve: loaded " << id << " (" << loaded->board->tps_count() << " TPS)" << std::endl;
      http.Post([&api, loaded] { api.AddElection(std::make_unique<server::LoadedElection>(std::move(*loaded))); });
      std::lock_guard lock(mutex);
      followed[id] = head.value().seq;
    }
    if (!own.ok()) *ctx.err << "tepat serve: " << own.error().message() << std::endl;
    http.Post([&api, &ctx] {
      api.Ready();
      *ctx.out << "tepat serve: ready" << std::endl;
    });
  });
  // Changed readiness goes out to the event streams at most every events_ms.
  std::thread events([&] {
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, events_every, [&] { return done; })) http.Post([&api] { api.FlushEvents(); });
  });
  // Housekeeping every second on a connection of its own (SQLite: the write-ahead log is copied into the database
  // without blocking the writer).
  std::thread maintenance([&] {
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, std::chrono::seconds(1), [&] { return done; })) {
      lock.unlock();
      if (Status kept = maintainer->Maintain(); !kept.ok()) {
        *ctx.err << "tepat serve: " << kept.error().message() << std::endl;
      }
      lock.lock();
    }
  });
  // Documents other processes post (another tepat serve on the same database, a `tepat ledger import`) reach the
  // boards by following the ledger: the TPS rows changed after the seq each board reflects, every follow_ms.
  std::thread following([&] {
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, follow_every, [&] { return done; })) {
      const std::map<std::string, int64_t> elections = followed;
      lock.unlock();
      for (const auto& [id, seq] : elections) {
        auto head = follower->Head();
        if (!head.ok() || head.value().seq <= seq) continue;
        std::vector<server::Api::FollowedState> states;
        Status read = follower->ForEachTpsStateChangedAfter(
            id, seq, [&](const std::string& tps, const readiness::TpsState& state, int64_t at) -> Status {
              states.push_back({tps, state, at});
              return {};
            });
        auto clock = follower->LedgerClock(id);
        if (!read.ok() || !clock.ok()) {
          *ctx.err << "tepat serve: following " << id << ": " << (read.ok() ? clock.error() : read.error()).message()
                   << std::endl;
          continue;
        }
        http.Post([&api, election = id, states = std::move(states), at = clock.value()] {
          api.Follow(election, states, at);
        });
        std::lock_guard guard(mutex);
        followed[id] = head.value().seq;
      }
      lock.lock();
    }
  });
  http.Run();
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  wake.notify_all();
  events.join();
  maintenance.join();
  following.join();
  loader.join();
  writer.Stop();  // what is queued is written, and its answers handed to the stopped server, before it goes
  api.StopSimulations();
  *ctx.out << "tepat serve: stopped" << std::endl;
  return {};
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API, live events and the web application");
  cmd->add_option("--config", options->config, "TOML file with a [server] table");
  for (const Known& k : kSettings) {
    const std::string name = k.name;
    cmd->add_option_function<std::string>(
        k.flag, [options, name](const std::string& value) { options->flags[name] = value; },
        std::string(k.help) + " (env " + k.env + ")");
  }
  cmd->callback([&ctx, options] { ctx.status = Serve(ctx, *options); });
}

}  // namespace tepat::cli
