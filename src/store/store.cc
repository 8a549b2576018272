// Opening a store by its location: a PostgreSQL URL or an SQLite file.
#include "store/store.h"

#include "store/migrations.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace tepat::store {

int Store::LatestSchemaVersion() { return Migrations().back().version; }

void AttachStates(std::vector<PostOutcome>& outcomes,
                  const std::unordered_map<std::string, readiness::TpsState>& states, int64_t seq) {
  for (PostOutcome& outcome : outcomes) {
    for (const ledger::TpsEffect& effect : outcome.effects) {
      if (auto it = states.find(effect.tps); it != states.end()) outcome.states.emplace_back(it->first, it->second);
    }
    outcome.states_seq = seq;
  }
}

bool IsServerLocation(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view location) {
  if (IsServerLocation(location)) {
    auto store = TRY(PgStore::Open(std::string(location)));
    return std::unique_ptr<Store>(std::move(store));
  }
  if (location.empty()) return InvalidInput("--db: empty path");
  auto store = TRY(SqliteStore::Open(std::string(location)));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tepat::store
