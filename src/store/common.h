// What both backends share: how values the schema keeps as text or numbers are written (lists of lines, a kit's
// seals; the range of TPS keys under a region), and the planning half of posting a batch.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.h"

namespace tepat::store {

// The columns of a stored document (StoredDocument's order) and the joins they need, for both backends; without
// `with_body` the body is read as '' (verify's pass over the chain reads only the hashes).
std::string DocumentColumns(bool with_body = true);

std::string JoinLines(const std::vector<std::string>& values);
std::vector<std::string> SplitLines(const std::string& text);

// The TPS keys under a region code ("" or "35.78" or "35.78."): those with the region's digits in front,
// 35.78 → [3578000000000, 3579000000000); every key for "".
std::pair<int64_t, int64_t> TpsKeyRange(std::string_view prefix);

// The codes strictly below region `code` as a half-open text range: ["35.78.", "35.78/") ("/" follows ".").
std::pair<std::string, std::string> RegionRange(std::string_view code);

// Writes one planned document at the head of the chain; gives its seq and hash.
using DocumentWriter = std::function<Result<std::pair<int64_t, std::string>>(
    const ledger::Document& doc, const std::string& body, const std::string& body_hash,
    const ledger::Posting& posting)>;
// Posting a batch, the part the backends share: each document in its canonical form and planned against `view`,
// then refused, replayed, or handed to `write`. `failed` gives a storage error the view met while planning, which
// ends the batch.
Result<std::vector<PostOutcome>> PlanBatch(const std::vector<ledger::Document>& documents,
                                           const std::vector<std::string>& where, const ledger::Catalog& catalog,
                                           ledger::LedgerView& view, const DocumentWriter& write,
                                           const std::function<std::optional<Error>()>& failed = nullptr);

}  // namespace tepat::store
