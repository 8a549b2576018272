// The storage interface: everything tepat keeps, behind one interface that the SQLite backend (store/sqlite/) and the
// PostgreSQL backend (store/postgres/) implement. Every write is one transaction: a refused or failed write leaves no
// trace. Documents reach the ledger only through app::LedgerWriter, which is the one caller of LedgerSession::Post.
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
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "ledger/posting.h"
#include "readiness/tps_state.h"

namespace tepat::store {

// What became of a document offered to the ledger.
struct PostOutcome {
  enum class Kind { kPosted, kReplayed, kRefused };
  Kind kind = Kind::kPosted;
  int64_t seq = 0;                         // its place in the ledger (posted or replayed)
  std::string hash;                        // its link in the chain
  std::optional<Error> error;              // why it was refused
  std::vector<ledger::TpsEffect> effects;  // what a posted document changed in the readiness of TPS
  // The readiness those TPS have once its batch is committed, and the seq of the batch's last document: what a
  // server loads into its board (a later state of a TPS, by seq, is never replaced by an earlier one).
  std::vector<std::pair<std::string, readiness::TpsState>> states;
  int64_t states_seq = 0;
};

// Gives each posted outcome the states of the TPS its effects touched, from the batch's final `states` at `seq`.
void AttachStates(std::vector<PostOutcome>& outcomes,
                  const std::unordered_map<std::string, readiness::TpsState>& states, int64_t seq);

// A posted document as stored.
struct StoredDocument {
  int64_t seq = 0;
  std::string id;
  std::string election;
  std::string kind;
  int64_t at = 0;
  std::string body;  // canonical JSON
  std::string body_hash;
  std::string hash;
  std::string received_by;  // a dispatch's receipt, when received
  std::string reversed_by;  // the reversal of the document, when reversed
};

struct LedgerHead {
  int64_t seq = 0;
  std::string hash;
};

struct StoredMovement {
  int64_t seq = 0;
  int64_t line = 0;
  ledger::Movement movement;
};

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

// The audit entry a document's outcome leaves (document i of the batch), or none when it changed nothing.
using AuditOfOutcome = std::function<std::optional<access::AuditEntry>(size_t document, const PostOutcome& outcome)>;

// The ledger of one election, open for posting. It is the LedgerView that posting reads, answering from the database
// within the current transaction. Only app::LedgerWriter posts through it.
class LedgerSession : public ledger::LedgerView {
 public:
  // Posts `documents` in order in one durable transaction (group commit), with the audit entry `audit` gives for each
  // outcome and the entries of `also` (refusals decided before posting) in the same transaction. Each document is
  // posted, replayed or refused on its own: a refused document writes nothing but its audit entry. `where[i]` locates
  // document i in messages. A storage error rolls the whole batch back, audit entries included, and is returned.
  virtual Result<std::vector<PostOutcome>> Post(const std::vector<ledger::Document>& documents,
                                                const std::vector<std::string>& where, const AuditOfOutcome& audit,
                                                const std::vector<access::AuditEntry>& also) = 0;
};

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

  // The ledger of the catalog's election, for posting. The catalog must outlive the session.
  virtual Result<std::unique_ptr<LedgerSession>> OpenLedger(const ledger::Catalog& catalog) = 0;
  // Every document in ledger order; of one election, or of all when `election` is empty. Stops at the first error
  // `each` returns. Without `with_body` the bodies are left empty (far less to read).
  virtual Status ForEachDocument(std::string_view election, const std::function<Status(const StoredDocument&)>& each,
                                 bool with_body = true) = 0;
  // Every movement line in ledger order.
  virtual Status ForEachMovement(const std::function<Status(const StoredMovement&)>& each) = 0;
  // Every stored balance, with the election its article belongs to.
  virtual Status ForEachBalance(const std::function<Status(const std::string& election, const std::string& node,
                                                           const std::string& article, int64_t quantity)>& each) = 0;
  // One document and its movements, by id.
  virtual Result<StoredDocument> FindDocument(std::string_view id) = 0;
  virtual Result<std::vector<ledger::Movement>> MovementsOf(std::string_view id) = 0;
  // The documents a node signed or that were dispatched to it, in ledger order.
  virtual Result<std::vector<StoredDocument>> DocumentsOfNode(std::string_view election, std::string_view node) = 0;
  // A kit of an election by its id or by the code on its label (what scanning the QR sticker gives).
  virtual Result<std::optional<ledger::Kit>> FindKit(std::string_view election, std::string_view id_or_label) = 0;
  // The kits of an election, one by one in kit order.
  virtual Status ForEachKit(std::string_view election, const std::function<Status(const ledger::Kit&)>& each) = 0;
  // The per-TPS readiness projection of an election, TPS by TPS in code order; only TPS whose code starts with
  // `prefix` ("35.78." for a regency's, "" for all).
  virtual Status ForEachTpsState(
      std::string_view election, std::string_view prefix,
      const std::function<Status(const std::string& tps, const readiness::TpsState&)>& each) = 0;
  // The TPS whose readiness documents after `after_seq` changed, with their state and the seq of the batch that
  // last changed it: what a server that loaded the board at that seq applies to follow documents posted by other
  // processes.
  virtual Status ForEachTpsStateChangedAfter(
      std::string_view election, int64_t after_seq,
      const std::function<Status(const std::string& tps, const readiness::TpsState&, int64_t seq)>& each) = 0;
  // The ledger's clock for an election: the latest time any of its documents records (0 when it has none).
  virtual Result<int64_t> LedgerClock(std::string_view election) = 0;
  // The newest document of the ledger (its one chain over every election): seq 0 and no hash when it is empty.
  virtual Result<LedgerHead> Head() = 0;

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

  // Accounts, sessions and the audit trail. Each change is written in one transaction with its audit entry.
  // Adds an account; a taken username is a conflict. Returns the new account's id.
  virtual Result<int64_t> AddAccount(const access::Account& account, const access::AuditEntry& audit) = 0;
  // Saves an account's role, scope, password hash and disabled flag. A disabled account or a new password ends
  // every session of the account.
  virtual Status UpdateAccount(const access::Account& account, bool end_sessions, const access::AuditEntry& audit) = 0;
  virtual Result<std::optional<access::Account>> FindAccount(std::string_view username) = 0;
  virtual Result<std::optional<access::Account>> FindAccountById(int64_t id) = 0;
  virtual Result<std::vector<access::Account>> ListAccounts() = 0;
  // Starts a session (a login) with its audit entry.
  virtual Status SaveSession(const access::Session& session, const access::AuditEntry& audit) = 0;
  // The session with this token hash if it has not expired at `now`.
  virtual Result<std::optional<access::Session>> FindSession(std::string_view token_hash, int64_t now) = 0;
  // Ends a session (a logout) with its audit entry; expired sessions are removed too.
  virtual Status EndSession(std::string_view token_hash, const access::AuditEntry& audit, int64_t now) = 0;
  virtual Status AppendAudit(const access::AuditEntry& audit) = 0;
  // Several entries in one transaction.
  virtual Status AppendAudit(const std::vector<access::AuditEntry>& entries) = 0;
  // Audit entries newest first, at most `limit`, with seq below `before` (0: from the newest), of one `action` when
  // not empty; only those whose region lies within `scope` when `scoped` (a bawaslu reader), all otherwise.
  virtual Result<std::vector<access::AuditEntry>> ReadAudit(bool scoped, std::string_view scope,
                                                            std::string_view action, int64_t before, int limit) = 0;

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
