// SHA-256 (libsodium), for the ledger's hash chain.
#pragma once

#include <string>
#include <string_view>

namespace tepat {

// The SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace tepat
