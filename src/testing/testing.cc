// Test helpers.
#include "testing/testing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "cli/context.h"
#include "geo/regions_csv.h"
#include "store/postgres/pg.h"

namespace tepat::testing {

std::filesystem::path SourceDir() { return TEPAT_SOURCE_DIR; }
std::filesystem::path RealRegionsDir() { return SourceDir() / "data/node_modules/idn-area-data/data"; }
std::filesystem::path FixtureDir() { return SourceDir() / "tests/fixtures"; }

namespace {

geo::RegionSet LoadDir(const std::filesystem::path& dir) {
  geo::RegionFiles files;
  auto read = [&](const char* name, geo::SourceFile& file) {
    file.name = (dir / name).string();
    file.text = ReadText(file.name);
  };
  read("provinces.csv", files.provinces);
  read("regencies.csv", files.regencies);
  read("districts.csv", files.districts);
  read("villages.csv", files.villages);
  read("islands.csv", files.islands);
  auto regions = geo::ParseRegionFiles(files);
  if (!regions.ok()) throw std::runtime_error(regions.error().ToString());
  return std::move(regions).value();
}

}  // namespace

const geo::RegionSet& FixtureRegions() {
  static const geo::RegionSet regions = LoadDir(FixtureDir() / "regions");
  return regions;
}

const election::Definition& Builtin(const std::string& id) {
  static std::map<std::string, election::Definition> loaded;
  auto it = loaded.find(id);
  if (it == loaded.end()) it = loaded.emplace(id, election::LoadBuiltin(id).value()).first;
  return it->second;
}

const geo::RegionSet& RealRegions() {
  static const geo::RegionSet regions = LoadDir(RealRegionsDir());
  return regions;
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("tepat-test-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestPostgres::TestPostgres() {
  const char* admin = std::getenv("TEPAT_TEST_POSTGRES");
  if (!admin || !*admin) {
    why_ = "no PostgreSQL for the tests: set TEPAT_TEST_POSTGRES to the URL `scripts/pg.sh start` prints";
    return;
  }
  admin_ = admin;
  static int count = 0;
  std::random_device random;
  name_ = "tepat_test_" + std::to_string(getpid()) + "_" + std::to_string(++count) + "_" +
          std::to_string(random() % 100000);
  auto conn = store::pg::Connection::Open(admin_);
  if (!conn.ok()) {
    why_ = conn.error().message();
    return;
  }
  if (Status created = conn.value()->Exec("CREATE DATABASE " + name_, "creating a test database"); !created.ok()) {
    why_ = created.error().message();
    return;
  }
  url_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
}

TestPostgres::~TestPostgres() {
  if (url_.empty()) return;
  if (auto conn = store::pg::Connection::Open(admin_); conn.ok()) {
    others_.push_back(name_);
    for (const std::string& name : others_) {
      (void)conn.value()->Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "dropping a test database");
    }
  }
}

std::string TestPostgres::Another(const std::string& source) {
  if (url_.empty()) return "";
  const std::string name = name_ + "_" + std::to_string(others_.size() + 1);
  auto conn = store::pg::Connection::Open(admin_);
  if (!conn.ok()) return "";
  std::string sql = "CREATE DATABASE " + name;
  if (!source.empty()) sql += " TEMPLATE " + source.substr(source.rfind('/') + 1);
  if (!conn.value()->Exec(sql, "creating a test database").ok()) return "";
  others_.push_back(name);
  return admin_.substr(0, admin_.rfind('/') + 1) + name;
}

bool TestPostgres::Required() {
  const char* required = std::getenv("TEPAT_REQUIRE_POSTGRES");
  return required && std::string(required) == "1";
}

CliResult RunCli(const std::vector<std::string>& args, const std::string& input) {
  std::vector<const char*> argv = {"tepat"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::istringstream in(input);
  std::ostringstream out, err;
  int code = cli::Run(static_cast<int>(argv.size()), argv.data(), in, out, err);
  return {code, out.str(), err.str()};
}

std::string CliOk(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  const CliResult result = RunCli(args);
  EXPECT_EQ(0, result.code) << result.err;
  return result.out;
}

std::string CliRefused(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db});
  const CliResult result = RunCli(args);
  EXPECT_EQ(1, result.code) << result.out;
  return result.err;
}

int MakeWorld(const std::string& db, const std::string& dir, const std::string& prefix) {
  const std::string all_csv = dir + "/all-tps.csv", tps_csv = dir + "/tps.csv", dapil_csv = dir + "/dapil.csv";
  CliOk(db, {"init"});
  CliOk(db, {"import", "regions", (SourceDir() / "data/node_modules/idn-area-data/data").string()});
  CliOk(db, {"generate", "tps", "--election", "pemilu-2024", "--out", all_csv});
  std::ifstream all(all_csv);
  std::ofstream mine(tps_csv);
  std::string line;
  int tps = 0;
  for (bool header = true; std::getline(all, line); header = false) {
    if (header || line.starts_with(prefix)) {
      mine << line << "\n";
      tps += !header;
    }
  }
  mine.close();
  CliOk(db, {"import", "tps", "--election", "pemilu-2024", tps_csv});
  CliOk(db, {"generate", "dapil", "--election", "pemilu-2024", "--out", dapil_csv});
  CliOk(db, {"import", "dapil", "--election", "pemilu-2024", dapil_csv});
  return tps;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = (SourceDir() / "tests/golden" / name).string();
  if (std::getenv("TEPAT_UPDATE_GOLDEN")) WriteText(path, actual);
  EXPECT_EQ(ReadText(path), actual) << "golden file " << path;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace tepat::testing
