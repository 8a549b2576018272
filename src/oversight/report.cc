// Reading and writing supervision reports.
#include "oversight/report.h"


#include <algorithm>
#include <cstdio>

#include "common/json.h"
#include "common/time.h"
#include "ledger/document.h"
#include "ledger/node.h"

namespace tepat::oversight {

namespace {

constexpr std::string_view kStageNames[kStages] = {"procurement", "production",   "receipt", "sortir_lipat", "packing",
                                                   "storage",     "distribution", "tps_h1",  "return"};

bool IsSha256(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

using json::Reader;
using json::Value;

}  // namespace

std::string_view StageName(Stage stage) { return kStageNames[static_cast<int>(stage)]; }

std::optional<Stage> ParseStage(std::string_view name) {
  auto found = std::find(std::begin(kStageNames), std::end(kStageNames), name);
  if (found == std::end(kStageNames)) return std::nullopt;
  return static_cast<Stage>(found - std::begin(kStageNames));
}

Result<Report> ParseReport(std::string_view where, std::string_view text) {
  rapidjson::Document root = TRY(json::Parse(where, text));
  ProblemList problems;
  Reader r(where, problems);
  Report report;
  if (!root.IsObject()) {
    r.Problem("", "expected a JSON object");
    return problems.ToError(std::string(where) + ": the report was refused");
  }
  r.Keys(root, "",
         {"id", "kind", "election", "stage", "number", "supervisor", "assignment", "node", "at", "narrative",
          "observed", "kits", "checklist", "attachments"});
  if (const std::string kind = r.String(root, "", "kind", true); !kind.empty() && kind != "supervision_report") {
    r.Problem("kind", "expected \"supervision_report\"");
  }
  report.id = r.String(root, "", "id", true);
  if (!report.id.empty() && !ledger::IsUuid(report.id)) {
    r.Problem("id", "expected a lower-case UUID like 0f8fad5b-d9cb-469f-a165-70867728950e");
  }
  report.election = r.String(root, "", "election", true);
  const std::string stage = r.String(root, "", "stage", true);
  if (auto parsed = ParseStage(stage)) {
    report.stage = *parsed;
  } else if (!stage.empty()) {
    r.Problem(
        "stage",
        "unknown stage \"" + stage +
            "\" (procurement, production, receipt, sortir_lipat, packing, storage, distribution, tps_h1, return)");
  }
  report.number = r.String(root, "", "number", false);
  if (auto it = root.FindMember("supervisor"); it == root.MemberEnd() || !it->value.IsObject()) {
    r.Problem("supervisor", it == root.MemberEnd() ? "required field is missing" : "expected an object");
  } else {
    r.Keys(it->value, "supervisor.", {"name", "position"});
    report.supervisor = {r.String(it->value, "supervisor.", "name", true),
                         r.String(it->value, "supervisor.", "position", true)};
  }
  report.assignment = r.String(root, "", "assignment", true);
  report.node = r.String(root, "", "node", true);
  if (!report.node.empty() && !ledger::ParseNode(report.node)) {
    r.Problem("node",
              "\"" + report.node + "\" is not a node code (kpu:35.78, ppk:35.78.01, kpps:35.78.01.1001.001, ...)");
  }
  report.at = r.String(root, "", "at", true);
  if (!report.at.empty()) {
    if (auto seconds = ParseInstant(report.at)) {
      report.at_seconds = *seconds;
    } else {
      r.Problem("at", "expected a time with its offset, like 2024-02-13T10:30:00+07:00");
    }
  }
  report.narrative = r.String(root, "", "narrative", false, 10'000);
  r.Array(root, "", "observed", false, [&](const Value& v, const std::string& at) {
    if (!v.IsObject()) return r.Problem(at, "expected an object with item and count");
    r.Keys(v, at + ".", {"item", "count"});
    Observed o{r.String(v, at + ".", "item", true), r.Int(v, at + ".", "count", true)};
    for (size_t j = 0; j < report.observed.size(); ++j) {
      if (!o.item.empty() && report.observed[j].item == o.item) {
        r.Problem(at + ".item", "item " + o.item + " is already counted at observed[" + std::to_string(j) + "]");
      }
    }
    report.observed.push_back(std::move(o));
  });
  r.Array(root, "", "kits", false, [&](const Value& v, const std::string& at) {
    if (!v.IsObject()) return r.Problem(at, "expected an object with kit, present and seals");
    r.Keys(v, at + ".", {"kit", "present", "seals"});
    KitSeen kit{r.String(v, at + ".", "kit", true), r.Bool(v, at + ".", "present", true), {}};
    r.Array(v, at + ".", "seals", false, [&](const Value& s, const std::string& seal_at) {
      if (!s.IsObject()) return r.Problem(seal_at, "expected an object with seal and intact");
      r.Keys(s, seal_at + ".", {"seal", "intact"});
      kit.seals.push_back({r.String(s, seal_at + ".", "seal", true), r.Bool(s, seal_at + ".", "intact", true)});
    });
    if (!kit.present && !kit.seals.empty()) r.Problem(at + ".seals", "a kit that is not there has no seals to see");
    report.kits.push_back(std::move(kit));
  });
  if (auto it = root.FindMember("checklist"); it != root.MemberEnd()) {
    if (!it->value.IsObject()) {
      r.Problem("checklist", "expected an object with id, version and answers");
    } else {
      const Value& c = it->value;
      r.Keys(c, "checklist.", {"id", "version", "answers"});
      report.checklist = r.String(c, "checklist.", "id", true);
      report.checklist_version = static_cast<int>(r.Int(c, "checklist.", "version", true));
      r.Array(c, "checklist.", "answers", false, [&](const Value& v, const std::string& at) {
        if (!v.IsObject()) return r.Problem(at, "expected an object with question and answer");
        r.Keys(v, at + ".", {"question", "answer"});
        report.answers.push_back({r.String(v, at + ".", "question", true), r.String(v, at + ".", "answer", true, 500)});
      });
    }
  }
  r.Array(root, "", "attachments", false, [&](const Value& v, const std::string& at) {
    if (!v.IsObject()) return r.Problem(at, "expected an object with name and sha256");
    r.Keys(v, at + ".", {"name", "sha256"});
    Attachment a{r.String(v, at + ".", "name", true), r.String(v, at + ".", "sha256", true)};
    if (!a.sha256.empty() && !IsSha256(a.sha256)) r.Problem(at + ".sha256", "expected 64 lower-case hex digits");
    report.attachments.push_back(std::move(a));
  });
  if (!problems.empty()) return problems.ToError(std::string(where) + ": the report was refused");
  return report;
}

std::string WriteReport(const Report& report) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  using json::Key;
  using json::Str;
  w.StartObject();
  Str(w, "id", report.id, true);
  Str(w, "kind", "supervision_report", true);
  Str(w, "election", report.election, true);
  Str(w, "stage", StageName(report.stage), true);
  Str(w, "number", report.number);
  Key(w, "supervisor");
  w.StartObject();
  Str(w, "name", report.supervisor.name, true);
  Str(w, "position", report.supervisor.position, true);
  w.EndObject();
  Str(w, "assignment", report.assignment, true);
  Str(w, "node", report.node, true);
  Str(w, "at", report.at, true);
  Str(w, "narrative", report.narrative);
  if (!report.observed.empty()) {
    Key(w, "observed");
    w.StartArray();
    for (const Observed& o : report.observed) {
      w.StartObject();
      Str(w, "item", o.item, true);
      json::Int(w, "count", o.count);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!report.kits.empty()) {
    Key(w, "kits");
    w.StartArray();
    for (const KitSeen& kit : report.kits) {
      w.StartObject();
      Str(w, "kit", kit.kit, true);
      Key(w, "present");
      w.Bool(kit.present);
      if (!kit.seals.empty()) {
        Key(w, "seals");
        w.StartArray();
        for (const SealSeen& s : kit.seals) {
          w.StartObject();
          Str(w, "seal", s.seal, true);
          Key(w, "intact");
          w.Bool(s.intact);
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  if (!report.checklist.empty()) {
    Key(w, "checklist");
    w.StartObject();
    Str(w, "id", report.checklist, true);
    json::Int(w, "version", report.checklist_version);
    Key(w, "answers");
    w.StartArray();
    for (const Answer& a : report.answers) {
      w.StartObject();
      Str(w, "question", a.question, true);
      Str(w, "answer", a.answer, true);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  if (!report.attachments.empty()) {
    Key(w, "attachments");
    w.StartArray();
    for (const Attachment& a : report.attachments) {
      w.StartObject();
      Str(w, "name", a.name, true);
      Str(w, "sha256", a.sha256, true);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string SupervisionNumber(std::string_view series, int64_t serial, std::string_view regency, int64_t at_seconds) {
  const std::string when = FormatInstant(at_seconds, 7 * 60);  // 2024-02-13T10:30:00+07:00
  char out[128];
  std::snprintf(out, sizeof out, "%03lld/%.*s/PM.01.02/%.*s/%s/%s", static_cast<long long>(serial),
                static_cast<int>(series.size()), series.data(), static_cast<int>(regency.size()), regency.data(),
                when.substr(5, 2).c_str(), when.substr(0, 4).c_str());
  return out;
}

std::string ReportNumber(int64_t seq, std::string_view regency, int64_t at_seconds) {
  return SupervisionNumber("LHP", seq, regency, at_seconds);
}

}  // namespace tepat::oversight
