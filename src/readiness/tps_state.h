// What the ledger has delivered to one TPS so far: the per-TPS projection that readiness is computed from. Posting
// updates it in the same transaction as the movements (never by re-reading the ledger), and storage keeps it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "ledger/posting.h"

namespace tepat::readiness {

// The counts and times of a TPS's deliveries.
struct TpsCounters {
  int64_t dispatched_at = 0;      // when a kit for it first left for it; 0 when none has
  int64_t first_received_at = 0;  // its first receipt; 0 when none
  int32_t receipts = 0;
  int32_t kits = 0;
  int32_t misrouted = 0;
  int32_t unsealed = 0;
  int32_t damaged = 0;
  int32_t wrong_items = 0;

  bool operator==(const TpsCounters&) const = default;
};

struct TpsState : TpsCounters {
  std::vector<std::pair<std::string, int64_t>> received;  // item code → quantity accepted, sorted by code

  bool operator==(const TpsState&) const = default;
};

// Adds (or, with sign -1, takes back) one effect's counts and times. The first receipt time stays when a later
// receipt is reversed; when the only receipt is reversed it is cleared.
void ApplyCounters(TpsCounters& counters, const ledger::TpsEffect& effect);
// Adds `quantity` (which may be negative) to `key` in a list sorted by key, dropping entries that reach zero.
template <class Key>
void AddQuantity(std::vector<std::pair<Key, int64_t>>& list, const Key& key, int64_t quantity) {
  auto it = std::lower_bound(list.begin(), list.end(), key,
                             [](const std::pair<Key, int64_t>& entry, const Key& k) { return entry.first < k; });
  if (it == list.end() || it->first != key) it = list.insert(it, {key, 0});
  it->second += quantity;
  if (it->second == 0) list.erase(it);
}
// ApplyCounters, and the items received.
void ApplyEffect(TpsState& state, const ledger::TpsEffect& effect);

// "item=quantity;item=quantity", the stored form of `received`.
std::string EncodeReceived(const std::vector<std::pair<std::string, int64_t>>& received);
Result<std::vector<std::pair<std::string, int64_t>>> DecodeReceived(std::string_view text);

}  // namespace tepat::readiness
