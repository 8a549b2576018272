// tepat oversight: Bawaslu's supervision: recording reports (Form A), the stage checklists, and the cross-check of
// what supervisors saw against KPU's ledger.
#include <CLI/CLI.hpp>
#include <ostream>

#include "app/oversight.h"
#include "cli/context.h"
#include "cli/output.h"
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
};

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

  CLI::App* checklists = cmd->add_subcommand("checklists", "The stage checklists' questions, built in");
  checklists->add_option("--stage", options->stage, "Only this stage");
  checklists->add_option("--out", options->out, "Write to this file (default: standard output)");
  checklists->callback([&ctx, options] { ctx.status = Checklists(ctx, *options); });
}

}  // namespace tepat::cli
