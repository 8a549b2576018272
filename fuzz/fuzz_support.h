// What the fuzz targets share: the input as text, failing loudly, the check that a refusal is a clean error, and the
// small fixed world (the fixture regions, TPS and dapil of tests/fixtures, pemilu-2024) the importers are read
// against, built into the binary and parsed once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/dapil.h"
#include "geo/region.h"
#include "geo/tps.h"
#include "readiness/board.h"

namespace tepat::fuzz {

// The fuzzer's bytes as text (the parsers take any bytes; UTF-8 is theirs to check).
inline std::string_view Text(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Prints what went wrong, with the two texts that differ or the input, and aborts: a finding.
[[noreturn]] void Fail(std::string_view what, std::string_view first, std::string_view second = {});

// Fails unless `a` equals `b`, naming `what` and printing both.
void ExpectSame(std::string_view what, std::string_view a, std::string_view b);

// Fails unless a refusal is clean: invalid input, with a message, printable. With TEPAT_FUZZ_VERBOSE set in the
// environment every refusal is printed (to see what a seed or a reproducer reaches).
void ExpectCleanError(std::string_view what, const Error& error);

// The round trip of a format with a writer: `parse(text)` gives a value or a clean error; a value is written with
// `write`, and what was written reads back (`parse`) and writes the same text again. Returns the value read, if any.
template <class Parse, class Write>
auto RoundTrip(std::string_view what, std::string_view text, Parse parse, Write write) {
  auto first = parse(text);
  if (!first.ok()) {
    ExpectCleanError(what, first.error());
    return first;
  }
  const std::string written = write(first.value());
  auto second = parse(written);
  if (!second.ok()) {
    Fail(std::string(what) + ": what was written does not read back: " + second.error().ToString(), text, written);
  }
  ExpectSame(std::string(what) + ": what was written, read and written again differs", written, write(second.value()));
  return first;
}

// A text built into the binary from tests/fixtures (regions/provinces.csv, pemilu-tps.csv, ...); fails when absent.
std::string_view FixtureFile(std::string_view name);

// The fixture regions (DKI Jakarta, DI Yogyakarta, Kota Surabaya), as testing::FixtureRegions() has them.
const geo::RegionSet& Regions();
// pemilu-2024, built in.
const election::Definition& Pemilu();
// The pemilu-2024 TPS of tests/fixtures/pemilu-tps.csv and the dapil of tests/fixtures/pemilu-dapil.csv.
const std::vector<geo::Tps>& Tps();
const geo::DapilSet& Dapils();
// The readiness board of pemilu-2024 over those TPS, for the simulation's plans.
const readiness::Board& Board();

}  // namespace tepat::fuzz
