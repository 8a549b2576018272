// Fuzz target: Bawaslu's findings and follow-up plan actions (src/oversight/finding.h), as stored. Any input read as
// a finding and as an action gives a value or a clean error; the form written (WriteFinding, WriteAction) reads back
// and writes the same again.
#include "fuzz_support.h"
#include "oversight/finding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  const std::string_view text = fuzz::Text(data, size);
  (void)fuzz::RoundTrip(
      "finding", text, [](std::string_view json) { return oversight::ParseFinding("finding", json); },
      oversight::WriteFinding);
  (void)fuzz::RoundTrip(
      "action", text, [](std::string_view json) { return oversight::ParseAction("action", json); },
      oversight::WriteAction);
  return 0;
}
