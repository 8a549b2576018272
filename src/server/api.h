// The JSON API under /api/v1, health and metrics, login and sessions, live readiness events and the web
// application's files: one thin handler per route over the store and the domain modules. Each handler checks who is
// asking and what they may see or change (access::), calls the store or a domain module, and answers JSON; every
// change and every login goes to the audit trail. api.cc holds the route table; the handlers are defined by resource
// in api_auth.cc, api_regions.cc, api_ledger.cc, api_oversight.cc, api_projection.cc, api_events.cc and
// api_static.cc, with what they share in api_internal.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "access/access.h"
#include "app/app.h"
#include "app/ledger_writer.h"
#include "app/sim.h"
#include "server/http.h"
#include "sim/plan.h"
#include "store/store.h"

namespace tepat::server {

struct ApiOptions {
  int64_t session_seconds = 12 * 3600;
  bool secure_cookie = false;  // add Secure to the session cookie (when served behind TLS)
  std::string static_dir;      // the web application's built files; "" for none
  // Files never served from static_dir whatever their name: the database and its -wal, -shm and -journal files.
  // They are told apart by device and inode, found without opening them (closing a descriptor of the database file
  // would drop SQLite's locks on it).
  std::vector<std::string> never_serve;
  int login_failures = 5;  // failed logins allowed per account and per address within the window
  int64_t login_window_seconds = 300;
  // "Now" for every handler: sessions, logins and their throttle, audit entries, supervision records and whether
  // findings and actions are late; std::time when empty.
  app::Clock clock;
  // A store connection of its own for a ledger verification (POST /api/v1/ledger/verify), which reads the whole
  // ledger for a minute or more; without it the route answers 503.
  std::function<Result<std::unique_ptr<store::Store>>()> open_store;
};

// An election the server has loaded: its data and the readiness board kept up to date as documents are posted.
struct LoadedElection {
  std::unique_ptr<app::ElectionData> data;
  std::unique_ptr<readiness::Board> board;
  int64_t clock = 0;
  // Answers of GET .../readiness by region index (-1: the nation), kept while neither the region nor the clock
  // changes: a region's answer holds its children, and a change below a child changes the region too.
  std::unordered_map<int32_t, std::string> readiness_answers;
  int64_t answers_clock = 0;
  size_t answers_bytes = 0;
  // Documents this server has seen posted (its own and, through the follower, others'): what a cached answer that
  // depends on the whole ledger is checked against.
  int64_t revision = 0;
  // Answers of the procurement routes by route and parameters, kept while neither the ledger (revision) nor the
  // procurement data imported through this server changes, and for at most a minute (an import by the command line
  // reaches a running server within it).
  std::unordered_map<std::string, std::string> procurement_answers;
  int64_t procurement_revision = -1;
  int64_t procurement_since = 0;
};

class Api {
 public:
  // Documents go to the ledger through `writer` (on a store connection of its own in a server).
  Api(store::Store& store, app::LedgerWriter& writer, Metrics& metrics, ApiOptions options);
  ~Api();
  void AddRoutes(Router& router);

  // Elections are loaded on another thread (the national data takes seconds) and handed over here; /readyz answers
  // 503 until Ready() is called.
  void AddElection(std::unique_ptr<LoadedElection> election);
  void Ready() { ready_ = true; }

  // Sends the readiness of every region that changed since the last call to the event streams subscribed to it.
  void FlushEvents();
  // Readiness changed by documents other processes posted (tepat serve's follower reads them from the ledger): the
  // TPS states with the seq each is as of, and the election's ledger clock.
  struct FollowedState {
    std::string tps;
    readiness::TpsState state;
    int64_t seq = 0;
  };
  void Follow(const std::string& election, const std::vector<FollowedState>& states, int64_t clock);

  // Runs the answers to posted documents through `run_on_io`, on the server's I/O thread (which holds the boards),
  // when the writer commits on a thread of its own; without it they are given where the writer finishes them.
  void AnswerOn(std::function<void(std::function<void()>)> run_on_io);
  // Waits for a running simulation (POST .../simulations) and verification (POST /api/v1/ledger/verify) to end; before
  // the HTTP server goes.
  void StopSimulations();

  size_t subscribers() const;

 private:
  struct Subscriber;
  // An election's saved plan: its version, and the plan parsed or else its text.
  struct SavedPlan {
    std::string version;  // saved_at, legs and size of the saved plan
    std::shared_ptr<const sim::Plan> parsed;
    std::string csv;
  };

  // api.cc: who is asking.
  Result<access::Principal> Authenticate(const Request& req, bool& anonymous);
  // api_auth.cc.
  Response Login(Request& req);
  Response Logout(Request& req);
  Response Me(Request& req);
  Response ChangePassword(Request& req);
  // Seconds to wait before `username` may try a password again from the request's address (0: now), and a wrong
  // try counted.
  int64_t RetryAfter(const std::string& username, const Request& req, int64_t now);
  void CountFailure(const std::string& username, const Request& req, int64_t now);
  // api_regions.cc.
  Response Region(Request& req);
  Response SearchRegions(Request& req);
  Response Elections(Request& req);
  Response Readiness(Request& req);
  Response Problems(Request& req);
  Response TpsList(Request& req);
  Response TpsDetail(Request& req);
  Response Needs(Request& req);
  // api_ledger.cc.
  Response LedgerStatus(Request& req);
  Response VerifyLedger(Request& req);
  Response PostDocument(Request& req);
  Response GetDocument(Request& req);
  Response ReverseDocument(Request& req);
  Response NodeDocuments(Request& req);
  Response Kit(Request& req);
  Response Audit(Request& req);
  // Applies a posted document (`id`, recorded at `at`) to the board and answers (on the I/O thread).
  Response Settle(LoadedElection& e, const std::string& id, int64_t at, const app::Written& result);
  // Loads TPS states as of `seq` into the board, moves the clock, and marks what changed for the kept answers and
  // the event streams.
  void Changed(LoadedElection& e, const std::vector<std::pair<std::string, readiness::TpsState>>& states, int64_t seq,
               int64_t clock);
  // api_oversight.cc: supervision (docs/api.md §7, supervision).
  Response Checklists(Request& req);
  Response PostReport(Request& req);
  Response Reports(Request& req);
  Response Discrepancies(Request& req);
  Response PostFinding(Request& req);
  Response Findings(Request& req);
  Response GetFinding(Request& req);
  Response StepFinding(Request& req);
  Response PostAction(Request& req);
  Response Actions(Request& req);
  Response UpdateAction(Request& req);
  Response EvaluationReport(Request& req);
  Response Vulnerability(Request& req);
  // api_projection.cc.
  Response Projection(Request& req);
  // Procurement's reference data (api_procurement.cc).
  Response ProcurementReference(Request& req);
  Response ImportProcurementReference(Request& req);
  Response ProcurementPlan(Request& req);
  Response ProcurementDeliveries(Request& req);
  Response ProcurementEfficiency(Request& req);
  Response ProcurementDiscrepancies(Request& req);
  Response PostSimulation(Request& req);
  Response StartSimulation(LoadedElection& e, SavedPlan plan, app::SimulationRequest request);
  Response Simulate(LoadedElection& e, SavedPlan& plan, const app::SimulationRequest& request);
  // api_events.cc.
  Response Events(Request& req);
  // api_static.cc.
  Response Static(Request& req);

  LoadedElection* FindElection(const std::string& id);
  void Record(const access::Principal& who, const Request& req, std::string action, std::string target,
              std::string region, std::string outcome, std::string detail);

  store::Store& store_;
  Metrics& metrics_;
  ApiOptions options_;
  std::map<std::string, std::unique_ptr<LoadedElection>> elections_;
  std::atomic<bool> ready_ = false;
  access::Throttle account_throttle_, address_throttle_;
  std::atomic<int64_t> documents_posted_ = 0;
  mutable std::mutex subscribers_mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
  std::map<std::string, std::set<std::string>> dirty_;  // election → region codes changed ("" for the nation)
  app::LedgerWriter& writer_;
  std::function<void(std::function<void()>)> run_on_io_;
  // Simulations (POST .../simulations) run one at a time on a thread of their own, on the plan each election saved,
  // parsed once per saved version (kept here without its text).
  std::mutex plans_mutex_;
  std::map<std::string, SavedPlan> plans_;
  std::atomic<bool> simulating_ = false;
  std::thread simulation_;
  // A ledger verification runs on a thread of its own, one at a time.
  std::atomic<bool> verifying_ = false;
  std::thread verification_;
};

}  // namespace tepat::server
