// Simulation's part of the storage interface (store.h): distribution plans and saved projections.
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

// A distribution plan as stored: its CSV text (docs/formats.md §14), with who saved it and when.
struct StoredPlan {
  std::string csv;
  int64_t legs = 0;
  int64_t saved_at = 0;
  std::string saved_by;
  int64_t bytes = 0;  // the size of csv (read even when csv is not)
};

// The stored projection of an election: the last simulation saved (`tepat simulate --save`), what it covered and
// how it was run, the expected late TPS of every region in its scope and each TPS's risk.
struct ProjectionRun {
  std::string region;  // its scope: a region code, "" for the nation
  int64_t scenarios = 0;
  int64_t seed = 0;
  int64_t as_of = 0;  // a live projection: the ledger's time it started from; 0 for the plan alone
  int64_t computed_at = 0;
  std::string legs;  // the legs that most often made TPS late, as a JSON array
};

struct RegionRisk {
  std::string region;  // "" for the nation
  std::string parent;  // the parent region's code ("" for a province; "-" for the nation)
  int64_t tps = 0;
  double expected_late = 0, sd_late = 0;
};

struct TpsRisk {
  std::string tps;
  double p_late = 0, p_low = 0, p_high = 0;  // the chance of arriving after the deadline, with its 95% interval
  double lateness_hours = 0;                 // expected
  int64_t p05 = 0, p50 = 0, p95 = 0;         // arrival quantiles
  int64_t deadline = 0;
};

// Plans and projections as stored.
class SimulationStore {
 public:
  virtual ~SimulationStore() = default;

  // Distribution plans and projections (docs/simulation.md). A plan or a projection replaces the election's previous
  // one, in one transaction.
  virtual Status SavePlan(std::string_view election, const StoredPlan& plan, const access::AuditEntry& audit) = 0;
  // The saved plan; without `with_body` its csv is left empty (to see whether it changed).
  virtual Result<std::optional<StoredPlan>> LoadPlan(std::string_view election, bool with_body = true) = 0;
  virtual Status SaveProjection(std::string_view election, const ProjectionRun& run,
                                const std::vector<RegionRisk>& regions, const std::vector<TpsRisk>& tps,
                                const access::AuditEntry& audit) = 0;
  virtual Result<std::optional<ProjectionRun>> LoadProjectionRun(std::string_view election) = 0;
  // The stored risk of region `parent` ("" for the nation) and of its children.
  virtual Result<std::vector<RegionRisk>> RegionRisks(std::string_view election, std::string_view parent) = 0;
  // The TPS within `region` (a region's code, a TPS's code, or "" for all) with a chance of being late of at least
  // `min_p`, most at risk first (then by code), at most `limit` (0: all).
  virtual Result<std::vector<TpsRisk>> TpsRisks(std::string_view election, std::string_view region, double min_p,
                                                int64_t limit) = 0;
};

}  // namespace tepat::store
