// Procurement's part of the storage interface (store.h): an election's reference data (vendors, unit prices, budget
// lines), each kept whole as the canonical CSV its writer gives (src/procurement/reference.h) and read back through
// its reader; an import replaces the election's file of that kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "access/access.h"
#include "common/result.h"

namespace tepat::store {

// A reference file as stored: its canonical CSV, how many records it holds, who saved it and when.
struct StoredReference {
  std::string csv;
  int64_t records = 0;
  int64_t saved_at = 0;
  std::string saved_by;
};

// Procurement's data as stored. `kind` is "vendors", "prices" or "budget".
class ProcurementStore {
 public:
  virtual ~ProcurementStore() = default;

  // Replaces the election's file of `kind`, with its audit entry, in one transaction.
  virtual Status SaveReference(std::string_view election, std::string_view kind, const StoredReference& reference,
                               const access::AuditEntry& audit) = 0;
  // The election's file of `kind`; nothing when none was imported.
  virtual Result<std::optional<StoredReference>> LoadReference(std::string_view election, std::string_view kind) = 0;
};

}  // namespace tepat::store
