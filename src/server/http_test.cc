// The router, request targets, cookies, the error shape and the metrics text, without sockets.
#include "server/http.h"

#include <gtest/gtest.h>

namespace tepat::server {

TEST(RouterTest, MatchesPatternsAndTellsNotFoundFromMethodNotAllowed) {
  Router router;
  router.Add("GET", "/api/v1/regions/{code}", [](Request&) { return Response::Json(200, "a"); });
  router.Add("POST", "/api/v1/regions/{code}", [](Request&) { return Response::Json(200, "b"); });
  router.Add("GET", "/api/v1/elections/{election}/tps/{code}", [](Request&) { return Response::Json(200, "c"); });
  router.Add("GET", "/{*path}", [](Request&) { return Response::Json(200, "static"); });
  std::map<std::string, std::string> params;
  auto m = router.Find("GET", "/api/v1/elections/pemilu-2024/tps/35.78.01.1001.001", params);
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ("/api/v1/elections/{election}/tps/{code}", m.route->name);
  EXPECT_EQ("pemilu-2024", params["election"]);
  EXPECT_EQ("35.78.01.1001.001", params["code"]);
  m = router.Find("HEAD", "/api/v1/regions/35", params);
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ("GET", m.route->method);
  m = router.Find("DELETE", "/api/v1/regions/35", params);
  EXPECT_EQ(nullptr, m.route);
  EXPECT_EQ(405, m.status);
  EXPECT_EQ("GET, POST", m.allow);
  m = router.Find("GET", "/assets/app.1234.js", params);
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ("assets/app.1234.js", params["path"]);
  m = router.Find("GET", "/api/v1/regions/", params);  // an empty parameter does not match it
  ASSERT_NE(nullptr, m.route);
  EXPECT_EQ("/{*path}", m.route->name);
  Router bare;
  bare.Add("GET", "/healthz", [](Request&) { return Response::Json(200, ""); });
  EXPECT_EQ(404, bare.Find("GET", "/healthz/x", params).status);
  EXPECT_EQ(404, bare.Find("GET", "/", params).status);
}

TEST(RequestTest, TargetsAreDecodedAndCookiesFound) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/api/v1/regions?q=kota+surabaya&level=regency&x=%2F", path, query));
  EXPECT_EQ("/api/v1/regions", path);
  EXPECT_EQ("kota surabaya", query["q"]);
  EXPECT_EQ("regency", query["level"]);
  EXPECT_EQ("/", query["x"]);
  EXPECT_FALSE(ParseTarget("/a%zz", path, query));
  EXPECT_FALSE(ParseTarget("no-slash", path, query));
  EXPECT_FALSE(ParseTarget("/a%00b", path, query));
  Request req;
  req.headers = {{"cookie", "theme=dark; tepat_session=abc123; other=1"}};
  EXPECT_EQ("abc123", req.Cookie("tepat_session"));
  EXPECT_EQ("", req.Cookie("tepat"));
}

TEST(ResponseTest, EveryErrorHasOneShape) {
  const Response r = Response::Error(404, "not_found", "there is no \"x\"");
  EXPECT_EQ(404, r.status);
  EXPECT_EQ("application/json", r.content_type);
  EXPECT_EQ(R"({"error":{"code":"not_found","message":"there is no \"x\"","details":null}})", r.body);
  EXPECT_EQ("payload_too_large", StatusCode(413));
  EXPECT_EQ("too_many_requests", StatusCode(429));
}

TEST(MetricsTest, CountsAndHistogramsByRoute) {
  Metrics metrics;
  metrics.Observe("/healthz", "GET", 200, 0.0007);
  metrics.Observe("/healthz", "GET", 200, 0.02);
  metrics.AddGauge("tepat_live_subscribers", "Open event streams.", "gauge", [] { return 3.0; });
  const std::string text = metrics.Render();
  EXPECT_NE(std::string::npos,
            text.find("tepat_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"));
  EXPECT_NE(std::string::npos, text.find("le=\"0.001\"} 1\n"));
  EXPECT_NE(std::string::npos, text.find("le=\"0.025\"} 2\n"));
  EXPECT_NE(std::string::npos, text.find("tepat_live_subscribers 3\n"));
}

namespace {

Request WithHeaders(std::vector<std::pair<std::string, std::string>> headers) {
  Request req;
  req.method = "POST";
  req.headers = std::move(headers);
  return req;
}

}  // namespace

TEST(RequestTest, TargetsThatAreNotUtf8AreMalformed) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(ParseTarget("/api/v1/regions/%ff%fe", path, query));
  EXPECT_FALSE(ParseTarget("/api/v1/regions?q=%c0%af", path, query));
  EXPECT_TRUE(ParseTarget("/api/v1/regions?q=Bant%C3%A8n", path, query));
  EXPECT_EQ("Bantèn", query["q"]);
}

TEST(HeadTest, HostMustBeThereOnceAndBeAHost) {
  EXPECT_FALSE(CheckHead(WithHeaders({{"host", "127.0.0.1:8080"}}), 11));
  EXPECT_FALSE(CheckHead(WithHeaders({{"host", "[::1]:8080"}}), 11));
  EXPECT_FALSE(CheckHead(WithHeaders({}), 10));  // HTTP/1.0 may leave it out
  EXPECT_EQ(400, CheckHead(WithHeaders({}), 11).status);
  EXPECT_EQ(400, CheckHead(WithHeaders({{"host", "a"}, {"host", "b"}}), 11).status);
  EXPECT_EQ(400, CheckHead(WithHeaders({{"host", "a b"}}), 11).status);
  EXPECT_EQ(400, CheckHead(WithHeaders({{"host", "a/b"}}), 11).status);
}

TEST(HeadTest, OnlyChunkedAloneIsATransferCoding) {
  const auto coded = [](std::string value, int version = 11) {
    return CheckHead(WithHeaders({{"host", "h"}, {"transfer-encoding", std::move(value)}}), version).status;
  };
  EXPECT_EQ(0, coded("chunked"));
  EXPECT_EQ(0, coded("Chunked"));
  EXPECT_EQ(400, coded("chunked, identity"));  // RFC 9112 §6.3: chunked must come last
  EXPECT_EQ(400, coded("xchunked"));
  EXPECT_EQ(400, coded("identity"));
  EXPECT_EQ(400, coded("gzip, chunked"));  // §6.1: a coding the server does not understand
  EXPECT_EQ(400, coded("chunked", 10));
  EXPECT_EQ(
      400,
      CheckHead(WithHeaders({{"host", "h"}, {"transfer-encoding", "chunked"}, {"transfer-encoding", "chunked"}}), 11)
          .status);
  EXPECT_EQ(
      400,
      CheckHead(WithHeaders({{"host", "h"}, {"transfer-encoding", "chunked"}, {"content-length", "3"}}), 11).status);
}

TEST(OriginTest, WritesFromOtherSitesAreRefused) {
  const auto check = [](std::vector<std::pair<std::string, std::string>> headers,
                        std::vector<std::string> allowed = {}) {
    return CheckOrigin(WithHeaders(std::move(headers)), allowed).status;
  };
  EXPECT_EQ(0, check({{"host", "127.0.0.1:8080"}}));  // no Origin nor Referer: not a browser
  EXPECT_EQ(0, check({{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8080"}}));
  EXPECT_EQ(0, check({{"host", "Tepat.Example:443"}, {"origin", "https://tepat.example"}}));
  EXPECT_EQ(0, check({{"host", "127.0.0.1:8080"}, {"referer", "http://127.0.0.1:8080/pemilu-2024/petugas"}}));
  EXPECT_EQ(403, check({{"host", "127.0.0.1:8080"}, {"origin", "https://evil.example"}}));
  EXPECT_EQ(403, check({{"host", "127.0.0.1:8080"}, {"origin", "null"}}));
  EXPECT_EQ(403, check({{"host", "127.0.0.1:8080"}, {"origin", "http://127.0.0.1:8081"}}));
  EXPECT_EQ(403, check({{"host", "127.0.0.1:8080"}, {"referer", "https://evil.example/x"}}));
  // The Origin wins over the Referer.
  EXPECT_EQ(403, check({{"host", "h"}, {"origin", "https://evil.example"}, {"referer", "http://h/"}}));
  // Behind a proxy that changes Host, the public origin is configured.
  EXPECT_EQ(403, check({{"host", "127.0.0.1:8080"}, {"origin", "https://tepat.kpu.go.id"}}));
  EXPECT_EQ(0, check({{"host", "127.0.0.1:8080"}, {"origin", "https://tepat.kpu.go.id"}}, {"https://tepat.kpu.go.id"}));
  EXPECT_EQ(403,
            check({{"host", "127.0.0.1:8080"}, {"origin", "http://tepat.kpu.go.id"}}, {"https://tepat.kpu.go.id"}));
  EXPECT_TRUE(ChangesState("POST"));
  EXPECT_FALSE(ChangesState("GET"));
  EXPECT_FALSE(ChangesState("HEAD"));
}

TEST(AnswerRawTest, ADeclaredLengthPastTheLimitIsRefusedBeforeTheBodyIsRead) {
  Router router;
  router.Add(
      "POST", "/api/v1/auth/login", [](Request&) { return Response::Json(200, "{}"); }, 4 << 10);
  // Found by http_fuzzer: the body was read (and its declared length reserved) before the route's limit applied.
  const Response huge = AnswerRaw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Length: 5055551372\r\n\r\n5551372\r\n\r\n", router, {});
  EXPECT_EQ(413, huge.status);
  const Response fits =
      AnswerRaw("POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}", router, {});
  EXPECT_EQ(200, fits.status);
  const Response chunked =
      AnswerRaw("POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                router, {});
  EXPECT_EQ(200, chunked.status);
  EXPECT_EQ(400, AnswerRaw("POST /api/v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n{}", router, {})
                     .status);  // the body ends early: a connection would wait, here it is malformed
}

}  // namespace tepat::server
