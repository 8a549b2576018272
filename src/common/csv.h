// The one CSV reader of tepat: RFC 4180 fields over text held in memory, with a header that names the columns.
// A UTF-8 byte order mark and CRLF line ends are accepted; every row knows the line it started on. And the writer
// whose rows read back as they were written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tepat {

class CsvReader {
 public:
  // `text` must outlive the reader and the fields it returns. A byte order mark is skipped only at the very start of
  // `text`, outside quotes: a quoted first field keeps the bytes EF BB BF it starts with.
  explicit CsvReader(std::string_view text);

  // Reads the next row into `fields`. Returns false at the end of the text. Blank lines are skipped. The views stay
  // valid until the next call. An unterminated quote is reported through `error()`.
  bool Next(std::vector<std::string_view>& fields);
  // The line the last row started on (1-based).
  size_t line() const { return row_line_; }
  // Set when the last row was malformed (for example an unterminated quote); empty otherwise.
  const std::string& error() const { return error_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t next_line_ = 1;
  size_t row_line_ = 0;
  std::string error_;
  std::string scratch_;
};

// The columns of a CSV file, bound from its header row against the columns a format requires and allows.
class CsvHeader {
 public:
  // Checks the header: every required column present, no unknown (unless `ignore_unknown`: a file exported by
  // another system, with columns tepat does not read) or repeated column. Problems go to `problems` located at line
  // 1 of `file`.
  static CsvHeader Bind(std::string_view file, const std::vector<std::string_view>& header,
                        const std::vector<std::string_view>& required, const std::vector<std::string_view>& optional,
                        ProblemList& problems, bool ignore_unknown = false);

  // The position of `column` in a row, or -1 when the file does not have it.
  int index(std::string_view column) const;
  size_t width() const { return width_; }

 private:
  std::vector<std::pair<std::string, int>> columns_;
  size_t width_ = 0;
};

// Reads a whole decimal integer (an optional leading '-', digits only). Returns false on anything else or overflow.
bool ParseInt(std::string_view text, int64_t& value);
// Reads a decimal number such as "2", "2.5" or "0.75"; "nan" and "inf" are not numbers here.
bool ParseDecimal(std::string_view text, double& value);

// Appends a CSV field, quoted when it holds a comma, a quote or a line break, or starts with the bytes of a byte
// order mark (which the reader would skip at the start of a file).
void AppendCsvField(std::string& out, std::string_view field);
// Appends a row of fields and its line end. A row of one empty field is written `""`, not as a blank line, which the
// reader would skip.
void AppendCsvRow(std::string& out, const std::vector<std::string_view>& fields);

}  // namespace tepat
