// Strict JSON parsing of what clients send (nesting, encoding and duplicate keys), and the JSON the API builds.
#include "common/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

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

TEST(JsonTest, ALoneSurrogateIsRefused) {
  // Found by finding_fuzzer: rapidjson decodes \udc00 alone to bytes that are not UTF-8, which stored and written back
  // did not read again.
  auto doc = Parse("body", R"({"title":"Segel \udde2 rusak"})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ("body: title: not valid UTF-8 once its escapes are decoded (a lone surrogate)", doc.error().message());
  EXPECT_TRUE(Parse("body", R"({"title":"\ud83d\uddf3"})").ok());  // a pair is one character
}

TEST(JsonTest, TheBuilderPlacesCommasAndWritesNumbersShortest) {
  Builder out;
  out.StartObject().String("id", "a1").Int("seq", -12).Number("p_late", 0.25).Number("expected", 2).Null("reversed_by");
  out.StartArray("lines").StartObject().String("item", "kotak_suara").Int("quantity", 2).EndObject();
  out.StartObject().EndObject().String("segel").Int(7).Number(1e21).EndArray();
  out.Bool("hidden", false).StartArray("none").EndArray().Raw("document", R"({"kind":"receipt"})").EndObject();
  EXPECT_EQ(R"({"id":"a1","seq":-12,"p_late":0.25,"expected":2,"reversed_by":null,)"
            R"("lines":[{"item":"kotak_suara","quantity":2},{},"segel",7,1e+21],"hidden":false,"none":[],)"
            R"("document":{"kind":"receipt"}})",
            out.Take());
}

TEST(JsonTest, TheBuilderWritesAnyBytesAsValidJson) {
  // A byte that is not UTF-8 comes out as U+FFFD (rapidjson's Writer would copy it); a number that is not finite as
  // null.
  const std::string text = std::string("Sura\xff") + "baya \"35\"\n\x01";
  Builder out;
  out.StartArray().String(text).Number(std::nan("")).EndArray();
  EXPECT_EQ(R"(["Sura\ufffdbaya \"35\"\n\u0001",null])", out.Take());
}

TEST(JsonTest, TheBuilderExtendsAnObjectWrittenBefore) {
  Builder out;
  out.StartArray().Extend(R"({"id":"f1"})").Int("version", 2).EndObject().Extend("{}").Bool("late", true).EndObject();
  EXPECT_EQ(R"([{"id":"f1","version":2},{"late":true}])", out.EndArray().Take());
  EXPECT_EQ(R"({"a":[1,"b"]})", Write(Parse("", R"({"a": [1, "b"]})").value()));
}

}  // namespace tepat::json
