// The HTTP/1.1 server on Boost.Beast 1.81 with C++20 coroutines: one I/O thread, a coroutine per connection, so an
// idle or slow client costs a coroutine frame and a socket, never a thread. The only file that includes Beast.
//
// A connection waits up to idle_timeout for a request's first byte; from then the whole request must arrive and be
// answered within request_deadline (a client sending its headers a byte at a time is cut off there). The header and
// each route's body are size-limited; past max_connections a new connection is answered 503 and closed. SIGTERM and
// SIGINT stop accepting, end event streams and idle connections, and give requests under way shutdown_grace.
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <set>

#include "server/http.h"

namespace tepat::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// An event stream's connection: a bounded queue drained by the connection's coroutine. The API keeps the stream
// (to send to it) and may outlive the server; when the server goes, it detaches every stream, whose timer must not
// outlive the I/O context it belongs to.
class Stream final : public EventStream, public std::enable_shared_from_this<Stream> {
 public:
  Stream(net::any_io_executor executor, size_t limit)
      : executor_(executor), signal_(std::in_place, executor), limit_(limit) {
    signal_->expires_at(std::chrono::steady_clock::time_point::max());
  }
  bool Send(std::string_view event, std::string_view data) override {
    if (closed_) return false;
    std::string text = "event: " + std::string(event) + "\n";
    size_t start = 0;
    while (start <= data.size()) {
      size_t end = data.find('\n', start);
      if (end == std::string_view::npos) end = data.size();
      text += "data: " + std::string(data.substr(start, end - start)) + "\n";
      start = end + 1;
    }
    text += "\n";
    net::post(executor_,
              [self = shared_from_this(), text = std::move(text)]() mutable { self->Push(std::move(text)); });
    return true;
  }
  bool closed() const override { return closed_; }

  void Push(std::string text) {
    if (closed_) return;
    if (queue_.size() >= limit_) {  // a client that does not read is dropped, not buffered without end
      Close();
      return;
    }
    queue_.push_back(std::move(text));
    if (signal_) signal_->cancel();
  }
  void Close() {
    closed_ = true;
    if (signal_) signal_->cancel();
  }
  // Closed for good, its timer gone: the server's I/O context is about to go.
  void Detach() {
    closed_ = true;
    signal_.reset();
  }
  std::deque<std::string> queue_;
  net::any_io_executor executor_;
  std::optional<net::steady_timer> signal_;
  size_t limit_;
  std::atomic<bool> closed_ = false;
};

// The Content-Length a request declared, if any.
std::optional<uint64_t> DeclaredLength(const bhttp::request_parser<bhttp::string_body>& parser) {
  if (!parser.content_length()) return std::nullopt;
  return *parser.content_length();
}

// The request whose head `parser` has read, from the client at `remote`, header names in lower case.
Request RequestOf(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& remote) {
  Request req;
  req.method = std::string(parser.get().method_string());
  req.target = std::string(parser.get().target());
  req.remote = remote;
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return req;
}

std::string JsonError(int status, std::string_view message) {
  return Response::Error(status, StatusCode(status), message).body;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router, Metrics& metrics, ServerOptions options)
      : router(router), metrics(metrics), options(std::move(options)), acceptor(io), signals(io, SIGINT, SIGTERM) {}

  struct Connection {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;  // a request is being read or answered
    std::shared_ptr<Stream> events;
  };

  const Router& router;
  Metrics& metrics;
  ServerOptions options;
  net::io_context io{1};
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::set<Connection*> connections;
  std::vector<std::weak_ptr<Stream>> streams;  // every event stream the API may still hold

  ~Impl() {
    for (const std::weak_ptr<Stream>& s : streams) {
      if (auto stream = s.lock()) stream->Detach();
    }
  }
  bool stopping = false;

  net::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) co_return;  // the acceptor was closed: shutting down
      if (connections.size() >= options.max_connections) {
        net::co_spawn(io, Refuse(std::move(socket)), net::detached);
        continue;
      }
      net::co_spawn(io, Serve(std::move(socket)), net::detached);
    }
  }

  // Past the connection cap: 503 with the JSON error, then close.
  net::awaitable<void> Refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    stream.expires_after(std::chrono::seconds(2));
    bhttp::response<bhttp::string_body> res{bhttp::status::service_unavailable, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::retry_after, "1");
    res.body() = JsonError(503, "the server has too many connections; try again shortly");
    res.keep_alive(false);
    res.prepare_payload();
    co_await bhttp::async_write(stream, res, kTuple);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // Cancels a connection's reads when a request has not arrived whole within the deadline, leaving the socket open
  // so that the client can be told (408). Shared with the timer's handler, which may run after the connection ended;
  // `generation` tells a handler of an earlier request that it is stale.
  struct Watchdog {
    explicit Watchdog(net::io_context& io) : timer(io) {}
    net::steady_timer timer;
    tcp::socket* socket = nullptr;
    uint64_t generation = 0;
    bool fired = false;
  };

  static void Arm(const std::shared_ptr<Watchdog>& dog, std::chrono::milliseconds after) {
    dog->fired = false;
    dog->timer.expires_after(after);
    dog->timer.async_wait([dog, generation = ++dog->generation](beast::error_code ec) {
      if (ec || !dog->socket || generation != dog->generation) return;
      dog->fired = true;
      beast::error_code ignored;
      dog->socket->cancel(ignored);
    });
  }

  static void Disarm(const std::shared_ptr<Watchdog>& dog) {
    ++dog->generation;
    dog->timer.cancel();
  }

  net::awaitable<void> Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Connection self{&stream};
    connections.insert(&self);
    beast::error_code ep_ec;
    const auto endpoint = stream.socket().remote_endpoint(ep_ec);
    const std::string remote = ep_ec ? "" : endpoint.address().to_string();
    beast::flat_buffer buffer;
    auto watchdog = std::make_shared<Watchdog>(io);
    watchdog->socket = &stream.socket();
    // An answer sent before the request's body was read whole: the client may still be sending it.
    bool drain = false;
    const auto refuse = [&](int status, const std::string& message) -> net::awaitable<void> {
      Disarm(watchdog);
      drain = true;
      co_await WriteError(stream, status, message);
    };
    const std::string late =
        "the request did not arrive whole within " + std::to_string(options.request_deadline.count()) + " ms";
    for (;;) {
      if (stopping) break;
      // Wait for the next request's first byte.
      self.busy = false;
      if (buffer.size() == 0) {
        stream.expires_after(options.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
        if (ec) break;
        buffer.commit(n);
      }
      self.busy = true;
      stream.expires_never();
      Arm(watchdog, options.request_deadline);
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(boost::none);  // the route's limit applies once the route is known, for either framing
      auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      if (hec == bhttp::error::header_limit) {
        co_await refuse(
            431, "the request's headers are larger than " + std::to_string(options.header_limit / 1024) + " KiB");
        break;
      }
      if (hec) {
        if (watchdog->fired) {
          co_await refuse(408, late);
        } else if (hec != net::error::eof && hec != net::error::connection_reset &&
                   hec != net::error::operation_aborted) {
          co_await refuse(400, "malformed request: " + hec.message());
        }
        break;
      }
      const auto start = std::chrono::steady_clock::now();
      Request req = RequestOf(parser, remote);
      const bool keep_alive = parser.get().keep_alive();
      const Admission admitted = Admit(req, parser.get().version(), DeclaredLength(parser), router);
      if (admitted.refusal) {
        co_await refuse(admitted.refusal.status, admitted.refusal.message);
        break;
      }
      const std::string route_name = admitted.match.route ? admitted.match.route->name : "unmatched";
      if (!parser.is_done()) {
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          stream.expires_after(options.request_deadline);
          co_await net::async_write(stream, net::buffer(std::string_view("HTTP/1.1 100 Continue\r\n\r\n")), kTuple);
          stream.expires_never();
        }
        parser.body_limit(admitted.body_limit);
        auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        if (bec == bhttp::error::body_limit) {
          co_await refuse(413, TooLarge(admitted.body_limit));
          break;
        }
        if (bec) {
          if (watchdog->fired) {
            co_await refuse(408, late);
          } else if (bec != net::error::connection_reset && bec != net::error::operation_aborted) {
            co_await refuse(400, "malformed request body: " + bec.message());
          }
          break;
        }
      }
      Disarm(watchdog);
      req.body = std::move(parser.get().body());
      Response res = Dispatch(admitted, req, options.allowed_origins);
      if (res.later) {
        // The answer comes from another thread (a group commit): wait for it without holding the I/O thread.
        struct Pending {
          explicit Pending(net::io_context& io) : signal(io) {
            signal.expires_at(std::chrono::steady_clock::time_point::max());
          }
          net::steady_timer signal;
          std::optional<Response> result;
        };
        auto pending = std::make_shared<Pending>(io);
        auto later = std::move(res.later);
        later([pending, executor = io.get_executor()](Response answer) {
          net::post(executor, [pending, answer = std::move(answer)]() mutable {
            pending->result = std::move(answer);
            pending->signal.cancel();
          });
        });
        while (!pending->result) {
          auto [wec] = co_await pending->signal.async_wait(kTuple);
          if (!wec && !pending->result) break;  // cannot happen: the timer never expires by itself
        }
        res = pending->result ? std::move(*pending->result)
                              : Response::Error(500, "internal", "the answer was lost; the error is in its log");
      }
      // Methods outside the router's own are counted together, so that clients cannot grow the series.
      const bool known_method = req.method == "GET" || req.method == "POST" || req.method == "HEAD" ||
                                req.method == "PUT" || req.method == "DELETE" || req.method == "PATCH";
      metrics.Observe(route_name, known_method ? req.method : "other", res.status,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (res.stream) {
        co_await ServeStream(stream, self, res);
        break;
      }
      bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
      out.set(bhttp::field::server, "tepat");
      out.set(bhttp::field::content_type, res.content_type);
      for (const auto& [name, value] : res.headers) out.insert(name, value);
      out.keep_alive(keep_alive && !stopping);
      if (req.method != "HEAD") out.body() = std::move(res.body);
      out.prepare_payload();
      if (req.method == "HEAD") out.content_length(res.body.size());
      stream.expires_after(options.request_deadline);  // a client that does not read its answer is cut off
      auto [wec, wn] = co_await bhttp::async_write(stream, out, kTuple);
      if (wec || !out.keep_alive()) break;
    }
    Disarm(watchdog);
    watchdog->socket = nullptr;
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (drain && !stopping) {
      // Closing with unread bytes would reset the connection, and the client could lose the answer before reading
      // it: what it still sends is read and dropped, for a bounded time and amount.
      stream.expires_after(std::chrono::seconds(2));
      size_t dropped = 0;
      static char sink[16384];
      while (dropped < (64 << 20)) {
        auto [dec, dn] = co_await stream.async_read_some(net::buffer(sink), kTuple);
        if (dec) break;
        dropped += dn;
      }
    }
    connections.erase(&self);
    if (stopping && connections.empty()) io.stop();
  }

  // Answers with the JSON error shape and asks to close.
  net::awaitable<void> WriteError(beast::tcp_stream& stream, int status, const std::string& message) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(status), 11};
    out.set(bhttp::field::server, "tepat");
    out.set(bhttp::field::content_type, "application/json");
    out.body() = JsonError(status, message);
    out.keep_alive(false);
    out.prepare_payload();
    stream.expires_after(std::chrono::seconds(2));
    co_await bhttp::async_write(stream, out, kTuple);
  }

  // Sends the headers, then every queued event, and a heartbeat comment when nothing was sent for a while.
  net::awaitable<void> ServeStream(beast::tcp_stream& stream, Connection& self, Response& res) {
    auto events = std::make_shared<Stream>(io.get_executor(), options.stream_queue);
    self.events = events;
    std::erase_if(streams, [](const std::weak_ptr<Stream>& s) { return s.expired(); });
    streams.push_back(events);
    std::string head =
        "HTTP/1.1 200 OK\r\nServer: tepat\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n";
    for (const auto& [name, value] : res.headers) head += name + ": " + value + "\r\n";
    head += "\r\n: stream open\n\n";
    stream.expires_never();
    auto [ec, n] = co_await net::async_write(stream, net::buffer(head), kTuple);
    if (!ec) res.stream(events);
    while (!ec && !events->closed()) {
      if (events->queue_.empty()) {
        events->signal_->expires_after(options.heartbeat);
        auto [tec] = co_await events->signal_->async_wait(kTuple);
        if (events->closed()) break;
        if (!tec) events->queue_.push_back(": heartbeat\n\n");  // the timer ran out: nothing was sent
        continue;
      }
      std::string text = std::move(events->queue_.front());
      events->queue_.pop_front();
      stream.expires_after(options.request_deadline);  // a client that stops reading is cut off
      std::tie(ec, n) = co_await net::async_write(stream, net::buffer(text), kTuple);
    }
    if (stopping && !ec) {
      stream.expires_after(std::chrono::seconds(1));
      co_await net::async_write(stream, net::buffer(std::string("event: shutdown\ndata: {}\n\n")), kTuple);
    }
    events->Close();
  }

  void Shutdown() {
    if (stopping) return;
    stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel();
    for (Connection* c : connections) {
      if (c->events) {
        c->events->Close();
      } else if (!c->busy) {
        c->stream->socket().cancel(ignored);
      }
    }
    if (connections.empty()) {
      io.stop();
      return;
    }
    // Requests under way have the grace period; then everything stops.
    auto timer = std::make_shared<net::steady_timer>(io, options.shutdown_grace);
    timer->async_wait([this, timer](beast::error_code) { io.stop(); });
  }
};

HttpServer::HttpServer(const Router& router, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, metrics, std::move(options))) {}

HttpServer::~HttpServer() = default;

std::string HttpServer::Listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) return "--listen: '" + impl_->options.address + "' is not an IP address";
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return "cannot listen on " + impl_->options.address + ":" + std::to_string(impl_->options.port) + ": " +
           ec.message();
  }
  return "";
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.Shutdown();
  });
  net::co_spawn(impl.io, impl.Accept(), net::detached);
  impl.io.run();
}

void HttpServer::Stop() {
  net::post(impl_->io, [impl = impl_.get()] { impl->Shutdown(); });
}

void HttpServer::Post(std::function<void()> work) { net::post(impl_->io, std::move(work)); }

Response AnswerRaw(std::string_view raw, const Router& router, const ServerOptions& options) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser.body_limit(boost::none);
  parser.eager(false);
  beast::error_code ec;
  // Feeds the bytes to the parser until `done` (the header, then the whole message), as a connection reads them.
  const auto put = [&](auto done) {
    while (!ec && !raw.empty() && !done()) {
      const size_t used = parser.put(net::buffer(raw.data(), raw.size()), ec);
      raw.remove_prefix(used);
      if (ec == bhttp::error::need_more || (used == 0 && !ec)) break;
    }
    if (ec == bhttp::error::need_more) ec = {};
  };
  const auto error = [](int status, const std::string& message) {
    return Response::Error(status, StatusCode(status), message);
  };
  put([&] { return parser.is_header_done(); });  // nothing of the body before the route's limit is known
  if (!ec && !parser.is_header_done()) ec = bhttp::error::partial_message;  // a connection would wait: 408
  if (ec == bhttp::error::header_limit) {
    return error(431, "the request's headers are larger than " + std::to_string(options.header_limit / 1024) + " KiB");
  }
  if (ec) return error(400, "malformed request: " + ec.message());
  Request req = RequestOf(parser, "127.0.0.1");
  const Admission admitted = Admit(req, parser.get().version(), DeclaredLength(parser), router);
  if (admitted.refusal) return error(admitted.refusal.status, admitted.refusal.message);
  parser.body_limit(admitted.body_limit);
  parser.eager(true);
  put([&] { return parser.is_done(); });
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec == bhttp::error::body_limit) return error(413, TooLarge(admitted.body_limit));
  if (ec) return error(400, "malformed request body: " + ec.message());
  req.body = std::move(parser.get().body());
  Response res = Dispatch(admitted, req, options.allowed_origins);
  if (res.later) {
    // The answer comes from another thread: wait for it here.
    std::promise<Response> answer;
    auto future = answer.get_future();
    res.later([&answer](Response r) { answer.set_value(std::move(r)); });
    res = future.get();
  }
  return res;
}

}  // namespace tepat::server
