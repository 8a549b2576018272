// tepat oversight: Bawaslu's supervision: recording reports (Form A), the stage checklists, and the cross-check of
// what supervisors saw against KPU's ledger.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <ctime>
#include <ostream>

#include "app/oversight.h"
#include "app/procurement.h"
#include "cli/context.h"
#include "cli/output.h"
#include "common/csv.h"
#include "common/text.h"
#include "common/time.h"
#include "oversight/checklist.h"

namespace tepat::cli {

namespace {

struct OversightOptions {
  std::string file;
  std::string election;
  std::string region;
  std::string stage;
  std::string format = "csv";
  std::string out;
  // Findings.
  std::string id;
  std::string step;
  std::string from_discrepancy;  // CODE:KIND
  std::string category;
  std::string severity;
  std::string title;
  std::string description;
  std::string deadline;
  bool registered = false;
  std::string text;
  std::string to;
  std::string due;
  // Follow-up plans.
  std::string owner;
  std::string status;
  std::string note;
  std::vector<std::string> findings;
  // Vulnerability.
  std::string indicators;
  int top = 0;
};

Result<int64_t> OptionalTime(const std::string& option, const std::string& text) {
  if (text.empty()) return int64_t{0};
  if (auto seconds = ParseInstant(text)) return *seconds;
  return InvalidInput(option + ": expected a time with its offset, like 2024-02-13T10:30:00+07:00, not '" + text + "'");
}

Status SaveFinding(Context& ctx, store::Store& store, const OversightOptions& options, oversight::Finding f);

// The finding of a procurement discrepancy (docs/procurement.md §7), found as of now.
Result<oversight::Finding> ProcurementFinding(store::Store& store, const std::string& election,
                                              const std::string& code, const std::string& kind) {
  planning::Needs needs;
  const auto data = TRY(app::LoadElectionData(store, election, &needs));
  const auto found = TRY(app::FindProcurementDiscrepancies(store, *data, needs, Now() / 86400, ""));
  for (const procurement::ProcurementDiscrepancy& d : found) {
    if (d.Code() == code && procurement::ProcurementIssueName(d.kind) == kind) return procurement::FindingOf(d);
  }
  return NotFound("--from-discrepancy: no " + kind + " at " + code + " in " + election);
}

Status NewFinding(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  oversight::Finding f;
  if (!options.from_discrepancy.empty()) {
    const size_t colon = options.from_discrepancy.rfind(':');
    if (colon == std::string::npos)
      return InvalidInput("--from-discrepancy: expected CODE:KIND, like 35.78.01.1001.001:seal_broken");
    const std::string code = options.from_discrepancy.substr(0, colon),
                      kind = options.from_discrepancy.substr(colon + 1);
    if (app::IsProcurementDiscrepancyCode(code)) {
      f = TRY(ProcurementFinding(*store, options.election, code, kind));
      return SaveFinding(ctx, *store, options, f);
    }
    const std::string region = code.find(':') == std::string::npos ? code : "";
    const auto found = TRY(app::FindDiscrepancies(*store, options.election, region));
    auto match = std::find_if(found.begin(), found.end(), [&](const app::FoundDiscrepancy& d) {
      return d.code == code && oversight::DiscrepancyName(d.discrepancy.kind) == kind;
    });
    if (match == found.end())
      return NotFound("--from-discrepancy: no " + kind + " at " + code + " in " + options.election);
    f = oversight::FindingOf(match->discrepancy, match->code, match->report_number, match->stage);
  } else {
    f.region = options.region;
    f.title = options.title;
    f.description = options.description;
    f.stage = options.stage;
    const auto category = oversight::ParseCategory(options.category);
    if (!category)
      return InvalidInput(
          "--category: expected shortage, excess, swapped_ballots, damage, late, unsealed, wrong_destination, "
          "storage_security or procedure");
    f.category = *category;
  }
  return SaveFinding(ctx, *store, options, f);
}

// Completes a finding with the options' election, severity and deadline, and saves it.
Status SaveFinding(Context& ctx, store::Store& store, const OversightOptions& options, oversight::Finding f) {
  f.election = options.election;
  if (!options.severity.empty()) {
    const auto severity = oversight::ParseSeverity(options.severity);
    if (!severity) return InvalidInput("--severity: expected low, medium or high");
    f.severity = *severity;
  }
  f.deadline = TRY(OptionalTime("--deadline", options.deadline));
  const geo::RegionSet regions = TRY(LoadRegions(store));
  const access::AuditEntry who = CliAudit("oversight.finding", "", f.region, "");
  const app::StoredFinding saved =
      TRY(app::CreateFinding(store, regions, f, options.registered, who.actor, who.address, who.at));
  *ctx.out << saved.finding.number << "  " << saved.finding.id << "  " << FindingStateName(saved.finding.state) << "  "
           << saved.finding.title << "\n";
  return {};
}

Status StepFinding(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const auto step = oversight::ParseStep(options.step);
  if (!step) return InvalidInput("step: expected register, recommend, answer, follow_up, close or escalate");
  const int64_t due = TRY(OptionalTime("--due", options.due));
  const access::AuditEntry who = CliAudit("oversight.finding", options.id, "", "");
  const app::StoredFinding saved =
      TRY(app::StepFinding(*store, options.id, *step, options.text, options.to, due, who.actor, who.address, who.at));
  *ctx.out << saved.finding.number << "  " << FindingStateName(saved.finding.state) << "\n";
  return {};
}

Status ShowFinding(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const app::StoredFinding f = TRY(app::LoadFinding(*store, options.id));
  std::string out = oversight::WriteFinding(f.finding) + "\n";
  for (const store::OversightEvent& e : TRY(store->ItemEvents(options.id))) {
    out += FormatInstant(e.at, 7 * 60) + "  " + e.actor + "  " + e.action + " -> " + e.state;
    if (!e.note.empty()) out += "  " + e.note;
    out += "\n";
  }
  return WriteOutput(ctx, options.out, out);
}

Status Findings(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const auto findings = TRY(app::ListFindings(*store, options.election, options.region));
  if (options.format == "json") {
    std::string out;
    for (const app::StoredFinding& f : findings) out += oversight::WriteFinding(f.finding) + "\n";
    return WriteOutput(ctx, options.out, out);
  }
  return WriteOutput(ctx, options.out, app::FindingsCsv(findings, Now()));
}

Status Record(Context& ctx, const OversightOptions& options) {
  const std::string text = TRY(ReadFile(options.file));
  auto store = TRY(OpenStore(ctx));
  const geo::RegionSet regions = TRY(LoadRegions(*store));
  const access::AuditEntry who = CliAudit("oversight.report", options.file, "", "");
  const app::RecordedReports recorded =
      TRY(app::RecordReports(*store, regions, app::ReportLines(options.file, text), who.actor, who.address, who.at));
  for (const store::StoredReport& r : recorded.reports) *ctx.out << r.number << "  " << r.id << "\n";
  *ctx.out << "oversight: " << FormatThousands(recorded.recorded) << " reports recorded, "
           << FormatThousands(recorded.replayed) << " recorded already, from " << options.file << "\n";
  return {};
}

Status Reports(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  std::string out = options.format == "json" ? "" : "number,id,stage,node,at,recorded_by\n";
  RETURN_IF_ERROR(store->ForEachReport(options.election, options.region, [&](const store::StoredReport& r) {
    if (options.format == "json") {
      out += r.body + "\n";
      return Status{};
    }
    for (const std::string* field : {&r.number, &r.id, &r.stage, &r.node}) {
      AppendCsvField(out, *field);
      out += ',';
    }
    out += FormatInstant(r.at, 7 * 60) + ",";
    AppendCsvField(out, r.recorded_by);
    out += '\n';
    return Status{};
  }));
  return WriteOutput(ctx, options.out, out);
}

Status Discrepancies(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const auto found = TRY(app::FindDiscrepancies(*store, options.election, options.region));
  if (options.format == "csv") return WriteOutput(ctx, options.out, app::DiscrepancyCsv(found));
  // In detail: each discrepancy with its report, what was recorded and seen, and the document it contradicts.
  std::string out = "tps_code,discrepancy,report,node,subject,recorded,observed,document\n";
  for (const app::FoundDiscrepancy& f : found) {
    const oversight::Discrepancy& d = f.discrepancy;
    for (const std::string& field :
         {f.code, std::string(oversight::DiscrepancyName(d.kind)), f.report_number, d.node, d.subject}) {
      AppendCsvField(out, field);
      out += ',';
    }
    out += std::to_string(d.recorded) + "," + std::to_string(d.observed) + "," + d.document + "\n";
  }
  return WriteOutput(ctx, options.out, out);
}

Status NewAction(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  oversight::Action a;
  a.election = options.election;
  a.region = options.region;
  a.stage = options.stage;
  a.title = options.title;
  a.owner = options.owner;
  a.due = TRY(OptionalTime("--due", options.due));
  a.findings = options.findings;
  a.note = options.note;
  const access::AuditEntry who = CliAudit("oversight.action", "", a.region, "");
  const oversight::Action saved = TRY(app::CreateAction(*store, a, who.actor, who.address, who.at));
  *ctx.out << saved.number << "  " << saved.id << "  " << saved.title << "\n";
  return {};
}

Status UpdateAction(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const auto status = oversight::ParseActionStatus(options.status);
  if (!status) return InvalidInput("--status: expected open, in_progress or done");
  const access::AuditEntry who = CliAudit("oversight.action", options.id, "", "");
  const oversight::Action saved =
      TRY(app::UpdateAction(*store, options.id, *status, options.note, who.actor, who.address, who.at));
  *ctx.out << saved.number << "  " << ActionStatusName(saved.status) << "\n";
  return {};
}

Status Actions(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const int64_t now = Now();
  std::string out = "number,id,status,region,stage,title,owner,due,late,findings,note\n";
  for (const oversight::Action& a : TRY(app::ListActions(*store, options.election, options.region))) {
    std::string findings;
    for (const std::string& f : a.findings) findings += (findings.empty() ? "" : " ") + f;
    const bool late = a.status != oversight::ActionStatus::kDone && a.due < now;
    for (const std::string& field :
         {a.number, a.id, std::string(ActionStatusName(a.status)), a.region, a.stage, a.title, a.owner,
          FormatInstant(a.due, 7 * 60), std::string(late ? "yes" : "no"), findings}) {
      AppendCsvField(out, field);
      out += ',';
    }
    AppendCsvField(out, a.note);
    out += '\n';
  }
  return WriteOutput(ctx, options.out, out);
}

Status Evaluation(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  const election::Definition def = TRY(LoadElection(options.election));
  const auto voting_day = ParseInstant(def.voting_day + "T00:00:00+07:00");
  if (!voting_day) return InvalidInput("election " + def.id + " has no voting day");
  const app::Evaluation e = TRY(app::Evaluate(*store, def.id, options.region, options.stage, *voting_day, Now()));
  const std::vector<std::string> header = {"category",
                                           "findings",
                                           "open",
                                           "closed",
                                           "escalated",
                                           "overdue",
                                           "closed_before_voting_day",
                                           "share_closed_before_voting_day",
                                           "median_days_to_close"};
  auto share = [](int64_t part, int64_t whole) {
    if (whole == 0) return std::string();
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return std::string(text);
  };
  auto days = [](double d) {
    if (d < 0) return std::string();
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", d);
    return std::string(text);
  };
  if (options.format == "xlsx") {
    if (options.out.empty()) return InvalidInput("--format xlsx needs --out FILE");
    XlsxWriter xlsx;
    RETURN_IF_ERROR(xlsx.Open(options.out));
    RETURN_IF_ERROR(xlsx.AddSheet("Evaluasi", header, {22, 10, 8, 8, 10, 9, 14, 14, 12}));
    for (const app::EvaluationRow& r : e.categories) {
      RETURN_IF_ERROR(
          xlsx.AddRow({Cell(r.category), r.findings, r.open, r.closed, r.escalated, r.overdue, r.closed_before_voting,
                       share(r.closed_before_voting, r.findings), days(r.median_days_to_close)}));
    }
    RETURN_IF_ERROR(xlsx.AddSheet("RTL", {"actions", "open", "in_progress", "done", "late"}, {10, 8, 12, 8, 8}));
    RETURN_IF_ERROR(
        xlsx.AddRow({Cell(e.actions), e.actions_open, e.actions_in_progress, e.actions_done, e.actions_late}));
    RETURN_IF_ERROR(xlsx.Close());
    *ctx.out << "oversight: evaluation written to " << options.out << "\n";
    return {};
  }
  std::string out;
  for (size_t i = 0; i < header.size(); ++i) out += (i ? "," : "") + header[i];
  out += '\n';
  for (const app::EvaluationRow& r : e.categories) {
    out += r.category;
    for (int64_t n : {r.findings, r.open, r.closed, r.escalated, r.overdue, r.closed_before_voting}) {
      out += "," + std::to_string(n);
    }
    out += "," + share(r.closed_before_voting, r.findings) + "," + days(r.median_days_to_close) + "\n";
  }
  out += "actions," + std::to_string(e.actions) + "," + std::to_string(e.actions_open + e.actions_in_progress) + "," +
         std::to_string(e.actions_done) + ",0," + std::to_string(e.actions_late) + ",,,\n";
  return WriteOutput(ctx, options.out, out);
}

Status Vulnerability(Context& ctx, const OversightOptions& options) {
  auto store = TRY(OpenStore(ctx));
  auto data = TRY(LoadElectionData(*store, options.election));
  readiness::Board board = TRY(LoadBoard(*store, *data, options.region.empty() ? "" : options.region + "."));
  const int64_t clock = TRY(store->LedgerClock(data->definition.id));
  // Bawaslu's own mapping of the other variables: tps_code,indicator rows.
  std::vector<std::pair<std::string, std::string>> mapped;
  if (!options.indicators.empty()) {
    const std::string text = TRY(ReadFile(options.indicators));
    ProblemList problems;
    CsvReader reader(text);
    std::vector<std::string_view> fields;
    for (bool header = true; reader.Next(fields); header = false) {
      const size_t line = reader.line();
      if (!reader.error().empty()) {
        problems.AddAt(options.indicators, line, "", reader.error());
        break;
      }
      if (header) {
        if (fields != std::vector<std::string_view>{"tps_code", "indicator"})
          problems.AddAt(options.indicators, 1, "", "expected the header tps_code,indicator");
        continue;
      }
      const std::string tps(fields[0]), indicator(fields.size() > 1 ? fields[1] : "");
      if (fields.size() > 2)
        problems.AddAt(options.indicators, line, "", "expected 2 fields, found " + std::to_string(fields.size()));
      if (geo::LevelOfCode(tps) != geo::Level::kTps)
        problems.AddAt(options.indicators, line, "tps_code", "not a TPS code: " + tps);
      if (!oversight::FindIndicator(indicator)) {
        problems.AddAt(options.indicators, line, "indicator",
                       "unknown indicator \"" + indicator + "\" (see docs/oversight.md)");
      }
      mapped.emplace_back(tps, indicator);
    }
    if (!problems.empty()) return problems.ToError(options.indicators + ": the indicators were refused");
  }
  const auto ranked = TRY(app::AssessVulnerability(*store, board, clock, data->definition.id, options.region, mapped));
  std::string out = "rank,tps_code,score";
  for (std::string_view variable : oversight::kVariables) out += "," + std::string(variable);
  out += ",indicators\n";
  for (size_t i = 0; i < ranked.size() && (options.top <= 0 || static_cast<int>(i) < options.top); ++i) {
    const oversight::TpsVulnerability& v = ranked[i];
    out += std::to_string(i + 1) + "," + v.tps + "," + std::to_string(v.score);
    for (std::string_view variable : oversight::kVariables) {
      int points = 0;
      for (const std::string& id : v.indicators) {
        if (const oversight::Indicator* indicator = oversight::FindIndicator(id);
            indicator && indicator->variable == variable) {
          points += indicator->weight;
        }
      }
      out += "," + std::to_string(points);
    }
    std::string ids;
    for (const std::string& id : v.indicators) ids += (ids.empty() ? "" : " ") + id;
    out += "," + ids + "\n";
  }
  return WriteOutput(ctx, options.out, out);
}

Status Checklists(Context& ctx, const OversightOptions& options) {
  std::string out = "checklist,version,stage,question,answer,principle,text,text_en\n";
  for (const oversight::Checklist& c : oversight::BuiltinChecklists()) {
    if (!options.stage.empty() && oversight::StageName(c.stage) != options.stage) continue;
    for (const oversight::Question& q : c.questions) {
      const char* kind = q.answer == oversight::AnswerKind::kYesNo   ? "yes_no"
                         : q.answer == oversight::AnswerKind::kCount ? "count"
                                                                     : "text";
      for (const std::string& field : {c.id, std::to_string(c.version), std::string(oversight::StageName(c.stage)),
                                       q.id, std::string(kind), q.principle, q.text}) {
        AppendCsvField(out, field);
        out += ',';
      }
      AppendCsvField(out, q.text_en);
      out += '\n';
    }
  }
  return WriteOutput(ctx, options.out, out);
}

}  // namespace

void AddOversightCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<OversightOptions>();
  CLI::App* cmd = app.add_subcommand("oversight", "Bawaslu's supervision: reports, checklists, cross-checks");
  cmd->require_subcommand(1);

  CLI::App* record = cmd->add_subcommand("record", "Record supervision reports (Form A) from NDJSON, all or none");
  record->add_option("file", options->file, "One report per line (docs/formats.md)")->required();
  record->callback([&ctx, options] { ctx.status = Record(ctx, *options); });

  auto scoped = [&](CLI::App* sub) {
    sub->add_option("--election", options->election, "Election id")->required();
    sub->add_option("--region", options->region, "Only under this region (default: all)");
    sub->add_option("--out", options->out, "Write to this file (default: standard output)");
  };
  CLI::App* reports = cmd->add_subcommand("reports", "The recorded reports");
  scoped(reports);
  reports->add_option("--format", options->format, "csv (a row per report) or json (each report, one per line)")
      ->check(CLI::IsMember({"csv", "json"}));
  reports->callback([&ctx, options] { ctx.status = Reports(ctx, *options); });

  CLI::App* discrepancies =
      cmd->add_subcommand("discrepancies", "What supervisors saw that KPU's ledger records otherwise");
  scoped(discrepancies);
  discrepancies
      ->add_option("--format", options->format,
                   "csv (tps_code,discrepancy, each once) or detail (with the report, quantities and the document)")
      ->check(CLI::IsMember({"csv", "detail"}));
  discrepancies->callback([&ctx, options] { ctx.status = Discrepancies(ctx, *options); });

  CLI::App* finding = cmd->add_subcommand("finding", "A finding (temuan, Form B.2): raise, move on, show");
  finding->require_subcommand(1);
  CLI::App* raise = finding->add_subcommand("new", "Raise a finding, from a discrepancy or by hand (a draft)");
  raise->add_option("--election", options->election, "Election id")->required();
  raise->add_option("--from-discrepancy", options->from_discrepancy, "CODE:KIND from `oversight discrepancies`");
  raise->add_option("--region", options->region, "By hand: the region or TPS it concerns");
  raise->add_option("--category", options->category,
                    "By hand: shortage, excess, swapped_ballots, damage, late, "
                    "unsealed, wrong_destination, storage_security, procedure");
  raise->add_option("--title", options->title, "By hand: what was found, in a line");
  raise->add_option("--description", options->description, "The event and its chronology");
  raise->add_option("--stage", options->stage, "The stage of logistics");
  raise->add_option("--severity", options->severity, "low, medium (default) or high");
  raise->add_option("--deadline", options->deadline, "The finding's time limit, like 2024-02-20T16:00:00+07:00");
  raise->add_flag("--register", options->registered, "Register it at once (skip the draft)");
  raise->callback([&ctx, options] { ctx.status = NewFinding(ctx, *options); });
  CLI::App* step =
      finding->add_subcommand("step", "Move a finding on: register, recommend, answer, follow_up, close, escalate");
  step->add_option("id", options->id, "The finding's id")->required();
  step->add_option("step", options->step, "register, recommend, answer, follow_up, close or escalate")->required();
  step->add_option("--text", options->text, "The recommendation, answer, follow-up or reason");
  step->add_option("--to", options->to, "recommend: the KPU unit addressed, like kpu:35.78");
  step->add_option("--due", options->due, "recommend: when the answer is due");
  step->callback([&ctx, options] { ctx.status = StepFinding(ctx, *options); });
  CLI::App* show = finding->add_subcommand("show", "A finding as JSON and every step of its history");
  show->add_option("id", options->id, "The finding's id")->required();
  show->callback([&ctx, options] { ctx.status = ShowFinding(ctx, *options); });

  CLI::App* findings = cmd->add_subcommand("findings", "The findings, with their state and recommendation");
  scoped(findings);
  findings->add_option("--format", options->format, "csv or json (one finding per line)")
      ->check(CLI::IsMember({"csv", "json"}));
  findings->callback([&ctx, options] { ctx.status = Findings(ctx, *options); });

  CLI::App* action = cmd->add_subcommand("action", "An action of a follow-up plan (RTL): add, update");
  action->require_subcommand(1);
  CLI::App* add = action->add_subcommand("new", "Add an action to the follow-up plan");
  add->add_option("--election", options->election, "Election id")->required();
  add->add_option("--region", options->region, "The region it is for")->required();
  add->add_option("--title", options->title, "What is to be done")->required();
  add->add_option("--owner", options->owner, "Who does it: a unit or a person")->required();
  add->add_option("--due", options->due, "By when, like 2024-02-12T16:00:00+07:00")->required();
  add->add_option("--stage", options->stage, "The stage of logistics");
  add->add_option("--finding", options->findings, "A finding it answers (repeat for more)");
  add->add_option("--note", options->note, "A note");
  add->callback([&ctx, options] { ctx.status = NewAction(ctx, *options); });
  CLI::App* update = action->add_subcommand("update", "Change an action's status");
  update->add_option("id", options->id, "The action's id")->required();
  update->add_option("--status", options->status, "open, in_progress or done")->required();
  update->add_option("--note", options->note, "What happened");
  update->callback([&ctx, options] { ctx.status = UpdateAction(ctx, *options); });
  CLI::App* actions = cmd->add_subcommand("actions", "The follow-up plan's actions, late ones flagged");
  scoped(actions);
  actions->callback([&ctx, options] { ctx.status = Actions(ctx, *options); });

  CLI::App* evaluation = cmd->add_subcommand(
      "evaluation", "Evaluasi dan refleksi: findings by category, time to close, share closed before voting day");
  scoped(evaluation);
  evaluation->add_option("--stage", options->stage, "Only this stage");
  evaluation->add_option("--format", options->format, "csv or xlsx (with --out)")
      ->check(CLI::IsMember({"csv", "xlsx"}));
  evaluation->callback([&ctx, options] { ctx.status = Evaluation(ctx, *options); });

  CLI::App* vulnerability =
      cmd->add_subcommand("vulnerability", "TPS rawan: each TPS's indicators and score, ranked, for mitigation");
  scoped(vulnerability);
  vulnerability->add_option("--indicators", options->indicators,
                            "Bawaslu's mapping of the other variables: a CSV tps_code,indicator");
  vulnerability->add_option("--top", options->top, "Only the N most vulnerable");
  vulnerability->callback([&ctx, options] { ctx.status = Vulnerability(ctx, *options); });

  CLI::App* checklists = cmd->add_subcommand("checklists", "The stage checklists' questions, built in");
  checklists->add_option("--stage", options->stage, "Only this stage");
  checklists->add_option("--out", options->out, "Write to this file (default: standard output)");
  checklists->callback([&ctx, options] { ctx.status = Checklists(ctx, *options); });
}

}  // namespace tepat::cli
