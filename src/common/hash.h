// Hashes and secrets (libsodium): SHA-256 for the ledger's hash chain and session tokens, argon2id for passwords.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tepat {

// The SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);
// The same digest as 32 bytes.
std::array<uint8_t, 32> Sha256(std::string_view data);

// An argon2id hash of `password` in the PHC string format, with a fresh salt (libsodium's interactive limits:
// 2 passes over 64 MiB).
std::string HashPassword(std::string_view password);
// Whether `password` matches `hash` (a HashPassword result), in constant time.
bool VerifyPassword(std::string_view password, const std::string& hash);
// `bytes` random bytes from the system's generator, as lowercase hex.
std::string RandomHex(size_t bytes);
// A random version-4 UUID in lower case (0f8fad5b-d9cb-469f-a165-70867728950e).
std::string RandomUuid();
// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tepat
