#include "sim/simulate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <thread>

#include "common/random.h"
#include "common/text.h"
#include "common/time.h"

namespace tepat::sim {

namespace {

using geo::Level;

constexpr int kLanes = 64;  // scenarios computed together: four AVX-512 registers of floats per leg
constexpr float kNever = -1e30f;

enum Flag : uint8_t {
  kWindow = 1,         // the mode leaves only within a local window
  kWeather = 2,        // bad weather days stop it
  kRandomClosure = 4,  // its district's road closures stop it
  kFixedClosure = 8,   // a what-if closes it for a while
  kArrived = 16,       // observed: its goods arrived
  kDeparted = 32,      // observed: its goods left
};

// The murmur3 finaliser: a bijection of 32-bit words that mixes every bit into every other.
inline uint32_t Fmix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  x *= 0xc2b2ae35u;
  x ^= x >> 16;
  return x;
}

// The counter-based generator: a random 32-bit word for (key, scenario), with no state to carry.
inline uint32_t Draw(uint64_t key, uint32_t scenario) {
  return Fmix32(Fmix32(scenario + static_cast<uint32_t>(key)) ^ static_cast<uint32_t>(key >> 32));
}

// A key of its own for each use of a place's key: Draw(key + 1, s) would be Draw(key, s + 1), the next scenario's.
inline uint64_t Purpose(uint64_t key, uint64_t purpose) { return Mix(key ^ (purpose * 0x9E3779B97F4A7C15ull)); }

inline uint64_t KeyOf(std::string_view code, uint64_t purpose) {
  return Mix(static_cast<uint64_t>(geo::RegionKey(code)) * 8 + purpose);
}

inline uint32_t Threshold(double probability) {
  return static_cast<uint32_t>(std::min(4294967295.0, std::floor(probability * 4294967296.0)));
}

// The standard normal at 4,096 equally spaced probabilities, like a mode's table; built once.
const std::vector<float>& NormalTable() {
  static const std::vector<float> table = [] {
    std::vector<float> out(kTableSize);
    for (int k = 0; k < kTableSize; ++k) out[k] = static_cast<float>(NormalQuantile((k + 0.5) / kTableSize));
    return out;
  }();
  return table;
}

// Moves a departure into its local window [from, to) (minutes after midnight); `offset` is the local offset.
inline float IntoWindow(float dep, float offset, float from, float to) {
  const float local = dep + offset;
  const float minute = local - std::floor(local / 1440.0f) * 1440.0f;
  return minute < from ? dep + (from - minute) : (minute >= to ? dep + (1440.0f - minute + from) : dep);
}

}  // namespace

Result<Network> Network::Build(const Plan& plan, const readiness::Board& board, const Model& model, int32_t region,
                               const Observed* observed) {
  const geo::RegionSet& regions = board.regions();
  const std::string scope = region >= 0 ? regions.at(region).code : "";
  auto in_scope = [&](std::string_view code) {
    return scope.empty() || code == scope ||
           (code.size() > scope.size() && code.starts_with(scope) && code[scope.size()] == '.');
  };
  auto above_scope = [&](std::string_view code) {
    return !scope.empty() && scope.size() > code.size() && scope.starts_with(code) && scope[code.size()] == '.';
  };
  // Each leg's `from` as the index of the leg reaching it (-1 for a root, -2 when no leg reaches it); places by
  // their numeric key (unique across levels, TPS included).
  std::unordered_map<int64_t, uint32_t> by_key;
  by_key.reserve(plan.legs.size());
  for (uint32_t i = 0; i < plan.legs.size(); ++i) by_key.emplace(geo::RegionKey(plan.legs[i].to), i);
  std::vector<int64_t> from_of(plan.legs.size(), -1);
  for (uint32_t i = 0; i < plan.legs.size(); ++i) {
    if (plan.legs[i].from.empty()) continue;
    auto it = by_key.find(geo::RegionKey(plan.legs[i].from));
    from_of[i] = it == by_key.end() ? -2 : it->second;
  }

  // The legs in scope, with every leg their goods pass through.
  std::vector<uint8_t> chosen(plan.legs.size(), 0);
  std::vector<uint32_t> stack;
  for (uint32_t i = 0; i < plan.legs.size(); ++i) {
    if (in_scope(plan.legs[i].to) || above_scope(plan.legs[i].to)) stack.push_back(i);
  }
  std::vector<uint32_t> legs;
  while (!stack.empty()) {
    const uint32_t i = stack.back();
    stack.pop_back();
    if (chosen[i]) continue;
    chosen[i] = 1;
    legs.push_back(i);
    const Leg& leg = plan.legs[i];
    if (from_of[i] == -1) continue;
    if (from_of[i] == -2) {
      return InvalidInput("plan: the leg to " + leg.to + " leaves from " + leg.from + ", which no leg reaches");
    }
    stack.push_back(static_cast<uint32_t>(from_of[i]));
  }
  // Depth in the tree (a trip's stops one below another), refusing loops.
  std::vector<int32_t> depth(plan.legs.size(), -1);  // -2: on the path being walked
  std::vector<uint32_t> path;
  for (uint32_t start : legs) {
    path.clear();
    uint32_t i = start;
    bool root = false;
    while (depth[i] == -1) {
      depth[i] = -2;
      path.push_back(i);
      if (from_of[i] < 0) {
        root = true;
        break;
      }
      i = static_cast<uint32_t>(from_of[i]);
    }
    if (!root && depth[i] == -2) {
      return InvalidInput("plan: the legs around " + plan.legs[start].to + " form a loop: their goods never arrive");
    }
    int32_t d = root ? 0 : depth[i] + 1;
    for (size_t k = path.size(); k-- > 0;) depth[path[k]] = d++;
  }
  for (uint32_t i : legs) {
    const Leg& leg = plan.legs[i];
    if (leg.from.empty() && geo::LevelOfCode(leg.to) != Level::kRegency) {
      return InvalidInput("plan: the leg to " + leg.to + " has no 'from'");
    }
  }
  auto regency_of = [](std::string_view code) { return code.substr(0, 5); };
  std::sort(legs.begin(), legs.end(), [&](uint32_t a, uint32_t b) {
    const std::string_view ra = regency_of(plan.legs[a].to), rb = regency_of(plan.legs[b].to);
    if (ra != rb) return ra < rb;
    if (depth[a] != depth[b]) return depth[a] < depth[b];
    return a < b;
  });

  Network net;
  net.model_ = model;
  net.tables_ = model.Tables();
  // Every TPS in scope needs a leg.
  std::vector<std::string> missing;
  size_t missing_count = 0;
  for (size_t t = 0; t < board.tps_count(); ++t) {
    if (region >= 0 && !regions.Within(board.tps(t).village, region)) continue;
    const int64_t key = geo::RegionKey(regions.at(board.tps(t).village).code) * 1000 + board.tps(t).number;
    if (!by_key.contains(key)) {
      if (missing.size() < 5) missing.push_back(geo::TpsCode(regions, board.tps(t)));
      ++missing_count;
    }
  }
  if (missing_count > 0) {
    std::string list;
    for (const std::string& code : missing) list += (list.empty() ? "" : ", ") + code;
    return InvalidInput("plan: " + std::to_string(missing_count) + " TPS have no leg (" + list +
                        (missing_count > missing.size() ? ", ..." : "") +
                        "); generate the plan again or add their legs");
  }

  // The epoch: a UTC midnight a day before anything happens.
  int64_t earliest = INT64_MAX;
  for (uint32_t i : legs) {
    if (plan.legs[i].dispatch_at != 0) earliest = std::min(earliest, plan.legs[i].dispatch_at);
  }
  if (observed) {
    for (const auto& [code, at] : observed->arrived) earliest = std::min(earliest, at);
    for (const auto& [code, at] : observed->departed) earliest = std::min(earliest, at);
  }
  if (earliest == INT64_MAX) return InvalidInput("plan: no leg has a planned departure");
  net.epoch_ = (earliest / 86400 - 1) * 86400;
  auto minutes = [&](int64_t seconds) { return static_cast<float>((seconds - net.epoch_) / 60.0); };
  if (observed) net.now_ = minutes(observed->now);

  const size_t n = legs.size();
  net.code_.resize(n);
  net.pred_.resize(n);
  net.dispatch_.resize(n);
  net.nominal_.resize(n);
  net.closed_from_.resize(n, 0);
  net.closed_to_.resize(n, 0);
  net.observed_.resize(n, 0);
  net.mode_.resize(n);
  net.flags_.resize(n, 0);
  net.key_.resize(n);
  net.district_.resize(n, -1);
  net.tps_slot_.resize(n, -1);
  net.counted_in_.resize(n, {-1, -1, -1});
  std::vector<int32_t> position(plan.legs.size(), -1);
  std::map<std::string, int32_t> province_slot;
  for (size_t j = 0; j < n; ++j) {
    const Leg& leg = plan.legs[legs[j]];
    position[legs[j]] = static_cast<int32_t>(j);
    const std::string_view regency = regency_of(leg.to);
    if (net.regencies_.empty() || regions.at(net.regencies_.back().region).code != regency) {
      Regency r;
      r.region = regions.Find(regency);
      r.begin = static_cast<uint32_t>(j);
      r.offset = ProvinceUtcOffsetMinutes(regency.substr(0, 2));
      auto [it, added] =
          province_slot.emplace(std::string(regency.substr(0, 2)), static_cast<int32_t>(province_slot.size()));
      if (added) net.provinces_.push_back(regions.Find(regency.substr(0, 2)));
      r.province_slot = it->second;
      r.key = KeyOf(regency, 1);
      r.local_regions.push_back(r.region);
      r.window_from = 1e30f;
      r.window_to = kNever;
      net.regencies_.push_back(std::move(r));
    }
    Regency& r = net.regencies_.back();
    r.end = static_cast<uint32_t>(j + 1);
    if (geo::LevelOfCode(leg.to) == Level::kRegency && !leg.from.empty()) {
      return InvalidInput("plan: the leg to regency " + leg.to + " must be its root (mode ready, no 'from')");
    }
    net.code_[j] = leg.to;
    net.pred_[j] = from_of[legs[j]] < 0 ? -1 : position[from_of[legs[j]]];
    net.dispatch_[j] = leg.dispatch_at == 0 ? kNever : minutes(leg.dispatch_at);
    net.nominal_[j] = static_cast<float>(model.NominalMinutes(leg.mode, leg.km));
    net.mode_[j] = static_cast<uint8_t>(leg.mode);
    net.key_[j] = KeyOf(leg.to, 0);
    const ModeModel& m = model.modes[static_cast<int>(leg.mode)];
    uint8_t flags = 0;
    if (leg.mode != Mode::kReady && (m.window_from > 0 || m.window_to < 1440)) flags |= kWindow;
    if (model.WeatherBound(leg.mode) && model.weather_probability > 0) flags |= kWeather;
    if (leg.closed_to > leg.closed_from) {
      flags |= kFixedClosure;
      net.closed_from_[j] = minutes(leg.closed_from);
      net.closed_to_[j] = minutes(leg.closed_to);
    }
    if (leg.from.empty()) {
      r.window_from = std::min(r.window_from, net.dispatch_[j]);
    }
    const std::optional<Level> level = geo::LevelOfCode(leg.to);
    if (level >= Level::kDistrict) {
      const std::string_view district = geo::AncestorCode(leg.to, Level::kDistrict);
      const uint64_t dkey = KeyOf(district, 2);
      auto it = std::find(r.district_keys.begin(), r.district_keys.end(), dkey);
      if (it == r.district_keys.end()) {
        r.district_keys.push_back(dkey);
        it = r.district_keys.end() - 1;
      }
      if (model.ClosureBound(leg.mode) && model.closure_probability > 0) {
        flags |= kRandomClosure;
        net.district_[j] = static_cast<int32_t>(it - r.district_keys.begin());
      }
    }
    if (observed) {
      if (auto it = observed->arrived.find(leg.to); it != observed->arrived.end() && it->second <= observed->now) {
        flags |= kArrived;
        net.observed_[j] = minutes(it->second);
      } else if (auto dep = observed->departed.find(leg.to);
                 dep != observed->departed.end() && dep->second <= observed->now) {
        flags |= kDeparted;
        net.dispatch_[j] = minutes(dep->second);
      }
    }
    net.flags_[j] = flags;
    if (level == Level::kTps) {
      const int32_t t = static_cast<int32_t>(board.FindTps(leg.to));
      net.tps_slot_[j] = static_cast<int32_t>(net.tps_.size());
      net.tps_.push_back(t);
      net.deadline_.push_back(minutes(board.Deadline(t)));
      r.window_to = std::max(r.window_to, net.deadline_.back());
      // Local ids of its village, district and regency for counting late TPS per region.
      auto local = [&](std::string_view code) {
        const int32_t index = regions.Find(code);
        auto found = std::find(r.local_regions.begin(), r.local_regions.end(), index);
        if (found != r.local_regions.end()) return static_cast<int32_t>(found - r.local_regions.begin());
        r.local_regions.push_back(index);
        return static_cast<int32_t>(r.local_regions.size() - 1);
      };
      net.counted_in_[j] = {local(geo::AncestorCode(leg.to, Level::kVillage)),
                            local(geo::AncestorCode(leg.to, Level::kDistrict)), 0};
    }
  }
  for (Regency& r : net.regencies_) {
    if (r.window_to < r.window_from) r.window_to = r.window_from;
  }
  return net;
}

// The simulation of one regency, kLanes scenarios at a time, with its scratch space.
class Kernel {
 public:
  explicit Kernel(const Network& net) : net_(net) {
    size_t most = 0, regions = 0, districts = 0;
    for (const Network::Regency& r : net.regencies_) {
      most = std::max<size_t>(most, r.end - r.begin);
      regions = std::max(regions, r.local_regions.size());
      districts = std::max(districts, r.district_keys.size());
    }
    arrival_.resize(most * kLanes);
    best_.resize(most * kLanes);
    blamed_.resize(most * kLanes);
    count_.resize(regions * kLanes);
    closed_from_.resize(districts * kLanes);
    closed_to_.resize(districts * kLanes);
    const Model& model = net.model_;
    weather_ = Threshold(model.weather_probability);
    closure_ = Threshold(model.closure_probability);
    vendor_ = Threshold(model.vendor_probability);
  }

  // Runs scenarios [first, first + lanes) of regency block `b`; `seed` keys the random numbers. With `out`, adds
  // each TPS's lateness, histogram and blame to it.
  void Run(size_t b, uint64_t seed, uint32_t first, int lanes, Outcome* out = nullptr);

  // Results of the last Run: arrival of local leg j in lane l, the leg blamed for its delay, and per local region
  // the late TPS in each lane.
  float arrival(size_t j, int l) const { return arrival_[j * kLanes + l]; }
  int32_t blamed(size_t j, int l) const { return blamed_[j * kLanes + l]; }
  int32_t count(size_t local_region, int l) const { return count_[local_region * kLanes + l]; }

 private:
  void Propagate(const Network::Regency& r, uint64_t seed, uint32_t first);

  const Network& net_;
  std::vector<float> arrival_, best_;
  std::vector<int32_t> blamed_, count_;
  std::vector<float> closed_from_, closed_to_;
  uint32_t weather_ = 0, closure_ = 0, vendor_ = 0;
};

__attribute__((target_clones("avx512f", "avx2", "default"))) void Kernel::Propagate(const Network::Regency& r,
                                                                                    uint64_t seed, uint32_t first) {
  const Network& net = net_;
  const Model& model = net.model_;
  const float offset = static_cast<float>(r.offset);
  const uint64_t regency_key = Mix(seed ^ r.key);
  // Road closures of this block, by district and lane.
  const size_t districts = r.district_keys.size();
  if (closure_ > 0) {
    const float span = std::max(0.0f, r.window_to - r.window_from);
    const int days = model.closure_days_max - model.closure_days_min + 1;
    for (size_t d = 0; d < districts; ++d) {
      const uint64_t key = Mix(seed ^ r.district_keys[d]);
      for (int l = 0; l < kLanes; ++l) {
        const uint32_t s = first + l;
        float from = kNever, to = kNever;
        if (Draw(key, s) < closure_) {
          from = r.window_from + span * static_cast<float>(Draw(Purpose(key, 1), s) >> 8) * 0x1.0p-24f;
          to = from +
               1440.0f * static_cast<float>(model.closure_days_min + static_cast<int>(Draw(Purpose(key, 2), s) % days));
        }
        closed_from_[d * kLanes + l] = from;
        closed_to_[d * kLanes + l] = to;
      }
    }
  }
  const float now = net.now_;
  const int64_t epoch_day = net.epoch_ / 86400;  // the epoch is a UTC midnight
  for (uint32_t j = r.begin; j < r.end; ++j) {
    const size_t local = j - r.begin;
    float* const arrival = &arrival_[local * kLanes];
    float* const best = &best_[local * kLanes];
    int32_t* const blamed = &blamed_[local * kLanes];
    const uint8_t flags = net.flags_[j];
    const int32_t p = net.pred_[j];
    if (flags & kArrived) {
      const float at = net.observed_[j];
      for (int l = 0; l < kLanes; ++l) {
        arrival[l] = at;
        best[l] = p < 0 ? 0.0f : best_[(p - r.begin) * kLanes + l];
        blamed[l] = p < 0 ? static_cast<int32_t>(j) : blamed_[(p - r.begin) * kLanes + l];
      }
      continue;
    }
    alignas(64) float dep[kLanes];
    alignas(64) float base[kLanes];
    const float planned = net.dispatch_[j];
    if (flags & kDeparted) {
      for (int l = 0; l < kLanes; ++l) dep[l] = planned;
    } else if (p < 0) {
      // The root: kits ready at the warehouse, unless the vendor is late.
      for (int l = 0; l < kLanes; ++l) {
        float delay = 0;
        if (vendor_ > 0 && Draw(Purpose(regency_key, 7), first + l) < vendor_) {
          const float z = NormalTable()[Draw(Purpose(regency_key, 8), first + l) >> (32 - kTableBits)];
          delay = static_cast<float>(1440.0 * model.vendor_median_days * std::exp(model.vendor_sigma * z));
        }
        dep[l] = std::max(planned + delay, now);
      }
    } else {
      const float* __restrict const from = &arrival_[(p - r.begin) * kLanes];
      const float floor = std::max(planned, now);
      for (int l = 0; l < kLanes; ++l) dep[l] = std::max(floor, from[l]);
    }
    if (p < 0 && !(flags & kDeparted)) {
      for (int l = 0; l < kLanes; ++l) base[l] = planned;
    } else {
      for (int l = 0; l < kLanes; ++l) base[l] = dep[l];
    }
    // A leg that has left (live) keeps its departure. Another waits for closures, then its window, then bad weather,
    // in turns until none moves it: a move into the window or past a bad day may land in a closure.
    const ModeModel& mode = model.modes[net.mode_[j]];
    const float window_from = static_cast<float>(mode.window_from), window_to = static_cast<float>(mode.window_to);
    const bool closed = flags & (kFixedClosure | kRandomClosure), moved = flags & (kWindow | kWeather);
    const int rounds = (flags & kDeparted) ? 0 : closed && moved ? 8 : 1;
    for (int round = 0; round < rounds; ++round) {
      alignas(64) float before[kLanes];
      if (rounds > 1) {
        for (int l = 0; l < kLanes; ++l) before[l] = dep[l];
      }
      if (flags & kFixedClosure) {
        const float from = net.closed_from_[j], to = net.closed_to_[j];
        for (int l = 0; l < kLanes; ++l) dep[l] = dep[l] >= from && dep[l] < to ? to : dep[l];
      }
      if (flags & kRandomClosure) {
        const float* const from = &closed_from_[net.district_[j] * kLanes];
        const float* const to = &closed_to_[net.district_[j] * kLanes];
        for (int l = 0; l < kLanes; ++l) dep[l] = dep[l] >= from[l] && dep[l] < to[l] ? to[l] : dep[l];
      }
      if (flags & kWindow) {
        for (int l = 0; l < kLanes; ++l) dep[l] = IntoWindow(dep[l], offset, window_from, window_to);
      }
      if (flags & kWeather) {
        // A bad day keeps the leg until the next day's window. Spells of bad weather start on a regency's local day
        // (counted from 1970, so that every plan sees the same days) by chance and last some days; a day is bad
        // when a spell that started on it or a few days before lasts.
        const int longest = model.weather_days_max, kinds = longest - model.weather_days_min + 1;
        for (int l = 0; l < kLanes; ++l) {
          const uint32_t s = first + l;
          for (int tries = 0; tries < 60; ++tries) {
            const float day = std::floor((dep[l] + offset) / 1440.0f);
            const int64_t absolute = epoch_day + static_cast<int64_t>(day);
            bool bad = false;
            for (int k = 0; k < longest && !bad; ++k) {
              const uint64_t spell = Mix(regency_key + static_cast<uint64_t>(absolute - k));
              bad =
                  Draw(spell, s) < weather_ &&
                  model.weather_days_min + static_cast<int>(Draw(Purpose(spell, 1), s) % static_cast<uint32_t>(kinds)) >
                      k;
            }
            if (!bad) break;
            dep[l] = (day + 1.0f) * 1440.0f - offset + window_from;
          }
        }
      }
      if (rounds == 1) break;
      int moves = 0;
      for (int l = 0; l < kLanes; ++l) moves += dep[l] != before[l];
      if (moves == 0) break;
    }
    const float nominal = net.nominal_[j];
    const float* const table = net.tables_[net.mode_[j]].data();
    const uint64_t key = Mix(seed ^ net.key_[j]);
    // Lane loops without branches or aliasing, so that they compile to vector code: the random draw, the table
    // lookup (a gather), the arrival, then the blame.
    alignas(64) uint32_t index[kLanes];
    for (int l = 0; l < kLanes; ++l) index[l] = Draw(key, first + l) >> (32 - kTableBits);
    alignas(64) float a[kLanes];
    for (int l = 0; l < kLanes; ++l) a[l] = dep[l] + nominal * table[index[l]];
    if (flags & kDeparted) {
      for (int l = 0; l < kLanes; ++l) a[l] = std::max(a[l], now);
    }
    float* __restrict const out_arrival = arrival;
    float* __restrict const out_best = best;
    int32_t* __restrict const out_blamed = blamed;
    const int32_t self = static_cast<int32_t>(j);
    // The delay this leg adds beyond its nominal time; the largest one on the way is blamed.
    if (p < 0) {
      for (int l = 0; l < kLanes; ++l) {
        out_arrival[l] = a[l];
        out_best[l] = a[l] - (base[l] + nominal);
        out_blamed[l] = self;
      }
    } else {
      const float* __restrict const pred_best = &best_[(p - r.begin) * kLanes];
      const int32_t* __restrict const pred_blamed = &blamed_[(p - r.begin) * kLanes];
      for (int l = 0; l < kLanes; ++l) {
        const float excess = a[l] - (base[l] + nominal);
        const bool worse = excess > pred_best[l];
        out_arrival[l] = a[l];
        out_best[l] = worse ? excess : pred_best[l];
        out_blamed[l] = worse ? self : pred_blamed[l];
      }
    }
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void Kernel::Run(size_t b, uint64_t seed, uint32_t first,
                                                                              int lanes, Outcome* out) {
  const Network::Regency& r = net_.regencies_[b];
  Propagate(r, seed, first);
  std::fill(count_.begin(), count_.begin() + r.local_regions.size() * kLanes, 0);
  for (uint32_t j = r.begin; j < r.end; ++j) {
    const int32_t slot = net_.tps_slot_[j];
    if (slot < 0) continue;
    const float deadline = net_.deadline_[slot];
    const float* __restrict const arrival = &arrival_[(j - r.begin) * kLanes];
    alignas(64) float late[kLanes];
    alignas(64) int32_t bin[kLanes];
    for (int l = 0; l < kLanes; ++l) {
      late[l] = arrival[l] - deadline;
      const float x = std::min(std::max((late[l] - kBinStartMinutes) * (1.0f / kBinMinutes), 0.0f), kBins - 0.5f);
      bin[l] = static_cast<int32_t>(x);
    }
    int late_lanes = 0;
    for (int l = 0; l < kLanes; ++l) late_lanes += (l < lanes) & (late[l] > 0);
    if (late_lanes > 0) {
      const auto& in = net_.counted_in_[j];
      for (int l = 0; l < lanes; ++l) {
        if (late[l] <= 0) continue;
        ++count_[in[0] * kLanes + l];
        ++count_[in[1] * kLanes + l];
        ++count_[l];
        if (out) {
          if (!out->tps.empty()) out->tps[slot].lateness_minutes += late[l];
          ++out->blame[blamed_[(j - r.begin) * kLanes + l]];
        }
      }
    }
    if (!out || out->tps.empty()) continue;
    TpsOutcome& o = out->tps[slot];
    o.late += late_lanes;
    // The earliest and latest arrival of the block, halving lane arrays (a float min/max reduction in one loop would
    // not vectorise without fast-math).
    alignas(64) float low_late[kLanes];
    alignas(64) float high_late[kLanes];
    for (int l = 0; l < kLanes; ++l) low_late[l] = high_late[l] = l < lanes ? late[l] : late[0];
    for (int width = kLanes / 2; width > 0; width /= 2) {
      for (int l = 0; l < width; ++l) {
        low_late[l] = std::min(low_late[l], low_late[l + width]);
        high_late[l] = std::max(high_late[l], high_late[l + width]);
      }
    }
    o.earliest = std::min(o.earliest, low_late[0]);
    o.latest = std::max(o.latest, high_late[0]);
    // Arrivals are close together: often every lane falls in one bin.
    int32_t low = bin[0], high = bin[0];
    if (lanes == kLanes) {
      for (int l = 1; l < kLanes; ++l) {
        low = std::min(low, bin[l]);
        high = std::max(high, bin[l]);
      }
    } else {
      high = low + 1;  // a last, partial block: one lane at a time
    }
    if (low == high) {
      o.histogram[low] += static_cast<uint32_t>(lanes);
    } else {
      for (int l = 0; l < lanes; ++l) ++o.histogram[bin[l]];
    }
  }
}

std::vector<double> Network::Timeline() const {
  std::vector<double> arrival(legs());
  for (size_t j = 0; j < legs(); ++j) {
    const int32_t p = pred_[j];
    const uint8_t flags = flags_[j];
    if (flags & kArrived) {
      arrival[j] = observed_[j];
      continue;
    }
    float dep =
        flags & kDeparted ? dispatch_[j] : std::max(dispatch_[j], p < 0 ? kNever : static_cast<float>(arrival[p]));
    dep = std::max(dep, now_);
    // As in the kernel: a leg that has left keeps its departure; another waits for a closure and its window in turns.
    for (int round = 0; round < 8 && !(flags & kDeparted); ++round) {
      const float before = dep;
      if (flags & kFixedClosure && dep >= closed_from_[j] && dep < closed_to_[j]) dep = closed_to_[j];
      if (flags & kWindow) {
        const ModeModel& mode = model_.modes[mode_[j]];
        const size_t b = std::upper_bound(regencies_.begin(), regencies_.end(), j,
                                          [](size_t leg, const Regency& r) { return leg < r.end; }) -
                         regencies_.begin();
        dep = IntoWindow(dep, static_cast<float>(regencies_[b].offset), static_cast<float>(mode.window_from),
                         static_cast<float>(mode.window_to));
      }
      if (dep == before) break;
    }
    float a = dep + nominal_[j];
    if (flags & kDeparted) a = std::max(a, now_);
    arrival[j] = a;
  }
  return arrival;
}

std::vector<float> Network::Arrivals(uint64_t seed, int64_t first, int lanes) const {
  std::vector<float> out(legs() * lanes);
  Kernel kernel(*this);
  for (int done = 0; done < lanes; done += kLanes) {
    for (size_t b = 0; b < regencies_.size(); ++b) {
      kernel.Run(b, seed, static_cast<uint32_t>(first + done), kLanes);
      for (uint32_t j = regencies_[b].begin; j < regencies_[b].end; ++j) {
        for (int l = 0; l < kLanes && done + l < lanes; ++l) {
          out[j * lanes + done + l] = kernel.arrival(j - regencies_[b].begin, l);
        }
      }
    }
  }
  return out;
}

Outcome Simulate(const Network& net, const Options& options) {
  const int64_t n = options.scenarios;
  Outcome out;
  out.scenarios = n;
  if (options.tps_detail) out.tps.resize(net.tps());
  out.blame.assign(net.legs(), 0);
  const size_t provinces = net.provinces_.size();
  // Late TPS per scenario in each province, added to by every thread (integers: the order does not matter).
  const int threads = std::max(1, options.threads);
  std::vector<std::atomic<int32_t>> by_province(provinces * n);
  // Per region within regencies: the sum and the sum of squares over scenarios of its late TPS.
  std::vector<std::vector<std::pair<int64_t, int64_t>>> moments(net.regencies_.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    Kernel kernel(net);
    for (size_t b = next++; b < net.regencies_.size(); b = next++) {
      const Network::Regency& r = net.regencies_[b];
      std::vector<std::pair<int64_t, int64_t>>& m = moments[b];
      m.assign(r.local_regions.size(), {0, 0});
      for (int64_t first = 0; first < n; first += kLanes) {
        const int lanes = static_cast<int>(std::min<int64_t>(kLanes, n - first));
        kernel.Run(b, options.seed, static_cast<uint32_t>(first), lanes, &out);
        for (size_t k = 0; k < r.local_regions.size(); ++k) {
          for (int l = 0; l < lanes; ++l) {
            const int64_t c = kernel.count(k, l);
            m[k].first += c;
            m[k].second += c * c;
          }
        }
        std::atomic<int32_t>* const row = &by_province[r.province_slot * n + first];
        for (int l = 0; l < lanes; ++l) row[l].fetch_add(kernel.count(0, l), std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  std::vector<int32_t> province(by_province.size());
  for (size_t i = 0; i < province.size(); ++i) province[i] = by_province[i].load(std::memory_order_relaxed);
  by_province.clear();
  out.late_by_scenario.assign(n, 0);
  for (size_t p = 0; p < provinces; ++p) {
    for (int64_t s = 0; s < n; ++s) out.late_by_scenario[s] += province[p * n + s];
  }
  auto outcome = [&](int32_t region, int64_t tps, double sum, double sumsq) {
    RegionOutcome o;
    o.region = region;
    o.tps = tps;
    o.expected_late = sum / n;
    o.sd_late = n > 1 ? std::sqrt(std::max(0.0, (sumsq - sum * sum / n) / (n - 1))) : 0;
    return o;
  };
  auto series = [&](const int32_t* values) {
    double s = 0, ss = 0;
    for (int64_t i = 0; i < n; ++i) {
      s += values[i];
      ss += static_cast<double>(values[i]) * values[i];
    }
    return std::pair(s, ss);
  };
  // TPS per region.
  std::map<int32_t, int64_t> tps_in;
  std::vector<int64_t> tps_in_province(provinces, 0);
  for (const Network::Regency& r : net.regencies_) {
    for (uint32_t j = r.begin; j < r.end; ++j) {
      if (net.tps_slot_[j] < 0) continue;
      ++tps_in_province[r.province_slot];
      ++tps_in[r.region];
      ++tps_in[r.local_regions[net.counted_in_[j][0]]];
      ++tps_in[r.local_regions[net.counted_in_[j][1]]];
    }
  }
  {
    auto [s, ss] = series(out.late_by_scenario.data());
    out.regions.push_back(outcome(-1, static_cast<int64_t>(net.tps()), s, ss));
  }
  std::map<int32_t, RegionOutcome> all;
  for (size_t p = 0; p < provinces; ++p) {
    auto [s, ss] = series(&province[p * n]);
    all[net.provinces_[p]] = outcome(net.provinces_[p], tps_in_province[p], s, ss);
  }
  for (size_t b = 0; b < net.regencies_.size(); ++b) {
    const Network::Regency& r = net.regencies_[b];
    for (size_t k = 0; k < r.local_regions.size(); ++k) {
      const int32_t region = r.local_regions[k];
      all[region] = outcome(region, tps_in[region], static_cast<double>(moments[b][k].first),
                            static_cast<double>(moments[b][k].second));
    }
  }
  for (auto& [region, o] : all) out.regions.push_back(o);
  return out;
}

std::vector<int64_t> SimulateStraightforward(const Network& net, const Model& model, const Options& options) {
  std::vector<int64_t> late(net.tps(), 0);
  std::vector<double> arrival(net.legs());
  std::mt19937_64 engine(options.seed);
  std::vector<std::lognormal_distribution<double>> travel;
  for (size_t j = 0; j < net.legs(); ++j) {
    const ModeModel& m = model.modes[static_cast<int>(net.leg_mode(j))];
    travel.emplace_back(std::log(std::max(1e-9, static_cast<double>(net.nominal_[j]))), m.sigma);
  }
  for (int64_t s = 0; s < options.scenarios; ++s) {
    for (size_t j = 0; j < net.legs(); ++j) {
      const int32_t p = net.pred_[j];
      const double dep = std::max(static_cast<double>(net.dispatch_[j]), p < 0 ? -1e30 : arrival[p]);
      arrival[j] = dep + (net.nominal_[j] > 0 ? travel[j](engine) : 0.0);
      const int32_t slot = net.tps_slot_[j];
      if (slot >= 0 && arrival[j] > net.deadline_[slot]) ++late[slot];
    }
  }
  return late;
}

double ArrivalQuantile(const Network& net, size_t slot, const TpsOutcome& o, int64_t scenarios, double q) {
  const double target = q * static_cast<double>(scenarios);
  double seen = 0;
  for (int b = 0; b < kBins; ++b) {
    const double here = o.histogram[b];
    if (here > 0 && seen + here >= target) {
      // Within the bin, spread between the part of it the earliest and latest arrivals seen cover: a bin that holds
      // every arrival of a TPS arriving at one time gives that time. The end bins hold everything beyond them.
      const double from = b == 0 ? o.earliest : std::max<double>(kBinStartMinutes + b * kBinMinutes, o.earliest);
      const double to =
          b == kBins - 1 ? o.latest : std::min<double>(kBinStartMinutes + (b + 1) * kBinMinutes, o.latest);
      const double within = std::clamp((target - seen) / here, 0.0, 1.0);
      return net.deadline(slot) + from + within * std::max(0.0, to - from);
    }
    seen += here;
  }
  return net.deadline(slot) + o.latest;
}

std::pair<double, double> Wilson95(int64_t hits, int64_t n) {
  if (n <= 0) return {0, 1};
  const double z = 1.959963984540054, p = static_cast<double>(hits) / n;
  const double denominator = 1 + z * z / n;
  const double centre = (p + z * z / (2.0 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
  return {hits == 0 ? 0.0 : std::max(0.0, centre - half), hits == n ? 1.0 : std::min(1.0, centre + half)};
}

Difference Compare(const Outcome& base, const Outcome& changed) {
  const int64_t n = std::min(base.scenarios, changed.scenarios);
  double sum = 0, sumsq = 0;
  for (int64_t s = 0; s < n; ++s) {
    const double d = static_cast<double>(changed.late_by_scenario[s]) - base.late_by_scenario[s];
    sum += d;
    sumsq += d * d;
  }
  Difference out;
  if (n == 0) return out;
  out.mean = sum / n;
  const double sd = n > 1 ? std::sqrt(std::max(0.0, (sumsq - sum * sum / n) / (n - 1))) : 0;
  const double half = 1.959963984540054 * sd / std::sqrt(static_cast<double>(n));
  out.low = out.mean - half;
  out.high = out.mean + half;
  return out;
}

namespace {

// The next faster way to make a leg's journey, or nothing.
std::optional<Mode> Faster(Mode mode) {
  switch (mode) {
    case Mode::kMotorbike:
      return Mode::kCar;
    case Mode::kBoat:
      return Mode::kSpeedboat;
    case Mode::kSpeedboat:
    case Mode::kFoot:
    case Mode::kAircraft:
      return Mode::kHelicopter;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<std::vector<Mitigation>> Mitigate(const Plan& plan, const readiness::Board& board, const Model& model,
                                         const Network& network, const Outcome& outcome, int32_t region, int budget,
                                         double advance_hours, const Options& options, const Observed* observed) {
  const geo::RegionSet& regions = board.regions();
  // Candidates: the legs most often blamed for a late TPS (not the roots: a regency's readiness is the vendor's).
  std::vector<size_t> blamed;
  for (size_t j = 0; j < network.legs(); ++j) {
    if (outcome.blame[j] > 0 && network.leg_pred(j) >= 0) blamed.push_back(j);
  }
  const size_t keep = std::min(blamed.size(), static_cast<size_t>(std::max(40, std::min(budget, 1000) * 8)));
  std::partial_sort(blamed.begin(), blamed.begin() + keep, blamed.end(), [&](size_t a, size_t b) {
    return outcome.blame[a] != outcome.blame[b] ? outcome.blame[a] > outcome.blame[b] : a < b;
  });
  blamed.resize(keep);
  std::map<std::string, const Leg*> planned;
  for (const Leg& leg : plan.legs) planned.emplace(leg.to, &leg);
  struct Candidate {
    Change change;
    std::string regency;
    double gain = 0;
    bool taken = false;
  };
  std::vector<Candidate> candidates;
  for (size_t j : blamed) {
    const std::string& code = network.leg_code(j);
    const Leg& leg = *planned.at(code);
    const std::string regency(code.substr(0, 5));
    if (std::optional<Mode> faster = Faster(leg.mode)) {
      Change c;
      c.kind = Change::Kind::kMode;
      c.region = code;
      c.exact = true;
      c.to_mode = *faster;
      c.label =
          "leg to " + code + " by " + std::string(ModeName(*faster)) + " instead of " + std::string(ModeName(leg.mode));
      candidates.push_back({std::move(c), regency});
    }
    if (leg.dispatch_at != 0 && advance_hours > 0) {
      Change c;
      c.kind = Change::Kind::kAdvance;
      c.region = code;
      c.exact = true;
      c.seconds = static_cast<int64_t>(std::llround(advance_hours * 3600));
      c.label = "leg to " + code + " leaves " + FormatNumber(advance_hours) + " hours earlier";
      candidates.push_back({std::move(c), regency});
    }
  }
  // Each regency's own plan, with the changes chosen so far.
  std::map<std::string, Plan> sub;
  std::map<std::string, std::vector<Change>> chosen;
  for (const Candidate& c : candidates) sub.emplace(c.regency, Plan{});
  for (const Leg& leg : plan.legs) {
    auto it = sub.find(leg.to.substr(0, 5));
    if (it != sub.end()) it->second.legs.push_back(leg);
  }
  Options local = options;
  local.threads = 1;
  local.tps_detail = false;
  auto expected_late = [&](const std::string& regency, const std::vector<Change>& changes) -> Result<double> {
    Plan p = sub.at(regency);
    RETURN_IF_ERROR(ApplyChanges(changes, p));
    int32_t scope = regions.Find(regency);
    if (region >= 0 && regions.Within(region, scope)) scope = region;  // a scope within the regency
    Network net = TRY(Network::Build(p, board, model, scope, observed));
    return Simulate(net, local).regions.front().expected_late;
  };
  std::map<std::string, double> base;
  for (const auto& [regency, p] : sub) base[regency] = TRY(expected_late(regency, {}));
  // Judges candidates (those of `regency`, or all when empty) in parallel; each thread runs one at a time.
  auto judge = [&](const std::string& regency) -> Status {
    std::vector<size_t> todo;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!candidates[i].taken && (regency.empty() || candidates[i].regency == regency)) todo.push_back(i);
    }
    std::atomic<size_t> next{0};
    std::vector<Status> failed(std::max(1, options.threads));
    auto work = [&](int t) {
      for (size_t k = next++; k < todo.size(); k = next++) {
        Candidate& c = candidates[todo[k]];
        std::vector<Change> changes = chosen.at(c.regency);
        changes.push_back(c.change);
        Result<double> late = expected_late(c.regency, changes);
        if (!late.ok()) {
          failed[t] = std::move(late).error();
          return;
        }
        c.gain = base.at(c.regency) - late.value();
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < options.threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (std::thread& thread : pool) thread.join();
    for (Status& status : failed) RETURN_IF_ERROR(std::move(status));
    return {};
  };
  // `chosen` is filled before the threads start, so they only read it.
  for (const Candidate& c : candidates) chosen[c.regency];
  RETURN_IF_ERROR(judge(""));
  std::vector<Mitigation> out;
  while (static_cast<int>(out.size()) < budget) {
    Candidate* best = nullptr;
    for (Candidate& c : candidates) {
      if (!c.taken && c.gain > 1e-9 && (!best || c.gain > best->gain)) best = &c;
    }
    if (!best) break;
    best->taken = true;
    chosen[best->regency].push_back(best->change);
    base[best->regency] -= best->gain;
    out.push_back({best->change, best->gain});
    RETURN_IF_ERROR(judge(best->regency));
  }
  return out;
}

}  // namespace tepat::sim
