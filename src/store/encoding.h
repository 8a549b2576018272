// How both backends write values the schema keeps as text or numbers: lists of lines (a kit's seals) and the range
// of TPS keys under a region.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tepat::store {

std::string JoinLines(const std::vector<std::string>& values);
std::vector<std::string> SplitLines(const std::string& text);

// The TPS keys under a region code ("" or "35.78" or "35.78."): those with the region's digits in front,
// 35.78 → [3578000000000, 3579000000000); every key for "".
std::pair<int64_t, int64_t> TpsKeyRange(std::string_view prefix);

}  // namespace tepat::store
