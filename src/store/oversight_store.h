// Supervision's part of the storage interface (store.h): Bawaslu's reports, findings and follow-up actions.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "access/access.h"
#include "common/result.h"

namespace tepat::store {

// A supervision report as stored: its canonical JSON (`body`, with its number) and the columns it is found by.
struct StoredReport {
  int64_t seq = 0;
  std::string id;
  std::string election;
  std::string number;   // empty until numbered
  std::string stage;
  std::string node;
  std::string region;   // the node's region code: the scope it falls in
  int64_t at = 0;
  std::string body;
  std::string content;  // SHA-256 of the report as given, before numbering: the same report given again is a replay
  std::string recorded_by;
  int64_t recorded_at = 0;
  // For numbering: the regency and the year of `at` in WIB.
  std::string regency;
  int year = 0;
  bool replayed = false;  // set by SaveReports: it was recorded already
};

// A finding or an action of a follow-up plan: its current state and body (JSON), with a version for updates that
// must not overwrite one another; each change appends an event.
struct OversightItem {
  std::string id;
  std::string election;
  std::string kind;    // "finding" or "action"
  std::string number;  // empty until numbered
  std::string region;
  std::string state;
  std::string body;
  int64_t version = 0;  // 0 for a new item; otherwise the version it was read at
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::string regency;  // for numbering
  int year = 0;
};

struct OversightEvent {
  std::string item;
  int64_t seq = 0;
  int64_t at = 0;
  std::string actor;
  std::string action;
  std::string state;  // the state after it
  std::string note;
};

// Reports, findings and actions as stored.
class OversightStore {
 public:
  virtual ~OversightStore() = default;

  // Supervision. Saves reports in one transaction, all or none: a report without a number takes the next of its
  // regency and year (`number` then sets its number and body); a report whose id is saved already is a replay when
  // its content is the same (left as it is, the stored one returned) and refused otherwise. Returns what is stored.
  virtual Result<std::vector<StoredReport>> SaveReports(std::vector<StoredReport> reports,
                                                        const std::function<void(StoredReport&, int64_t)>& number,
                                                        const access::AuditEntry& audit) = 0;
  // Reports of an election whose region is `region` or below it ("" for all), in the order they were saved.
  virtual Status ForEachReport(std::string_view election, std::string_view region,
                               const std::function<Status(const StoredReport&)>& each) = 0;
  virtual Result<std::optional<StoredReport>> FindReport(std::string_view id) = 0;
  // Saves an item with one event and an audit entry, in one transaction. A new item (version 0) without a number
  // takes the next of its kind, regency and year (`number` sets its number and body); an existing one is updated
  // only if its stored version is still `item.version` (otherwise Conflict: someone changed it meanwhile). Returns
  // the item as stored, with its new version.
  virtual Result<OversightItem> SaveItem(OversightItem item, OversightEvent event,
                                         const std::function<void(OversightItem&, int64_t)>& number,
                                         const access::AuditEntry& audit) = 0;
  virtual Result<std::optional<OversightItem>> FindItem(std::string_view id) = 0;
  virtual Status ForEachItem(std::string_view election, std::string_view kind, std::string_view region,
                             const std::function<Status(const OversightItem&)>& each) = 0;
  virtual Result<std::vector<OversightEvent>> ItemEvents(std::string_view id) = 0;
};

}  // namespace tepat::store
