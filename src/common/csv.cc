// CSV reading and writing, and number parsing.
#include "common/csv.h"

#include <charconv>
#include <cmath>

namespace tepat {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with(kByteOrderMark)) pos_ = kByteOrderMark.size();
}

bool CsvReader::Next(std::vector<std::string_view>& fields) {
  fields.clear();
  error_.clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++next_line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  row_line_ = next_line_;

  const size_t size = text_.size();
  // Fast path: a row without quotes is split in place.
  size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = size;
  std::string_view row = text_.substr(pos_, end - pos_);
  if (row.find('"') == std::string_view::npos) {
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    size_t start = 0;
    while (true) {
      size_t comma = row.find(',', start);
      if (comma == std::string_view::npos) {
        fields.push_back(row.substr(start));
        break;
      }
      fields.push_back(row.substr(start, comma - start));
      start = comma + 1;
    }
    pos_ = end + 1;
    ++next_line_;
    return true;
  }

  // Quoted fields: unescape into scratch_, which is sized up front so that views into it stay valid.
  scratch_.clear();
  scratch_.reserve(size - pos_);
  std::vector<std::pair<size_t, size_t>> spans;
  size_t field_start = 0;
  bool in_quotes = false;
  bool row_done = false;
  while (pos_ < size && !row_done) {
    char c = text_[pos_];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ + 1 < size && text_[pos_ + 1] == '"') {
          scratch_.push_back('"');
          pos_ += 2;
          continue;
        }
        in_quotes = false;
      } else {
        if (c == '\n') ++next_line_;
        scratch_.push_back(c);
      }
      ++pos_;
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        break;
      case ',':
        spans.emplace_back(field_start, scratch_.size() - field_start);
        field_start = scratch_.size();
        break;
      case '\r':
        break;
      case '\n':
        ++next_line_;
        row_done = true;
        break;
      default:
        scratch_.push_back(c);
    }
    ++pos_;
  }
  if (in_quotes) error_ = "unterminated quoted field";
  spans.emplace_back(field_start, scratch_.size() - field_start);
  for (auto [offset, length] : spans) fields.push_back(std::string_view(scratch_).substr(offset, length));
  return true;
}

CsvHeader CsvHeader::Bind(std::string_view file, const std::vector<std::string_view>& header,
                          const std::vector<std::string_view>& required, const std::vector<std::string_view>& optional,
                          ProblemList& problems, bool ignore_unknown) {
  CsvHeader bound;
  bound.width_ = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view name = header[i];
    bool known = false;
    for (auto list : {&required, &optional}) {
      for (std::string_view candidate : *list) known = known || candidate == name;
    }
    if (!known && ignore_unknown) continue;
    if (!known) {
      std::string allowed;
      for (auto list : {&required, &optional}) {
        for (std::string_view candidate : *list) allowed += (allowed.empty() ? "" : ",") + std::string(candidate);
      }
      problems.AddAt(file, 1, std::string(name), "unknown column (expected " + allowed + ")");
      continue;
    }
    if (bound.index(name) >= 0) {
      problems.AddAt(file, 1, std::string(name), "column appears twice");
      continue;
    }
    bound.columns_.emplace_back(std::string(name), static_cast<int>(i));
  }
  for (std::string_view name : required) {
    if (bound.index(name) < 0) problems.AddAt(file, 1, std::string(name), "required column is missing");
  }
  return bound;
}

int CsvHeader::index(std::string_view column) const {
  for (const auto& [name, position] : columns_) {
    if (name == column) return position;
  }
  return -1;
}

bool ParseInt(std::string_view text, int64_t& value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseDecimal(std::string_view text, double& value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos && !field.starts_with(kByteOrderMark)) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvRow(std::string& out, const std::vector<std::string_view>& fields) {
  if (fields.size() == 1 && fields[0].empty()) {
    out += "\"\"\n";
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvField(out, fields[i]);
  }
  out += '\n';
}

}  // namespace tepat
