// Reading TOML text (toml++) into a table, its syntax errors as tepat errors ("FILE:LINE: what"), and its fields
// one by one with every problem kept (election definitions, supervision checklists).
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/text.h"

namespace tepat {

inline Result<toml::table> ParseToml(std::string_view file, std::string_view text) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    return InvalidInput(std::string(file) + ":" + std::to_string(error.source().begin.line) + ": " +
                        std::string(error.description()));
  }
}

// The whole number a node holds; nothing for any other type. A float is not read as one: toml++ 3.3 casts a float
// beyond int64's range to int64 before it checks the range (undefined behaviour).
inline std::optional<int64_t> WholeNumber(const toml::node& node) {
  return node.is_integer() ? node.value<int64_t>() : std::nullopt;
}

// Reads the fields of one table, reporting problems as FILE:LINE: field: reason.
class TomlReader {
 public:
  TomlReader(std::string_view file, ProblemList& problems) : file_(file), problems_(problems) {}

  void Problem(const toml::node* node, int fallback_line, std::string field, std::string reason) {
    int line = node ? static_cast<int>(node->source().begin.line) : fallback_line;
    problems_.AddAt(file_, line, std::move(field), std::move(reason));
  }

  // Marks every key of `table` that is not in `allowed` as unknown.
  void Keys(const toml::table& table, std::string_view where, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        std::string list;
        for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
        Problem(&value, 0, std::string(where) + std::string(key.str()), "unknown field (expected one of " + list + ")");
      }
    }
  }

  std::string String(const toml::table& table, std::string_view where, std::string_view key, bool required, int line) {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) Problem(nullptr, line, std::string(where) + std::string(key), "required field is missing");
      return {};
    }
    if (auto value = node->value<std::string>()) {
      if (required && value->empty()) Problem(node, line, std::string(where) + std::string(key), "must not be empty");
      return *value;
    }
    Problem(node, line, std::string(where) + std::string(key), "expected a string");
    return {};
  }

  int64_t Integer(const toml::table& table, std::string_view where, std::string_view key, bool required, int line,
                  int64_t fallback = 0) {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) Problem(nullptr, line, std::string(where) + std::string(key), "required field is missing");
      return fallback;
    }
    if (!node->is_integer()) {
      Problem(node, line, std::string(where) + std::string(key), "expected a whole number");
      return fallback;
    }
    int64_t value = node->value<int64_t>().value_or(fallback);
    if (value < 0) Problem(node, line, std::string(where) + std::string(key), "expected 0 or more");
    return value;
  }

  // A number (whole or not) within [low, high].
  double Number(const toml::table& table, std::string_view where, std::string_view key, bool required, int line,
                double fallback, double low, double high) {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) Problem(nullptr, line, std::string(where) + std::string(key), "required field is missing");
      return fallback;
    }
    std::optional<double> value = node->value<double>();
    if (!value) {
      Problem(node, line, std::string(where) + std::string(key), "expected a number");
      return fallback;
    }
    if (!(*value >= low && *value <= high)) {
      Problem(node, line, std::string(where) + std::string(key),
              "expected a number from " + FormatNumber(low) + " to " + FormatNumber(high));
      return fallback;
    }
    return *value;
  }

  std::vector<std::string> Strings(const toml::table& table, std::string_view where, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    const toml::array* array = node->as_array();
    if (!array) {
      Problem(node, 0, std::string(where) + std::string(key), "expected a list of strings");
      return out;
    }
    for (const toml::node& element : *array) {
      if (auto value = element.value<std::string>()) {
        out.push_back(*value);
      } else {
        Problem(&element, 0, std::string(where) + std::string(key), "expected a list of strings");
      }
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  ProblemList& problems_;
};

}  // namespace tepat
