// A ledger held in memory: the state posting reads, kept by applying postings in order. `tepat ledger verify`
// replays the whole database through it; the tests use it as a small ledger of their own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "ledger/posting.h"

namespace tepat::ledger {

class MemoryLedger final : public LedgerView {
 public:
  // Where the movements and bodies of earlier documents come from when a reversal needs them. By default the ledger
  // keeps them itself; verify passes the database instead, so that memory stays small.
  struct History {
    std::function<Result<std::vector<Movement>>(const std::string&)> movements;
    std::function<Result<Document>(const std::string&)> document;
  };
  MemoryLedger() = default;
  explicit MemoryLedger(History history) : history_(std::move(history)) {}

  int64_t Balance(const std::string& node, const std::string& article) override;
  const Kit* FindKit(const std::string& kit) override;
  bool LabelUsed(const std::string& label) override;
  std::optional<PostedDocument> FindDocument(const std::string& id) override;
  Result<std::vector<Movement>> MovementsOf(const std::string& id) override;
  Result<Document> LoadDocument(const std::string& id) override;

  // Records a new document and what it changes.
  void Apply(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq,
             const Posting& posting);

  // Every non-zero balance, in no particular order.
  size_t balance_count() const { return balances_.size(); }
  void ForEachBalance(
      const std::function<void(const std::string& node, const std::string& article, int64_t)>& each) const;
  // The kits, in no particular order.
  size_t kit_count() const { return kits_.size(); }
  void ForEachKit(const std::function<void(const Kit&)>& each) const;
  const std::string& head_hash() const { return head_hash_; }

 private:
  // Kits and documents are held compactly: a national ledger has 820,000 kits of some 25 lines and 1.8 million
  // documents, and verify replays it all in memory. Item codes are interned.
  struct CompactKit {
    std::string tps, label, packed_at, seals;  // seals joined by '\n'
    std::vector<std::pair<uint32_t, int64_t>> contents;
  };
  struct CompactDocument {
    int64_t seq = 0;
    DocKind kind = DocKind::kGoodsReceipt;
    uint32_t election = 0, node = 0;
    std::array<char, 64> body_hash{};
    std::string received_by, reversed_by;
    // Dispatches only (and a replacement request's vendor in `to`).
    uint32_t to = 0;
    std::vector<std::string> kits;
    std::vector<std::pair<uint32_t, int64_t>> lines;
  };
  uint32_t Intern(const std::string& text);
  Kit Expand(const std::string& code, const CompactKit& kit) const;

  static uint64_t Key(uint32_t node, uint32_t article) { return uint64_t{node} << 32 | article; }

  History history_;
  std::unordered_map<uint64_t, int64_t> balances_;  // Key(node, article) → quantity, interned codes
  std::unordered_map<std::string, uint32_t> interned_{{"", 0}};
  std::vector<std::string> strings_{""};  // 0 is the empty string
  std::unordered_map<std::string, CompactKit> kits_;
  Kit found_;                                            // what FindKit returned last
  std::unordered_map<std::string, std::string> labels_;  // label → kit
  std::unordered_map<std::string, CompactDocument> documents_;
  std::unordered_map<std::string, std::vector<Movement>> movements_;  // when keeping history
  std::unordered_map<std::string, Document> bodies_;                  // when keeping history
  std::string head_hash_;
};

// The link of a document in the chain: SHA-256 over the previous link, a newline and the SHA-256 of the canonical
// body (its body hash). Changing, inserting or removing any document changes every link after it.
std::string ChainHash(std::string_view previous, std::string_view body_hash);

// What a PostedDocument records of a document.
PostedDocument Summarize(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq);

}  // namespace tepat::ledger
