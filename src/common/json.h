// JSON with rapidjson, as ledger documents, supervision reports and the API's bodies share it: parsing what a client
// sent strictly (valid UTF-8, bounded nesting, no key twice in an object); reading an object field by field,
// collecting every problem with its JSON path (lines[0].item) rather than stopping at the first; and writing fields
// in a fixed order for a canonical form.
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

}  // namespace tepat::json
