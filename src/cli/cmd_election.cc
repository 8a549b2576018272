// tepat election list|show: the election definitions built in, printed readably.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/context.h"
#include "common/text.h"

namespace tepat::cli {

namespace {

// "fixed 4", "DPT + ceil(2% × DPT)", ...: a rule's quantity as a person reads it.
std::string DescribeQuantity(const election::Rule& rule) {
  std::vector<std::string> terms;
  if (rule.dpt == 1) terms.push_back("DPT");
  if (rule.dpt > 1) terms.push_back(std::to_string(rule.dpt) + " × DPT");
  if (rule.reserve_numerator > 0) {
    // Back from the fraction to the percentage as written.
    std::string percent = std::to_string(rule.reserve_numerator * 100 / rule.reserve_denominator);
    int64_t rest = rule.reserve_numerator * 100 % rule.reserve_denominator;
    if (rest != 0) {
      std::string decimals;
      for (int64_t d = rule.reserve_denominator; rest != 0 && d > 1; d /= 10) {
        rest *= 10;
        decimals += std::to_string(rest / rule.reserve_denominator);
        rest %= rule.reserve_denominator;
      }
      percent += "." + decimals;
    }
    terms.push_back("ceil(" + percent + "% × DPT)");
  }
  if (rule.per_contest > 0) terms.push_back(std::to_string(rule.per_contest) + " per contest held");
  if (rule.per_tps > 0) terms.push_back(std::to_string(rule.per_tps) + (rule.at == geo::Level::kTps ? "" : " per TPS"));
  if (rule.fixed > 0) terms.push_back(FormatThousands(rule.fixed));
  std::string out;
  for (const std::string& term : terms) out += (out.empty() ? "" : " + ") + term;
  return out;
}

std::string Describe(const election::Definition& def) {
  std::string out = def.name + " (" + def.id + ")\n";
  if (!def.name_en.empty()) out += def.name_en + "\n";
  out += "Hari pemungutan suara / voting day: " + def.voting_day + "; logistics due at the KPPS by H-" +
         std::to_string(def.deliver_days_before) + "\n";
  out += "Pemilih per TPS paling banyak / voter cap per TPS: " + FormatThousands(def.tps_voter_cap) + "\n";
  if (!def.source.empty()) out += "Sumber / source: " + def.source + "\n";

  out += "\nJenis pemilihan / contests\n";
  TextTable contests({"Kode", "Nama", "Surat suara per", "Warna", "Tidak diadakan di"});
  for (const election::Contest& contest : def.contests) {
    std::string not_held;
    for (const std::string& province : contest.not_held_in) not_held += (not_held.empty() ? "" : ", ") + province;
    std::string by(election::VariantByName(contest.variant_by));
    if (contest.variant_by == election::VariantBy::kDapil)
      by += " (within a " + std::string(geo::LevelName(contest.dapil_within)) + ")";
    contests.AddRow({contest.code, contest.name, by, contest.ballot_colour, not_held});
  }
  out += contests.Render();

  out += "\nBarang / items\n";
  TextTable items({"Kode", "Nama", "Satuan", "Kategori"});
  for (const election::Item& item : def.items) {
    items.AddRow({item.code, item.name, item.unit, std::string(election::CategoryNameId(item.category))});
  }
  out += items.Render();

  out += "\nAturan jumlah / quantity rules\n";
  TextTable rules({"Barang", "Di tingkat", "Untuk setiap", "Jenis pemilihan", "Jumlah"});
  for (const election::Rule& rule : def.rules) {
    std::string contests_list;
    for (const std::string& code : rule.contests) contests_list += (contests_list.empty() ? "" : ", ") + code;
    rules.AddRow({rule.item, std::string(geo::LevelName(rule.at)), std::string(election::ForEachName(rule.for_each)),
                  contests_list.empty() ? "semua" : contests_list, DescribeQuantity(rule)});
  }
  out += rules.Render();

  out += "\nSumber dan asumsi / sources and assumptions\n";
  for (const election::Item& item : def.items) {
    out += "- " + item.code + ": " + (item.source.empty() ? "asumsi / assumption: " + item.assumption : item.source) +
           "\n";
  }
  return out;
}

}  // namespace

void AddElectionCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("election", "The election definitions");
  cmd->require_subcommand(1);
  cmd->add_subcommand("list", "List the built-in elections")->callback([&ctx] {
    for (const std::string& id : election::BuiltinIds()) {
      auto def = election::LoadBuiltin(id);
      *ctx.out << id << "\t"
               << (def.ok() ? def.value().name + " (" + def.value().voting_day + ")" : def.error().message()) << "\n";
    }
  });
  auto id = std::make_shared<std::string>();
  CLI::App* show = cmd->add_subcommand("show", "Print an election definition readably");
  show->add_option("ID", *id, "Election id (or a definition .toml)")->required();
  show->callback([&ctx, id] {
    ctx.status = [&]() -> Status {
      election::Definition def = TRY(LoadElection(*id));
      *ctx.out << Describe(def);
      return {};
    }();
  });
}

}  // namespace tepat::cli
