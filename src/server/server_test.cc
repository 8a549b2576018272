// `tepat serve` as a real process on loopback: the API end to end (documents posted over HTTP until readiness equals
// the scenario's truth), logins, sessions and throttling, the authorization matrix over every route × role × in or
// out of scope, the error shape and limits, live events, many idle and slow clients, the OpenAPI description against
// the routes, and graceful shutdown.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "server/api.h"
#include "store/store.h"
#include "testing/serve.h"
#include "testing/testing.h"

namespace tepat::server {

namespace {

using nlohmann::json;
using testing::Call;
using testing::Connect;
using testing::Exchange;
using testing::kPassword;
using testing::Reply;
using testing::RoutesOf;
using testing::RunCli;
using testing::ServerProcess;
using testing::World;

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    server_ = new ServerProcess(world_->db, world_->dir.File("serve.log"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete world_;
  }
  static uint16_t port() { return server_->port(); }
  static std::string Login(const std::string& user) {
    static std::map<std::string, std::string> tokens;
    if (tokens.count(user)) return tokens[user];
    const Reply r =
        Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", user}, {"password", kPassword}}.dump());
    EXPECT_EQ(200, r.status) << r.body;
    return tokens[user] = r.Json().value("token", "");
  }
  // Posts every scenario document as admin, once for the suite.
  static void PostAll() {
    static bool posted = false;
    if (posted) return;
    posted = true;
    const std::string token = Login("admin");
    for (const std::string& line : world_->lines) {
      const Reply r = Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", token, line);
      ASSERT_TRUE(r.status == 201 || r.status == 200) << r.status << " " << r.body << "\n" << line;
    }
  }
  static World* world_;
  static ServerProcess* server_;
};

World* ServeTest::world_ = nullptr;
ServerProcess* ServeTest::server_ = nullptr;

TEST_F(ServeTest, DocumentsPostedOverHttpGiveReadinessEqualToTheTruth) {
  PostAll();
  const Reply problems = Call(port(), "GET", "/api/v1/elections/pemilu-2024/readiness/problems", Login("admin"));
  ASSERT_EQ(200, problems.status) << problems.body;
  std::string csv = "tps_code,problem\n";
  const json rows = problems.Json()["problems"];
  for (const json& row : rows) {
    for (const json& p : row["problems"]) csv += row["tps"].get<std::string>() + "," + p.get<std::string>() + "\n";
  }
  EXPECT_EQ(testing::ReadText(world_->truth), csv);
  // Posting the same document again answers with the first result.
  const Reply again =
      Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), world_->lines.front());
  EXPECT_EQ(200, again.status);
  EXPECT_EQ("replayed", again.Json()["status"]);
  EXPECT_EQ(1, again.Json()["seq"]);
  // The readiness rollup answers for the nation and a region with its children.
  const Reply nation = Call(port(), "GET", "/api/v1/elections/pemilu-2024/readiness");
  ASSERT_EQ(200, nation.status);
  EXPECT_EQ(7, nation.Json()["region"]["tps"]);
  const Reply regency = Call(port(), "GET", "/api/v1/elections/pemilu-2024/readiness?region=35.78");
  EXPECT_EQ(4, regency.Json()["region"]["tps"]);
  EXPECT_EQ("Kota Surabaya", regency.Json()["region"]["name"]);
  EXPECT_EQ(3u, regency.Json()["children"].size());  // the fixture's three districts of Surabaya
}

// The drill-down below a district is public: a village's TPS with their states and problems, matching the village's
// readiness and each TPS's own page; a TPS page shows its kits and documents, with the names of the people who signed
// them only to accounts whose scope holds it. Regions carry the path above them.
TEST_F(ServeTest, TpsPagesArePublicAndNamesAreForTheScopeOnly) {
  PostAll();
  const std::string e = "/api/v1/elections/pemilu-2024";
  const Reply village = Call(port(), "GET", e + "/readiness?region=35.78.01.1001");
  ASSERT_EQ(200, village.status) << village.body;
  const json path = village.Json()["path"];
  ASSERT_EQ(3u, path.size()) << village.body;
  EXPECT_EQ("35", path[0]["code"]);
  EXPECT_EQ("Kota Surabaya", path[1]["name"]);
  EXPECT_EQ("district", path[2]["level"]);
  EXPECT_EQ(0u, Call(port(), "GET", e + "/readiness").Json()["path"].size());
  const Reply list = Call(port(), "GET", e + "/tps?region=35.78.01.1001");
  ASSERT_EQ(200, list.status) << list.body;
  const json tps = list.Json()["tps"];
  ASSERT_EQ(village.Json()["region"]["tps"].get<size_t>(), tps.size());
  std::map<std::string, int> states;
  for (const json& t : tps) {
    ++states[t["state"].get<std::string>()];
    const Reply one = Call(port(), "GET", e + "/tps/" + t["tps"].get<std::string>());
    ASSERT_EQ(200, one.status) << one.body;
    const json detail = one.Json();
    EXPECT_EQ(t["state"], detail["state"]);
    EXPECT_EQ(t["problems"], detail["problems"]);
    int64_t need = 0;
    for (const json& item : detail["items"]) need += item["need"].get<int64_t>();
    EXPECT_EQ(need, t["need"].get<int64_t>());
  }
  for (const auto& [state, n] : states) EXPECT_EQ(n, village.Json()["region"]["states"][state]) << state;
  EXPECT_EQ(400, Call(port(), "GET", e + "/tps?region=35.78").status);
  EXPECT_EQ(404, Call(port(), "GET", e + "/tps?region=35.99.01").status);
  EXPECT_EQ(404, Call(port(), "GET", e + "/tps/35.78.01.1001.999").status);

  // A delivered TPS: its kit with seals, its dispatch and receipt; names by scope.
  const std::string code = "35.78.01.1001.001";
  auto names_of = [&](const std::string& token) {
    const Reply r = Call(port(), "GET", e + "/tps/" + code, token);
    EXPECT_EQ(200, r.status) << r.body;
    std::vector<std::string> names;
    const json detail = r.Json();
    for (const json& d : detail["documents"]) {
      for (const json& person : d["document"]["signed_by"]) {
        EXPECT_TRUE(person.contains("role"));
        if (person.contains("name")) names.push_back(person["name"]);
      }
    }
    return std::pair(names, detail["names_hidden"].get<bool>());
  };
  const Reply open = Call(port(), "GET", e + "/tps/" + code);
  const json detail = open.Json();
  ASSERT_FALSE(detail["documents"].empty()) << open.body;
  EXPECT_EQ("dispatch", detail["documents"][0]["kind"]);
  ASSERT_FALSE(detail["kits"].empty()) << open.body;
  EXPECT_EQ(code, detail["kits"][0]["tps"]);
  EXPECT_FALSE(detail["kits"][0]["seals"].empty());
  EXPECT_EQ(4u, detail["path"].size());
  for (const std::string& who : {std::string(), std::string("no-such-session"), Login("kpu-out"), Login("vendor")}) {
    const auto [names, hidden] = names_of(who);
    EXPECT_TRUE(names.empty());
    EXPECT_TRUE(hidden);
  }
  for (const std::string& who : {Login("kpu-in"), Login("bawaslu-in"), Login("admin")}) {
    const auto [names, hidden] = names_of(who);
    EXPECT_FALSE(names.empty());
    EXPECT_FALSE(hidden);
  }
}

// The ledger status shows the chain head and the last `tepat ledger verify`, whose actor only a login sees; the
// verification is also in the audit trail by its action.
TEST_F(ServeTest, LedgerStatusShowsTheHeadAndTheLastVerification) {
  PostAll();
  const std::string path = "/api/v1/elections/pemilu-2024/ledger";
  const json before = Call(port(), "GET", path).Json();
  ASSERT_TRUE(before["head"].is_object()) << before.dump();
  EXPECT_GE(before["head"]["seq"].get<size_t>(), world_->lines.size());
  EXPECT_EQ(64u, before["head"]["hash"].get<std::string>().size());
  const auto verified = RunCli({"--db", world_->db, "ledger", "verify"});
  ASSERT_EQ(0, verified.code) << verified.err;
  const json shown = Call(port(), "GET", path).Json();
  ASSERT_TRUE(shown["last_verification"].is_object()) << shown.dump();
  EXPECT_EQ("ok", shown["last_verification"]["outcome"]);
  std::string head = "#";
  head += std::to_string(shown["head"]["seq"].get<int64_t>());
  head += " ";
  head += shown["head"]["hash"].get<std::string>();
  EXPECT_EQ(head, shown["last_verification"]["head"]);
  EXPECT_FALSE(shown["last_verification"].contains("actor"));
  const json as_admin = Call(port(), "GET", path, Login("admin")).Json();
  EXPECT_EQ(0u, as_admin["last_verification"]["actor"].get<std::string>().rfind("os:", 0));
  const json audit = Call(port(), "GET", "/api/v1/audit?action=ledger.verify", Login("admin")).Json();
  ASSERT_EQ(1u, audit["entries"].size()) << audit.dump();
  EXPECT_EQ("ledger.verify", audit["entries"][0]["action"]);
  // An admin verifies from the server: started at once, its outcome in the audit trail with the admin as its actor.
  EXPECT_EQ(403, Call(port(), "POST", "/api/v1/ledger/verify", Login("kpu-in")).status);
  const Reply started = Call(port(), "POST", "/api/v1/ledger/verify", Login("admin"));
  ASSERT_EQ(202, started.status) << started.body;
  json last;
  for (int i = 0; i < 300; ++i) {
    last = Call(port(), "GET", path, Login("admin")).Json()["last_verification"];
    if (last["actor"] == "admin") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ("admin", last["actor"]) << last.dump();
  EXPECT_EQ("ok", last["outcome"]) << last.dump();
  EXPECT_EQ(head, last["head"]);
  EXPECT_EQ(0u, last["detail"].get<std::string>().rfind("ok: ", 0)) << last.dump();
}

TEST_F(ServeTest, RefusedDocumentsSayWhyAndChangeNothing) {
  PostAll();
  json doc = json::parse(world_->lines.back());
  doc["id"] = "0b1e4a5c-0000-4000-8000-000000000001";
  doc["at"] = "not a time";
  const Reply bad = Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), doc.dump());
  EXPECT_EQ(422, bad.status);
  EXPECT_EQ("unprocessable", bad.Json()["error"]["code"]);
  EXPECT_EQ("at", bad.Json()["error"]["details"][0]["field"]);
  const Reply conflict_doc = [&] {
    json changed = json::parse(world_->lines.front());
    changed["number"] = "CHANGED";
    return Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), changed.dump());
  }();
  EXPECT_EQ(409, conflict_doc.status) << conflict_doc.body;
  EXPECT_EQ(404, Call(port(), "GET", "/api/v1/documents/0b1e4a5c-0000-4000-8000-000000000001", Login("admin")).status);
  EXPECT_EQ(400, Call(port(), "POST", "/api/v1/auth/login", "", "{not json").status);
}

TEST_F(ServeTest, LoginSessionsCookiesAndLogout) {
  const Reply wrong =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "admin"}, {"password", "x"}}.dump());
  EXPECT_EQ(401, wrong.status);
  EXPECT_EQ("unauthorized", wrong.Json()["error"]["code"]);
  const Reply unknown =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "nobody"}, {"password", kPassword}}.dump());
  EXPECT_EQ(401, unknown.status);
  EXPECT_EQ(wrong.Json()["error"]["message"], unknown.Json()["error"]["message"]);  // no hint which was wrong

  const Reply ok =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "kpu-in"}, {"password", kPassword}}.dump());
  ASSERT_EQ(200, ok.status);
  const std::string cookie = ok.headers.at("set-cookie");
  EXPECT_NE(std::string::npos, cookie.find("HttpOnly"));
  EXPECT_NE(std::string::npos, cookie.find("SameSite=Strict"));
  const std::string token = ok.Json()["token"];
  EXPECT_EQ(64u, token.size());
  const Reply me = Call(port(), "GET", "/api/v1/auth/me", "", "", "Cookie: tepat_session=" + token + "\r\n");
  EXPECT_EQ(200, me.status);
  EXPECT_EQ("35.78", me.Json()["scope"]);
  EXPECT_EQ(200, Call(port(), "POST", "/api/v1/auth/logout", token).status);
  EXPECT_EQ(401, Call(port(), "GET", "/api/v1/auth/me", token).status);
  EXPECT_EQ(401, Call(port(), "GET", "/api/v1/auth/me", "not-a-token").status);

  // The audit trail has the logins, refused and accepted, with the address; the log has no token or password.
  const Reply audit = Call(port(), "GET", "/api/v1/audit?limit=1000", Login("admin"));
  ASSERT_EQ(200, audit.status);
  int refused = 0, logins = 0;
  const json entries = audit.Json()["entries"];
  for (const json& e : entries) {
    if (e["action"] == "login" && e["outcome"] == "refused") ++refused;
    if (e["action"] == "login" && e["outcome"] == "ok" && e["actor"] == "kpu-in") ++logins;
    // The command line's entries (accounts, imports, verifications) are its operating-system user's, from "cli".
    const bool cli = e["actor"].get<std::string>().rfind("os:", 0) == 0;
    EXPECT_EQ(cli ? "cli" : "127.0.0.1", e["address"].get<std::string>()) << e.dump();
  }
  EXPECT_GE(refused, 2);
  EXPECT_GE(logins, 1);
  EXPECT_EQ(std::string::npos, server_->Log().find(token));
  EXPECT_EQ(std::string::npos, server_->Log().find(kPassword));
}

TEST_F(ServeTest, FailedLoginsAreThrottled) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(401, Call(port(), "POST", "/api/v1/auth/login", "",
                        json{{"username", "throttled"}, {"password", "wrong-password-1"}}.dump())
                       .status);
  }
  const Reply r =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "throttled"}, {"password", kPassword}}.dump());
  EXPECT_EQ(429, r.status);
  EXPECT_EQ("too_many_requests", r.Json()["error"]["code"]);
  EXPECT_GT(std::stoi(r.headers.at("retry-after")), 0);
}

// Guessing the current password through a session counts as failed logins do: past the limit both are refused.
TEST_F(ServeTest, WrongCurrentPasswordsAreThrottledToo) {
  const std::string token = Login("guessed");
  auto change = [&](const std::string& current) {
    return Call(port(), "POST", "/api/v1/auth/password", token,
                json{{"current_password", current}, {"new_password", "a-new-long-passphrase-2"}}.dump());
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(403, change("wrong-password-" + std::to_string(i)).status);
  const Reply r = change(kPassword);
  EXPECT_EQ(429, r.status) << r.body;
  EXPECT_GT(std::stoi(r.headers.at("retry-after")), 0);
  EXPECT_EQ(
      429, Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "guessed"}, {"password", kPassword}}.dump())
               .status);
}

TEST_F(ServeTest, ADisabledAccountLosesItsSessions) {
  const std::string token = Login("leaving");
  EXPECT_EQ(200, Call(port(), "GET", "/api/v1/auth/me", token).status);
  const auto r = RunCli({"--db", world_->db, "user", "disable", "leaving"});
  ASSERT_EQ(0, r.code) << r.err;
  EXPECT_EQ(401, Call(port(), "GET", "/api/v1/auth/me", token).status);
  const Reply again =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "leaving"}, {"password", kPassword}}.dump());
  EXPECT_EQ(401, again.status);
  const auto back = RunCli({"--db", world_->db, "user", "enable", "leaving"});
  ASSERT_EQ(0, back.code) << back.err;
  EXPECT_EQ(
      200, Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "leaving"}, {"password", kPassword}}.dump())
               .status);
}

// Every route × role × in or out of scope. "in" accounts are scoped to 35.78 (kpu) and 35.78.01 (bawaslu), "out"
// accounts to 34.71 and 31.71; the objects asked for all lie in 35.78.01.
TEST_F(ServeTest, AuthorizationMatrix) {
  PostAll();
  std::string dispatch_id, dispatch_line;
  for (const std::string& line : world_->lines) {
    const json doc = json::parse(line);
    if (doc["kind"] == "dispatch" && doc["node"] == "kpu:35.78" && doc.value("to", "") == "ppk:35.78.01") {
      dispatch_id = doc["id"];
      dispatch_line = line;
      break;
    }
  }
  ASSERT_FALSE(dispatch_id.empty());
  // A vendor's delivery, not yet received, for the reversal route: its signer (the vendor) or an admin reverses it.
  const std::string delivery = "0e0e0e0e-0000-4000-8000-000000000101",
                    reversal = "0e0e0e0e-0000-4000-8000-000000000102";
  const json signer = json::array({json{{"name", "Dewi"}, {"role", "Penyedia"}}});
  const Reply delivered = Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"),
                               json{{"id", delivery},
                                    {"kind", "dispatch"},
                                    {"election", "pemilu-2024"},
                                    {"at", "2024-01-20T09:00:00+07:00"},
                                    {"node", "vendor:tahap1-perlengkapan"},
                                    {"signed_by", signer},
                                    {"to", "kpu:35.78"},
                                    {"lines", json::array({json{{"item", "kotak_suara"}, {"quantity", 5}}})}}
                                   .dump());
  ASSERT_EQ(201, delivered.status) << delivered.body;
  const std::string reversal_body = json{
      {"id", reversal},
      {"at", "2024-01-20T10:00:00+07:00"},
      {"signed_by", signer},
      {"note", "salah kirim"}}.dump();
  // Supervision: a report, and a finding recommended to kpu:35.78 and answered there, for the routes below.
  const std::string report_body = json{{"id", "0e0e0e0e-0000-4000-8000-000000000201"},
                                       {"kind", "supervision_report"},
                                       {"election", "pemilu-2024"},
                                       {"stage", "tps_h1"},
                                       {"supervisor", {{"name", "Sri"}, {"position", "Pengawas TPS 001"}}},
                                       {"assignment", "ST-1"},
                                       {"node", "kpps:35.78.01.1001.001"},
                                       {"at", "2024-02-13T10:00:00+07:00"},
                                       {"observed", json::array({json{{"item", "kotak_suara"}, {"count", 1}}})}}
                                      .dump();
  json refused_report = json::parse(report_body);
  refused_report["stage"] = "somewhere";
  const Reply refusal =
      Call(port(), "POST", "/api/v1/elections/pemilu-2024/reports", Login("bawaslu-in"), refused_report.dump());
  EXPECT_EQ(422, refusal.status) << refusal.body;
  EXPECT_EQ("stage", refusal.Json()["error"]["details"][0]["field"]) << refusal.body;
  const std::string finding_body =
      json{{"region", "35.78.01"}, {"category", "storage_security"}, {"title", "Gudang PPK tidak terkunci"}}.dump();
  const Reply raised =
      Call(port(), "POST", "/api/v1/elections/pemilu-2024/findings", Login("bawaslu-in"),
           json{{"region", "35.78.01"}, {"category", "unsealed"}, {"title", "Segel kotak rusak"}, {"register", true}}
               .dump());
  ASSERT_EQ(201, raised.status) << raised.body;
  const std::string finding = raised.Json()["id"];
  const std::string steps = "/api/v1/findings/" + finding + "/steps";
  ASSERT_EQ(403, Call(port(), "POST", steps, Login("kpu-in"),
                      json{{"step", "recommend"}, {"to", "kpu:35.78"}, {"text", "x"}}.dump())
                     .status);
  ASSERT_EQ(200, Call(port(), "POST", steps, Login("bawaslu-in"),
                      json{{"step", "recommend"},
                           {"to", "kpu:35.78"},
                           {"text", "Ganti segel sebelum H-1"},
                           {"due", "2099-01-01T00:00:00+07:00"}}
                          .dump())
                     .status);
  ASSERT_EQ(200,
            Call(port(), "POST", steps, Login("kpu-in"), json{{"step", "answer"}, {"text", "Diganti"}}.dump()).status);
  const Reply planned = Call(port(), "POST", "/api/v1/elections/pemilu-2024/actions", Login("bawaslu-in"),
                             json{{"region", "35.78.01"},
                                  {"title", "Ganti segel"},
                                  {"owner", "PPS Karang Pilang"},
                                  {"due", "2099-01-01T00:00:00+07:00"}}
                                 .dump());
  ASSERT_EQ(201, planned.status) << planned.body;
  const std::string action = planned.Json()["id"];
  const std::vector<std::string> roles = {"public",     "admin",       "kpu-in", "kpu-out",
                                          "bawaslu-in", "bawaslu-out", "vendor"};
  struct Case {
    std::string method, pattern, target, body;
    std::vector<int> expected;  // by role, in the order above; 2 stands for any 2xx
  };
  const std::string e = "/api/v1/elections/pemilu-2024";
  const std::vector<Case> cases = {
      {"GET", "/healthz", "/healthz", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/readyz", "/readyz", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/metrics", "/metrics", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/auth/me", "/api/v1/auth/me", "", {401, 2, 2, 2, 2, 2, 2}},
      {"POST", "/api/v1/auth/logout", "/api/v1/auth/logout", "", {401, 0, 0, 0, 0, 0, 0}},
      {"POST",
       "/api/v1/auth/password",
       "/api/v1/auth/password",
       json{{"current_password", "wrong-password-9"}, {"new_password", "x"}}.dump(),
       {401, 403, 403, 403, 403, 403, 403}},
      {"POST", "/api/v1/auth/login", "/api/v1/auth/login", "{}", {400, 400, 400, 400, 400, 400, 400}},
      {"GET", "/api/v1/regions", "/api/v1/regions?q=surabaya", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/regions/{code}", "/api/v1/regions/35.78", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections", "/api/v1/elections", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/readiness", e + "/readiness?region=35.78.01", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/needs", e + "/needs?region=35.78.01", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/ledger", e + "/ledger", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET",
       "/api/v1/elections/{election}/readiness/problems",
       e + "/readiness/problems?region=35.78.01",
       "",
       {401, 2, 2, 403, 2, 403, 403}},
      {"GET", "/api/v1/elections/{election}/tps", e + "/tps?region=35.78.01.1001", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/tps/{code}", e + "/tps/35.78.01.1001.001", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/documents/{id}", "/api/v1/documents/" + dispatch_id, "", {401, 2, 2, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/nodes/{node}/documents",
       e + "/nodes/ppk:35.78.01/documents",
       "",
       {401, 2, 2, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/kits/{kit}",
       e + "/kits/KIT-35.78.01.1001.001",
       "",
       {401, 2, 2, 403, 2, 403, 403}},
      {"GET", "/api/v1/audit", "/api/v1/audit", "", {401, 2, 403, 403, 2, 2, 403}},
      {"POST", "/api/v1/ledger/verify", "/api/v1/ledger/verify", "", {401, 2, 403, 403, 403, 403, 403}},
      {"POST",
       "/api/v1/elections/{election}/documents",
       e + "/documents",
       dispatch_line,
       {401, 2, 2, 403, 403, 403, 403}},
      {"GET", "/api/v1/checklists", "/api/v1/checklists?stage=tps_h1", "", {2, 2, 2, 2, 2, 2, 2}},
      {"POST", "/api/v1/elections/{election}/reports", e + "/reports", report_body, {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/reports",
       e + "/reports?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/discrepancies",
       e + "/discrepancies?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"POST", "/api/v1/elections/{election}/findings", e + "/findings", finding_body, {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/findings",
       e + "/findings?region=35.78.01",
       "",
       {401, 2, 2, 2, 2, 403, 403}},
      {"GET", "/api/v1/findings/{id}", "/api/v1/findings/" + finding, "", {401, 2, 2, 403, 2, 403, 403}},
      {"POST",
       "/api/v1/findings/{id}/steps",
       steps,
       json{{"step", "follow_up"}, {"text", "Segel baru terpasang"}}.dump(),
       {401, 2, 422, 403, 403, 403, 403}},
      {"POST",
       "/api/v1/elections/{election}/actions",
       e + "/actions",
       json{{"region", "35.78.01"},
            {"title", "Periksa segel"},
            {"owner", "PPK Karang Pilang"},
            {"due", "2099-01-01T00:00:00+07:00"},
            {"findings", json::array({finding})}}
           .dump(),
       {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/actions",
       e + "/actions?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"POST",
       "/api/v1/actions/{id}",
       "/api/v1/actions/" + action,
       json{{"status", "in_progress"}}.dump(),
       {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/evaluation",
       e + "/evaluation?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"GET",
       "/api/v1/elections/{election}/vulnerability",
       e + "/vulnerability?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"POST",
       "/api/v1/documents/{id}/reversal",
       "/api/v1/documents/" + delivery + "/reversal",
       reversal_body,
       {401, 2, 403, 403, 403, 403, 2}},
      {"GET", "/api/v1/elections/{election}/procurement/{kind}", e + "/procurement/prices", "", {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/procurement-plan", e + "/procurement-plan?region=35.78", "",
       {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/procurement-deliveries", e + "/procurement-deliveries?region=35.78", "",
       {2, 2, 2, 2, 2, 2, 2}},
      {"GET", "/api/v1/elections/{election}/procurement-efficiency", e + "/procurement-efficiency?region=35", "",
       {2, 2, 2, 2, 2, 2, 2}},
      {"GET",
       "/api/v1/elections/{election}/procurement-discrepancies",
       e + "/procurement-discrepancies?region=35.78.01",
       "",
       {401, 2, 403, 403, 2, 403, 403}},
      {"POST",
       "/api/v1/elections/{election}/procurement/{kind}",
       e + "/procurement/prices",
       "item,zone,rupiah,source\nkotak_suara,,40379,ekatalog\n",
       {401, 2, 403, 403, 403, 403, 403}},
  };
  // Events, the projection (public; answered by every role) and simulations (they need a plan) have their own tests.
  std::set<std::pair<std::string, std::string>> covered = {{"GET", "/api/v1/events"},
                                                           {"GET", "/api/v1/elections/{election}/projection"},
                                                           {"POST", "/api/v1/elections/{election}/simulations"}};
  for (const Case& c : cases) {
    covered.insert({c.method, c.pattern});
    for (size_t r = 0; r < roles.size(); ++r) {
      if (c.expected[r] == 0) continue;  // would end the shared sessions
      const std::string token = roles[r] == "public" ? "" : Login(roles[r]);
      const Reply reply = Call(port(), c.method, c.target, token, c.body);
      const bool ok = c.expected[r] == 2 ? reply.status / 100 == 2 : reply.status == c.expected[r];
      EXPECT_TRUE(ok) << c.method << " " << c.target << " as " << roles[r] << ": " << reply.status << " "
                      << reply.body.substr(0, 300);
      if (reply.status >= 400) {
        EXPECT_TRUE(reply.Json().contains("error")) << reply.body;
      }
    }
  }
  // The finding went on once, by the admin's follow-up; its history keeps every step with who did it.
  const Reply history = Call(port(), "GET", "/api/v1/findings/" + finding, Login("kpu-in"));
  EXPECT_EQ("followed_up", history.Json()["state"]) << history.body;
  ASSERT_EQ(4u, history.Json()["history"].size()) << history.body;
  EXPECT_EQ("kpu-in", history.Json()["history"][2]["actor"]);
  EXPECT_EQ("answer", history.Json()["history"][2]["action"]);
  // A kpu account sees only the findings addressed to its units.
  EXPECT_EQ(1u, Call(port(), "GET", e + "/findings", Login("kpu-in")).Json()["findings"].size());
  EXPECT_EQ(0u, Call(port(), "GET", e + "/findings", Login("kpu-out")).Json()["findings"].size());
  // The evaluation counts the finding followed up as open; the plan's actions are there.
  const Reply evaluation = Call(port(), "GET", e + "/evaluation?region=35.78.01", Login("bawaslu-in"));
  EXPECT_EQ("total", evaluation.Json()["categories"].back()["category"]) << evaluation.body;
  EXPECT_GE(evaluation.Json()["categories"].back()["open"].get<int>(), 1) << evaluation.body;
  EXPECT_GE(evaluation.Json()["actions"]["all"].get<int>(), 2) << evaluation.body;
  // A report outside the poster's scope is refused and leaves nothing.
  json outside = json::parse(report_body);
  outside["id"] = "0e0e0e0e-0000-4000-8000-000000000202";
  EXPECT_EQ(403, Call(port(), "POST", e + "/reports", Login("bawaslu-out"), outside.dump()).status);
  // The report was recorded once (then replayed), numbered for Surabaya.
  const Reply reports = Call(port(), "GET", e + "/reports?region=35.78", Login("admin"));
  ASSERT_EQ(1u, reports.Json()["reports"].size()) << reports.body;
  EXPECT_EQ("001/LHP/PM.01.02/35.78/02/2024", reports.Json()["reports"][0]["report"]["number"]);
  // The reversal was posted once (then replayed): the delivery shows it.
  const Reply reversed = Call(port(), "GET", "/api/v1/documents/" + delivery, Login("admin"));
  EXPECT_EQ(reversal, reversed.Json()["reversed_by"]) << reversed.body;
  // The matrix covers every route the server has.
  const std::set<std::pair<std::string, std::string>> routes = RoutesOf(world_->db);
  EXPECT_EQ(routes, covered);
}

// A vendor posts its deliveries to KPU warehouses and reads them with their receipts; nothing of anyone else's.
TEST_F(ServeTest, AVendorDeliversAndReadsItsDeliveries) {
  const std::string e = "/api/v1/elections/pemilu-2024";
  auto doc = [](const std::string& id, const std::string& kind, const std::string& node, json rest) {
    rest.update(json{{"id", id},
                     {"kind", kind},
                     {"election", "pemilu-2024"},
                     {"at", "2024-01-20T09:00:00+07:00"},
                     {"node", node},
                     {"signed_by", json::array({json{{"name", "Dewi"}, {"role", "Penyedia"}}})}});
    return rest.dump();
  };
  const std::string delivery = "0e0e0e0e-0000-4000-8000-000000000001";
  const std::string receipt = "0e0e0e0e-0000-4000-8000-000000000002";
  const json lines = json::array({json{{"item", "kotak_suara"}, {"quantity", 40}}});
  const std::string vendor = Login("vendor");
  // Only its own vendor node, only to a warehouse.
  EXPECT_EQ(403, Call(port(), "POST", e + "/documents", vendor,
                      doc(delivery, "dispatch", "vendor:tahap2-percetakan", {{"to", "kpu:35.78"}, {"lines", lines}}))
                     .status);
  const Reply to_ppk =
      Call(port(), "POST", e + "/documents", vendor,
           doc(delivery, "dispatch", "vendor:tahap1-perlengkapan", {{"to", "ppk:35.78.01"}, {"lines", lines}}));
  EXPECT_EQ(422, to_ppk.status);
  EXPECT_EQ("to", to_ppk.Json()["error"]["details"][0]["field"]) << to_ppk.body;
  const Reply sent =
      Call(port(), "POST", e + "/documents", vendor,
           doc(delivery, "dispatch", "vendor:tahap1-perlengkapan", {{"to", "kpu:35.78"}, {"lines", lines}}));
  ASSERT_EQ(201, sent.status) << sent.body;
  // KPU Surabaya signs for it; an officer of another regency cannot.
  const json accepted = json::array({json{{"item", "kotak_suara"}, {"sent", 40}, {"accepted", 40}}});
  const std::string answer = doc(receipt, "receipt", "kpu:35.78",
                                 {{"from", "vendor:tahap1-perlengkapan"}, {"dispatch", delivery}, {"lines", accepted}});
  EXPECT_EQ(403, Call(port(), "POST", e + "/documents", Login("kpu-out"), answer).status);
  ASSERT_EQ(201, Call(port(), "POST", e + "/documents", Login("kpu-in"), answer).status);
  // The vendor's documents show the delivery received, and the receipt is the vendor's to read.
  const Reply mine = Call(port(), "GET", e + "/nodes/vendor:tahap1-perlengkapan/documents", vendor);
  ASSERT_EQ(200, mine.status) << mine.body;
  const json documents = mine.Json()["documents"];
  const auto listed =
      std::find_if(documents.begin(), documents.end(), [&](const json& d) { return d["id"] == delivery; });
  ASSERT_NE(documents.end(), listed) << mine.body;
  EXPECT_EQ(receipt, (*listed)["received_by"]);
  EXPECT_TRUE((*listed)["reversed_by"].is_null());
  // A received delivery is reversed only after its receipt; a reversal takes its node from the document reversed.
  const std::string reversal = json{
      {"id", "0e0e0e0e-0000-4000-8000-000000000003"},
      {"at", "2024-01-21T09:00:00+07:00"},
      {"signed_by", json::array({json{{"name", "Dewi"}, {"role", "Penyedia"}}})},
      {"note", "salah kirim"}}.dump();
  const Reply late = Call(port(), "POST", "/api/v1/documents/" + delivery + "/reversal", vendor, reversal);
  EXPECT_EQ(422, late.status);
  EXPECT_NE(std::string::npos, late.body.find("reverse that receipt first")) << late.body;
  EXPECT_EQ(
      404,
      Call(port(), "POST", "/api/v1/documents/0e0e0e0e-0000-4000-8000-000000000999/reversal", vendor, reversal).status);
  json with_node = json::parse(reversal);
  with_node["node"] = "kpu:35.78";
  const Reply named = Call(port(), "POST", "/api/v1/documents/" + delivery + "/reversal", vendor, with_node.dump());
  EXPECT_EQ(422, named.status);
  EXPECT_NE(std::string::npos, named.body.find("node: a reversal takes it from the document reversed")) << named.body;
  const Reply read = Call(port(), "GET", "/api/v1/documents/" + receipt, vendor);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ("kpu:35.78", read.Json()["document"]["node"]);
  EXPECT_EQ(403, Call(port(), "GET", e + "/nodes/kpu:35.78/documents", vendor).status);
}

// The saved projection is public like readiness: 404 until one is saved; then the nation, a regency and its children,
// the TPS most at risk and each TPS's own risk answer what `tepat simulate --save` computed.
TEST_F(ServeTest, TheSavedProjectionIsServedPublicly) {
  const std::string e = "/api/v1/elections/pemilu-2024";
  const Reply none = Call(port(), "GET", e + "/projection");
  EXPECT_EQ(404, none.status);
  EXPECT_NE(std::string::npos, none.body.find("tepat simulate")) << none.body;
  EXPECT_EQ(nullptr, Call(port(), "GET", e + "/tps/35.78.01.1001.001").Json()["risk"]);
  testing::CliOk(world_->db, {"plan", "generate", "--election", "pemilu-2024"});
  // Every district's roads closed for three to five days at some time in the distribution: some TPS are late.
  std::string model = testing::ReadText((testing::SourceDir() / "sim/model.toml").string());
  const std::string closures = "probability = 0.005\ndays = [1, 3]";
  model.replace(model.find(closures), closures.size(), "probability = 1.0\ndays = [3, 5]");
  testing::WriteText(world_->dir.File("closed.toml"), model);
  const json saved =
      json::parse(testing::CliOk(world_->db, {"simulate", "--election", "pemilu-2024", "--scenarios", "400", "--save",
                                              "--format", "json", "--model", world_->dir.File("closed.toml")}));
  const Reply nation = Call(port(), "GET", e + "/projection");
  ASSERT_EQ(200, nation.status) << nation.body;
  for (const char* who : {"admin", "kpu-out", "bawaslu-out", "vendor"}) {
    EXPECT_EQ(nation.body, Call(port(), "GET", e + "/projection", Login(who)).body) << who;
  }
  const json n = nation.Json();
  EXPECT_EQ(400, n["run"]["scenarios"]);
  EXPECT_EQ(nullptr, n["run"]["as_of"]);
  EXPECT_EQ(saved["tps"], n["region"]["tps"]);
  EXPECT_DOUBLE_EQ(saved["scope"]["expected_late"].get<double>(), n["region"]["expected_late"].get<double>());
  EXPECT_EQ(saved["regions"].size(), n["children"].size());
  const Reply regency = Call(port(), "GET", e + "/projection?region=35.78&top=3");
  ASSERT_EQ(200, regency.status) << regency.body;
  const json r = regency.Json();
  EXPECT_EQ("Kota Surabaya", r["path"].back()["name"]);
  EXPECT_EQ(4, r["region"]["tps"]);
  double children = 0;
  for (const json& c : r["children"]) children += c["expected_late"].get<double>();
  EXPECT_NEAR(r["region"]["expected_late"].get<double>(), children, 1e-9);
  ASSERT_LE(r["tps"].size(), 3u);
  ASSERT_FALSE(r["tps"].empty());
  EXPECT_GT(r["tps"][0]["p_late"].get<double>(), 0);
  EXPECT_LT(r["tps"][0]["p_late"].get<double>(), 1);
  for (size_t i = 1; i < r["tps"].size(); ++i) {
    EXPECT_GE(r["tps"][i - 1]["p_late"].get<double>(), r["tps"][i]["p_late"].get<double>());
  }
  // A TPS's page carries its risk, the same as the list's.
  const json first = r["tps"][0];
  const json page = Call(port(), "GET", e + "/tps/" + first["tps"].get<std::string>()).Json();
  EXPECT_EQ(first["p_late"], page["risk"]["p_late"]);
  EXPECT_EQ(first["arrival_p50"], page["risk"]["arrival_p50"]);
  EXPECT_EQ(400, page["risk"]["projection"]["scenarios"]);
  EXPECT_EQ(404, Call(port(), "GET", e + "/projection?region=99").status);
  // The village list carries each TPS's chance of being late.
  const json list = Call(port(), "GET", e + "/tps?region=35.78.01.1001").Json();
  for (const json& t : list["tps"]) {
    const json one = Call(port(), "GET", e + "/tps/" + t["tps"].get<std::string>()).Json();
    EXPECT_EQ(one["risk"]["p_late"], t["p_late"]) << t["tps"];
  }
}

// A simulation over HTTP answers what the command line prints for the same request, for KPU and Bawaslu within their
// scope; bad requests are refused with where and why.
TEST_F(ServeTest, SimulationsAnswerWhatTheCommandLinePrints) {
  const std::string url = "/api/v1/elections/pemilu-2024/simulations";
  testing::CliOk(world_->db, {"plan", "generate", "--election", "pemilu-2024"});
  const std::string what_if = "[[change]]\nwhat = \"advance\"\nregion = \"35.78.01\"\nhours = 12\n";
  testing::WriteText(world_->dir.File("w.toml"), what_if);
  const std::string cli = testing::CliOk(
      world_->db, {"simulate", "--election", "pemilu-2024", "--region", "35.78", "--scenarios", "300", "--seed", "2",
                   "--what-if", world_->dir.File("w.toml"), "--mitigate", "2", "--format", "json"});
  const std::string body =
      json{{"region", "35.78"}, {"scenarios", 300}, {"seed", 2}, {"what_if", what_if}, {"mitigate", 2}}.dump();
  const Reply kpu = Call(port(), "POST", url, Login("kpu-in"), body);
  ASSERT_EQ(200, kpu.status) << kpu.body;
  EXPECT_EQ(json::parse(cli), kpu.Json());
  EXPECT_TRUE(kpu.Json().contains("what_if"));
  EXPECT_TRUE(kpu.Json().contains("mitigation"));
  // Bawaslu within its scope too; outside it, vendors and the public are refused.
  const std::string district = json{{"region", "35.78.01"}, {"scenarios", 100}}.dump();
  EXPECT_EQ(200, Call(port(), "POST", url, Login("bawaslu-in"), district).status);
  EXPECT_EQ(403, Call(port(), "POST", url, Login("kpu-out"), district).status);
  EXPECT_EQ(403, Call(port(), "POST", url, Login("bawaslu-out"), district).status);
  EXPECT_EQ(403, Call(port(), "POST", url, Login("vendor"), district).status);
  EXPECT_EQ(401, Call(port(), "POST", url, "", district).status);
  // Bad requests say where.
  const Reply many = Call(port(), "POST", url, Login("admin"), json{{"region", "35.78"}, {"scenarios", 20000}}.dump());
  EXPECT_EQ(422, many.status);
  EXPECT_NE(std::string::npos, many.body.find("scenarios")) << many.body;
  const Reply typo =
      Call(port(), "POST", url, Login("admin"),
           json{{"region", "35.78"}, {"what_if", "[[change]]\nwhat = \"fly\"\nregion = \"35.78\"\n"}}.dump());
  EXPECT_EQ(422, typo.status);
  ASSERT_EQ(1u, typo.Json()["error"]["details"].size()) << typo.body;
  EXPECT_EQ("what_if:2", typo.Json()["error"]["details"][0]["where"]);
  EXPECT_EQ("change[1].what", typo.Json()["error"]["details"][0]["field"]);
  EXPECT_EQ(404, Call(port(), "POST", url, Login("admin"), json{{"region", "35.99"}}.dump()).status);
}

TEST_F(ServeTest, OpenApiDescribesExactlyTheRoutes) {
  const Reply r = Call(port(), "GET", "/api/v1/openapi.json");
  ASSERT_EQ(200, r.status);
  const json spec = r.Json();
  ASSERT_TRUE(spec.is_object()) << r.body.substr(0, 200);
  EXPECT_EQ("3.0.3", spec["openapi"]);
  std::set<std::pair<std::string, std::string>> described;
  for (const auto& [path, operations] : spec["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      described.insert({upper, path});
    }
  }
  const std::set<std::pair<std::string, std::string>> routes = RoutesOf(world_->db);
  EXPECT_EQ(routes, described);
}

TEST_F(ServeTest, OneErrorShapeForEveryFailure) {
  const Reply missing = Call(port(), "GET", "/nothing/here");
  EXPECT_EQ(404, missing.status);
  EXPECT_EQ("not_found", missing.Json()["error"]["code"]);
  const Reply method = Call(port(), "DELETE", "/healthz");
  EXPECT_EQ(405, method.status);
  EXPECT_EQ("method_not_allowed", method.Json()["error"]["code"]);
  EXPECT_EQ("GET", method.headers.at("allow"));
  const Reply large = Call(port(), "POST", "/api/v1/auth/login", "", std::string(5000, ' '));
  EXPECT_EQ(413, large.status);
  EXPECT_EQ("payload_too_large", large.Json()["error"]["code"]);
  const Reply headers = Call(port(), "GET", "/healthz", "", "", "X-Big: " + std::string(20000, 'a') + "\r\n");
  EXPECT_EQ(431, headers.status);
  EXPECT_EQ("headers_too_large", headers.Json()["error"]["code"]);
  const Reply target = Call(port(), "GET", "/api/v1/regions/%zz");
  EXPECT_EQ(400, target.status);
  EXPECT_EQ("bad_request", target.Json()["error"]["code"]);
  const Reply region = Call(port(), "GET", "/api/v1/regions/99.99");
  EXPECT_EQ(404, region.status);
  EXPECT_EQ("there is no region 99.99", region.Json()["error"]["message"]);
  EXPECT_EQ(200, Call(port(), "GET", "/healthz").status);
  const Reply metrics = Call(port(), "GET", "/metrics");
  EXPECT_NE(std::string::npos,
            metrics.body.find("tepat_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"));
  EXPECT_NE(std::string::npos, metrics.body.find("tepat_http_request_duration_seconds_bucket{route=\"/healthz\""));
  EXPECT_NE(std::string::npos, metrics.body.find("tepat_documents_posted_total"));
}

// The edge, as a hostile client tries it (issue 16's defects, each with the request that showed it).

// A request's raw text: method, target, the given header lines, and a body with a Content-Length.
std::string Raw(const std::string& method, const std::string& target, const std::string& headers,
                const std::string& body = "") {
  std::string raw = method + " " + target + " HTTP/1.1\r\n" + headers;
  if (!body.empty() || method == "POST") raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return raw + "\r\n" + body;
}

// `body` in chunks of 16 KiB.
std::string Chunked(const std::string& body) {
  std::string out;
  for (size_t at = 0; at < body.size(); at += 16384) {
    const std::string piece = body.substr(at, 16384);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_F(ServeTest, LargeBodiesGetTheirRoutesLimitWithEitherFraming) {
  PostAll();
  const std::string token = Login("admin");
  const std::string auth =
      "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
  // A 200 KB document (a district's packing runs past 64 KiB) reaches the handler: it is a replay of one posted.
  const std::string padded = world_->lines.front() + std::string(200000, ' ');
  const std::string documents = "/api/v1/elections/pemilu-2024/documents";
  const Reply declared = Exchange(port(), Raw("POST", documents, auth + "Connection: close\r\n", padded));
  EXPECT_EQ(200, declared.status) << declared.body;
  const Reply chunked =
      Exchange(port(), "POST " + documents + " HTTP/1.1\r\n" + auth +
                           "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunked(padded));
  EXPECT_EQ(200, chunked.status) << chunked.body;
  // Past the route's 4 MiB, with either framing, and past 1 MiB for a report: 413, before the body is read.
  for (const auto& [target, size] : std::vector<std::pair<std::string, size_t>>{
           {documents, 5u << 20}, {documents, 10'000'000}, {"/api/v1/elections/pemilu-2024/reports", 1200000}}) {
    const std::string body(size, ' ');
    for (const bool chunk : {false, true}) {
      const std::string raw =
          chunk ? "POST " + target + " HTTP/1.1\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n" + Chunked(body)
                : Raw("POST", target, auth, body);
      const testing::Conversation c = testing::Converse(port(), raw);
      ASSERT_EQ(1u, c.replies.size()) << target << " " << size << (chunk ? " chunked" : "") << c.data.substr(0, 300);
      EXPECT_EQ(413, c.replies[0].status) << c.replies[0].body;
      EXPECT_EQ("payload_too_large", c.replies[0].Json()["error"]["code"]);
      EXPECT_TRUE(c.closed);
    }
  }
}

// Procurement's reference data: public to read; replaced whole from a CSV body by an admin, with the command line's
// checks (a refused file answers 422 with each problem located and changes nothing) and an audit entry.
TEST_F(ServeTest, ProcurementDataIsPublicAndReplacedWholeByTheNation) {
  // The server is shared with the other tests (the authorization matrix posts prices too): what this test does is
  // counted from what it finds.
  const std::string prices = "/api/v1/elections/pemilu-2024/procurement/prices";
  const Reply before = Call(port(), "GET", prices);
  ASSERT_EQ(200, before.status) << before.body;
  EXPECT_TRUE(before.Json()["records"].is_array());
  const std::string admin = Login("admin");
  auto imports = [&] {
    return Call(port(), "GET", "/api/v1/audit?action=procurement.import&limit=1000", admin).Json()["entries"].size();
  };
  const size_t imported_before = imports();
  const Reply vendors = Call(port(), "GET", "/api/v1/elections/pemilu-2024/procurement/vendors");
  EXPECT_FALSE(vendors.Json()["imported"].get<bool>());
  EXPECT_EQ("tahap1-perlengkapan", vendors.Json()["records"][0]["code"]);
  const Reply saved = Call(port(), "POST", prices, admin,
                           "item,zone,rupiah,source,reference\nkotak_suara,,40379,ekatalog,KD-1\n"
                           "kotak_suara,35.78,39000,last_election,pemilu-2019\n");
  ASSERT_EQ(200, saved.status) << saved.body;
  EXPECT_EQ(2, saved.Json()["records"]);
  const Reply refused =
      Call(port(), "POST", prices, admin, "item,zone,rupiah,source\nkotak_suara,99,40379,katalog\n");
  ASSERT_EQ(422, refused.status) << refused.body;
  EXPECT_NE(std::string::npos, refused.body.find("body:2")) << refused.body;
  EXPECT_NE(std::string::npos, refused.body.find("expected ekatalog, hps or last_election")) << refused.body;
  const Reply after = Call(port(), "GET", prices);
  ASSERT_EQ(2u, after.Json()["records"].size()) << after.body;
  EXPECT_EQ(39000, after.Json()["records"][1]["rupiah"]);
  EXPECT_EQ(404, Call(port(), "GET", "/api/v1/elections/pemilu-2024/procurement/kontrak").status);
  // One audit entry, for the file accepted; none for the one refused.
  EXPECT_EQ(imported_before + 1, imports());
  const Reply audit = Call(port(), "GET", "/api/v1/audit?action=procurement.import&limit=1", admin);
  EXPECT_EQ("pemilu-2024/prices", audit.Json()["entries"][0]["target"]) << audit.body;
  EXPECT_EQ("2 prices from body", audit.Json()["entries"][0]["detail"]) << audit.body;

  // The plan, public, at the prices just saved: Surabaya's boxes at its own zone's price.
  const Reply plan = Call(port(), "GET", "/api/v1/elections/pemilu-2024/procurement-plan?by=regency&region=35.78");
  ASSERT_EQ(200, plan.status) << plan.body;
  bool boxes = false;
  const auto answer = plan.Json();
  for (const auto& row : answer["rows"]) {
    EXPECT_EQ("35.78", row["group"]);
    if (row["item"] != "kotak_suara") continue;
    boxes = true;
    EXPECT_EQ(row["buy"].get<int64_t>() * 39000, row["cost"]);
  }
  EXPECT_TRUE(boxes) << plan.body;
  EXPECT_EQ("kpu", answer["offices"][0]["office"]);
  EXPECT_EQ(400, Call(port(), "GET", "/api/v1/elections/pemilu-2024/procurement-plan?by=village").status);
  EXPECT_EQ(404, Call(port(), "GET", "/api/v1/elections/pemilu-2024/procurement-plan?region=99").status);
}

TEST_F(ServeTest, InvalidUtf8NeverReachesTheAuditTrail) {
  const std::string bad = "{\"username\":\"\xff\xfe\",\"password\":\"x\"}";
  const Reply login = Call(port(), "POST", "/api/v1/auth/login", "", bad);
  EXPECT_EQ(400, login.status);
  EXPECT_EQ("bad_request", login.Json()["error"]["code"]);
  const Reply document =
      Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), "{\"kind\":\"\xc0\xaf\"}");
  EXPECT_EQ(422, document.status);
  const Reply target = Call(port(), "GET", "/api/v1/regions?q=%ff%fe");
  EXPECT_EQ(400, target.status);
  const Reply audit = Call(port(), "GET", "/api/v1/audit?limit=1000", Login("admin"));
  ASSERT_EQ(200, audit.status);
  EXPECT_FALSE(audit.Json().is_discarded()) << "the audit trail is not valid JSON";
  EXPECT_EQ(std::string::npos, audit.body.find("\xff"));
}

TEST_F(ServeTest, TransferCodingsOtherThanChunkedAloneAreRefusedAndTheConnectionClosed) {
  // The "body" is a second request: processing it would be request smuggling.
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (const auto& [coding, status] : std::vector<std::pair<std::string, int>>{
           {"xchunked", 400}, {"identity", 400}, {"chunked, identity", 400}, {"gzip, chunked", 400}}) {
    const std::string raw =
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: " + coding + "\r\n\r\n" + smuggled;
    const testing::Conversation c = testing::Converse(port(), raw, std::chrono::milliseconds(3000));
    ASSERT_EQ(1u, c.replies.size()) << coding << ": " << c.data;
    EXPECT_EQ(status, c.replies[0].status) << coding;
    EXPECT_EQ("close", c.replies[0].headers.at("connection")) << coding;
    EXPECT_TRUE(c.closed) << coding;
  }
}

TEST_F(ServeTest, MalformedChunkedBodiesAreAnswered400) {
  for (const std::string chunks :
       {"zz\r\nabc\r\n0\r\n\r\n", "100000000000000000000\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n"}) {
    const std::string raw =
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
    const testing::Conversation c = testing::Converse(port(), raw, std::chrono::milliseconds(3000));
    ASSERT_EQ(1u, c.replies.size()) << chunks << ": " << c.data;
    EXPECT_EQ(400, c.replies[0].status) << chunks;
    EXPECT_EQ("bad_request", c.replies[0].Json()["error"]["code"]) << chunks;
    EXPECT_TRUE(c.closed);
  }
}

TEST_F(ServeTest, CrossSiteWritesWithACookieAreRefused) {
  const Reply login =
      Call(port(), "POST", "/api/v1/auth/login", "", json{{"username", "kpu-in"}, {"password", kPassword}}.dump());
  ASSERT_EQ(200, login.status);
  const std::string cookie = "Cookie: tepat_session=" + login.Json()["token"].get<std::string>() + "\r\n";
  const auto logout = [&](const std::string& from) {
    return Exchange(port(), Raw("POST", "/api/v1/auth/logout",
                                "Host: 127.0.0.1:" + std::to_string(port()) + "\r\nConnection: close\r\n" + cookie +
                                    "Content-Type: text/plain\r\n" + from,
                                "{}"));
  };
  for (const std::string from :
       {"Origin: https://evil.example\r\n", "Origin: null\r\n", "Referer: https://evil.example/page\r\n"}) {
    const Reply refused = logout(from);
    EXPECT_EQ(403, refused.status) << from;
    EXPECT_EQ("forbidden", refused.Json()["error"]["code"]) << from;
    EXPECT_EQ(200, Call(port(), "GET", "/api/v1/auth/me", "", "", cookie).status) << "still logged in after " << from;
  }
  EXPECT_EQ(200, logout("Origin: http://127.0.0.1:" + std::to_string(port()) + "\r\n").status);
  EXPECT_EQ(401, Call(port(), "GET", "/api/v1/auth/me", "", "", cookie).status);
}

TEST_F(ServeTest, HostMustBeGivenOnce) {
  const Reply none = Exchange(port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(400, none.status);
  EXPECT_EQ("bad_request", none.Json()["error"]["code"]);
  EXPECT_EQ(400, Exchange(port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status);
  EXPECT_EQ(200, Exchange(port(), "GET /healthz HTTP/1.0\r\n\r\n").status);
}

TEST_F(ServeTest, DuplicateKeysAndDeepNestingAreRefused) {
  const Reply twice =
      Call(port(), "POST", "/api/v1/auth/login", "", R"({"username":"kpu-in","username":"admin","password":"x"})");
  EXPECT_EQ(400, twice.status);
  EXPECT_NE(std::string::npos,
            twice.Json()["error"]["message"].get<std::string>().find("username: the field appears twice"))
      << twice.body;
  json doc = json::parse(world_->lines.front());
  std::string text = doc.dump();
  text.insert(1, "\"kind\":\"receipt\",");
  const Reply document = Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), text);
  EXPECT_EQ(422, document.status) << document.body;
  EXPECT_NE(std::string::npos, document.body.find("kind: the field appears twice")) << document.body;
  const Reply deep =
      Call(port(), "POST", "/api/v1/elections/pemilu-2024/documents", Login("admin"), std::string(100000, '['));
  EXPECT_EQ(422, deep.status) << deep.body;
  EXPECT_EQ(200, Call(port(), "GET", "/healthz").status);
}

TEST_F(ServeTest, AnUnknownDocumentLooksLikeOneOutOfScope) {
  PostAll();
  const std::string unknown = "/api/v1/documents/0b1e4a5c-0000-4000-8000-00000000abcd";
  const Reply scoped = Call(port(), "GET", unknown, Login("kpu-out"));
  EXPECT_EQ(403, scoped.status);
  std::string foreign;  // a document of 35.78, outside kpu-out's 34.71
  for (const std::string& line : world_->lines) {
    const json d = json::parse(line);
    if (d["node"] == "kpu:35.78") {
      foreign = d["id"];
      break;
    }
  }
  const Reply outside = Call(port(), "GET", "/api/v1/documents/" + foreign, Login("kpu-out"));
  EXPECT_EQ(403, outside.status);
  std::string a = scoped.Json()["error"]["message"], b = outside.Json()["error"]["message"];
  EXPECT_EQ(a.substr(a.find(" is not")), b.substr(b.find(" is not")));  // the same words but for the id
  EXPECT_EQ(404, Call(port(), "GET", unknown, Login("admin")).status);  // who may read everything learns nothing new
}

// Reads from an event stream until `want` appears or `ms` pass.
std::string ReadStream(int fd, const std::string& want, int ms) {
  std::string data;
  char buffer[8192];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (data.find(want) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

// The server keeps readiness answers until what they show changes: after documents are posted, the answers it gave
// before are not given again, and each region with its children equals what `tepat readiness` computes afresh. A
// KPPS receipt held back and posted last changes its TPS without moving the ledger's clock: the answers of the TPS's
// regions change with it.
TEST(ServeReadinessTest, KeptAnswersFollowThePostedDocuments) {
  World world;
  ServerProcess server(world.db, world.dir.File("serve.log"));
  const std::vector<std::string> regions = {"", "35", "35.78", "35.78.01"};
  auto answers = [&] {
    std::vector<json> out;
    for (const std::string& region : regions) {
      const std::string path = "/api/v1/elections/pemilu-2024/readiness" + (region.empty() ? "" : "?region=" + region);
      const Reply first = Call(server.port(), "GET", path);
      EXPECT_EQ(200, first.status) << path;
      EXPECT_EQ(first.body, Call(server.port(), "GET", path).body) << path;  // kept, and the same
      out.push_back(first.Json());
    }
    return out;
  };
  auto expect_fresh = [&](const std::vector<json>& got) {
    for (size_t i = 0; i < regions.size(); ++i) {
      std::vector<std::string> args = {"--db", world.db, "readiness", "--election", "pemilu-2024", "--format", "json"};
      if (!regions[i].empty()) args.insert(args.end(), {"--region", regions[i]});
      const auto fresh = RunCli(args);
      ASSERT_EQ(0, fresh.code) << fresh.err;
      const json computed = json::parse(fresh.out);
      ASSERT_FALSE(computed["regions"].empty());
      EXPECT_EQ(computed["at"], got[i]["at"]);
      EXPECT_EQ(computed["regions"][0], got[i]["region"]) << regions[i];
      EXPECT_EQ(json(std::vector<json>(computed["regions"].begin() + 1, computed["regions"].end())), got[i]["children"])
          << regions[i];
    }
  };
  size_t held = world.lines.size();
  for (size_t i = 0; i + 1 < world.lines.size(); ++i) {
    const json doc = json::parse(world.lines[i]);
    if (doc["kind"] == "receipt" && doc["node"].get<std::string>().rfind("kpps:35.78.01.", 0) == 0) held = i;
  }
  ASSERT_LT(held, world.lines.size());
  const std::vector<json> before = answers();
  const Reply login = Call(server.port(), "POST", "/api/v1/auth/login", "",
                           json{{"username", "admin"}, {"password", kPassword}}.dump());
  const std::string token = login.Json()["token"];
  auto post = [&](const std::string& line) {
    const Reply r = Call(server.port(), "POST", "/api/v1/elections/pemilu-2024/documents", token, line);
    EXPECT_EQ(201, r.status) << r.body;
  };
  for (size_t i = 0; i < world.lines.size(); ++i) {
    if (i != held) post(world.lines[i]);
  }
  const std::vector<json> posted = answers();
  expect_fresh(posted);
  post(world.lines[held]);
  const std::vector<json> last = answers();
  expect_fresh(last);
  for (size_t i = 0; i < regions.size(); ++i) {
    EXPECT_NE(before[i], posted[i]) << regions[i];
    EXPECT_EQ(posted[i]["at"], last[i]["at"]);
    EXPECT_NE(posted[i]["region"], last[i]["region"]) << regions[i];
  }
}

TEST(ServeEventsTest, SubscribersGetTheRegionsReadinessWhenItChanges) {
  World world;
  ServerProcess server(world.db, world.dir.File("serve.log"));
  const int fd = Connect(server.port());
  ASSERT_GE(fd, 0);
  const std::string request =
      "GET /api/v1/events?election=pemilu-2024&region=35.78.01,31.71 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(static_cast<ssize_t>(request.size()), ::send(fd, request.data(), request.size(), 0));
  std::string first = ReadStream(fd, "\"code\": \"31.71\"", 5000);
  EXPECT_NE(std::string::npos, first.find("Content-Type: text/event-stream"));
  EXPECT_NE(std::string::npos, first.find("event: readiness\ndata: {\"code\": \"35.78.01\""));
  EXPECT_NE(std::string::npos, ReadStream(fd, ": heartbeat", 3000).find(": heartbeat"));
  // Post everything: the district's TPS get their kits, and the stream says so.
  const Reply login = Call(server.port(), "POST", "/api/v1/auth/login", "",
                           json{{"username", "admin"}, {"password", kPassword}}.dump());
  const std::string token = login.Json()["token"];
  for (const std::string& line : world.lines) {
    Call(server.port(), "POST", "/api/v1/elections/pemilu-2024/documents", token, line);
  }
  // A new event for the district, after the first ones: its TPS are no longer all waiting.
  const std::string later = ReadStream(fd, "\"code\": \"35.78.01\"", 5000);
  const size_t at = later.find("data: {\"code\": \"35.78.01\"");
  ASSERT_NE(std::string::npos, at) << later.substr(0, 500);
  const json event = json::parse(later.substr(at + 6, later.find('\n', at) - at - 6));
  EXPECT_EQ(3, event["tps"]);
  EXPECT_LT(event["states"]["not_delivered"].get<int>(), 3) << event.dump();
  const Reply metrics = Call(server.port(), "GET", "/metrics");
  EXPECT_NE(std::string::npos, metrics.body.find("tepat_live_subscribers 1")) << metrics.body;
  // SIGTERM ends the stream with a last event and the server exits cleanly.
  EXPECT_EQ(0, server.Stop());
  EXPECT_NE(std::string::npos, ReadStream(fd, "event: shutdown", 2000).find("event: shutdown"));
  ::close(fd);
}

// Two servers on one database, each given every document at once by its own client: each document is posted once
// (201 from one server, 200, a replay, from the other), both servers' readiness comes to equal the truth by
// following what the other posted, and the ledger verifies. On both backends.
// The web application's files: the page for every path the application routes, hashed assets cached for good, an
// ETag answered 304, a content security policy that allows nothing from elsewhere, and no way out of the folder.
TEST(ServeStaticTest, TheWebApplicationIsServedSafely) {
  testing::TempDir dir;
  const std::filesystem::path web = dir.File("web");
  std::filesystem::create_directories(web / "assets");
  testing::WriteText((web / "index.html").string(), "<!doctype html><title>tepat</title>");
  testing::WriteText((web / "assets" / "index-abc123.js").string(), "console.log(1)");
  testing::WriteText(dir.File("secret.txt"), "not for the web");
  World world;
  ServerProcess server(world.db, dir.File("serve.log"), {"--static-dir", web.string()});
  for (const std::string target :
       {"/", "/pemilu-2024", "/pemilu-2024/wilayah/35.78", "/pemilu-2024/tps/35.78.01.1001.001"}) {
    Reply page = Call(server.port(), "GET", target);
    EXPECT_EQ(200, page.status) << target;
    EXPECT_EQ("<!doctype html><title>tepat</title>", page.body) << target;
    EXPECT_EQ("no-cache", page.headers["cache-control"]);
    EXPECT_NE(std::string::npos, page.headers["content-security-policy"].find("default-src 'self'"));
    EXPECT_NE(std::string::npos, page.headers["content-security-policy"].find("frame-ancestors 'none'"));
  }
  Reply script = Call(server.port(), "GET", "/assets/index-abc123.js");
  EXPECT_EQ(200, script.status);
  EXPECT_NE(std::string::npos, script.headers["content-type"].find("javascript"));
  EXPECT_EQ("public, max-age=31536000, immutable", script.headers["cache-control"]);
  const Reply again = Call(server.port(), "GET", "/assets/index-abc123.js", "", "",
                           "If-None-Match: " + script.headers["etag"] + "\r\n");
  EXPECT_EQ(304, again.status);
  EXPECT_TRUE(again.body.empty());
  // Nothing outside the folder, however the path is written: absolute, encoded, through a link.
  std::filesystem::create_symlink(dir.File("secret.txt"), web / "linked.txt");
  std::filesystem::create_symlink(dir.path(), web / "up");
  std::filesystem::create_symlink("/etc", web / "etc");
  for (const std::string& target : std::vector<std::string>{
           "/assets/missing.js", "/api/v1/nothing", "/../secret.txt", "/assets/..%2F..%2Fsecret.txt", "//etc/passwd",
           "/%2fetc%2fpasswd", "//proc/self/environ", "/%2F%2Fetc/passwd", "/assets/%2e%2e/%2e%2e/secret.txt",
           "/.%2e/secret.txt", "/linked.txt", "/up/secret.txt", "/up", "/etc/passwd", "/assets/../../secret.txt",
           "/assets%5c..%5c..%5csecret.txt", "/" + dir.File("secret.txt"), "/%00index.html"}) {
    const Reply missing = Call(server.port(), "GET", target);
    EXPECT_TRUE(missing.status == 404 || missing.status == 400) << target << ": " << missing.status;
    EXPECT_EQ("application/json", missing.headers.at("content-type")) << target;
    EXPECT_EQ(std::string::npos, missing.body.find("not for the web")) << target;
    EXPECT_EQ(std::string::npos, missing.body.find("root:")) << target;
  }
  // The API still answers beside the files.
  EXPECT_EQ(200, Call(server.port(), "GET", "/api/v1/elections").status);
}

// The database's own files are never served, even from a static folder that holds them; and the attempt leaves the
// server seeing what the command line changes (closing a descriptor of the database file would drop SQLite's locks).
TEST(ServeStaticTest, TheDatabaseIsNeverServed) {
  World world;
  testing::WriteText(world.dir.File("index.html"), "<!doctype html><title>tepat</title>");
  ServerProcess server(world.db, world.dir.File("serve.log"), {"--static-dir", world.dir.path().string()});
  const Reply login = Call(server.port(), "POST", "/api/v1/auth/login", "",
                           json{{"username", "leaving"}, {"password", kPassword}}.dump());
  ASSERT_EQ(200, login.status);
  const std::string token = login.Json()["token"];
  EXPECT_EQ(200, Call(server.port(), "GET", "/index.html").status);
  for (const std::string name : {"serve.db", "serve.db-wal", "serve.db-shm"}) {
    const Reply r = Call(server.port(), "GET", "/" + name);
    EXPECT_EQ(404, r.status) << name;
    EXPECT_EQ(std::string::npos, r.body.find("SQLite format 3")) << name;
  }
  EXPECT_EQ(200, Call(server.port(), "GET", "/api/v1/auth/me", token).status);
  const auto r = RunCli({"--db", world.db, "user", "disable", "leaving"});
  ASSERT_EQ(0, r.code) << r.err;
  EXPECT_EQ(401, Call(server.port(), "GET", "/api/v1/auth/me", token).status);
}

class ServeTwoServersTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ServeTwoServersTest, ConcurrentWritersPostEachDocumentOnceAndBothServersFollow) {
  testing::TestPostgres pg;
  if (GetParam() == "postgres" && pg.url().empty()) {
    if (testing::TestPostgres::Required()) FAIL() << pg.why();
    GTEST_SKIP() << pg.why();
  }
  World world(GetParam() == "postgres" ? pg.url() : "");
  ServerProcess a(world.db, world.dir.File("a.log"), {"--follow-ms", "50"});
  ServerProcess b(world.db, world.dir.File("b.log"), {"--follow-ms", "50"});
  std::atomic<int> posted{0}, replayed{0}, failed{0};
  std::vector<std::thread> clients;
  for (const ServerProcess* server : {&a, &b}) {
    clients.emplace_back([&, server] {
      const std::string token = Call(server->port(), "POST", "/api/v1/auth/login", "",
                                     json{{"username", "admin"}, {"password", kPassword}}.dump())
                                    .Json()
                                    .value("token", "");
      for (const std::string& line : world.lines) {
        const Reply r = Call(server->port(), "POST", "/api/v1/elections/pemilu-2024/documents", token, line);
        if (r.status == 201) {
          ++posted;
        } else if (r.status == 200) {
          ++replayed;
        } else {
          ++failed;
          ADD_FAILURE() << r.status << " " << r.body;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(0, failed.load());
  EXPECT_EQ(world.lines.size(), static_cast<size_t>(posted.load()));
  EXPECT_EQ(world.lines.size(), static_cast<size_t>(replayed.load()));
  // Both servers come to show the truth: their own postings and those they followed.
  const std::string truth = testing::ReadText(world.truth);
  for (const ServerProcess* server : {&a, &b}) {
    const std::string token = Call(server->port(), "POST", "/api/v1/auth/login", "",
                                   json{{"username", "admin"}, {"password", kPassword}}.dump())
                                  .Json()
                                  .value("token", "");
    std::string csv;
    for (int attempt = 0; attempt < 100 && csv != truth; ++attempt) {
      if (attempt) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const json rows =
          Call(server->port(), "GET", "/api/v1/elections/pemilu-2024/readiness/problems", token).Json()["problems"];
      csv = "tps_code,problem\n";
      for (const json& row : rows) {
        for (const json& p : row["problems"]) csv += row["tps"].get<std::string>() + "," + p.get<std::string>() + "\n";
      }
    }
    EXPECT_EQ(truth, csv) << "server on port " << server->port();
  }
  EXPECT_EQ(Call(a.port(), "GET", "/api/v1/elections/pemilu-2024/readiness?region=35").body,
            Call(b.port(), "GET", "/api/v1/elections/pemilu-2024/readiness?region=35").body);
  const auto verified = RunCli({"--db", world.db, "ledger", "verify"});
  EXPECT_EQ(0, verified.code) << verified.err;
  EXPECT_NE(std::string::npos, verified.out.find(std::to_string(world.lines.size()) + " documents")) << verified.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeTwoServersTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// /healthz keeps answering within 100 ms while 1,000 idle connections and 50 clients sending their headers a byte at
// a time are open.
TEST(ServeSlowClientsTest, HealthAnswersUnderIdleAndSlowClients) {
  World world;
  ServerProcess server(world.db, world.dir.File("serve.log"), {"--request-deadline-ms", "20000"});
  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    idle.push_back(fd);
  }
  std::atomic<bool> stop = false;
  std::vector<std::thread> slow;
  for (int i = 0; i < 50; ++i) {
    slow.emplace_back([&, i] {
      const int fd = Connect(server.port());
      const std::string request = "GET /healthz HTTP/1.1\r\nHost: slow" + std::to_string(i) +
                                  "\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n";
      for (size_t k = 0; k < request.size() && !stop; ++k) {
        ::send(fd, request.data() + k, 1, MSG_NOSIGNAL);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  double worst = 0;
  for (int i = 0; i < 50; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const Reply r = Call(server.port(), "GET", "/healthz");
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(200, r.status);
    worst = std::max(worst, ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_LT(worst, 100.0) << "slowest /healthz under load";
  stop = true;
  for (std::thread& t : slow) t.join();
  for (int fd : idle) ::close(fd);
  EXPECT_EQ(0, server.Stop());
}

TEST(ServeLimitsTest, ConnectionsPastTheCapGet503AndSlowRequestsAre408) {
  World world;
  ServerProcess server(world.db, world.dir.File("serve.log"),
                       {"--max-connections", "5", "--request-deadline-ms", "300"});
  std::vector<int> held;
  for (int i = 0; i < 5; ++i) held.push_back(Connect(server.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const Reply refused = Call(server.port(), "GET", "/healthz");
  EXPECT_EQ(503, refused.status);
  EXPECT_EQ("unavailable", refused.Json()["error"]["code"]);
  for (int fd : held) ::close(fd);
  // A client that starts a request and never finishes it is closed at the deadline.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int fd = Connect(server.port());
  ::send(fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
  const auto start = std::chrono::steady_clock::now();
  std::string answer;
  char buffer[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(1, ::poll(&p, 1, 5000));
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 408 ")) << answer;  // told, then closed
  EXPECT_NE(std::string::npos, answer.find("\"request_timeout\""));
  ::close(fd);
  // So is one whose body trickles in after its head.
  const int body_fd = Connect(server.port());
  const std::string head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n";
  ::send(body_fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string told;
  for (int i = 0; i < 100 && told.empty(); ++i) {
    ::send(body_fd, "{", 1, MSG_NOSIGNAL);
    pollfd p{body_fd, POLLIN, 0};
    if (::poll(&p, 1, 50) == 1) {
      const ssize_t n = ::recv(body_fd, buffer, sizeof buffer, 0);
      if (n > 0) told.assign(buffer, static_cast<size_t>(n));
    }
  }
  ::close(body_fd);
  EXPECT_TRUE(told.starts_with("HTTP/1.1 408 ")) << told;
  EXPECT_EQ(200, Call(server.port(), "GET", "/healthz").status);
}

TEST(ServeConfigTest, FlagsWinOverTheEnvironmentWhichWinsOverTheFile) {
  testing::TempDir dir;
  testing::WriteText(dir.File("serve.toml"), "[server]\nlisten = \"127.0.0.1:1\"\nmax_connections = 7\n");
  // The file's bad port is overridden by the environment, whose bad value is overridden by the flag.
  setenv("TEPAT_MAX_CONNECTIONS", "zero", 1);
  auto r = RunCli({"--db", dir.File("none.db"), "serve", "--config", dir.File("serve.toml")});
  EXPECT_EQ(1, r.code);
  EXPECT_NE(std::string::npos, r.err.find("$TEPAT_MAX_CONNECTIONS: expected a whole number")) << r.err;
  unsetenv("TEPAT_MAX_CONNECTIONS");
  testing::WriteText(dir.File("bad.toml"), "[server]\nlisen = \"127.0.0.1:1\"\n");
  r = RunCli({"--db", dir.File("none.db"), "serve", "--config", dir.File("bad.toml")});
  EXPECT_EQ(1, r.code);
  EXPECT_NE(std::string::npos, r.err.find("bad.toml: [server] lisen: unknown setting")) << r.err;
  setenv("TEPAT_LISTEN", "127.0.0.1:99999", 1);
  r = RunCli({"--db", dir.File("none.db"), "serve"});
  EXPECT_NE(std::string::npos, r.err.find("$TEPAT_LISTEN: expected a whole number from 0 to 65535")) << r.err;
  r = RunCli({"--db", dir.File("none.db"), "serve", "--listen", "127.0.0.1:notaport"});
  EXPECT_NE(std::string::npos, r.err.find("--listen: expected a whole number")) << r.err;
  unsetenv("TEPAT_LISTEN");
}

}  // namespace

}  // namespace tepat::server
