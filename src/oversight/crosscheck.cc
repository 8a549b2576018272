// Comparing what supervisors saw with what the ledger records.
#include "oversight/crosscheck.h"

#include <algorithm>
#include <set>

namespace tepat::oversight {

namespace {

constexpr std::string_view kNames[kDiscrepancyKinds] = {"count_mismatch", "variant_mismatch", "seal_broken",
                                                        "not_received"};
constexpr std::string_view kKitPrefix = "kit:";

// The contest of a ballot item ("surat_suara:DPR:35-37" → "DPR"), or "" for any other item.
std::string ContestOf(std::string_view item) {
  if (!item.starts_with("surat_suara:")) return "";
  item.remove_prefix(12);
  return std::string(item.substr(0, item.find(':')));
}

}  // namespace

std::string_view DiscrepancyName(DiscrepancyKind kind) { return kNames[static_cast<int>(kind)]; }

Recorded RecordAt(std::string_view node, int64_t at_seconds, const std::vector<NodeDocument>& documents,
                  const std::function<const ledger::Kit*(const std::string&)>& kit) {
  Recorded out;
  std::map<std::string, int64_t> kit_balance;
  for (const NodeDocument& d : documents) {
    if (d.document.at_seconds > at_seconds) continue;
    for (const ledger::Movement& m : d.movements) {
      const int64_t change = (m.to == node ? m.quantity : 0) - (m.from == node ? m.quantity : 0);
      if (change == 0) continue;
      if (m.article.starts_with(kKitPrefix)) {
        const std::string id = m.article.substr(kKitPrefix.size());
        kit_balance[id] += change;
        if (change > 0) out.kits[id].document = d.document.id;
      } else {
        Recorded::Held& held = out.items[m.article];
        held.quantity += change;
        held.document = d.document.id;
      }
    }
    // The seals as this node's receipt recorded them.
    if (d.document.kind == ledger::DocKind::kReceipt && d.document.node == node) {
      for (const ledger::KitReceipt& r : d.document.kit_receipts) {
        if (r.accepted) out.kits[r.kit].seals_intact = r.seals_intact;
      }
    }
  }
  for (auto it = out.kits.begin(); it != out.kits.end();) {
    if (kit_balance[it->first] <= 0) {
      it = out.kits.erase(it);
      continue;
    }
    if (const ledger::Kit* packed = kit(it->first)) it->second.contents = packed->contents;
    ++it;
  }
  std::erase_if(out.items, [](const auto& entry) { return entry.second.quantity == 0; });
  return out;
}

std::vector<Discrepancy> CrossCheck(const Report& report, const Recorded& recorded) {
  std::vector<Discrepancy> out;
  auto add = [&](DiscrepancyKind kind, const std::string& subject, int64_t was, int64_t seen, const std::string& doc) {
    out.push_back({kind, report.id, report.node, subject, was, seen, doc});
  };
  // Kits: missing, or with a broken seal the record says is intact. A kit the report does not mention is not judged.
  std::set<std::string> absent;
  for (const KitSeen& seen : report.kits) {
    auto held = recorded.kits.find(seen.kit);
    if (held == recorded.kits.end()) continue;  // not recorded here: nothing it contradicts
    if (!seen.present) {
      absent.insert(seen.kit);
      add(DiscrepancyKind::kNotReceived, seen.kit, 1, 0, held->second.document);
      continue;
    }
    const bool broken = std::any_of(seen.seals.begin(), seen.seals.end(), [](const SealSeen& s) { return !s.intact; });
    if (broken && held->second.seals_intact) add(DiscrepancyKind::kSealBroken, seen.kit, 1, 0, held->second.document);
  }
  // Items: what is recorded at the node, loose and in the kits that are there.
  std::map<std::string, Recorded::Held> items = recorded.items;
  for (const auto& [id, kit] : recorded.kits) {
    if (absent.count(id)) continue;
    for (const auto& [item, quantity] : kit.contents) {
      Recorded::Held& held = items[item];
      held.quantity += quantity;
      if (held.document.empty()) held.document = kit.document;
    }
  }
  std::map<std::string, int64_t> seen;
  for (const Observed& o : report.observed) seen[o.item] = o.count;
  // Ballots by contest: the variants seen against the variants held, for each contest the supervisor counted.
  std::set<std::string> swapped;
  std::set<std::string> contests;
  for (const auto& [item, count] : seen) {
    if (const std::string contest = ContestOf(item); !contest.empty()) contests.insert(contest);
  }
  for (const std::string& contest : contests) {
    std::set<std::string> held_variants, seen_variants;
    std::string document;
    for (const auto& [item, held] : items) {
      if (ContestOf(item) == contest && held.quantity > 0) {
        held_variants.insert(item);
        document = held.document;
      }
    }
    for (const auto& [item, count] : seen) {
      if (ContestOf(item) == contest && count > 0) seen_variants.insert(item);
    }
    if (held_variants != seen_variants) {
      swapped.insert(contest);
      std::string subject;
      for (const std::string& variant : seen_variants) {
        if (!held_variants.count(variant)) subject = variant;
      }
      if (subject.empty()) subject = held_variants.empty() ? contest : *held_variants.begin();
      add(DiscrepancyKind::kVariantMismatch, subject, items.count(subject) ? items[subject].quantity : 0,
          seen.count(subject) ? seen[subject] : 0, document);
    }
  }
  for (const auto& [item, count] : seen) {
    if (swapped.count(ContestOf(item))) continue;
    auto held = items.find(item);
    const int64_t quantity = held == items.end() ? 0 : held->second.quantity;
    if (count != quantity) {
      add(DiscrepancyKind::kCountMismatch, item, quantity, count, held == items.end() ? "" : held->second.document);
    }
  }
  return out;
}

}  // namespace tepat::oversight
