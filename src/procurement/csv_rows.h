// The rows of procurement's CSV files: each field checked where it is read, every problem located as
// FILE:LINE: column: reason, the whole file read before any record is kept (docs/formats.md §15).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "common/result.h"
#include "common/text.h"
#include "common/time.h"
#include "geo/region.h"
#include "procurement/reference.h"

namespace tepat::procurement {

constexpr size_t kMaxText = 300;

// One row of a reference file: its fields by column, its line, and where its problems go.
class Row {
 public:
  Row(std::string_view file, size_t line, const CsvHeader& header, const std::vector<std::string_view>& fields,
      ProblemList& problems)
      : file_(file), line_(line), header_(header), fields_(fields), problems_(problems) {}

  // The field of `column`: "" when the file has no such column.
  std::string_view Field(std::string_view column) const {
    const int at = header_.index(column);
    return at < 0 ? std::string_view() : fields_[at];
  }
  void Problem(std::string_view column, const std::string& reason) {
    problems_.AddAt(file_, line_, std::string(column), reason);
    ok_ = false;
  }
  // A text of at most 300 bytes of valid UTF-8, required or not.
  std::string Text(std::string_view column, bool required) {
    const std::string_view text = Field(column);
    if (required && text.empty()) {
      Problem(column, "required, found nothing");
    } else if (!IsValidUtf8(text)) {
      Problem(column, "not valid UTF-8");
    } else if (text.size() > kMaxText) {
      Problem(column, "at most " + std::to_string(kMaxText) + " bytes, found " + std::to_string(text.size()));
    } else {
      return std::string(text);
    }
    return {};
  }
  // A whole number of rupiah, above 0 and at most kMaxRupiah; or, with `zero`, also 0 or nothing (0).
  int64_t Rupiah(std::string_view column, bool zero = false) {
    int64_t value = 0;
    const std::string_view text = Field(column);
    if (zero && text.empty()) return 0;
    if (!ParseInt(text, value) || value < (zero ? 0 : 1) || value > kMaxRupiah) {
      Problem(column, std::string("expected whole rupiah ") + (zero ? "of 0 or more" : "above 0") +
                          " (digits only, like 40379), found '" + Shown(text) + "'");
      return 0;
    }
    return value;
  }
  // A whole quantity above 0 and at most kMaxQuantity.
  int64_t Quantity(std::string_view column) {
    int64_t value = 0;
    const std::string_view text = Field(column);
    if (!ParseInt(text, value) || value <= 0 || value > kMaxQuantity) {
      Problem(column, "expected a whole quantity above 0 (digits only), found '" + Shown(text) + "'");
      return 0;
    }
    return value;
  }
  // A date written YYYY-MM-DD, or the date of a time written after it ("2023-09-18 10:00:00", as LKPP exports
  // them): days since the epoch, or nothing (and a problem) when it is not a real date.
  std::optional<int64_t> Date(std::string_view column) {
    const std::string_view text = Field(column);
    std::optional<int64_t> day = ParseDate(text.substr(0, 10));
    if (!day || (text.size() > 10 && text[10] != ' ' && text[10] != 'T')) {
      Problem(column, "expected a date YYYY-MM-DD, found '" + Shown(text) + "'");
      return std::nullopt;
    }
    return day;
  }
  bool ok() const { return ok_; }
  size_t line() const { return line_; }

  // A field as a message shows it: valid UTF-8, cut at 60 bytes.
  static std::string Shown(std::string_view text) {
    return ToValidUtf8(text.substr(0, 60)) + (text.size() > 60 ? "..." : "");
  }

 private:
  std::string_view file_;
  size_t line_;
  const CsvHeader& header_;
  const std::vector<std::string_view>& fields_;
  ProblemList& problems_;
  bool ok_ = true;
};

// A KPU office (one that holds a budget, signs a contract or keeps a warehouse): kpu, or kpu:PROVINCE or
// kpu:REGENCY of a region that exists.
bool IsKpuOffice(std::string_view code, const geo::RegionSet& regions);

// Reads every row of a file with `each`, after binding its header (columns beyond `required` and `optional` are
// refused, or with `ignore_unknown` skipped); the problems of the whole file, or nothing.
Status ReadRows(std::string_view file, std::string_view text, const std::vector<std::string_view>& required,
                const std::vector<std::string_view>& optional, std::string_view what,
                const std::function<void(Row&)>& each, bool ignore_unknown = false);

}  // namespace tepat::procurement
