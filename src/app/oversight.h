// Supervision as the command line and the server share it: recording Bawaslu's reports (each checked, all or none)
// and cross-checking them against the ledger.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/region.h"
#include "oversight/crosscheck.h"
#include "oversight/finding.h"
#include "oversight/report.h"
#include "oversight/vulnerability.h"
#include "readiness/board.h"
#include "store/store.h"

namespace tepat::app {

// One report as given: its text and where it came from ("reports.ndjson:12", "body").
struct GivenReport {
  std::string where;
  std::string json;
};

struct RecordedReports {
  int64_t recorded = 0;
  int64_t replayed = 0;
  std::vector<store::StoredReport> reports;  // in the order given, with their numbers
};

// Parses and checks every report (its fields, its checklist's answers, its election, and that its node's region
// exists) and records them in one transaction: any problem refuses them all, listing every problem as
// WHERE: field: reason. A report without a number takes the next of its regency and year (Form A's numbering).
// `check` may refuse a report for its author (a scope): it returns a problem's reason, or "".
Result<RecordedReports> RecordReports(store::Store& store, const geo::RegionSet& regions,
                                      const std::vector<GivenReport>& given, const std::string& by,
                                      const std::string& address, int64_t now,
                                      const std::function<std::string(const oversight::Report&)>& check = nullptr);

// The NDJSON of a file as given reports, one per non-empty line, located FILE:LINE.
std::vector<GivenReport> ReportLines(std::string_view file, std::string_view text);

// A discrepancy and the report that found it.
struct FoundDiscrepancy {
  std::string code;  // the TPS code for a report at a KPPS, the node's code otherwise
  std::string report_number;
  std::string stage;  // the report's
  oversight::Discrepancy discrepancy;
};

// Every discrepancy between the reports of an election under `region` ("" for all) and the ledger's record at each
// report's node and time, in report order.
Result<std::vector<FoundDiscrepancy>> FindDiscrepancies(store::Store& store, std::string_view election,
                                                        std::string_view region);

// The CSV `tps_code,discrepancy`: each pair once, sorted by code and then in the order of the kinds.
std::string DiscrepancyCsv(const std::vector<FoundDiscrepancy>& found);

// A finding with what the store keeps beside it.
struct StoredFinding {
  oversight::Finding finding;
  int64_t version = 0;
  int64_t updated_at = 0;
};

// Saves a new finding as a draft (or registered at once with `registered`), numbered per regency and year, with its
// first event; `f.election`, `f.region` (a region or TPS code of `regions`) and `f.title` are required. A new id is
// made when it has none.
Result<StoredFinding> CreateFinding(store::Store& store, const geo::RegionSet& regions, oversight::Finding f,
                                    bool registered, const std::string& by, const std::string& address, int64_t now);
// Moves a finding one step on (oversight::Apply) and saves it with the step as an event; refused when someone else
// changed it meanwhile. `check` may refuse the step for its author: it returns the reason, or "".
Result<StoredFinding> StepFinding(
    store::Store& store, std::string_view id, oversight::Step step, const std::string& text, const std::string& to,
    int64_t due, const std::string& by, const std::string& address, int64_t now,
    const std::function<std::string(const oversight::Finding&, oversight::Step)>& check = nullptr);
Result<StoredFinding> LoadFinding(store::Store& store, std::string_view id);
Result<std::vector<StoredFinding>> ListFindings(store::Store& store, std::string_view election,
                                                std::string_view region);

// The findings as CSV: number, id, state, category, severity, region, node, title, deadline, recommended_to, due,
// overdue (at `now`), created_at.
std::string FindingsCsv(const std::vector<StoredFinding>& findings, int64_t now);

// Follow-up plans (RTL): an action, numbered per regency and year, with its status changes kept.
Result<oversight::Action> CreateAction(store::Store& store, oversight::Action action, const std::string& by,
                                       const std::string& address, int64_t now);
Result<oversight::Action> UpdateAction(store::Store& store, std::string_view id, oversight::ActionStatus status,
                                       const std::string& note, const std::string& by, const std::string& address,
                                       int64_t now);
Result<std::vector<oversight::Action>> ListActions(store::Store& store, std::string_view election,
                                                   std::string_view region);

// The evaluation (evaluasi dan refleksi) of a region's supervision, per finding category: how many findings, how
// many open, closed, escalated and overdue, the median days from raising to closing, and how many were closed
// before voting day; and the follow-up plan's actions by status.
struct EvaluationRow {
  std::string category;
  int64_t findings = 0, open = 0, closed = 0, escalated = 0, overdue = 0, closed_before_voting = 0;
  double median_days_to_close = -1;  // -1 when none is closed
};
struct Evaluation {
  std::vector<EvaluationRow> categories;  // every category, then "total"
  int64_t actions = 0, actions_open = 0, actions_in_progress = 0, actions_done = 0, actions_late = 0;
};
Result<Evaluation> Evaluate(store::Store& store, std::string_view election, std::string_view region,
                            std::string_view stage, int64_t voting_day, int64_t now);

// A TPS whose stored projection gives it this chance of missing its deadline or more counts as likely to be late.
inline constexpr double kRiskyLate = 0.10;

// The vulnerability of every TPS under `region` ("" for all): the logistics variable from its problems in the ledger
// at `clock`, the supervisors' discrepancies there and the stored projection's risk of being late (kRiskyLate), the
// location variable from its access data, and the other
// indicators Bawaslu's mapping gives (`mapped`: TPS code, indicator id). Ranked, highest score first.
Result<std::vector<oversight::TpsVulnerability>> AssessVulnerability(
    store::Store& store, const readiness::Board& board, int64_t clock, std::string_view election,
    std::string_view region, const std::vector<std::pair<std::string, std::string>>& mapped);

}  // namespace tepat::app
