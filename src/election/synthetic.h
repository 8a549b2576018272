// The demo's profile of an election: the national figures (TPS and DPT per province, dapil per contest) from which
// `tepat generate` draws synthetic TPS and dapil. It is kept in the election file's [synthetic] table, beside the
// definition, but is not part of the election (Definition): only the demo, the benchmarks and the tests use it.
#pragma once

#include <string_view>

#include "common/result.h"
#include "common/toml_text.h"
#include "election/definition.h"
#include "geo/synthetic.h"

namespace tepat::election {

// The [synthetic] table of an election file read from `text`, whose definition is `def`; its voter cap is the
// election's tps_voter_cap. Errors name the file, the line and what was expected.
Result<geo::SyntheticProfile> ParseSyntheticProfile(std::string_view file, std::string_view text,
                                                    const Definition& def);
// The profile of a built-in election.
Result<geo::SyntheticProfile> BuiltinSyntheticProfile(std::string_view id);

// Reads `root`'s [synthetic] table, when there is one, into `profile`, its problems to `reader`: how ParseDefinition
// checks the table with the rest of the file.
void ReadSyntheticProfile(TomlReader& reader, const toml::table& root, const Definition& def,
                          geo::SyntheticProfile& profile);

}  // namespace tepat::election
