// The nodes of the chain of custody and what each kind may do. A node is named by a code:
//   vendor:CODE                  a vendor of the election (printer, box maker), as listed in its definition
//   kpu                          KPU RI
//   kpu:35, kpu:35.78            KPU provinsi and KPU kabupaten/kota (the warehouses)
//   ppk:35.78.01                 PPK, the district committee
//   pps:35.78.01.1001            PPS, the village committee
//   kpps:35.78.01.1001.001       KPPS, the TPS
//   transit, destroyed, used, loss, kitting
//                                virtual nodes: goods on the road, burnt under a berita acara, used at a TPS,
//                                found short or excess when counted, and packed into kits (see docs/ledger.md)
//   damaged:NODE                 damaged goods set aside at NODE (a warehouse, committee or TPS), awaiting
//                                destruction or return
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "geo/region.h"

namespace tepat::ledger {

enum class NodeKind : uint8_t {
  kVendor,
  kKpu,          // KPU RI
  kKpuProvince,  // KPU provinsi
  kKpuRegency,   // KPU kabupaten/kota: the warehouse where sortir-lipat and packing happen
  kPpk,
  kPps,
  kKpps,
  kTransit,
  kDamaged,
  kDestroyed,
  kUsed,
  kLoss,
  kKitting,
};

std::string_view NodeKindName(NodeKind kind);

struct Node {
  NodeKind kind = NodeKind::kKpu;
  std::string code;    // the whole code, e.g. "ppk:35.78.01"
  std::string region;  // for KPU, PPK, PPS and KPPS nodes the region or TPS code ("" for KPU RI); for damaged:X the
                       // region of X; for a vendor its vendor code
  std::string holder;  // for damaged:X, the code of X
};

// Parses a node code, checking its shape only (not that the region exists). Nothing when malformed.
std::optional<Node> ParseNode(std::string_view code);

// The level of the region a committee node serves: national for KPU RI, province, regency, district, village, TPS.
std::optional<geo::Level> NodeLevel(NodeKind kind);
// The committee node that serves a region or TPS code at its level: "35.78.01" → "ppk:35.78.01".
std::string NodeForRegion(std::string_view region_code);

// What a kind of node may do.
bool IsCommittee(NodeKind kind);  // KPU RI down to KPPS: holds stock under a person's signature
bool IsWarehouse(NodeKind kind);  // KPU RI, provinsi, kabupaten/kota: receives from vendors, destroys, counts
// Whether a handover from `from` to `to` goes between adjacent levels of one chain: a committee and one of the
// committees directly below it (down), or the reverse (up, the return after voting).
bool Adjacent(const Node& from, const Node& to);
// Whether the handover goes down the chain (towards the TPS).
bool Downward(const Node& from, const Node& to);

}  // namespace tepat::ledger
