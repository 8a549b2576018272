// The cross-check: what a supervisor saw at a node, against what KPU's ledger records there at that time. Every
// difference is named exactly and points at the KPU document it contradicts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/document.h"
#include "ledger/posting.h"
#include "oversight/report.h"

namespace tepat::oversight {

enum class DiscrepancyKind {
  kCountMismatch,    // a counted item differs from the recorded quantity
  kVariantMismatch,  // ballots of a variant (dapil) seen that the record does not hold, or held and not seen
  kSealBroken,       // a kit recorded received with its seals intact, seen with a seal broken
  kNotReceived,      // a kit recorded as received at the node, not there
};
inline constexpr int kDiscrepancyKinds = 4;
std::string_view DiscrepancyName(DiscrepancyKind kind);

struct Discrepancy {
  DiscrepancyKind kind = DiscrepancyKind::kCountMismatch;
  std::string report;    // the report's id
  std::string node;      // where
  std::string subject;   // the item or the kit
  int64_t recorded = 0;  // count_mismatch: the quantities; variant_mismatch: recorded and seen of that variant
  int64_t observed = 0;
  std::string document;  // the KPU document that recorded what the supervisor's observation contradicts
};

// A document of the node, as the ledger holds it: the document, when, and its movement lines.
struct NodeDocument {
  ledger::Document document;
  std::vector<ledger::Movement> movements;
};

// What the ledger records at one node as of one time.
struct Recorded {
  struct Held {
    int64_t quantity = 0;
    std::string document;  // the last document that changed it
  };
  std::map<std::string, Held> items;  // loose items by need item code
  struct Kit {
    std::string document;                                   // the document that brought it
    bool seals_intact = true;                               // as its receipt at this node recorded
    std::vector<std::pair<std::string, int64_t>> contents;  // as packed
  };
  std::map<std::string, Kit> kits;  // kits held, by kit id
};

// The node's record at `at_seconds`: the documents of the node in ledger order, those at or before the time counted.
// `kit` gives a kit's packing (contents) by id; a kit it does not know is held with no contents.
Recorded RecordAt(std::string_view node, int64_t at_seconds, const std::vector<NodeDocument>& documents,
                  const std::function<const ledger::Kit*(const std::string&)>& kit);

// The differences between a report and the record at its node and time, in a fixed order (kits first, then items in
// code order). A kit seen missing counts only as not_received, its contents are not compared; ballots of a contest
// whose variants differ count only as variant_mismatch.
std::vector<Discrepancy> CrossCheck(const Report& report, const Recorded& recorded);

}  // namespace tepat::oversight
