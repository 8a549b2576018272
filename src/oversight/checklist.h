// Bawaslu's stage checklists (alat kerja pengawasan): versioned data files, one per stage, in
// oversight/checklists/ and built into the binary. A report answers one checklist at one version, and keeps it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "oversight/report.h"

namespace tepat::oversight {

enum class AnswerKind { kYesNo, kCount, kText };

struct Question {
  std::string id;
  std::string text;     // Indonesian
  std::string text_en;  // English
  AnswerKind answer = AnswerKind::kYesNo;
  std::string principle;  // jumlah, jenis, sasaran, waktu, kualitas, efisiensi, prosedur
};

struct Checklist {
  std::string id;
  int version = 0;
  Stage stage = Stage::kTpsH1;
  std::string title, title_en;
  std::vector<Question> questions;
};

// Reads a checklist file (docs/formats.md, checklists); problems as FILE:LINE: field: reason.
Result<Checklist> ParseChecklist(std::string_view file, std::string_view text);

// The built-in checklists, by stage.
const std::vector<Checklist>& BuiltinChecklists();
// The checklist with this id and version, or NotFound naming the ones there are.
Result<const Checklist*> FindChecklist(std::string_view id, int version);

// Checks a report's answers against the checklist it names: the checklist exists at that version and is the report's
// stage's, every question is answered once, each answer fits its question (ya/tidak, a whole number, a short text).
// Problems name the report's fields (checklist.answers[2].answer).
void CheckAnswers(const Report& report, std::string_view where, ProblemList& problems);

}  // namespace tepat::oversight
