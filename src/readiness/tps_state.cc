// The per-TPS projection.
#include "readiness/tps_state.h"

#include <algorithm>
#include <charconv>

namespace tepat::readiness {

void ApplyCounters(TpsCounters& s, const ledger::TpsEffect& e) {
  if (e.dispatched_at != 0 && e.sign > 0 && (s.dispatched_at == 0 || e.dispatched_at < s.dispatched_at)) {
    s.dispatched_at = e.dispatched_at;
  }
  // A receipt counts as a delivery when it accepted something; what it refused is counted either way.
  if (e.received_at != 0) {
    s.receipts += e.sign;
    if (e.sign > 0 && (s.first_received_at == 0 || e.received_at < s.first_received_at)) {
      s.first_received_at = e.received_at;
    }
    if (s.receipts == 0) s.first_received_at = 0;
  }
  s.kits += e.sign * e.kits;
  s.misrouted += e.sign * e.misrouted;
  s.unsealed += e.sign * e.unsealed;
  s.damaged += e.sign * e.damaged;
  s.wrong_items += e.sign * e.wrong_items;
}

void ApplyEffect(TpsState& s, const ledger::TpsEffect& e) {
  ApplyCounters(s, e);
  for (const auto& [item, quantity] : e.received) AddQuantity(s.received, item, e.sign * quantity);
}

std::string EncodeReceived(const std::vector<std::pair<std::string, int64_t>>& received) {
  std::string out;
  for (const auto& [item, quantity] : received) {
    if (!out.empty()) out += ';';
    out += item;
    out += '=';
    out += std::to_string(quantity);
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> DecodeReceived(std::string_view text) {
  std::vector<std::pair<std::string, int64_t>> out;
  while (!text.empty()) {
    const size_t end = std::min(text.find(';'), text.size());
    const std::string_view entry = text.substr(0, end);
    const size_t eq = entry.rfind('=');
    int64_t quantity = 0;
    if (eq == std::string_view::npos ||
        std::from_chars(entry.data() + eq + 1, entry.data() + entry.size(), quantity).ec != std::errc()) {
      return InvalidInput("malformed received quantities: \"" + std::string(entry) + "\"");
    }
    out.emplace_back(std::string(entry.substr(0, eq)), quantity);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

}  // namespace tepat::readiness
