// Monte Carlo simulation of a distribution plan: in each scenario every leg's travel time is drawn from its mode's
// distribution and the shared shocks (weather, road closures, late vendors) are drawn per place and day; arrival
// times are propagated down each regency's tree (a leg leaves at the later of its planned departure and the arrival
// of its goods, within its mode's window); every TPS's arrival is compared with its deadline. Scenarios run as SIMD
// lanes; random numbers come from a counter-based generator keyed by (seed, leg or place, scenario), so a scenario
// is the same whatever the thread count, and two plans see the same random numbers wherever they share a leg
// (common random numbers: their difference is not noise). Per-TPS lateness is kept as a histogram.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "readiness/board.h"
#include "sim/model.h"
#include "sim/plan.h"

namespace tepat::sim {

// What the ledger says has already happened, for a projection during the distribution: nothing leaves before
// `now`; a node whose goods arrived keeps its arrival; a leg already on its way keeps its departure.
struct Observed {
  int64_t now = 0;
  std::unordered_map<std::string, int64_t> arrived;   // node code (region or TPS) → first arrival
  std::unordered_map<std::string, int64_t> departed;  // node code → when its goods first left for it
};

struct Options {
  int64_t scenarios = 1000;
  uint64_t seed = 1;
  int threads = 2;
  bool tps_detail = true;  // each TPS's outcome; without it (comparisons) only regions, scenarios and blame
};

struct Outcome;

// A plan compiled for simulation: the legs reaching the TPS of one region (or the nation), in tree order per
// regency, with times in minutes from an epoch.
class Network {
 public:
  // Fails when a TPS in scope has no leg, or a leg's goods never reach it (a cycle on a trip).
  static Result<Network> Build(const Plan& plan, const readiness::Board& board, const Model& model, int32_t region = -1,
                               const Observed* observed = nullptr);

  size_t legs() const { return pred_.size(); }
  size_t tps() const { return tps_.size(); }
  size_t regencies() const { return regencies_.size(); }
  int64_t epoch() const { return epoch_; }
  const std::string& leg_code(size_t leg) const { return code_[leg]; }
  int32_t leg_pred(size_t leg) const { return pred_[leg]; }
  Mode leg_mode(size_t leg) const { return static_cast<Mode>(mode_[leg]); }
  // The TPS (board index) a leg reaches, or -1.
  int32_t leg_tps(size_t leg) const { return tps_slot_[leg] < 0 ? -1 : tps_[tps_slot_[leg]]; }
  // The TPS in scope (board indices) and each one's leg.
  const std::vector<int32_t>& tps_list() const { return tps_; }
  // Minutes from the epoch → Unix seconds.
  int64_t ToSeconds(double minutes) const { return epoch_ + static_cast<int64_t>(std::llround(minutes * 60)); }
  // The deadline of the TPS in slot `slot`, in minutes from the epoch.
  float deadline(size_t slot) const { return deadline_[slot]; }
  // The plan's own timeline: every leg's arrival with nominal travel times and no shock (minutes from the epoch).
  std::vector<double> Timeline() const;
  // Each leg's arrival in `lanes` scenarios from `first` (leg-major, lanes per leg): for tests and tools.
  std::vector<float> Arrivals(uint64_t seed, int64_t first, int lanes) const;
  // The regency (RegionSet index) of each regency block.
  int32_t regency(size_t block) const { return regencies_[block].region; }

 private:
  friend class Kernel;
  friend Outcome Simulate(const Network& network, const Options& options);
  friend std::vector<int64_t> SimulateStraightforward(const Network& network, const Model& model,
                                                      const Options& options);
  struct Regency {
    int32_t region = -1;
    uint32_t begin = 0, end = 0;  // its legs
    int32_t offset = 0;           // minutes east of UTC
    int32_t province_slot = 0;
    uint64_t key = 0;
    float window_from = 0, window_to = 0;  // when a random road closure may start
    std::vector<uint64_t> district_keys;   // random road closures, by local district
    std::vector<int32_t> local_regions;    // local region id → RegionSet index: the regency, districts, villages
  };
  std::vector<std::string> code_;
  std::vector<int32_t> pred_;
  std::vector<float> dispatch_, nominal_, closed_from_, closed_to_, observed_;
  std::vector<uint8_t> mode_, flags_;
  std::vector<uint64_t> key_;
  std::vector<int32_t> district_;                   // local district id (for road closures), or -1
  std::vector<int32_t> tps_slot_;                   // index in tps_, or -1
  std::vector<std::array<int32_t, 3>> counted_in_;  // for TPS legs: local ids of village, district, regency
  std::vector<int32_t> tps_;                        // board index, by slot
  std::vector<float> deadline_;                     // by slot
  std::vector<Regency> regencies_;
  std::vector<int32_t> provinces_;  // RegionSet index by province slot
  std::array<std::vector<float>, kModes> tables_;
  Model model_;
  int64_t epoch_ = 0;
  float now_ = -1e30f;
};

// Arrival relative to the deadline is kept per TPS in kBins bins of kBinMinutes from kBinStartMinutes (the first
// and last bins also hold everything before and after).
constexpr int kBins = 64;
constexpr float kBinMinutes = 180;
constexpr float kBinStartMinutes = -144 * 60;

struct TpsOutcome {
  int64_t late = 0;             // scenarios in which it arrived after its deadline
  double lateness_minutes = 0;  // summed over scenarios (0 when on time)
  std::array<uint32_t, kBins> histogram{};
  float earliest = 1e30f, latest = -1e30f;  // the earliest and latest arrival seen, minutes from the deadline
};

struct RegionOutcome {
  int32_t region = -1;  // RegionSet index; -1 for the whole scope
  int64_t tps = 0;
  double expected_late = 0;  // mean late TPS over scenarios
  double sd_late = 0;        // their standard deviation across scenarios
};

struct Outcome {
  int64_t scenarios = 0;
  std::vector<TpsOutcome> tps;            // by Network slot; empty without Options::tps_detail
  std::vector<RegionOutcome> regions;     // the scope first, then every region with TPS in scope, in code order
  std::vector<int32_t> late_by_scenario;  // late TPS in scope, per scenario
  std::vector<int64_t> blame;             // per leg: late TPS-scenarios whose largest delay on the way was this leg's
};

// Runs the simulation. The result depends on the seed and the scenario count only, not on the threads.
Outcome Simulate(const Network& network, const Options& options);

// The same question answered the straightforward way, for comparison: scenario after scenario, one
// std::lognormal_distribution draw per leg (std::mt19937_64), no SIMD; the late count per TPS slot. It models
// travel times only (no shocks, no windows), so compare it with a model without them.
std::vector<int64_t> SimulateStraightforward(const Network& network, const Model& model, const Options& options);

// The arrival (minutes from the epoch) at quantile q of a TPS's histogram, interpolated within its bin.
double ArrivalQuantile(const Network& network, size_t slot, const TpsOutcome& outcome, int64_t scenarios, double q);

// Wilson's 95% interval of a proportion.
std::pair<double, double> Wilson95(int64_t hits, int64_t n);

// The difference in late TPS between two outcomes on the same scenarios (paired: common random numbers): its mean
// and a 95% interval.
struct Difference {
  double mean = 0, low = 0, high = 0;
};
Difference Compare(const Outcome& base, const Outcome& changed);

// Greedy mitigation: among changes to the legs that most often make TPS late (a mode one step faster, or leaving
// `advance_hours` earlier), the `budget` changes that reduce expected late TPS the most, each judged on `scenarios`
// scenarios of its regency with the changes chosen before it.
struct Mitigation {
  Change change;
  double reduction = 0;  // expected late TPS fewer, when added to the ones before
};
Result<std::vector<Mitigation>> Mitigate(const Plan& plan, const readiness::Board& board, const Model& model,
                                         const Network& network, const Outcome& outcome, int32_t region, int budget,
                                         double advance_hours, const Options& options,
                                         const Observed* observed = nullptr);

}  // namespace tepat::sim
