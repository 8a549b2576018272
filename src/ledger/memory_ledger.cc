// The in-memory ledger.
#include "ledger/memory_ledger.h"

#include "common/hash.h"

namespace tepat::ledger {

std::string ChainHash(std::string_view previous, std::string_view body_hash) {
  std::string text;
  text.reserve(previous.size() + 1 + body_hash.size());
  text.append(previous).append("\n").append(body_hash);
  return Sha256Hex(text);
}

PostedDocument Summarize(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq) {
  PostedDocument p{.seq = seq,
                   .id = doc.id,
                   .election = doc.election,
                   .kind = doc.kind,
                   .node = doc.node,
                   .body_hash = body_hash,
                   .hash = hash};
  if (doc.kind == DocKind::kDispatch) {
    p.to = doc.to;
    p.kits = doc.kit_codes;
    for (const DocLine& line : doc.lines) p.lines.emplace_back(line.item, line.quantity);
  } else if (doc.kind == DocKind::kReplacementRequest) {
    p.to = doc.vendor;
  }
  return p;
}

int64_t MemoryLedger::Balance(const std::string& node, const std::string& article) {
  auto it = balances_.find({node, article});
  return it == balances_.end() ? 0 : it->second;
}

const Kit* MemoryLedger::FindKit(const std::string& kit) {
  auto it = kits_.find(kit);
  return it == kits_.end() ? nullptr : &it->second;
}

bool MemoryLedger::LabelUsed(const std::string& label) { return labels_.count(label) > 0; }

std::optional<PostedDocument> MemoryLedger::FindDocument(const std::string& id) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Movement>> MemoryLedger::MovementsOf(const std::string& id) {
  if (history_.movements) return history_.movements(id);
  auto it = movements_.find(id);
  if (it == movements_.end()) return NotFound("no document " + id);
  return it->second;
}

Result<Document> MemoryLedger::LoadDocument(const std::string& id) {
  if (history_.document) return history_.document(id);
  auto it = bodies_.find(id);
  if (it == bodies_.end()) return NotFound("no document " + id);
  return it->second;
}

void MemoryLedger::Apply(const Document& doc, const std::string& body_hash, const std::string& hash, int64_t seq,
                         const Posting& posting) {
  for (const Movement& m : posting.movements) {
    for (const auto& [node, change] : {std::pair{&m.from, -m.quantity}, std::pair{&m.to, m.quantity}}) {
      auto key = std::make_pair(*node, m.article);
      int64_t& balance = balances_[key];
      balance += change;
      if (balance == 0) balances_.erase(key);
    }
  }
  for (const Kit& kit : posting.new_kits) {
    labels_[kit.label] = kit.kit;
    kits_[kit.kit] = kit;
  }
  for (const std::string& kit : posting.removed_kits) {
    auto it = kits_.find(kit);
    if (it == kits_.end()) continue;
    labels_.erase(it->second.label);
    kits_.erase(it);
  }
  if (!posting.closes.empty()) documents_[posting.closes].received_by = doc.id;
  if (!posting.reopens.empty()) documents_[posting.reopens].received_by.clear();
  if (!posting.reverses.empty()) documents_[posting.reverses].reversed_by = doc.id;
  documents_[doc.id] = Summarize(doc, body_hash, hash, seq);
  if (!history_.movements) {
    movements_[doc.id] = posting.movements;
    bodies_[doc.id] = doc;
  }
  head_hash_ = hash;
}

}  // namespace tepat::ledger
