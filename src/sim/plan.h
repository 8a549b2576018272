// The distribution plan of an election: the legs of the chain from each regency's warehouse (KPU kabupaten/kota)
// down to every TPS (KPU kab/kota → PPK → PPS → KPPS), each with its planned departure, transport mode and
// distance, and vehicle trips where one vehicle serves several stops in turn. Plans are generated from the TPS
// access data, and read and written as CSV (docs/formats.md §14). What-if changes edit a plan.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "geo/region.h"
#include "readiness/board.h"
#include "sim/model.h"

namespace tepat::sim {

// One leg: the goods for `to` travel from `from`. A regency's root leg (`from` empty, mode ready) says when its kits
// are ready at the warehouse. A trip's later stops leave from the stop before.
struct Leg {
  std::string to;    // regency, district (PPK), village (PPS) or TPS code
  std::string from;  // the node the vehicle leaves from; "" for a root
  Mode mode = Mode::kTruck;
  double km = 0;
  int64_t dispatch_at = 0;  // planned departure (Unix seconds); 0: as soon as the goods reach `from`
  std::string trip;         // the vehicle trip it is part of; "" when it travels alone
  int32_t stop = 0;         // its place in the trip, from 1
  // A closure imposed by a what-if: the leg cannot leave within [closed_from, closed_to) (Unix seconds).
  int64_t closed_from = 0, closed_to = 0;
};

struct Plan {
  std::vector<Leg> legs;
};

// Reads a plan (header to,from,mode,km,dispatch_at; optional trip,stop). Every row is checked against the regions
// and the board's TPS: a known place, its goods coming from its parent (or, on a trip, the stop before), a known
// mode, a time with its offset; problems name the line and column.
Result<Plan> ParsePlanCsv(std::string_view file, std::string_view text, const readiness::Board& board);
// Writes a plan in the same format, times at each province's own offset.
void WritePlanCsv(const Plan& plan, std::string& out);

// A plausible plan for the election from the TPS access data: a truck (or boat or aircraft where most of a district
// is reached so) from each warehouse to each PPK; to each PPS by its villages' access (road villages of a district
// served by trucks of up to three stops); to each TPS by car trips of up to four TPS in road villages, on foot or by
// motorbike elsewhere. Departures are scheduled back from the deadline with a buffer per mode, never later than the
// usual days (warehouse ready by H-8, PPK legs H-6, PPS legs H-3, TPS legs H-1, 07:00 local). `region` (-1 for the
// nation) limits it to a region's TPS.
Plan GeneratePlan(const readiness::Board& board, const Model& model, int32_t region = -1);

// A what-if change (docs/simulation.md): which legs, and what happens to them.
struct Change {
  enum class Kind : uint8_t { kAdvance, kMode, kClose, kVendorDelay } kind = Kind::kAdvance;
  std::string region;                // legs whose `to` is this code or lies within it
  bool exact = false;                // only the leg to `region` itself (given as `leg` in the file)
  std::vector<Mode> modes;           // only legs of these modes; empty for any
  int64_t seconds = 0;               // advance: how much earlier; vendor delay: how much later; close: how long
  Mode to_mode = Mode::kHelicopter;  // mode: the new mode
  int64_t from = 0;                  // close: from when
  std::string label;                 // how it reads in output: "advance 91.01 by 2 days"
};

// Reads what-if changes from TOML ([[change]] tables with what = advance | mode | close | vendor_delay).
Result<std::vector<Change>> ParseChanges(std::string_view file, std::string_view text, const geo::RegionSet& regions);
// Writes changes in the same TOML form (mitigations are written so, to be given back with --what-if).
std::string WriteChanges(const std::vector<Change>& changes);
// Applies changes to a plan; fails when a change selects no leg (a typo must not read as "no effect"), or, with
// `within` (a region code), no leg to a place within that region or above it (the scope simulated).
Status ApplyChanges(const std::vector<Change>& changes, Plan& plan, std::string_view within = "");

}  // namespace tepat::sim
