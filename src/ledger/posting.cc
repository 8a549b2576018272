// Posting: one function per document kind validates and generates the movements (validate + generate, as in
// open-mSupply), on top of a Planner that tracks the balances the document changes.
#include "ledger/posting.h"

#include <algorithm>
#include <map>

#include "ledger/node.h"

namespace tepat::ledger {

namespace {

constexpr std::string_view kReasons[] = {"damaged", "wrong_variant", "excess", "wrong_destination", "missing", "other"};

bool KitId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '/' || c == ':';
  });
}

bool MayGoNegative(const std::string& node) {
  return node.starts_with("vendor:") || node == "loss" || node == "kitting";
}

// A ballot is an item with a contest and variant: "surat_suara:DPR:35-01".
bool IsBallot(std::string_view item) { return item.find(':') != std::string_view::npos; }

std::string N(int64_t n) { return std::to_string(n); }

class Planner {
 public:
  Planner(const Document& doc, const Catalog& catalog, LedgerView& view, std::string_view where)
      : doc_(doc), catalog_(catalog), view_(view), where_(where) {}

  void Problem(const std::string& field, std::string reason) { problems_.Add(where_, field, std::move(reason)); }
  bool ok() const { return problems_.empty(); }
  Error Refused() const { return problems_.ToError(where_ + ": document " + doc_.id + " was refused"); }

  // The node named in `field`, which must exist in the election and satisfy `allowed`.
  template <class Pred>
  std::optional<Node> RequireNode(const std::string& field, const std::string& code, Pred allowed,
                                  std::string_view expected) {
    std::optional<Node> node = ParseNode(code);
    if (!node) {
      Problem(field, "\"" + code + "\" is not a node code (kpu:35.78, ppk:35.78.01, kpps:35.78.01.1001.001, ...)");
      return std::nullopt;
    }
    if (!catalog_.NodeExists(*node)) {
      Problem(field, "unknown node " + code + " in election " + catalog_.election);
      return std::nullopt;
    }
    if (!allowed(node->kind)) {
      Problem(field, std::string(NodeKindName(node->kind)) + " " + code + " cannot do this: expected " +
                         std::string(expected));
      return std::nullopt;
    }
    return node;
  }

  bool RequireItem(const std::string& field, const std::string& item, bool ballot_only = false) {
    if (!catalog_.items.count(item)) {
      Problem(field, "unknown item " + item + " in election " + catalog_.election);
      return false;
    }
    if (ballot_only && !IsBallot(item)) {
      Problem(field, item + " is not a ballot variant (item:CONTEST:variant)");
      return false;
    }
    return true;
  }

  int64_t Balance(const std::string& node, const std::string& article) {
    auto key = std::make_pair(node, article);
    auto it = base_.find(key);
    if (it == base_.end()) it = base_.emplace(key, view_.Balance(node, article)).first;
    return it->second + delta_[key];
  }

  // Records a movement; `field` names the input it comes from, for a message if the source would go negative.
  void Move(const std::string& from, const std::string& to, const std::string& article, int64_t quantity,
            const std::string& field) {
    if (quantity == 0) return;
    Balance(from, article);  // remember the starting balance
    Balance(to, article);
    posting_.movements.push_back({from, to, article, quantity});
    delta_[{from, article}] -= quantity;
    delta_[{to, article}] += quantity;
    field_.emplace(std::make_pair(from, article), field);
  }

  // Every balance the document lowers must stay at zero or more (vendors, loss and kitting are sources).
  void CheckBalances() {
    for (const auto& [key, change] : delta_) {
      if (change >= 0 || MayGoNegative(key.first)) continue;
      const int64_t before = base_[key];
      if (before + change < 0) {
        Problem(field_[key],
                key.first + " holds " + N(before) + " of " + key.second + "; this document takes " + N(-change));
      }
    }
  }

  Posting& posting() { return posting_; }
  const Document& doc() const { return doc_; }
  const Catalog& catalog() const { return catalog_; }
  LedgerView& view() { return view_; }

 private:
  const Document& doc_;
  const Catalog& catalog_;
  LedgerView& view_;
  std::string where_;
  ProblemList problems_;
  Posting posting_;
  std::map<std::pair<std::string, std::string>, int64_t> base_, delta_;
  std::map<std::pair<std::string, std::string>, std::string> field_;
};

std::string LineField(size_t i, std::string_view name = "") {
  std::string out = "lines[" + std::to_string(i) + "]";
  if (!name.empty()) out += "." + std::string(name);
  return out;
}

// A delivery naming a contract: one of the election's, with the vendor that delivers.
void CheckContract(Planner& p, const std::string& vendor) {
  const Document& d = p.doc();
  if (d.contract.empty() || !p.catalog().contracts) return;
  const std::optional<std::string> signed_with = p.catalog().contracts->VendorOf(d.contract);
  if (!signed_with) {
    p.Problem("contract", "there is no contract " + d.contract + " in election " + p.catalog().election);
  } else if ("vendor:" + *signed_with != vendor) {
    p.Problem("contract", "contract " + d.contract + " is with vendor:" + *signed_with + ", not " + vendor);
  }
}

void GoodsReceipt(Planner& p) {
  const Document& d = p.doc();
  auto node = p.RequireNode("node", d.node, IsWarehouse, "a KPU warehouse (kpu, kpu:PROV, kpu:PROV.REG)");
  auto vendor = p.RequireNode(
      "vendor", d.vendor, [](NodeKind k) { return k == NodeKind::kVendor; }, "a vendor");
  if (!d.fulfils.empty()) {
    auto request = p.view().FindDocument(d.fulfils);
    if (!request || request->kind != DocKind::kReplacementRequest || request->election != d.election) {
      p.Problem("fulfils", "there is no replacement request " + d.fulfils);
    } else if (request->node != d.node || request->to != d.vendor) {
      p.Problem("fulfils", "replacement request " + d.fulfils + " was made by " + request->node + " to " + request->to +
                               ", not by " + d.node + " to " + d.vendor);
    } else if (!request->reversed_by.empty()) {
      p.Problem("fulfils", "replacement request " + d.fulfils + " was cancelled by " + request->reversed_by);
    }
  }
  if (vendor) CheckContract(p, d.vendor);
  if (!node || !vendor) return;
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    if (!p.RequireItem(LineField(i, "item"), l.item)) continue;
    p.Move(d.vendor, d.node, l.item, l.good, LineField(i));
    p.Move(d.vendor, "damaged:" + d.node, l.item, l.damaged, LineField(i));
  }
}

void SortirLipat(Planner& p) {
  const Document& d = p.doc();
  if (!p.RequireNode("node", d.node, IsWarehouse, "a KPU warehouse")) return;
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    if (!p.RequireItem(LineField(i, "item"), l.item, true)) continue;
    // The sheets found damaged are set aside; a difference from the delivery note is short (lost) or excess.
    p.Move(d.node, "damaged:" + d.node, l.item, l.damaged, LineField(i));
    const int64_t counted = l.good + l.damaged;
    if (counted < l.delivered) p.Move(d.node, "loss", l.item, l.delivered - counted, LineField(i));
    if (counted > l.delivered) p.Move("loss", d.node, l.item, counted - l.delivered, LineField(i));
  }
}

void ReplacementRequest(Planner& p) {
  const Document& d = p.doc();
  p.RequireNode("node", d.node, IsWarehouse, "a KPU warehouse");
  p.RequireNode(
      "vendor", d.vendor, [](NodeKind k) { return k == NodeKind::kVendor; }, "a vendor");
  for (size_t i = 0; i < d.lines.size(); ++i) p.RequireItem(LineField(i, "item"), d.lines[i].item);
}

void Destruction(Planner& p) {
  const Document& d = p.doc();
  if (!p.RequireNode("node", d.node, IsWarehouse, "a KPU warehouse")) return;
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    if (!p.RequireItem(LineField(i, "item"), l.item)) continue;
    p.Move("damaged:" + d.node, "destroyed", l.item, l.quantity, LineField(i, "quantity"));
  }
}

void Packing(Planner& p) {
  const Document& d = p.doc();
  auto node = p.RequireNode(
      "node", d.node, [](NodeKind k) { return k == NodeKind::kKpuRegency; },
      "a KPU kabupaten/kota warehouse (kpu:PROV.REG)");
  if (!node) return;
  std::vector<std::pair<std::string, int64_t>> totals;
  std::unordered_set<std::string> kits, labels;
  for (size_t k = 0; k < d.kits.size(); ++k) {
    const KitSpec& spec = d.kits[k];
    const std::string at = "kits[" + std::to_string(k) + "]";
    bool good = true;
    if (!KitId(spec.kit)) {
      p.Problem(at + ".kit", "a kit id is 1 to 64 letters, digits or - _ . / :");
      good = false;
    } else if (!kits.insert(spec.kit).second) {
      p.Problem(at + ".kit", "kit " + spec.kit + " is packed twice in this document");
      good = false;
    } else if (const Kit* existing = p.view().FindKit(spec.kit)) {
      p.Problem(at + ".kit", "kit " + spec.kit + " was already packed at " + existing->packed_at);
      good = false;
    }
    if (!labels.insert(spec.label).second) {
      p.Problem(at + ".label", "label " + spec.label + " is used twice in this document");
      good = false;
    } else if (p.view().LabelUsed(spec.label)) {
      p.Problem(at + ".label", "label " + spec.label + " is already on another kit");
      good = false;
    }
    std::optional<geo::Level> level = geo::LevelOfCode(spec.tps);
    if (level != geo::Level::kTps || !p.catalog().tps.count(geo::RegionKey(spec.tps))) {
      p.Problem(at + ".tps", "unknown TPS " + spec.tps + " in election " + p.catalog().election);
      good = false;
    } else if (geo::AncestorCode(spec.tps, geo::Level::kRegency) != node->region) {
      p.Problem(at + ".tps", "TPS " + spec.tps + " is not in the regency of " + d.node);
      good = false;
    }
    Kit kit{spec.kit, spec.tps, spec.label, d.node, spec.seals, {}};
    for (size_t i = 0; i < spec.lines.size(); ++i) {
      const DocLine& l = spec.lines[i];
      if (!p.RequireItem(at + "." + LineField(i, "item"), l.item)) {
        good = false;
        continue;
      }
      kit.contents.emplace_back(l.item, l.quantity);
      auto it = std::find_if(totals.begin(), totals.end(), [&](const auto& t) { return t.first == l.item; });
      if (it == totals.end()) {
        totals.emplace_back(l.item, l.quantity);
      } else {
        it->second += l.quantity;
      }
    }
    if (good) p.posting().new_kits.push_back(std::move(kit));
  }
  // The contents leave the warehouse's loose stock for `kitting`, which issues the kits as units.
  for (const auto& [item, quantity] : totals) p.Move(d.node, "kitting", item, quantity, "kits");
  for (const Kit& kit : p.posting().new_kits) p.Move("kitting", d.node, KitArticle(kit.kit), 1, "kits");
}

void Dispatch(Planner& p) {
  const Document& d = p.doc();
  auto from = p.RequireNode(
      "node", d.node, [](NodeKind k) { return IsCommittee(k) || k == NodeKind::kVendor; },
      "a KPU, PPK, PPS or KPPS, or a vendor");
  auto to = p.RequireNode("to", d.to, IsCommittee, "a KPU, PPK, PPS or KPPS");
  if (!from || !to) return;
  if (from->kind == NodeKind::kVendor) {
    // A vendor's delivery (its surat jalan) goes to a KPU warehouse, loose: kits are packed by the warehouses.
    if (!IsWarehouse(to->kind)) {
      return p.Problem("to", "a vendor delivers to a KPU warehouse (kpu, kpu:PROV, kpu:PROV.REG), not to " + d.to);
    }
    if (!d.kit_codes.empty()) return p.Problem("kits", "a vendor delivers loose items, not kits");
    CheckContract(p, d.node);
  } else if (!d.contract.empty()) {
    return p.Problem("contract", "only a vendor's delivery names a contract");
  } else if (!Adjacent(*from, *to)) {
    p.Problem("to", "a handover goes between adjacent levels of one chain; " + d.node + " → " + d.to + " does not");
    return;
  }
  // A KPPS has no level below it: it only hands back up (the return after voting), never issues down.
  for (size_t k = 0; k < d.kit_codes.size(); ++k) {
    const std::string field = "kits[" + std::to_string(k) + "]";
    if (!p.view().FindKit(d.kit_codes[k])) {
      p.Problem(field, "unknown kit " + d.kit_codes[k]);
      continue;
    }
    p.Move(d.node, "transit", KitArticle(d.kit_codes[k]), 1, field);
  }
  for (size_t i = 0; i < d.lines.size(); ++i) {
    if (!p.RequireItem(LineField(i, "item"), d.lines[i].item)) continue;
    p.Move(d.node, "transit", d.lines[i].item, d.lines[i].quantity, LineField(i, "quantity"));
  }
  // A kit cannot leave twice in one document, and must be where the dispatch says.
  for (size_t k = 0; k < d.kit_codes.size(); ++k) {
    if (std::count(d.kit_codes.begin(), d.kit_codes.end(), d.kit_codes[k]) > 1) {
      p.Problem("kits[" + std::to_string(k) + "]", "kit " + d.kit_codes[k] + " is listed twice");
      break;
    }
  }
}

void Receipt(Planner& p) {
  const Document& d = p.doc();
  if (!p.RequireNode("node", d.node, IsCommittee, "a KPU, PPK, PPS or KPPS")) return;
  std::optional<PostedDocument> dispatch = p.view().FindDocument(d.dispatch);
  if (!dispatch || dispatch->kind != DocKind::kDispatch || dispatch->election != d.election) {
    p.Problem("dispatch", "there is no dispatch " + d.dispatch + ": a receipt answers a handover that was dispatched");
    return;
  }
  if (!dispatch->reversed_by.empty()) {
    return p.Problem("dispatch", "dispatch " + d.dispatch + " was cancelled by " + dispatch->reversed_by);
  }
  if (!dispatch->received_by.empty()) {
    return p.Problem("dispatch", "dispatch " + d.dispatch + " was already received by " + dispatch->received_by);
  }
  if (dispatch->to != d.node) {
    return p.Problem("node", "dispatch " + d.dispatch + " was sent to " + dispatch->to + ", not to " + d.node);
  }
  if (dispatch->node != d.from) {
    return p.Problem("from", "dispatch " + d.dispatch + " was sent by " + dispatch->node + ", not by " + d.from);
  }
  p.posting().closes = d.dispatch;
  p.posting().closes_seq = dispatch->seq;
  // Every kit dispatched appears once; every loose line appears with what was sent.
  for (size_t k = 0; k < d.kit_receipts.size(); ++k) {
    const KitReceipt& kit = d.kit_receipts[k];
    const std::string field = "kits[" + std::to_string(k) + "]";
    if (std::find(dispatch->kits.begin(), dispatch->kits.end(), kit.kit) == dispatch->kits.end()) {
      p.Problem(field + ".kit", "kit " + kit.kit + " is not in dispatch " + d.dispatch);
      continue;
    }
    if (!kit.accepted && !IsRejectionReason(kit.reason)) {
      p.Problem(field + ".reason", "unknown reason \"" + kit.reason +
                                       "\" (damaged, wrong_variant, excess, "
                                       "wrong_destination, missing, other)");
    }
    p.Move("transit", kit.accepted ? d.node : d.from, KitArticle(kit.kit), 1, field);
  }
  for (const std::string& kit : dispatch->kits) {
    const auto n =
        std::count_if(d.kit_receipts.begin(), d.kit_receipts.end(), [&](const KitReceipt& r) { return r.kit == kit; });
    if (n != 1) p.Problem("kits", "kit " + kit + " of the dispatch must appear once (found " + N(n) + ")");
  }
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    auto sent =
        std::find_if(dispatch->lines.begin(), dispatch->lines.end(), [&](const auto& s) { return s.first == l.item; });
    if (sent == dispatch->lines.end()) {
      p.Problem(LineField(i, "item"), l.item + " was not in dispatch " + d.dispatch);
      continue;
    }
    if (sent->second != l.sent) {
      p.Problem(LineField(i, "sent"),
                "dispatch " + d.dispatch + " sent " + N(sent->second) + " of " + l.item + ", not " + N(l.sent));
      continue;
    }
    if (l.rejected > 0 && !IsRejectionReason(l.reason)) {
      p.Problem(LineField(i, "reason"), "unknown reason \"" + l.reason +
                                            "\" (damaged, wrong_variant, excess, "
                                            "wrong_destination, missing, other)");
    }
    p.Move("transit", d.node, l.item, l.accepted, LineField(i));
    p.Move("transit", d.from, l.item, l.rejected, LineField(i));
  }
  for (const auto& sent : dispatch->lines) {
    const std::string& item = sent.first;
    if (std::none_of(d.lines.begin(), d.lines.end(), [&](const DocLine& l) { return l.item == item; })) {
      p.Problem("lines", item + " of the dispatch is missing: every line sent must be accepted or rejected");
    }
  }
}

void StockCount(Planner& p) {
  const Document& d = p.doc();
  if (!p.RequireNode("node", d.node, IsCommittee, "a KPU, PPK, PPS or KPPS")) return;
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    if (!p.RequireItem(LineField(i, "item"), l.item)) continue;
    const int64_t recorded = p.Balance(d.node, l.item);
    if (l.counted < recorded) p.Move(d.node, "loss", l.item, recorded - l.counted, LineField(i));
    if (l.counted > recorded) p.Move("loss", d.node, l.item, l.counted - recorded, LineField(i));
  }
}

void BallotUse(Planner& p) {
  const Document& d = p.doc();
  if (!p.RequireNode(
          "node", d.node, [](NodeKind k) { return k == NodeKind::kKpps; }, "a KPPS"))
    return;
  // Opening the kits puts their contents in the KPPS's loose stock.
  for (size_t k = 0; k < d.kit_codes.size(); ++k) {
    const std::string field = "kits[" + std::to_string(k) + "]";
    const Kit* kit = p.view().FindKit(d.kit_codes[k]);
    if (!kit) {
      p.Problem(field, "unknown kit " + d.kit_codes[k]);
      continue;
    }
    p.Move(d.node, "kitting", KitArticle(kit->kit), 1, field);
    for (const auto& [item, quantity] : kit->contents) p.Move("kitting", d.node, item, quantity, field);
  }
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const DocLine& l = d.lines[i];
    if (!p.RequireItem(LineField(i, "item"), l.item, true)) continue;
    const int64_t held = p.Balance(d.node, l.item);
    if (held != l.received) {
      p.Problem(LineField(i, "received"), d.node + " received " + N(held) + " of " + l.item + ", not " + N(l.received));
      continue;
    }
    p.Move(d.node, "used", l.item, l.used, LineField(i));
    p.Move(d.node, "damaged:" + d.node, l.item, l.spoiled, LineField(i));
  }
}

void Reversal(Planner& p) {
  const Document& d = p.doc();
  std::optional<PostedDocument> target = p.view().FindDocument(d.reverses);
  if (!target || target->election != d.election) {
    return p.Problem("reverses", "there is no document " + d.reverses + " in election " + d.election);
  }
  if (target->kind == DocKind::kReversal) return p.Problem("reverses", "a reversal cannot be reversed");
  if (!target->reversed_by.empty()) {
    return p.Problem("reverses", "document " + d.reverses + " was already reversed by " + target->reversed_by);
  }
  if (target->kind == DocKind::kDispatch && !target->received_by.empty()) {
    return p.Problem("reverses", "dispatch " + d.reverses + " was received by " + target->received_by +
                                     ": reverse that receipt first");
  }
  if (d.node != target->node) {
    return p.Problem("node", "document " + d.reverses + " was signed by " + target->node + ", not " + d.node);
  }
  Result<std::vector<Movement>> movements = p.view().MovementsOf(d.reverses);
  Result<Document> original = p.view().LoadDocument(d.reverses);
  if (!movements.ok() || !original.ok()) return p.Problem("reverses", "document " + d.reverses + " cannot be read");
  for (const Movement& m : movements.value()) p.Move(m.to, m.from, m.article, m.quantity, "reverses");
  p.posting().reverses = d.reverses;
  if (target->kind == DocKind::kReceipt) p.posting().reopens = original.value().dispatch;
  if (target->kind == DocKind::kPacking) {
    for (const KitSpec& kit : original.value().kits) p.posting().removed_kits.push_back(kit.kit);
  }
  p.posting().effects = EffectsOf(original.value(), p.view(), -1);
}

}  // namespace

std::string KitArticle(std::string_view kit) { return "kit:" + std::string(kit); }

bool IsRejectionReason(std::string_view reason) {
  return std::find(std::begin(kReasons), std::end(kReasons), reason) != std::end(kReasons);
}

bool Catalog::NodeExists(const Node& node) const {
  switch (node.kind) {
    case NodeKind::kVendor:
      return vendors.count(node.region) > 0;
    case NodeKind::kKpu:
    case NodeKind::kTransit:
    case NodeKind::kDestroyed:
    case NodeKind::kUsed:
    case NodeKind::kLoss:
    case NodeKind::kKitting:
      return true;
    case NodeKind::kKpps:
      return tps.count(geo::RegionKey(node.region)) > 0;
    default:
      return node.region.empty() || regions->Find(node.region) >= 0;
  }
}

std::vector<TpsEffect> EffectsOf(const Document& doc, LedgerView& view, int sign) {
  std::vector<TpsEffect> effects;
  if (doc.kind == DocKind::kDispatch) {
    std::optional<Node> to = ParseNode(doc.to);
    std::optional<Node> from = ParseNode(doc.node);
    if (!to || !from || !Downward(*from, *to)) return effects;
    // A kit is on its way to its TPS once it leaves the warehouse that packed it.
    for (const std::string& code : IsWarehouse(from->kind) ? doc.kit_codes : std::vector<std::string>{}) {
      if (const Kit* kit = view.FindKit(code)) {
        effects.push_back({.tps = kit->tps, .sign = sign, .dispatched_at = doc.at_seconds});
      }
    }
    if (to->kind == NodeKind::kKpps && !doc.lines.empty()) {
      effects.push_back({.tps = to->region, .sign = sign, .dispatched_at = doc.at_seconds});
    }
  } else if (doc.kind == DocKind::kReceipt) {
    std::optional<Node> node = ParseNode(doc.node);
    if (!node || node->kind != NodeKind::kKpps) return effects;
    TpsEffect e{.tps = node->region, .sign = sign, .received_at = doc.at_seconds};
    auto add = [&](const std::string& item, int64_t quantity) {
      if (quantity == 0) return;
      auto it = std::find_if(e.received.begin(), e.received.end(), [&](const auto& r) { return r.first == item; });
      if (it == e.received.end()) {
        e.received.emplace_back(item, quantity);
      } else {
        it->second += quantity;
      }
    };
    for (const KitReceipt& receipt : doc.kit_receipts) {
      if (!receipt.seals_intact) ++e.unsealed;
      if (receipt.damaged) ++e.damaged;
      if (!receipt.accepted) continue;
      const Kit* kit = view.FindKit(receipt.kit);
      if (!kit) continue;
      ++e.kits;
      if (kit->tps != node->region) ++e.misrouted;
      for (const auto& [item, quantity] : kit->contents) add(item, quantity);
    }
    for (const DocLine& line : doc.lines) {
      add(line.item, line.accepted);
      if (line.rejected > 0 && line.reason == "damaged") ++e.damaged;
      if (line.rejected > 0 && line.reason == "wrong_variant") ++e.wrong_items;
    }
    // A receipt that refused everything delivered nothing: the TPS stays undelivered, its refusals counted.
    if (e.received.empty() && e.kits == 0) e.received_at = 0;
    effects.push_back(std::move(e));
  }
  return effects;
}

Result<Planned> Plan(const Document& doc, const std::string& body_hash, const Catalog& catalog, LedgerView& view,
                     std::string_view where) {
  Planned planned;
  if (std::optional<PostedDocument> existing = view.FindDocument(doc.id)) {
    if (existing->body_hash != body_hash) {
      return Error(ErrorKind::kConflict, std::string(where) + ": document " + doc.id +
                                             " was already posted with different content (as #" +
                                             std::to_string(existing->seq) + "); a correction is a reversal");
    }
    planned.replay = true;
    planned.existing = std::move(*existing);
    return planned;
  }
  Planner p(doc, catalog, view, where);
  if (doc.election != catalog.election) {
    p.Problem("election", "this ledger is for election " + catalog.election + ", not " + doc.election);
    return p.Refused();
  }
  switch (doc.kind) {
    case DocKind::kGoodsReceipt:
      GoodsReceipt(p);
      break;
    case DocKind::kSortirLipat:
      SortirLipat(p);
      break;
    case DocKind::kReplacementRequest:
      ReplacementRequest(p);
      break;
    case DocKind::kDestruction:
      Destruction(p);
      break;
    case DocKind::kPacking:
      Packing(p);
      break;
    case DocKind::kDispatch:
      Dispatch(p);
      break;
    case DocKind::kReceipt:
      Receipt(p);
      break;
    case DocKind::kCount:
      StockCount(p);
      break;
    case DocKind::kBallotUse:
      BallotUse(p);
      break;
    case DocKind::kReversal:
      Reversal(p);
      break;
  }
  if (p.ok()) p.CheckBalances();
  if (!p.ok()) return p.Refused();
  planned.posting = std::move(p.posting());
  if (doc.kind != DocKind::kReversal) planned.posting.effects = EffectsOf(doc, view, 1);
  return planned;
}

void ContractVendors::Replace(std::unordered_map<std::string, std::string> vendors) {
  std::lock_guard lock(mutex_);
  vendors_ = std::move(vendors);
}

std::optional<std::string> ContractVendors::VendorOf(const std::string& contract) const {
  std::lock_guard lock(mutex_);
  auto it = vendors_.find(contract);
  if (it == vendors_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tepat::ledger
