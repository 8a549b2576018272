// `tepat ledger verify` over a store: the stored ledger read election by election and handed to the domain's checks
// (ledger::ChainCheck, ledger::ElectionReplay, ledger::MovementCheck, readiness::ProjectionCheck), so that memory
// holds one election's replay at a time. Used by the command line and the server's admin route.
#pragma once

#include <string>

#include "common/result.h"
#include "store/store.h"

namespace tepat::app {

// Verifies the whole ledger: the hash chain, each document's movement lines, every balance, the kits and the per-TPS
// readiness projection against the documents replayed. Returns what was checked, or the first mismatch (a conflict
// saying where and why). Writes nothing; the caller records the outcome in the audit trail.
Result<std::string> VerifyLedger(store::Store& store);

}  // namespace tepat::app
