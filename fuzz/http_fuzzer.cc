// Fuzz target: the HTTP request parser with the router (server::AnswerRaw: Beast's parser, the server's checks of the
// head, its body limits and routing, without a socket). Any bytes get an answer that is no 5xx; every error is the
// one JSON error shape; a handler sees only a decoded path of valid UTF-8 and a body within its route's limit.
#include <rapidjson/document.h>

#include "common/text.h"
#include "fuzz_support.h"
#include "server/http.h"

namespace {

using namespace tepat;
using server::Request;
using server::Response;

// Routes of the shapes the API has: fixed, with parameters, a small and a large body limit, and the static files'
// wildcard. Each handler checks what it was given and answers 200.
const server::Router& Routes() {
  static const server::Router router = [] {
    server::Router r;
    const auto check = [](size_t limit) {
      return [limit](Request& req) {
        if (!IsValidUtf8(req.path)) fuzz::Fail("a handler got a path that is not UTF-8", req.path);
        if (req.body.size() > limit) fuzz::Fail("a handler got a body past its route's limit", req.target);
        for (const auto& [name, value] : req.params) {
          if (value.empty() && name != "path") fuzz::Fail("a handler got an empty parameter", name);
        }
        return Response::Json(200, "{}");
      };
    };
    r.Add("GET", "/healthz", check(server::kDefaultBodyLimit));
    r.Add("POST", "/api/v1/auth/login", check(4 << 10), 4 << 10);
    r.Add("GET", "/api/v1/regions/{code}", check(server::kDefaultBodyLimit));
    r.Add("POST", "/api/v1/elections/{election}/documents", check(4 << 20), 4 << 20);
    r.Add("GET", "/api/v1/elections/{election}/tps/{code}", check(server::kDefaultBodyLimit));
    r.Add("GET", "/{*path}", check(server::kDefaultBodyLimit));
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  server::ServerOptions options;
  options.allowed_origins = {"https://tepat.example.go.id"};
  const std::string_view raw = fuzz::Text(data, size);
  const Response res = server::AnswerRaw(raw, Routes(), options);
  if (res.status < 200 || res.status >= 500) fuzz::Fail("answered " + std::to_string(res.status), raw, res.body);
  if (res.status >= 400) {
    rapidjson::Document body;
    body.Parse(res.body.data(), res.body.size());
    if (body.HasParseError() || !body.IsObject() || !body.HasMember("error") || !body["error"].IsObject()) {
      fuzz::Fail("an error that is not the JSON error shape", raw, res.body);
    }
  }
  return 0;
}
