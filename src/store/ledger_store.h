// The ledger's part of the storage interface (store.h): posting through a LedgerSession, and the reads of documents,
// movements, balances, kits and the per-TPS readiness projection.
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

// The ledger as stored.
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

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
};

}  // namespace tepat::store
