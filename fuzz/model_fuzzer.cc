// Fuzz target: the simulation model (TOML, src/sim/model.h ParseModel). Any input gives a model or a clean error; a
// model that reads gives every mode's table of travel-time multipliers, each finite and above 0, and finite nominal
// travel times.
#include <cmath>

#include "fuzz_support.h"
#include "sim/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const std::string_view text = fuzz::Text(data, size);
  const Result<sim::Model> model = sim::ParseModel("model.toml", text);
  if (!model.ok()) {
    fuzz::ExpectCleanError("model", model.error());
    return 0;
  }
  const auto tables = model.value().Tables();
  for (int m = 0; m < sim::kModes; ++m) {
    const auto mode = static_cast<sim::Mode>(m);
    for (float multiplier : tables[m]) {
      if (!std::isfinite(multiplier) || multiplier <= 0) {
        fuzz::Fail("model: a travel-time multiplier that is not finite and above 0 (mode " +
                       std::string(sim::ModeName(mode)) + ")",
                   text, std::to_string(multiplier));
      }
    }
    for (double km : {0.0, 12.5, 5000.0}) {
      if (!std::isfinite(model.value().NominalMinutes(mode, km))) {
        fuzz::Fail("model: a nominal travel time that is not finite", text, std::string(sim::ModeName(mode)));
      }
    }
  }
  return 0;
}
