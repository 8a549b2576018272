// Fuzz target: election definitions (TOML, src/election/definition.h). Any input gives a definition or a clean
// error; a definition that reads is used as tepat uses one: its dapil contests read the fixture dapil file, and the
// needs of the fixture TPS are computed under its rules (a value or a clean error too).
#include "election/definition.h"
#include "fuzz_support.h"
#include "planning/needs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const Result<election::Definition> definition = election::ParseDefinition("election.toml", fuzz::Text(data, size));
  if (!definition.ok()) {
    fuzz::ExpectCleanError("election", definition.error());
    return 0;
  }
  const election::Definition& def = definition.value();
  const Result<geo::DapilSet> dapils = geo::ParseDapilCsv("pemilu-dapil.csv", fuzz::FixtureFile("pemilu-dapil.csv"),
                                                          fuzz::Regions(), def.DapilContests(), fuzz::Tps());
  if (!dapils.ok()) fuzz::ExpectCleanError("election: dapil", dapils.error());
  const planning::NeedsInput input{&def, &fuzz::Regions(), &fuzz::Tps(), dapils.ok() ? &dapils.value() : nullptr};
  planning::NeedsOptions options;
  options.threads = 1;
  const Result<planning::Needs> needs = planning::ComputeNeeds(input, options);
  if (!needs.ok()) fuzz::ExpectCleanError("election: needs", needs.error());
  return 0;
}
