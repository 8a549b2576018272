// Procurement's reference data of an election, imported into the store and read back (docs/formats.md §15): the
// part the command line and the server share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"
#include "procurement/reference.h"
#include "store/store.h"

namespace tepat::app {

// The kinds of reference file: "vendors", "prices" and "budget".
extern const std::vector<std::string_view> kReferenceKinds;
bool IsReferenceKind(std::string_view kind);

// An election's reference data as stored; the vendors are the definition's own until a file of them is imported.
struct ReferenceData {
  std::vector<procurement::Vendor> vendors;
  std::vector<procurement::UnitPrice> prices;
  std::vector<procurement::BudgetLine> budget;
  bool vendors_imported = false;
};

// Checks `text` as the reference file of `kind` (whole, every problem located in `file`) and replaces the election's
// stored file of that kind with its canonical form, audited as `procurement.import` by `audit`'s actor, in one
// transaction. Returns how many records it holds. Nothing is written when the file is refused.
Result<int64_t> ImportReference(store::Store& store, const election::Definition& def, const geo::RegionSet& regions,
                                std::string_view kind, std::string_view file, std::string_view text,
                                access::AuditEntry audit);

// The election's reference data, read back through the same readers: of one `kind` only, or of all when it is empty.
Result<ReferenceData> LoadReference(store::Store& store, const election::Definition& def,
                                    const geo::RegionSet& regions, std::string_view kind = "");

// The canonical CSV of one kind of the election's reference data (the defaults for vendors not imported).
std::string ReferenceCsv(const ReferenceData& data, std::string_view kind);
// The same as JSON (docs/api.md): {"election", "kind", "records": [...]}, with "imported" for vendors.
std::string ReferenceJson(const ReferenceData& data, std::string_view election, std::string_view kind);

}  // namespace tepat::app
