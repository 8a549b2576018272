// The demo's procurement data.
#include "procurement/demo.h"

#include <algorithm>

#include "common/text.h"
#include "common/time.h"
#include "procurement/plan.h"

namespace tepat::procurement {

namespace {

// Pemilu 2024's contracts as procurement.md gives them: quantity signed and unit price delivered. Tahap I's prices
// are derived from the contract values (Tempo, Kompas, Sep 2023); tahap II's quantities are KPU's, its prices
// assumptions that make up its Rp698 billion.
struct Known {
  const char* item;
  int64_t quantity;
  int64_t price;
};
constexpr Known kPemilu2024[] = {
    {"kotak_suara", 4'164'552, 40'379},     {"bilik_suara", 3'280'644, 16'207},
    {"tinta", 1'640'322, 11'211},           {"segel", 93'850'362, 423},
    {"segel_plastik", 24'364'423, 932},     {"surat_suara", 1'208'921'320, 510},
    {"sampul", 61'161'473, 400},            {"formulir", 8'137'230, 5'000},
    {"alat_bantu_tunanetra", 1'640'322, 3'000}, {"daftar_calon", 820'161, 15'000},
};
// The unit prices assumed for the other items (rupiah).
constexpr std::pair<const char*, int64_t> kAssumedPrices[] = {
    {"surat_suara_psu", 510},  {"alat_coblos", 12'000},     {"tanda_pengenal_kpps", 3'000},
    {"tanda_pengenal_ketertiban", 3'000}, {"tanda_pengenal_saksi", 3'000}, {"karet_pengikat", 200},
    {"lem", 5'000},            {"kantong_plastik", 1'500},  {"pulpen", 2'500},
    {"gembok", 15'000},        {"spidol", 7'500},           {"stiker_nomor_kotak", 1'000},
    {"salinan_dpt", 25'000},   {"kotak_hasil", 40'379},
};

const Known* KnownOf(const election::Definition& def, const std::string& item) {
  if (def.id != "pemilu-2024") return nullptr;
  for (const Known& k : kPemilu2024) {
    if (item == k.item) return &k;
  }
  return nullptr;
}

int64_t PriceOf(const election::Definition& def, const std::string& item) {
  if (const Known* k = KnownOf(def, item)) return k->price;
  for (const Known& k : kPemilu2024) {
    if (item == k.item) return k.price;  // Pilkada buys the same goods at the same prices
  }
  for (const auto& [code, price] : kAssumedPrices) {
    if (item == code) return price;
  }
  return 5'000;
}

// A deterministic share from 0 to 99 for a code: the same demo every time.
int64_t Spread(std::string_view code) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : code) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  return static_cast<int64_t>(h % 100);
}

}  // namespace

DemoProcurement MakeDemoProcurement(const election::Definition& def, const geo::RegionSet& regions,
                                    const Deliveries& delivered) {
  DemoProcurement out;
  out.vendors = DefaultVendors(def);
  const int64_t voting_day = ParseDate(def.voting_day).value_or(0);
  const bool pemilu = def.id == "pemilu-2024";
  // Signing dates: Pemilu 2024's real ones; for another election 120 and 65 days before its voting day (assumed).
  auto signed_day = [&](size_t vendor) {
    if (pemilu) return *ParseDate(vendor == 0 ? "2023-09-18" : "2023-11-03");
    return voting_day - (vendor == 0 ? 120 : 65);
  };

  // One contract per buying office and vendor; one line per item (per contest for the contests bought apart).
  std::map<std::pair<std::string, size_t>, Contract> contracts;
  std::map<std::string, std::map<std::string, int64_t>> totals;  // contract → product → units scheduled
  for (const auto& [regency, items] : delivered) {
    const geo::Region& r = regions.at(regency);
    const std::string province = regions.at(regions.Ancestor(regency, geo::Level::kProvince)).code;
    for (const auto& [key, units] : items) {
      const std::string& item = key.first;  // named, not bound: a lambda below captures it
      const std::string& contest = key.second;
      if (units <= 0) continue;
      const size_t vendor = def.SupplierOf(item);
      const geo::Level level = def.procurement.BuyerOf(item, contest);
      const std::string office = level == geo::Level::kNational ? "kpu"
                                 : level == geo::Level::kProvince ? "kpu:" + province
                                                                  : "kpu:" + r.code;
      const bool apart = std::any_of(def.procurement.by_contest.begin(), def.procurement.by_contest.end(),
                                     [&](const auto& by) { return by.first == contest; });
      Contract& c = contracts[{office, vendor}];
      if (c.number.empty()) {
        const std::string digits = office == "kpu" ? "RI" : [&] {
          std::string d;
          for (char ch : office.substr(4)) {
            if (ch != '.') d += ch;
          }
          return d;
        }();
        c.number = "KPU-" + digits + "/T" + std::to_string(vendor + 1) + "/" + FormatDay(signed_day(vendor)).substr(0, 4);
        c.name = "Pengadaan logistik tahap " + std::string(vendor == 0 ? "I" : "II") + " " + def.name;
        c.phase = static_cast<int32_t>(vendor + 1);
        c.vendor = out.vendors[vendor].code;
        c.office = office;
        c.signed_day = signed_day(vendor);
      }
      const std::string line_contest = apart ? contest : "";
      const std::string product = "EKAT-" + item + (line_contest.empty() ? "" : "-" + line_contest);
      if (std::none_of(c.lines.begin(), c.lines.end(), [&](const ContractLine& l) { return l.product == product; })) {
        ContractLine line;
        line.product = product;
        line.item = item;
        line.contest = line_contest;
        line.unit = def.FindItem(item)->unit;
        line.unit_price = PriceOf(def, item);
        c.lines.push_back(std::move(line));
      }
      // Due: tahap I at H-40, tahap II at H-25; a week earlier in Maluku and Maluku Utara, whose receipts (at H-45
      // and H-30) then arrive late. In Kalimantan Barat one ballot in a hundred more is scheduled than arrives.
      const bool east = province == "81" || province == "82";
      const int64_t due = voting_day - (vendor == 0 ? 40 : 25) - (east ? 7 : 0);
      const int64_t quantity = province == "61" && item == "surat_suara" ? units + (units + 99) / 100 : units;
      const std::string warehouse = "kpu:" + r.code;
      auto row = std::find_if(out.book.schedule.begin(), out.book.schedule.end(), [&](const ScheduledDelivery& s) {
        return s.contract == c.number && s.product == product && s.warehouse == warehouse;
      });
      if (row == out.book.schedule.end()) {
        out.book.schedule.push_back({c.number, product, warehouse, quantity, due});
      } else {
        row->quantity += quantity;
      }
      totals[c.number][product] += quantity;
    }
  }

  for (auto& [key, c] : contracts) {
    int64_t value = 0;
    for (ContractLine& line : c.lines) {
      const int64_t scheduled = totals[c.number][line.product];
      const Known* known = KnownOf(def, line.item);
      // Signed at the real quantity where known, then amended to what the synthetic election schedules.
      line.quantity = known ? known->quantity : scheduled;
      if (line.quantity != scheduled) {
        out.book.amendments.push_back({c.number, 1, c.signed_day + 72, line.product, scheduled});
      }
      value += scheduled * line.unit_price;
    }
    // HPS: Pemilu 2024's real estimates (procurement.md: Rp527 and Rp854 billion); elsewhere a fifth above the value.
    c.hps = pemilu ? (c.phase == 1 ? 527'000'000'000 : 854'000'000'000) : value + value / 5;
    // Paid: tahap I whole, tahap II four fifths, a month after the due date of tahap II.
    const int64_t paid = c.phase == 1 ? value : value / 5 * 4;
    out.book.payments.push_back({c.number, "SP2D-" + std::to_string(c.phase) + "-001",
                                 voting_day - 20 + (c.phase == 1 ? 0 : 15), paid});
    out.book.contracts.push_back(c);
  }

  // Budget: Pemilu 2024's KPU RI pagu for the two phases; elsewhere each buying office's pagu is its contracts' value
  // times 0.85 to 1.34, different in every region, so that some regional budgets fall short.
  std::map<std::string, int64_t> value_of;
  for (const Contract& c : out.book.contracts) value_of[c.office] += out.book.CurrentValue(c);
  if (pemilu) {
    out.budget = {{"kpu", 2023, "076.01.06.3492.ABG.001.521211", 527'000'000'000, "Pengadaan logistik tahap I"},
                  {"kpu", 2023, "076.01.06.3492.ABG.002.521211", 854'000'000'000, "Pengadaan logistik tahap II"}};
  } else {
    for (const auto& [office, value] : value_of) {
      const int32_t year = static_cast<int32_t>(std::stoi(def.voting_day.substr(0, 4)));
      out.budget.push_back({office, year, "521211", value / 100 * (85 + Spread(office) / 2), "Hibah NPHD logistik"});
    }
  }

  // Reference prices: the e-katalog's, at the contracts' prices; ink only at the owner's estimate, below what the
  // contracts pay (a price Bawaslu sees above its reference).
  for (const election::Item& item : def.items) {
    if (item.code == "tinta") {
      out.prices.push_back({item.code, "", 9'800, 0, PriceSource::kHps, "HPS tinta"});
    } else {
      out.prices.push_back({item.code, "", PriceOf(def, item.code), 0, PriceSource::kEkatalog, "EKAT-" + item.code});
    }
  }
  std::sort(out.book.schedule.begin(), out.book.schedule.end(), [](const auto& a, const auto& b) {
    return std::tie(a.contract, a.product, a.warehouse) < std::tie(b.contract, b.product, b.warehouse);
  });
  return out;
}

}  // namespace tepat::procurement
