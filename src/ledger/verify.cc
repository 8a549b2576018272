#include "ledger/verify.h"

#include "common/hash.h"

namespace tepat::ledger {

namespace {

Error Failed(const std::string& why) { return Error(ErrorKind::kConflict, "ledger verify failed: " + why); }

Error FailedAt(int64_t seq, const std::string& why) {
  return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(seq) + ": " + why);
}

// A document's movement lines as the text whose digest is compared.
void AppendMovement(std::string& text, const Movement& m) {
  text.append(m.from).append("|").append(m.to).append("|").append(m.article).append("|");
  text.append(std::to_string(m.quantity)).append("\n");
}

}  // namespace

Error VerifyFailure(int64_t seq, std::string_view id, std::string_view kind, const std::string& why) {
  return Error(ErrorKind::kConflict, "ledger verify failed at document #" + std::to_string(seq) + " (" +
                                         std::string(id) + ", " + std::string(kind) + "): " + why);
}

Status ChainCheck::Add(const StoredRecord& doc) {
  if (doc.seq != documents_ + 1) {
    return VerifyFailure(doc.seq, doc.id, doc.kind,
                         "expected document #" + std::to_string(documents_ + 1) + " here: a document was removed");
  }
  ++documents_;
  const std::string hash = ChainHash(previous_, doc.body_hash);
  if (hash != doc.hash) {
    return VerifyFailure(doc.seq, doc.id, doc.kind,
                         "its hash does not follow from the document before: the chain is broken");
  }
  previous_ = hash;
  if (seen_.emplace(doc.election).second) elections_.emplace_back(doc.election);
  return {};
}

MovementCheck::Digest MovementCheck::DigestOf(std::string_view text) { return Sha256(text); }

void MovementCheck::Expect(int64_t seq, const std::vector<Movement>& movements) {
  std::string text;
  for (const Movement& m : movements) AppendMovement(text, m);
  if (seq > 0 && static_cast<size_t>(seq) < digests_.size()) digests_[seq] = DigestOf(text);
}

Status MovementCheck::Close() {
  if (current_ < 0) return {};
  static const Digest kNone = DigestOf("");
  for (; next_ < digests_.size() && static_cast<int64_t>(next_) < current_; ++next_) {
    if (digests_[next_] != kNone) return FailedAt(next_, "its movement lines are missing from the database");
  }
  if (next_ >= digests_.size() || static_cast<int64_t>(next_) != current_) {
    return Failed("movement lines for document #" + std::to_string(current_) + ", which does not exist");
  }
  if (digests_[next_] != DigestOf(text_)) {
    return FailedAt(current_, "its stored movement lines differ from what the document gives");
  }
  ++next_;
  return {};
}

Status MovementCheck::Add(int64_t seq, const Movement& movement) {
  ++lines_;
  if (seq != current_) {
    RETURN_IF_ERROR(Close());
    current_ = seq;
    text_.clear();
  }
  AppendMovement(text_, movement);
  return {};
}

Status MovementCheck::End() {
  RETURN_IF_ERROR(Close());
  static const Digest kNone = DigestOf("");
  for (; next_ < digests_.size(); ++next_) {
    if (digests_[next_] != kNone) return FailedAt(next_, "its movement lines are missing from the database");
  }
  return {};
}

ElectionReplay::ElectionReplay(const Catalog& catalog, MemoryLedger::History history, MovementCheck& movements)
    : catalog_(catalog), memory_(std::move(history)), movements_(movements) {
  memory_.Reserve(movements.documents());
}

Status ElectionReplay::Document(const StoredRecord& doc, const std::function<void(const TpsEffect&)>& effect) {
  auto fail = [&](const std::string& why) { return VerifyFailure(doc.seq, doc.id, doc.kind, why); };
  const std::string body_hash = Sha256Hex(doc.body);
  if (body_hash != doc.body_hash) return fail("its body does not match its body hash: the body was edited");
  Result<ledger::Document> parsed = ParseDocument("#" + std::to_string(doc.seq), doc.body);
  if (!parsed.ok()) return fail("its body is no longer a valid document: " + parsed.error().ToString());
  const ledger::Document& d = parsed.value();
  if (d.id != doc.id || DocKindName(d.kind) != doc.kind || d.election != doc.election) {
    return fail("its id, kind or election columns differ from its body");
  }
  Result<Planned> planned = Plan(d, body_hash, catalog_, memory_, "verify");
  if (memory_.failure()) return fail("an earlier document could not be read: " + memory_.failure()->message());
  if (!planned.ok()) return fail("posting it again is refused: " + planned.error().ToString());
  if (planned.value().replay) return fail("its id appears twice in the ledger");
  const Posting& posting = planned.value().posting;
  movements_.Expect(doc.seq, posting.movements);
  for (const TpsEffect& e : posting.effects) effect(e);
  memory_.Apply(d, body_hash, std::string(doc.hash), doc.seq, posting);
  return {};
}

uint64_t ElectionReplay::PairHash(const std::string& node, const std::string& article) {
  return std::hash<std::string>()(node) * 1000003u ^ std::hash<std::string>()(article);
}

Status ElectionReplay::Balance(const std::string& node, const std::string& article, int64_t quantity) {
  const int64_t expected = memory_.Balance(node, article);
  if (quantity != expected) {
    return Failed("the balance of " + article + " at " + node + " is " + std::to_string(quantity) +
                  "; the movements give " + std::to_string(expected));
  }
  if (quantity != 0) matched_.insert(PairHash(node, article));
  return {};
}

Status ElectionReplay::EndBalances() {
  if (matched_.size() == memory_.balance_count()) return {};
  std::string missing;
  memory_.ForEachBalance([&](const std::string& node, const std::string& article, int64_t quantity) {
    if (missing.empty() && !matched_.count(PairHash(node, article))) {
      missing =
          "the balance of " + article + " at " + node + " is missing; the movements give " + std::to_string(quantity);
    }
  });
  return Failed(missing);
}

Status ElectionReplay::Kit(const ledger::Kit& kit) {
  ++stored_kits_;
  const ledger::Kit* packed = memory_.FindKit(kit.kit);
  if (!packed || packed->contents != kit.contents || packed->tps != kit.tps || packed->label != kit.label ||
      !memory_.SealsAre(kit.kit, kit.seals)) {
    return Failed("kit " + kit.kit + " differs from its packing");
  }
  return {};
}

Status ElectionReplay::EndKits() {
  if (stored_kits_ == memory_.kit_count()) return {};
  return Failed("election " + catalog_.election + " stores " + std::to_string(stored_kits_) +
                " kits; the documents pack " + std::to_string(memory_.kit_count()));
}

}  // namespace tepat::ledger
