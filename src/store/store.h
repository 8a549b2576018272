// The storage interface: everything tepat keeps, behind one interface that the SQLite backend implements today and a
// PostgreSQL backend will implement next. Every write is one transaction: a refused or failed write leaves no trace.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"

namespace tepat::store {

class Store {
 public:
  virtual ~Store() = default;

  // Creates the schema or brings it up to the newest version, applying each missing migration in its own
  // transaction. Every other call expects an up-to-date schema.
  virtual Status Migrate() = 0;
  // The schema version in place (0 for a new database) and the newest this build knows.
  virtual Result<int> SchemaVersion() = 0;
  static int LatestSchemaVersion();

  // Adds the regions and islands that are new and updates the names of those already there; never deletes.
  virtual Status SaveRegions(const geo::RegionSet& regions) = 0;
  virtual Result<geo::RegionSet> LoadRegions() = 0;

  // Adds the TPS of an election, replacing those with the same code.
  virtual Status SaveTps(std::string_view election, const geo::RegionSet& regions,
                         const std::vector<geo::Tps>& tps) = 0;
  // The TPS of an election, sorted by village and number.
  virtual Result<std::vector<geo::Tps>> LoadTps(std::string_view election, const geo::RegionSet& regions) = 0;

  // Replaces all dapil of an election.
  virtual Status ReplaceDapil(std::string_view election, const geo::RegionSet& regions,
                              const std::vector<geo::Dapil>& dapils) = 0;
  virtual Result<std::vector<geo::Dapil>> LoadDapil(std::string_view election, const geo::RegionSet& regions) = 0;
};

// Opens the store at `location`: a path to an SQLite file (created when missing).
Result<std::unique_ptr<Store>> OpenStore(std::string_view location);

}  // namespace tepat::store
