// Reading TOML text (toml++) into a table, its syntax errors as tepat errors ("FILE:LINE: what").
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace tepat {

inline Result<toml::table> ParseToml(std::string_view file, std::string_view text) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    return InvalidInput(std::string(file) + ":" + std::to_string(error.source().begin.line) + ": " +
                        std::string(error.description()));
  }
}

}  // namespace tepat
