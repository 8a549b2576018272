// Fuzz target: ledger documents (src/ledger/document.h), one NDJSON line. Any input gives a document or a clean
// error; a document's canonical form (WriteDocument) reads back and is canonical again, byte for byte.
#include "fuzz_support.h"
#include "ledger/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tepat;
  (void)fuzz::RoundTrip(
      "document", fuzz::Text(data, size),
      [](std::string_view text) { return ledger::ParseDocument("documents.ndjson:1", text); }, ledger::WriteDocument);
  return 0;
}
