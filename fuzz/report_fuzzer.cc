// Fuzz target: Bawaslu's supervision reports (src/oversight/report.h), one NDJSON line. Any input gives a report or
// a clean error; a report's canonical form (WriteReport) reads back and is canonical again, byte for byte.
#include "fuzz_support.h"
#include "oversight/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  (void)fuzz::RoundTrip(
      "report", fuzz::Text(data, size),
      [](std::string_view text) { return oversight::ParseReport("reports.ndjson:1", text); }, oversight::WriteReport);
  return 0;
}
