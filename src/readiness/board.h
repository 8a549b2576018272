// Readiness: for every TPS, against its needs and its deadline, a delivery state and the problems named by the tepat
// principles; and for every village, district, regency, province and the nation, TPS per state and per problem,
// progress per item and the tepat scorecard. The board is built once from the needs and the stored per-TPS
// projection, then kept up to date incrementally, one ledger effect at a time: a query never re-reads the ledger.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "ledger/posting.h"
#include "planning/needs.h"
#include "readiness/tps_state.h"

namespace tepat::readiness {

// The delivery state: nothing on its way, its kit on its way, or received at the KPPS. Whether what arrived is
// right is told by the problems.
enum class State : uint8_t { kNotDelivered, kInTransit, kComplete };
constexpr int kStates = 3;
std::string_view StateName(State state);    // not_delivered, in_transit, complete
std::string_view StateNameId(State state);  // Belum dikirim, Dalam perjalanan, Diterima

enum class Problem : uint8_t {
  kNotDelivered,  // nothing received by the deadline
  kShort,         // received less than needed of some item
  kExcess,        // received more than needed of some item, or an item it does not need
  kWrongVariant,  // a ballot variant not meant for this TPS (another dapil's), received or refused as such
  kMisrouted,     // a kit labelled for another TPS
  kDamaged,       // a kit arrived damaged, or goods were refused as damaged
  kUnsealed,      // a kit arrived with broken seals
  kLate,          // first received after the deadline
};
constexpr int kProblems = 8;
std::string_view ProblemName(Problem problem);
std::string_view ProblemNameId(Problem problem);
using ProblemMask = uint16_t;
constexpr ProblemMask Bit(Problem p) { return static_cast<ProblemMask>(1u << static_cast<int>(p)); }

// The five principles of the scorecard (tepat jumlah, jenis, sasaran, waktu, kualitas) and the problems that break
// each.
enum class Principle : uint8_t { kJumlah, kJenis, kSasaran, kWaktu, kKualitas };
constexpr int kPrinciples = 5;
std::string_view PrincipleName(Principle principle);  // jumlah, jenis, ...
ProblemMask PrincipleProblems(Principle principle);

// The readiness of one region (or the nation).
struct RegionReadiness {
  int32_t region = -1;  // index in the RegionSet; -1 for the nation
  int64_t tps = 0;
  std::array<int64_t, kStates> states{};
  std::array<int64_t, kProblems> problems{};
  // TPS that received their delivery and are right on each principle; the share is right / tps.
  std::array<int64_t, kPrinciples> right{};
  std::vector<int64_t> item_need;      // by catalog item (Definition::items): the TPS needs in all
  std::vector<int64_t> item_received;  // received towards those needs (never above the need of a TPS)
};

// Appends one region's readiness as a JSON object: code, level, name, TPS per state and per problem, TPS right on
// each principle, and need and received per item (those it needs). The form of `tepat readiness --format json` and
// of the API.
void AppendRegionJson(std::string& out, std::string_view code, std::string_view level, std::string_view name,
                      const RegionReadiness& r, const std::vector<election::Item>& items);

class Board {
 public:
  // Computes the needs of every TPS and an empty board.
  static Result<Board> Build(const election::Definition& definition, const geo::RegionSet& regions,
                             const std::vector<geo::Tps>& tps, const geo::DapilSet* dapils, int threads = 2);

  // Replaces the stored state of a TPS (loading); unknown TPS codes and items are errors. `seq` is the ledger seq
  // the state is as of: a state older than the one held is ignored, so that states arriving out of order (a
  // server's own postings and what it follows of others') leave the newest.
  Status Load(std::string_view tps_code, const TpsState& state, int64_t seq = 0);
  // The seq a TPS's state is as of (0 when loaded without one), or -1 for an unknown TPS.
  int64_t SeqOf(std::string_view tps_code) const;
  // Applies one ledger effect incrementally. Unknown TPS codes are ignored.
  void Apply(const ledger::TpsEffect& effect);

  RegionReadiness Region(int32_t region, int64_t clock) const;  // -1 for the nation
  size_t tps_count() const { return tps_.size(); }
  const geo::Tps& tps(size_t index) const { return tps_[index]; }
  State StateOf(size_t tps) const;
  ProblemMask ProblemsOf(size_t tps, int64_t clock) const;
  int64_t Deadline(size_t tps) const;
  // The index of a TPS by its code, or -1.
  int64_t FindTps(std::string_view code) const;
  // Needed and received quantities of a TPS, by need item code.
  std::vector<std::tuple<std::string, int64_t, int64_t>> Items(size_t tps) const;
  const election::Definition& definition() const { return *definition_; }
  const geo::RegionSet& regions() const { return *regions_; }
  const planning::Needs& needs() const { return needs_; }
  // The TPS's quantities, by need item id.
  std::vector<std::pair<int32_t, int32_t>> NeedOf(size_t tps) const;

 private:
  struct Rollup {
    int64_t tps = 0;
    std::array<int64_t, kStates> states{};
    std::array<int64_t, kProblems> problems{};     // all but not_delivered
    std::array<int64_t, 3> undelivered_by_zone{};  // TPS with no receipt, by time zone (WIB, WITA, WIT)
    std::array<int64_t, kPrinciples> wrong{};      // received TPS breaking each principle
    std::vector<int64_t> item_need, item_received;
  };
  // What one TPS adds to the rollups of its regions.
  struct Contribution {
    State state = State::kNotDelivered;
    ProblemMask problems = 0;
    std::vector<std::pair<int32_t, int64_t>> item_received;  // catalog item → received towards need
  };
  Contribution Contribute(size_t tps) const;
  void AddToRollups(size_t tps, const Contribution& c, int sign);
  ProblemMask StaticProblems(size_t tps) const;

  const election::Definition* definition_ = nullptr;
  const geo::RegionSet* regions_ = nullptr;
  std::vector<geo::Tps> tps_;
  planning::Needs needs_;
  std::unordered_map<std::string, int32_t> need_by_code_;
  std::unordered_map<int64_t, int32_t> tps_by_key_;
  std::vector<uint32_t> need_offset_;  // TPS i's needs are need_[need_offset_[i] .. need_offset_[i+1])
  std::vector<std::pair<int32_t, int32_t>> need_;
  std::vector<uint8_t> zone_;  // 0 WIB, 1 WITA, 2 WIT
  std::array<int64_t, 3> deadline_by_zone_{};
  struct Held : TpsCounters {
    std::vector<std::pair<int32_t, int64_t>> received;  // need id → quantity, sorted
  };
  std::vector<Held> held_;
  std::vector<int64_t> held_seq_;  // the seq each TPS's state is as of
  std::vector<Rollup> rollups_;  // by region index; the last one is the nation
};

}  // namespace tepat::readiness
