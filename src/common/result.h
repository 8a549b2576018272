// The one error type of tepat. Expected failures (bad input, a missing record, a storage error) are values of
// Result<T> or Status, never exceptions; exceptions are left for bugs that end the program.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tepat {

enum class ErrorKind { kInvalidInput, kNotFound, kConflict, kPermissionDenied, kIo, kStorage, kInternal };

// One thing wrong with an input, located as precisely as the input allows: "FILE:LINE" with a column, or a JSON
// field. Printed as "FILE:LINE: column: reason".
struct Problem {
  std::string where;
  std::string column;
  std::string reason;

  std::string ToString() const;
};

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  Error(ErrorKind kind, std::string message, std::vector<Problem> problems, size_t problem_count)
      : kind_(kind), message_(std::move(message)), problems_(std::move(problems)), problem_count_(problem_count) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // The problems listed (at most the first 50), and how many were found in all.
  const std::vector<Problem>& problems() const { return problems_; }
  size_t problem_count() const { return problem_count_; }

  // The message followed by one line per listed problem, and a line saying how many were left out.
  std::string ToString() const;

 private:
  ErrorKind kind_;
  std::string message_;
  std::vector<Problem> problems_;
  size_t problem_count_ = 0;
};

Error InvalidInput(std::string message);
Error NotFound(std::string message);
Error Conflict(std::string message);
// Who asks may not do this (the server answers 403).
Error PermissionDenied(std::string message);
Error StorageError(std::string message);
Error IoError(std::string message);

// The result of an operation that returns nothing on success.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit so that `return SomeError(...)` reads well.

  bool ok() const { return !error_.has_value(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Collects the problems of one input while counting all of them; keeps the first kLimit.
class ProblemList {
 public:
  static constexpr size_t kLimit = 50;

  void Add(std::string where, std::string column, std::string reason);
  void AddAt(std::string_view file, size_t line, std::string column, std::string reason);
  // Adds the problems of an error (its message when it lists none), counting those it left out.
  void Merge(const Error& error);
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  // Whether more problems would only be counted, not listed.
  bool full() const { return problems_.size() >= kLimit; }
  Error ToError(std::string message) const;

 private:
  std::vector<Problem> problems_;
  size_t count_ = 0;
};

}  // namespace tepat

// TRY(expr) evaluates a Result<T>; on error it returns the error from the enclosing function, otherwise it yields
// the value. RETURN_IF_ERROR(expr) does the same for a Status. (GNU statement expressions, as in SerenityOS.)
#define TRY(expression)                        \
  ({                                           \
    auto _tepat_result = (expression);         \
    if (!_tepat_result.ok()) {                 \
      return std::move(_tepat_result).error(); \
    }                                          \
    std::move(_tepat_result).value();          \
  })

#define RETURN_IF_ERROR(expression)            \
  do {                                         \
    auto _tepat_status = (expression);         \
    if (!_tepat_status.ok()) {                 \
      return std::move(_tepat_status).error(); \
    }                                          \
  } while (false)
