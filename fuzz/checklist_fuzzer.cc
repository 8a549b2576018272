// Fuzz target: Bawaslu's stage checklists (TOML, src/oversight/checklist.h ParseChecklist). Any input gives a
// checklist or a clean error.
#include "fuzz_support.h"
#include "oversight/checklist.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const Result<oversight::Checklist> checklist = oversight::ParseChecklist("checklist.toml", fuzz::Text(data, size));
  if (!checklist.ok()) fuzz::ExpectCleanError("checklist", checklist.error());
  return 0;
}
