// The readiness board.
#include "readiness/board.h"

#include <algorithm>
#include <tuple>

#include "common/text.h"
#include "common/time.h"

namespace tepat::readiness {

void AppendRegionJson(std::string& out, std::string_view code, std::string_view level, std::string_view name,
                      const RegionReadiness& r, const std::vector<election::Item>& items) {
  out += "{\"code\": ";
  AppendJsonString(out, code);
  out += ", \"level\": ";
  AppendJsonString(out, level);
  out += ", \"name\": ";
  AppendJsonString(out, name);
  out += ", \"tps\": " + std::to_string(r.tps) + ", \"states\": {";
  for (int s = 0; s < kStates; ++s) {
    out += (s ? ", \"" : "\"") + std::string(StateName(static_cast<State>(s))) + "\": " + std::to_string(r.states[s]);
  }
  out += "}, \"problems\": {";
  for (int p = 0; p < kProblems; ++p) {
    out += (p ? ", \"" : "\"") + std::string(ProblemName(static_cast<Problem>(p))) +
           "\": " + std::to_string(r.problems[p]);
  }
  out += "}, \"right\": {";
  for (int p = 0; p < kPrinciples; ++p) {
    out += (p ? ", \"" : "\"") + std::string(PrincipleName(static_cast<Principle>(p))) +
           "\": " + std::to_string(r.right[p]);
  }
  out += "}, \"items\": [";
  bool first = true;
  for (size_t k = 0; k < items.size(); ++k) {
    if (r.item_need[k] == 0) continue;
    out += first ? "{\"item\": " : ", {\"item\": ";
    first = false;
    AppendJsonString(out, items[k].code);
    out +=
        ", \"need\": " + std::to_string(r.item_need[k]) + ", \"received\": " + std::to_string(r.item_received[k]) + "}";
  }
  out += "]}";
}

namespace {

constexpr std::string_view kStateNames[] = {"not_delivered", "in_transit", "complete"};
constexpr std::string_view kStateNamesId[] = {"Belum dikirim", "Dalam perjalanan", "Diterima"};
constexpr std::string_view kProblemNames[] = {"not_delivered", "short",   "excess",   "wrong_variant",
                                              "misrouted",     "damaged", "unsealed", "late"};
constexpr std::string_view kProblemNamesId[] = {"Belum diterima", "Kurang", "Lebih",       "Surat suara tertukar",
                                                "Salah alamat",   "Rusak",  "Segel rusak", "Terlambat"};
constexpr std::string_view kPrincipleNames[] = {"jumlah", "jenis", "sasaran", "waktu", "kualitas"};

int Zone(std::string_view province_code) { return (ProvinceUtcOffsetMinutes(province_code) - 7 * 60) / 60; }

}  // namespace

std::string_view StateName(State s) { return kStateNames[static_cast<int>(s)]; }
std::string_view StateNameId(State s) { return kStateNamesId[static_cast<int>(s)]; }
std::string_view ProblemName(Problem p) { return kProblemNames[static_cast<int>(p)]; }
std::string_view ProblemNameId(Problem p) { return kProblemNamesId[static_cast<int>(p)]; }
std::string_view PrincipleName(Principle p) { return kPrincipleNames[static_cast<int>(p)]; }

ProblemMask PrincipleProblems(Principle p) {
  switch (p) {
    case Principle::kJumlah:
      return Bit(Problem::kShort) | Bit(Problem::kExcess);
    case Principle::kJenis:
      return Bit(Problem::kWrongVariant);
    case Principle::kSasaran:
      return Bit(Problem::kMisrouted);
    case Principle::kWaktu:
      return Bit(Problem::kLate) | Bit(Problem::kNotDelivered);
    case Principle::kKualitas:
      return Bit(Problem::kDamaged) | Bit(Problem::kUnsealed);
  }
  return 0;
}

Result<Board> Board::Build(const election::Definition& definition, const geo::RegionSet& regions,
                           const std::vector<geo::Tps>& tps, const geo::DapilSet* dapils, int threads) {
  Board board;
  board.definition_ = &definition;
  board.regions_ = &regions;
  board.tps_ = tps;
  const size_t n = tps.size();
  board.need_offset_.reserve(n + 1);
  planning::NeedsOptions options;
  options.threads = threads;
  options.visit_first = 0;
  options.visit_last = n;
  options.visit_tps = [&](size_t, const planning::Quantities& quantities) {
    board.need_offset_.push_back(static_cast<uint32_t>(board.need_.size()));
    for (const auto& [id, quantity] : quantities) board.need_.emplace_back(id, static_cast<int32_t>(quantity));
  };
  planning::NeedsInput input{&definition, &regions, &tps, dapils};
  board.needs_ = TRY(planning::ComputeNeeds(input, options));
  board.need_offset_.push_back(static_cast<uint32_t>(board.need_.size()));
  for (size_t i = 0; i < board.needs_.items.size(); ++i) {
    board.need_by_code_.emplace(board.needs_.items[i].code, static_cast<int32_t>(i));
  }
  board.zone_.resize(n);
  board.tps_by_key_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string code = geo::TpsCode(regions, tps[i]);
    board.tps_by_key_.emplace(geo::RegionKey(code), static_cast<int32_t>(i));
    board.zone_[i] = static_cast<uint8_t>(Zone(code.substr(0, 2)));
  }
  // By H-n means before midnight, local time, at the start of day H-(n-1).
  const int64_t day = ParseDate(definition.voting_day).value_or(0) - definition.deliver_days_before + 1;
  for (int z = 0; z < 3; ++z) board.deadline_by_zone_[z] = day * 86400 - (7 + z) * 3600;
  board.held_.resize(n);
  board.held_seq_.resize(n);
  const size_t items = definition.items.size();
  board.rollups_.resize(regions.size() + 1);
  for (Rollup& r : board.rollups_) {
    r.item_need.assign(items, 0);
    r.item_received.assign(items, 0);
  }
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t k = board.need_offset_[i]; k < board.need_offset_[i + 1]; ++k) {
      const int32_t item = board.needs_.items[board.need_[k].first].item;
      for (int32_t r = tps[i].village; r >= 0; r = regions.at(r).parent)
        board.rollups_[r].item_need[item] += board.need_[k].second;
      board.rollups_.back().item_need[item] += board.need_[k].second;
    }
    board.AddToRollups(i, board.Contribute(i), 1);
  }
  for (size_t r = 0; r < board.rollups_.size(); ++r) {
    // AddToRollups counted every TPS once per region; the TPS count is that of the not-delivered state now.
    board.rollups_[r].tps = board.rollups_[r].states[0];
  }
  return board;
}

int64_t Board::FindTps(std::string_view code) const {
  if (geo::LevelOfCode(code) != geo::Level::kTps) return -1;
  auto it = tps_by_key_.find(geo::RegionKey(code));
  return it == tps_by_key_.end() ? -1 : it->second;
}

int64_t Board::Deadline(size_t tps) const { return deadline_by_zone_[zone_[tps]]; }

std::vector<std::pair<int32_t, int32_t>> Board::NeedOf(size_t tps) const {
  return {need_.begin() + need_offset_[tps], need_.begin() + need_offset_[tps + 1]};
}

State Board::StateOf(size_t tps) const {
  const Held& h = held_[tps];
  if (h.receipts > 0) return State::kComplete;
  return h.dispatched_at != 0 ? State::kInTransit : State::kNotDelivered;
}

ProblemMask Board::StaticProblems(size_t tps) const {
  const Held& h = held_[tps];
  if (h.receipts <= 0) return 0;
  ProblemMask mask = 0;
  if (h.misrouted > 0) mask |= Bit(Problem::kMisrouted);
  if (h.unsealed > 0) mask |= Bit(Problem::kUnsealed);
  if (h.damaged > 0) mask |= Bit(Problem::kDamaged);
  if (h.wrong_items > 0) mask |= Bit(Problem::kWrongVariant);
  if (h.first_received_at >= Deadline(tps)) mask |= Bit(Problem::kLate);
  // Walk needs and received together; both are sorted by need id.
  auto need = need_.begin() + need_offset_[tps];
  const auto need_end = need_.begin() + need_offset_[tps + 1];
  auto got = h.received.begin();
  while (need != need_end || got != h.received.end()) {
    if (got == h.received.end() || (need != need_end && need->first < got->first)) {
      mask |= Bit(Problem::kShort);
      ++need;
    } else if (need == need_end || got->first < need->first) {
      mask |= needs_.items[got->first].contest >= 0 ? Bit(Problem::kWrongVariant) : Bit(Problem::kExcess);
      ++got;
    } else {
      if (got->second < need->second) mask |= Bit(Problem::kShort);
      if (got->second > need->second) mask |= Bit(Problem::kExcess);
      ++need;
      ++got;
    }
  }
  return mask;
}

ProblemMask Board::ProblemsOf(size_t tps, int64_t clock) const {
  ProblemMask mask = StaticProblems(tps);
  if (held_[tps].receipts <= 0 && clock >= Deadline(tps)) mask |= Bit(Problem::kNotDelivered);
  return mask;
}

Board::Contribution Board::Contribute(size_t tps) const {
  Contribution c;
  c.state = StateOf(tps);
  c.problems = StaticProblems(tps);
  const Held& h = held_[tps];
  auto got = h.received.begin();
  for (uint32_t k = need_offset_[tps]; k < need_offset_[tps + 1]; ++k) {
    const auto [id, need] = need_[k];
    while (got != h.received.end() && got->first < id) ++got;
    if (got == h.received.end() || got->first != id) continue;
    c.item_received.emplace_back(needs_.items[id].item, std::min<int64_t>(need, got->second));
  }
  return c;
}

void Board::AddToRollups(size_t tps, const Contribution& c, int sign) {
  auto add = [&](Rollup& r) {
    r.states[static_cast<int>(c.state)] += sign;
    for (int p = 0; p < kProblems; ++p) {
      if (c.problems & (1u << p)) r.problems[p] += sign;
    }
    if (c.state != State::kComplete) r.undelivered_by_zone[zone_[tps]] += sign;
    for (int p = 0; p < kPrinciples; ++p) {
      if (c.problems & PrincipleProblems(static_cast<Principle>(p))) r.wrong[p] += sign;
    }
    for (const auto& [item, quantity] : c.item_received) r.item_received[item] += sign * quantity;
  };
  for (int32_t r = tps_[tps].village; r >= 0; r = regions_->at(r).parent) add(rollups_[r]);
  add(rollups_.back());
}

Status Board::Load(std::string_view tps_code, const TpsState& state, int64_t seq) {
  const int64_t index = FindTps(tps_code);
  if (index < 0) return NotFound("readiness: unknown TPS " + std::string(tps_code));
  if (seq < held_seq_[index]) return {};
  Held h;
  static_cast<TpsCounters&>(h) = state;
  for (const auto& [item, quantity] : state.received) {
    auto it = need_by_code_.find(item);
    if (it == need_by_code_.end()) {
      return NotFound("readiness: TPS " + std::string(tps_code) + " received " + item +
                      ", which is not an item of election " + definition_->id);
    }
    h.received.emplace_back(it->second, quantity);
  }
  std::sort(h.received.begin(), h.received.end());
  AddToRollups(index, Contribute(index), -1);
  held_[index] = std::move(h);
  AddToRollups(index, Contribute(index), 1);
  held_seq_[index] = seq;
  return {};
}

int64_t Board::SeqOf(std::string_view tps_code) const {
  const int64_t index = FindTps(tps_code);
  return index < 0 ? -1 : held_seq_[index];
}

void Board::Apply(const ledger::TpsEffect& e) {
  const int64_t index = FindTps(e.tps);
  if (index < 0) return;
  AddToRollups(index, Contribute(index), -1);
  Held& h = held_[index];
  ApplyCounters(h, e);
  for (const auto& [item, quantity] : e.received) {
    auto code = need_by_code_.find(item);
    if (code != need_by_code_.end()) AddQuantity(h.received, code->second, e.sign * quantity);
  }
  AddToRollups(index, Contribute(index), 1);
}

RegionReadiness Board::Region(int32_t region, int64_t clock) const {
  const Rollup& r = region < 0 ? rollups_.back() : rollups_[region];
  RegionReadiness out;
  out.region = region;
  out.tps = r.tps;
  out.states = r.states;
  out.problems = r.problems;
  for (int z = 0; z < 3; ++z) {
    if (clock >= deadline_by_zone_[z]) out.problems[0] += r.undelivered_by_zone[z];
  }
  for (int p = 0; p < kPrinciples; ++p) out.right[p] = r.states[static_cast<int>(State::kComplete)] - r.wrong[p];
  out.item_need = r.item_need;
  out.item_received = r.item_received;
  return out;
}

std::vector<std::tuple<std::string, int64_t, int64_t>> Board::Items(size_t tps) const {
  std::vector<std::tuple<std::string, int64_t, int64_t>> out;
  const Held& h = held_[tps];
  auto got = h.received.begin();
  auto need = need_.begin() + need_offset_[tps];
  const auto need_end = need_.begin() + need_offset_[tps + 1];
  while (need != need_end || got != h.received.end()) {
    if (got == h.received.end() || (need != need_end && need->first < got->first)) {
      out.emplace_back(needs_.items[need->first].code, need->second, 0);
      ++need;
    } else if (need == need_end || got->first < need->first) {
      out.emplace_back(needs_.items[got->first].code, 0, got->second);
      ++got;
    } else {
      out.emplace_back(needs_.items[need->first].code, need->second, got->second);
      ++need;
      ++got;
    }
  }
  return out;
}

}  // namespace tepat::readiness
