// What the command line and the server share: election data, the readiness board and posting documents.
#include "app/app.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>

#include "app/ledger_writer.h"
#include "app/procurement.h"
#include "common/text.h"
#include "election/synthetic.h"
#include "ledger/node.h"
#include "planning/needs.h"

namespace tepat::app {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path);
  return std::move(buffer).str();
}

Result<election::Definition> LoadElection(const std::string& id_or_path) {
  if (id_or_path.size() > 5 && id_or_path.substr(id_or_path.size() - 5) == ".toml") {
    const std::string text = TRY(ReadFile(id_or_path));
    return election::ParseDefinition(id_or_path, text);
  }
  return election::LoadBuiltin(id_or_path);
}

Result<geo::SyntheticProfile> LoadSyntheticProfile(const std::string& id_or_path) {
  if (id_or_path.size() > 5 && id_or_path.substr(id_or_path.size() - 5) == ".toml") {
    const std::string text = TRY(ReadFile(id_or_path));
    const election::Definition def = TRY(election::ParseDefinition(id_or_path, text));
    return election::ParseSyntheticProfile(id_or_path, text, def);
  }
  return election::BuiltinSyntheticProfile(id_or_path);
}

Result<geo::RegionSet> LoadRegions(store::Store& store) {
  geo::RegionSet regions = TRY(store.LoadRegions());
  if (regions.empty()) return NotFound("no regions are loaded: run `tepat import regions DIR` first");
  return regions;
}

Result<geo::DapilSet> LoadDapil(store::Store& store, const election::Definition& def, const geo::RegionSet& regions) {
  std::vector<geo::Dapil> dapils = TRY(store.LoadDapil(def.id, regions));
  return geo::DapilSet(regions, def.DapilContests(), std::move(dapils));
}

Result<std::unique_ptr<ElectionData>> LoadElectionData(store::Store& store, const std::string& election,
                                                       planning::Needs* needs_out) {
  auto data = std::make_unique<ElectionData>();
  data->definition = TRY(LoadElection(election));
  data->regions = TRY(LoadRegions(store));
  data->tps = TRY(store.LoadTps(data->definition.id, data->regions));
  if (data->tps.empty()) {
    return NotFound("election " + data->definition.id +
                    " has no TPS: run `tepat import tps` or `tepat generate` first");
  }
  data->dapils = TRY(LoadDapil(store, data->definition, data->regions));
  planning::NeedsInput input{&data->definition, &data->regions, &data->tps, &data->dapils};
  planning::Needs needs = TRY(planning::ComputeNeeds(input));
  ledger::Catalog& catalog = data->catalog;
  catalog.election = data->definition.id;
  catalog.regions = &data->regions;
  for (const planning::NeedItem& item : needs.items) catalog.items.insert(item.code);
  // The vendors are the definition's and those imported (docs/formats.md §15); contracts name imported ones.
  for (const election::Vendor& vendor : data->definition.vendors) catalog.vendors.insert(vendor.code);
  const ReferenceData procurement = TRY(LoadReference(store, data->definition, data->regions, "contracts"));
  for (const procurement::Vendor& vendor : procurement.vendors) catalog.vendors.insert(vendor.code);
  catalog.contracts->Replace(ContractVendorsOf(procurement.contracts));
  catalog.tps.reserve(data->tps.size());
  for (const geo::Tps& tps : data->tps) catalog.tps.insert(geo::RegionKey(geo::TpsCode(data->regions, tps)));
  if (needs_out) *needs_out = std::move(needs);
  return data;
}

void AppendProblemRows(std::string& out, const std::string& tps_code, readiness::ProblemMask mask) {
  for (int p = 0; p < readiness::kProblems; ++p) {
    if (mask & (1u << p)) {
      out += tps_code;
      out += ',';
      out += readiness::ProblemName(static_cast<readiness::Problem>(p));
      out += '\n';
    }
  }
}

Result<readiness::Board> LoadBoard(store::Store& store, const ElectionData& data, std::string_view prefix) {
  readiness::Board board = TRY(readiness::Board::Build(data.definition, data.regions, data.tps, &data.dapils));
  RETURN_IF_ERROR(LoadTpsStates(store, data, board, prefix));
  return board;
}

Status LoadTpsStates(store::Store& store, const ElectionData& data, readiness::Board& board, std::string_view prefix) {
  return store.ForEachTpsState(
      data.definition.id, prefix,
      [&](const std::string& code, const readiness::TpsState& state) { return board.Load(code, state); });
}

// The lines of an NDJSON input.
class Lines {
 public:
  virtual ~Lines() = default;
  // The next line (without its line break), or false at the end.
  virtual bool Next(std::string& line) = 0;
};

namespace {

class TextLines final : public Lines {
 public:
  explicit TextLines(std::string_view text) : rest_(text) {}
  bool Next(std::string& line) override {
    if (rest_.empty()) return false;
    const size_t end = std::min(rest_.find('\n'), rest_.size());
    line.assign(rest_.substr(0, end));
    rest_.remove_prefix(std::min(end + 1, rest_.size()));
    return true;
  }

 private:
  std::string_view rest_;
};

class FileLines final : public Lines {
 public:
  explicit FileLines(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary) {}
  bool ok() const { return in_.is_open(); }
  bool Next(std::string& line) override { return static_cast<bool>(std::getline(in_, line)); }

 private:
  std::string path_;
  std::ifstream in_;
};

void AddProblems(ProblemList& list, const std::string& at, const Error& error) {
  if (error.problems().empty())
    list.Add(at, "", error.message().substr(std::min(error.message().size(), at.size() + 2)));
  for (const Problem& p : error.problems()) list.Add(p.where, p.column, p.reason);
}

}  // namespace

Result<ImportSummary> LedgerPoster::Post(std::string_view file, std::string_view text) {
  TextLines lines(text);
  return Post(file, lines);
}

Result<ImportSummary> LedgerPoster::PostFile(const std::string& path) {
  FileLines lines(path);
  if (!lines.ok()) return IoError("cannot read " + path);
  return Post(path, lines);
}

Result<ImportSummary> LedgerPoster::Post(std::string_view file, Lines& lines) {
  // What the batch in flight gives back, on the writer's thread. The next batch is read and parsed while one
  // commits, and goes to the writer once that one has succeeded: after a failure nothing more is posted.
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    int in_flight = 0;
    ImportSummary summary;
    ProblemList refused;
    std::optional<Error> failed;
  } shared;
  auto wait_below = [&](int count) {
    std::unique_lock lock(shared.mutex);
    shared.done.wait(lock, [&] { return shared.in_flight < count; });
    return !shared.failed.has_value();
  };
  // The batch being read: its documents, and every line of it in order with where it is and, for a line that is
  // not a valid document, why (reported in line order with the refusals the ledger gives).
  struct Line {
    std::string where;
    std::optional<Error> invalid;
  };
  std::vector<Submission> batch;
  std::vector<Line> batch_lines;
  auto flush = [&] {
    if (!wait_below(1)) return false;
    if (batch_lines.empty()) return true;
    {
      std::lock_guard lock(shared.mutex);
      ++shared.in_flight;
    }
    writer_.Submit(std::move(batch), [&shared, read = std::move(batch_lines)](std::vector<Written> written) {
      std::lock_guard lock(shared.mutex);
      size_t k = 0;
      for (const Line& l : read) {
        if (shared.failed) break;
        if (l.invalid) {
          ++shared.summary.refused;
          AddProblems(shared.refused, l.where, *l.invalid);
          continue;
        }
        const Written& w = written[k++];
        if (!w.ok()) {
          shared.failed = Error(w.error().kind(), l.where + ": " + w.error().message() + "; " +
                                                      FormatThousands(shared.summary.posted) +
                                                      " documents before it were posted");
          break;
        }
        switch (w.value().kind) {
          case store::PostOutcome::Kind::kPosted:
            ++shared.summary.posted;
            break;
          case store::PostOutcome::Kind::kReplayed:
            ++shared.summary.replayed;
            break;
          case store::PostOutcome::Kind::kRefused:
            ++shared.summary.refused;
            AddProblems(shared.refused, l.where, *w.value().error);
        }
      }
      --shared.in_flight;
      shared.done.notify_all();
    });
    batch.clear();
    batch_lines.clear();
    return true;
  };
  std::string json;
  size_t line = 0;
  auto blank = [](const std::string& text) { return text.find_first_not_of(" \t\r") == std::string::npos; };
  while (lines.Next(json)) {
    ++line;
    if (line == 1 && json.starts_with("\xEF\xBB\xBF")) json.erase(0, 3);  // a UTF-8 byte order mark
    if (blank(json)) continue;
    if (json.back() == '\r') json.pop_back();
    std::string at = std::string(file) + ":" + std::to_string(line);
    Result<ledger::Document> parsed = ledger::ParseDocument(at, json);
    if (!parsed.ok()) {
      batch_lines.push_back({std::move(at), std::move(parsed).error()});
      if (batch_lines.size() >= batch_ && !flush()) break;
      continue;
    }
    ledger::Document doc = std::move(parsed).value();
    if (!batch.empty() && (batch.size() >= batch_ || batch.front().document.election != doc.election) && !flush()) {
      break;
    }
    batch_lines.push_back({at, std::nullopt});
    batch.push_back({std::move(doc), std::move(at), who_, address_});
  }
  if (flush()) wait_below(1);
  if (shared.failed) return *shared.failed;
  const ImportSummary& summary = shared.summary;
  if (!shared.refused.empty()) {
    return shared.refused.ToError(std::string(file) + ": refused and not posted: " +
                                  FormatThousands(summary.refused) + "; posted: " + FormatThousands(summary.posted) +
                                  "; already posted before: " + FormatThousands(summary.replayed));
  }
  return summary;
}

}  // namespace tepat::app
