// The replay driver of the fuzz targets in a normal build (no libFuzzer): runs LLVMFuzzerTestOneInput once over
// every file of the folders and files named on the command line, so that the seed corpora and the saved crash
// reproducers (fuzz/corpus/<name>/) are tested by ctest with any compiler. Arguments starting with '-' are libFuzzer's
// options and are ignored, so a fuzzer's command line works with either build.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Defined by the targets that set something up first; absent in most.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

// The files to run, a folder's in name order (so that every run replays them in the same order).
bool Collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    files.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, error)) {
    std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", path.c_str());
    return false;
  }
  std::vector<fs::path> found;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

// Runs one input from a buffer of exactly its size, so that a read past its end is a read past an allocation.
void Run(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), data.get());
  LLVMFuzzerTestOneInput(data.get(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> files;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') ok = Collect(argv[i], files) && ok;
  }
  if (!ok) return 2;
  const auto start = std::chrono::steady_clock::now();
  for (const fs::path& file : files) {
    std::fprintf(stderr, "replay: %s\n", file.c_str());
    Run(file);
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("replay: %zu inputs ran without a finding in %.2f s\n", files.size(), took.count());
  return 0;
}
