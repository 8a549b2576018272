#include "sim/model.h"

#include <algorithm>
#include <cmath>

#include "common/toml_text.h"

namespace tepat::sim {

struct EmbeddedFile {
  const char* name;
  const char* text;
};
extern const EmbeddedFile kEmbeddedModels[];
extern const size_t kEmbeddedModelsCount;

namespace {

constexpr std::string_view kModeNames[kModes] = {"ready",     "truck",    "car",        "motorbike", "boat",
                                                 "speedboat", "aircraft", "helicopter", "foot"};

// "06:30" → 390; nothing when malformed.
std::optional<int> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 24 || minutes > 59 || (hours == 24 && minutes > 0)) return std::nullopt;
  return hours * 60 + minutes;
}

uint32_t ModeBits(TomlReader& reader, const toml::table& table, std::string_view where) {
  uint32_t bits = 0;
  for (const std::string& name : reader.Strings(table, where, "modes")) {
    std::optional<Mode> mode = ParseMode(name);
    if (!mode || *mode == Mode::kReady) {
      reader.Problem(table.get("modes"), 0, std::string(where) + "modes", "unknown transport mode '" + name + "'");
    } else {
      bits |= 1u << static_cast<int>(*mode);
    }
  }
  return bits;
}

// A [fewest, most] whole days field; false (and a problem) when missing or wrong.
bool DayRange(TomlReader& reader, const toml::table& table, std::string_view where, int line, int& low, int& high) {
  const toml::array* days = table["days"].as_array();
  const std::optional<int64_t> a = days && days->size() == 2 ? WholeNumber((*days)[0]) : std::nullopt;
  const std::optional<int64_t> b = days && days->size() == 2 ? WholeNumber((*days)[1]) : std::nullopt;
  if (!a.has_value() || !b.has_value() || a.value() < 1 || b.value() < a.value() || b.value() > 30) {
    reader.Problem(table.get("days"), line, std::string(where) + "days",
                   "expected [fewest, most] whole days, 1 to 30, fewest first");
    return false;
  }
  low = static_cast<int>(*a);
  high = static_cast<int>(*b);
  return true;
}

}  // namespace

std::string_view ModeName(Mode mode) { return kModeNames[static_cast<int>(mode)]; }

std::optional<Mode> ParseMode(std::string_view name) {
  for (int m = 0; m < kModes; ++m) {
    if (kModeNames[m] == name) return static_cast<Mode>(m);
  }
  return std::nullopt;
}

double Model::NominalMinutes(Mode mode, double km) const {
  if (mode == Mode::kReady) return 0;
  const ModeModel& m = modes[static_cast<int>(mode)];
  return std::round(m.handling_minutes + km / m.speed_kmh * 60);
}

std::array<std::vector<float>, kModes> Model::Tables() const {
  std::array<std::vector<float>, kModes> tables;
  for (int m = 0; m < kModes; ++m) {
    const ModeModel& mode = modes[m];
    std::vector<float>& table = tables[m];
    table.resize(kTableSize, 1.0f);
    if (m == static_cast<int>(Mode::kReady)) continue;
    for (int k = 0; k < kTableSize; ++k) {
      const double p = (k + 0.5) / kTableSize;
      if (!mode.quantiles.empty()) {
        const double x = p * static_cast<double>(mode.quantiles.size() - 1);
        const size_t i = std::min(static_cast<size_t>(x), mode.quantiles.size() - 2);
        table[k] = static_cast<float>(mode.quantiles[i] + (x - i) * (mode.quantiles[i + 1] - mode.quantiles[i]));
      } else if (mode.sigma > 0) {
        table[k] = static_cast<float>(std::exp(mode.sigma * NormalQuantile(p)));
      }
    }
  }
  return tables;
}

Model Deterministic(Model model) {
  for (ModeModel& mode : model.modes) {
    mode.sigma = 0;
    mode.quantiles.clear();
  }
  model.weather_probability = model.closure_probability = model.vendor_probability = 0;
  return model;
}

Result<Model> ParseModel(std::string_view file, std::string_view text) {
  toml::table root = TRY(ParseToml(file, text));
  ProblemList problems;
  TomlReader reader(file, problems);
  reader.Keys(root, "", {"name", "mode", "weather", "road_closure", "vendor"});
  Model model;
  model.name = reader.String(root, "", "name", false, 1);
  if (model.name.empty()) model.name = std::string(file);
  const toml::table* modes = root["mode"].as_table();
  if (modes) {
    for (const auto& [name, value] : *modes) {
      std::optional<Mode> mode = ParseMode(name.str());
      if (!mode || *mode == Mode::kReady) {
        reader.Problem(&value, 1, "mode." + std::string(name.str()),
                       "unknown transport mode (expected truck, car, motorbike, boat, speedboat, aircraft, helicopter "
                       "or foot)");
      }
    }
  }
  for (int m = 1; m < kModes; ++m) {
    const std::string where = "mode." + std::string(kModeNames[m]);
    const toml::table* table = modes ? (*modes)[kModeNames[m]].as_table() : nullptr;
    if (!table) {
      problems.AddAt(file, 1, where, "required table is missing (every transport mode needs its travel model)");
      continue;
    }
    const int line = static_cast<int>(table->source().begin.line);
    const std::string prefix = where + ".";
    reader.Keys(*table, prefix, {"speed_kmh", "handling_minutes", "sigma", "quantiles", "window"});
    ModeModel& mode = model.modes[m];
    mode.speed_kmh = reader.Number(*table, prefix, "speed_kmh", true, line, 30, 0.1, 2000);
    mode.handling_minutes = reader.Number(*table, prefix, "handling_minutes", false, line, 0, 0, 7 * 1440);
    mode.sigma = reader.Number(*table, prefix, "sigma", false, line, 0, 0, 3);
    if (table->contains("quantiles") && !(*table)["quantiles"].as_array()) {
      reader.Problem(table->get("quantiles"), line, prefix + "quantiles", "expected a list of multipliers");
    }
    if (const toml::array* quantiles = (*table)["quantiles"].as_array()) {
      for (const toml::node& q : *quantiles) {
        std::optional<double> value = q.value<double>();
        if (!value || !std::isfinite(*value) || *value <= 0 ||
            (!mode.quantiles.empty() && *value < mode.quantiles.back())) {
          reader.Problem(&q, line, prefix + "quantiles", "expected positive multipliers in increasing order");
          break;
        }
        mode.quantiles.push_back(*value);
      }
      if (mode.quantiles.size() < 2) {
        reader.Problem(quantiles, line, prefix + "quantiles", "expected at least two multipliers (0th and 100th)");
      }
      if (table->contains("sigma")) {
        reader.Problem(table->get("sigma"), line, prefix + "sigma", "give sigma or quantiles, not both");
      }
    }
    std::vector<std::string> window = reader.Strings(*table, prefix, "window");
    if (!window.empty()) {
      std::optional<int> from = window.size() == 2 ? ParseClock(window[0]) : std::nullopt;
      std::optional<int> to = window.size() == 2 ? ParseClock(window[1]) : std::nullopt;
      if (!from || !to || *from >= *to) {
        reader.Problem(table->get("window"), line, prefix + "window",
                       "expected two local times \"HH:MM\", the first before the second");
      } else {
        mode.window_from = *from;
        mode.window_to = *to;
      }
    }
  }
  if (const toml::table* weather = root["weather"].as_table()) {
    const int line = static_cast<int>(weather->source().begin.line);
    reader.Keys(*weather, "weather.", {"probability", "days", "modes"});
    model.weather_probability = reader.Number(*weather, "weather.", "probability", true, line, 0, 0, 1);
    model.weather_modes = ModeBits(reader, *weather, "weather.");
    if (model.weather_modes == 0) problems.AddAt(file, line, "weather.modes", "say which modes bad weather stops");
    DayRange(reader, *weather, "weather.", line, model.weather_days_min, model.weather_days_max);
  }
  if (const toml::table* closure = root["road_closure"].as_table()) {
    const int line = static_cast<int>(closure->source().begin.line);
    reader.Keys(*closure, "road_closure.", {"probability", "days", "modes"});
    model.closure_probability = reader.Number(*closure, "road_closure.", "probability", true, line, 0, 0, 1);
    model.closure_modes = ModeBits(reader, *closure, "road_closure.");
    if (model.closure_modes == 0) problems.AddAt(file, line, "road_closure.modes", "say which modes a closure stops");
    DayRange(reader, *closure, "road_closure.", line, model.closure_days_min, model.closure_days_max);
  }
  if (const toml::table* vendor = root["vendor"].as_table()) {
    const int line = static_cast<int>(vendor->source().begin.line);
    reader.Keys(*vendor, "vendor.", {"probability", "median_days", "sigma"});
    model.vendor_probability = reader.Number(*vendor, "vendor.", "probability", true, line, 0, 0, 1);
    model.vendor_median_days = reader.Number(*vendor, "vendor.", "median_days", true, line, 1, 0, 60);
    model.vendor_sigma = reader.Number(*vendor, "vendor.", "sigma", false, line, 0, 0, 3);
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": not a valid simulation model");
  return model;
}

const Model& DefaultModel() {
  static const Model model = [] {
    for (size_t i = 0; i < kEmbeddedModelsCount; ++i) {
      if (std::string_view(kEmbeddedModels[i].name) == "model.toml") {
        Result<Model> parsed = ParseModel("sim/model.toml", kEmbeddedModels[i].text);
        if (parsed.ok()) return std::move(parsed).value();
      }
    }
    return Model{};  // unreachable: ModelTest checks the built-in file reads
  }();
  return model;
}

double NormalQuantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on the exact normal CDF brings it to full double precision.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace tepat::sim
