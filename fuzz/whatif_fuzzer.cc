// Fuzz target: the simulation's what-if files (TOML, src/sim/plan.h ParseChanges) over the fixture regions. Any
// input gives changes or a clean error; changes that read are written (WriteChanges) and read back as the same
// changes, that text is written the same again, and they apply to a plan generated for the fixture TPS (a changed
// plan or a clean error).
#include "fuzz_support.h"
#include "sim/plan.h"

namespace {

using tepat::sim::Change;

// Whether two changes do the same: labels aside, and only the fields their kind uses.
bool Same(const Change& a, const Change& b) {
  return a.kind == b.kind && a.region == b.region && a.exact == b.exact && a.modes == b.modes &&
         (a.kind == Change::Kind::kMode ? a.to_mode == b.to_mode : a.seconds == b.seconds) &&
         (a.kind != Change::Kind::kClose || a.from == b.from);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  static const sim::Plan plan = sim::GeneratePlan(fuzz::Board(), sim::DefaultModel());
  const std::string_view text = fuzz::Text(data, size);
  auto parse = [](std::string_view toml) { return sim::ParseChanges("what-if.toml", toml, fuzz::Regions()); };
  const Result<std::vector<Change>> changes = parse(text);
  if (!changes.ok()) {
    fuzz::ExpectCleanError("what-if", changes.error());
    return 0;
  }
  const std::string written = sim::WriteChanges(changes.value());
  const auto again = fuzz::RoundTrip("what-if written", written, parse, sim::WriteChanges);
  if (!again.ok() || again.value().size() != changes.value().size()) {
    fuzz::Fail("what-if: what was written does not read back as as many changes", text, written);
  }
  for (size_t i = 0; i < changes.value().size(); ++i) {
    if (!Same(changes.value()[i], again.value()[i])) {
      fuzz::Fail("what-if: a change written reads back as another change", text, written);
    }
  }
  sim::Plan changed = plan;
  const Status applied = sim::ApplyChanges(changes.value(), changed);
  if (!applied.ok()) fuzz::ExpectCleanError("what-if: apply", applied.error());
  return 0;
}
