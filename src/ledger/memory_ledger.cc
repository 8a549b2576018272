// The in-memory ledger.
#include "ledger/memory_ledger.h"

#include <algorithm>

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
  auto n = interned_.find(node), a = interned_.find(article);
  if (n == interned_.end() || a == interned_.end()) return 0;
  auto it = balances_.find(Key(n->second, a->second));
  return it == balances_.end() ? 0 : it->second;
}

void MemoryLedger::ForEachBalance(
    const std::function<void(const std::string&, const std::string&, int64_t)>& each) const {
  for (const auto& [key, quantity] : balances_) {
    each(strings_[key >> 32], strings_[key & 0xffffffffu], quantity);
  }
}

uint32_t MemoryLedger::Intern(const std::string& text) {
  auto [it, added] = interned_.emplace(text, static_cast<uint32_t>(strings_.size()));
  if (added) strings_.push_back(text);
  return it->second;
}

Kit MemoryLedger::Expand(const std::string& code, const CompactKit& kit) const {
  Kit out{code, kit.tps, kit.label, kit.packed_at, {}, {}};
  size_t start = 0;
  while (start < kit.seals.size()) {
    const size_t end = std::min(kit.seals.find('\n', start), kit.seals.size());
    out.seals.push_back(kit.seals.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& [item, quantity] : kit.contents) out.contents.emplace_back(strings_[item], quantity);
  return out;
}

const Kit* MemoryLedger::FindKit(const std::string& kit) {
  auto it = kits_.find(kit);
  if (it == kits_.end()) return nullptr;
  found_ = Expand(it->first, it->second);
  return &found_;
}

void MemoryLedger::ForEachKit(const std::function<void(const Kit&)>& each) const {
  for (const auto& [code, kit] : kits_) each(Expand(code, kit));
}

bool MemoryLedger::LabelUsed(const std::string& label) { return labels_.count(label) > 0; }

std::optional<PostedDocument> MemoryLedger::FindDocument(const std::string& id) {
  auto it = documents_.find(id);
  if (it == documents_.end()) return std::nullopt;
  const CompactDocument& d = it->second;
  PostedDocument p{.seq = d.seq,
                   .id = id,
                   .election = strings_[d.election],
                   .kind = d.kind,
                   .node = strings_[d.node],
                   .body_hash = std::string(d.body_hash.data(), d.body_hash.size()),
                   .reversed_by = d.reversed_by,
                   .received_by = d.received_by,
                   .to = d.to ? strings_[d.to] : std::string(),
                   .kits = d.kits};
  for (const auto& [item, quantity] : d.lines) p.lines.emplace_back(strings_[item], quantity);
  return p;
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
    const uint32_t article = Intern(m.article);
    for (const auto& [node, change] : {std::pair{&m.from, -m.quantity}, std::pair{&m.to, m.quantity}}) {
      const uint64_t key = Key(Intern(*node), article);
      int64_t& balance = balances_[key];
      balance += change;
      if (balance == 0) balances_.erase(key);
    }
  }
  for (const Kit& kit : posting.new_kits) {
    labels_[kit.label] = kit.kit;
    CompactKit& compact = kits_[kit.kit];
    compact = {kit.tps, kit.label, kit.packed_at, {}, {}};
    for (const std::string& seal : kit.seals) compact.seals += (compact.seals.empty() ? "" : "\n") + seal;
    for (const auto& [item, quantity] : kit.contents) compact.contents.emplace_back(Intern(item), quantity);
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
  const PostedDocument summary = Summarize(doc, body_hash, hash, seq);
  CompactDocument& d = documents_[doc.id];
  d = {.seq = seq,
       .kind = doc.kind,
       .election = Intern(doc.election),
       .node = Intern(doc.node),
       .to = summary.to.empty() ? 0 : Intern(summary.to),
       .kits = summary.kits};
  std::copy_n(body_hash.begin(), std::min(body_hash.size(), d.body_hash.size()), d.body_hash.begin());
  for (const auto& [item, quantity] : summary.lines) d.lines.emplace_back(Intern(item), quantity);
  if (!history_.movements) {
    movements_[doc.id] = posting.movements;
    bodies_[doc.id] = doc;
  }
  head_hash_ = hash;
}

}  // namespace tepat::ledger
