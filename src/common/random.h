// Deterministic, portable random numbers: the same seed gives the same data on every machine and compiler.
#pragma once

#include <cstdint>

namespace tepat {

// splitmix64's finaliser: 64 well-mixed bits from any 64-bit input.
inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A stream of random numbers from (seed, key): splitmix64 over a counter.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t key) : state_(Mix(seed ^ Mix(key))) {}
  uint64_t Next() { return Mix(state_ += 0x9E3779B97F4A7C15ull); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [low, high].
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Next() % static_cast<uint64_t>(high - low + 1));
  }
  bool Chance(double probability) { return Uniform() < probability; }

 private:
  uint64_t state_;
};

}  // namespace tepat
