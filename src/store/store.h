// The storage interface: everything tepat keeps, behind one interface that the SQLite backend (store/sqlite/) and the
// PostgreSQL backend (store/postgres/) implement. It is made of one part per concern, each in its own header: the
// ledger (ledger_store.h), simulation (simulation_store.h), supervision (oversight_store.h), procurement
// (procurement_store.h) and accounts with the audit trail (account_store.h); a caller that needs one concern takes that part. Every write is one transaction: a
// refused or failed write leaves no trace. Documents reach the ledger only through app::LedgerWriter, which is the one
// caller of LedgerSession::Post.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "store/account_store.h"
#include "store/ledger_store.h"
#include "store/oversight_store.h"
#include "store/procurement_store.h"
#include "store/simulation_store.h"

namespace tepat::store {

// Schema, regions, TPS and dapil, and the parts above.
class Store : public LedgerStore,
              public SimulationStore,
              public OversightStore,
              public ProcurementStore,
              public AccountStore {
 public:
  ~Store() override = default;

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

  // For servers: commits on this connection leave housekeeping to Maintain(), which another connection runs in the
  // background, so that no commit waits for it (SQLite: copying the write-ahead log into the database file).
  virtual void LeaveMaintenanceToOthers() {}
  // Housekeeping that never blocks writers (SQLite: a passive checkpoint of the write-ahead log).
  virtual Status Maintain() { return {}; }
};

// Whether `location` names a database server (postgresql://... or postgres://...) rather than an SQLite file.
bool IsServerLocation(std::string_view location);
// Opens the store at `location`: a PostgreSQL URL (postgresql://USER@HOST:PORT/DB) or a path to an SQLite file
// (created when missing).
Result<std::unique_ptr<Store>> OpenStore(std::string_view location);

}  // namespace tepat::store
