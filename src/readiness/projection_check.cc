#include "readiness/projection_check.h"

#include <algorithm>

#include "common/varint.h"
#include "geo/region.h"

namespace tepat::readiness {

namespace {

Error Differs(const std::string& tps, const char* how) {
  return Error(ErrorKind::kConflict, "ledger verify failed: the readiness of TPS " + tps + " " + how);
}

}  // namespace

ProjectionCheck::Quantities ProjectionCheck::Decode(const std::string& bytes) {
  Quantities out;
  std::string_view in = bytes;
  while (!in.empty()) {
    const auto item = static_cast<uint32_t>(ReadVarint(in));
    out.emplace_back(item, UnZigZag(ReadVarint(in)));
  }
  return out;
}

std::string ProjectionCheck::Encode(const Quantities& quantities) {
  std::string out;
  for (const auto& [item, quantity] : quantities) {
    AppendVarint(out, item);
    AppendVarint(out, ZigZag(quantity));
  }
  return out;
}

std::string ProjectionCheck::TpsCode(int64_t key) {
  std::string digits = std::to_string(key);
  if (digits.size() < 13) digits.insert(0, 13 - digits.size(), '0');
  return digits.substr(0, 2) + "." + digits.substr(2, 2) + "." + digits.substr(4, 2) + "." + digits.substr(6, 4) + "." +
         digits.substr(10);
}

uint32_t ProjectionCheck::Item(const std::string& code) {
  return items_.emplace(code, static_cast<uint32_t>(items_.size())).first->second;
}

void ProjectionCheck::Reserve(size_t tps) {
  index_.reserve(tps);
  tps_.reserve(tps);
}

void ProjectionCheck::Apply(const ledger::TpsEffect& effect) {
  auto [it, added] = index_.emplace(geo::RegionKey(effect.tps), static_cast<uint32_t>(tps_.size()));
  if (added) tps_.push_back({{}, {}, false});
  Replayed& r = tps_[it->second];
  ApplyCounters(r.counters, effect);
  if (effect.received.empty()) return;
  Quantities received = Decode(r.received);
  for (const auto& [item, quantity] : effect.received) AddQuantity(received, Item(item), effect.sign * quantity);
  r.received = Encode(received);
}

Status ProjectionCheck::Stored(const std::string& tps, const TpsState& state) {
  ++checked_;
  Quantities stored;
  for (const auto& [item, quantity] : state.received) AddQuantity(stored, Item(item), quantity);
  auto it = index_.find(geo::RegionKey(tps));
  if (it == index_.end() || TpsCode(it->first) != tps) {
    if (!(static_cast<const TpsCounters&>(state) == TpsCounters{}) || !stored.empty()) {
      return Differs(tps, "differs from what the documents give");
    }
    return {};
  }
  Replayed& r = tps_[it->second];
  r.stored = true;
  if (!(static_cast<const TpsCounters&>(state) == r.counters) || stored != Decode(r.received)) {
    return Differs(tps, "differs from what the documents give");
  }
  return {};
}

Status ProjectionCheck::End() {
  for (const auto& [key, index] : index_) {
    const Replayed& r = tps_[index];
    if (!r.stored && (!(r.counters == TpsCounters{}) || !r.received.empty()))
      return Differs(TpsCode(key), "is missing");
  }
  return {};
}

}  // namespace tepat::readiness
