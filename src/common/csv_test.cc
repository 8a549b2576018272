// Tests of the CSV reader.
#include "common/csv.h"

#include <gtest/gtest.h>

namespace tepat {

namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text, std::vector<size_t>* lines = nullptr) {
  CsvReader reader(text);
  std::vector<std::string_view> fields;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(fields)) {
    rows.emplace_back(fields.begin(), fields.end());
    if (lines) lines->push_back(reader.line());
  }
  return rows;
}

// The rows written with AppendCsvRow.
std::string WriteAll(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) AppendCsvRow(out, std::vector<std::string_view>(row.begin(), row.end()));
  return out;
}

}  // namespace

TEST(CsvTest, SplitsPlainRows) {
  auto rows = ReadAll("a,b,c\n1,,3\n");
  ASSERT_EQ(2u, rows.size());
  EXPECT_EQ((std::vector<std::string>{"1", "", "3"}), rows[1]);
}

TEST(CsvTest, AcceptsBomAndCrlf) {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "code,name\r\n11,Aceh\r\n");
  ASSERT_EQ(2u, rows.size());
  EXPECT_EQ("code", rows[0][0]);
  EXPECT_EQ("Aceh", rows[1][1]);
}

TEST(CsvTest, UnquotesFieldsAndCountsLines) {
  std::vector<size_t> lines;
  auto rows = ReadAll("a,b\n\"x, \"\"y\"\"\",2\n\n\"multi\nline\",3\nlast,4", &lines);
  ASSERT_EQ(4u, rows.size());
  EXPECT_EQ("x, \"y\"", rows[1][0]);
  EXPECT_EQ("multi\nline", rows[2][0]);
  EXPECT_EQ((std::vector<size_t>{1, 2, 4, 6}), lines);
}

TEST(CsvTest, ReportsAnUnterminatedQuote) {
  CsvReader reader("a\n\"open\n");
  std::vector<std::string_view> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_TRUE(reader.Next(fields));
  EXPECT_EQ("unterminated quoted field", reader.error());
}

TEST(CsvTest, WrittenRowsReadBackAsTheyWere) {
  const std::vector<std::vector<std::string>> rows = {
      {"code", "name"}, {"35.78", "Kota Surabaya"}, {"x, \"y\"", "multi\nline"}, {"", ""}, {"a\r", "\rb"}};
  const std::string written = WriteAll(rows);
  EXPECT_EQ("code,name\n35.78,Kota Surabaya\n\"x, \"\"y\"\"\",\"multi\nline\"\n,\n\"a\r\",\"\rb\"\n", written);
  EXPECT_EQ(rows, ReadAll(written));
}

TEST(CsvTest, ARowOfOneEmptyFieldIsNotABlankLine) {
  // Found by fuzz/csv_fuzzer (fuzz/corpus/csv/one-empty-field.csv, a lone quote, reads as one empty field): written
  // as a blank line, the row was skipped when read back.
  const std::vector<std::vector<std::string>> rows = {{"a"}, {""}, {"b"}};
  EXPECT_EQ("a\n\"\"\nb\n", WriteAll(rows));
  EXPECT_EQ(rows, ReadAll(WriteAll(rows)));
}

TEST(CsvTest, AFirstFieldStartingWithABomIsQuotedAndKept) {
  // Found by fuzz/csv_fuzzer (fuzz/corpus/csv/bom-in-first-field.csv): written bare at the start of the text, a field
  // of the bytes EF BB BF was read back as a byte order mark and lost.
  const std::vector<std::vector<std::string>> rows = {{"\xEF\xBB\xBFkode", "nama"}, {"\xEF\xBB\xBF", "x"}};
  EXPECT_EQ("\"\xEF\xBB\xBFkode\",nama\n\"\xEF\xBB\xBF\",x\n", WriteAll(rows));
  EXPECT_EQ(rows, ReadAll(WriteAll(rows)));
  // Only a mark outside quotes at the very start of the text is skipped.
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"\xEF\xBB\xBFkode", "nama"}}),
            ReadAll("\"\xEF\xBB\xBFkode\",nama\n"));
  EXPECT_EQ((std::vector<std::vector<std::string>>{{"\xEF\xBB\xBFkode"}}), ReadAll("\xEF\xBB\xBF\xEF\xBB\xBFkode\n"));
}

TEST(CsvTest, HeaderNamesMissingUnknownAndRepeatedColumns) {
  ProblemList problems;
  std::vector<std::string_view> header = {"code", "colour", "code"};
  CsvHeader bound = CsvHeader::Bind("f.csv", header, {"code", "name"}, {"note"}, problems);
  EXPECT_EQ(0, bound.index("code"));
  EXPECT_EQ(3u, problems.count());
  const std::string text = problems.ToError("refused").ToString();
  EXPECT_NE(std::string::npos, text.find("f.csv:1: colour: unknown column (expected code,name,note)"));
  EXPECT_NE(std::string::npos, text.find("f.csv:1: code: column appears twice"));
  EXPECT_NE(std::string::npos, text.find("f.csv:1: name: required column is missing"));
}

TEST(CsvTest, ParsesNumbersStrictly) {
  int64_t value;
  EXPECT_TRUE(ParseInt("300", value));
  EXPECT_EQ(300, value);
  EXPECT_TRUE(ParseInt("-5", value));
  EXPECT_FALSE(ParseInt("3.5", value));
  EXPECT_FALSE(ParseInt("", value));
  EXPECT_FALSE(ParseInt("12a", value));
  EXPECT_FALSE(ParseInt("99999999999999999999", value));
  double hours;
  EXPECT_TRUE(ParseDecimal("2.5", hours));
  EXPECT_DOUBLE_EQ(2.5, hours);
  EXPECT_FALSE(ParseDecimal("x", hours));
}

TEST(CsvTest, DecimalsAreFiniteNumbers) {
  // Confirmed with fuzz/plan_fuzzer (fuzz/corpus/plan/nan-km.csv): a plan leg of "nan" km was read, and its arrival in
  // the simulation was not a number; a TPS's travel_hours "nan" read as none given.
  double value = 0;
  for (const char* bad : {"nan", "NAN", "-nan", "inf", "-inf", "infinity"})
    EXPECT_FALSE(ParseDecimal(bad, value)) << bad;
  EXPECT_TRUE(ParseDecimal("0.75", value));
  EXPECT_DOUBLE_EQ(0.75, value);
}

TEST(ProblemListTest, ListsFiftyAndCountsAll) {
  ProblemList problems;
  for (int i = 1; i <= 60; ++i) problems.AddAt("t.csv", i + 1, "dpt", "bad");
  Error error = problems.ToError("t.csv was refused");
  EXPECT_EQ(50u, error.problems().size());
  EXPECT_EQ(60u, error.problem_count());
  EXPECT_NE(std::string::npos, error.message().find("60 problems, the first 50 listed"));
  EXPECT_NE(std::string::npos, error.ToString().find("... and 10 more problems"));
}

}  // namespace tepat
