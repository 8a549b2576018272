// Contracts and their delivery schedules (docs/procurement.md §4): a contract (a package of LKPP's e-purchasing,
// *paket*) with its lines, each an e-katalog product bought as an item of the election; amendments (*adendum*) that
// change a line's quantity without losing the original; and the schedule of what each line delivers to which KPU
// warehouse by when. Read from CSV files whose columns are LKPP's where LKPP has them (kd_paket, kd_penyedia,
// kd_produk, kuantitas, harga_satuan, ongkos_kirim, total_harga, tanggal_buat_paket), so that an export drops in.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"
#include "procurement/reference.h"

namespace tepat::procurement {

struct ContractLine {
  std::string product;  // kd_produk: the line's key within its contract
  std::string item;     // the election's item code
  std::string contest;  // for an item that differs by contest (ballots), the contest it is for; "" for all
  std::string specification;
  std::string unit;
  int64_t quantity = 0;    // kuantitas as signed
  int64_t unit_price = 0;  // harga_satuan, rupiah
  int64_t shipping = 0;    // ongkos_kirim of the whole line, rupiah
  int64_t Total() const { return quantity * unit_price + shipping; }  // total_harga as signed
};

struct Contract {
  std::string number;  // kd_paket
  std::string name;    // nama_paket
  int32_t phase = 1;   // tahap
  std::string vendor;  // kd_penyedia: a vendor code
  std::string office;  // satker: the signing KPU office's node
  int64_t signed_day = 0;  // tanggal_buat_paket, days since the epoch
  int64_t hps = 0;         // the owner's estimate of the package, rupiah; 0 when not given
  std::vector<ContractLine> lines;
  int64_t Value() const;  // the sum of the lines' totals as signed
};

// An amendment: a line's quantity from a date on. The contract keeps its signed quantity; the latest amendment of a
// line (by number) gives its current quantity.
struct Amendment {
  std::string contract;
  int32_t number = 1;  // adendum 1, 2, ...
  int64_t day = 0;
  std::string product;
  int64_t quantity = 0;  // the line's new quantity; 0 cancels it
};

// What a contract line delivers to a KPU warehouse by a due date.
struct ScheduledDelivery {
  std::string contract;
  std::string product;
  std::string warehouse;  // kpu, kpu:35 or kpu:35.78
  int64_t quantity = 0;
  int64_t due_day = 0;
};

// A payment made under a contract (realisasi): its order's number (SP2D), date and amount.
struct Payment {
  std::string contract;
  std::string number;
  int64_t day = 0;
  int64_t rupiah = 0;
};

// An election's contracts with their amendments, schedule and payments.
struct ContractBook {
  std::vector<Contract> contracts;
  std::vector<Amendment> amendments;
  std::vector<ScheduledDelivery> schedule;
  std::vector<Payment> payments;

  const Contract* Find(std::string_view number) const;
  // A line's quantity now: its latest amendment's, else as signed; -1 when there is no such line.
  int64_t CurrentQuantity(std::string_view contract, std::string_view product) const;
  // A contract's value now: its lines' totals at their current quantities (shipping as signed).
  int64_t CurrentValue(const Contract& contract) const;
};

// The readers. Columns (a header row names them, in any order; other columns, such as the rest of LKPP's export,
// are skipped in the contracts file):
//   contracts:  kd_paket, tahap, kd_penyedia, satker, tanggal_buat_paket, kd_produk, item, kuantitas, harga_satuan,
//               nama_paket, hps, kontes, spesifikasi, satuan, ongkos_kirim, total_harga   (the last seven optional)
//   amendments: kd_paket, adendum, tanggal, kd_produk, kuantitas
//   schedule:   kd_paket, kd_produk, warehouse, kuantitas, due
//   payments:   kd_paket, nomor, tanggal, rupiah
// A contract's rows must agree on its number, phase, vendor, office, date and HPS; a vendor must be one of
// `vendors`; total_harga, when given, must be kuantitas × harga_satuan + ongkos_kirim. Amendments and the schedule
// name contracts and lines of `contracts`. Each line's schedule must add up to its current quantity, every due date
// lie between the contract's date and the election's deadline at the KPPS, and no warehouse appear twice for a line.
// With `relations` false (the files as stored, read back after the contracts or amendments they name may have
// changed) only each row's own fields are checked: what no longer adds up is a discrepancy, not a refusal.
Result<std::vector<Contract>> ParseContractsCsv(std::string_view file, std::string_view text,
                                                const election::Definition& def, const geo::RegionSet& regions,
                                                const std::vector<Vendor>& vendors);
Result<std::vector<Amendment>> ParseAmendmentsCsv(std::string_view file, std::string_view text,
                                                  const std::vector<Contract>& contracts, bool relations = true);
Result<std::vector<ScheduledDelivery>> ParseScheduleCsv(std::string_view file, std::string_view text,
                                                        const election::Definition& def, const geo::RegionSet& regions,
                                                        const ContractBook& book, bool relations = true);

// Payments must name a contract, be dated on or after it, and not add up past its value (as amended); a payment's
// number is unique within its contract.
Result<std::vector<Payment>> ParsePaymentsCsv(std::string_view file, std::string_view text, const ContractBook& book,
                                              bool relations = true);

std::string WriteContractsCsv(const std::vector<Contract>& contracts);
std::string WriteAmendmentsCsv(const std::vector<Amendment>& amendments);
std::string WriteScheduleCsv(const std::vector<ScheduledDelivery>& schedule);
std::string WritePaymentsCsv(const std::vector<Payment>& payments);

}  // namespace tepat::procurement
