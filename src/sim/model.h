// The travel and shock model of the distribution simulation: how long a leg of each transport mode takes (a
// distribution of the nominal time), when it may leave (a local departure window), and the shared shocks that hit
// many legs at once: spells of bad weather on a regency's sea and air legs, a district's roads closed for some days,
// a regency's kits ready late. Read from a TOML file (sim/model.toml is built in).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tepat::sim {

// How a leg travels. kReady is no travel: the root of a regency's tree, when its kits are ready at the warehouse.
enum class Mode : uint8_t { kReady, kTruck, kCar, kMotorbike, kBoat, kSpeedboat, kAircraft, kHelicopter, kFoot };
constexpr int kModes = 9;

std::string_view ModeName(Mode mode);  // "ready", "truck", ..., "foot"
std::optional<Mode> ParseMode(std::string_view name);

// The number of points of a mode's inverse-CDF table: a draw takes the top 12 bits of a 32-bit random number.
constexpr int kTableBits = 12;
constexpr int kTableSize = 1 << kTableBits;

struct ModeModel {
  double speed_kmh = 30;
  double handling_minutes = 30;
  double sigma = 0.3;             // lognormal with median 1 of the multiplier of the nominal time
  std::vector<double> quantiles;  // empirical instead: multipliers at equally spaced probabilities, 0th..100th
  int window_from = 0;            // local departure window, minutes after midnight; [0, 1440) is always
  int window_to = 1440;
};

struct Model {
  std::string name;
  std::array<ModeModel, kModes> modes;
  double weather_probability = 0;                  // per regency and day: a bad-weather spell starts
  int weather_days_min = 1, weather_days_max = 1;  // how long a spell lasts
  uint32_t weather_modes = 0;                      // bit per Mode
  double closure_probability = 0;                  // per district, once during the distribution
  int closure_days_min = 1, closure_days_max = 1;
  uint32_t closure_modes = 0;
  double vendor_probability = 0;  // per regency
  double vendor_median_days = 1, vendor_sigma = 0;

  // The nominal minutes of a leg: handling + distance at the mode's speed, rounded to the minute (0 for kReady).
  double NominalMinutes(Mode mode, double km) const;
  // Each mode's multiplier at probabilities (k + 0.5) / kTableSize, k = 0..kTableSize-1.
  std::array<std::vector<float>, kModes> Tables() const;
  bool WeatherBound(Mode mode) const { return (weather_modes >> static_cast<int>(mode)) & 1u; }
  bool ClosureBound(Mode mode) const { return (closure_modes >> static_cast<int>(mode)) & 1u; }
};

// Reads a model; problems are reported as FILE:LINE: field: reason.
Result<Model> ParseModel(std::string_view file, std::string_view text);
// The built-in model (sim/model.toml).
const Model& DefaultModel();
// The same model without any randomness: every multiplier 1, no shocks. Its simulation is the plan's timeline.
Model Deterministic(Model model);

// The standard normal quantile function (Acklam's rational approximation, refined by one Halley step).
double NormalQuantile(double p);

}  // namespace tepat::sim
