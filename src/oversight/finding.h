// Findings (temuan, Bawaslu's Form B.2) and their follow-up: a finding is raised from a discrepancy or by hand, is
// registered, gets a recommendation (saran perbaikan) addressed to a KPU unit, which answers and records its
// follow-up (tindak lanjut), and is closed or escalated. Each step is kept with who and when (the store's events).
// Also the actions of a follow-up plan (RTL, rencana tindak lanjut). Pure: the rules, not the storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "oversight/crosscheck.h"

namespace tepat::oversight {

enum class Category {
  kShortage,          // kekurangan
  kExcess,            // kelebihan
  kSwappedBallots,    // surat suara tertukar
  kDamage,            // rusak
  kLate,              // terlambat
  kUnsealed,          // tidak tersegel
  kWrongDestination,  // salah alamat
  kStorageSecurity,   // keamanan penyimpanan
  kProcedure,         // prosedur
};
inline constexpr int kCategories = 9;
std::string_view CategoryName(Category category);
std::optional<Category> ParseCategory(std::string_view name);

enum class Severity { kLow, kMedium, kHigh };
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

enum class FindingState { kDraft, kRegistered, kRecommended, kAnswered, kFollowedUp, kClosed, kEscalated };
inline constexpr int kFindingStates = 7;
std::string_view FindingStateName(FindingState state);
std::optional<FindingState> ParseFindingState(std::string_view name);

// What moves a finding along, and who may: Bawaslu registers, recommends, closes and escalates; KPU (the unit the
// recommendation is addressed to) answers and records its follow-up.
enum class Step { kRegister, kRecommend, kAnswer, kFollowUp, kClose, kEscalate };
std::string_view StepName(Step step);
std::optional<Step> ParseStep(std::string_view name);
bool StepIsKpus(Step step);

struct Recommendation {
  std::string to;  // the KPU unit: kpu:35.78, ppk:35.78.01, ...
  std::string text;
  int64_t due = 0;  // when the answer is due
  int64_t issued_at = 0;
  std::string answer;
  int64_t answered_at = 0;
  std::string follow_up;
  int64_t followed_up_at = 0;
};

struct Finding {
  std::string id;
  std::string election;
  std::string number;  // NNN/TM/PM.01.02/REGENCY/MM/YYYY, given when saved
  std::string region;  // where: a region or TPS code, the scope it falls in
  std::string node;    // the node it concerns, if one
  std::string stage;   // the stage of logistics, as a report's
  Category category = Category::kProcedure;
  Severity severity = Severity::kMedium;
  std::string title;
  std::string description;
  std::vector<std::string> evidence;  // "report:ID", "document:ID", "attachment:SHA256"
  std::string reported_party;         // the unit the finding concerns (Form B.2: pihak terlapor)
  int64_t deadline = 0;               // the finding's time limit
  FindingState state = FindingState::kDraft;
  int64_t created_at = 0;
  std::string created_by;
  std::optional<Recommendation> recommendation;
};

// The finding a discrepancy makes: its category, its evidence (the report and the KPU document), a title, the stage
// of the report that found it.
Finding FindingOf(const Discrepancy& discrepancy, std::string_view tps_or_node, std::string_view report_number,
                  std::string_view stage);

// Applies `step` at `now`: the state it moves to and what it records. `text` is the recommendation, answer,
// follow-up or note; `to` and `due` the recommendation's addressee and due time. Refused, with the reason, when the
// state does not allow the step or a field is missing.
Status Apply(Finding& finding, Step step, int64_t now, const std::string& text, const std::string& to = "",
             int64_t due = 0);

// Whether the recommendation's answer is overdue at `now`.
bool Overdue(const Finding& finding, int64_t now);

std::string WriteFinding(const Finding& finding);
Result<Finding> ParseFinding(std::string_view where, std::string_view json);
// Finding numbers (temuan), per regency and year like Form A's.
std::string FindingNumber(int64_t serial, std::string_view regency, int64_t at_seconds);

// An action of a follow-up plan (RTL): who does what by when, linked to the findings it answers.
enum class ActionStatus { kOpen, kInProgress, kDone };
std::string_view ActionStatusName(ActionStatus status);
std::optional<ActionStatus> ParseActionStatus(std::string_view name);

struct Action {
  std::string id;
  std::string election;
  std::string number;  // RTL/REGENCY/YYYY/NNN
  std::string region;
  std::string stage;
  std::string title;
  std::string owner;  // who carries it out: a unit or a person
  int64_t due = 0;
  ActionStatus status = ActionStatus::kOpen;
  std::vector<std::string> findings;  // finding ids
  std::string note;
};
std::string WriteAction(const Action& action);
Result<Action> ParseAction(std::string_view where, std::string_view json);
std::string ActionNumber(int64_t serial, std::string_view regency, int64_t at_seconds);

}  // namespace tepat::oversight
