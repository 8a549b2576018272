// Posting: turns a document into movement lines (source node, destination node, article, quantity) after checking
// it against the nodes, the chain of custody and the balances it would change. Pure: the current state comes
// through a LedgerView (the database for `tepat ledger import`, memory for `tepat ledger verify` and the tests),
// and the result is written by the caller in one transaction with the balances, the kits and the hash link.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/result.h"
#include "geo/region.h"
#include "ledger/document.h"

namespace tepat::ledger {

// What moves: an item of the catalog ("surat_suara:DPR:35-01") or a whole kit ("kit:K-3578-000001").
std::string KitArticle(std::string_view kit);

struct Movement {
  std::string from;
  std::string to;
  std::string article;
  int64_t quantity = 0;

  bool operator==(const Movement&) const = default;
};

// A kit as packed.
struct Kit {
  std::string kit;
  std::string tps;
  std::string label;
  std::string packed_at;  // the node that packed it
  std::vector<std::string> seals;
  std::vector<std::pair<std::string, int64_t>> contents;  // item, quantity, in the packing document's order
};

// What posting needs to know of an earlier document.
struct PostedDocument {
  int64_t seq = 0;
  std::string id;
  std::string election;
  DocKind kind = DocKind::kGoodsReceipt;
  std::string node;
  std::string body_hash;    // SHA-256 of its canonical JSON: the same id with other content is a conflict
  std::string hash;         // its link in the chain
  std::string reversed_by;  // the reversal that cancelled it, if any
  std::string received_by;  // for a dispatch: the receipt that answered it, if any
  // A dispatch's destination, kits and loose lines; a replacement request's vendor in `to`.
  std::string to;
  std::vector<std::string> kits;
  std::vector<std::pair<std::string, int64_t>> lines;
};

// A change to one TPS's readiness, from a dispatch of its kit or a receipt at its KPPS (sign -1 when reversed).
struct TpsEffect {
  std::string tps;
  int sign = 1;
  int64_t dispatched_at = 0;                              // a kit labelled for the TPS left for it
  int64_t received_at = 0;                                // a receipt at its KPPS
  std::vector<std::pair<std::string, int64_t>> received;  // items accepted, kit contents included
  int32_t kits = 0;                                       // kits accepted
  int32_t misrouted = 0;                                  // kits accepted that are labelled for another TPS
  int32_t unsealed = 0;                                   // kits whose seals arrived broken
  int32_t damaged = 0;                                    // kits arrived damaged, or lines refused as damaged
  int32_t wrong_items = 0;                                // lines refused as another dapil's (wrong_variant)
};

// Everything a posted document changes.
struct Posting {
  std::vector<Movement> movements;
  std::vector<Kit> new_kits;              // packing
  std::vector<std::string> removed_kits;  // reversal of a packing
  std::string closes;                     // a receipt closes its dispatch
  int64_t closes_seq = 0;                  // ... which is this document of the ledger
  std::string reopens;                    // the reversal of a receipt reopens the dispatch
  std::string reverses;                   // a reversal marks the document it cancels
  std::vector<TpsEffect> effects;
};

// The state posting reads. Implementations answer for the election being posted to.
class LedgerView {
 public:
  virtual ~LedgerView() = default;
  virtual int64_t Balance(const std::string& node, const std::string& article) = 0;
  // The kit, or null; the pointer stays valid until the next call to FindKit or the next posting.
  virtual const Kit* FindKit(const std::string& kit) = 0;
  virtual bool LabelUsed(const std::string& label) = 0;
  virtual std::optional<PostedDocument> FindDocument(const std::string& id) = 0;
  // The movements and body of a posted document (for reversals).
  virtual Result<std::vector<Movement>> MovementsOf(const std::string& id) = 0;
  virtual Result<Document> LoadDocument(const std::string& id) = 0;
};

// What an election allows: its nodes (regions and TPS), items and vendors.
// The contracts goods may be delivered under: a contract number (kd_paket) → its vendor's code. Replaced whole when
// contracts are imported, also while a server posts with the catalog that holds it.
class ContractVendors {
 public:
  void Replace(std::unordered_map<std::string, std::string> vendors);
  std::optional<std::string> VendorOf(const std::string& contract) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> vendors_;
};

struct Catalog {
  std::string election;
  const geo::RegionSet* regions = nullptr;
  std::unordered_set<std::string> items;    // need item codes
  std::unordered_set<std::string> vendors;  // vendor codes, without "vendor:"
  std::unordered_set<int64_t> tps;          // RegionKey of every TPS code
  // The contracts deliveries may name; null when they are not checked (a replay of the ledger, which verifies what
  // was posted, not today's contracts).
  std::shared_ptr<ContractVendors> contracts = std::make_shared<ContractVendors>();

  // Whether the node exists in this election: its region or TPS, or a vendor of the election.
  bool NodeExists(const struct Node& node) const;
};

// The rejection reasons a receipt line or kit may give.
bool IsRejectionReason(std::string_view reason);

// The result of offering a document: new, or the replay of one already posted with the same content.
struct Planned {
  bool replay = false;
  PostedDocument existing;  // when replayed
  Posting posting;          // when new
};

// Checks `doc` against the catalog and the state and gives what posting it changes. A document whose id is already
// posted is a replay when its canonical body is the same and a conflict (ErrorKind::kConflict) otherwise.
// `where` locates the document in messages ("FILE:LINE").
Result<Planned> Plan(const Document& doc, const std::string& body_hash, const Catalog& catalog, LedgerView& view,
                     std::string_view where);

// The readiness effects of a posted document (its TPS dispatches and KPPS receipts), with `sign`.
std::vector<TpsEffect> EffectsOf(const Document& doc, LedgerView& view, int sign);

}  // namespace tepat::ledger
