// Projections over HTTP (docs/simulation.md): the stored projection of a region (tepat simulate --save), public like
// readiness, and a simulation run on request on the saved plan, one at a time on a thread of its own.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "app/sim.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::Forbidden;
using internal::FromError;
using internal::PathJson;
using internal::RunJson;
using internal::TpsRiskJson;

namespace {

// A region's expected late TPS and their spread.
void RiskFields(json::Builder& out, const store::RegionRisk& r) {
  out.Int("tps", r.tps).Number("expected_late", r.expected_late).Number("sd_late", r.sd_late);
}

// The stored run's most blamed legs (`legs`, a JSON array), those within region `code`, as an array.
void LegsJson(json::Builder& out, const std::string& legs, const std::string& code) {
  rapidjson::Document parsed;
  parsed.Parse(legs.c_str());
  out.StartArray();
  if (parsed.IsArray()) {
    for (const auto& leg : parsed.GetArray()) {
      const std::string to = leg["leg"].GetString();
      if (!code.empty() && to != code && !to.starts_with(code + ".")) continue;
      out.StartObject().String("leg", to).String("from", leg["from"].GetString());
      out.String("mode", leg["mode"].GetString()).Number("late_tps", leg["late_tps"].GetDouble()).EndObject();
    }
  }
  out.EndArray();
}

// What a simulation's body asks for (docs/api.md): the region, the scenarios (at most 10,000), the seed, a what-if
// in the form of a what-if file and a mitigation budget; every problem at once, as a refused input.
struct SimulationBody {
  std::string region;
  std::string what_if;
  app::SimulationRequest request;
};

Result<SimulationBody> ReadSimulationBody(const rapidjson::Document& body) {
  ProblemList problems;
  json::Reader reader("body", problems);
  reader.Keys(body, "", {"region", "scenarios", "seed", "what_if", "mitigate", "advance_hours", "top"});
  SimulationBody read;
  read.region = reader.String(body, "", "region", true);
  auto whole = [&](const char* key, int64_t fallback, int64_t low, int64_t high) {
    if (!body.HasMember(key)) return fallback;
    const rapidjson::Value& v = body[key];
    if (!v.IsInt64() || v.GetInt64() < low || v.GetInt64() > high) {
      problems.Add("body", key, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
      return fallback;
    }
    return v.GetInt64();
  };
  app::SimulationRequest& request = read.request;
  request.options.scenarios = whole("scenarios", 1000, 1, 10'000);
  request.options.seed = static_cast<uint64_t>(whole("seed", 1, 0, INT64_MAX));
  request.options.threads = 2;
  request.mitigate = static_cast<int>(whole("mitigate", 0, 0, 10));
  request.advance_hours = static_cast<double>(whole("advance_hours", 24, 1, 240));
  request.top = static_cast<int>(whole("top", 20, 1, 200));
  read.what_if = reader.String(body, "", "what_if", false);
  if (!problems.empty()) return problems.ToError("the simulation was refused");
  return read;
}

// What the audit trail says of a simulation run.
std::string SimulationDetail(const app::SimulationRequest& request) {
  return std::to_string(request.options.scenarios) + " scenarios, seed " + std::to_string(request.options.seed) +
         (request.changes.empty() ? "" : ", " + std::to_string(request.changes.size()) + " changes") +
         (request.mitigate ? ", mitigate " + std::to_string(request.mitigate) : "");
}

}  // namespace

// The stored projection (tepat simulate --save) of a region: its expected late TPS and their spread, each child
// region's, its TPS most likely to be late with arrival percentiles, and the legs that most often made TPS late.
// Public, like readiness.
Response Api::Projection(Request& req) {
  LoadedElection* e = ELECTION(req);
  const std::string& election = e->data->definition.id;
  const geo::RegionSet& regions = e->data->regions;
  const std::string code = req.Query("region");
  int32_t index = -1;
  if (!code.empty() && (index = regions.Find(code)) < 0) {
    return Response::Error(404, "not_found", "there is no region " + code);
  }
  const int top = std::clamp(std::atoi(req.Query("top", "50").c_str()), 1, 1000);
  auto run = store_.LoadProjectionRun(election);
  if (!run.ok()) return FromError(run.error());
  if (!run.value()) {
    return Response::Error(
        404, "not_found",
        "no projection is saved for " + election + ": run tepat simulate --election " + election + " --save");
  }
  auto rows = store_.RegionRisks(election, code);
  if (!rows.ok()) return FromError(rows.error());
  const auto self = std::find_if(rows.value().rbegin(), rows.value().rend(),
                                 [&](const store::RegionRisk& r) { return r.region == code; });
  if (self == rows.value().rend()) {
    // Say which region it covers, for a client to go there.
    json::Builder details;
    details.StartObject().String("projection_region", run.value()->region).EndObject();
    return Response::Error(404, "not_found",
                           "the saved projection (of " +
                               (run.value()->region.empty() ? "the nation" : run.value()->region) +
                               ") does not cover " + (code.empty() ? "the nation" : code),
                           details.Take());
  }
  auto tps = store_.TpsRisks(election, code, 0, top);
  if (!tps.ok()) return FromError(tps.error());
  json::Builder out;
  out.StartObject();
  RunJson(out.Key("run"), *run.value());
  PathJson(out.Key("path"), regions, index, true);
  out.StartObject("region").String("code", code);
  RiskFields(out, *self);
  out.EndObject().StartArray("children");
  for (const store::RegionRisk& r : rows.value()) {
    const int32_t child = regions.Find(r.region);
    if (&r == &*self || child < 0) continue;
    out.StartObject().String("code", r.region).String("name", regions.at(child).name);
    out.String("level", geo::LevelName(regions.at(child).level));
    RiskFields(out, r);
    out.EndObject();
  }
  out.EndArray().StartArray("tps");
  for (const store::TpsRisk& t : tps.value()) TpsRiskJson(out, t, nullptr);
  out.EndArray();
  LegsJson(out.Key("legs"), run.value()->legs, code);
  return Response::Json(200, out.EndObject().Take());
}

// A simulation of a region on the saved plan (docs/api.md): KPU and Bawaslu within their scope, and admins. The
// answer is what `tepat simulate --format json` prints. It runs on a thread of its own, one at a time (503 while
// another runs), and saves nothing.
Response Api::PostSimulation(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  rapidjson::Document body = JSON_BODY(req);
  auto read = ReadSimulationBody(body);
  if (!read.ok()) return FromError(read.error());
  const std::string& region = read.value().region;
  app::SimulationRequest& request = read.value().request;
  const geo::RegionSet& regions = e->data->regions;
  request.region = regions.Find(region);
  if (request.region < 0) return Response::Error(404, "not_found", "region: there is no region " + region);
  if (!access::MayReadDetailsOf(who, region) || who.role == access::Role::kVendor) {
    return Forbidden(region + " is outside the scope of " + who.username);
  }
  if (!read.value().what_if.empty()) {
    auto changes = sim::ParseChanges("what_if", read.value().what_if, regions);
    if (!changes.ok()) return FromError(changes.error());
    request.changes = std::move(changes).value();
  }
  const std::string& election = e->data->definition.id;
  auto saved = store_.LoadPlan(election, false);
  if (!saved.ok()) return FromError(saved.error());
  if (!saved.value()) return FromError(app::NoPlan(election));
  if (simulating_.exchange(true)) {
    return Response::Error(503, "unavailable", "another simulation is running; try again shortly")
        .With("Retry-After", "5");
  }
  // The plan as parsed before, or its text to parse on the simulation's thread.
  SavedPlan plan{std::to_string(saved.value()->saved_at) + "/" + std::to_string(saved.value()->legs) + "/" +
                 std::to_string(saved.value()->bytes)};
  {
    std::lock_guard lock(plans_mutex_);
    auto it = plans_.find(election);
    if (it != plans_.end() && it->second.version == plan.version) plan.parsed = it->second.parsed;
  }
  if (!plan.parsed) {
    auto full = store_.LoadPlan(election);
    if (!full.ok() || !full.value()) {
      simulating_ = false;
      return full.ok() ? Response::Error(404, "not_found", "the plan of " + election + " is gone")
                       : FromError(full.error());
    }
    plan.csv = std::move(full.value()->csv);
  }
  Record(who, req, "simulate.run", election, region, "ok", SimulationDetail(request));
  return StartSimulation(*e, std::move(plan), std::move(request));
}

// Answers later, from a thread of the simulation's own; the one before has finished (simulating_ was false), and
// simulating_ is cleared when this one does.
Response Api::StartSimulation(LoadedElection& e, SavedPlan plan, app::SimulationRequest request) {
  Response r;
  r.later = [this, &e, plan = std::move(plan),
             request = std::move(request)](std::function<void(Response)> done) mutable {
    if (simulation_.joinable()) simulation_.join();
    auto finish = std::make_shared<std::function<void(Response)>>(std::move(done));
    try {
      simulation_ = std::thread([this, &e, plan = std::move(plan), request = std::move(request), finish]() mutable {
        Response answer = Simulate(e, plan, request);
        simulating_ = false;
        (*finish)(std::move(answer));
      });
    } catch (const std::exception& failure) {  // no thread to be had
      simulating_ = false;
      (*finish)(Response::Error(503, "unavailable", std::string("cannot start a simulation: ") + failure.what()));
    }
  };
  return r;
}

// On the simulation's thread: the plan parsed (and kept for the next) unless it was, then the simulation. Only the
// board's fixed parts (TPS, deadlines, regions) are read here; the I/O thread changes its counters.
Response Api::Simulate(LoadedElection& e, SavedPlan& plan, const app::SimulationRequest& request) {
  const std::string& election = e.data->definition.id;
  try {
    if (!plan.parsed) {
      auto parsed = sim::ParsePlanCsv("stored plan of " + election, plan.csv, *e.board);
      if (!parsed.ok()) return FromError(parsed.error());
      plan.parsed = std::make_shared<const sim::Plan>(std::move(parsed).value());
      std::lock_guard lock(plans_mutex_);
      plans_[election] = {plan.version, plan.parsed, ""};
    }
    auto result = app::RunSimulation(*plan.parsed, *e.board, sim::DefaultModel(), nullptr, request);
    if (!result.ok()) return FromError(result.error());
    return Response::Json(200, app::SimulationJson(result.value(), *e.board, request));
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "tepat serve: simulation of %s: %s\n", election.c_str(), failure.what());
    return Response::Error(500, "internal", "the simulation failed; the error is in the server's log");
  }
}

void Api::StopSimulations() {
  if (simulation_.joinable()) simulation_.join();
  if (verification_.joinable()) verification_.join();
}

}  // namespace tepat::server
