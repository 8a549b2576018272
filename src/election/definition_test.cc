// Tests of election definitions: the built-in ones, and errors that name file, line and what was expected.
#include "election/definition.h"
#include "election/synthetic.h"

#include <gtest/gtest.h>

namespace tepat::election {

TEST(DefinitionTest, BuiltinsLoad) {
  EXPECT_EQ((std::vector<std::string>{"pemilu-2024", "pilkada-2024"}), BuiltinIds());
  auto pemilu = LoadBuiltin("pemilu-2024");
  ASSERT_TRUE(pemilu.ok()) << pemilu.error().ToString();
  const Definition& def = pemilu.value();
  EXPECT_EQ("2024-02-14", def.voting_day);
  EXPECT_EQ(300, def.tps_voter_cap);
  EXPECT_EQ(5u, def.contests.size());
  EXPECT_EQ(VariantBy::kDapil, def.FindContest("DPRD_KAB")->variant_by);
  EXPECT_EQ(geo::Level::kRegency, def.FindContest("DPRD_KAB")->dapil_within);
  EXPECT_FALSE(Definition::Held(*def.FindContest("DPRD_KAB"), "31"));
  EXPECT_TRUE(Definition::Held(*def.FindContest("DPRD_KAB"), "35"));
  EXPECT_EQ(3u, def.DapilContests().size());
  EXPECT_EQ(820161, BuiltinSyntheticProfile("pemilu-2024").value().tps);
  EXPECT_EQ(300, BuiltinSyntheticProfile("pemilu-2024").value().voter_cap);
  for (const Item& item : def.items) EXPECT_FALSE(item.source.empty() && item.assumption.empty()) << item.code;
  auto pilkada = LoadBuiltin("pilkada-2024");
  ASSERT_TRUE(pilkada.ok()) << pilkada.error().ToString();
  EXPECT_EQ(600, pilkada.value().tps_voter_cap);
  EXPECT_FALSE(Definition::Held(*pilkada.value().FindContest("GUBERNUR"), "34"));
}

TEST(DefinitionTest, ReservesAreExactFractions) {
  const Definition def = LoadBuiltin("pilkada-2024").value();
  const Rule& ballots = def.rules.front();
  EXPECT_EQ("surat_suara", ballots.item);
  EXPECT_EQ(25, ballots.reserve_numerator);
  EXPECT_EQ(1000, ballots.reserve_denominator);
}

TEST(DefinitionTest, PercentagesMustBeWrittenWhole) {
  for (const char* bad : {".", "2.", ".5", "2,5", "-1", "two"}) {
    std::string text =
        "id = \"t\"\nname = \"t\"\nvoting_day = 2024-01-01\ntps_voter_cap = 1\n"
        "contests = []\n[[items]]\ncode = \"a\"\nname = \"a\"\nunit = \"u\"\n"
        "category = \"perlengkapan_pemungutan_suara\"\nsource = \"s\"\n"
        "[[rules]]\nitem = \"a\"\nat = \"tps\"\nreserve_percent = \"" +
        std::string(bad) + "\"\n";
    auto result = ParseDefinition("p.toml", text);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(std::string::npos, result.error().ToString().find("p.toml:15: rules[0].reserve_percent"))
        << bad << "\n"
        << result.error().ToString();
  }
}

TEST(DefinitionTest, QuantitiesCapsAndPercentagesAreBounded) {
  // Confirmed with fuzz/election_fuzzer (fuzz/corpus/election/): a reserve of 22 decimals overflowed its denominator,
  // two quantities near the limit of int64 overflowed when added, and a quantity of 2^62 per TPS overflowed the needs;
  // a cap above int32 was cut to fit (4294967297 read as 1).
  const std::string text =
      "id = \"t\"\nname = \"t\"\nvoting_day = 2024-01-01\ntps_voter_cap = 4294967297\n"
      "contests = []\n[[items]]\ncode = \"a\"\nname = \"a\"\nunit = \"u\"\n"
      "category = \"perlengkapan_pemungutan_suara\"\nsource = \"s\"\n"
      "[[rules]]\nitem = \"a\"\nat = \"tps\"\nreserve_percent = \"0.0000000000000000000001\"\n"
      "[[rules]]\nitem = \"a\"\nat = \"tps\"\nfixed = 9223372036854775807\nper_tps = 4611686018427387904\n";
  auto result = ParseDefinition("q.toml", text);
  ASSERT_FALSE(result.ok());
  const std::string refusal = result.error().ToString();
  for (const char* expected : {
           "q.toml:4: tps_voter_cap: expected at most 1000000",
           "q.toml:15: rules[0].reserve_percent: expected a percentage as a string",
           "q.toml:19: rules[1].fixed: expected at most 1000000000",
           "q.toml:20: rules[1].per_tps: expected at most 1000000000",
       }) {
    EXPECT_NE(std::string::npos, refusal.find(expected)) << expected << "\nin:\n" << refusal;
  }
}

TEST(DefinitionTest, RequiredTextsAreNotEmpty) {
  // Shown by fuzz/election_fuzzer: `id = ""` was read as an election without a name.
  auto result = ParseDefinition("e.toml", "id = \"\"\nname = \"\"\nvoting_day = 2024-01-01\ntps_voter_cap = 300\n"
                                          "contests = []\nitems = []\nrules = []\n");
  ASSERT_FALSE(result.ok());
  const std::string refusal = result.error().ToString();
  EXPECT_NE(std::string::npos, refusal.find("e.toml:1: id: must not be empty")) << refusal;
  EXPECT_NE(std::string::npos, refusal.find("e.toml:2: name: must not be empty")) << refusal;
}

TEST(DefinitionTest, WhoBuysWhatAndInWhatPacks) {
  const Definition pemilu = LoadBuiltin("pemilu-2024").value();
  EXPECT_EQ(geo::Level::kNational, pemilu.procurement.BuyerOf("kotak_suara", ""));
  EXPECT_EQ(geo::Level::kNational, pemilu.procurement.BuyerOf("surat_suara", "DPR"));
  EXPECT_EQ(500, pemilu.FindItem("surat_suara")->pack);
  EXPECT_EQ(1, pemilu.FindItem("kotak_suara")->pack);
  const Definition pilkada = LoadBuiltin("pilkada-2024").value();
  EXPECT_EQ(geo::Level::kProvince, pilkada.procurement.BuyerOf("surat_suara", "GUBERNUR"));
  EXPECT_EQ(geo::Level::kRegency, pilkada.procurement.BuyerOf("surat_suara", "BUPATI_WALIKOTA"));
  EXPECT_EQ(geo::Level::kRegency, pilkada.procurement.BuyerOf("kotak_suara", ""));

  const std::string text =
      "id = \"t\"\nname = \"t\"\nvoting_day = 2024-01-01\ntps_voter_cap = 300\nrules = []\n"
      "[[contests]]\ncode = \"A\"\nname = \"A\"\nvariant = \"national\"\n"
      "[[items]]\ncode = \"a\"\nname = \"a\"\nunit = \"u\"\npack = 0\n"
      "category = \"perlengkapan_pemungutan_suara\"\nsource = \"s\"\n"
      "[procurement]\nbuyer = \"village\"\nby_contest = { A = \"province\", B = \"regency\" }\n"
      "by_item = { a = \"district\" }\nwho = 1\n";
  auto result = ParseDefinition("p.toml", text);
  ASSERT_FALSE(result.ok());
  const std::string refusal = result.error().ToString();
  for (const char* expected : {
           "p.toml:14: items[0].pack: expected a packing unit of 1 or more",
           "p.toml:18: procurement.buyer: expected one of national, province, regency",
           "p.toml:19: procurement.by_contest.B: unknown code 'B'",
           "p.toml:20: procurement.by_item.a: expected one of national, province, regency",
           "p.toml:21: procurement.who: unknown field",
       }) {
    EXPECT_NE(std::string::npos, refusal.find(expected)) << expected << "\nin:\n" << refusal;
  }
}

TEST(DefinitionTest, TheDemosProfileIsReadApartFromTheElection) {
  const std::string text =
      "id = \"t\"\nname = \"t\"\nvoting_day = 2024-01-01\ntps_voter_cap = 250\ncontests = []\nitems = []\n"
      "rules = []\n[synthetic]\ntps = 10\ndpt = 2000\n[synthetic.province_tps]\n35 = 10\n";
  const Definition def = ParseDefinition("s.toml", text).value();
  auto profile = ParseSyntheticProfile("s.toml", text, def);
  ASSERT_TRUE(profile.ok()) << profile.error().ToString();
  EXPECT_EQ(10, profile.value().tps);
  EXPECT_EQ(2000, profile.value().dpt);
  EXPECT_EQ(10, profile.value().province_tps.at("35"));
  EXPECT_EQ(250, profile.value().voter_cap);
}

TEST(DefinitionTest, SyntheticCountsAreWholeNumbers) {
  // Found by fuzz/election_fuzzer (fuzz/corpus/election/float-count.toml): a count written as a float was converted
  // by toml++, which casts one beyond int64's range before it checks (undefined behaviour, seen under UBSan); 2.0 was
  // read as 2.
  const std::string text =
      "id = \"t\"\nname = \"t\"\nvoting_day = 2024-01-01\ntps_voter_cap = 300\ncontests = []\nitems = []\nrules = []\n"
      "[synthetic]\ntps = 1\ndpt = 1\n[synthetic.province_dpt]\n33 = 282894E25\n34 = 2.0\n35 = 7\n";
  auto result = ParseDefinition("s.toml", text);
  ASSERT_FALSE(result.ok());
  const std::string refusal = result.error().ToString();
  EXPECT_NE(std::string::npos, refusal.find("synthetic.province_dpt.33: expected a whole number of 0 or more"))
      << refusal;
  EXPECT_NE(std::string::npos, refusal.find("synthetic.province_dpt.34: expected a whole number of 0 or more"))
      << refusal;
  EXPECT_EQ(2u, result.error().problem_count()) << refusal;
}

TEST(DefinitionTest, UnknownElection) {
  auto result = LoadBuiltin("pemilu-2029");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ErrorKind::kNotFound, result.error().kind());
  EXPECT_NE(std::string::npos, result.error().message().find("known: pemilu-2024, pilkada-2024"));
}

TEST(DefinitionTest, SyntaxErrorsNameTheLine) {
  auto result = ParseDefinition("bad.toml", "id = \"x\"\nname = \n");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(0u, result.error().message().find("bad.toml:2: "));
}

TEST(DefinitionTest, ContentErrorsNameFileLineAndWhatWasExpected) {
  const char* text = R"(id = "test"
name = "Test"
voting_day = "14 Feb"
tps_voter_cap = 300
colour = "red"

[[contests]]
code = "X"
name = "X"
variant = "district"

[[items]]
code = "Surat"
name = "Surat"
unit = "lembar"
category = "voting"

[[rules]]
item = "kertas"
at = "village"
for_each = "contest"
reserve_percent = "2,5"
contests = ["Y"]
)";
  auto result = ParseDefinition("t.toml", text);
  ASSERT_FALSE(result.ok());
  const std::string refusal = result.error().ToString();
  for (const char* expected : {
           "t.toml:3: voting_day: expected a date like 2024-02-14",
           "t.toml:5: colour: unknown field",
           "t.toml:10: contests[0].variant: expected one of national, province, regency, dapil",
           "t.toml:13: items[0].code: expected lower-case letters, digits and '_'",
           "t.toml:16: items[0].category: expected one of perlengkapan_pemungutan_suara, dukungan_perlengkapan_lainnya",
           "t.toml:12: items[0].source: every item names its source or its assumption",
           "t.toml:19: rules[0].item: 'kertas' is not in [[items]]",
           "t.toml:21: rules[0].for_each: \"contest\" applies at = \"tps\"",
           "t.toml:22: rules[0].reserve_percent: expected a percentage as a string",
           "t.toml:23: rules[0].contests: unknown contest 'Y'",
       }) {
    EXPECT_NE(std::string::npos, refusal.find(expected)) << expected << "\nin:\n" << refusal;
  }
}

}  // namespace tepat::election
