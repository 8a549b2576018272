// A real `tepat serve` for tests: a child process on a free port over a small world (the fixture regions, TPS and
// dapil of pemilu-2024, an account per role and scope, the scenario's documents), and raw HTTP/1.1 exchanges with it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/api.h"
#include "store/store.h"
#include "testing/testing.h"

namespace tepat::testing {

using nlohmann::json;

inline constexpr const char* kPassword = "rahasia-2024-tepat";

inline int Connect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
};

// The answers in `data`, in order; informational ones (100 Continue) left out. A body runs for its Content-Length,
// or to the end without one.
inline std::vector<Reply> ParseReplies(const std::string& data) {
  std::vector<Reply> replies;
  size_t at = 0;
  while (at + 12 <= data.size() && data.compare(at, 5, "HTTP/") == 0) {
    const size_t end = data.find("\r\n\r\n", at);
    if (end == std::string::npos) break;
    Reply reply;
    reply.status = std::atoi(data.substr(at + 9, 3).c_str());
    std::istringstream head(data.substr(at, end - at));
    std::string line;
    std::getline(head, line);
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = line.substr(std::min(line.size(), colon + 2));
    }
    at = end + 4;
    const auto length = reply.headers.find("content-length");
    const size_t size = length == reply.headers.end() ? data.size() - at
                                                      : std::min<size_t>(std::stoull(length->second), data.size() - at);
    reply.body = data.substr(at, size);
    at += size;
    if (reply.status >= 200) replies.push_back(std::move(reply));
  }
  return replies;
}

// What a connection brought back: every answer, and whether the server closed the connection.
struct Conversation {
  std::vector<Reply> replies;
  bool closed = false;
  std::string data;  // the bytes as they came
};

// Sends `raw` on a new connection, `piece` bytes at a time with `pace` between pieces (0: as fast as the socket
// takes them), while reading what comes back: a server may answer before it has read the whole request. Ends when
// the server closes the connection or `within` has passed.
inline Conversation Converse(uint16_t port, const std::string& raw,
                             std::chrono::milliseconds within = std::chrono::milliseconds(10000), size_t piece = 0,
                             std::chrono::milliseconds pace = std::chrono::milliseconds(0)) {
  Conversation c;
  const int fd = Connect(port);
  if (fd < 0) return c;
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + within;
  auto next_piece = std::chrono::steady_clock::now();
  size_t sent = 0;
  bool sending = true;
  char buffer[65536];
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    const bool want_send = sending && sent < raw.size() && now >= next_piece;
    pollfd p{fd, static_cast<short>(POLLIN | (want_send ? POLLOUT : 0)), 0};
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (sending && sent < raw.size() && !want_send) {
      wait = std::min(
          wait, std::chrono::duration_cast<std::chrono::milliseconds>(next_piece - now) + std::chrono::milliseconds(1));
    }
    if (::poll(&p, 1, static_cast<int>(wait.count())) < 0) break;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        c.closed = true;
        break;
      }
      if (n > 0) c.data.append(buffer, static_cast<size_t>(n));
    }
    if (want_send && (p.revents & POLLOUT)) {
      const size_t size = piece == 0 ? raw.size() - sent : std::min(piece, raw.size() - sent);
      const ssize_t n = ::send(fd, raw.data() + sent, size, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) sending = false;  // the server stopped reading
      if (n > 0) sent += static_cast<size_t>(n);
      if (sent == raw.size()) ::shutdown(fd, SHUT_WR);  // all said: a server draining the rest sees the end
      if (piece != 0) next_piece = std::chrono::steady_clock::now() + pace;
    }
  }
  ::close(fd);
  c.replies = ParseReplies(c.data);
  return c;
}

// Sends `raw` on a new connection and reads the answer to the end (the request asks for Connection: close).
inline Reply Exchange(uint16_t port, const std::string& raw) {
  Conversation c = Converse(port, raw);
  return c.replies.empty() ? Reply{} : std::move(c.replies.front());
}

inline Reply Call(uint16_t port, const std::string& method, const std::string& target, const std::string& token = "",
                  const std::string& body = "", const std::string& extra_headers = "") {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) raw += "Authorization: Bearer " + token + "\r\n";
  if (!body.empty() || method == "POST") {
    raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return Exchange(port, raw + extra_headers + "\r\n" + body);
}

// Every (method, pattern) the server routes, from the same Api the server builds.
inline std::set<std::pair<std::string, std::string>> RoutesOf(const std::string& db) {
  std::set<std::pair<std::string, std::string>> routes;
  auto store = store::OpenStore(db);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return routes;
  server::Metrics metrics;
  app::LedgerWriter writer(*store.value(), {});
  server::Api api(*store.value(), writer, metrics, {});
  server::Router router;
  api.AddRoutes(router);
  for (const server::Route& route : router.routes()) routes.insert({route.method, route.pattern});
  return routes;
}

// `tepat serve` in a child process, on a free port; stopped with SIGTERM when the object goes.
class ServerProcess {
 public:
  ServerProcess(const std::string& db, const std::string& log, std::vector<std::string> extra = {}) : log_(log) {
    std::vector<std::string> args = {TEPAT_BINARY,  "--db",        db,   "serve",          "--listen",
                                     "127.0.0.1:0", "--events-ms", "50", "--heartbeat-ms", "200"};
    // The API alone unless a test serves files: a built web/dist would otherwise answer every unknown path.
    if (std::find(extra.begin(), extra.end(), "--static-dir") == extra.end())
      extra.insert(extra.end(), {"--static-dir", "none"});
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    // The port, then readiness (every election loaded).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = Log();
      const size_t at = text.find("listening on http://127.0.0.1:");
      if (at != std::string::npos && port_ == 0) port_ = static_cast<uint16_t>(std::stoi(text.substr(at + 30)));
      if (port_ != 0 && text.find("tepat serve: ready") != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "tepat serve did not become ready: " << Log();
  }
  ~ServerProcess() { Stop(); }
  uint16_t port() const { return port_; }
  std::string Log() const {
    std::ifstream in(log_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // SIGTERM; the exit status, or -1 when it had to be killed.
  int Stop(std::chrono::seconds within = std::chrono::seconds(15)) {
    if (pid_ <= 0) return exit_;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + within;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    return exit_ = -1;
  }

 private:
  std::string log_;
  pid_t pid_ = 0;
  uint16_t port_ = 0;
  int exit_ = -1;
};

// One database for the suite: the fixture regions, TPS and dapil of pemilu-2024, an account per role and scope, and
// the scenario's documents (written, not posted: the tests post them over HTTP).
struct World {
  testing::TempDir dir;
  std::string db, docs, truth;
  std::vector<std::string> lines;

  // On an SQLite file in the world's folder, or on the database at `location` (a PostgreSQL URL).
  explicit World(const std::string& location = "") {
    db = location.empty() ? dir.File("serve.db") : location;
    docs = dir.File("docs.ndjson");
    truth = dir.File("truth.csv");
    auto ok = [&](std::vector<std::string> args, const std::string& input = "") {
      args.insert(args.begin(), {"--db", db});
      const auto r = testing::RunCli(args, input);
      EXPECT_EQ(0, r.code) << r.err;
    };
    ok({"init"});
    ok({"import", "regions", (testing::FixtureDir() / "regions").string()});
    ok({"import", "tps", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-tps.csv").string()});
    ok({"import", "dapil", "--election", "pemilu-2024", (testing::FixtureDir() / "pemilu-dapil.csv").string()});
    const std::string password = std::string(kPassword) + "\n";
    ok({"user", "add", "admin", "--role", "admin", "--password-stdin"}, password);
    ok({"user", "add", "kpu-in", "--role", "kpu", "--scope", "35.78", "--password-stdin"}, password);
    ok({"user", "add", "kpu-out", "--role", "kpu", "--scope", "34.71", "--password-stdin"}, password);
    ok({"user", "add", "bawaslu-in", "--role", "bawaslu", "--scope", "35.78.01", "--password-stdin"}, password);
    ok({"user", "add", "bawaslu-out", "--role", "bawaslu", "--scope", "31.71", "--password-stdin"}, password);
    ok({"user", "add", "vendor", "--role", "vendor", "--scope", "vendor:tahap1-perlengkapan", "--password-stdin"},
       password);
    ok({"user", "add", "throttled", "--role", "kpu", "--password-stdin"}, password);
    ok({"user", "add", "guessed", "--role", "kpu", "--password-stdin"}, password);
    ok({"user", "add", "leaving", "--role", "bawaslu", "--scope", "35", "--password-stdin"}, password);
    ok({"scenario", "play", "--election", "pemilu-2024", "--seed", "5", "--truth", truth, "--ndjson", docs,
        "--write-only"});
    std::istringstream in(testing::ReadText(docs));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
};

}  // namespace tepat::testing
