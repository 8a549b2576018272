// A realistic distribution, played: vendor deliveries (BTTB), sortir-lipat with damage, replacement and destruction,
// per-TPS kits packed at each KPU kabupaten/kota, handovers down KPU kab/kota → PPK → PPS → KPPS with travel times
// that depend on how each place is reached, and receipts at every TPS. Anomalies are injected at given rates (near
// the 2024 figures of domain.md §4) and the problems they cause are kept as the ground truth, from the scenario's own
// record of what physically reached each TPS, never from the ledger. Pure: it writes documents, it posts nothing.
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "readiness/board.h"

namespace tepat::scenario {

// Chances per TPS of each anomaly (docs/ledger.md gives the 2024 figures behind the defaults).
struct Rates {
  double missing = 0.0098;        // nothing reaches the TPS (8,061 KPPS at H-1 in 2024)
  double short_kit = 0.0056;      // a kit packed short of some item (4,594 TPS short)
  double excess_kit = 0.002;      // a kit packed with too much of some item
  double wrong_variant = 0.0074;  // another dapil's ballots in the kit (6,084 TPS with swapped ballots)
  double misrouted = 0.0005;      // the kits of two TPS of a village swapped on delivery
  double damaged = 0.003;         // a kit arrives damaged
  double unsealed = 0.0042;       // a kit arrives with broken seals (3,441 TPS)
  double late = 0.005;            // the kit reaches the TPS after the deadline
  double sortir_damage = 0.003;   // share of ballot sheets found damaged at sortir-lipat
};

// Chances for the supervision played after the distribution (Player::Supervise): of a TPS with its kit being
// visited, and of each way the record may differ from what a visitor finds (at most one per visit).
struct SupervisionRates {
  double visited = 0.05;
  double short_recorded_complete = 0.05;  // a kit recorded received complete, found short of an item
  double seals_broken = 0.03;             // seals recorded intact, found broken
  double never_came = 0.03;               // a kit recorded received that is not there
  double swapped = 0.03;                  // ballots of another dapil found in place of the TPS's own
};

// Reads rates from a TOML file of `name = probability` lines (any subset of the fields above).
Result<Rates> ParseRates(std::string_view file, std::string_view text);

struct Options {
  uint64_t seed = 1;
  int32_t region = -1;                   // play only under this region; -1 for the nation
  std::optional<int> until_days_before;  // stop at the end of day H-n; nothing after is posted
  Rates rates;
  // The contract that delivers each item to each KPU warehouse ((warehouse node, item code, contest or "") → contract
  // number), as the delivery schedule gives it: a vendor's goods receipts then name their contracts, one receipt per
  // contract. A contest's ballots come under its own contract where there is one, else under the item's.
  std::map<std::tuple<std::string, std::string, std::string>, std::string> contracts;
};

// What a vendor delivers to a KPU kabupaten/kota warehouse for a need of `quantity` in the scenario: the need, 2 %
// more, and 10 (the demo's delivery schedule is built from the same).
int64_t VendorDelivery(int64_t quantity);

class Player {
 public:
  // `board` gives each TPS's needs and deadline; it must outlive the player.
  Player(const readiness::Board& board, Options options);

  // The regencies the play covers, in code order.
  std::vector<int32_t> Regencies() const;
  // The documents of one regency as NDJSON, in posting order (each after what it depends on).
  std::string PlayRegency(int32_t regency);

  // After every regency is played: the latest time of any document written (the ledger's clock after posting),
  // and every TPS's problems, judged at that clock.
  int64_t clock() const { return clock_; }
  std::vector<std::pair<size_t, readiness::ProblemMask>> Truth() const;
  int64_t documents() const { return documents_; }
  const readiness::Board& board() const { return board_; }

  // Supervision at H-1, after every regency is played: Bawaslu's TPS supervisors visit a share of the TPS the ledger
  // records as having received their kit and report, at `at`, the kit and its seals and every item counted, with the
  // tps_h1 checklist answered. In a share of the visits what is physically there differs from KPU's record (a kit
  // recorded complete that is short, seals recorded intact that are broken, a kit recorded received that never
  // came, another dapil's ballots); `truth` gets (TPS index, discrepancy name) for exactly those. Reports as NDJSON.
  std::string Supervise(const SupervisionRates& rates, int64_t at,
                        std::vector<std::pair<size_t, std::string>>& truth) const;

 private:
  struct Delivered {
    bool received = false;
    int64_t received_at = 0;
    std::string kit_tps;                                // the TPS the kit received was labelled for
    std::vector<std::pair<int32_t, int64_t>> contents;  // need id → quantity, sorted
    bool unsealed = false, damaged = false;
  };
  const readiness::Board& board_;
  Options options_;
  std::vector<Delivered> delivered_;  // by TPS index
  std::vector<bool> in_scope_;
  int64_t clock_ = 0;
  int64_t documents_ = 0;
};

}  // namespace tepat::scenario
