// Helpers for tests: paths to fixtures and the real data, temporary folders, and running the CLI in-process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);

}  // namespace tepat::testing
