// Recording supervision reports and cross-checking them.
#include "app/oversight.h"

#include <algorithm>
#include <map>
#include <set>

#include "access/access.h"
#include "common/csv.h"
#include "common/hash.h"
#include "common/time.h"
#include "election/definition.h"
#include "oversight/checklist.h"

namespace tepat::app {

namespace {

// The code a report's node is numbered and scoped under: its regency (35.78) when it lies in one, otherwise its
// region (35) or "RI" for the nation and vendors.
std::string RegencyOf(std::string_view region) {
  if (region.size() >= 5) return std::string(region.substr(0, 5));
  return region.empty() ? "RI" : std::string(region);
}

}  // namespace

std::vector<GivenReport> ReportLines(std::string_view file, std::string_view text) {
  std::vector<GivenReport> out;
  size_t line = 0, start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    ++line;
    std::string_view json = text.substr(start, end - start);
    if (!json.empty() && json.back() == '\r') json.remove_suffix(1);
    if (json.find_first_not_of(" \t") != std::string_view::npos) {
      out.push_back({std::string(file) + ":" + std::to_string(line), std::string(json)});
    }
    start = end + 1;
  }
  return out;
}

Result<RecordedReports> RecordReports(store::Store& store, const geo::RegionSet& regions,
                                      const std::vector<GivenReport>& given, const std::string& by,
                                      const std::string& address, int64_t now,
                                      const std::function<std::string(const oversight::Report&)>& check) {
  ProblemList problems;
  std::vector<store::StoredReport> rows;
  std::vector<oversight::Report> reports;
  std::set<std::string> ids;
  for (const GivenReport& g : given) {
    Result<oversight::Report> parsed = oversight::ParseReport(g.where, g.json);
    if (!parsed.ok()) {
      problems.Merge(parsed.error());
      continue;
    }
    oversight::Report& report = parsed.value();
    oversight::CheckAnswers(report, g.where, problems);
    const std::vector<std::string> elections = election::BuiltinIds();
    if (std::find(elections.begin(), elections.end(), report.election) == elections.end()) {
      problems.Add(g.where, "election", "there is no election " + report.election);
    }
    const auto region = access::RegionOfNode(report.node);
    if (region && !region->empty()) {
      // A KPPS's region is its TPS code: its village must exist.
      const bool tps = geo::LevelOfCode(*region) == geo::Level::kTps;
      const std::string place = tps ? region->substr(0, region->rfind('.')) : *region;
      if (regions.Find(place) < 0) {
        problems.Add(g.where, "node", "there is no region " + place + " (node " + report.node + ")");
      }
    }
    if (!ids.insert(report.id).second) problems.Add(g.where, "id", "report " + report.id + " is given twice");
    if (check) {
      if (std::string refused = check(report); !refused.empty()) problems.Add(g.where, "node", refused);
    }
    store::StoredReport row;
    row.id = report.id;
    row.election = report.election;
    row.number = report.number;
    row.stage = std::string(oversight::StageName(report.stage));
    row.node = report.node;
    row.region = region.value_or("");
    row.at = report.at_seconds;
    row.body = oversight::WriteReport(report);
    row.content = Sha256Hex(row.body);
    row.recorded_by = by;
    row.recorded_at = now;
    row.regency = RegencyOf(row.region);
    row.year = std::stoi(FormatInstant(report.at_seconds, 7 * 60).substr(0, 4));
    rows.push_back(std::move(row));
    reports.push_back(std::move(report));
  }
  if (!problems.empty()) return problems.ToError("the reports were refused; nothing was recorded");
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index[rows[i].id] = i;
  const access::AuditEntry audit{0,  now,  by, address, "oversight.report", std::to_string(rows.size()) + " reports",
                                 "", "ok", ""};
  auto number = [&](store::StoredReport& row, int64_t serial) {
    oversight::Report& report = reports[index[row.id]];
    report.number = oversight::ReportNumber(serial, row.regency, row.at);
    row.number = report.number;
    row.body = oversight::WriteReport(report);
  };
  RecordedReports out;
  out.reports = TRY(store.SaveReports(rows, number, audit));
  for (const store::StoredReport& r : out.reports) (r.replayed ? out.replayed : out.recorded) += 1;
  return out;
}

Result<std::vector<FoundDiscrepancy>> FindDiscrepancies(store::Store& store, std::string_view election,
                                                        std::string_view region) {
  std::vector<FoundDiscrepancy> out;
  std::map<std::string, std::vector<oversight::NodeDocument>> nodes;  // each node's documents, read once
  std::map<std::string, std::optional<ledger::Kit>> kits;
  RETURN_IF_ERROR(store.ForEachReport(election, region, [&](const store::StoredReport& row) -> Status {
    const oversight::Report report = TRY(oversight::ParseReport("report " + row.number, row.body));
    auto [it, fresh] = nodes.try_emplace(report.node);
    if (fresh) {
      for (const store::StoredDocument& d : TRY(store.DocumentsOfNode(election, report.node))) {
        it->second.push_back({TRY(ledger::ParseDocument("ledger", d.body)), TRY(store.MovementsOf(d.id))});
      }
    }
    std::string failure;
    auto kit = [&](const std::string& id) -> const ledger::Kit* {
      auto [k, unknown] = kits.try_emplace(id);
      if (unknown) {
        auto found = store.FindKit(election, id);
        if (!found.ok()) {
          failure = found.error().ToString();
          return nullptr;
        }
        k->second = std::move(found).value();
      }
      return k->second ? &*k->second : nullptr;
    };
    const oversight::Recorded recorded = oversight::RecordAt(report.node, report.at_seconds, it->second, kit);
    if (!failure.empty()) return StorageError(failure);
    const std::string code = report.node.starts_with("kpps:") ? report.node.substr(5) : report.node;
    for (oversight::Discrepancy& d : oversight::CrossCheck(report, recorded)) {
      out.push_back({code, row.number, row.stage, std::move(d)});
    }
    return {};
  }));
  return out;
}

std::string DiscrepancyCsv(const std::vector<FoundDiscrepancy>& found) {
  std::set<std::pair<std::string, int>> pairs;
  for (const FoundDiscrepancy& f : found) pairs.insert({f.code, static_cast<int>(f.discrepancy.kind)});
  std::string out = "tps_code,discrepancy\n";
  for (const auto& [code, kind] : pairs) {
    out += code;
    out += ',';
    out += oversight::DiscrepancyName(static_cast<oversight::DiscrepancyKind>(kind));
    out += '\n';
  }
  return out;
}

namespace {

Result<StoredFinding> FromItem(const store::OversightItem& item) {
  StoredFinding out{TRY(oversight::ParseFinding("finding " + item.id, item.body)), item.version, item.updated_at};
  return out;
}

}  // namespace

Result<StoredFinding> CreateFinding(store::Store& store, const geo::RegionSet& regions, oversight::Finding f,
                                    bool registered, const std::string& by, const std::string& address, int64_t now) {
  ProblemList problems;
  if (f.election.empty()) problems.Add("finding", "election", "required field is missing");
  if (f.region.empty()) problems.Add("finding", "region", "required field is missing");
  if (f.title.empty()) problems.Add("finding", "title", "required field is missing");
  if (!f.region.empty()) {
    const bool tps = geo::LevelOfCode(f.region) == geo::Level::kTps;
    if (regions.Find(tps ? f.region.substr(0, f.region.rfind('.')) : f.region) < 0) {
      problems.Add("finding", "region", "there is no region or TPS " + f.region);
    }
  }
  if (!problems.empty()) return problems.ToError("the finding was refused");
  if (f.id.empty()) f.id = RandomUuid();
  f.state = oversight::FindingState::kDraft;
  f.created_at = now;
  f.created_by = by;
  f.number.clear();
  if (registered) RETURN_IF_ERROR(oversight::Apply(f, oversight::Step::kRegister, now, ""));
  store::OversightItem item{f.id,
                            f.election,
                            "finding",
                            "",
                            f.region,
                            std::string(FindingStateName(f.state)),
                            oversight::WriteFinding(f),
                            0,
                            now,
                            now,
                            RegencyOf(f.region),
                            std::stoi(FormatInstant(now, 7 * 60).substr(0, 4))};
  const access::AuditEntry audit{0, now, by, address, "oversight.finding", f.id, f.region, "ok", "created"};
  const store::OversightItem saved = TRY(store.SaveItem(
      item, {f.id, 0, now, by, registered ? "register" : "create", item.state, f.title},
      [&](store::OversightItem& row, int64_t serial) {
        f.number = oversight::FindingNumber(serial, row.regency, now);
        row.number = f.number;
        row.body = oversight::WriteFinding(f);
      },
      audit));
  return FromItem(saved);
}

Result<StoredFinding> LoadFinding(store::Store& store, std::string_view id) {
  const auto item = TRY(store.FindItem(id));
  if (!item || item->kind != "finding") return NotFound("there is no finding " + std::string(id));
  return FromItem(*item);
}

Result<StoredFinding> StepFinding(store::Store& store, std::string_view id, oversight::Step step,
                                  const std::string& text, const std::string& to, int64_t due, const std::string& by,
                                  const std::string& address, int64_t now,
                                  const std::function<std::string(const oversight::Finding&, oversight::Step)>& check) {
  const auto item = TRY(store.FindItem(id));
  if (!item || item->kind != "finding") return NotFound("there is no finding " + std::string(id));
  StoredFinding current = TRY(FromItem(*item));
  if (check) {
    if (std::string refused = check(current.finding, step); !refused.empty())
      return Error(ErrorKind::kInvalidInput, refused);
  }
  oversight::Finding& f = current.finding;
  RETURN_IF_ERROR(oversight::Apply(f, step, now, text, to, due));
  store::OversightItem row = *item;
  row.state = std::string(FindingStateName(f.state));
  row.body = oversight::WriteFinding(f);
  row.updated_at = now;
  const access::AuditEntry audit{
      0, now, by, address, "oversight.finding", f.id, f.region, "ok", std::string(oversight::StepName(step))};
  const store::OversightItem saved = TRY(
      store.SaveItem(row, {f.id, 0, now, by, std::string(oversight::StepName(step)), row.state, text}, nullptr, audit));
  return FromItem(saved);
}

Result<std::vector<StoredFinding>> ListFindings(store::Store& store, std::string_view election,
                                                std::string_view region) {
  std::vector<StoredFinding> out;
  RETURN_IF_ERROR(store.ForEachItem(election, "finding", region, [&](const store::OversightItem& item) -> Status {
    out.push_back(TRY(FromItem(item)));
    return {};
  }));
  return out;
}

std::string FindingsCsv(const std::vector<StoredFinding>& findings, int64_t now) {
  std::string out =
      "number,id,state,category,severity,region,node,title,deadline,recommended_to,due,overdue,created_at\n";
  auto time = [](int64_t t) { return t ? FormatInstant(t, 7 * 60) : std::string(); };
  for (const StoredFinding& s : findings) {
    const oversight::Finding& f = s.finding;
    const std::string to = f.recommendation ? f.recommendation->to : "";
    const int64_t due = f.recommendation ? f.recommendation->due : 0;
    for (const std::string& field :
         {f.number, f.id, std::string(FindingStateName(f.state)), std::string(CategoryName(f.category)),
          std::string(SeverityName(f.severity)), f.region, f.node, f.title, time(f.deadline), to, time(due),
          std::string(oversight::Overdue(f, now) ? "yes" : "no")}) {
      AppendCsvField(out, field);
      out += ',';
    }
    out += time(f.created_at) + "\n";
  }
  return out;
}

Result<oversight::Action> CreateAction(store::Store& store, oversight::Action a, const std::string& by,
                                       const std::string& address, int64_t now) {
  ProblemList problems;
  for (const auto& [field, value] : {std::pair{"election", &a.election}, std::pair{"region", &a.region},
                                     std::pair{"title", &a.title}, std::pair{"owner", &a.owner}}) {
    if (value->empty()) problems.Add("action", field, "required field is missing");
  }
  if (a.due == 0) problems.Add("action", "due", "required field is missing");
  for (const std::string& id : a.findings) {
    auto found = LoadFinding(store, id);
    if (!found.ok()) problems.Add("action", "findings", found.error().message());
  }
  if (!problems.empty()) return problems.ToError("the action was refused");
  if (a.id.empty()) a.id = RandomUuid();
  a.number.clear();
  store::OversightItem item{a.id,
                            a.election,
                            "action",
                            "",
                            a.region,
                            std::string(ActionStatusName(a.status)),
                            oversight::WriteAction(a),
                            0,
                            now,
                            now,
                            RegencyOf(a.region),
                            std::stoi(FormatInstant(now, 7 * 60).substr(0, 4))};
  const access::AuditEntry audit{0, now, by, address, "oversight.action", a.id, a.region, "ok", "created"};
  const store::OversightItem saved = TRY(store.SaveItem(
      item, {a.id, 0, now, by, "create", item.state, a.title},
      [&](store::OversightItem& row, int64_t serial) {
        a.number = oversight::ActionNumber(serial, row.regency, now);
        row.number = a.number;
        row.body = oversight::WriteAction(a);
      },
      audit));
  return oversight::ParseAction("action " + saved.id, saved.body);
}

Result<oversight::Action> UpdateAction(store::Store& store, std::string_view id, oversight::ActionStatus status,
                                       const std::string& note, const std::string& by, const std::string& address,
                                       int64_t now) {
  const auto item = TRY(store.FindItem(id));
  if (!item || item->kind != "action") return NotFound("there is no action " + std::string(id));
  oversight::Action a = TRY(oversight::ParseAction("action " + item->id, item->body));
  a.status = status;
  if (!note.empty()) a.note = note;
  store::OversightItem row = *item;
  row.state = std::string(ActionStatusName(status));
  row.body = oversight::WriteAction(a);
  row.updated_at = now;
  const access::AuditEntry audit{0, now, by, address, "oversight.action", a.id, a.region, "ok", row.state};
  const store::OversightItem saved =
      TRY(store.SaveItem(row, {a.id, 0, now, by, "status", row.state, note}, nullptr, audit));
  return oversight::ParseAction("action " + saved.id, saved.body);
}

Result<std::vector<oversight::Action>> ListActions(store::Store& store, std::string_view election,
                                                   std::string_view region) {
  std::vector<oversight::Action> out;
  RETURN_IF_ERROR(store.ForEachItem(election, "action", region, [&](const store::OversightItem& item) -> Status {
    out.push_back(TRY(oversight::ParseAction("action " + item.id, item.body)));
    return {};
  }));
  return out;
}

Result<Evaluation> Evaluate(store::Store& store, std::string_view election, std::string_view region,
                            std::string_view stage, int64_t voting_day, int64_t now) {
  Evaluation out;
  out.categories.resize(oversight::kCategories + 1);
  std::vector<std::vector<double>> days(oversight::kCategories + 1);
  for (int c = 0; c < oversight::kCategories; ++c) {
    out.categories[c].category = std::string(oversight::CategoryName(static_cast<oversight::Category>(c)));
  }
  out.categories.back().category = "total";
  for (const StoredFinding& s : TRY(ListFindings(store, election, region))) {
    const oversight::Finding& f = s.finding;
    if (!stage.empty() && f.stage != stage) continue;
    if (f.state == oversight::FindingState::kDraft) continue;  // not yet a finding of record
    int64_t closed_at = 0;
    if (f.state == oversight::FindingState::kClosed) {
      for (const store::OversightEvent& e : TRY(store.ItemEvents(f.id))) {
        if (e.action == "close") closed_at = e.at;
      }
    }
    for (size_t row : {static_cast<size_t>(f.category), out.categories.size() - 1}) {
      EvaluationRow& r = out.categories[row];
      ++r.findings;
      if (f.state == oversight::FindingState::kClosed) {
        ++r.closed;
        days[row].push_back(static_cast<double>(closed_at - f.created_at) / 86400.0);
        if (closed_at < voting_day) ++r.closed_before_voting;
      } else if (f.state == oversight::FindingState::kEscalated) {
        ++r.escalated;
      } else {
        ++r.open;
      }
      if (oversight::Overdue(f, now)) ++r.overdue;
    }
  }
  for (size_t row = 0; row < days.size(); ++row) {
    std::vector<double>& d = days[row];
    if (d.empty()) continue;
    std::sort(d.begin(), d.end());
    out.categories[row].median_days_to_close =
        d.size() % 2 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2;
  }
  for (const oversight::Action& a : TRY(ListActions(store, election, region))) {
    if (!stage.empty() && a.stage != stage) continue;
    ++out.actions;
    (a.status == oversight::ActionStatus::kDone         ? out.actions_done
     : a.status == oversight::ActionStatus::kInProgress ? out.actions_in_progress
                                                        : out.actions_open) += 1;
    if (a.status != oversight::ActionStatus::kDone && a.due < now) ++out.actions_late;
  }
  return out;
}

Result<std::vector<oversight::TpsVulnerability>> AssessVulnerability(
    store::Store& store, const readiness::Board& board, int64_t clock, std::string_view election,
    std::string_view region, const std::vector<std::pair<std::string, std::string>>& mapped) {
  using readiness::Problem;
  const geo::RegionSet& regions = board.regions();
  const int32_t top = region.empty() ? -1 : regions.Find(region);
  if (!region.empty() && top < 0) return NotFound("region: there is no region " + std::string(region));
  std::map<std::string, std::vector<std::string>> found;
  for (const FoundDiscrepancy& d : TRY(FindDiscrepancies(store, election, region))) {
    found[d.code].push_back("logistik_temuan_pengawas");
  }
  for (const auto& [tps, indicator] : mapped) found[tps].push_back(indicator);
  // The stored projection's TPS likely to be late (docs/simulation.md).
  for (const store::TpsRisk& risk : TRY(store.TpsRisks(election, region, kRiskyLate, 0))) {
    found[risk.tps].push_back("logistik_risiko_terlambat");
  }
  std::vector<oversight::TpsVulnerability> out;
  for (size_t t = 0; t < board.tps_count(); ++t) {
    const geo::Tps& tps = board.tps(t);
    if (top >= 0 && tps.village != top && !regions.Within(tps.village, top)) continue;
    oversight::TpsVulnerability v{geo::TpsCode(regions, tps), {}, 0};
    const readiness::ProblemMask mask = board.ProblemsOf(t, clock);
    auto has = [&](Problem p) { return (mask & readiness::Bit(p)) != 0; };
    if (has(Problem::kShort) || has(Problem::kExcess)) v.indicators.push_back("logistik_kekurangan_kelebihan");
    if (has(Problem::kWrongVariant)) v.indicators.push_back("logistik_tertukar");
    if (has(Problem::kLate) || has(Problem::kNotDelivered)) v.indicators.push_back("logistik_terlambat");
    if (has(Problem::kDamaged) || has(Problem::kUnsealed)) v.indicators.push_back("logistik_rusak");
    if (has(Problem::kMisrouted)) v.indicators.push_back("logistik_salah_alamat");
    if (tps.access == geo::Access::kRiver || tps.access == geo::Access::kSea || tps.access == geo::Access::kAir ||
        tps.access == geo::Access::kFoot) {
      v.indicators.push_back("lokasi_sulit_dijangkau");
    }
    if (tps.travel_hours > 6) v.indicators.push_back("lokasi_perjalanan_jauh");
    if (auto it = found.find(v.tps); it != found.end()) {
      v.indicators.insert(v.indicators.end(), it->second.begin(), it->second.end());
    }
    out.push_back(std::move(v));
  }
  return oversight::Rank(std::move(out));
}

}  // namespace tepat::app
