// Strict JSON parsing of what clients send: nesting, encoding and duplicate keys.
#include "common/json.h"

#include <gtest/gtest.h>

namespace tepat::json {

TEST(JsonTest, WellFormedObjectsParse) {
  auto doc = Parse("body", R"({"a":[1,{"b":"[{\"}"}],"c":{"a":2}})");
  ASSERT_TRUE(doc.ok()) << doc.error().message();
  EXPECT_EQ(2, doc.value()["c"]["a"].GetInt());
}

TEST(JsonTest, DuplicateKeysAreRefusedWithTheirPath) {
  auto doc = Parse("body", R"({"kind":"receipt","kind":"dispatch"})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ("body: kind: the field appears twice; give it once", doc.error().message());
  doc = Parse("doc.ndjson:3", R"({"lines":[{"item":"a"},{"item":"b","qty":1,"qty":2}]})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ("doc.ndjson:3: lines[1].qty: the field appears twice; give it once", doc.error().message());
}

TEST(JsonTest, DeepNestingIsRefusedBeforeTheParserRecurses) {
  auto doc = Parse("body", std::string(100000, '['));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ("body: not valid JSON at character 65: arrays and objects nest deeper than 64", doc.error().message());
  // Brackets inside strings do not count.
  EXPECT_TRUE(Parse("body", "{\"a\":\"" + std::string(1000, '[') + "\"}").ok());
  EXPECT_TRUE(Parse("body", std::string(64, '[') + std::string(64, ']')).ok());
}

TEST(JsonTest, InvalidUtf8IsRefused) {
  auto doc = Parse("body", "{\"username\":\"\xff\xfe\"}");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(std::string::npos, doc.error().message().find("body: not valid JSON at character 14"))
      << doc.error().message();
}

}  // namespace tepat::json
