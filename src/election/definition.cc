// Reading and checking election definitions (TOML through toml++).
#include "election/definition.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "common/toml_text.h"
#include "election/synthetic.h"

namespace tepat::election {

namespace {

constexpr std::string_view kVariantByNames[] = {"national", "province", "regency", "dapil"};
constexpr std::string_view kForEachNames[] = {"once", "contest", "variant"};

bool IsCode(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9');
  });
}

using Reader = TomlReader;

template <size_t N>
int Choose(Reader& reader, const toml::table& table, std::string_view where, std::string_view key,
           const std::string_view (&names)[N], int fallback, int line) {
  const toml::node* node = table.get(key);
  if (!node) return fallback;
  auto value = node->value<std::string>();
  for (size_t i = 0; value && i < N; ++i) {
    if (names[i] == *value) return static_cast<int>(i);
  }
  std::string list;
  for (std::string_view name : names) list += (list.empty() ? "" : ", ") + std::string(name);
  reader.Problem(node, line, std::string(where) + std::string(key), "expected one of " + list);
  return fallback;
}

// The largest quantity a rule may give, and the largest voter cap: sums of quantities over the nation stay far from
// the limit of int64.
constexpr int64_t kMaxQuantity = 1'000'000'000;
constexpr int64_t kMaxVoterCap = 1'000'000;
constexpr int64_t kMaxDays = INT32_MAX;

// A whole number of 0 or more, up to `max`; above it a problem (not a number cut to fit), and `fallback`.
int64_t AtMost(Reader& reader, const toml::table& table, std::string_view where, std::string_view key, bool required,
               int line, int64_t fallback, int64_t max) {
  const int64_t value = reader.Integer(table, where, key, required, line, fallback);
  if (value <= max) return value;
  reader.Problem(table.get(key), line, std::string(where) + std::string(key),
                 "expected at most " + std::to_string(max));
  return fallback;
}

// "2" → 2/100, "2.5" → 25/1000: an exact fraction for a percentage written in decimal, with at most 9 decimals.
bool ParsePercent(std::string_view text, int64_t& numerator, int64_t& denominator) {
  numerator = 0;
  denominator = 100;
  bool point = false;
  // Digits, optionally a point and more digits: "2", "2.5"; not "", ".", "2." or ".5".
  const size_t dot = text.find('.');
  if (text.empty() || dot == 0 || dot + 1 == text.size()) return false;
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      if (numerator > 1'000'000'000) return false;
      numerator = numerator * 10 + (c - '0');
      if (point && denominator >= 100'000'000'000) return false;
      if (point) denominator *= 10;
    } else {
      return false;
    }
  }
  return true;
}

std::string Where(std::string_view array, size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "].";
}

}  // namespace

std::string_view VariantByName(VariantBy by) { return kVariantByNames[static_cast<int>(by)]; }

size_t Definition::SupplierOf(std::string_view item) const {
  for (size_t v = 0; v < vendors.size(); ++v) {
    if (std::find(vendors[v].supplies.begin(), vendors[v].supplies.end(), item) != vendors[v].supplies.end()) return v;
  }
  return vendors.size() - 1;
}

geo::Level Procurement::BuyerOf(std::string_view item, std::string_view contest) const {
  for (const auto& [code, level] : by_item) {
    if (code == item) return level;
  }
  for (const auto& [code, level] : by_contest) {
    if (!contest.empty() && code == contest) return level;
  }
  return buyer;
}

std::string_view ForEachName(ForEach each) { return kForEachNames[static_cast<int>(each)]; }
std::string_view CategoryName(Category category) {
  return category == Category::kVoting ? "perlengkapan_pemungutan_suara" : "dukungan_perlengkapan_lainnya";
}
std::string_view CategoryNameId(Category category) {
  return category == Category::kVoting ? "Perlengkapan Pemungutan Suara" : "Dukungan Perlengkapan Lainnya";
}

const Contest* Definition::FindContest(std::string_view code) const {
  for (const Contest& contest : contests) {
    if (contest.code == code) return &contest;
  }
  return nullptr;
}

const Item* Definition::FindItem(std::string_view code) const {
  for (const Item& item : items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

bool Definition::Held(const Contest& contest, std::string_view province) {
  return std::find(contest.not_held_in.begin(), contest.not_held_in.end(), province) == contest.not_held_in.end();
}

std::vector<geo::DapilContest> Definition::DapilContests() const {
  std::vector<geo::DapilContest> out;
  for (const Contest& contest : contests) {
    if (contest.variant_by == VariantBy::kDapil)
      out.push_back({contest.code, contest.dapil_within, contest.not_held_in});
  }
  return out;
}

namespace {

// [procurement]: buyer (the default level), by_contest and by_item (tables of code = level), source.
void ReadProcurement(Reader& reader, const toml::table& root, Definition& def) {
  const toml::node* node = root.get("procurement");
  if (!node) return;
  const toml::table* t = node->as_table();
  if (!t) {
    reader.Problem(node, 1, "procurement", "expected a table ([procurement])");
    return;
  }
  const int line = static_cast<int>(t->source().begin.line);
  constexpr std::string_view kBuyers[] = {"national", "province", "regency"};
  reader.Keys(*t, "procurement.", {"buyer", "by_contest", "by_item", "source"});
  def.procurement.buyer = static_cast<geo::Level>(Choose(reader, *t, "procurement.", "buyer", kBuyers, 0, line));
  def.procurement.source = reader.String(*t, "procurement.", "source", false, line);
  auto levels = [&](std::string_view key, auto&& known, std::vector<std::pair<std::string, geo::Level>>& out) {
    const toml::node* n = t->get(key);
    if (!n) return;
    const std::string where = "procurement." + std::string(key);
    const toml::table* codes = n->as_table();
    if (!codes) {
      reader.Problem(n, line, where, "expected a table of code = level (national, province or regency)");
      return;
    }
    for (const auto& [code, value] : *codes) {
      const std::string name(code.str());
      if (!known(name)) reader.Problem(&value, line, where + "." + name, "unknown code '" + name + "'");
      const auto level = value.template value<std::string>();
      const auto* found = std::find(std::begin(kBuyers), std::end(kBuyers), level.value_or(""));
      if (found == std::end(kBuyers)) {
        reader.Problem(&value, line, where + "." + name, "expected one of national, province, regency");
      } else {
        out.emplace_back(name, static_cast<geo::Level>(found - std::begin(kBuyers)));
      }
    }
  };
  levels("by_contest", [&](const std::string& code) { return def.FindContest(code) != nullptr; },
         def.procurement.by_contest);
  levels("by_item", [&](const std::string& code) { return def.FindItem(code) != nullptr; }, def.procurement.by_item);
}

}  // namespace

Result<Definition> ParseDefinition(std::string_view file, std::string_view text) {
  const toml::table root = TRY(ParseToml(file, text));
  ProblemList problems;
  Reader reader(file, problems);
  Definition def;
  def.file = std::string(file);
  reader.Keys(root, "",
              {"id", "name", "name_en", "voting_day", "tps_voter_cap", "deliver_days_before", "source", "contests",
               "items", "rules", "synthetic", "deadlines", "vendors", "procurement"});
  def.id = reader.String(root, "", "id", true, 1);
  def.name = reader.String(root, "", "name", true, 1);
  def.name_en = reader.String(root, "", "name_en", false, 1);
  def.source = reader.String(root, "", "source", false, 1);
  if (const toml::node* day = root.get("voting_day")) {
    if (auto date = day->value<toml::date>()) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date->year, date->month, date->day);
      def.voting_day = buffer;
    } else {
      reader.Problem(day, 1, "voting_day", "expected a date like 2024-02-14");
    }
  } else {
    reader.Problem(nullptr, 1, "voting_day", "required field is missing");
  }
  def.tps_voter_cap = static_cast<int32_t>(AtMost(reader, root, "", "tps_voter_cap", true, 1, 1, kMaxVoterCap));
  if (root.get("tps_voter_cap") && def.tps_voter_cap <= 0) {
    reader.Problem(root.get("tps_voter_cap"), 1, "tps_voter_cap", "expected a cap of at least 1 voter");
  }
  def.deliver_days_before =
      static_cast<int32_t>(AtMost(reader, root, "", "deliver_days_before", false, 1, 1, kMaxDays));

  auto tables = [&](std::string_view key, auto&& each) {
    const toml::node* node = root.get(key);
    if (!node) {
      reader.Problem(nullptr, 1, std::string(key), "required list of tables ([[" + std::string(key) + "]]) is missing");
      return;
    }
    const toml::array* array = node->as_array();
    if (!array || (!array->empty() && !array->is_array_of_tables())) {
      reader.Problem(node, 1, std::string(key), "expected a list of tables ([[" + std::string(key) + "]])");
      return;
    }
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::table& table = *array->get(i)->as_table();
      each(table, Where(key, i), static_cast<int>(table.source().begin.line));
    }
  };

  tables("contests", [&](const toml::table& t, const std::string& where, int line) {
    reader.Keys(t, where, {"code", "name", "name_en", "ballot_colour", "variant", "dapil_within", "not_held_in"});
    Contest contest;
    contest.code = reader.String(t, where, "code", true, line);
    contest.name = reader.String(t, where, "name", true, line);
    contest.name_en = reader.String(t, where, "name_en", false, line);
    contest.ballot_colour = reader.String(t, where, "ballot_colour", false, line);
    if (!t.get("variant")) reader.Problem(nullptr, line, where + "variant", "required field is missing");
    contest.variant_by = static_cast<VariantBy>(Choose(reader, t, where, "variant", kVariantByNames, 0, line));
    constexpr std::string_view kWithin[] = {"province", "regency"};
    if (contest.variant_by == VariantBy::kDapil) {
      if (!t.get("dapil_within"))
        reader.Problem(nullptr, line, where + "dapil_within", "required for variant = \"dapil\"");
      contest.dapil_within = Choose(reader, t, where, "dapil_within", kWithin, 0, line) == 0 ? geo::Level::kProvince
                                                                                             : geo::Level::kRegency;
    } else if (t.get("dapil_within")) {
      reader.Problem(t.get("dapil_within"), line, where + "dapil_within", "only for variant = \"dapil\"");
    }
    contest.not_held_in = reader.Strings(t, where, "not_held_in");
    for (const std::string& province : contest.not_held_in) {
      if (geo::LevelOfCode(province) != geo::Level::kProvince) {
        reader.Problem(t.get("not_held_in"), line, where + "not_held_in", "'" + province + "' is not a province code");
      }
    }
    if (def.FindContest(contest.code))
      reader.Problem(&t, line, where + "code", "contest '" + contest.code + "' appears twice");
    def.contests.push_back(std::move(contest));
  });

  tables("items", [&](const toml::table& t, const std::string& where, int line) {
    reader.Keys(t, where, {"code", "name", "name_en", "unit", "category", "source", "assumption", "pack"});
    Item item;
    item.code = reader.String(t, where, "code", true, line);
    if (t.get("code") && !IsCode(item.code)) {
      reader.Problem(t.get("code"), line, where + "code", "expected lower-case letters, digits and '_'");
    }
    item.name = reader.String(t, where, "name", true, line);
    item.name_en = reader.String(t, where, "name_en", false, line);
    item.unit = reader.String(t, where, "unit", true, line);
    constexpr std::string_view kCategories[] = {"perlengkapan_pemungutan_suara", "dukungan_perlengkapan_lainnya"};
    if (!t.get("category")) reader.Problem(nullptr, line, where + "category", "required field is missing");
    item.category = static_cast<Category>(Choose(reader, t, where, "category", kCategories, 0, line));
    item.source = reader.String(t, where, "source", false, line);
    item.assumption = reader.String(t, where, "assumption", false, line);
    item.pack = AtMost(reader, t, where, "pack", false, line, 1, kMaxQuantity);
    if (item.pack < 1) {
      reader.Problem(t.get("pack"), line, where + "pack", "expected a packing unit of 1 or more");
      item.pack = 1;
    }
    if (item.source.empty() && item.assumption.empty()) {
      reader.Problem(&t, line, where + "source", "every item names its source or its assumption");
    }
    if (def.FindItem(item.code)) reader.Problem(&t, line, where + "code", "item '" + item.code + "' appears twice");
    def.items.push_back(std::move(item));
  });

  tables("rules", [&](const toml::table& t, const std::string& where, int line) {
    reader.Keys(
        t, where,
        {"item", "at", "for_each", "contests", "fixed", "per_contest", "per_tps", "dpt", "reserve_percent", "note"});
    Rule rule;
    rule.line = line;
    rule.item = reader.String(t, where, "item", true, line);
    if (t.get("item") && !def.FindItem(rule.item)) {
      reader.Problem(t.get("item"), line, where + "item", "'" + rule.item + "' is not in [[items]]");
    }
    constexpr std::string_view kLevels[] = {"national", "province", "regency", "district", "village", "tps"};
    if (!t.get("at")) reader.Problem(nullptr, line, where + "at", "required field is missing");
    rule.at = static_cast<geo::Level>(Choose(reader, t, where, "at", kLevels, 5, line));
    rule.for_each = static_cast<ForEach>(Choose(reader, t, where, "for_each", kForEachNames, 0, line));
    if (rule.for_each == ForEach::kContest && rule.at != geo::Level::kTps) {
      reader.Problem(t.get("for_each"), line, where + "for_each",
                     "\"contest\" applies at = \"tps\"; use \"variant\" above");
    }
    if (rule.for_each == ForEach::kVariant && rule.at == geo::Level::kTps) {
      reader.Problem(t.get("for_each"), line, where + "for_each",
                     "\"variant\" applies above the TPS; use \"contest\" at a TPS");
    }
    rule.contests = reader.Strings(t, where, "contests");
    for (const std::string& code : rule.contests) {
      if (!def.FindContest(code))
        reader.Problem(t.get("contests"), line, where + "contests", "unknown contest '" + code + "'");
    }
    rule.fixed = AtMost(reader, t, where, "fixed", false, line, 0, kMaxQuantity);
    rule.per_contest = AtMost(reader, t, where, "per_contest", false, line, 0, kMaxQuantity);
    rule.per_tps = AtMost(reader, t, where, "per_tps", false, line, 0, kMaxQuantity);
    rule.dpt = AtMost(reader, t, where, "dpt", false, line, 0, kMaxQuantity);
    if (const toml::node* reserve = t.get("reserve_percent")) {
      auto text_value = reserve->value<std::string>();
      if (!text_value || !ParsePercent(*text_value, rule.reserve_numerator, rule.reserve_denominator)) {
        reader.Problem(reserve, line, where + "reserve_percent",
                       "expected a percentage as a string, like \"2\" or \"2.5\"");
      } else if (rule.at != geo::Level::kTps) {
        reader.Problem(reserve, line, where + "reserve_percent", "reserves are rounded up per TPS: only at = \"tps\"");
      }
    }
    if (rule.per_contest > 0 && rule.for_each != ForEach::kOnce) {
      reader.Problem(t.get("per_contest"), line, where + "per_contest", "only with for_each = \"once\"");
    }
    if (rule.fixed + rule.per_contest + rule.per_tps + rule.dpt + rule.reserve_numerator == 0 &&
        !t.get("reserve_percent")) {
      reader.Problem(&t, line, where.substr(0, where.size() - 1),
                     "the rule gives no quantity (set fixed, per_contest, per_tps, dpt or reserve_percent)");
    }
    rule.note = reader.String(t, where, "note", false, line);
    def.rules.push_back(std::move(rule));
  });

  if (const toml::node* node = root.get("deadlines")) {
    if (const toml::table* t = node->as_table()) {
      const int line = static_cast<int>(t->source().begin.line);
      reader.Keys(*t, "deadlines.", {"ppk", "pps"});
      def.ppk_days_before = static_cast<int32_t>(AtMost(reader, *t, "deadlines.", "ppk", false, line, 5, kMaxDays));
      def.pps_days_before = static_cast<int32_t>(AtMost(reader, *t, "deadlines.", "pps", false, line, 2, kMaxDays));
      if (def.pps_days_before < def.deliver_days_before || def.ppk_days_before < def.pps_days_before) {
        reader.Problem(node, line, "deadlines", "expected ppk >= pps >= deliver_days_before (days before voting day)");
      }
    } else {
      reader.Problem(node, 1, "deadlines", "expected a table ([deadlines])");
    }
  }
  if (root.get("vendors")) {
    tables("vendors", [&](const toml::table& t, const std::string& where, int line) {
      reader.Keys(t, where, {"code", "name", "supplies"});
      Vendor vendor;
      vendor.code = reader.String(t, where, "code", true, line);
      vendor.name = reader.String(t, where, "name", true, line);
      vendor.supplies = reader.Strings(t, where, "supplies");
      for (const std::string& item : vendor.supplies) {
        if (!def.FindItem(item))
          reader.Problem(t.get("supplies"), line, where + "supplies", "unknown item '" + item + "'");
      }
      def.vendors.push_back(std::move(vendor));
    });
  }

  ReadProcurement(reader, root, def);

  geo::SyntheticProfile synthetic;  // checked here, read by ParseSyntheticProfile
  ReadSyntheticProfile(reader, root, def, synthetic);

  if (!problems.empty()) return problems.ToError(std::string(file) + ": the election definition was refused");
  return def;
}

}  // namespace tepat::election
