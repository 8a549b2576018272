// The rules of findings and follow-up plans, and their JSON.
#include "oversight/finding.h"


#include <algorithm>
#include <cstdio>

#include "common/json.h"
#include "common/time.h"
#include "ledger/node.h"

namespace tepat::oversight {

namespace {

constexpr std::string_view kCategoryNames[kCategories] = {
    "shortage",          "excess",           "swapped_ballots", "damage", "late", "unsealed",
    "wrong_destination", "storage_security", "procedure"};
constexpr std::string_view kSeverityNames[] = {"low", "medium", "high"};
constexpr std::string_view kStateNames[kFindingStates] = {"draft",       "registered", "recommended", "answered",
                                                          "followed_up", "closed",     "escalated"};
constexpr std::string_view kStepNames[] = {"register", "recommend", "answer", "follow_up", "close", "escalate"};
constexpr std::string_view kActionStatusNames[] = {"open", "in_progress", "done"};

template <class E, size_t N>
std::optional<E> Find(const std::string_view (&names)[N], std::string_view name) {
  auto found = std::find(std::begin(names), std::end(names), name);
  if (found == std::end(names)) return std::nullopt;
  return static_cast<E>(found - std::begin(names));
}

std::string Names(const std::string_view* names, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

using json::Reader;
using json::Str;
using json::Value;

// A time field written as ISO 8601 in WIB, read back to seconds; 0 is left out.
void Time(json::Writer& w, std::string_view key, int64_t seconds) {
  if (seconds != 0) Str(w, key, FormatInstant(seconds, 7 * 60), true);
}
int64_t ReadTime(Reader& r, const Value& object, const std::string& prefix, const char* key, bool required) {
  const std::string text = r.String(object, prefix, key, required);
  if (text.empty()) return 0;
  std::optional<int64_t> seconds = ParseInstant(text);
  if (!seconds) {
    r.Problem(prefix + key, "expected a time with its offset, like 2024-02-13T10:30:00+07:00");
  } else if (*seconds <= 0) {
    r.Problem(prefix + key, "expected a time after 1970-01-01T00:00:00Z");  // 0 stands for none
  } else {
    return *seconds;
  }
  return 0;
}

Result<rapidjson::Document> ParseObject(std::string_view where, std::string_view text) {
  rapidjson::Document root = TRY(json::Parse(where, text));
  if (!root.IsObject()) return InvalidInput(std::string(where) + ": expected a JSON object");
  return root;
}

}  // namespace

std::string_view CategoryName(Category c) { return kCategoryNames[static_cast<int>(c)]; }
std::optional<Category> ParseCategory(std::string_view name) { return Find<Category>(kCategoryNames, name); }
std::string_view SeverityName(Severity s) { return kSeverityNames[static_cast<int>(s)]; }
std::optional<Severity> ParseSeverity(std::string_view name) { return Find<Severity>(kSeverityNames, name); }
std::string_view FindingStateName(FindingState s) { return kStateNames[static_cast<int>(s)]; }
std::optional<FindingState> ParseFindingState(std::string_view name) { return Find<FindingState>(kStateNames, name); }
std::string_view StepName(Step s) { return kStepNames[static_cast<int>(s)]; }
std::optional<Step> ParseStep(std::string_view name) { return Find<Step>(kStepNames, name); }
bool StepIsKpus(Step step) { return step == Step::kAnswer || step == Step::kFollowUp; }
std::string_view ActionStatusName(ActionStatus s) { return kActionStatusNames[static_cast<int>(s)]; }
std::optional<ActionStatus> ParseActionStatus(std::string_view name) {
  return Find<ActionStatus>(kActionStatusNames, name);
}

Finding FindingOf(const Discrepancy& d, std::string_view tps_or_node, std::string_view report_number,
                  std::string_view stage) {
  Finding f;
  f.node = d.node;
  // A TPS's code, or the region of a KPU, PPK or PPS node (kpu:35.78 → 35.78); a vendor's has none.
  const size_t colon = tps_or_node.find(':');
  f.region = colon == std::string_view::npos      ? std::string(tps_or_node)
             : tps_or_node.starts_with("vendor:") ? ""
                                                  : std::string(tps_or_node.substr(colon + 1));
  f.stage = std::string(stage);
  switch (d.kind) {
    case DiscrepancyKind::kCountMismatch:
      f.category = d.observed < d.recorded ? Category::kShortage : Category::kExcess;
      f.title = "Jumlah " + d.subject + " di " + d.node + " " + std::to_string(d.observed) + ", tercatat " +
                std::to_string(d.recorded);
      break;
    case DiscrepancyKind::kVariantMismatch:
      f.category = Category::kSwappedBallots;
      f.title = "Surat suara tertukar di " + d.node + ": " + d.subject;
      break;
    case DiscrepancyKind::kSealBroken:
      f.category = Category::kUnsealed;
      f.title = "Segel " + d.subject + " di " + d.node + " rusak, tercatat utuh";
      break;
    case DiscrepancyKind::kNotReceived:
      f.category = Category::kShortage;
      f.severity = Severity::kHigh;
      f.title = "Kit " + d.subject + " tercatat diterima di " + d.node + " tetapi tidak ada";
      break;
  }
  f.description = "Dari laporan hasil pengawasan " + std::string(report_number) + ": " +
                  std::string(DiscrepancyName(d.kind)) + " pada " + d.subject + ".";
  f.evidence.push_back("report:" + d.report);
  if (!d.document.empty()) f.evidence.push_back("document:" + d.document);
  return f;
}

Status Apply(Finding& f, Step step, int64_t now, const std::string& text, const std::string& to, int64_t due) {
  using S = FindingState;
  auto refuse = [&](std::string why) {
    return InvalidInput(std::string(StepName(step)) + ": finding " + (f.number.empty() ? f.id : f.number) + " is " +
                        std::string(FindingStateName(f.state)) + "; " + why);
  };
  switch (step) {
    case Step::kRegister:
      if (f.state != S::kDraft) return refuse("only a draft is registered");
      f.state = S::kRegistered;
      return {};
    case Step::kRecommend:
      if (f.state != S::kRegistered) return refuse("a recommendation follows registration");
      if (to.empty() || text.empty()) return InvalidInput("recommend: give the KPU unit (to) and the text");
      if (const auto unit = ledger::ParseNode(to);
          !unit || unit->kind < ledger::NodeKind::kKpu || unit->kind > ledger::NodeKind::kKpps) {
        return InvalidInput(
            "to: a recommendation is addressed to a KPU unit (kpu, kpu:35, kpu:35.78, ppk:35.78.01, "
            "pps:..., kpps:...), not " +
            to);
      }
      if (due != 0 && due <= now) return InvalidInput("recommend: the due time must be after now");
      f.recommendation = Recommendation{to, text, due, now, "", 0, "", 0};
      f.state = S::kRecommended;
      return {};
    case Step::kAnswer:
      if (f.state != S::kRecommended) return refuse("only a recommendation issued is answered");
      if (text.empty()) return InvalidInput("answer: give the answer");
      f.recommendation->answer = text;
      f.recommendation->answered_at = now;
      f.state = S::kAnswered;
      return {};
    case Step::kFollowUp:
      if (f.state != S::kAnswered) return refuse("the follow-up comes after the answer");
      if (text.empty()) return InvalidInput("follow_up: say what was done");
      f.recommendation->follow_up = text;
      f.recommendation->followed_up_at = now;
      f.state = S::kFollowedUp;
      return {};
    case Step::kClose:
      if (f.state == S::kClosed || f.state == S::kEscalated || f.state == S::kDraft) {
        return refuse("only a registered finding still open is closed");
      }
      if (text.empty()) return InvalidInput("close: say why it is closed");
      f.state = S::kClosed;
      return {};
    case Step::kEscalate:
      if (f.state == S::kClosed || f.state == S::kEscalated || f.state == S::kDraft) {
        return refuse("only a registered finding still open is escalated");
      }
      if (text.empty()) return InvalidInput("escalate: say why and to whom");
      f.state = S::kEscalated;
      return {};
  }
  return {};
}

bool Overdue(const Finding& f, int64_t now) {
  return f.state == FindingState::kRecommended && f.recommendation && f.recommendation->due != 0 &&
         f.recommendation->due < now;
}

std::string WriteFinding(const Finding& f) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  Str(w, "id", f.id, true);
  Str(w, "election", f.election, true);
  Str(w, "number", f.number);
  Str(w, "region", f.region);
  Str(w, "node", f.node);
  Str(w, "stage", f.stage);
  Str(w, "category", CategoryName(f.category), true);
  Str(w, "severity", SeverityName(f.severity), true);
  Str(w, "title", f.title, true);
  Str(w, "description", f.description);
  if (!f.evidence.empty()) {
    json::Key(w, "evidence");
    w.StartArray();
    for (const std::string& e : f.evidence) w.String(e.c_str(), static_cast<rapidjson::SizeType>(e.size()));
    w.EndArray();
  }
  Str(w, "reported_party", f.reported_party);
  Time(w, "deadline", f.deadline);
  Str(w, "state", FindingStateName(f.state), true);
  Time(w, "created_at", f.created_at);
  Str(w, "created_by", f.created_by);
  if (f.recommendation) {
    const Recommendation& r = *f.recommendation;
    json::Key(w, "recommendation");
    w.StartObject();
    Str(w, "to", r.to, true);
    Str(w, "text", r.text, true);
    Time(w, "due", r.due);
    Time(w, "issued_at", r.issued_at);
    Str(w, "answer", r.answer);
    Time(w, "answered_at", r.answered_at);
    Str(w, "follow_up", r.follow_up);
    Time(w, "followed_up_at", r.followed_up_at);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<Finding> ParseFinding(std::string_view where, std::string_view text) {
  const rapidjson::Document root = TRY(ParseObject(where, text));
  ProblemList problems;
  Reader r(where, problems);
  Finding f;
  r.Keys(root, "",
         {"id", "election", "number", "region", "node", "stage", "category", "severity", "title", "description",
          "evidence", "reported_party", "deadline", "state", "created_at", "created_by", "recommendation"});
  f.id = r.String(root, "", "id", true);
  f.election = r.String(root, "", "election", true);
  f.number = r.String(root, "", "number", false);
  f.region = r.String(root, "", "region", false);
  f.node = r.String(root, "", "node", false);
  f.stage = r.String(root, "", "stage", false);
  const std::string category = r.String(root, "", "category", true);
  if (auto c = ParseCategory(category)) {
    f.category = *c;
  } else if (!category.empty()) {
    r.Problem("category", "expected one of " + Names(kCategoryNames, kCategories));
  }
  const std::string severity = r.String(root, "", "severity", false);
  if (auto s = ParseSeverity(severity)) {
    f.severity = *s;
  } else if (!severity.empty()) {
    r.Problem("severity", "expected low, medium or high");
  }
  f.title = r.String(root, "", "title", true, 300);
  f.description = r.String(root, "", "description", false, 10'000);
  r.Array(root, "", "evidence", false, [&](const Value& v, const std::string& at) {
    if (!v.IsString()) return r.Problem(at, "expected a text like report:ID or document:ID");
    f.evidence.emplace_back(v.GetString(), v.GetStringLength());
  });
  f.reported_party = r.String(root, "", "reported_party", false);
  f.deadline = ReadTime(r, root, "", "deadline", false);
  const std::string state = r.String(root, "", "state", false);
  if (auto s = ParseFindingState(state)) {
    f.state = *s;
  } else if (!state.empty()) {
    r.Problem("state", "expected one of " + Names(kStateNames, kFindingStates));
  }
  f.created_at = ReadTime(r, root, "", "created_at", false);
  f.created_by = r.String(root, "", "created_by", false);
  if (auto it = root.FindMember("recommendation"); it != root.MemberEnd() && it->value.IsObject()) {
    const Value& v = it->value;
    const std::string p = "recommendation.";
    f.recommendation = Recommendation{r.String(v, p, "to", true),         r.String(v, p, "text", true, 10'000),
                                      ReadTime(r, v, p, "due", false),    ReadTime(r, v, p, "issued_at", false),
                                      r.String(v, p, "answer", false),    ReadTime(r, v, p, "answered_at", false),
                                      r.String(v, p, "follow_up", false), ReadTime(r, v, p, "followed_up_at", false)};
  }
  if (!problems.empty()) return problems.ToError(std::string(where) + ": the finding was refused");
  return f;
}

std::string FindingNumber(int64_t serial, std::string_view regency, int64_t at_seconds) {
  return SupervisionNumber("TM", serial, regency, at_seconds);
}

std::string WriteAction(const Action& a) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  Str(w, "id", a.id, true);
  Str(w, "election", a.election, true);
  Str(w, "number", a.number);
  Str(w, "region", a.region);
  Str(w, "stage", a.stage);
  Str(w, "title", a.title, true);
  Str(w, "owner", a.owner, true);
  Time(w, "due", a.due);
  Str(w, "status", ActionStatusName(a.status), true);
  if (!a.findings.empty()) {
    json::Key(w, "findings");
    w.StartArray();
    for (const std::string& f : a.findings) w.String(f.c_str(), static_cast<rapidjson::SizeType>(f.size()));
    w.EndArray();
  }
  Str(w, "note", a.note);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<Action> ParseAction(std::string_view where, std::string_view text) {
  const rapidjson::Document root = TRY(ParseObject(where, text));
  ProblemList problems;
  Reader r(where, problems);
  Action a;
  r.Keys(root, "",
         {"id", "election", "number", "region", "stage", "title", "owner", "due", "status", "findings", "note"});
  a.id = r.String(root, "", "id", true);
  a.election = r.String(root, "", "election", true);
  a.number = r.String(root, "", "number", false);
  a.region = r.String(root, "", "region", false);
  a.stage = r.String(root, "", "stage", false);
  a.title = r.String(root, "", "title", true, 300);
  a.owner = r.String(root, "", "owner", true);
  a.due = ReadTime(r, root, "", "due", true);
  const std::string status = r.String(root, "", "status", false);
  if (auto s = ParseActionStatus(status)) {
    a.status = *s;
  } else if (!status.empty()) {
    r.Problem("status", "expected open, in_progress or done");
  }
  r.Array(root, "", "findings", false, [&](const Value& v, const std::string& at) {
    if (!v.IsString()) return r.Problem(at, "expected a finding id");
    a.findings.emplace_back(v.GetString(), v.GetStringLength());
  });
  a.note = r.String(root, "", "note", false, 10'000);
  if (!problems.empty()) return problems.ToError(std::string(where) + ": the action was refused");
  return a;
}

std::string ActionNumber(int64_t serial, std::string_view regency, int64_t at_seconds) {
  const std::string when = FormatInstant(at_seconds, 7 * 60);
  char out[96];
  std::snprintf(out, sizeof out, "RTL/%s/%s/%03lld", std::string(regency).c_str(), when.substr(0, 4).c_str(),
                static_cast<long long>(serial));
  return out;
}

}  // namespace tepat::oversight
