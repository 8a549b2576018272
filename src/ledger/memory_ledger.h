// A ledger held in memory: the state posting reads, kept by applying postings in order. `tepat ledger verify`
// replays the whole database through it; the tests use it as a small ledger of their own.
#pragma once

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

  // Every non-zero balance, by (node, article).
  const std::map<std::pair<std::string, std::string>, int64_t>& balances() const { return balances_; }
  const std::unordered_map<std::string, Kit>& kits() const { return kits_; }
  const std::string& head_hash() const { return head_hash_; }

 private:
  History history_;
  std::map<std::pair<std::string, std::string>, int64_t> balances_;
  std::unordered_map<std::string, Kit> kits_;
  std::unordered_map<std::string, std::string> labels_;  // label → kit
  std::unordered_map<std::string, PostedDocument> documents_;
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
