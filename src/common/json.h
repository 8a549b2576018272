// JSON with rapidjson, as ledger documents, supervision reports and the API's bodies share it: parsing what a client
// sent strictly (valid UTF-8, bounded nesting, no key twice in an object); reading an object field by field,
// collecting every problem with its JSON path (lines[0].item) rather than stopping at the first; writing fields in a
// fixed order for a canonical form; and building the API's answers (Builder).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace tepat::json {

using Value = rapidjson::Value;

// How deep arrays and objects may nest in what a client sends (tepat's own documents nest four deep).
constexpr size_t kMaxDepth = 64;

// Parses `text` as one JSON value, strictly: it must be valid UTF-8, nest at most kMaxDepth deep, and no object may
// hold the same key twice (a document's meaning must not depend on which of two values a parser keeps). The error
// says where: "WHERE: not valid JSON at character 12: ...", "WHERE: lines[0].item: the field appears twice".
Result<rapidjson::Document> Parse(std::string_view where, std::string_view text);

// Reads fields of one JSON document, collecting every problem with its field path.
class Reader {
 public:
  Reader(std::string_view where, ProblemList& problems) : where_(where), problems_(problems) {}

  void Problem(const std::string& field, std::string reason) { problems_.Add(where_, field, std::move(reason)); }

  void Keys(const Value& object, const std::string& prefix, const std::vector<std::string_view>& allowed) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Problem(prefix + std::string(key), "unknown field");
      }
    }
  }

  std::string String(const Value& object, const std::string& prefix, const char* key, bool required,
                     size_t max_size = 200) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd() || it->value.IsNull()) {
      if (required) Problem(prefix + key, "required field is missing");
      return "";
    }
    if (!it->value.IsString()) {
      Problem(prefix + key, "expected a string");
      return "";
    }
    std::string value(it->value.GetString(), it->value.GetStringLength());
    if (required && value.empty()) Problem(prefix + key, "must not be empty");
    if (value.size() > max_size) Problem(prefix + key, "longer than " + std::to_string(max_size) + " characters");
    return value;
  }

  int64_t Int(const Value& object, const std::string& prefix, const char* key, bool required) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd()) {
      if (required) Problem(prefix + key, "required field is missing");
      return 0;
    }
    if (!it->value.IsInt64() || it->value.GetInt64() < 0 || it->value.GetInt64() > 1'000'000'000'000) {
      Problem(prefix + key, "expected a whole number of 0 or more");
      return 0;
    }
    return it->value.GetInt64();
  }

  bool Bool(const Value& object, const std::string& prefix, const char* key, bool fallback) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd()) return fallback;
    if (!it->value.IsBool()) {
      Problem(prefix + key, "expected true or false");
      return fallback;
    }
    return it->value.GetBool();
  }

  // Calls `each(element, prefix)` for every element of the array `key`; problems when it is not an array.
  template <class F>
  void Array(const Value& object, const std::string& prefix, const char* key, bool required, F&& each) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd()) {
      if (required) Problem(prefix + key, "required field is missing");
      return;
    }
    if (!it->value.IsArray()) {
      Problem(prefix + key, "expected a list");
      return;
    }
    if (required && it->value.Empty()) Problem(prefix + key, "must not be empty");
    for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
      each(it->value[i], prefix + key + "[" + std::to_string(i) + "]");
    }
  }

  // The people of the list `key`, each an object with a name and a role, as Person{name, role}.
  template <class Person>
  std::vector<Person> People(const Value& object, const char* key, bool required) {
    std::vector<Person> people;
    Array(object, "", key, required, [&](const Value& v, const std::string& at) {
      if (!v.IsObject()) return Problem(at, "expected an object with name and role");
      Keys(v, at + ".", {"name", "role"});
      people.push_back({String(v, at + ".", "name", true), String(v, at + ".", "role", true)});
    });
    return people;
  }

 private:
  std::string where_;
  ProblemList& problems_;
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void Key(Writer& w, std::string_view key) { w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())); }
// A string field; left out when empty unless `always`.
inline void Str(Writer& w, std::string_view key, std::string_view value, bool always = false) {
  if (value.empty() && !always) return;
  Key(w, key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
// A number field; left out when 0 unless `always`.
inline void Int(Writer& w, std::string_view key, int64_t value, bool always = true) {
  if (value == 0 && !always) return;
  Key(w, key);
  w.Int64(value);
}

// `value` as compact JSON text, written by rapidjson's Writer (for a value parsed from valid input).
std::string Write(const Value& value);

// Builds JSON text, such as the API's answers, in a string: the caller opens and closes objects and arrays and names
// each field, and the builder places the commas. Strings are written by AppendJsonString, so that a byte that is not
// valid UTF-8 comes out as \ufffd (rapidjson's Writer copies it, and the text is no longer JSON); whole numbers in
// decimal, and other numbers in the shortest form that reads back (2, where rapidjson writes 2.0).
//
//   json::Builder out;
//   out.StartObject().String("id", id).Int("seq", seq).StartArray("lines");
//   for (const Line& l : lines) out.StartObject().String("item", l.item).Int("quantity", l.quantity).EndObject();
//   return out.EndArray().EndObject().Take();
class Builder {
 public:
  // Names the next value, a field of the object being built: for a value that a function of the caller's writes.
  Builder& Key(std::string_view key);
  // Values in an array (or alone), and the same as fields of the object being built, named by `key`.
  Builder& StartObject();
  Builder& StartObject(std::string_view key);
  Builder& EndObject();
  Builder& StartArray();
  Builder& StartArray(std::string_view key);
  Builder& EndArray();
  Builder& String(std::string_view value);
  Builder& String(std::string_view key, std::string_view value);
  Builder& Int(int64_t value);
  Builder& Int(std::string_view key, int64_t value);
  // null when `value` is not finite.
  Builder& Number(double value);
  Builder& Number(std::string_view key, double value);
  Builder& Bool(std::string_view key, bool value);
  Builder& Null(std::string_view key);
  // A value already written as JSON (a stored document's body), copied as it is.
  Builder& Raw(std::string_view json);
  Builder& Raw(std::string_view key, std::string_view json);
  // Continues an object already written as JSON (text ending in '}'): its fields are copied, and the fields written
  // next join them until EndObject.
  Builder& Extend(std::string_view object);

  // The text built, which the builder gives up.
  std::string Take() { return std::move(out_); }

 private:
  // Writes the comma before a value or a field unless it is the first in its array or object.
  void Separate();

  std::string out_;
};

}  // namespace tepat::json
