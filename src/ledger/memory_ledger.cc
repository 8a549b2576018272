// The in-memory ledger.
#include "ledger/memory_ledger.h"

#include <algorithm>
#include <cstring>

#include "common/hash.h"
#include "common/varint.h"
#include "ledger/document.h"

namespace tepat::ledger {

namespace {

// How many documents' summaries a ledger reading its history from elsewhere keeps at hand: a receipt usually comes
// within that many documents of its dispatch, and the others are read again.
constexpr size_t kRecent = 1 << 16;

}  // namespace

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

uint32_t MemoryLedger::IdTable::Find(size_t hash, const std::function<bool(uint32_t)>& is) const {
  if (slots_.empty()) return 0;
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint32_t id = slots_[i];
    if (id == 0) return 0;
    if (id != kGone && is(id)) return id;
  }
}

void MemoryLedger::IdTable::Insert(uint32_t id, size_t hash, const std::function<size_t(uint32_t)>& rehash) {
  if ((used_ + 1) * 2 > slots_.size()) {
    std::vector<uint32_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(16, old.size() * 2), 0);
    used_ = 0;
    for (uint32_t kept : old) {
      if (kept != 0 && kept != kGone) Insert(kept, rehash(kept), rehash);
    }
  }
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = id;
  ++used_;
}

void MemoryLedger::IdTable::Erase(uint32_t id, size_t hash) {
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i] != 0; i = (i + 1) & mask) {
    if (slots_[i] == id) {
      slots_[i] = kGone;
      return;
    }
  }
}

std::string_view MemoryLedger::Arena::Add(std::string_view text) {
  if (text.empty()) return {};
  if (used_ + text.size() > size_) {
    size_ = std::max<size_t>(1 << 20, text.size());
    blocks_.push_back(std::make_unique<char[]>(size_));
    used_ = 0;
  }
  char* at = blocks_.back().get() + used_;
  std::memcpy(at, text.data(), text.size());
  used_ += text.size();
  return {at, text.size()};
}

MemoryLedger::MemoryLedger() { strings_.push_back({}); }

MemoryLedger::MemoryLedger(History history) : MemoryLedger() {
  history_ = std::move(history);
  keeps_history_ = !history_.summary;
}

MemoryLedger::~MemoryLedger() = default;

std::optional<MemoryLedger::Uuid> MemoryLedger::ParseUuid(std::string_view text) {
  if (!IsUuid(text)) return std::nullopt;
  Uuid u;
  int digits = 0;
  for (char c : text) {
    if (c == '-') continue;
    const uint64_t nibble = c <= '9' ? c - '0' : c - 'a' + 10;
    uint64_t& half = digits < 16 ? u.hi : u.lo;
    half = half << 4 | nibble;
    ++digits;
  }
  return u;
}

std::string MemoryLedger::FormatUuid(const Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    const uint64_t half = i < 16 ? u.hi : u.lo;
    out += kHex[(half >> (4 * (15 - i % 16))) & 0xf];
  }
  return out;
}

uint32_t MemoryLedger::Intern(std::string_view text) {
  if (const std::optional<uint32_t> known = Interned(text)) return *known;
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.push_back(arena_.Add(text));
  const std::hash<std::string_view> hash;
  interned_.Insert(id, hash(text), [&](uint32_t other) { return hash(strings_[other]); });
  return id;
}

std::optional<uint32_t> MemoryLedger::Interned(std::string_view text) const {
  if (text.empty()) return 0;
  const uint32_t id =
      interned_.Find(std::hash<std::string_view>()(text), [&](uint32_t other) { return strings_[other] == text; });
  if (id == 0) return std::nullopt;
  return id;
}

uint32_t MemoryLedger::KitOfLabel(std::string_view label) const {
  return labels_.Find(std::hash<std::string_view>()(label), [&](uint32_t article) {
    auto it = kits_.find(article);
    return it != kits_.end() && it->second.label == label;
  });
}

std::string MemoryLedger::SealsOf(const std::vector<std::string>& seals) const {
  std::string joined;
  for (const std::string& seal : seals) joined += (joined.empty() ? "" : "\n") + seal;
  if (keeps_history_) return joined;
  const std::array<uint8_t, 32> digest = Sha256(joined);
  return std::string(digest.begin(), digest.end());
}

bool MemoryLedger::SealsAre(const std::string& kit, const std::vector<std::string>& seals) const {
  const auto article = Interned(KitArticle(kit));
  auto it = article ? kits_.find(*article) : kits_.end();
  return it != kits_.end() && it->second.seals == SealsOf(seals);
}

void MemoryLedger::Reserve(int64_t documents) {
  if (documents <= 0) return;
  ids_.reserve(static_cast<size_t>(documents) + 1);
  received_by_.reserve(static_cast<size_t>(documents) + 1);
}

int64_t MemoryLedger::Balance(const std::string& node, const std::string& article) {
  const auto n = Interned(node), a = Interned(article);
  if (!n || !a) return 0;
  auto it = balances_.find(Key(*n, *a));
  return it == balances_.end() ? 0 : it->second;
}

void MemoryLedger::ForEachBalance(
    const std::function<void(const std::string&, const std::string&, int64_t)>& each) const {
  for (const auto& [key, quantity] : balances_) {
    each(std::string(strings_[key >> 32]), std::string(strings_[key & 0xffffffffu]), quantity);
  }
}

Kit MemoryLedger::Expand(std::string_view code, const CompactKit& kit) const {
  Kit out{
      std::string(code), std::string(kit.tps), std::string(kit.label), std::string(strings_[kit.packed_at]), {}, {}};
  size_t start = 0;
  while (keeps_history_ && start < kit.seals.size()) {
    const size_t end = std::min(kit.seals.find('\n', start), kit.seals.size());
    out.seals.emplace_back(kit.seals.substr(start, end - start));
    start = end + 1;
  }
  std::string_view contents = kit.contents;
  while (!contents.empty()) {
    const uint64_t item = ReadVarint(contents);
    const int64_t quantity = UnZigZag(ReadVarint(contents));
    out.contents.emplace_back(std::string(strings_[item]), quantity);
  }
  return out;
}

const Kit* MemoryLedger::FindKit(const std::string& kit) {
  const auto article = Interned(KitArticle(kit));
  if (!article) return nullptr;
  auto it = kits_.find(*article);
  if (it == kits_.end()) return nullptr;
  found_ = Expand(kit, it->second);
  return &found_;
}

void MemoryLedger::ForEachKit(const std::function<void(const Kit&)>& each) const {
  for (const auto& [article, kit] : kits_) each(Expand(strings_[article].substr(4), kit));  // "kit:" and the code
}

bool MemoryLedger::LabelUsed(const std::string& label) { return KitOfLabel(label) != 0; }

int64_t MemoryLedger::SeqOf(const std::string& id) const {
  if (const auto uuid = ParseUuid(id)) {
    if (const uint32_t seq = seqs_.Find(UuidHash()(*uuid), [&](uint32_t s) { return ids_[s] == *uuid; })) return seq;
  }
  auto it = other_seqs_.find(id);
  return it == other_seqs_.end() ? 0 : it->second;
}

std::optional<PostedDocument> MemoryLedger::FindDocument(const std::string& id) {
  const int64_t seq = SeqOf(id);
  if (seq == 0) return std::nullopt;
  std::optional<PostedDocument> found;
  if (auto it = recent_.find(id); it != recent_.end()) {
    found = it->second;
  } else if (history_.summary) {
    Result<std::optional<PostedDocument>> read = history_.summary(id);
    if (!read.ok()) {
      if (!failure_) failure_ = read.error();
      return std::nullopt;
    }
    found = std::move(read).value();
    if (!found || found->seq != seq) {
      if (!failure_) failure_ = Error(ErrorKind::kConflict, "document " + id + " is no longer where it was posted");
      return std::nullopt;
    }
  }
  if (!found) return std::nullopt;
  if (static_cast<size_t>(seq) < received_by_.size() && received_by_[seq] != Uuid{}) {
    found->received_by = FormatUuid(received_by_[seq]);
  } else {
    found->received_by.clear();
  }
  auto reversed = reversed_by_.find(seq);
  found->reversed_by = reversed == reversed_by_.end() ? std::string() : reversed->second;
  return found;
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

void MemoryLedger::Remember(const std::string& id, PostedDocument summary) {
  // Reading the history from elsewhere, only what later documents usually name: dispatches (their receipts) and
  // replacement requests (the dispatches that fulfil them).
  if (!keeps_history_ && summary.kind != DocKind::kDispatch && summary.kind != DocKind::kReplacementRequest) return;
  summary.received_by.clear();
  summary.reversed_by.clear();
  recent_[id] = std::move(summary);
  if (keeps_history_) return;
  recent_order_.push_back(id);
  if (recent_order_.size() > kRecent) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

void MemoryLedger::RemoveKit(uint32_t article) {
  auto it = kits_.find(article);
  if (it == kits_.end()) return;
  labels_.Erase(article, std::hash<std::string_view>()(it->second.label));
  kits_.erase(it);
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
    CompactKit compact{
        Intern(kit.packed_at), arena_.Add(kit.tps), arena_.Add(kit.label), arena_.Add(SealsOf(kit.seals)), {}};
    std::string bytes;
    for (const auto& [item, quantity] : kit.contents) {
      AppendVarint(bytes, Intern(item));
      AppendVarint(bytes, ZigZag(quantity));
    }
    compact.contents = arena_.Add(bytes);
    const uint32_t article = Intern(KitArticle(kit.kit));
    RemoveKit(article);
    kits_[article] = compact;
    const std::hash<std::string_view> hash;
    labels_.Insert(article, hash(compact.label), [&](uint32_t other) { return hash(kits_.at(other).label); });
  }
  for (const std::string& kit : posting.removed_kits) {
    if (const auto article = Interned(KitArticle(kit))) RemoveKit(*article);
  }
  auto seq_of = [&](const std::string& id) { return SeqOf(id); };
  if (!posting.closes.empty()) {
    const int64_t closed = seq_of(posting.closes);
    if (closed > 0) {
      if (received_by_.size() <= static_cast<size_t>(closed)) received_by_.resize(closed + 1);
      received_by_[closed] = ParseUuid(doc.id).value_or(Uuid{});
    }
  }
  if (!posting.reopens.empty()) {
    const int64_t reopened = seq_of(posting.reopens);
    if (reopened > 0 && static_cast<size_t>(reopened) < received_by_.size()) received_by_[reopened] = Uuid{};
  }
  if (!posting.reverses.empty()) {
    const int64_t reversed = seq_of(posting.reverses);
    if (reversed > 0) reversed_by_[reversed] = doc.id;
  }
  // Vectors by seq (within what Reserve made room for, or growing as vectors do).
  auto make_room = [seq](std::vector<Uuid>& by_seq) {
    if (by_seq.size() <= static_cast<size_t>(seq)) by_seq.resize(seq + 1);
  };
  const std::optional<Uuid> uuid = ParseUuid(doc.id);
  if (uuid && seq > 0 && seq < 0xffffffffll) {
    make_room(ids_);
    ids_[seq] = *uuid;
    seqs_.Insert(static_cast<uint32_t>(seq), UuidHash()(*uuid), [&](uint32_t s) { return UuidHash()(ids_[s]); });
  } else {
    other_seqs_[doc.id] = seq;
  }
  if (doc.kind == DocKind::kDispatch) make_room(received_by_);
  Remember(doc.id, Summarize(doc, body_hash, hash, seq));
  if (keeps_history_) {
    if (!history_.movements) movements_[doc.id] = posting.movements;
    if (!history_.document) bodies_[doc.id] = doc;
  }
  head_hash_ = hash;
}

}  // namespace tepat::ledger
