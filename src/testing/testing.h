// Helpers for tests: paths to fixtures and the real data, temporary folders, and running the CLI in-process.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/definition.h"
#include "geo/region.h"

namespace tepat::testing {

// The repository's folder, and the real Kemendagri regions installed by scripts/setup.sh.
std::filesystem::path SourceDir();
std::filesystem::path RealRegionsDir();
std::filesystem::path FixtureDir();

// The small fixture regions (DKI Jakarta, DI Yogyakarta, part of Jawa Timur) and the national real regions, each
// parsed once per test binary.
const geo::RegionSet& FixtureRegions();
const geo::RegionSet& RealRegions();
// A built-in election definition (pemilu-2024, pilkada-2024), read once per test binary.
const election::Definition& Builtin(const std::string& id);

// Expects `result` refused with a message that holds every one of `parts`.
template <typename T>
void ExpectRefused(const Result<T>& result, std::initializer_list<std::string_view> parts) {
  ASSERT_FALSE(result.ok());
  const std::string message = result.error().ToString();
  for (std::string_view part : parts) EXPECT_NE(std::string::npos, message.find(part)) << part << "\n" << message;
}

// A fresh folder, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A fresh PostgreSQL database for one test on the server named by $TEPAT_TEST_POSTGRES (an administrator's URL, as
// `scripts/pg.sh start` prints it), dropped when the object goes. Without the variable `url()` is empty and `why()`
// says so; a test then skips, unless $TEPAT_REQUIRE_POSTGRES is 1 (make test sets both), when it fails.
class TestPostgres {
 public:
  TestPostgres();
  ~TestPostgres();
  TestPostgres(const TestPostgres&) = delete;
  TestPostgres& operator=(const TestPostgres&) = delete;
  const std::string& url() const { return url_; }
  const std::string& why() const { return why_; }
  static bool Required();
  // Another fresh database on the same server, empty or a copy of the database at `source` (whose connections
  // must all be closed), dropped with this one.
  std::string Another(const std::string& source = "");

 private:
  std::string admin_, name_, url_, why_;
  std::vector<std::string> others_;
};

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

// Runs `tepat ARGS...` in this process (with `input` as its standard input).
CliResult RunCli(const std::vector<std::string>& args, const std::string& input = "");
// `tepat --db DB ARGS...`, expected to succeed (a test failure otherwise); its standard output.
std::string CliOk(const std::string& db, std::vector<std::string> args);
// `tepat --db DB ARGS...`, expected to be refused (exit 1); its standard error.
std::string CliRefused(const std::string& db, std::vector<std::string> args);
// A database at `db` with the real regions, the synthetic pemilu-2024 TPS whose codes start with `prefix` ("35.78.")
// and the national dapil, made through the command line (files in `dir`); returns how many TPS it holds.
int MakeWorld(const std::string& db, const std::string& dir, const std::string& prefix);

std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);
// Expects `actual` to equal tests/golden/NAME; with TEPAT_UPDATE_GOLDEN=1 in the environment it rewrites the file.
void ExpectGolden(const std::string& name, const std::string& actual);

// A test run on both backends (its parameter is "sqlite" or "postgres") over a MakeWorld database: PostgreSQL tests
// skip without a server, or fail when one is required.
class WorldTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Makes the world of the TPS under `prefix` (its TPS count in tps_); nothing when the test is skipped.
  void MakeWorldOf(const std::string& prefix) {
    if (GetParam() == "postgres" && pg_.url().empty()) {
      if (TestPostgres::Required()) FAIL() << pg_.why();
      GTEST_SKIP() << pg_.why();
    }
    db_ = GetParam() == "postgres" ? pg_.url() : dir_.File("t.db");
    tps_ = MakeWorld(db_, dir_.path().string(), prefix);
  }
  std::string Ok(std::vector<std::string> args) { return CliOk(db_, std::move(args)); }
  std::string Refused(std::vector<std::string> args) { return CliRefused(db_, std::move(args)); }
  std::string File(const std::string& name) { return dir_.File(name); }

  TempDir dir_;
  TestPostgres pg_;
  std::string db_;
  int tps_ = 0;
};

}  // namespace tepat::testing
