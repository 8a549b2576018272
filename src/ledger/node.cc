// Node codes and the rules of the chain.
#include "ledger/node.h"

namespace tepat::ledger {

namespace {

struct Prefix {
  std::string_view text;
  NodeKind kind;
};

constexpr Prefix kVirtual[] = {{"transit", NodeKind::kTransit},
                               {"destroyed", NodeKind::kDestroyed},
                               {"used", NodeKind::kUsed},
                               {"loss", NodeKind::kLoss},
                               {"kitting", NodeKind::kKitting}};

bool VendorCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view NodeKindName(NodeKind kind) {
  static constexpr std::string_view kNames[] = {"vendor", "kpu",  "kpu_provinsi", "kpu_kabkota", "ppk",
                                                "pps",    "kpps", "transit",      "damaged",     "destroyed",
                                                "used",   "loss", "kitting"};
  return kNames[static_cast<int>(kind)];
}

std::optional<Node> ParseNode(std::string_view code) {
  Node node;
  node.code = std::string(code);
  for (const Prefix& prefix : kVirtual) {
    if (code == prefix.text) {
      node.kind = prefix.kind;
      return node;
    }
  }
  if (code == "kpu") {
    node.kind = NodeKind::kKpu;
    return node;
  }
  const size_t colon = code.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view head = code.substr(0, colon);
  const std::string_view rest = code.substr(colon + 1);
  if (head == "vendor") {
    if (!VendorCode(rest)) return std::nullopt;
    node.kind = NodeKind::kVendor;
    node.region = std::string(rest);
    return node;
  }
  if (head == "damaged") {
    std::optional<Node> holder = ParseNode(rest);
    if (!holder || !IsCommittee(holder->kind)) return std::nullopt;
    node.kind = NodeKind::kDamaged;
    node.region = holder->region;
    node.holder = holder->code;
    return node;
  }
  std::optional<geo::Level> level = geo::LevelOfCode(rest);
  if (!level) return std::nullopt;
  node.region = std::string(rest);
  if (head == "kpu" && *level == geo::Level::kProvince) {
    node.kind = NodeKind::kKpuProvince;
  } else if (head == "kpu" && *level == geo::Level::kRegency) {
    node.kind = NodeKind::kKpuRegency;
  } else if (head == "ppk" && *level == geo::Level::kDistrict) {
    node.kind = NodeKind::kPpk;
  } else if (head == "pps" && *level == geo::Level::kVillage) {
    node.kind = NodeKind::kPps;
  } else if (head == "kpps" && *level == geo::Level::kTps) {
    node.kind = NodeKind::kKpps;
  } else {
    return std::nullopt;
  }
  return node;
}

std::optional<geo::Level> NodeLevel(NodeKind kind) {
  switch (kind) {
    case NodeKind::kKpu:
      return geo::Level::kNational;
    case NodeKind::kKpuProvince:
      return geo::Level::kProvince;
    case NodeKind::kKpuRegency:
      return geo::Level::kRegency;
    case NodeKind::kPpk:
      return geo::Level::kDistrict;
    case NodeKind::kPps:
      return geo::Level::kVillage;
    case NodeKind::kKpps:
      return geo::Level::kTps;
    default:
      return std::nullopt;
  }
}

std::string NodeForRegion(std::string_view region_code) {
  if (region_code.empty()) return "kpu";
  switch (geo::LevelOfCode(region_code).value_or(geo::Level::kNational)) {
    case geo::Level::kProvince:
    case geo::Level::kRegency:
      return "kpu:" + std::string(region_code);
    case geo::Level::kDistrict:
      return "ppk:" + std::string(region_code);
    case geo::Level::kVillage:
      return "pps:" + std::string(region_code);
    case geo::Level::kTps:
      return "kpps:" + std::string(region_code);
    default:
      return "";
  }
}

bool IsCommittee(NodeKind kind) { return NodeLevel(kind).has_value(); }

bool IsWarehouse(NodeKind kind) {
  return kind == NodeKind::kKpu || kind == NodeKind::kKpuProvince || kind == NodeKind::kKpuRegency;
}

bool Downward(const Node& from, const Node& to) {
  std::optional<geo::Level> upper = NodeLevel(from.kind), lower = NodeLevel(to.kind);
  if (!upper || !lower || static_cast<int>(*lower) != static_cast<int>(*upper) + 1) return false;
  return from.region.empty() || geo::ParentCode(to.region) == from.region;
}

bool Adjacent(const Node& from, const Node& to) { return Downward(from, to) || Downward(to, from); }

}  // namespace tepat::ledger
