// What the ledger has delivered to one TPS so far: the per-TPS projection that readiness is computed from. Posting
// updates it in the same transaction as the movements (never by re-reading the ledger), and storage keeps it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "ledger/posting.h"

namespace tepat::readiness {

struct TpsState {
  int64_t dispatched_at = 0;      // when a kit for it first left for it; 0 when none has
  int64_t first_received_at = 0;  // its first receipt; 0 when none
  int32_t receipts = 0;
  int32_t kits = 0;
  int32_t misrouted = 0;
  int32_t unsealed = 0;
  int32_t damaged = 0;
  int32_t wrong_items = 0;
  std::vector<std::pair<std::string, int64_t>> received;  // item code → quantity accepted, sorted by code

  bool operator==(const TpsState&) const = default;
};

// Adds (or, with sign -1, takes back) one effect. The first receipt time stays when a later receipt is reversed; when
// the only receipt is reversed it is cleared.
void ApplyEffect(TpsState& state, const ledger::TpsEffect& effect);

// "item=quantity;item=quantity", the stored form of `received`.
std::string EncodeReceived(const std::vector<std::pair<std::string, int64_t>>& received);
Result<std::vector<std::pair<std::string, int64_t>>> DecodeReceived(std::string_view text);

}  // namespace tepat::readiness
