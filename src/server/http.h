// The server's own small HTTP types: a request, a response, a router with per-route body limits, server-sent event
// streams and the request metrics. Boost.Beast stays inside beast_server.cc; handlers and tests see only these.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace tepat::server {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/regions?q=sura"
  std::string path;    // percent-decoded, without the query: "/api/v1/regions"
  std::map<std::string, std::string> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string remote;                         // the client's address
  std::map<std::string, std::string> params;  // the route pattern's {names}

  // The value of a header (name in lower case), or "".
  std::string_view Header(std::string_view name) const;
  // The value of a cookie, or "".
  std::string Cookie(std::string_view name) const;
  // A query parameter, or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
};

// A stream of server-sent events opened by a handler. Send may be called from any thread; it queues the event and
// returns false once the client has gone (or its queue overflowed and it was dropped).
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual bool Send(std::string_view event, std::string_view data) = 0;
  virtual bool closed() const = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the response is an event stream (text/event-stream): the server sends the headers, then calls this
  // with the stream; the handler keeps it to send events until the client goes.
  std::function<void(std::shared_ptr<EventStream>)> stream;
  // When set, the answer comes later: the server calls this with a function that delivers the real response. That
  // function may be called from any thread, once; meanwhile the I/O thread serves other connections.
  std::function<void(std::function<void(Response)>)> later;

  static Response Json(int status, std::string body);
  // The one error shape: {"error":{"code":...,"message":...,"details":...}}; `details` is JSON ("" for none).
  static Response Error(int status, std::string_view code, std::string_view message, std::string details = "");
  Response& With(std::string name, std::string value);
};

// A status's reason phrase and the error code used for it in error bodies ("not_found" for 404, ...).
std::string_view StatusCode(int status);

using Handler = std::function<Response(Request&)>;

// A route's body limit unless it says otherwise.
constexpr size_t kDefaultBodyLimit = 64 << 10;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/regions/{code}"; a last segment "{*rest}" matches the rest of the path
  std::string name;     // the pattern, used as the metrics label
  size_t body_limit = kDefaultBodyLimit;
  Handler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, size_t body_limit = kDefaultBodyLimit);

  struct Match {
    const Route* route = nullptr;
    int status = 404;   // 404 when no pattern matches the path, 405 when one does but not for this method
    std::string allow;  // for 405: the methods that do match
  };
  Match Find(std::string_view method, std::string_view path, std::map<std::string, std::string>& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits a request target into its decoded path and query parameters; false when the target is malformed (a bad
// percent escape, no leading slash, a NUL byte in the path, or a path or parameter that is not valid UTF-8).
bool ParseTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

// A request refused before any handler sees it: the status and why; status 0 when nothing is wrong.
struct Refusal {
  int status = 0;
  std::string message;
  explicit operator bool() const { return status != 0; }
};

// Checks a request's head as RFC 9112 asks, after the header is parsed and before the body is read: exactly one
// Host (none is allowed in HTTP/1.0 only; §3.2), and a Transfer-Encoding only when it is "chunked" alone (§6.1,
// §6.3); anything else is 400, and the connection is closed: its body's length cannot be trusted. `version` is 10 or
// 11.
Refusal CheckHead(const Request& req, int version);

// Whether `method` changes state (anything but GET, HEAD and OPTIONS).
bool ChangesState(std::string_view method);

// The second defence against cross-site writes (SameSite=Strict cookies are the first): a state-changing request
// whose Origin, or without one its Referer, is not the server's own origin (the one its Host names) nor one of
// `allowed` (full origins like "https://tepat.example.go.id", for a reverse proxy that changes Host) is refused 403.
// A request with neither header (curl, another server) passes: browsers send Origin with every cross-site POST.
Refusal CheckOrigin(const Request& req, const std::vector<std::string>& allowed);

// What the server makes of a request once its head is read: a refusal (answered, and the connection closed, before
// the body is read), or the route (none: answered 404 or 405 once the body is read) and the body limit that applies
// to either framing. Fills the request's path, query and params.
struct Admission {
  Refusal refusal;
  Router::Match match;
  size_t body_limit = 0;
};
Admission Admit(Request& req, int version, std::optional<uint64_t> content_length, const Router& router);

// The message of a 413 for a route whose limit is `limit` bytes.
std::string TooLarge(size_t limit);

// The answer to an admitted request whose body has been read: 404 or 405 without a route, 403 for a cross-site write
// (CheckOrigin), else the handler's (500 when it throws).
Response Dispatch(const Admission& admitted, Request& req, const std::vector<std::string>& allowed_origins);

// Requests and their latency by route and status, in Prometheus text format, plus gauges the application adds.
class Metrics {
 public:
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  // A gauge or counter read when /metrics is asked for.
  void AddGauge(std::string name, std::string help, std::string type, std::function<double()> value);
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
  struct Series {
    int64_t count = 0;
    double sum = 0;
    std::array<int64_t, kBuckets.size()> buckets{};
  };
  struct Gauge {
    std::string name, help, type;
    std::function<double()> value;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
  std::vector<Gauge> gauges_;
};

// How the server listens and what it allows.
struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  size_t max_connections = 10000;
  size_t header_limit = 16 << 10;
  std::chrono::milliseconds request_deadline{10000};  // from a request's first byte to its answer
  std::chrono::milliseconds idle_timeout{120000};     // a kept-alive connection waiting for its next request
  std::chrono::milliseconds heartbeat{15000};         // a comment line on every event stream
  std::chrono::milliseconds shutdown_grace{5000};     // after SIGTERM, for requests under way
  size_t stream_queue = 256;                          // events queued for a slow event-stream client
  std::vector<std::string> allowed_origins;           // besides the server's own (CheckOrigin)
};

// One request read from `raw` as a connection reads it (Beast's parser, the same limits, Admit and Dispatch) and
// answered on this thread, without a socket: for the fuzz targets and tests. Where a connection would wait for more
// bytes, the request is malformed here (400).
Response AnswerRaw(std::string_view raw, const Router& router, const ServerOptions& options);

// The HTTP/1.1 server (Boost.Beast, C++20 coroutines, one I/O thread).
class HttpServer {
 public:
  HttpServer(const Router& router, Metrics& metrics, ServerOptions options);
  ~HttpServer();
  // Binds and listens; returns an error message, or "" when listening (port() tells the port).
  std::string Listen();
  uint16_t port() const;
  // Serves until SIGTERM or SIGINT, or Stop(); then stops accepting, lets requests under way finish within the
  // grace period, closes event streams and idle connections, and returns.
  void Run();
  // Thread-safe.
  void Stop();
  // Runs `work` on the server's I/O thread.
  void Post(std::function<void()> work);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tepat::server
