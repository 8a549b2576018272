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

}  // namespace tepat
