// Text for people: numbers in Indonesian format and columns aligned by what a terminal shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tepat {

// 1234567 → "1.234.567" (Indonesian groups thousands with a dot).
std::string FormatThousands(int64_t value);

// A number as people write it, shortest form: 0.05, 2, 1e+06.
std::string FormatNumber(double value);

// The number of terminal columns `text` takes (UTF-8 code points; no wide characters occur in region names).
size_t DisplayWidth(std::string_view text);

// Appends `text` as a JSON string literal. A byte that is not part of valid UTF-8 is written as U+FFFD, so the
// literal is valid JSON whatever `text` holds.
void AppendJsonString(std::string& out, std::string_view text);

// The length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) at the
// start of `text`, or 0 when it does not start with one.
size_t Utf8SequenceLength(std::string_view text);

// Whether `text` is valid UTF-8 throughout.
bool IsValidUtf8(std::string_view text);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD; valid text comes back unchanged.
std::string ToValidUtf8(std::string_view text);

// A plain-text table: a header row, rows, and numeric columns aligned right.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header, std::vector<bool> right_aligned = {});
  void AddRow(std::vector<std::string> cells);
  // A rule line before the next row (for a totals row).
  void AddRule();
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

}  // namespace tepat
