// Variable-length integers (7 bits a byte, low bits first, as protocol buffers write them) and the zigzag mapping of
// signed to unsigned: how the verify replay keeps kit contents and received quantities in a few bytes each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tepat {

inline void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

// Reads one varint from the front of `in` and removes it.
inline uint64_t ReadVarint(std::string_view& in) {
  uint64_t value = 0;
  for (int shift = 0; !in.empty() && shift < 64; shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) break;
  }
  return value;
}

inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace tepat
