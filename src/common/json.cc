// Strict parsing of JSON a client sent: UTF-8 checked, nesting bounded before the parser recurses, duplicate keys
// refused; and writing JSON text, from a rapidjson value or built field by field.
#include "common/json.h"

#include <rapidjson/error/en.h>

#include <charconv>
#include <cmath>

#include "common/text.h"

namespace tepat::json {

namespace {

// The byte offset where arrays and objects first nest deeper than `limit`, or npos. Brackets inside strings do not
// count; the parser judges everything else.
size_t TooDeepAt(std::string_view text, size_t limit) {
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

// The path of the first key that appears twice in one object, or "" when there is none. Recurses at most kMaxDepth.
std::string DuplicateKey(const Value& value, const std::string& path) {
  if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      std::string found = DuplicateKey(value[i], path + "[" + std::to_string(i) + "]");
      if (!found.empty()) return found;
    }
  } else if (value.IsObject()) {
    std::vector<std::string_view> keys;
    keys.reserve(value.MemberCount());
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      keys.emplace_back(it->name.GetString(), it->name.GetStringLength());
    }
    std::vector<std::string_view> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
    if (twice != sorted.end()) return (path.empty() ? "" : path + ".") + std::string(*twice);
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string key(it->name.GetString(), it->name.GetStringLength());
      std::string found = DuplicateKey(it->value, path.empty() ? key : path + "." + key);
      if (!found.empty()) return found;
    }
  }
  return "";
}

// The path of the first key or string that is not valid UTF-8 once its escapes are decoded (a lone surrogate such
// as \udc00 decodes to bytes that are not), or "" when there is none. Recurses at most kMaxDepth.
std::string InvalidText(const Value& value, const std::string& path) {
  if (value.IsString())
    return IsValidUtf8({value.GetString(), value.GetStringLength()}) ? "" : (path.empty() ? "." : path);
  if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      std::string found = InvalidText(value[i], path + "[" + std::to_string(i) + "]");
      if (!found.empty()) return found;
    }
  } else if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string key(it->name.GetString(), it->name.GetStringLength());
      const std::string at = path.empty() ? key : path + "." + key;
      if (!IsValidUtf8(key)) return at;
      std::string found = InvalidText(it->value, at);
      if (!found.empty()) return found;
    }
  }
  return "";
}

}  // namespace

Result<rapidjson::Document> Parse(std::string_view where, std::string_view text) {
  const std::string prefix = where.empty() ? "" : std::string(where) + ": ";
  if (const size_t at = TooDeepAt(text, kMaxDepth); at != std::string_view::npos) {
    return InvalidInput(prefix + "not valid JSON at character " + std::to_string(at + 1) +
                        ": arrays and objects nest deeper than " + std::to_string(kMaxDepth));
  }
  rapidjson::Document root;
  root.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (root.HasParseError()) {
    return InvalidInput(prefix + "not valid JSON at character " + std::to_string(root.GetErrorOffset() + 1) + ": " +
                        GetParseError_En(root.GetParseError()));
  }
  if (const std::string twice = DuplicateKey(root, ""); !twice.empty()) {
    return InvalidInput(prefix + twice + ": the field appears twice; give it once");
  }
  if (const std::string bad = InvalidText(root, ""); !bad.empty()) {
    return InvalidInput(prefix + bad + ": not valid UTF-8 once its escapes are decoded (a lone surrogate)");
  }
  return root;
}

std::string Write(const Value& value) {
  rapidjson::StringBuffer text;
  Writer writer(text);
  value.Accept(writer);
  return std::string(text.GetString(), text.GetSize());
}

void Builder::Separate() {
  if (!out_.empty() && out_.back() != '{' && out_.back() != '[' && out_.back() != ':') out_ += ',';
}

Builder& Builder::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_ += ':';
  return *this;
}

Builder& Builder::StartObject() {
  Separate();
  out_ += '{';
  return *this;
}

Builder& Builder::StartObject(std::string_view key) { return Key(key).StartObject(); }

Builder& Builder::EndObject() {
  out_ += '}';
  return *this;
}

Builder& Builder::StartArray() {
  Separate();
  out_ += '[';
  return *this;
}

Builder& Builder::StartArray(std::string_view key) { return Key(key).StartArray(); }

Builder& Builder::EndArray() {
  out_ += ']';
  return *this;
}

Builder& Builder::String(std::string_view value) {
  Separate();
  AppendJsonString(out_, value);
  return *this;
}

Builder& Builder::String(std::string_view key, std::string_view value) { return Key(key).String(value); }

Builder& Builder::Int(int64_t value) {
  Separate();
  char digits[24];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return *this;
}

Builder& Builder::Int(std::string_view key, int64_t value) { return Key(key).Int(value); }

Builder& Builder::Number(double value) {
  if (!std::isfinite(value)) return Raw("null");
  Separate();
  char digits[32];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return *this;
}

Builder& Builder::Number(std::string_view key, double value) { return Key(key).Number(value); }

Builder& Builder::Bool(std::string_view key, bool value) { return Key(key).Raw(value ? "true" : "false"); }

Builder& Builder::Null(std::string_view key) { return Key(key).Raw("null"); }

Builder& Builder::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

Builder& Builder::Raw(std::string_view key, std::string_view json) { return Key(key).Raw(json); }

Builder& Builder::Extend(std::string_view object) {
  Separate();
  out_ += object.substr(0, object.size() - 1);
  return *this;
}

}  // namespace tepat::json
