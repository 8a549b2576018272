// XLSX output through libxlsxwriter.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>

#include "cli/output.h"

namespace tepat::cli {

struct XlsxWriter::Impl {
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format* header = nullptr;
  lxw_format* number = nullptr;
  lxw_row_t row = 0;
  size_t columns = 0;
  std::string path;
  std::string temporary;
};

// The workbook is written to a temporary file and renamed into place by Close(), so that a refused or failed
// export leaves no partial file at the path asked for.
XlsxWriter::~XlsxWriter() {
  if (impl_ && impl_->workbook) {
    workbook_close(impl_->workbook);
    std::remove((impl_->temporary).c_str());
  }
  delete impl_;
}

Status XlsxWriter::Open(const std::string& path) {
  impl_ = new Impl;
  impl_->path = path;
  impl_->temporary = path + ".tmp" + std::to_string(::getpid());
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  impl_->workbook = workbook_new_opt(impl_->temporary.c_str(), &options);
  if (!impl_->workbook) return IoError("cannot create " + path);
  impl_->header = workbook_add_format(impl_->workbook);
  format_set_bold(impl_->header);
  format_set_bottom(impl_->header, LXW_BORDER_THIN);
  impl_->number = workbook_add_format(impl_->workbook);
  format_set_num_format(impl_->number, "#,##0");
  return {};
}

namespace {

// Puts a filter on the header of the sheet just written.
void FinishSheet(lxw_worksheet* sheet, lxw_row_t rows, size_t columns) {
  if (sheet && rows > 0) worksheet_autofilter(sheet, 0, 0, rows, static_cast<lxw_col_t>(columns - 1));
}

}  // namespace

Status XlsxWriter::AddSheet(const std::string& name, const std::vector<std::string>& header,
                            const std::vector<double>& widths) {
  FinishSheet(impl_->sheet, impl_->row, impl_->columns);
  impl_->sheet = workbook_add_worksheet(impl_->workbook, name.c_str());
  if (!impl_->sheet) return IoError("cannot add sheet '" + name + "' to " + impl_->path);
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_set_column(impl_->sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         c < widths.size() ? widths[c] : 14, nullptr);
    worksheet_write_string(impl_->sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), impl_->header);
  }
  worksheet_freeze_panes(impl_->sheet, 1, 0);
  impl_->row = 0;
  impl_->columns = header.size();
  return {};
}

Status XlsxWriter::AddRow(const std::vector<Cell>& cells) {
  ++impl_->row;
  if (impl_->row > kMaxRows) return InvalidInput("a sheet holds at most 1,048,575 rows: narrow it with --region");
  for (size_t c = 0; c < cells.size(); ++c) {
    const auto column = static_cast<lxw_col_t>(c);
    if (const int64_t* number = std::get_if<int64_t>(&cells[c])) {
      worksheet_write_number(impl_->sheet, impl_->row, column, static_cast<double>(*number), impl_->number);
    } else {
      worksheet_write_string(impl_->sheet, impl_->row, column, std::get<std::string>(cells[c]).c_str(), nullptr);
    }
  }
  return {};
}

Status XlsxWriter::Close() {
  FinishSheet(impl_->sheet, impl_->row, impl_->columns);
  lxw_error error = workbook_close(impl_->workbook);
  impl_->workbook = nullptr;
  const std::string temporary = impl_->temporary;
  if (error != LXW_NO_ERROR) {
    std::remove(temporary.c_str());
    return IoError("cannot write " + impl_->path + ": " + lxw_strerror(error));
  }
  if (std::rename(temporary.c_str(), impl_->path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return IoError("cannot write " + impl_->path);
  }
  return {};
}

}  // namespace tepat::cli
