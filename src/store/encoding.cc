// Values both backends store alike.
#include "store/encoding.h"

#include <algorithm>

#include "geo/region.h"

namespace tepat::store {

std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += '\n';
    out += v;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::pair<int64_t, int64_t> TpsKeyRange(std::string_view prefix) {
  std::string_view region = prefix;
  if (!region.empty() && region.back() == '.') region.remove_suffix(1);
  if (region.empty()) return {0, 10'000'000'000'000};
  const int64_t key = geo::RegionKey(region);
  int64_t scale = 1;
  const auto digits = region.size() - std::count(region.begin(), region.end(), '.');
  for (auto d = digits; d < 13; ++d) scale *= 10;
  return {key * scale, (key + 1) * scale};
}

}  // namespace tepat::store
