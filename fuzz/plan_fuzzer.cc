// Fuzz target: distribution plans (CSV, src/sim/plan.h ParsePlanCsv) over the board of the fixture TPS. Any input
// gives a plan or a clean error; a plan that reads is written (WritePlanCsv), reads back and writes the same again,
// and compiles for simulation (Network::Build with the default model made deterministic, a network or a clean error)
// with a finite timeline.
#include <cmath>

#include "fuzz_support.h"
#include "sim/plan.h"
#include "sim/simulate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const std::string_view text = fuzz::Text(data, size);
  const Result<sim::Plan> plan = fuzz::RoundTrip(
      "plan", text, [](std::string_view csv) { return sim::ParsePlanCsv("plan.csv", csv, fuzz::Board()); },
      [](const sim::Plan& read) {
        std::string out;
        sim::WritePlanCsv(read, out);
        return out;
      });
  if (!plan.ok()) return 0;
  // The model's randomness plays no part in whether a plan compiles; without it the network is made 20 times faster.
  static const sim::Model model = sim::Deterministic(sim::DefaultModel());
  const Result<sim::Network> network = sim::Network::Build(plan.value(), fuzz::Board(), model);
  if (!network.ok()) {
    fuzz::ExpectCleanError("plan: network", network.error());
    return 0;
  }
  for (double arrival : network.value().Timeline()) {
    if (!std::isfinite(arrival)) fuzz::Fail("plan: an arrival in the timeline that is not finite", text);
  }
  return 0;
}
