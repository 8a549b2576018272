#include "sim/plan.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/csv.h"
#include "common/random.h"
#include "common/time.h"
#include "common/toml_text.h"

namespace tepat::sim {

namespace {

using geo::Level;

constexpr int64_t kDay = 86400;

// The code of the place a node's goods come from in the hierarchy: a TPS's village, a village's district, a
// district's regency; "" for a regency.
std::string_view ParentNode(std::string_view code) {
  return geo::LevelOfCode(code) == Level::kRegency ? std::string_view() : geo::ParentCode(code);
}

int OffsetOf(std::string_view code) { return ProvinceUtcOffsetMinutes(code.substr(0, 2)); }

// The latest 07:00 local at or before `t`.
int64_t Floor0700(int64_t t, int offset_minutes) {
  const int64_t local = t + offset_minutes * 60;
  int64_t day = local / kDay - (local % kDay < 0 ? 1 : 0);
  int64_t at = day * kDay + 7 * 3600;
  if (at > local) at -= kDay;
  return at - offset_minutes * 60;
}

// A buffer planners keep between the nominal arrival and the time the goods are needed, by mode.
int64_t SlackSeconds(Mode mode) {
  switch (mode) {
    case Mode::kTruck:
    case Mode::kCar:
    case Mode::kMotorbike:
      return 4 * 3600;
    case Mode::kHelicopter:
    case Mode::kAircraft:
      return 24 * 3600;
    default:
      return 12 * 3600;
  }
}

double Between(uint64_t key, uint64_t salt, double low, double high) {
  const double u = static_cast<double>(Mix(key ^ Mix(salt)) >> 11) * 0x1.0p-53;
  return std::round((low + (high - low) * u) * 10) / 10;
}

}  // namespace

Result<Plan> ParsePlanCsv(std::string_view file, std::string_view text, const readiness::Board& board) {
  const geo::RegionSet& regions = board.regions();
  CsvReader reader(text);
  std::vector<std::string_view> fields;
  ProblemList problems;
  if (!reader.Next(fields)) {
    return InvalidInput(std::string(file) + ": empty plan (expected the header to,from,mode,km,dispatch_at)");
  }
  const CsvHeader header =
      CsvHeader::Bind(file, fields, {"to", "from", "mode", "km", "dispatch_at"}, {"trip", "stop"}, problems);
  if (!problems.empty()) return problems.ToError(std::string(file) + ": not a distribution plan");
  Plan plan;
  std::unordered_map<int64_t, size_t> line_of;  // the key of `to` → its line
  std::vector<size_t> lines;
  while (!problems.full() && reader.Next(fields)) {
    const size_t line = reader.line();
    if (!reader.error().empty()) {
      problems.AddAt(file, line, "", reader.error());
      break;
    }
    if (fields.size() != header.width()) {
      problems.AddAt(file, line, "",
                     "expected " + std::to_string(header.width()) + " fields, found " + std::to_string(fields.size()));
      continue;
    }
    auto field = [&](std::string_view column) {
      const int i = header.index(column);
      return i < 0 ? std::string_view() : fields[i];
    };
    Leg leg;
    leg.to = std::string(field("to"));
    leg.from = std::string(field("from"));
    const std::optional<Level> level = geo::LevelOfCode(leg.to);
    const bool known = level == Level::kTps                 ? board.FindTps(leg.to) >= 0
                       : level && *level >= Level::kRegency ? regions.Find(leg.to) >= 0
                                                            : false;
    if (!known) {
      problems.AddAt(file, line, "to", "'" + leg.to + "' is not a regency, district, village or TPS of the election");
      continue;
    }
    std::optional<Mode> mode = ParseMode(field("mode"));
    if (!mode) {
      problems.AddAt(file, line, "mode",
                     "unknown mode '" + std::string(field("mode")) +
                         "' (expected ready, truck, car, motorbike, boat, speedboat, aircraft, helicopter or foot)");
      continue;
    }
    leg.mode = *mode;
    if (!ParseDecimal(field("km"), leg.km) || leg.km < 0 || leg.km > 5000) {
      problems.AddAt(file, line, "km",
                     "expected a distance in km from 0 to 5000, found '" + std::string(field("km")) + "'");
      continue;
    }
    if (!field("dispatch_at").empty()) {
      std::optional<int64_t> at = ParseInstant(field("dispatch_at"));
      if (!at) {
        problems.AddAt(file, line, "dispatch_at",
                       "expected a time with its offset (2024-02-13T07:00+09:00), found '" +
                           std::string(field("dispatch_at")) + "'");
        continue;
      }
      leg.dispatch_at = *at;
    }
    leg.trip = std::string(field("trip"));
    if (leg.trip.empty() && !field("stop").empty()) {
      problems.AddAt(file, line, "stop", "a stop number needs its trip");
      continue;
    }
    if (!leg.trip.empty()) {
      int64_t stop = 0;
      if (!ParseInt(field("stop"), stop) || stop < 1 || stop > 1000) {
        problems.AddAt(file, line, "stop", "a leg on a trip needs its stop number, 1 to 1000");
        continue;
      }
      leg.stop = static_cast<int32_t>(stop);
    }
    const std::string_view parent = ParentNode(leg.to);
    if (leg.mode == Mode::kReady || leg.from.empty()) {
      if (level != Level::kRegency || leg.mode != Mode::kReady || !leg.from.empty()) {
        problems.AddAt(file, line, leg.from.empty() ? "from" : "mode",
                       "only a regency's root leg has no 'from', and its mode is 'ready'");
        continue;
      }
      if (leg.dispatch_at == 0) {
        problems.AddAt(file, line, "dispatch_at", "a root leg needs the time its kits are ready at the warehouse");
        continue;
      }
    } else if (leg.from != parent &&
               !(!leg.trip.empty() && geo::LevelOfCode(leg.from) == level && ParentNode(leg.from) == parent)) {
      problems.AddAt(file, line, "from",
                     "the goods for " + leg.to + " come from " + std::string(parent) +
                         " (or, on a trip, from another stop of it), not from " + leg.from);
      continue;
    }
    if (auto [it, inserted] = line_of.emplace(geo::RegionKey(leg.to), line); !inserted) {
      problems.AddAt(file, line, "to", leg.to + " already has a leg, at line " + std::to_string(it->second));
      continue;
    }
    plan.legs.push_back(std::move(leg));
    lines.push_back(line);
  }
  // Every `from` must itself be reached by a leg.
  for (size_t i = 0; i < plan.legs.size() && !problems.full(); ++i) {
    const Leg& leg = plan.legs[i];
    if (!leg.from.empty() && !line_of.contains(geo::RegionKey(leg.from))) {
      problems.AddAt(file, lines[i], "from", leg.from + " has no leg of its own: nothing reaches it");
    }
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": not a valid distribution plan");
  return plan;
}

void WritePlanCsv(const Plan& plan, std::string& out) {
  out += "to,from,mode,km,dispatch_at,trip,stop\n";
  char km[32];
  for (const Leg& leg : plan.legs) {
    out += leg.to;
    out += ',';
    out += leg.from;
    out += ',';
    out += ModeName(leg.mode);
    out += ',';
    const auto [end, error] = std::to_chars(km, km + sizeof km, leg.km);  // the shortest form that reads back
    out.append(km, error == std::errc() ? end : km);
    out += ',';
    if (leg.dispatch_at != 0) out += FormatInstant(leg.dispatch_at, OffsetOf(leg.to));
    out += ',';
    AppendCsvField(out, leg.trip);
    out += ',';
    if (!leg.trip.empty()) out += std::to_string(leg.stop);
    out += '\n';
  }
}

Plan GeneratePlan(const readiness::Board& board, const Model& model, int32_t region) {
  const geo::RegionSet& regions = board.regions();
  const int64_t voting_day = ParseDate(board.definition().voting_day).value_or(0);
  auto morning = [&](int days_before, int offset) {
    return (voting_day - days_before) * kDay + 7 * 3600 - offset * 60;
  };

  // TPS by village, villages by district, districts by regency: the board keeps TPS sorted by village.
  struct Village {
    int32_t index;
    std::vector<size_t> tps;
  };
  std::map<int32_t, std::map<int32_t, std::vector<Village>>> tree;  // regency → district → villages
  for (size_t i = 0; i < board.tps_count(); ++i) {
    const int32_t village = board.tps(i).village;
    if (region >= 0 && !regions.Within(village, region)) continue;
    auto& villages = tree[regions.Ancestor(village, Level::kRegency)][regions.Ancestor(village, Level::kDistrict)];
    if (villages.empty() || villages.back().index != village) villages.push_back({village, {}});
    villages.back().tps.push_back(i);
  }

  Plan plan;
  for (const auto& [regency, districts] : tree) {
    const std::string& regency_code = regions.at(regency).code;
    const int offset = OffsetOf(regency_code);
    std::vector<Leg> legs;  // this regency's, root first once known
    int64_t earliest_ppk = morning(6, offset);
    for (const auto& [district, villages] : districts) {
      const std::string& district_code = regions.at(district).code;
      std::array<int, 6> by_access{};
      int64_t earliest_pps = morning(3, offset);
      const size_t first_pps_leg = legs.size();
      std::vector<size_t> road;  // villages reached by road, served by trucks on trips
      for (size_t v = 0; v < villages.size(); ++v) {
        const Village& village = villages[v];
        const std::string& village_code = regions.at(village.index).code;
        const geo::Tps& sample = board.tps(village.tps.front());
        by_access[static_cast<int>(sample.access)]++;
        const uint64_t key = static_cast<uint64_t>(geo::RegionKey(village_code));
        // Legs to the TPS: car trips of up to four in road villages, on foot or by motorbike elsewhere.
        int64_t earliest_tps = morning(1, offset);
        const bool by_road = sample.access == geo::Access::kRoad || sample.access == geo::Access::kUnknown;
        const Mode local = by_road ? Mode::kCar
                           : (sample.access == geo::Access::kAir || sample.access == geo::Access::kFoot)
                               ? Mode::kFoot
                               : Mode::kMotorbike;
        for (size_t t = 0; t < village.tps.size(); t += by_road ? 4 : 1) {
          const size_t stops = by_road ? std::min<size_t>(4, village.tps.size() - t) : 1;
          int64_t travelled = 0, latest = INT64_MAX;
          const size_t first = legs.size();
          for (size_t s = 0; s < stops; ++s) {
            const size_t tps = village.tps[t + s];
            Leg leg;
            leg.to = geo::TpsCode(regions, board.tps(tps));
            leg.from = s == 0 ? village_code : legs.back().to;
            leg.mode = local;
            leg.km = s == 0 ? Between(key, tps, 0.5, local == Mode::kFoot ? 6 : 4) : Between(key, tps, 0.3, 2);
            travelled += static_cast<int64_t>(model.NominalMinutes(local, leg.km)) * 60;
            latest = std::min(latest, board.Deadline(tps) - SlackSeconds(local) - travelled);
            if (stops > 1) {
              leg.trip = leg.to.substr(0, leg.to.size() - 4) + "/" + std::to_string(t / 4 + 1);
              leg.stop = static_cast<int32_t>(s + 1);
            }
            legs.push_back(std::move(leg));
          }
          legs[first].dispatch_at = std::min(morning(1, offset), Floor0700(latest, offset));
          earliest_tps = std::min(earliest_tps, legs[first].dispatch_at);
        }
        // The leg to the PPS, by the village's access.
        Leg leg;
        leg.to = village_code;
        leg.from = district_code;
        const double hours = std::isnan(sample.travel_hours) ? 1.0 : sample.travel_hours;
        switch (sample.access) {
          case geo::Access::kRiver:
            leg.mode = Mode::kBoat;
            break;
          case geo::Access::kSea:
            leg.mode = hours <= 6 ? Mode::kSpeedboat : Mode::kBoat;
            break;
          case geo::Access::kAir:
            leg.mode = Mode::kHelicopter;
            break;
          case geo::Access::kFoot:
            leg.mode = Mode::kFoot;
            break;
          default:
            leg.mode = Mode::kTruck;
        }
        const ModeModel& m = model.modes[static_cast<int>(leg.mode)];
        leg.km = std::max(1.0, std::round(hours * m.speed_kmh * 10) / 10);
        leg.dispatch_at = earliest_tps - static_cast<int64_t>(model.NominalMinutes(leg.mode, leg.km)) * 60 -
                          SlackSeconds(leg.mode);  // the latest departure, made a time below
        if (leg.mode == Mode::kTruck) road.push_back(legs.size());
        legs.push_back(std::move(leg));
      }
      // Road villages: trucks of up to three stops, in code order; each stop after the first leaves from the one
      // before. Other villages: their own leg.
      for (size_t r = 0; r < road.size(); r += 3) {
        const size_t stops = std::min<size_t>(3, road.size() - r);
        int64_t travelled = 0, latest = INT64_MAX;
        for (size_t s = 0; s < stops; ++s) {
          Leg& leg = legs[road[r + s]];
          if (s > 0) {
            leg.from = legs[road[r + s - 1]].to;
            leg.km = std::max(1.0, std::round(leg.km * 5) / 10);
          }
          if (stops > 1) {
            leg.trip = district_code + "/" + std::to_string(r / 3 + 1);
            leg.stop = static_cast<int32_t>(s + 1);
          }
          const int64_t nominal = static_cast<int64_t>(model.NominalMinutes(leg.mode, leg.km)) * 60;
          travelled += nominal;
          // dispatch_at holds the stop's latest departure on a leg of its own; on the trip it must be reached by then.
          latest = std::min(latest, leg.dispatch_at + nominal - travelled);
          leg.dispatch_at = 0;
        }
        legs[road[r]].dispatch_at = latest;
      }
      for (size_t i = first_pps_leg; i < legs.size(); ++i) {
        Leg& leg = legs[i];
        if (geo::LevelOfCode(leg.to) != Level::kVillage || leg.dispatch_at == 0) continue;
        leg.dispatch_at = std::min(morning(3, offset), Floor0700(leg.dispatch_at, offset));
        earliest_pps = std::min(earliest_pps, leg.dispatch_at);
      }
      // The leg to the PPK, by how most of the district is reached.
      Leg leg;
      leg.to = district_code;
      leg.from = regency_code;
      const uint64_t key = static_cast<uint64_t>(geo::RegionKey(district_code));
      const int n = static_cast<int>(villages.size());
      if (2 * by_access[static_cast<int>(geo::Access::kAir)] >= n) {
        leg.mode = Mode::kAircraft;
        leg.km = Between(key, 1, 60, 250);
      } else if (2 * by_access[static_cast<int>(geo::Access::kSea)] >= n) {
        leg.mode = Mode::kSpeedboat;
        leg.km = Between(key, 1, 20, 120);
      } else if (2 * by_access[static_cast<int>(geo::Access::kRiver)] >= n) {
        leg.mode = Mode::kBoat;
        leg.km = Between(key, 1, 20, 100);
      } else {
        leg.mode = Mode::kTruck;
        leg.km = Between(key, 1, 5, 80);
      }
      const int64_t latest =
          earliest_pps - static_cast<int64_t>(model.NominalMinutes(leg.mode, leg.km)) * 60 - SlackSeconds(leg.mode);
      leg.dispatch_at = std::min(morning(6, offset), Floor0700(latest, offset));
      earliest_ppk = std::min(earliest_ppk, leg.dispatch_at);
      legs.push_back(std::move(leg));
    }
    Leg root;
    root.to = regency_code;
    root.mode = Mode::kReady;
    root.dispatch_at = std::min(morning(8, offset), Floor0700(earliest_ppk - 12 * 3600, offset));
    plan.legs.push_back(std::move(root));
    // Legs in the order of the hierarchy: each district, then its villages, then their TPS.
    std::stable_sort(legs.begin(), legs.end(), [](const Leg& a, const Leg& b) {
      const std::optional<Level> la = geo::LevelOfCode(a.to), lb = geo::LevelOfCode(b.to);
      return la != lb ? la < lb : false;
    });
    for (Leg& leg : legs) plan.legs.push_back(std::move(leg));
  }
  return plan;
}

Result<std::vector<Change>> ParseChanges(std::string_view file, std::string_view text, const geo::RegionSet& regions) {
  toml::table root = TRY(ParseToml(file, text));
  ProblemList problems;
  TomlReader reader(file, problems);
  reader.Keys(root, "", {"change"});
  const toml::array* list = root["change"].as_array();
  if (!list || list->empty()) {
    return InvalidInput(std::string(file) + ": no change (expected [[change]] tables, docs/simulation.md)");
  }
  std::vector<Change> changes;
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::table* table = (*list)[i].as_table();
    const std::string where = "change[" + std::to_string(i + 1) + "].";
    if (!table) {
      problems.AddAt(file, 1, where, "expected a table");
      continue;
    }
    const int line = static_cast<int>(table->source().begin.line);
    reader.Keys(*table, where, {"what", "region", "leg", "modes", "days", "hours", "to", "from"});
    // A problem with a field is reported on the field's own line (the table's when it is missing).
    auto at = [&](std::string_view key) {
      const toml::node* node = table->get(key);
      return node ? static_cast<int>(node->source().begin.line) : line;
    };
    Change change;
    const std::string what = reader.String(*table, where, "what", true, line);
    change.exact = table->contains("leg");
    if (change.exact && table->contains("region")) {
      problems.AddAt(file, at("leg"), where + "leg", "give region or leg, not both");
    }
    const std::string_view key = change.exact ? "leg" : "region";
    change.region = reader.String(*table, where, key, true, line);
    const toml::node* region = table->get(key);
    if (region && region->is_string() && regions.Find(change.region) < 0 &&
        geo::LevelOfCode(change.region) != Level::kTps) {
      problems.AddAt(file, at(key), where + std::string(key), "unknown region '" + change.region + "'");
    }
    for (const std::string& name : reader.Strings(*table, where, "modes")) {
      std::optional<Mode> mode = ParseMode(name);
      if (!mode) {
        problems.AddAt(file, at("modes"), where + "modes", "unknown mode '" + name + "'");
      } else {
        change.modes.push_back(*mode);
      }
    }
    const double days = reader.Number(*table, where, "days", false, line, 0, 0, 60);
    const double hours = reader.Number(*table, where, "hours", false, line, 0, 0, 60 * 24);
    change.seconds = static_cast<int64_t>(std::llround(days * kDay + hours * 3600));
    auto needs_time = [&] {
      if (change.seconds <= 0)
        problems.AddAt(file, at(table->contains("days") ? "days" : "hours"), where + "days",
                       "say how long: days or hours, above 0");
    };
    std::string span = days > 0 ? FormatNumber(days) + (days == 1 ? " day" : " days") : "";
    if (hours > 0 || days == 0) {
      span += (span.empty() ? "" : " ") + FormatNumber(hours) + (hours == 1 ? " hour" : " hours");
    }
    if (what == "advance") {
      change.kind = Change::Kind::kAdvance;
      needs_time();
      change.label = "dispatch " + change.region + " " + span + " earlier";
    } else if (what == "vendor_delay") {
      change.kind = Change::Kind::kVendorDelay;
      needs_time();
      change.label = "kits of " + change.region + " ready " + span + " later";
    } else if (what == "mode") {
      change.kind = Change::Kind::kMode;
      for (const char* key : {"days", "hours"}) {
        if (table->contains(key)) {
          problems.AddAt(file, at(key), where + key, "a change of mode lasts the whole plan: it takes no " +
                                                         std::string(key));
        }
      }
      std::optional<Mode> to = ParseMode(reader.String(*table, where, "to", true, line));
      if (!to || *to == Mode::kReady) {
        problems.AddAt(file, at("to"), where + "to", "expected the new transport mode");
      } else {
        change.to_mode = *to;
      }
      std::string from;
      for (Mode m : change.modes) from += (from.empty() ? "" : "/") + std::string(ModeName(m));
      change.label = (from.empty() ? "legs" : from + " legs") + " to " + change.region + " by " +
                     std::string(ModeName(change.to_mode));
    } else if (what == "close") {
      change.kind = Change::Kind::kClose;
      needs_time();
      std::optional<int64_t> from = ParseInstant(reader.String(*table, where, "from", true, line));
      if (!from) {
        problems.AddAt(file, at("from"), where + "from", "expected a time with its offset (2024-02-09T00:00+07:00)");
      } else {
        change.from = *from;
      }
      if (change.modes.empty()) change.modes = {Mode::kTruck, Mode::kCar, Mode::kMotorbike};
      change.label = "close " + change.region + " for " + span;
    } else if (const toml::node* given = table->get("what"); given && given->is_string()) {  // "" too
      problems.AddAt(file, at("what"), where + "what",
                     "unknown change '" + what + "' (expected advance, mode, close or vendor_delay)");
    }
    changes.push_back(std::move(change));
  }
  if (!problems.empty()) return problems.ToError(std::string(file) + ": not a valid what-if");
  return changes;
}

std::string WriteChanges(const std::vector<Change>& changes) {
  std::string out;
  for (const Change& change : changes) {
    out += "# " + change.label + "\n[[change]]\n";
    switch (change.kind) {
      case Change::Kind::kAdvance:
        out += "what = \"advance\"\n";
        break;
      case Change::Kind::kVendorDelay:
        out += "what = \"vendor_delay\"\n";
        break;
      case Change::Kind::kMode:
        out += "what = \"mode\"\nto = \"" + std::string(ModeName(change.to_mode)) + "\"\n";
        break;
      case Change::Kind::kClose:
        out += "what = \"close\"\nfrom = \"" + FormatInstant(change.from, OffsetOf(change.region)) + "\"\n";
        break;
    }
    out += std::string(change.exact ? "leg" : "region") + " = \"" + change.region + "\"\n";
    if (!change.modes.empty()) {
      out += "modes = [";
      for (size_t i = 0; i < change.modes.size(); ++i) {
        out += (i ? ", \"" : "\"") + std::string(ModeName(change.modes[i])) + "\"";
      }
      out += "]\n";
    }
    if (change.kind != Change::Kind::kMode) {
      // Whole days as days, up to the 60 a file may give, the rest as hours (up to 1,440), written in the shortest
      // form that reads back as the same seconds.
      const int64_t days = std::min<int64_t>(change.seconds / kDay, 60), rest = change.seconds - days * kDay;
      if (days > 0) out += "days = " + std::to_string(days) + "\n";
      if (rest > 0 || days == 0) {
        char hours[32];
        const auto [end, error] = std::to_chars(hours, hours + sizeof hours, rest / 3600.0);
        out += "hours = " + std::string(hours, error == std::errc() ? end : hours) + "\n";
      }
    }
    out += "\n";
  }
  return out;
}

Status ApplyChanges(const std::vector<Change>& changes, Plan& plan, std::string_view within) {
  auto in_scope = [&](std::string_view code) {
    return within.empty() || code == within ||
           (code.size() > within.size() && code.starts_with(within) && code[within.size()] == '.') ||
           (within.size() > code.size() && within.starts_with(code) && within[code.size()] == '.');
  };
  for (const Change& change : changes) {
    size_t selected = 0;
    for (Leg& leg : plan.legs) {
      if (!(leg.to == change.region || (!change.exact && leg.to.size() > change.region.size() &&
                                        leg.to.starts_with(change.region) && leg.to[change.region.size()] == '.'))) {
        continue;
      }
      if (!change.modes.empty() &&
          std::find(change.modes.begin(), change.modes.end(), leg.mode) == change.modes.end()) {
        continue;
      }
      switch (change.kind) {
        case Change::Kind::kAdvance:
          if (leg.dispatch_at == 0) continue;
          leg.dispatch_at -= change.seconds;
          break;
        case Change::Kind::kVendorDelay:
          if (leg.mode != Mode::kReady) continue;
          leg.dispatch_at += change.seconds;
          break;
        case Change::Kind::kMode:
          if (leg.mode == Mode::kReady) continue;
          leg.mode = change.to_mode;
          break;
        case Change::Kind::kClose:
          leg.closed_from = change.from;
          leg.closed_to = change.from + change.seconds;
          break;
      }
      selected += in_scope(leg.to);
    }
    if (selected == 0) {
      return InvalidInput("what-if '" + change.label + "': no leg of the plan" +
                          (within.empty() ? std::string() : " within " + std::string(within)) + " matches it");
    }
  }
  return {};
}

}  // namespace tepat::sim
