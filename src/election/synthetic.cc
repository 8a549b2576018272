// The demo's profile of an election, from the [synthetic] table of its file.
#include "election/synthetic.h"

#include <map>
#include <string>

namespace tepat::election {

void ReadSyntheticProfile(TomlReader& reader, const toml::table& root, const Definition& def,
                          geo::SyntheticProfile& profile) {
  if (const toml::node* node = root.get("synthetic")) {
    const toml::table* t = node->as_table();
    if (!t) {
      reader.Problem(node, 1, "synthetic", "expected a table ([synthetic])");
    } else {
      const int line = static_cast<int>(t->source().begin.line);
      reader.Keys(*t, "synthetic.",
                  {"tps", "dpt", "dpt_l", "disabled_per_100000", "province_tps", "province_dpt", "dapil", "source"});
      profile.tps = reader.Integer(*t, "synthetic.", "tps", true, line);
      profile.dpt = reader.Integer(*t, "synthetic.", "dpt", true, line);
      profile.dpt_l = reader.Integer(*t, "synthetic.", "dpt_l", false, line);
      profile.disabled_per_100000 = reader.Integer(*t, "synthetic.", "disabled_per_100000", false, line);
      profile.source = reader.String(*t, "synthetic.", "source", false, line);
      auto counts = [&](std::string_view key, std::map<std::string, int64_t>& out, bool provinces) {
        const toml::node* sub = t->get(key);
        if (!sub) return;
        const toml::table* table = sub->as_table();
        if (!table) {
          reader.Problem(sub, line, "synthetic." + std::string(key), "expected a table of counts");
          return;
        }
        for (const auto& [name, value] : *table) {
          std::string where = "synthetic." + std::string(key) + "." + std::string(name.str());
          if (provinces && geo::LevelOfCode(name.str()) != geo::Level::kProvince) {
            reader.Problem(&value, line, where, "expected a province code as the key");
          } else if (!provinces && !def.FindContest(name.str())) {
            reader.Problem(&value, line, where, "unknown contest");
          }
          if (auto number = WholeNumber(value); number && *number >= 0) {
            out[std::string(name.str())] = *number;
          } else {
            reader.Problem(&value, line, where, "expected a whole number of 0 or more");
          }
        }
      };
      counts("province_tps", profile.province_tps, true);
      counts("province_dpt", profile.province_dpt, true);
      counts("dapil", profile.dapil_count, false);
    }
  }
  profile.voter_cap = def.tps_voter_cap;
}

Result<geo::SyntheticProfile> ParseSyntheticProfile(std::string_view file, std::string_view text,
                                                    const Definition& def) {
  const toml::table root = TRY(ParseToml(file, text));
  ProblemList problems;
  TomlReader reader(file, problems);
  geo::SyntheticProfile profile;
  ReadSyntheticProfile(reader, root, def, profile);
  if (!problems.empty()) return problems.ToError(std::string(file) + ": the [synthetic] table was refused");
  return profile;
}

Result<geo::SyntheticProfile> BuiltinSyntheticProfile(std::string_view id) {
  const Definition def = TRY(LoadBuiltin(id));
  return ParseSyntheticProfile(def.file, TRY(BuiltinText(id)), def);
}

}  // namespace tepat::election
