// Tests of instants and dates.
#include "common/time.h"

#include <gtest/gtest.h>

namespace tepat {

TEST(TimeTest, InstantsReadBackAtEveryOffset) {
  // Found by fuzz/plan_fuzzer (fuzz/corpus/plan/year-10000.csv): a departure at 9999-12-31T23:59:59-14:00 was read,
  // and written at +07:00 as 10000-01-01T20:59:59+07:00, which does not read.
  EXPECT_FALSE(ParseInstant("9999-12-31T23:59:59-14:00"));
  EXPECT_FALSE(ParseInstant("9998-12-31T23:59:59-14:00"));  // 9999-01-01T13:59:59Z
  EXPECT_FALSE(ParseInstant("0000-01-01T00:00+14:00"));
  EXPECT_FALSE(ParseInstant("1899-12-31T23:59:59Z"));
  for (const char* text : {"9998-12-31T23:59:59Z", "1900-01-01T00:00:00-14:00", "2024-02-13T07:00+09:00"}) {
    const std::optional<int64_t> at = ParseInstant(text);
    ASSERT_TRUE(at) << text;
    for (int offset : {-14 * 60, 0, 7 * 60, 9 * 60, 14 * 60}) {
      EXPECT_EQ(at, ParseInstant(FormatInstant(*at, offset))) << text << " at " << offset;
    }
  }
  EXPECT_EQ("2024-02-13T07:00:00+09:00", FormatInstant(*ParseInstant("2024-02-12T22:00Z"), 9 * 60));
}

}  // namespace tepat
