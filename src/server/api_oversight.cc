// Supervision over HTTP (docs/api.md §7): the stage checklists, reports (Form A), the cross-check against the ledger,
// findings and their steps, follow-up plans (RTL), the evaluation and TPS vulnerability. Reports and findings are
// Bawaslu's records: admins and bawaslu accounts write and read them within their scope; a kpu account reads the
// findings addressed to its units and answers them.
#include <algorithm>
#include <cstdlib>

#include "app/oversight.h"
#include "app/procurement.h"
#include "common/time.h"
#include "oversight/checklist.h"
#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::Forbidden;
using internal::FromError;
using internal::StringField;
using internal::StringOrNull;
using internal::Wib;

namespace {

// The region a report, finding or addressee falls in for scopes ("" for the nation).
std::string ScopeRegion(std::string_view node_or_region) {
  if (node_or_region.find(':') == std::string_view::npos) return std::string(node_or_region);
  return access::RegionOfNode(node_or_region).value_or("");
}

// A stored finding with its version and whether it is overdue at `now`, as an object the caller ends.
void StartFinding(json::Builder& out, const app::StoredFinding& f, int64_t now) {
  out.Extend(oversight::WriteFinding(f.finding)).Int("version", f.version);
  out.Bool("overdue", oversight::Overdue(f.finding, now));
}

// A finding created or stepped, as the answer.
Response FindingAnswer(int status, const app::StoredFinding& f, int64_t now) {
  json::Builder out;
  StartFinding(out, f, now);
  return Response::Json(status, out.EndObject().Take());
}

// The body's fields with a placeholder id and the election, as text for the parser of findings and actions, which
// requires both.
std::string WithIdAndElection(rapidjson::Document& body, const std::string& election) {
  body.AddMember("id", "00000000-0000-4000-8000-000000000000", body.GetAllocator());
  body.AddMember("election", rapidjson::Value(election.c_str(), body.GetAllocator()), body.GetAllocator());
  return json::Write(body);
}

// A finding written by hand: the body holds its own fields (docs/formats.md) without id, number, state or history,
// and `register` besides, which is kept in the body but not read as one of them.
Result<oversight::Finding> FindingOfBody(rapidjson::Document& body, const std::string& election) {
  const bool wants_register = body.HasMember("register");
  rapidjson::Value registered_flag;
  if (wants_register) {
    registered_flag.CopyFrom(body["register"], body.GetAllocator());
    body.RemoveMember("register");
  }
  auto parsed = oversight::ParseFinding("body", WithIdAndElection(body, election));
  if (wants_register) body.AddMember("register", registered_flag, body.GetAllocator());
  if (!parsed.ok()) return parsed.error();
  oversight::Finding f = std::move(parsed).value();
  f.id.clear();
  f.recommendation.reset();
  return f;
}

}  // namespace

std::optional<std::string> internal::SupervisedRegion(const access::Principal& who, const Request& req, std::string_view what,
                                            std::string_view is, Response& refused) {
  const std::string region = req.Query("region", who.role == access::Role::kAdmin ? "" : who.scope);
  if (!access::MaySupervise(who, region)) {
    refused = Forbidden(std::string(what) + " of " + (region.empty() ? std::string("the nation") : region) + " " +
                        std::string(is) + " for Bawaslu within its scope");
    return std::nullopt;
  }
  return region;
}

// The stage checklists: public, they are Bawaslu's published instruments.
Response Api::Checklists(Request& req) {
  const std::string stage = req.Query("stage");
  if (!stage.empty() && !oversight::ParseStage(stage)) {
    return Response::Error(400, "bad_request", "stage: unknown stage " + stage);
  }
  json::Builder out;
  out.StartObject().StartArray("checklists");
  for (const oversight::Checklist& c : oversight::BuiltinChecklists()) {
    if (!stage.empty() && oversight::StageName(c.stage) != stage) continue;
    out.StartObject().String("id", c.id).Int("version", c.version).String("stage", oversight::StageName(c.stage));
    out.String("title", c.title).String("title_en", c.title_en).StartArray("questions");
    for (const oversight::Question& q : c.questions) {
      const char* answer = q.answer == oversight::AnswerKind::kYesNo   ? "yes_no"
                           : q.answer == oversight::AnswerKind::kCount ? "count"
                                                                       : "text";
      out.StartObject().String("id", q.id).String("text", q.text).String("text_en", q.text_en);
      out.String("answer", answer).String("principle", q.principle).EndObject();
    }
    out.EndArray().EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::PostReport(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  std::string forbidden;
  auto check = [&](const oversight::Report& report) -> std::string {
    if (report.election != e->data->definition.id) {
      return "the report is for election " + report.election + ", posted to " + e->data->definition.id;
    }
    if (!access::MaySupervise(who, ScopeRegion(report.node))) {
      forbidden = report.node + " is outside the supervision scope of " + who.username;
      return forbidden;  // refused: nothing is recorded
    }
    return "";
  };
  auto recorded = app::RecordReports(store_, e->data->regions, {{"body", req.body}}, who.username, req.remote,
                                     options_.clock(), check);
  if (!forbidden.empty()) return Forbidden(forbidden);
  if (!recorded.ok()) return FromError(recorded.error());
  const store::StoredReport& r = recorded.value().reports.front();
  json::Builder out;
  out.StartObject().String("id", r.id).String("number", r.number);
  out.String("status", r.replayed ? "replayed" : "recorded").Int("seq", r.seq).EndObject();
  return Response::Json(r.replayed ? 200 : 201, out.Take());
}

Response Api::Reports(Request& req) {
  const access::Principal who = WHO(req, false);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the supervision reports", "are", refused);
  if (!region) return refused;
  json::Builder out;
  out.StartObject().String("region", *region).StartArray("reports");
  const Status read = store_.ForEachReport(req.params["election"], *region, [&](const store::StoredReport& r) {
    out.StartObject().Int("seq", r.seq).String("recorded_by", r.recorded_by);
    out.String("recorded_at", Wib(r.recorded_at)).Raw("report", r.body).EndObject();
    return Status{};
  });
  if (!read.ok()) return FromError(read.error());
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::Discrepancies(Request& req) {
  const access::Principal who = WHO(req, false);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the discrepancies", "are", refused);
  if (!region) return refused;
  auto found = app::FindDiscrepancies(store_, req.params["election"], *region);
  if (!found.ok()) return FromError(found.error());
  json::Builder out;
  out.StartObject().String("region", *region).StartArray("discrepancies");
  for (const app::FoundDiscrepancy& f : found.value()) {
    const oversight::Discrepancy& d = f.discrepancy;
    out.StartObject().String("tps_code", f.code).String("discrepancy", oversight::DiscrepancyName(d.kind));
    out.String("report", d.report).String("report_number", f.report_number).String("node", d.node);
    out.String("subject", d.subject).Int("recorded", d.recorded).Int("observed", d.observed);
    StringOrNull(out, "document", d.document);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::PostFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  rapidjson::Document body = JSON_BODY(req);
  oversight::Finding f;
  const std::string from = StringField(body, "from_discrepancy");
  if (!from.empty()) {
    const size_t colon = from.rfind(':');
    const std::string code = colon == std::string::npos ? from : from.substr(0, colon);
    const bool procurement = app::IsProcurementDiscrepancyCode(code);
    if (!access::MaySupervise(who, ScopeRegion(procurement ? code.substr(0, code.find('#')) : code))) {
      return Forbidden(code + " is outside the scope of " + who.username);
    }
    if (procurement) {
      auto found = app::FindProcurementDiscrepancies(store_, *e->data, e->board->needs(), options_.clock() / 86400, "");
      if (!found.ok()) return FromError(found.error());
      auto match = std::find_if(found.value().begin(), found.value().end(), [&](const auto& d) {
        return colon != std::string::npos && d.Code() == code &&
               procurement::ProcurementIssueName(d.kind) == from.substr(colon + 1);
      });
      if (match == found.value().end()) {
        return Response::Error(422, "unprocessable", "from_discrepancy: there is no discrepancy " + from);
      }
      f = procurement::FindingOf(*match);
    } else {
      auto found = app::FindDiscrepancies(store_, e->data->definition.id, ScopeRegion(code));
      if (!found.ok()) return FromError(found.error());
      auto match = std::find_if(found.value().begin(), found.value().end(), [&](const app::FoundDiscrepancy& d) {
        return colon != std::string::npos && d.code == code &&
               oversight::DiscrepancyName(d.discrepancy.kind) == from.substr(colon + 1);
      });
      if (match == found.value().end()) {
        return Response::Error(422, "unprocessable", "from_discrepancy: there is no discrepancy " + from);
      }
      f = oversight::FindingOf(match->discrepancy, match->code, match->report_number, match->stage);
    }
  } else {
    auto parsed = FindingOfBody(body, e->data->definition.id);
    if (!parsed.ok()) return FromError(parsed.error());
    f = std::move(parsed).value();
    if (!access::MaySupervise(who, f.region)) return Forbidden(f.region + " is outside the scope of " + who.username);
  }
  f.election = e->data->definition.id;
  if (const std::string severity = StringField(body, "severity"); !severity.empty() && !from.empty()) {
    if (auto s = oversight::ParseSeverity(severity)) f.severity = *s;
  }
  const bool registered = body.HasMember("register") && body["register"].IsBool() && body["register"].GetBool();
  auto saved = app::CreateFinding(store_, e->data->regions, f, registered, who.username, req.remote, options_.clock());
  if (!saved.ok()) return FromError(saved.error());
  return FindingAnswer(201, saved.value(), options_.clock());
}

Response Api::Findings(Request& req) {
  const access::Principal who = WHO(req, false);
  const int64_t now = options_.clock();
  const bool kpu = who.role == access::Role::kKpu;
  const std::string region = req.Query("region", who.role == access::Role::kAdmin || kpu ? "" : who.scope);
  if (!kpu && !access::MaySupervise(who, region)) {
    return Forbidden("the findings of " + (region.empty() ? std::string("the nation") : region) +
                     " are for Bawaslu within its scope, and for KPU units they are addressed to");
  }
  auto findings = app::ListFindings(store_, req.params["election"], region);
  if (!findings.ok()) return FromError(findings.error());
  json::Builder out;
  out.StartObject().String("region", region).StartArray("findings");
  for (const app::StoredFinding& f : findings.value()) {
    // A KPU officer sees what is addressed to its units.
    if (kpu &&
        !(f.finding.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.finding.recommendation->to)))) {
      continue;
    }
    StartFinding(out, f, now);
    out.EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::GetFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  auto found = app::LoadFinding(store_, req.params["id"]);
  if (!found.ok()) return FromError(found.error());
  const oversight::Finding& f = found.value().finding;
  const bool addressed = f.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.recommendation->to));
  if (!access::MaySupervise(who, f.region) && !(who.role == access::Role::kKpu && addressed)) {
    return Forbidden("finding " + f.number + " is outside the scope of " + who.username);
  }
  auto events = store_.ItemEvents(f.id);
  if (!events.ok()) return FromError(events.error());
  json::Builder out;
  StartFinding(out, found.value(), options_.clock());
  out.StartArray("history");
  for (const store::OversightEvent& ev : events.value()) {
    out.StartObject().Int("seq", ev.seq).String("at", Wib(ev.at)).String("actor", ev.actor);
    out.String("action", ev.action).String("state", ev.state).String("note", ev.note).EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::StepFinding(Request& req) {
  const access::Principal who = WHO(req, false);
  rapidjson::Document body = JSON_BODY(req);
  const auto step = oversight::ParseStep(StringField(body, "step"));
  if (!step) {
    return Response::Error(422, "unprocessable",
                           "step: expected register, recommend, answer, follow_up, close or escalate");
  }
  int64_t due = 0;
  if (const std::string text = StringField(body, "due"); !text.empty()) {
    auto parsed = ParseInstant(text);
    if (!parsed) return Response::Error(422, "unprocessable", "due: expected a time with its offset");
    due = *parsed;
  }
  std::string forbidden;
  auto check = [&](const oversight::Finding& f, oversight::Step s) -> std::string {
    const bool allowed = oversight::StepIsKpus(s)
                             ? f.recommendation && access::MayAnswerFinding(who, ScopeRegion(f.recommendation->to))
                             : access::MaySupervise(who, f.region);
    if (!allowed) {
      forbidden = oversight::StepIsKpus(s)
                      ? "only the KPU unit a recommendation is addressed to answers it (" + who.username + " may not)"
                      : "only Bawaslu within the finding's scope may " + std::string(oversight::StepName(s)) + " it";
      return forbidden;
    }
    return "";  // the addressee is checked with the step (oversight::Apply)
  };
  auto saved = app::StepFinding(store_, req.params["id"], *step, StringField(body, "text"), StringField(body, "to"),
                                due, who.username, req.remote, options_.clock(), check);
  if (!forbidden.empty()) return Forbidden(forbidden);
  if (!saved.ok()) return FromError(saved.error());
  return FindingAnswer(200, saved.value(), options_.clock());
}

Response Api::PostAction(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  rapidjson::Document body = JSON_BODY(req);
  // The action's own fields (docs/formats.md), without id, number or status.
  auto parsed = oversight::ParseAction("body", WithIdAndElection(body, e->data->definition.id));
  if (!parsed.ok()) return FromError(parsed.error());
  oversight::Action a = std::move(parsed).value();
  a.id.clear();
  a.status = oversight::ActionStatus::kOpen;
  if (!access::MaySupervise(who, a.region)) return Forbidden(a.region + " is outside the scope of " + who.username);
  auto saved = app::CreateAction(store_, a, who.username, req.remote, options_.clock());
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(201, oversight::WriteAction(saved.value()));
}

Response Api::Actions(Request& req) {
  const access::Principal who = WHO(req, false);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the supervision", "is", refused);
  if (!region) return refused;
  auto actions = app::ListActions(store_, req.params["election"], *region);
  if (!actions.ok()) return FromError(actions.error());
  const int64_t now = options_.clock();
  json::Builder out;
  out.StartObject().String("region", *region).StartArray("actions");
  for (const oversight::Action& a : actions.value()) {
    out.Extend(oversight::WriteAction(a));
    out.Bool("late", a.status != oversight::ActionStatus::kDone && a.due < now).EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

Response Api::UpdateAction(Request& req) {
  const access::Principal who = WHO(req, false);
  rapidjson::Document body = JSON_BODY(req);
  const auto status = oversight::ParseActionStatus(StringField(body, "status"));
  if (!status) return Response::Error(422, "unprocessable", "status: expected open, in_progress or done");
  auto item = store_.FindItem(req.params["id"]);
  if (!item.ok()) return FromError(item.error());
  if (!item.value() || item.value()->kind != "action") {
    return Response::Error(404, "not_found", "there is no action " + req.params["id"]);
  }
  if (!access::MaySupervise(who, item.value()->region)) {
    return Forbidden("action " + item.value()->number + " is outside the scope of " + who.username);
  }
  auto saved = app::UpdateAction(store_, req.params["id"], *status, StringField(body, "note"), who.username, req.remote,
                                 options_.clock());
  if (!saved.ok()) return FromError(saved.error());
  return Response::Json(200, oversight::WriteAction(saved.value()));
}

Response Api::EvaluationReport(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the supervision", "is", refused);
  if (!region) return refused;
  const auto voting_day = ParseInstant(e->data->definition.voting_day + "T00:00:00+07:00");
  auto evaluation = app::Evaluate(store_, e->data->definition.id, *region, req.Query("stage"), voting_day.value_or(0),
                                  options_.clock());
  if (!evaluation.ok()) return FromError(evaluation.error());
  const app::Evaluation& v = evaluation.value();
  json::Builder out;
  out.StartObject().String("region", *region).String("stage", req.Query("stage")).StartArray("categories");
  for (const app::EvaluationRow& r : v.categories) {
    out.StartObject().String("category", r.category).Int("findings", r.findings).Int("open", r.open);
    out.Int("closed", r.closed).Int("escalated", r.escalated).Int("overdue", r.overdue);
    out.Int("closed_before_voting_day", r.closed_before_voting);
    // As std::to_string writes a double (2.500000), which clients have read so since the route was made.
    if (r.median_days_to_close < 0) {
      out.Null("median_days_to_close");
    } else {
      out.Raw("median_days_to_close", std::to_string(r.median_days_to_close));
    }
    out.EndObject();
  }
  out.EndArray().StartObject("actions").Int("all", v.actions).Int("open", v.actions_open);
  out.Int("in_progress", v.actions_in_progress).Int("done", v.actions_done).Int("late", v.actions_late);
  return Response::Json(200, out.EndObject().EndObject().Take());
}

Response Api::Vulnerability(Request& req) {
  const access::Principal who = WHO(req, false);
  LoadedElection* e = ELECTION(req);
  Response refused;
  const auto region = internal::SupervisedRegion(who, req, "the supervision", "is", refused);
  if (!region) return refused;
  const int top = std::clamp(std::atoi(req.Query("top", "100").c_str()), 1, 10'000);
  auto ranked = app::AssessVulnerability(store_, *e->board, e->clock, e->data->definition.id, *region, {});
  if (!ranked.ok()) return FromError(ranked.error());
  json::Builder out;
  out.StartObject().String("region", *region).StartArray("tps");
  for (size_t i = 0; i < ranked.value().size() && static_cast<int>(i) < top; ++i) {
    const oversight::TpsVulnerability& t = ranked.value()[i];
    out.StartObject().Int("rank", i + 1).String("tps", t.tps).Int("score", t.score).StartArray("indicators");
    for (const std::string& indicator : t.indicators) out.String(indicator);
    out.EndArray().EndObject();
  }
  return Response::Json(200, out.EndArray().EndObject().Take());
}

}  // namespace tepat::server
