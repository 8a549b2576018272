// Tests of number formatting and tables.
#include "common/text.h"

#include <gtest/gtest.h>

namespace tepat {

TEST(TextTest, ThousandsUseDots) {
  EXPECT_EQ("0", FormatThousands(0));
  EXPECT_EQ("999", FormatThousands(999));
  EXPECT_EQ("1.000", FormatThousands(1000));
  EXPECT_EQ("203.056.748", FormatThousands(203056748));
  EXPECT_EQ("-1.234", FormatThousands(-1234));
}

TEST(TextTest, TableAlignsByDisplayWidth) {
  TextTable table({"Kode", "Jumlah"}, {false, true});
  table.AddRow({"Bantèn", "1.000"});
  table.AddRow({"DKI", "5"});
  EXPECT_EQ("Kode    Jumlah\n--------------\nBantèn   1.000\nDKI          5\n", table.Render());
}

TEST(TextTest, Utf8IsCheckedAsRfc3629Says) {
  EXPECT_TRUE(IsValidUtf8("Bantèn €  \xf0\x9f\x97\xb3"));  // 2, 3 and 4 bytes
  EXPECT_TRUE(IsValidUtf8(""));
  for (const std::string bad : {"\xff\xfe", "\xc0\xaf" /* overlong "/" */, "\xed\xa0\x80" /* a surrogate */,
                                "\xf4\x90\x80\x80" /* past U+10FFFF */, "\xe2\x82" /* cut short */, "a\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
  EXPECT_EQ("Bantèn", ToValidUtf8("Bantèn"));
  EXPECT_EQ("a\xef\xbf\xbd\xef\xbf\xbd" "b", ToValidUtf8("a\xff\xfe" "b"));
}

TEST(TextTest, JsonStringsAreValidWhateverTheBytes) {
  std::string out;
  AppendJsonString(out, "\xff\xfe\"è\n\x01");
  EXPECT_EQ("\"\\ufffd\\ufffd\\\"è\\n\\u0001\"", out);
}

}  // namespace tepat
