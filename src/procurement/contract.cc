// Reading and writing contracts, amendments and delivery schedules.
#include "procurement/contract.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/csv.h"
#include "common/text.h"
#include "common/time.h"
#include "procurement/csv_rows.h"

namespace tepat::procurement {

namespace {

// A contract number or product code: letters, digits and . / - _, at most 60 (LKPP's kd_paket and kd_produk are
// numbers; contracts signed outside e-katalog have numbers like 21/PL.01.1-SPK/01/2023).
bool IsKey(std::string_view text) {
  return !text.empty() && text.size() <= 60 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '/' ||
           c == '-' || c == '_';
  });
}

std::string Key(Row& row, std::string_view column, std::string_view what) {
  const std::string_view text = row.Field(column);
  if (!IsKey(text)) {
    row.Problem(column, "expected " + std::string(what) + ": letters, digits, '.', '/', '-' or '_', at most 60, found '" +
                            Row::Shown(text) + "'");
  }
  return std::string(text);
}

const ContractLine* FindLine(const Contract& contract, std::string_view product) {
  for (const ContractLine& line : contract.lines) {
    if (line.product == product) return &line;
  }
  return nullptr;
}

// The contract and line a row of amendments or schedule names, or a problem.
const Contract* NamedLine(Row& row, const std::vector<Contract>& contracts, const ContractLine** line) {
  const std::string number(row.Field("kd_paket"));
  const Contract* contract = nullptr;
  for (const Contract& c : contracts) {
    if (c.number == number) contract = &c;
  }
  if (!contract) {
    row.Problem("kd_paket", "there is no contract '" + Row::Shown(number) + "'");
    return nullptr;
  }
  *line = FindLine(*contract, row.Field("kd_produk"));
  if (!*line) {
    row.Problem("kd_produk", "contract " + number + " has no line '" + Row::Shown(row.Field("kd_produk")) + "'");
    return nullptr;
  }
  return contract;
}

}  // namespace

int64_t Contract::Value() const {
  int64_t value = 0;
  for (const ContractLine& line : lines) value += line.Total();
  return value;
}

const Contract* ContractBook::Find(std::string_view number) const {
  for (const Contract& c : contracts) {
    if (c.number == number) return &c;
  }
  return nullptr;
}

int64_t ContractBook::CurrentQuantity(std::string_view contract, std::string_view product) const {
  const Contract* c = Find(contract);
  const ContractLine* line = c ? FindLine(*c, product) : nullptr;
  if (!line) return -1;
  int64_t quantity = line->quantity;
  int32_t latest = 0;
  for (const Amendment& a : amendments) {
    if (a.contract == contract && a.product == product && a.number > latest) {
      latest = a.number;
      quantity = a.quantity;
    }
  }
  return quantity;
}

int64_t ContractBook::CurrentValue(const Contract& contract) const {
  int64_t value = 0;
  for (const ContractLine& line : contract.lines) {
    value += CurrentQuantity(contract.number, line.product) * line.unit_price + line.shipping;
  }
  return value;
}

Result<std::vector<Contract>> ParseContractsCsv(std::string_view file, std::string_view text,
                                                const election::Definition& def, const geo::RegionSet& regions,
                                                const std::vector<Vendor>& vendors) {
  std::vector<Contract> out;
  std::set<std::pair<std::string, std::string>> lines_seen;
  RETURN_IF_ERROR(ReadRows(
      file, text,
      {"kd_paket", "tahap", "kd_penyedia", "satker", "tanggal_buat_paket", "kd_produk", "item", "kuantitas",
       "harga_satuan"},
      {"nama_paket", "hps", "kontes", "spesifikasi", "satuan", "ongkos_kirim", "total_harga"}, "contracts",
      [&](Row& row) {
        Contract head;
        head.number = Key(row, "kd_paket", "a contract number");
        head.name = row.Text("nama_paket", false);
        int64_t phase = 0;
        if (!ParseInt(row.Field("tahap"), phase) || phase < 1 || phase > 9) {
          row.Problem("tahap", "expected the phase, 1 to 9, found '" + Row::Shown(row.Field("tahap")) + "'");
        }
        head.phase = static_cast<int32_t>(phase);
        head.vendor = std::string(row.Field("kd_penyedia"));
        if (std::none_of(vendors.begin(), vendors.end(), [&](const Vendor& v) { return v.code == head.vendor; })) {
          row.Problem("kd_penyedia", "unknown vendor '" + Row::Shown(head.vendor) +
                                         "' (import it first: tepat procurement import vendors)");
        }
        head.office = std::string(row.Field("satker"));
        if (!IsKpuOffice(head.office, regions)) {
          row.Problem("satker", "expected a KPU office: kpu, kpu:PROVINCE or kpu:REGENCY of a region that exists, "
                                "found '" + Row::Shown(head.office) + "'");
        }
        if (auto day = row.Date("tanggal_buat_paket")) head.signed_day = *day;
        head.hps = row.Rupiah("hps", true);

        ContractLine line;
        line.product = Key(row, "kd_produk", "a product code");
        line.item = std::string(row.Field("item"));
        const election::Item* item = def.FindItem(line.item);
        if (!item) row.Problem("item", "unknown item '" + Row::Shown(line.item) + "' in " + def.id);
        line.contest = std::string(row.Field("kontes"));
        if (!line.contest.empty() && !def.FindContest(line.contest)) {
          row.Problem("kontes", "unknown contest '" + Row::Shown(line.contest) + "' in " + def.id);
        }
        line.specification = row.Text("spesifikasi", false);
        line.unit = row.Text("satuan", false);
        if (line.unit.empty() && item) line.unit = item->unit;
        line.quantity = row.Quantity("kuantitas");
        line.unit_price = row.Rupiah("harga_satuan");
        line.shipping = row.Rupiah("ongkos_kirim", true);
        int64_t total = 0;
        if (row.ok() && (__builtin_mul_overflow(line.quantity, line.unit_price, &total) ||
                         __builtin_add_overflow(total, line.shipping, &total) || total > kMaxRupiah)) {
          row.Problem("kuantitas", "kuantitas × harga_satuan passes Rp1 quadrillion");
        }
        if (row.ok() && !row.Field("total_harga").empty() && row.Rupiah("total_harga", true) != total) {
          row.Problem("total_harga", "expected kuantitas × harga_satuan + ongkos_kirim = " + std::to_string(total) +
                                         ", found " + Row::Shown(row.Field("total_harga")));
        }
        if (!row.ok()) return;
        if (!lines_seen.emplace(head.number, line.product).second) {
          return row.Problem("kd_produk", "product " + line.product + " of contract " + head.number + " is given twice");
        }
        auto it = std::find_if(out.begin(), out.end(), [&](const Contract& c) { return c.number == head.number; });
        if (it == out.end()) {
          head.lines.push_back(std::move(line));
          out.push_back(std::move(head));
          return;
        }
        // Another row of a contract already read: the same contract, or a number given twice.
        for (auto [column, same] : {std::pair("tahap", it->phase == head.phase),
                                    std::pair("kd_penyedia", it->vendor == head.vendor),
                                    std::pair("satker", it->office == head.office),
                                    std::pair("tanggal_buat_paket", it->signed_day == head.signed_day),
                                    std::pair("hps", it->hps == head.hps),
                                    std::pair("nama_paket", it->name == head.name)}) {
          if (!same) {
            row.Problem(column, "contract " + head.number +
                                    " is given twice: this row differs from its first row, which the rows of one "
                                    "contract must not");
          }
        }
        int64_t value = 0;
        if (row.ok() && (__builtin_add_overflow(it->Value(), total, &value) || value > kMaxRupiah)) {
          row.Problem("kuantitas", "the value of contract " + head.number + " passes Rp1 quadrillion");
        }
        if (row.ok()) it->lines.push_back(std::move(line));
      },
      /*ignore_unknown=*/true));
  return out;
}

Result<std::vector<Amendment>> ParseAmendmentsCsv(std::string_view file, std::string_view text,
                                                  const std::vector<Contract>& contracts, bool relations) {
  std::vector<Amendment> out;
  std::set<std::tuple<std::string, int32_t, std::string>> seen;
  RETURN_IF_ERROR(ReadRows(
      file, text, {"kd_paket", "adendum", "tanggal", "kd_produk", "kuantitas"}, {}, "amendments", [&](Row& row) {
        Amendment a;
        const ContractLine* line = nullptr;
        const Contract* contract = relations ? NamedLine(row, contracts, &line) : nullptr;
        if (!relations) {
          Key(row, "kd_paket", "a contract number");
          Key(row, "kd_produk", "a product code");
        }
        a.contract = std::string(row.Field("kd_paket"));
        a.product = std::string(row.Field("kd_produk"));
        int64_t number = 0;
        if (!ParseInt(row.Field("adendum"), number) || number < 1 || number > 99) {
          row.Problem("adendum", "expected the amendment's number, 1 to 99, found '" +
                                     Row::Shown(row.Field("adendum")) + "'");
        }
        a.number = static_cast<int32_t>(number);
        if (auto day = row.Date("tanggal")) {
          a.day = *day;
          if (contract && a.day < contract->signed_day) {
            row.Problem("tanggal", "amendment " + std::to_string(a.number) + " of contract " + a.contract +
                                       " is dated before the contract (" + FormatDay(contract->signed_day) + ")");
          }
        }
        if (row.Field("kuantitas") == "0") {
          a.quantity = 0;  // the line is cancelled
        } else {
          a.quantity = row.Quantity("kuantitas");
        }
        if (row.ok() && line) {
          int64_t total = 0;
          if (__builtin_mul_overflow(a.quantity, line->unit_price, &total) || total > kMaxRupiah) {
            row.Problem("kuantitas", "kuantitas × the line's harga_satuan passes Rp1 quadrillion");
          }
        }
        if (row.ok() && !seen.emplace(a.contract, a.number, a.product).second) {
          row.Problem("kd_produk", "amendment " + std::to_string(a.number) + " of contract " + a.contract +
                                       " changes product " + a.product + " twice");
        }
        if (row.ok()) out.push_back(std::move(a));
      }));
  return out;
}

Result<std::vector<ScheduledDelivery>> ParseScheduleCsv(std::string_view file, std::string_view text,
                                                        const election::Definition& def, const geo::RegionSet& regions,
                                                        const ContractBook& book, bool relations) {
  std::vector<ScheduledDelivery> out;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, size_t>> totals;  // line → quantity, last line
  const std::optional<int64_t> voting_day = ParseDate(def.voting_day);
  const int64_t deadline = voting_day.value_or(0) - def.deliver_days_before;
  ProblemList sums;
  RETURN_IF_ERROR(ReadRows(
      file, text, {"kd_paket", "kd_produk", "warehouse", "kuantitas", "due"}, {}, "deliveries", [&](Row& row) {
        ScheduledDelivery s;
        const ContractLine* line = nullptr;
        const Contract* contract = relations ? NamedLine(row, book.contracts, &line) : nullptr;
        if (!relations) {
          Key(row, "kd_paket", "a contract number");
          Key(row, "kd_produk", "a product code");
        }
        s.contract = std::string(row.Field("kd_paket"));
        s.product = std::string(row.Field("kd_produk"));
        s.warehouse = std::string(row.Field("warehouse"));
        if (!IsKpuOffice(s.warehouse, regions)) {
          row.Problem("warehouse", "expected a KPU warehouse: kpu, kpu:PROVINCE or kpu:REGENCY of a region that "
                                   "exists, found '" + Row::Shown(s.warehouse) + "'");
        }
        s.quantity = row.Quantity("kuantitas");
        if (auto day = row.Date("due")) {
          s.due_day = *day;
          if (contract && (s.due_day < contract->signed_day || s.due_day > deadline)) {
            row.Problem("due", "expected a due date from the contract's date (" + FormatDay(contract->signed_day) +
                                   ") to the deadline at the KPPS (" + FormatDay(deadline) + "), found " + FormatDay(s.due_day));
          }
        }
        if (row.ok() && !seen.emplace(s.contract, s.product, s.warehouse).second) {
          row.Problem("warehouse", s.warehouse + " is given twice for product " + s.product + " of contract " +
                                       s.contract);
        }
        if (!row.ok()) return;
        auto& [quantity, last] = totals[{s.contract, s.product}];
        quantity = std::min(quantity + s.quantity, kMaxQuantity);
        last = row.line();
        out.push_back(std::move(s));
      }));
  // Every line of the contracts named adds up to its quantity now: a schedule that exceeds or falls short of a line
  // is refused at its last row.
  for (const auto& [key, total] : totals) {
    if (!relations) break;
    const int64_t quantity = book.CurrentQuantity(key.first, key.second);
    if (total.first != quantity) {
      sums.AddAt(file, total.second, "kuantitas",
                 "the schedule of product " + key.second + " of contract " + key.first + " adds up to " +
                     FormatThousands(total.first) + ", the line's quantity is " + FormatThousands(quantity) +
                     (total.first > quantity ? " (too much)" : " (too little)"));
    }
  }
  if (!sums.empty()) return sums.ToError(std::string(file) + ": the deliveries were refused");
  return out;
}

Result<std::vector<Payment>> ParsePaymentsCsv(std::string_view file, std::string_view text, const ContractBook& book,
                                              bool relations) {
  std::vector<Payment> out;
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, int64_t> paid;
  RETURN_IF_ERROR(ReadRows(file, text, {"kd_paket", "nomor", "tanggal", "rupiah"}, {}, "payments", [&](Row& row) {
    Payment p;
    p.contract = Key(row, "kd_paket", "a contract number");
    p.number = Key(row, "nomor", "the payment order's number");
    const Contract* contract = relations && row.ok() ? book.Find(p.contract) : nullptr;
    if (relations && row.ok() && !contract) row.Problem("kd_paket", "there is no contract '" + p.contract + "'");
    if (auto day = row.Date("tanggal")) {
      p.day = *day;
      if (contract && p.day < contract->signed_day) {
        row.Problem("tanggal", "payment " + p.number + " is dated before contract " + p.contract + " (" +
                                   FormatDay(contract->signed_day) + ")");
      }
    }
    p.rupiah = row.Rupiah("rupiah");
    if (row.ok() && !seen.emplace(p.contract, p.number).second) {
      row.Problem("nomor", "payment " + p.number + " of contract " + p.contract + " is given twice");
    }
    if (row.ok() && contract) {
      int64_t& sum = paid[p.contract];
      sum += p.rupiah;  // at most twice kMaxRupiah: a sum past the value is taken back at once
      if (sum > book.CurrentValue(*contract)) {
        row.Problem("rupiah", "the payments of contract " + p.contract + " add up to " + FormatThousands(sum) +
                                  ", past its value of " + FormatThousands(book.CurrentValue(*contract)));
        sum -= p.rupiah;
      }
    }
    if (row.ok()) out.push_back(std::move(p));
  }));
  return out;
}

std::string WritePaymentsCsv(const std::vector<Payment>& payments) {
  std::string out;
  AppendCsvRow(out, {"kd_paket", "nomor", "tanggal", "rupiah"});
  for (const Payment& p : payments) {
    const std::string rupiah = std::to_string(p.rupiah);
    AppendCsvRow(out, {p.contract, p.number, FormatDay(p.day), rupiah});
  }
  return out;
}

std::string WriteContractsCsv(const std::vector<Contract>& contracts) {
  std::string out;
  AppendCsvRow(out, {"kd_paket", "nama_paket", "tahap", "kd_penyedia", "satker", "tanggal_buat_paket", "hps",
                     "kd_produk", "item", "kontes", "spesifikasi", "satuan", "kuantitas", "harga_satuan", "ongkos_kirim",
                     "total_harga"});
  for (const Contract& c : contracts) {
    const std::string phase = std::to_string(c.phase), day = FormatDay(c.signed_day);
    const std::string hps = c.hps ? std::to_string(c.hps) : "";
    for (const ContractLine& l : c.lines) {
      const std::string quantity = std::to_string(l.quantity), price = std::to_string(l.unit_price);
      const std::string shipping = std::to_string(l.shipping), total = std::to_string(l.Total());
      AppendCsvRow(out, {c.number, c.name, phase, c.vendor, c.office, day, hps, l.product, l.item, l.contest,
                         l.specification, l.unit, quantity, price, shipping, total});
    }
  }
  return out;
}

std::string WriteAmendmentsCsv(const std::vector<Amendment>& amendments) {
  std::string out;
  AppendCsvRow(out, {"kd_paket", "adendum", "tanggal", "kd_produk", "kuantitas"});
  for (const Amendment& a : amendments) {
    const std::string number = std::to_string(a.number), quantity = std::to_string(a.quantity);
    AppendCsvRow(out, {a.contract, number, FormatDay(a.day), a.product, quantity});
  }
  return out;
}

std::string WriteScheduleCsv(const std::vector<ScheduledDelivery>& schedule) {
  std::string out;
  AppendCsvRow(out, {"kd_paket", "kd_produk", "warehouse", "kuantitas", "due"});
  for (const ScheduledDelivery& s : schedule) {
    const std::string quantity = std::to_string(s.quantity);
    AppendCsvRow(out, {s.contract, s.product, s.warehouse, quantity, FormatDay(s.due_day)});
  }
  return out;
}

}  // namespace tepat::procurement
