// Formatting of errors and problems, and the problem list.
#include "common/result.h"

namespace tepat {

std::string Problem::ToString() const {
  std::string out = where;
  if (!column.empty()) out += ": " + column;
  out += ": " + reason;
  return out;
}

std::string Error::ToString() const {
  std::string out = message_;
  for (const Problem& problem : problems_) out += "\n" + problem.ToString();
  if (problem_count_ > problems_.size()) {
    out += "\n... and " + std::to_string(problem_count_ - problems_.size()) + " more problems";
  }
  return out;
}

Error InvalidInput(std::string message) { return Error(ErrorKind::kInvalidInput, std::move(message)); }
Error NotFound(std::string message) { return Error(ErrorKind::kNotFound, std::move(message)); }

Error Conflict(std::string message) { return Error(ErrorKind::kConflict, std::move(message)); }
Error PermissionDenied(std::string message) { return Error(ErrorKind::kPermissionDenied, std::move(message)); }
Error StorageError(std::string message) { return Error(ErrorKind::kStorage, std::move(message)); }
Error IoError(std::string message) { return Error(ErrorKind::kIo, std::move(message)); }

void ProblemList::Add(std::string where, std::string column, std::string reason) {
  ++count_;
  if (problems_.size() < kLimit) problems_.push_back({std::move(where), std::move(column), std::move(reason)});
}

void ProblemList::Merge(const Error& error) {
  if (error.problems().empty()) return Add("", "", error.message());
  for (const Problem& p : error.problems()) Add(p.where, p.column, p.reason);
  count_ += error.problem_count() - error.problems().size();
}

void ProblemList::AddAt(std::string_view file, size_t line, std::string column, std::string reason) {
  ++count_;
  if (problems_.size() < kLimit) {
    problems_.push_back({std::string(file) + ":" + std::to_string(line), std::move(column), std::move(reason)});
  }
}

Error ProblemList::ToError(std::string message) const {
  std::string summary = std::move(message) + " (" + std::to_string(count_) + (count_ == 1 ? " problem" : " problems");
  if (count_ > problems_.size()) summary += ", the first " + std::to_string(problems_.size()) + " listed";
  summary += ")";
  return Error(ErrorKind::kInvalidInput, std::move(summary), problems_, count_);
}

}  // namespace tepat
