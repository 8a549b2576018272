// What both backends share.
#include "store/common.h"

#include <algorithm>

#include "common/hash.h"
#include "geo/region.h"
#include "ledger/document.h"
#include "readiness/tps_state.h"

namespace tepat::store {

std::string DocumentColumns(bool with_body) {
  return std::string("SELECT d.seq, d.id, e.code, d.kind, d.at, ") + (with_body ? "d.body" : "''") +
         ", d.body_hash, d.hash, coalesce(st.received_by, ''), coalesce(st.reversed_by, '') FROM ledger_document d "
         "JOIN election e ON e.id = d.election_id LEFT JOIN ledger_status st ON st.seq = d.seq ";
}

StoredDocument DocumentFromRow(const SqlRow& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
}

Result<ledger::Kit> KitFromRow(const SqlRow& r) {
  ledger::Kit kit{r.Text(0), r.Text(1), r.Text(2), r.Text(3), SplitLines(r.Text(4)), {}};
  kit.contents = TRY(readiness::DecodeReceived(r.Text(5)));
  return kit;
}

Result<readiness::TpsState> TpsStateFromRow(const SqlRow& r, int first) {
  auto n = [&](int k) { return static_cast<int32_t>(r.Int(first + k)); };
  readiness::TpsState state{
      {r.Int(first), r.Int(first + 1), n(2), n(3), n(4), n(5), n(6), n(7)}, {}};
  state.received = TRY(readiness::DecodeReceived(r.Text(first + 8)));
  return state;
}

std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) out += '\n';
    out += v;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::pair<int64_t, int64_t> TpsKeyRange(std::string_view prefix) {
  std::string_view region = prefix;
  if (!region.empty() && region.back() == '.') region.remove_suffix(1);
  if (region.empty()) return {0, 10'000'000'000'000};
  const int64_t key = geo::RegionKey(region);
  int64_t scale = 1;
  const auto digits = region.size() - std::count(region.begin(), region.end(), '.');
  for (auto d = digits; d < 13; ++d) scale *= 10;
  return {key * scale, (key + 1) * scale};
}

std::pair<std::string, std::string> RegionRange(std::string_view code) {
  std::string from(code), to(code);
  from += '.';
  to += '/';
  return {from, to};
}

Result<std::vector<PostOutcome>> PlanBatch(const std::vector<ledger::Document>& documents,
                                           const std::vector<std::string>& where, const ledger::Catalog& catalog,
                                           ledger::LedgerView& view, const DocumentWriter& write,
                                           const std::function<std::optional<Error>()>& failed) {
  std::vector<PostOutcome> outcomes;
  outcomes.reserve(documents.size());
  for (size_t i = 0; i < documents.size(); ++i) {
    const ledger::Document& doc = documents[i];
    const std::string body = ledger::WriteDocument(doc);
    const std::string body_hash = Sha256Hex(body);
    Result<ledger::Planned> planned = ledger::Plan(doc, body_hash, catalog, view, where[i]);
    if (failed) {
      if (std::optional<Error> error = failed()) return *error;
    }
    PostOutcome outcome;
    if (!planned.ok()) {
      outcome.kind = PostOutcome::Kind::kRefused;
      outcome.error = std::move(planned).error();
    } else if (planned.value().replay) {
      outcome.kind = PostOutcome::Kind::kReplayed;
      outcome.seq = planned.value().existing.seq;
      outcome.hash = planned.value().existing.hash;
    } else {
      auto [seq, hash] = TRY(write(doc, body, body_hash, planned.value().posting));
      outcome.kind = PostOutcome::Kind::kPosted;
      outcome.seq = seq;
      outcome.hash = std::move(hash);
      outcome.effects = planned.value().posting.effects;
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace tepat::store
