// Verification of a stored ledger (docs/ledger.md §7): the hash chain over every document, and each election's
// documents replayed through posting in memory and compared with what the database holds: each document's movement
// lines, every balance and every kit. The caller (app::VerifyLedger) reads the database and hands its rows in, one
// election at a time so that memory holds one election's replay; nothing here reads or writes anything.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "ledger/memory_ledger.h"
#include "ledger/posting.h"

namespace tepat::ledger {

// A document as the database holds it.
struct StoredRecord {
  int64_t seq = 0;
  std::string_view id, election, kind, body, body_hash, hash;
};

// The error verify reports for document `seq` (`id`, of `kind`): "ledger verify failed at document #SEQ (ID, KIND):
// WHY".
Error VerifyFailure(int64_t seq, std::string_view id, std::string_view kind, const std::string& why);

// Pass 1, every document in ledger order: consecutive seqs from 1, each link following from the one before and its
// body hash (which pass 2 checks against the body). Notes the elections the documents belong to.
class ChainCheck {
 public:
  Status Add(const StoredRecord& doc);
  int64_t documents() const { return documents_; }
  // The head of the chain: the last link, empty for an empty ledger.
  const std::string& head() const { return previous_; }
  // The elections of the documents, in the order of their first document.
  const std::vector<std::string>& elections() const { return elections_; }

 private:
  int64_t documents_ = 0;
  std::string previous_;
  std::vector<std::string> elections_;
  std::unordered_set<std::string> seen_;
};

// Pass 3, every stored movement line in ledger order, against the digest of what each document's replay gave.
class MovementCheck {
 public:
  // Sizes the digests for documents 1 to `documents`.
  explicit MovementCheck(int64_t documents) : digests_(documents + 1) {}
  int64_t documents() const { return static_cast<int64_t>(digests_.size()) - 1; }
  // What replaying document `seq` gave.
  void Expect(int64_t seq, const std::vector<Movement>& movements);
  Status Add(int64_t seq, const Movement& movement);
  Status End();
  int64_t lines() const { return lines_; }

 private:
  using Digest = std::array<uint8_t, 32>;
  static Digest DigestOf(std::string_view text);
  Status Close();
  std::vector<Digest> digests_;  // by seq; documents without movement lines have the digest of ""
  int64_t lines_ = 0, current_ = -1;
  size_t next_ = 1;
  std::string text_;
};

// Pass 2, one election: its documents replayed in ledger order, then its stored balances and kits compared with the
// replay's.
class ElectionReplay {
 public:
  // `history` reads earlier documents of the database being verified; `movements` collects each document's lines.
  ElectionReplay(const Catalog& catalog, MemoryLedger::History history, MovementCheck& movements);
  // Checks the document's body against its body hash, its columns against its body, and posts it again; `effect`
  // receives what it changed in the readiness of TPS.
  Status Document(const StoredRecord& doc, const std::function<void(const TpsEffect&)>& effect);
  // Every stored non-zero balance of the election, then EndBalances: the replay's must be the same.
  Status Balance(const std::string& node, const std::string& article, int64_t quantity);
  Status EndBalances();
  // Every stored kit of the election, then EndKits.
  Status Kit(const ledger::Kit& kit);
  Status EndKits();
  int64_t balances() const { return static_cast<int64_t>(memory_.balance_count()); }
  int64_t kits() const { return static_cast<int64_t>(memory_.kit_count()); }

 private:
  static uint64_t PairHash(const std::string& node, const std::string& article);
  const Catalog& catalog_;
  MemoryLedger memory_;
  MovementCheck& movements_;
  std::unordered_set<uint64_t> matched_;  // the (node, article) pairs of stored non-zero balances
  size_t stored_kits_ = 0;
};

}  // namespace tepat::ledger
