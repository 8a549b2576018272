// The synthetic generator.
#include "geo/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "common/random.h"

namespace tepat::geo {

namespace {

// A uniform number in [0, 1) for (seed, key, stream).
double Uniform(uint64_t seed, uint64_t key, uint64_t stream) {
  return static_cast<double>(Mix(Mix(seed ^ Mix(key)) + stream) >> 11) * 0x1.0p-53;
}

// Splits `total` into parts in proportion to `weights`, each at least `minimum[i]`, by the largest remainder.
std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& weights, const std::vector<int64_t>& minimum) {
  const size_t n = weights.size();
  std::vector<int64_t> parts(minimum);
  int64_t left = total - std::accumulate(minimum.begin(), minimum.end(), int64_t{0});
  if (left <= 0 || n == 0) return parts;
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < n; ++i) {
    double share = sum > 0 ? left * weights[i] / sum : static_cast<double>(left) / n;
    int64_t whole = static_cast<int64_t>(std::floor(share));
    parts[i] += whole;
    given += whole;
    remainders.emplace_back(share - whole, i);
  }
  std::sort(remainders.begin(), remainders.end(),
            [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (size_t k = 0; given < left; ++k, ++given) parts[remainders[k % n].second] += 1;
  return parts;
}

// How a village is reached, and the hours from its district office, drawn by where it lies.
struct Reach {
  Access access;
  float hours;
};

Reach DrawReach(const RegionSet& regions, int32_t village, int island_regency, uint64_t seed) {
  const std::string& code = regions.at(village).code;
  const std::string province = code.substr(0, 2);
  const std::string& regency_name = regions.at(regions.Ancestor(village, Level::kRegency)).name;
  const double u = Uniform(seed, RegionKey(code), 1);
  const double h = Uniform(seed, RegionKey(code), 2);
  // Shares of (road, river, sea, air, foot) by kind of place.
  std::array<double, 5> share = {0.97, 0.0, 0.0, 0.0, 0.03};
  if (province == "95") {
    share = {0.20, 0.0, 0.0, 0.45, 0.35};  // Papua Pegunungan: highlands by aircraft and on foot
  } else if (province == "94") {
    share = {0.35, 0.10, 0.0, 0.30, 0.25};  // Papua Tengah
  } else if (province == "91" || province == "93") {
    share = {0.45, 0.35, 0.10, 0.10, 0.0};  // Papua, Papua Selatan: rivers
  } else if (province == "92" || province == "96") {
    share = {0.55, 0.10, 0.25, 0.10, 0.0};
  } else if (province == "81" || province == "82") {
    share = {0.55, 0.0, 0.45, 0.0, 0.0};  // Maluku: islands
  } else if (province[0] == '6') {
    share = {0.78, 0.20, 0.0, 0.0, 0.02};  // Kalimantan: rivers
  }
  if (island_regency > 0 || regency_name.find("Kepulauan") != std::string::npos) {
    share[2] = std::max(share[2], 0.40);
    share[0] = std::max(0.0, 1.0 - share[1] - share[2] - share[3] - share[4]);
  }
  const double total = share[0] + share[1] + share[2] + share[3] + share[4];
  double pick = u * total;
  size_t mode = 0;
  while (mode < 4 && pick >= share[mode]) pick -= share[mode++];
  static constexpr double kLow[] = {0.2, 2.0, 1.0, 1.0, 2.0};
  static constexpr double kHigh[] = {3.0, 12.0, 24.0, 4.0, 24.0};
  double hours = kLow[mode] + (kHigh[mode] - kLow[mode]) * h * h;  // most places are near the low end
  return {static_cast<Access>(mode + 1), static_cast<float>(std::round(hours * 10) / 10)};
}

}  // namespace

Result<std::vector<Tps>> GenerateTps(const RegionSet& regions, const SyntheticProfile& profile, uint64_t seed) {
  const auto& provinces = regions.OfLevel(Level::kProvince);
  const auto& villages = regions.OfLevel(Level::kVillage);
  if (villages.empty()) return InvalidInput("no villages are loaded: run `tepat import regions` first");
  if (profile.tps <= 0 || profile.dpt <= 0 || profile.voter_cap <= 0) {
    return InvalidInput("the election has no [synthetic] figures (tps, dpt) to generate from");
  }
  // Villages per province (villages are in code order, so each province's villages are contiguous).
  std::vector<std::vector<int32_t>> province_villages(provinces.size());
  {
    size_t p = 0;
    for (int32_t village : villages) {
      const int32_t province = regions.Ancestor(village, Level::kProvince);
      while (provinces[p] != province) ++p;
      province_villages[p].push_back(village);
    }
  }
  // TPS per province: known counts, the rest in proportion to villages (at least one TPS per village).
  std::vector<int64_t> tps_per_province(provinces.size(), 0);
  int64_t known_tps = 0;
  std::vector<double> weights;
  std::vector<int64_t> minimum;
  std::vector<size_t> unknown;
  for (size_t p = 0; p < provinces.size(); ++p) {
    auto known = profile.province_tps.find(regions.at(provinces[p]).code);
    const int64_t village_count = static_cast<int64_t>(province_villages[p].size());
    if (known != profile.province_tps.end()) {
      if (known->second < village_count) {
        return InvalidInput("province " + known->first + " is given " + std::to_string(known->second) +
                            " TPS, fewer than its " + std::to_string(village_count) + " villages");
      }
      tps_per_province[p] = known->second;
      known_tps += known->second;
    } else {
      unknown.push_back(p);
      weights.push_back(static_cast<double>(village_count));
      minimum.push_back(village_count);
    }
  }
  std::vector<int64_t> shares = Apportion(profile.tps - known_tps, weights, minimum);
  for (size_t k = 0; k < unknown.size(); ++k) tps_per_province[unknown[k]] = shares[k];
  const int64_t total_tps = std::accumulate(tps_per_province.begin(), tps_per_province.end(), int64_t{0});
  if (total_tps != profile.tps) {
    return InvalidInput("the known TPS per province and one TPS per village need " + std::to_string(total_tps) +
                        " TPS, not " + std::to_string(profile.tps));
  }
  // DPT per province: known figures, the rest in proportion to TPS.
  std::vector<int64_t> dpt_per_province(provinces.size(), 0);
  int64_t known_dpt = 0;
  weights.clear();
  minimum.clear();
  unknown.clear();
  for (size_t p = 0; p < provinces.size(); ++p) {
    auto known = profile.province_dpt.find(regions.at(provinces[p]).code);
    if (known != profile.province_dpt.end()) {
      dpt_per_province[p] = known->second;
      known_dpt += known->second;
    } else {
      unknown.push_back(p);
      weights.push_back(static_cast<double>(tps_per_province[p]));
      minimum.push_back(tps_per_province[p]);  // every TPS has at least one voter
    }
  }
  if (known_tps > profile.tps || known_dpt > profile.dpt) {
    return InvalidInput("the known per-province figures add up to more than the national tps or dpt");
  }
  for (size_t p = 0; p < provinces.size(); ++p) {
    if (dpt_per_province[p] > 0 && dpt_per_province[p] < tps_per_province[p]) {
      return InvalidInput("province " + regions.at(provinces[p]).code + " is given fewer voters than TPS");
    }
  }
  shares = Apportion(profile.dpt - known_dpt, weights, minimum);
  for (size_t k = 0; k < unknown.size(); ++k) dpt_per_province[unknown[k]] = shares[k];

  // Regencies with many populated islands are reached by sea.
  std::map<std::string, int> populated_islands;
  for (const Island& island : regions.islands()) {
    if (island.populated && !island.regency_code.empty()) ++populated_islands[island.regency_code];
  }

  std::vector<Tps> out;
  out.reserve(profile.tps);
  const double male_share = profile.dpt_l > 0 ? static_cast<double>(profile.dpt_l) / profile.dpt : 0.5;
  for (size_t p = 0; p < provinces.size(); ++p) {
    const auto& members = province_villages[p];
    const int64_t tps_count = tps_per_province[p];
    const int64_t dpt = dpt_per_province[p];
    if (dpt > tps_count * profile.voter_cap) {
      return InvalidInput("province " + regions.at(provinces[p]).code + " would need more than " +
                          std::to_string(profile.voter_cap) + " voters per TPS");
    }
    // TPS per village: one each, the rest by a skewed weight (kelurahan, codes 1xxx, are denser towns).
    weights.assign(members.size(), 0);
    minimum.assign(members.size(), 1);
    for (size_t v = 0; v < members.size(); ++v) {
      const std::string& code = regions.at(members[v]).code;
      const double u = Uniform(seed, RegionKey(code), 3);
      weights[v] = std::exp(1.2 * (u - 0.5) * 2) * (code[code.size() - 4] == '1' ? 3.0 : 1.0);
    }
    std::vector<int64_t> per_village = Apportion(tps_count, weights, minimum);
    // Three digits number a village's TPS: move any excess over 999 to villages with room, in code order.
    int64_t excess = 0;
    for (int64_t& count : per_village) {
      if (count > 999) excess += count - 999, count = 999;
    }
    for (size_t v = 0; excess > 0 && v < members.size(); ++v) {
      const int64_t moved = std::min<int64_t>(excess, 999 - per_village[v]);
      per_village[v] += moved;
      excess -= moved;
    }
    if (excess > 0) {
      return InvalidInput("province " + regions.at(provinces[p]).code + " has more TPS than 999 per village allow");
    }
    // Voters: a draw around the province's average, then corrected to the exact total within [1, cap].
    const size_t first = out.size();
    const double average = static_cast<double>(dpt) / tps_count;
    const double spread = std::min(average * 0.3, profile.voter_cap - average);
    int64_t drawn = 0;
    for (size_t v = 0; v < members.size(); ++v) {
      const int32_t village = members[v];
      const std::string regency = std::string(AncestorCode(regions.at(village).code, Level::kRegency));
      const Reach reach =
          DrawReach(regions, village, populated_islands.count(regency) && populated_islands[regency] >= 10, seed);
      for (int64_t n = 1; n <= per_village[v]; ++n) {
        Tps tps;
        tps.village = village;
        tps.number = static_cast<int32_t>(n);
        const double u = Uniform(seed, RegionKey(regions.at(village).code) * 1000 + n, 4);
        tps.dpt = static_cast<int32_t>(
            std::clamp<int64_t>(std::llround(average + spread * (2 * u - 1)), 1, profile.voter_cap));
        drawn += tps.dpt;
        tps.access = reach.access;
        tps.travel_hours = reach.hours;
        out.push_back(tps);
      }
    }
    // Correct to the exact total, one voter at a time across the TPS, round robin.
    for (size_t i = first; drawn != dpt; i = (i + 1 < out.size() ? i + 1 : first)) {
      Tps& tps = out[i];
      if (drawn < dpt && tps.dpt < profile.voter_cap) {
        const int64_t step = std::min<int64_t>(dpt - drawn, std::min<int64_t>(profile.voter_cap - tps.dpt, 7));
        tps.dpt += static_cast<int32_t>(step);
        drawn += step;
      } else if (drawn > dpt && tps.dpt > 1) {
        const int64_t step = std::min<int64_t>(drawn - dpt, std::min<int64_t>(tps.dpt - 1, 7));
        tps.dpt -= static_cast<int32_t>(step);
        drawn -= step;
      }
    }
    for (size_t i = first; i < out.size(); ++i) {
      Tps& tps = out[i];
      const uint64_t key = RegionKey(regions.at(tps.village).code) * 1000 + tps.number;
      tps.dpt_l = static_cast<int32_t>(std::llround(tps.dpt * (male_share + 0.04 * (Uniform(seed, key, 5) - 0.5))));
      tps.dpt_l = std::clamp(tps.dpt_l, 0, tps.dpt);
      tps.dpt_p = tps.dpt - tps.dpt_l;
      const double disabled = tps.dpt * profile.disabled_per_100000 / 100000.0 * 2 * Uniform(seed, key, 6);
      tps.disabled = static_cast<int32_t>(std::floor(disabled + Uniform(seed, key, 7)));
      tps.disabled = std::min(tps.disabled, tps.dpt);
    }
  }
  SortTps(out);
  return out;
}

Result<std::vector<Dapil>> GenerateDapil(const RegionSet& regions, const std::vector<DapilContest>& contests,
                                         const SyntheticProfile& profile, const std::vector<Tps>& tps, uint64_t seed) {
  (void)seed;  // Dapil are drawn by balancing voters, which needs no chance; the seed is kept for the interface.
  // Weight of each region: its DPT, or its number of villages when no TPS are loaded.
  std::vector<double> weight(regions.size(), 0);
  if (!tps.empty()) {
    for (const Tps& station : tps) weight[station.village] += station.dpt;
  } else {
    for (int32_t village : regions.OfLevel(Level::kVillage)) weight[village] = 1;
  }
  for (int32_t i = static_cast<int32_t>(regions.size()) - 1; i >= 0; --i) {
    if (regions.at(i).parent >= 0) weight[regions.at(i).parent] += weight[i];
  }
  static constexpr const char* kRoman[] = {"I",  "II",  "III",  "IV",  "V",  "VI",  "VII",  "VIII",  "IX",  "X",
                                           "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"};
  std::vector<Dapil> out;
  for (const DapilContest& contest : contests) {
    auto wanted = profile.dapil_count.find(contest.code);
    if (wanted == profile.dapil_count.end()) {
      return InvalidInput("the election's [synthetic.dapil] gives no count for " + contest.code);
    }
    const Level unit = contest.within == Level::kProvince ? Level::kRegency : Level::kDistrict;
    // The enclosing regions where the contest is held, and their units.
    std::vector<int32_t> anchors;
    std::vector<std::vector<int32_t>> units;
    for (int32_t anchor : regions.OfLevel(contest.within)) {
      const std::string province(AncestorCode(regions.at(anchor).code, Level::kProvince));
      if (std::find(contest.excluded_provinces.begin(), contest.excluded_provinces.end(), province) !=
          contest.excluded_provinces.end()) {
        continue;
      }
      std::vector<int32_t> members;
      auto [first, last] = regions.Subtree(anchor);
      for (int32_t r = first; r < last; ++r) {
        if (regions.at(r).level == unit) members.push_back(r);
      }
      if (members.empty()) continue;
      anchors.push_back(anchor);
      units.push_back(std::move(members));
    }
    const int64_t total = wanted->second;
    if (total < static_cast<int64_t>(anchors.size())) {
      return InvalidInput(contest.code + ": " + std::to_string(total) + " dapil cannot cover " +
                          std::to_string(anchors.size()) + " regions of level " +
                          std::string(LevelName(contest.within)));
    }
    // Dapil per anchor: in proportion to voters, at least one, at most one per unit.
    std::vector<double> weights;
    std::vector<int64_t> minimum(anchors.size(), 1);
    int64_t capacity = 0;
    for (size_t a = 0; a < anchors.size(); ++a) {
      weights.push_back(weight[anchors[a]]);
      capacity += static_cast<int64_t>(units[a].size());
    }
    if (total > capacity) {
      return InvalidInput(contest.code + ": " + std::to_string(total) + " dapil need more than the " +
                          std::to_string(capacity) + " regions of level " + std::string(LevelName(unit)) +
                          " there are");
    }
    std::vector<int64_t> counts = Apportion(total, weights, minimum);
    // Move any count above an anchor's number of units to the anchors with room, largest weight first.
    int64_t spill = 0;
    for (size_t a = 0; a < anchors.size(); ++a) {
      const int64_t room = static_cast<int64_t>(units[a].size());
      if (counts[a] > room) spill += counts[a] - room, counts[a] = room;
    }
    std::vector<size_t> order(anchors.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return weights[x] > weights[y]; });
    while (spill > 0) {
      for (size_t a : order) {
        if (spill > 0 && counts[a] < static_cast<int64_t>(units[a].size())) ++counts[a], --spill;
      }
    }
    for (size_t a = 0; a < anchors.size(); ++a) {
      // Cut the units (in code order) into counts[a] runs of about equal voters.
      const auto& members = units[a];
      const int64_t groups = counts[a];
      double anchor_weight = 0;
      for (int32_t m : members) anchor_weight += weight[m];
      const Region& anchor = regions.at(anchors[a]);
      size_t m = 0;
      double running = 0;
      for (int64_t g = 0; g < groups; ++g) {
        Dapil dapil;
        dapil.contest = contest.code;
        char number[8];
        std::snprintf(number, sizeof number, "-%02d", static_cast<int>(g + 1));
        dapil.code = anchor.code + number;
        std::string region_name = anchor.name;
        dapil.name = contest.within == Level::kProvince && g < 20 ? region_name + " " + kRoman[g]
                                                                  : region_name + " " + std::to_string(g + 1);
        const double target = anchor_weight * (g + 1) / groups;
        const size_t must_leave = static_cast<size_t>(groups - g - 1);
        do {
          running += weight[members[m]];
          dapil.regions.push_back(members[m]);
          ++m;
        } while (m < members.size() - must_leave && (g == groups - 1 || running + weight[members[m]] / 2 <= target));
        out.push_back(std::move(dapil));
      }
    }
  }
  return out;
}

}  // namespace tepat::geo
