// The needs engine. Two passes over the TPS: the first decides, per village, which contests are held and which
// ballot variant each uses, and so the catalog of need items; the second evaluates the rules per TPS (on several
// threads) and sums villages. Regions above are sums of their children plus the rules held at their level.
#include "planning/needs.h"

#include <algorithm>
#include <map>
#include <thread>

namespace tepat::planning {

namespace {

using election::ForEach;
using election::Rule;
using election::VariantBy;
using geo::Level;

// What one village's TPS receive: the need item of every (rule, contest) slot.
struct Slot {
  int32_t need = -1;
  int32_t rule = -1;
  int32_t contests = 0;  // the contests held at the TPS that the rule covers
};

struct VillagePlan {
  std::vector<int32_t> variants;  // per contest: the variant id, or -1 when not held
};

// Two rules may give the same item: adds up neighbours with the same id in a sorted list.
void MergeNeighbours(Quantities& quantities) {
  size_t kept = 0;
  for (size_t k = 0; k < quantities.size(); ++k) {
    if (kept > 0 && quantities[kept - 1].first == quantities[k].first) {
      quantities[kept - 1].second += quantities[k].second;
    } else {
      quantities[kept++] = quantities[k];
    }
  }
  quantities.resize(kept);
}

class Engine {
 public:
  Engine(const NeedsInput& input) : in_(input), def_(*input.definition), regions_(*input.regions) {}

  Result<Needs> Run(const NeedsOptions& options);

 private:
  Status PlanVillages();
  void BuildCatalog();
  void EvaluateVillages(size_t first_tps, size_t last_tps, const NeedsOptions* visit);
  void ApplyLevelRules(Level level, int32_t region, std::vector<int64_t>& acc, std::vector<int32_t>& touched);
  bool RuleCovers(const Rule& rule, size_t contest) const;
  int32_t VariantId(size_t contest, const std::string& code);
  std::vector<Slot> SlotsFor(const VillagePlan& plan) const;

  const NeedsInput& in_;
  const election::Definition& def_;
  const geo::RegionSet& regions_;
  std::vector<std::vector<std::string>> variant_codes_;  // per contest
  std::vector<std::map<std::string, int32_t>> variant_ids_;
  std::vector<VillagePlan> plans_;  // per region index (villages only)
  std::vector<size_t> tps_rules_, level_rules_[5];
  // need id for (rule, contest, variant): index rule * contests + contest, then variant; -1 if unused.
  std::vector<std::vector<int32_t>> need_of_;
  std::vector<int32_t> once_need_;
  std::vector<int32_t>
      rule_item_;  // per rule: index into Definition::items  // per item: the need id of the item without contest
  Needs needs_;
};

bool Engine::RuleCovers(const Rule& rule, size_t contest) const {
  return rule.contests.empty() ||
         std::find(rule.contests.begin(), rule.contests.end(), def_.contests[contest].code) != rule.contests.end();
}

int32_t Engine::VariantId(size_t contest, const std::string& code) {
  auto [it, inserted] = variant_ids_[contest].try_emplace(code, static_cast<int32_t>(variant_codes_[contest].size()));
  if (inserted) variant_codes_[contest].push_back(code);
  return it->second;
}

Status Engine::PlanVillages() {
  const size_t contests = def_.contests.size();
  variant_codes_.assign(contests, {});
  variant_ids_.assign(contests, {});
  plans_.assign(regions_.size(), {});
  // Map the definition's dapil contests onto the DapilSet's.
  std::vector<int32_t> dapil_contest(contests, -1);
  for (size_t c = 0; c < contests; ++c) {
    if (def_.contests[c].variant_by != VariantBy::kDapil) continue;
    if (!in_.dapils || in_.dapils->empty()) {
      return InvalidInput(def_.id + " has no dapil: run `tepat import dapil --election " + def_.id + " FILE` first");
    }
    for (size_t d = 0; d < in_.dapils->contests().size(); ++d) {
      if (in_.dapils->contests()[d].code == def_.contests[c].code) dapil_contest[c] = static_cast<int32_t>(d);
    }
  }
  ProblemList problems;
  int32_t last = -1;
  for (const geo::Tps& tps : *in_.tps) {
    if (tps.village == last) continue;
    last = tps.village;
    VillagePlan& plan = plans_[tps.village];
    plan.variants.assign(contests, -1);
    const int32_t province = regions_.Ancestor(tps.village, Level::kProvince);
    const std::string& province_code = regions_.at(province).code;
    for (size_t c = 0; c < contests; ++c) {
      const election::Contest& contest = def_.contests[c];
      if (!election::Definition::Held(contest, province_code)) continue;
      switch (contest.variant_by) {
        case VariantBy::kNational:
          plan.variants[c] = VariantId(c, "nasional");
          break;
        case VariantBy::kProvince:
          plan.variants[c] = VariantId(c, province_code);
          break;
        case VariantBy::kRegency:
          plan.variants[c] = VariantId(c, regions_.at(regions_.Ancestor(tps.village, Level::kRegency)).code);
          break;
        case VariantBy::kDapil: {
          int32_t dapil = dapil_contest[c] < 0 ? -1 : in_.dapils->ForVillage(dapil_contest[c], tps.village);
          if (dapil < 0) {
            problems.Add("village " + regions_.at(tps.village).code, contest.code,
                         "its TPS have no dapil (import a dapil file that covers it)");
            continue;
          }
          plan.variants[c] = VariantId(c, in_.dapils->dapils()[dapil].code);
          break;
        }
      }
    }
  }
  if (!problems.empty()) return problems.ToError("the needs cannot be computed: not every TPS has its dapil");
  return {};
}

void Engine::BuildCatalog() {
  const size_t contests = def_.contests.size();
  // The item of each rule, looked up once (the definition guarantees it exists).
  for (const Rule& rule : def_.rules) {
    rule_item_.push_back(static_cast<int32_t>(def_.FindItem(rule.item) - def_.items.data()));
  }
  for (size_t r = 0; r < def_.rules.size(); ++r) {
    const Rule& rule = def_.rules[r];
    if (rule.at == Level::kTps) {
      tps_rules_.push_back(r);
    } else {
      level_rules_[static_cast<int>(rule.at)].push_back(r);
    }
  }
  // Every (item, contest, variant) any rule can give, in canonical order.
  std::vector<NeedItem> items;
  std::vector<bool> once(def_.items.size(), false);
  std::vector<std::vector<std::vector<bool>>> used(def_.items.size());
  for (size_t r = 0; r < def_.rules.size(); ++r) {
    const Rule& rule = def_.rules[r];
    const int32_t item = rule_item_[r];
    if (rule.for_each == ForEach::kOnce) {
      once[item] = true;
      continue;
    }
    auto& per_contest = used[item];
    per_contest.resize(contests);
    for (size_t c = 0; c < contests; ++c) {
      if (RuleCovers(rule, c)) per_contest[c].resize(variant_codes_[c].size(), false);
    }
  }
  // Variants actually used by some village, per contest.
  std::vector<std::vector<bool>> variant_used(contests);
  for (size_t c = 0; c < contests; ++c) variant_used[c].assign(variant_codes_[c].size(), false);
  for (const VillagePlan& plan : plans_) {
    for (size_t c = 0; c < plan.variants.size(); ++c) {
      if (plan.variants[c] >= 0) variant_used[c][plan.variants[c]] = true;
    }
  }
  for (size_t i = 0; i < def_.items.size(); ++i) {
    if (once[i]) items.push_back({static_cast<int32_t>(i), -1, "", def_.items[i].code});
    if (used[i].empty()) continue;
    for (size_t c = 0; c < contests; ++c) {
      if (used[i][c].empty()) continue;
      std::vector<int32_t> order;
      for (int32_t v = 0; v < static_cast<int32_t>(variant_codes_[c].size()); ++v) {
        if (variant_used[c][v]) order.push_back(v);
      }
      std::sort(order.begin(), order.end(),
                [&](int32_t a, int32_t b) { return variant_codes_[c][a] < variant_codes_[c][b]; });
      for (int32_t v : order) {
        items.push_back({static_cast<int32_t>(i), static_cast<int32_t>(c), variant_codes_[c][v],
                         def_.items[i].code + ":" + def_.contests[c].code + ":" + variant_codes_[c][v]});
      }
    }
  }
  // Index: (item, contest, variant) → need id, and item → need id without contest.
  once_need_.assign(def_.items.size(), -1);
  need_of_.assign(def_.items.size() * contests, {});
  for (int32_t id = 0; id < static_cast<int32_t>(items.size()); ++id) {
    const NeedItem& need = items[id];
    if (need.contest < 0) {
      once_need_[need.item] = id;
      continue;
    }
    auto& by_variant = need_of_[need.item * contests + need.contest];
    by_variant.resize(variant_codes_[need.contest].size(), -1);
    by_variant[variant_ids_[need.contest].at(need.variant)] = id;
  }
  needs_.items = std::move(items);
}

std::vector<Slot> Engine::SlotsFor(const VillagePlan& plan) const {
  const size_t contests = def_.contests.size();
  std::vector<Slot> slots;
  for (size_t r : tps_rules_) {
    const Rule& rule = def_.rules[r];
    const int32_t item = rule_item_[r];
    int32_t covered = 0;
    for (size_t c = 0; c < contests; ++c) covered += plan.variants[c] >= 0 && RuleCovers(rule, c);
    if (rule.for_each == ForEach::kOnce) {
      // A rule limited to some contests applies only where one of them is held.
      if (rule.contests.empty() || covered > 0) slots.push_back({once_need_[item], static_cast<int32_t>(r), covered});
      continue;
    }
    for (size_t c = 0; c < contests; ++c) {
      if (plan.variants[c] < 0 || !RuleCovers(rule, c)) continue;
      slots.push_back({need_of_[item * contests + c][plan.variants[c]], static_cast<int32_t>(r), 1});
    }
  }
  return slots;
}

void Engine::EvaluateVillages(size_t first_tps, size_t last_tps, const NeedsOptions* visit) {
  const auto& tps = *in_.tps;
  Quantities tps_quantities;
  size_t i = first_tps;
  while (i < last_tps) {
    const int32_t village = tps[i].village;
    const VillagePlan& plan = plans_[village];
    std::vector<Slot> slots = SlotsFor(plan);
    std::vector<int64_t> sums(slots.size(), 0);
    for (; i < last_tps && tps[i].village == village; ++i) {
      const bool visited = visit && i >= visit->visit_first && i < visit->visit_last;
      if (visited) tps_quantities.clear();
      for (size_t s = 0; s < slots.size(); ++s) {
        int64_t quantity = TpsQuantity(def_.rules[slots[s].rule], tps[i].dpt, slots[s].contests);
        sums[s] += quantity;
        if (visited && quantity != 0) tps_quantities.emplace_back(slots[s].need, quantity);
      }
      if (visited) {
        std::sort(tps_quantities.begin(), tps_quantities.end());
        MergeNeighbours(tps_quantities);
        visit->visit_tps(i, tps_quantities);
      }
    }
    Quantities& out = needs_.by_region[village];
    out.clear();
    for (size_t s = 0; s < slots.size(); ++s) {
      if (sums[s] != 0) out.emplace_back(slots[s].need, sums[s]);
    }
    std::sort(out.begin(), out.end());
    MergeNeighbours(out);
  }
}

void Engine::ApplyLevelRules(Level level, int32_t region, std::vector<int64_t>& acc, std::vector<int32_t>& touched) {
  if (level == Level::kTps) return;
  const auto& rules = level_rules_[static_cast<int>(level)];
  if (rules.empty()) return;
  auto add = [&](int32_t need, int64_t quantity) {
    if (need < 0 || quantity == 0) return;
    if (acc[need] == 0) touched.push_back(need);
    acc[need] += quantity;
  };
  // The region's TPS and voters, in all and per ballot variant its TPS use.
  const auto& tps = *in_.tps;
  const size_t contests = def_.contests.size();
  geo::VoterCount all;
  std::vector<std::vector<geo::VoterCount>> by_variant(contests);
  for (size_t c = 0; c < contests; ++c) by_variant[c].assign(variant_codes_[c].size(), {});
  int32_t first = region, last = region + 1;
  if (region < 0) {
    first = 0, last = static_cast<int32_t>(regions_.size());
  } else if (level != Level::kVillage) {
    std::tie(first, last) = regions_.Subtree(region);
  }
  auto lower = std::lower_bound(tps.begin(), tps.end(), first,
                                [](const geo::Tps& t, int32_t value) { return t.village < value; });
  for (auto it = lower; it != tps.end() && it->village < last; ++it) {
    ++all.tps;
    all.dpt += it->dpt;
    const VillagePlan& plan = plans_[it->village];
    for (size_t c = 0; c < contests; ++c) {
      if (plan.variants[c] < 0) continue;
      geo::VoterCount& count = by_variant[c][plan.variants[c]];
      ++count.tps;
      count.dpt += it->dpt;
    }
  }
  if (all.tps == 0) return;
  for (size_t r : rules) {
    const Rule& rule = def_.rules[r];
    const int32_t item = rule_item_[r];
    if (rule.for_each == ForEach::kOnce) {
      int64_t held = 0;
      for (size_t c = 0; c < contests; ++c) {
        if (!RuleCovers(rule, c)) continue;
        held += std::any_of(by_variant[c].begin(), by_variant[c].end(), [](const auto& n) { return n.tps > 0; });
      }
      if (!rule.contests.empty() && held == 0) continue;
      add(once_need_[item], rule.fixed + rule.per_contest * held + rule.per_tps * all.tps + rule.dpt * all.dpt);
      continue;
    }
    // Per variant: the TPS and voters of that variant only.
    for (size_t c = 0; c < contests; ++c) {
      if (!RuleCovers(rule, c)) continue;
      for (size_t v = 0; v < by_variant[c].size(); ++v) {
        const geo::VoterCount& count = by_variant[c][v];
        if (count.tps == 0) continue;
        add(need_of_[item * contests + c][v], rule.fixed + rule.per_tps * count.tps + rule.dpt * count.dpt);
      }
    }
  }
}

Result<Needs> Engine::Run(const NeedsOptions& options) {
  RETURN_IF_ERROR(PlanVillages());
  BuildCatalog();
  needs_.by_region.assign(regions_.size(), {});

  // Villages: split the TPS at village boundaries across threads (one thread when visiting, to keep TPS order).
  const auto& tps = *in_.tps;
  const int threads = options.visit_tps ? 1 : std::max(1, std::min(options.threads, 16));
  std::vector<size_t> bounds = {0};
  for (int t = 1; t < threads; ++t) {
    size_t cut = tps.size() * t / threads;
    while (cut > 0 && cut < tps.size() && tps[cut].village == tps[cut - 1].village) ++cut;
    bounds.push_back(std::max(cut, bounds.back()));
  }
  bounds.push_back(tps.size());
  const NeedsOptions* visit = options.visit_tps ? &options : nullptr;
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) {
    workers.emplace_back([this, &bounds, t] { EvaluateVillages(bounds[t], bounds[t + 1], nullptr); });
  }
  EvaluateVillages(bounds[0], bounds[1], visit);
  for (std::thread& worker : workers) worker.join();

  // Village-level rules, then each level up: children's sums plus the rules held at the level.
  std::vector<int64_t> acc(needs_.items.size(), 0);
  std::vector<int32_t> touched;
  auto emit = [&](Quantities& out) {
    std::sort(touched.begin(), touched.end());
    out.clear();
    out.reserve(touched.size());
    for (int32_t need : touched) {
      if (acc[need] != 0) out.emplace_back(need, acc[need]);
      acc[need] = 0;
    }
    touched.clear();
  };
  auto absorb = [&](const Quantities& child) {
    for (const auto& [need, quantity] : child) {
      if (acc[need] == 0) touched.push_back(need);
      acc[need] += quantity;
    }
  };
  if (!level_rules_[static_cast<int>(Level::kVillage)].empty()) {
    for (int32_t village : regions_.OfLevel(Level::kVillage)) {
      absorb(needs_.by_region[village]);
      ApplyLevelRules(Level::kVillage, village, acc, touched);
      emit(needs_.by_region[village]);
    }
  }
  for (Level level : {Level::kDistrict, Level::kRegency, Level::kProvince}) {
    const Level child_level = static_cast<Level>(static_cast<int>(level) + 1);
    const auto& children = regions_.OfLevel(child_level);
    size_t c = 0;
    for (int32_t region : regions_.OfLevel(level)) {
      while (c < children.size() && regions_.at(children[c]).parent < region) ++c;
      for (; c < children.size() && regions_.at(children[c]).parent == region; ++c) {
        absorb(needs_.by_region[children[c]]);
      }
      ApplyLevelRules(level, region, acc, touched);
      emit(needs_.by_region[region]);
    }
  }
  for (int32_t province : regions_.OfLevel(Level::kProvince)) absorb(needs_.by_region[province]);
  ApplyLevelRules(Level::kNational, -1, acc, touched);
  emit(needs_.national);
  return std::move(needs_);
}

}  // namespace

int64_t TpsQuantity(const Rule& rule, int64_t dpt, int64_t contests) {
  int64_t quantity = rule.fixed + rule.per_contest * contests + rule.per_tps + rule.dpt * dpt;
  if (rule.reserve_numerator > 0) {
    quantity += (dpt * rule.reserve_numerator + rule.reserve_denominator - 1) / rule.reserve_denominator;
  }
  return quantity;
}

Result<Needs> ComputeNeeds(const NeedsInput& input, const NeedsOptions& options) {
  Engine engine(input);
  return engine.Run(options);
}

}  // namespace tepat::planning
