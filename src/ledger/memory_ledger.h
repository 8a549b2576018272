// A ledger held in memory: the state posting reads, kept by applying postings in order. `tepat ledger verify`
// replays a whole election's documents through it (ledger::Verifier); the tests use it as a small ledger of their own.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger/posting.h"

namespace tepat::ledger {

class MemoryLedger final : public LedgerView {
 public:
  // Where earlier documents come from when posting needs them again: a receipt its dispatch, a reversal the document
  // it reverses and its movements. By default the ledger keeps them itself; verify reads them from the database
  // being verified instead (documents it has already checked), so that memory stays small. `summary` gives what
  // PostedDocument records of a stored document without received_by and reversed_by, which the ledger keeps.
  struct History {
    std::function<Result<std::optional<PostedDocument>>(const std::string& id)> summary;
    std::function<Result<std::vector<Movement>>(const std::string& id)> movements;
    std::function<Result<Document>(const std::string& id)> document;
  };
  MemoryLedger();
  explicit MemoryLedger(History history);
  ~MemoryLedger() override;

  int64_t Balance(const std::string& node, const std::string& article) override;
  const Kit* FindKit(const std::string& kit) override;
  bool LabelUsed(const std::string& label) override;
  std::optional<PostedDocument> FindDocument(const std::string& id) override;
  Result<std::vector<Movement>> MovementsOf(const std::string& id) override;
  Result<Document> LoadDocument(const std::string& id) override;

  // Records a new document and what it changes.
  void Apply(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq,
             const Posting& posting);
  // The first error reading the history gave, if any: what FindDocument could not read (it then answered nothing).
  const std::optional<Error>& failure() const { return failure_; }

  // Every non-zero balance, in no particular order.
  size_t balance_count() const { return balances_.size(); }
  void ForEachBalance(
      const std::function<void(const std::string& node, const std::string& article, int64_t)>& each) const;
  // The kits, in no particular order (without their seals when reading the history from elsewhere).
  size_t kit_count() const { return kits_.size(); }
  // Whether kit `kit` was packed with `seals`.
  bool SealsAre(const std::string& kit, const std::vector<std::string>& seals) const;
  // Makes room for documents numbered up to `documents`.
  void Reserve(int64_t documents);
  void ForEachKit(const std::function<void(const Kit&)>& each) const;
  const std::string& head_hash() const { return head_hash_; }

 private:
  // A national election has 1.8 million documents and 820,000 kits of some 23 lines, and verify replays it in memory
  // within 1 GiB: documents are known by their UUIDs as 128-bit numbers, kits are kept as varint-encoded bytes in an
  // arena, and every node, article and item code is interned once.
  struct Uuid {
    uint64_t hi = 0, lo = 0;
    bool operator==(const Uuid&) const = default;
  };
  struct UuidHash {
    size_t operator()(const Uuid& u) const { return static_cast<size_t>(u.hi * 0x9e3779b97f4a7c15ull ^ u.lo); }
  };
  // A set of ids (never 0) held in an open-addressing table of 4 bytes a slot, the keys they stand for being kept
  // by the owner: 1.7 million interned codes cost 14 MB here, not the 80 MB of a node-based map.
  class IdTable {
   public:
    // The id whose key `is` recognises, found from the key's hash; 0 when none.
    uint32_t Find(size_t hash, const std::function<bool(uint32_t)>& is) const;
    // Adds `id`, whose key has `hash`; `rehash` gives the hash of any id already in the table.
    void Insert(uint32_t id, size_t hash, const std::function<size_t(uint32_t)>& rehash);
    // Removes `id`, whose key has `hash`.
    void Erase(uint32_t id, size_t hash);

   private:
    static constexpr uint32_t kGone = 0xffffffffu;
    std::vector<uint32_t> slots_;
    size_t used_ = 0;  // ids and tombstones
  };
  // Bytes that never move once written: the interned codes and the kits point into it.
  class Arena {
   public:
    std::string_view Add(std::string_view text);

   private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = 0, size_ = 0;
  };
  struct CompactKit {
    uint32_t packed_at = 0;  // interned node
    // In the arena: contents varint-encoded; seals joined by '\n', or only their SHA-256 when reading the history
    // from elsewhere (posting never reads a kit's seals; verify compares them with SealsAre).
    std::string_view tps, label, seals, contents;
  };
  static std::optional<Uuid> ParseUuid(std::string_view text);
  static std::string FormatUuid(const Uuid& u);
  uint32_t Intern(std::string_view text);
  std::optional<uint32_t> Interned(std::string_view text) const;
  uint32_t KitOfLabel(std::string_view label) const;
  void RemoveKit(uint32_t article);
  std::string SealsOf(const std::vector<std::string>& seals) const;
  Kit Expand(std::string_view code, const CompactKit& kit) const;
  // The seq of a posted document, 0 when none.
  int64_t SeqOf(const std::string& id) const;
  void Remember(const std::string& id, PostedDocument summary);

  static uint64_t Key(uint32_t node, uint32_t article) { return uint64_t{node} << 32 | article; }

  History history_;
  bool keeps_history_ = true;
  Arena arena_;
  IdTable interned_;                                      // of strings_
  std::vector<std::string_view> strings_;                 // by interned id; 0 is the empty string
  std::unordered_map<uint64_t, int64_t> balances_;        // Key(node, article) → quantity
  std::unordered_map<uint32_t, CompactKit> kits_;         // by the interned kit article ("kit:CODE")
  IdTable labels_;                                        // the kits' articles, by their labels
  Kit found_;                                             // what FindKit returned last
  std::vector<Uuid> ids_;                                 // by seq: the document's id
  IdTable seqs_;                                          // the seqs of ids_, by id
  std::unordered_map<std::string, int64_t> other_seqs_;   // ids that are not UUIDs, and seqs past 2^32
  std::vector<Uuid> received_by_;                         // by the seq of a dispatch: its receipt
  std::unordered_map<int64_t, std::string> reversed_by_;  // by seq: the reversal that cancelled it
  // The summaries of the latest documents (all of them when keeping history), so that a receipt finds the dispatch
  // it answers without reading it again.
  std::unordered_map<std::string, PostedDocument> recent_;
  std::deque<std::string> recent_order_;
  std::unordered_map<std::string, std::vector<Movement>> movements_;  // when keeping history
  std::unordered_map<std::string, Document> bodies_;                  // when keeping history
  std::optional<Error> failure_;
  std::string head_hash_;
};

// The link of a document in the chain: SHA-256 over the previous link, a newline and the SHA-256 of the canonical
// body (its body hash). Changing, inserting or removing any document changes every link after it.
std::string ChainHash(std::string_view previous, std::string_view body_hash);

// What a PostedDocument records of a document.
PostedDocument Summarize(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq);

}  // namespace tepat::ledger
