// A hostile client against a real `tepat serve` on loopback. Every route of openapi.json gets malformed JSON, arrays
// instead of objects, invalid UTF-8, deeply nested JSON, huge numbers, oversized bodies with both framings, slow
// bodies, path traversal in every encoding, header injection, over-long URLs and headers, smuggling variants and
// cross-origin cookie posts. Every answer is a 4xx with the JSON error shape (never a 5xx, never silence, never a
// hang), refused writes leave the ledger and the audit trail as they were, and /healthz answers after all of it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "testing/serve.h"
#include "testing/testing.h"

namespace tepat::server {

namespace {

using nlohmann::json;
using testing::Conversation;
using testing::Converse;
using testing::Reply;

constexpr auto kWithin = std::chrono::milliseconds(15000);  // longer than any answer may take: a hang fails

// A string literal's bytes, NULs included.
template <size_t N>
std::string Bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

struct Route {
  std::string method, pattern, path;  // path: the pattern with its parameters filled in
};

class HostileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new testing::World();
    const std::filesystem::path web = world_->dir.File("web");
    std::filesystem::create_directories(web / "assets");
    testing::WriteText((web / "index.html").string(), "<!doctype html><title>tepat</title>");
    server_ = new testing::ServerProcess(world_->db, world_->dir.File("serve.log"),
                                         {"--static-dir", web.string(), "--request-deadline-ms", "1000"});
    const Reply login = testing::Call(port(), "POST", "/api/v1/auth/login", "",
                                      json{{"username", "admin"}, {"password", testing::kPassword}}.dump());
    ASSERT_EQ(200, login.status) << login.body;
    token_ = login.Json()["token"];
    // Some documents in the ledger, so that "unchanged" means something.
    for (size_t i = 0; i < 40 && i < world_->lines.size(); ++i) {
      const Reply r =
          testing::Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", token_, world_->lines[i]);
      ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
    }
    const Reply spec = testing::Call(port(), "GET", "/api/v1/openapi.json");
    const std::map<std::string, std::string> values = {{"{election}", "pemilu-2024"},
                                                       {"{code}", "35.78"},
                                                       {"{node}", "ppk:35.78.01"},
                                                       {"{kit}", "K-35.78.01.1001.001"},
                                                       {"{id}", "0b1e4a5c-0000-4000-8000-000000000001"}};
    const json paths = spec.Json()["paths"];
    for (const auto& [pattern, operations] : paths.items()) {
      for (const auto& [method, operation] : operations.items()) {
        if (method == "parameters") continue;
        std::string upper = method, path = pattern;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (const auto& [name, value] : values) {
          for (size_t at = path.find(name); at != std::string::npos; at = path.find(name)) {
            path.replace(at, name.size(), value);
          }
        }
        routes_.push_back({upper, pattern, path});
      }
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    delete world_;
  }
  void SetUp() override {
    ASSERT_GE(routes_.size(), 39u);
    before_ = State();
  }
  // Whatever a test sent, the ledger is as it was; the audit trail keeps every entry it had and gained none but the
  // records of refused attempts; the server still answers.
  void TearDown() override {
    const auto after = State();
    EXPECT_EQ(before_.first, after.first) << "the ledger changed";
    const json& old_entries = before_.second;
    const json& entries = after.second;
    ASSERT_GE(entries.size(), old_entries.size());
    const size_t added = entries.size() - old_entries.size();
    for (size_t i = 0; i < old_entries.size(); ++i) EXPECT_EQ(old_entries[i], entries[i + added]);  // newest first
    for (size_t i = 0; i < added; ++i) EXPECT_EQ("refused", entries[i]["outcome"]) << entries[i].dump();
    EXPECT_EQ(200, testing::Call(port(), "GET", "/healthz").status);
    EXPECT_EQ(std::string::npos, server_->Log().find("failed to answer")) << server_->Log();
  }

  static uint16_t port() { return server_->port(); }

  // The ledger's head and the whole audit trail, as the admin reads them.
  std::pair<json, json> State() {
    const Reply ledger = testing::Call(port(), "GET", "/api/v1/elections/pemilu-2024/ledger", token_);
    const Reply audit = testing::Call(port(), "GET", "/api/v1/audit?limit=1000", token_);
    EXPECT_EQ(200, ledger.status);
    EXPECT_EQ(200, audit.status);
    const json entries = audit.Json()["entries"];
    EXPECT_TRUE(entries.is_array()) << "the audit trail is not valid JSON: " << audit.body.substr(0, 300);
    return {ledger.Json()["head"], entries};
  }

  // One answer, a 4xx with the JSON error shape; when `closed`, the server closed the connection after it.
  static void ExpectRefused(const Conversation& c, const std::string& what, bool closed = false) {
    ASSERT_EQ(1u, c.replies.size()) << what << ": " << c.replies.size() << " answers: " << c.data.substr(0, 400);
    const Reply& r = c.replies[0];
    EXPECT_GE(r.status, 400) << what << ": " << r.body;
    EXPECT_LT(r.status, 500) << what << ": " << r.body;
    const json body = r.Json();
    EXPECT_TRUE(body.is_object() && body["error"].is_object() && body["error"]["code"].is_string() &&
                body["error"]["message"].is_string())
        << what << ": " << r.body.substr(0, 300);
    EXPECT_EQ(std::string::npos, r.body.find("root:x:0")) << what;
    if (closed) {
      EXPECT_TRUE(c.closed) << what << ": the connection was left open";
    }
  }

  static std::string Head(const Route& route, const std::string& extra = "") {
    return route.method + " " + route.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra;
  }
  static std::string WithBody(const Route& route, const std::string& body, const std::string& extra = "") {
    return Head(route, extra) + "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }
  static std::string Bearer() { return "Authorization: Bearer " + token_ + "\r\n"; }

  static testing::World* world_;
  static testing::ServerProcess* server_;
  static std::string token_;
  static std::vector<Route> routes_;
  std::pair<json, json> before_;
};

testing::World* HostileTest::world_ = nullptr;
testing::ServerProcess* HostileTest::server_ = nullptr;
std::string HostileTest::token_;
std::vector<Route> HostileTest::routes_;

TEST_F(HostileTest, MalformedBodiesAreRefusedOnEveryWrite) {
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"malformed JSON", "{\"username\": \"admin\","},
      {"an array", "[{\"username\":\"admin\",\"password\":\"x\"}]"},
      {"a string", "\"admin\""},
      {"null", "null"},
      {"empty", ""},
      {"invalid UTF-8", "{\"username\":\"\xff\xfe\",\"password\":\"\xc0\xaf\",\"kind\":\"\xed\xa0\x80\"}"},
      {"deep nesting", std::string(100000, '[')},
      {"deep objects",
       [] {
         std::string s;
         for (int i = 0; i < 20000; ++i) s += "{\"a\":";
         return s;
       }()},
      {"huge numbers",
       "{\"scenarios\":1e999999,\"seed\":-123456789012345678901234567890,\"top\":1e308,"
       "\"quantity\":18446744073709551616}"},
      {"duplicate keys", "{\"username\":\"admin\",\"username\":\"x\",\"password\":\"x\",\"password\":\"y\"}"},
      {"a NUL byte", Bytes("{\"username\":\"ad\0min\",\"password\":\"x\"}")},
      {"trailing garbage", "{\"username\":\"admin\",\"password\":\"x\"} GET / HTTP/1.1"},
  };
  for (const Route& route : routes_) {
    if (route.method != "POST") continue;
    for (const auto& [name, body] : bodies) {
      const std::string what = route.method + " " + route.pattern + " with " + name;
      ExpectRefused(Converse(port(), WithBody(route, body), kWithin), what + " (anonymous)");
      // These read no body: the admin would be logged out, or would start a verification of the ledger.
      if (route.pattern == "/api/v1/auth/logout" || route.pattern == "/api/v1/ledger/verify") continue;
      ExpectRefused(Converse(port(), WithBody(route, body, Bearer()), kWithin), what);
    }
  }
}

TEST_F(HostileTest, OversizedBodiesAreRefusedWithEitherFramingOnEveryRoute) {
  const std::string body((5 << 20) + 1, 'x');  // past every route's limit (4 MiB at most)
  std::string chunked;
  for (size_t at = 0; at < body.size(); at += 65536) {
    const size_t n = std::min<size_t>(65536, body.size() - at);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", n);
    chunked += size + body.substr(at, n) + "\r\n";
  }
  chunked += "0\r\n\r\n";
  for (const Route& route : routes_) {
    const std::string what = route.method + " " + route.pattern;
    ExpectRefused(Converse(port(), WithBody(route, body, Bearer()), kWithin), what + " Content-Length", true);
    ExpectRefused(Converse(port(), Head(route, Bearer()) + "Transfer-Encoding: chunked\r\n\r\n" + chunked, kWithin),
                  what + " chunked", true);
    // A declared length far past anything, with no body behind it, is refused at once.
    ExpectRefused(Converse(port(), Head(route, Bearer()) + "Content-Length: 99999999999999\r\n\r\n", kWithin),
                  what + " declared", true);
  }
}

TEST_F(HostileTest, SlowBodiesAreCutOffAndTold) {
  std::vector<std::thread> clients;
  std::vector<Conversation> answers(routes_.size());
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != "POST") continue;
    clients.emplace_back([&, i] {
      // The head at once, then a byte of the body every 200 ms: past the 1 s deadline long before it ends.
      const std::string raw = Head(routes_[i], Bearer()) +
                              "Content-Type: application/json\r\nContent-Length: 40\r\n\r\n{" + std::string(39, ' ');
      answers[i] = Converse(port(), raw, std::chrono::milliseconds(6000), 1, std::chrono::milliseconds(200));
    });
  }
  for (std::thread& t : clients) t.join();
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != "POST") continue;
    ExpectRefused(answers[i], "slow body to " + routes_[i].pattern, true);
    if (!answers[i].replies.empty()) {
      EXPECT_EQ(408, answers[i].replies[0].status) << routes_[i].pattern;
    }
  }
}

TEST_F(HostileTest, PathTraversalInEveryEncodingFindsNothing) {
  const std::vector<std::string> escapes = {
      "../",
      "..%2f",
      "..%2F",
      "%2e%2e/",
      "%2e%2e%2f",
      ".%2e/",
      "%2e./",
      "..\\",
      "..%5c",
      "%252e%252e%252f" /* twice encoded */,
      "..%c0%af" /* overlong */,
      "%c0%ae%c0%ae/",
      "....//",
      "..;/",
      "..%00/",
      "..%2f%2f",
      "%2f",
  };
  std::vector<std::string> targets = {"//etc/passwd",      "/%2fetc%2fpasswd", "//proc/self/environ",
                                      "/%2F%2Fetc/passwd", "/" + world_->db,   "/%00",
                                      "/index.html%00.js"};
  for (const std::string& e : escapes) {
    std::string up;
    for (int i = 0; i < 8; ++i) up += e;
    targets.push_back("/" + up + "etc/passwd");
    targets.push_back("/assets/" + up + "etc/passwd");
    targets.push_back("/api/v1/" + up + "etc/passwd");
    // In every route's parameters too.
    for (const Route& route : routes_) {
      if (route.pattern.find('{') == std::string::npos) continue;
      std::string path = route.pattern;
      const size_t open = path.find('{'), close = path.find('}', open);
      path.replace(open, close - open + 1, up + "etc%2fpasswd");
      if (route.method == "GET") targets.push_back(path);
    }
  }
  for (const std::string& target : targets) {
    const Conversation c = Converse(
        port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + Bearer() + "\r\n", kWithin);
    ExpectRefused(c, "GET " + target);
  }
}

// (A folded header line is read as one value with spaces, as RFC 9112 §5.2 allows; a folded Transfer-Encoding is
// among the smuggling variants below.)
TEST_F(HostileTest, InjectedHeadersOverlongHeadsAndBadHostsAreRefused) {
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"a CR inside a header value", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\rSet-Cookie: x=1\r\n\r\n"},
      {"a NUL inside a header value", Bytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\0c\r\n\r\n")},
      {"a space before the colon", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A : b\r\n\r\n"},
      {"a header without a colon", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A\r\n\r\n"},
      {"bare LF line ends", "GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n"},
      {"no Host", "GET /healthz HTTP/1.1\r\n\r\n"},
      {"two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
      {"a Host with a path", "GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n"},
      {"a Host with a space", "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n"},
      {"an over-long URL", "GET /api/v1/regions?q=" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"},
      {"an over-long header", "GET /healthz HTTP/1.1\r\nHost: h\r\nX-A: " + std::string(100000, 'a') + "\r\n\r\n"},
      {"many headers", "GET /healthz HTTP/1.1\r\nHost: h\r\n" +
                           [] {
                             std::string s;
                             for (int i = 0; i < 5000; ++i) s += "X-" + std::to_string(i) + ": a\r\n";
                             return s;
                           }() +
                           "\r\n"},
      {"a CRLF in the target", "GET /api/v1/regions/35%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: h\r\n\r\n"},
      {"a space in the target", "GET /api/v1/regions/35 78 HTTP/1.1\r\nHost: h\r\n\r\n"},
      {"a bad percent escape", "GET /api/v1/regions/%zz HTTP/1.1\r\nHost: h\r\n\r\n"},
      {"an absolute target elsewhere", "GET http://evil.example/etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n"},
      {"an unknown version", "GET /healthz HTTP/2.7\r\nHost: h\r\n\r\n"},
      {"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n"},
  };
  for (const auto& [name, raw] : requests) {
    const Conversation c = Converse(port(), raw, kWithin);
    ExpectRefused(c, name);
    for (const Reply& r : c.replies) EXPECT_EQ(0u, r.headers.count("set-cookie")) << name;
  }
}

TEST_F(HostileTest, SmugglingVariantsAreRefusedAndTheConnectionClosed) {
  // The "body" of each is a second request: answering it would be request smuggling.
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const std::vector<std::string> framings = {
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: gzip, chunked\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
      "Transfer-Encoding: chunked, chunked\r\n",
      "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
      "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
      "Content-Length: 3\r\nContent-Length: 4\r\n",
      "Content-Length: +3\r\n",
      "Content-Length: -1\r\n",
      "Content-Length: 3 3\r\n",
      "Content-Length: 0x3\r\n",
      "Transfer-Encoding : chunked\r\n",
      "Transfer-Encoding:\r\n chunked\r\n",
      "Transfer-Encoding: \x0b"
      "chunked\r\n",
  };
  for (const Route& route : routes_) {
    if (route.method != "POST") continue;
    for (const std::string& framing : framings) {
      const std::string raw =
          route.method + " " + route.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + "\r\n" + smuggled;
      ExpectRefused(Converse(port(), raw, kWithin), route.pattern + " with " + framing, true);
    }
    // HTTP/1.0 with a coding.
    ExpectRefused(Converse(port(),
                           route.method + " " + route.path + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" +
                               "0\r\n\r\n" + smuggled,
                           kWithin),
                  route.pattern + " HTTP/1.0 chunked", true);
    // Malformed chunks.
    for (const std::string chunks :
         {"zz\r\nabc\r\n0\r\n\r\n", "100000000000000000000\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n",
          "-3\r\nabc\r\n0\r\n\r\n", "3;\x01\r\nabc\r\n0\r\n\r\n"}) {
      ExpectRefused(Converse(port(),
                             route.method + " " + route.path +
                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks,
                             kWithin),
                    route.pattern + " with chunks " + chunks, true);
    }
  }
}

TEST_F(HostileTest, CrossOriginCookiePostsAreRefused) {
  const Reply login = testing::Call(port(), "POST", "/api/v1/auth/login", "",
                                    json{{"username", "kpu-in"}, {"password", testing::kPassword}}.dump());
  ASSERT_EQ(200, login.status);
  const std::string cookie = "Cookie: tepat_session=" + login.Json()["token"].get<std::string>() + "\r\n";
  before_ = State();  // the login is the test's own
  for (const Route& route : routes_) {
    if (route.method != "POST") continue;
    for (const std::string from :
         {"Origin: https://evil.example\r\n", "Origin: null\r\n", "Origin: http://127.0.0.1.evil.example\r\n",
          "Referer: https://evil.example/x\r\n", "Origin: http://127.0.0.1:1\r\n"}) {
      const std::string body = route.pattern == "/api/v1/elections/{election}/documents" ? world_->lines[40] : "{}";
      const std::string raw =
          route.method + " " + route.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) +
          "\r\nConnection: close\r\n" + cookie + from +
          "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      const Conversation c = Converse(port(), raw, kWithin);
      ExpectRefused(c, route.pattern + " from " + from);
      if (!c.replies.empty()) {
        EXPECT_EQ(403, c.replies[0].status) << route.pattern << " from " << from;
      }
    }
  }
  EXPECT_EQ(200, testing::Call(port(), "GET", "/api/v1/auth/me", "", "", cookie).status) << "the session was ended";
}

}  // namespace

}  // namespace tepat::server
