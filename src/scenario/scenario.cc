// The scenario player.
#include "scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "common/random.h"
#include "common/time.h"
#include "common/toml_text.h"
#include "ledger/document.h"
#include "ledger/node.h"
#include "oversight/checklist.h"

namespace tepat::scenario {

namespace {

using ledger::DocKind;
using ledger::DocLine;
using ledger::Document;

std::string Uuid(Rng& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint64_t a = rng.Next(), b = rng.Next();
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int nibble = static_cast<int>(((i < 16 ? a : b) >> (4 * (i % 16))) & 15);
    if (i == 12) nibble = 4;                 // version 4
    if (i == 16) nibble = 8 | (nibble & 3);  // RFC 4122 variant
    out += kHex[nibble];
  }
  return out;
}

std::string Digits(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != '.') out += c;
  }
  return out;
}

}  // namespace

Result<Rates> ParseRates(std::string_view file, std::string_view text) {
  const toml::table root = TRY(ParseToml(file, text));
  Rates rates;
  const std::pair<const char*, double*> fields[] = {{"missing", &rates.missing},
                                                    {"short_kit", &rates.short_kit},
                                                    {"excess_kit", &rates.excess_kit},
                                                    {"wrong_variant", &rates.wrong_variant},
                                                    {"misrouted", &rates.misrouted},
                                                    {"damaged", &rates.damaged},
                                                    {"unsealed", &rates.unsealed},
                                                    {"late", &rates.late},
                                                    {"sortir_damage", &rates.sortir_damage}};
  ProblemList problems;
  for (const auto& field_value : root) {
    const auto& key = field_value.first;
    const toml::node& value = field_value.second;
    const int line = static_cast<int>(value.source().begin.line);
    auto field =
        std::find_if(std::begin(fields), std::end(fields), [&](const auto& f) { return key.str() == f.first; });
    if (field == std::end(fields)) {
      problems.AddAt(file, line, std::string(key.str()), "unknown rate");
      continue;
    }
    std::optional<double> number = value.value<double>();
    if (!number || *number < 0 || *number > 1) {
      problems.AddAt(file, line, std::string(key.str()), "expected a probability between 0 and 1");
      continue;
    }
    *field->second = *number;
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": the rates were refused");
  return rates;
}

int64_t VendorDelivery(int64_t quantity) { return quantity + (quantity * 2 + 99) / 100 + 10; }

Player::Player(const readiness::Board& board, Options options)
    : board_(board), options_(options), delivered_(board.tps_count()), in_scope_(board.tps_count()) {
  for (size_t i = 0; i < board.tps_count(); ++i) {
    in_scope_[i] = options_.region < 0 || board.regions().Within(board.tps(i).village, options_.region);
  }
}

std::vector<int32_t> Player::Regencies() const {
  const geo::RegionSet& regions = board_.regions();
  std::vector<int32_t> out;
  if (options_.region >= 0 && regions.at(options_.region).level >= geo::Level::kRegency) {
    out.push_back(regions.Ancestor(options_.region, geo::Level::kRegency));
    return out;
  }
  for (int32_t regency : regions.OfLevel(geo::Level::kRegency)) {
    if (options_.region < 0 || regions.Within(regency, options_.region)) out.push_back(regency);
  }
  return out;
}

std::string Player::PlayRegency(int32_t regency) {
  const geo::RegionSet& regions = board_.regions();
  const election::Definition& def = board_.definition();
  const planning::Needs& needs = board_.needs();
  const std::string regency_code = regions.at(regency).code;
  const std::string warehouse = "kpu:" + regency_code;
  const int offset = ProvinceUtcOffsetMinutes(regency_code.substr(0, 2));
  const int64_t voting_day = ParseDate(def.voting_day).value_or(0);
  const int64_t cutoff =
      options_.until_days_before ? (voting_day - *options_.until_days_before + 1) * 86400 - offset * 60 : INT64_MAX;
  Rng rng(options_.seed, static_cast<uint64_t>(geo::RegionKey(regency_code)));
  // Local time `hours` after midnight starting day H-`days`.
  auto at = [&](int64_t days, double hours) {
    return (voting_day - days) * 86400 + static_cast<int64_t>(std::llround(hours * 3600)) - offset * 60;
  };
  std::string out;
  auto emit = [&](Document& d, int64_t when) {
    if (when >= cutoff) return false;
    d.id = Uuid(rng);
    d.election = def.id;
    d.at_seconds = when;
    d.at = FormatInstant(when, offset);
    out += ledger::WriteDocument(d);
    out += '\n';
    clock_ = std::max(clock_, when);
    ++documents_;
    return true;
  };
  auto person = [](std::string role, std::string_view place) {
    return ledger::Person{"Ketua " + role + " " + std::string(place), role};
  };

  // The TPS of this regency in scope, grouped by district and village (TPS are sorted by village).
  std::vector<size_t> tps;
  const auto [first, last] = regions.Subtree(regency);
  for (size_t i = 0; i < board_.tps_count(); ++i) {
    const int32_t v = board_.tps(i).village;
    if (v >= first && v < last && in_scope_[i]) tps.push_back(i);
  }
  if (tps.empty()) return out;

  // What the regency needs in all, and which vendor supplies each item (the last vendor supplies the rest).
  std::vector<std::pair<int32_t, int64_t>> total;
  for (size_t i : tps) {
    for (const auto& [id, quantity] : board_.NeedOf(i)) readiness::AddQuantity(total, id, int64_t{quantity});
  }
  auto vendor_of = [&](int32_t need) { return def.SupplierOf(def.items[needs.items[need].item].code); };
  // The contract that delivers a need item here ("" when no schedule names one).
  auto contract_of = [&](int32_t need) {
    const std::string& item = def.items[needs.items[need].item].code;
    const int32_t contest = needs.items[need].contest;
    auto it = options_.contracts.end();
    if (contest >= 0) it = options_.contracts.find({warehouse, item, def.contests[contest].code});
    if (it == options_.contracts.end()) it = options_.contracts.find({warehouse, item, ""});
    return it == options_.contracts.end() ? std::string() : it->second;
  };
  std::map<int32_t, int64_t> stock, damaged;

  // 1. Goods receipts (BTTB), one per vendor and contract: the regency's needs and 2% more, some boxes damaged on
  // arrival.
  for (size_t v = 0; v < def.vendors.size(); ++v) {
    std::map<std::string, Document> receipts;  // by contract; "" alone when no schedule names one
    for (const auto& [id, quantity] : total) {
      if (vendor_of(id) != v) continue;
      const std::string contract = contract_of(id);
      Document& d = receipts[contract];
      if (d.node.empty()) {
        d.kind = DocKind::kGoodsReceipt;
        d.node = warehouse;
        d.vendor = "vendor:" + def.vendors[v].code;
        d.contract = contract;
        d.delivery_note = "SJ/" + def.vendors[v].code + "/" + Digits(regency_code);
        d.number = "BTTB/" + Digits(regency_code) + "/" + std::to_string(v + 1);
        if (!contract.empty()) d.number += "/" + contract;
        d.signed_by = {person("KPU", regions.at(regency).name)};
      }
      DocLine line;
      line.item = needs.items[id].code;
      line.good = VendorDelivery(quantity);
      if (needs.items[id].contest < 0 && rng.Chance(0.05)) line.damaged = rng.Between(1, 1 + quantity / 200);
      stock[id] += line.good;
      damaged[id] += line.damaged;
      d.lines.push_back(std::move(line));
    }
    // Tahap I around H-45, tahap II (ballots, after the candidate lists) around H-30; never after sortir-lipat.
    for (auto& [contract, d] : receipts) {
      emit(d, at(std::max<int64_t>(25, 45 - 15 * static_cast<int64_t>(v)), 9 + rng.Uniform() * 6));
    }
  }

  // 2. Sortir-lipat of every ballot variant; damaged sheets are set aside, replaced by the printer and destroyed.
  {
    Document d;
    d.kind = DocKind::kSortirLipat;
    d.node = warehouse;
    d.number = "BA-SORLIP/" + Digits(regency_code);
    d.signed_by = {person("KPU", regions.at(regency).name)};
    d.witnesses = {{"Pengawas Bawaslu " + regions.at(regency).name, "Bawaslu"}, {"Petugas Polres", "Polri"}};
    Document request;
    request.kind = DocKind::kReplacementRequest;
    request.node = warehouse;
    request.number = "PERMINTAAN/" + Digits(regency_code);
    request.signed_by = d.signed_by;
    for (const auto& [id, quantity] : total) {
      if (needs.items[id].contest < 0) continue;
      DocLine line;
      line.item = needs.items[id].code;
      line.delivered = stock[id];
      const int64_t bad = std::llround(stock[id] * options_.rates.sortir_damage * 2 * rng.Uniform());
      line.good = stock[id] - bad;
      if (bad > 0) {
        line.damage["torn"] = bad / 2;
        line.damage["blurred"] = bad / 4;
        line.damage["ink"] = bad - bad / 2 - bad / 4;
        for (auto it = line.damage.begin(); it != line.damage.end();)
          it = it->second ? std::next(it) : line.damage.erase(it);
        stock[id] -= bad;
        damaged[id] += bad;
        DocLine wanted;
        wanted.item = line.item;
        wanted.quantity = bad;
        request.lines.push_back(std::move(wanted));
        request.vendor = "vendor:" + def.vendors[vendor_of(id)].code;
      }
      d.lines.push_back(std::move(line));
    }
    if (!d.lines.empty()) emit(d, at(20, 9 + rng.Uniform() * 4));
    if (!request.lines.empty() && emit(request, at(19, 10))) {
      Document fulfil;
      fulfil.kind = DocKind::kGoodsReceipt;
      fulfil.node = warehouse;
      fulfil.vendor = request.vendor;
      fulfil.fulfils = request.id;
      for (const auto& [id, quantity] : total) {
        if (needs.items[id].code == request.lines.front().item) fulfil.contract = contract_of(id);
      }
      fulfil.delivery_note = "SJ-PENGGANTI/" + Digits(regency_code);
      fulfil.signed_by = request.signed_by;
      for (const DocLine& wanted : request.lines) {
        DocLine line;
        line.item = wanted.item;
        line.good = wanted.quantity;
        fulfil.lines.push_back(std::move(line));
      }
      if (emit(fulfil, at(15, 11))) {
        for (const auto& [id, quantity] : total) {
          for (const DocLine& wanted : request.lines) {
            if (wanted.item == needs.items[id].code) stock[id] += wanted.quantity;
          }
        }
      }
    }
    Document destroy;
    destroy.kind = DocKind::kDestruction;
    destroy.node = warehouse;
    destroy.number = "BA-PEMUSNAHAN/" + Digits(regency_code);
    destroy.signed_by = d.signed_by;
    destroy.witnesses = d.witnesses;
    for (const auto& [id, quantity] : damaged) {
      if (quantity == 0) continue;
      DocLine line;
      line.item = needs.items[id].code;
      line.quantity = quantity;
      destroy.lines.push_back(std::move(line));
    }
    if (!destroy.lines.empty()) emit(destroy, at(14, 10));
  }

  // 3. Kits: each TPS's needs, with the injected packing anomalies, as long as the warehouse holds the goods.
  struct Plan {
    std::vector<std::pair<int32_t, int64_t>> contents;
    bool missing = false, misrouted = false, damaged = false, unsealed = false, late = false;
    size_t swap_with = SIZE_MAX;
    std::string kit, label;
  };
  const Rates& rates = options_.rates;
  std::vector<Plan> plans(tps.size());
  std::map<int32_t, int64_t> remaining(total.begin(), total.end());  // needs of the TPS not yet packed
  for (size_t k = 0; k < tps.size(); ++k) {
    Plan& plan = plans[k];
    const std::string code = geo::TpsCode(regions, board_.tps(tps[k]));
    Rng trng(options_.seed, static_cast<uint64_t>(geo::RegionKey(code)));
    std::vector<std::pair<int32_t, int64_t>> need;
    for (const auto& [id, quantity] : board_.NeedOf(tps[k])) need.emplace_back(id, quantity);
    plan.contents = need;
    if (!plan.contents.empty() && trng.Chance(rates.short_kit)) {
      auto& line = plan.contents[trng.Between(0, static_cast<int64_t>(plan.contents.size()) - 1)];
      line.second -= std::min<int64_t>(line.second, trng.Between(1, 20));
    }
    if (!plan.contents.empty() && trng.Chance(rates.excess_kit)) {
      plan.contents[trng.Between(0, static_cast<int64_t>(plan.contents.size()) - 1)].second += trng.Between(1, 20);
    }
    if (trng.Chance(rates.wrong_variant)) {
      // Another variant of one of its ballots that this regency holds: another dapil's.
      for (auto& content : plan.contents) {
        int32_t& id = content.first;
        if (needs.items[id].contest < 0) continue;
        auto other = std::find_if(total.begin(), total.end(), [&](const auto& t) {
          return t.first != id && needs.items[t.first].item == needs.items[id].item &&
                 needs.items[t.first].contest == needs.items[id].contest;
        });
        if (other == total.end()) continue;
        id = other->first;
        break;
      }
      std::sort(plan.contents.begin(), plan.contents.end());
    }
    std::erase_if(plan.contents, [](const auto& c) { return c.second == 0; });
    // An anomaly may use only what the warehouse holds beyond the needs of the TPS still to be packed.
    for (const auto& [id, quantity] : need) remaining[id] -= quantity;
    bool enough = true;
    for (const auto& [id, quantity] : plan.contents) enough = enough && stock[id] - remaining[id] >= quantity;
    if (!enough) plan.contents = need;
    for (const auto& [id, quantity] : plan.contents) stock[id] -= quantity;
    plan.missing = trng.Chance(rates.missing);
    plan.misrouted = trng.Chance(rates.misrouted);
    plan.damaged = trng.Chance(rates.damaged);
    plan.unsealed = trng.Chance(rates.unsealed);
    plan.late = trng.Chance(rates.late);
    plan.kit = "KIT-" + code;
    plan.label = "QR-" + Digits(code) + "-" + std::to_string(trng.Between(1000, 9999));
  }
  // Misrouting swaps the kits of two TPS of one village, both delivered.
  for (size_t k = 0; k + 1 < tps.size(); ++k) {
    Plan& a = plans[k];
    Plan& b = plans[k + 1];
    if (!a.misrouted || a.missing || b.missing || a.swap_with != SIZE_MAX || b.swap_with != SIZE_MAX ||
        board_.tps(tps[k]).village != board_.tps(tps[k + 1]).village) {
      continue;
    }
    a.swap_with = k + 1;
    b.swap_with = k;
  }

  // A BAST between adjacent levels: the sender's dispatch of `kits` at `sent`, then the receiver's receipt at the time
  // `arrival` gives, every kit accepted, in the `condition` given (seals and damage). False when either falls after
  // the end of the play.
  auto handover = [&](const std::string& from, const std::string& to, const std::string& code,
                      const std::vector<std::string>& kits, const ledger::Person& sender,
                      const ledger::Person& receiver, int64_t sent, const std::function<int64_t()>& arrival,
                      const ledger::KitReceipt& condition) {
    Document dispatch;
    dispatch.kind = DocKind::kDispatch;
    dispatch.node = from;
    dispatch.to = to;
    dispatch.number = "BAST/" + Digits(code);
    dispatch.signed_by = {sender};
    dispatch.kit_codes = kits;
    if (!emit(dispatch, sent)) return false;
    Document receipt;
    receipt.kind = DocKind::kReceipt;
    receipt.node = to;
    receipt.from = from;
    receipt.dispatch = dispatch.id;
    receipt.number = dispatch.number;
    receipt.signed_by = {receiver};
    for (const std::string& kit : kits) {
      receipt.kit_receipts.push_back({kit, true, condition.seals_intact, condition.damaged, ""});
    }
    return emit(receipt, arrival());
  };

  // 4. Packing and the handovers down the chain, district by district.
  size_t k = 0;
  int district_number = 0;
  while (k < tps.size()) {
    const int32_t district = regions.Ancestor(board_.tps(tps[k]).village, geo::Level::kDistrict);
    size_t end = k;
    while (end < tps.size() && regions.Ancestor(board_.tps(tps[end]).village, geo::Level::kDistrict) == district) {
      ++end;
    }
    const std::string& district_code = regions.at(district).code;
    const std::string ppk = "ppk:" + district_code;
    Document pack;
    pack.kind = DocKind::kPacking;
    pack.node = warehouse;
    pack.number = "PENGEPAKAN/" + Digits(district_code);
    pack.signed_by = {person("KPU", regions.at(regency).name)};
    double travel = 1;
    for (size_t i = k; i < end; ++i) {
      const Plan& plan = plans[i - 0];
      ledger::KitSpec kit;
      kit.kit = plan.kit;
      kit.tps = plan.kit.substr(4);
      kit.label = plan.label;
      for (int s = 1; s <= 5; ++s) kit.seals.push_back("SEGEL-" + Digits(kit.tps) + "-" + std::to_string(s));
      for (const auto& [id, quantity] : plan.contents) {
        DocLine line;
        line.item = needs.items[id].code;
        line.quantity = quantity;
        kit.lines.push_back(std::move(line));
      }
      pack.kits.push_back(std::move(kit));
      const float hours = board_.tps(tps[i]).travel_hours;
      if (!std::isnan(hours)) travel = std::max(travel, static_cast<double>(hours));
    }
    ++district_number;
    if (!emit(pack, at(12, 8 + district_number % 8 + rng.Uniform()))) {
      k = end;
      continue;
    }
    // KPU kab/kota → PPK, all the district's kits in one BAST.
    std::vector<std::string> district_kits;
    for (const ledger::KitSpec& kit : pack.kits) district_kits.push_back(kit.kit);
    const int64_t sent_ppk = at(def.ppk_days_before + 2, 7 + rng.Uniform() * 4);
    const ledger::Person ppk_chair = person("PPK", regions.at(district).name);
    if (!handover(warehouse, ppk, district_code, district_kits, pack.signed_by.front(), ppk_chair, sent_ppk,
                  [&] { return sent_ppk + static_cast<int64_t>((1 + std::min(travel, 30.0) / 2) * 3600); }, {})) {
      k = end;
      continue;
    }
    // PPK → PPS, village by village; PPS → KPPS, TPS by TPS.
    size_t v = k;
    while (v < end) {
      const int32_t village = board_.tps(tps[v]).village;
      size_t v_end = v;
      while (v_end < end && board_.tps(tps[v_end]).village == village) ++v_end;
      const std::string& village_code = regions.at(village).code;
      const std::string pps = "pps:" + village_code;
      std::vector<std::string> village_kits;
      for (size_t i = v; i < v_end; ++i) village_kits.push_back(plans[i].kit);
      const int64_t sent_pps = at(def.ppk_days_before, 7 + rng.Uniform() * 8);
      const ledger::Person pps_chair = person("PPS", regions.at(village).name);
      const bool pps_ok = handover(ppk, pps, village_code, village_kits, ppk_chair, pps_chair, sent_pps,
                                   [&] { return sent_pps + rng.Between(1800, 6 * 3600); }, {});
      for (size_t i = v; pps_ok && i < v_end; ++i) {
        const Plan& plan = plans[i];
        if (plan.missing) continue;
        const size_t target = plan.swap_with == SIZE_MAX ? i : plan.swap_with;  // the TPS this kit goes to
        const geo::Tps& place = board_.tps(tps[target]);
        const std::string tps_code = geo::TpsCode(regions, place);
        const Plan& receiver = plans[target];
        const int64_t deadline = board_.Deadline(tps[target]);
        const int64_t sent = at(def.pps_days_before, 7 + rng.Uniform() * 8);
        int64_t arrival = 0;
        const ledger::KitReceipt condition{"", true, !receiver.unsealed, receiver.damaged, ""};
        if (!handover(
                pps, "kpps:" + tps_code, tps_code, {plan.kit}, pps_chair,
                person("KPPS", "TPS " + tps_code.substr(tps_code.size() - 3)), sent,
                [&] {
                  const double hours = std::isnan(place.travel_hours) ? 1 + rng.Uniform() * 2 : place.travel_hours;
                  arrival = sent + static_cast<int64_t>(std::min(hours, 30.0) * 3600) + 60;
                  arrival = receiver.late ? deadline + rng.Between(30, 360) * 60 : std::min(arrival, deadline - 3600);
                  return arrival = std::max(arrival, sent + 60);
                },
                condition)) {
          continue;
        }
        Delivered& got = delivered_[tps[target]];
        got.received = true;
        got.received_at = arrival;
        got.kit_tps = plan.kit.substr(4);
        got.contents = plan.contents;
        got.unsealed = receiver.unsealed;
        got.damaged = receiver.damaged;
      }
      v = v_end;
    }
    k = end;
  }

  // 5. On voting day morning, the warehouse counts the boxes it kept (the stock opname closes the play).
  for (const auto& [id, quantity] : total) {
    if (needs.items[id].code != "kotak_suara") continue;
    Document count;
    count.kind = DocKind::kCount;
    count.node = warehouse;
    count.number = "STOCK-OPNAME/" + Digits(regency_code);
    count.signed_by = {person("KPU", regions.at(regency).name)};
    DocLine line;
    line.item = needs.items[id].code;
    line.counted = stock[id];
    count.lines.push_back(std::move(line));
    emit(count, at(0, 7));
  }
  return out;
}

std::vector<std::pair<size_t, readiness::ProblemMask>> Player::Truth() const {
  using readiness::Bit;
  using readiness::Problem;
  const planning::Needs& needs = board_.needs();
  std::vector<std::pair<size_t, readiness::ProblemMask>> out;
  for (size_t i = 0; i < board_.tps_count(); ++i) {
    if (!in_scope_[i]) continue;
    const Delivered& got = delivered_[i];
    const int64_t deadline = board_.Deadline(i);
    readiness::ProblemMask mask = 0;
    if (!got.received) {
      if (clock_ >= deadline) mask |= Bit(Problem::kNotDelivered);
    } else {
      if (got.received_at >= deadline) mask |= Bit(Problem::kLate);
      if (got.unsealed) mask |= Bit(Problem::kUnsealed);
      if (got.damaged) mask |= Bit(Problem::kDamaged);
      if (got.kit_tps != geo::TpsCode(board_.regions(), board_.tps(i))) mask |= Bit(Problem::kMisrouted);
      std::map<int32_t, int64_t> need, have(got.contents.begin(), got.contents.end());
      for (const auto& [id, quantity] : board_.NeedOf(i)) need[id] = quantity;
      for (const auto& [id, quantity] : need) {
        const int64_t h = have.count(id) ? have[id] : 0;
        if (h < quantity) mask |= Bit(Problem::kShort);
        if (h > quantity) mask |= Bit(Problem::kExcess);
      }
      for (const auto& [id, quantity] : have) {
        if (need.count(id)) continue;
        mask |= needs.items[id].contest >= 0 ? Bit(Problem::kWrongVariant) : Bit(Problem::kExcess);
      }
    }
    if (mask != 0) out.emplace_back(i, mask);
  }
  return out;
}

std::string Player::Supervise(const SupervisionRates& rates, int64_t at,
                              std::vector<std::pair<size_t, std::string>>& truth) const {
  const planning::Needs& needs = board_.needs();
  const geo::RegionSet& regions = board_.regions();
  Result<const oversight::Checklist*> checklist = oversight::FindChecklist("tps_h1", 1);
  std::string out;
  for (size_t i = 0; i < board_.tps_count(); ++i) {
    const Delivered& got = delivered_[i];
    if (!in_scope_[i] || !got.received || got.received_at > at) continue;
    const std::string code = geo::TpsCode(regions, board_.tps(i));
    Rng rng(options_.seed ^ 0x5375706572766973ULL, static_cast<uint64_t>(geo::RegionKey(code)));
    if (!rng.Chance(rates.visited)) continue;
    const std::string number = code.substr(code.size() - 3);
    const std::string& village = regions.at(board_.tps(i).village).name;
    oversight::Report report;
    report.id = Uuid(rng);
    report.election = board_.definition().id;
    report.stage = oversight::Stage::kTpsH1;
    report.supervisor = {"Pengawas TPS " + number + " " + village, "Pengawas TPS " + number + " " + village};
    report.assignment = "ST/" + Digits(code) + "/PM.01.02/" + code.substr(0, 5);
    report.node = "kpps:" + code;
    report.at = FormatInstant(at, 7 * 60);
    report.at_seconds = at;
    oversight::KitSeen kit{"KIT-" + got.kit_tps, true, {}};
    for (int s = 1; s <= 5; ++s)
      kit.seals.push_back({"SEGEL-" + Digits(got.kit_tps) + "-" + std::to_string(s), !got.unsealed});
    for (const auto& [id, quantity] : got.contents) report.observed.push_back({needs.items[id].code, quantity});
    // At most one way in which what is there differs from the record.
    std::string differs;
    const double roll = rng.Uniform();
    double edge = rates.short_recorded_complete;
    auto pick = [&](auto&& fits) -> oversight::Observed* {
      std::vector<oversight::Observed*> candidates;
      for (oversight::Observed& o : report.observed) {
        if (fits(o)) candidates.push_back(&o);
      }
      if (candidates.empty()) return nullptr;
      return candidates[rng.Between(0, static_cast<int64_t>(candidates.size()) - 1)];
    };
    if (roll < edge) {
      if (oversight::Observed* o = pick([](const oversight::Observed& o) { return o.count >= 2; })) {
        o->count -= rng.Between(1, std::min<int64_t>(o->count - 1, 20));
        differs = "count_mismatch";
      }
    } else if (roll < (edge += rates.seals_broken)) {
      if (!got.unsealed) {
        kit.seals[rng.Between(0, 4)].intact = false;
        differs = "seal_broken";
      }
    } else if (roll < (edge += rates.never_came)) {
      kit.present = false;
      kit.seals.clear();
      report.observed.clear();
      differs = "not_received";
    } else if (roll < (edge += rates.swapped)) {
      // Another dapil's ballots of one contest in place of the TPS's own.
      for (oversight::Observed& o : report.observed) {
        auto own = std::find_if(needs.items.begin(), needs.items.end(),
                                [&](const planning::NeedItem& n) { return n.code == o.item; });
        if (own == needs.items.end() || own->contest < 0) continue;
        auto other = std::find_if(needs.items.begin(), needs.items.end(), [&](const planning::NeedItem& n) {
          return n.item == own->item && n.contest == own->contest && n.code != own->code &&
                 std::none_of(report.observed.begin(), report.observed.end(),
                              [&](const oversight::Observed& seen) { return seen.item == n.code; });
        });
        if (other == needs.items.end()) continue;
        o.item = other->code;
        differs = "variant_mismatch";
        break;
      }
      std::sort(report.observed.begin(), report.observed.end(),
                [](const oversight::Observed& a, const oversight::Observed& b) { return a.item < b.item; });
    }
    report.kits.push_back(std::move(kit));
    report.narrative = differs.empty() ? "Logistik diterima KPPS dan diperiksa bersama; sesuai catatan."
                                       : "Ditemukan ketidaksesuaian antara logistik di TPS dan catatan serah terima.";
    if (checklist.ok()) {
      report.checklist = "tps_h1";
      report.checklist_version = 1;
      for (const oversight::Question& q : checklist.value()->questions) {
        const std::string answer = q.answer == oversight::AnswerKind::kYesNo   ? (differs.empty() ? "ya" : "tidak")
                                   : q.answer == oversight::AnswerKind::kCount ? "0"
                                                                               : "-";
        report.answers.push_back({q.id, answer});
      }
    }
    if (!differs.empty()) truth.emplace_back(i, differs);
    out += oversight::WriteReport(report);
    out += '\n';
  }
  return out;
}

}  // namespace tepat::scenario
