// The per-TPS readiness projection checked by `tepat ledger verify`: the effects of an election's documents, as
// replaying them gives them (ledger::ElectionReplay), summed per TPS and compared with the stored projection. Held
// compactly: 820,000 TPS nationally, each with some 23 items received.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "ledger/posting.h"
#include "readiness/tps_state.h"

namespace tepat::readiness {

class ProjectionCheck {
 public:
  // Makes room for `tps` TPS.
  void Reserve(size_t tps);
  // Adds one effect of a replayed document.
  void Apply(const ledger::TpsEffect& effect);
  // One stored TPS state of the election: it must be what the effects give.
  Status Stored(const std::string& tps, const TpsState& state);
  // After every stored state: a TPS the effects changed must have been stored.
  Status End();
  int64_t checked() const { return checked_; }

 private:
  struct Replayed {
    TpsCounters counters;
    std::string received;  // (item, quantity) pairs sorted by item, varint-encoded
    bool stored = false;
  };
  using Quantities = std::vector<std::pair<uint32_t, int64_t>>;
  static Quantities Decode(const std::string& bytes);
  static std::string Encode(const Quantities& quantities);
  // A TPS's code from its RegionKey: 3578011001001 → "35.78.01.1001.001".
  static std::string TpsCode(int64_t key);
  uint32_t Item(const std::string& code);

  std::unordered_map<int64_t, uint32_t> index_;  // RegionKey of the TPS → its entry
  std::vector<Replayed> tps_;
  std::unordered_map<std::string, uint32_t> items_;
  int64_t checked_ = 0;
};

}  // namespace tepat::readiness
