// Why the hashing engine reads with pread() into a 256 KiB buffer: reading
// and SHA-256-hashing a warm 256 MiB file with pread at several buffer sizes
// versus mmap (plain, MAP_POPULATE), on one thread and on two at once (two
// workers, as on a 2-core machine). Run: build/bench/read_strategy_bench
// (MS_READ_STRATEGY_FILE=path to read an existing file instead).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "bench_files.h"

namespace {

constexpr std::size_t kScratchSize = std::size_t{256} << 20;

struct TestFile {
  std::string path;
  std::size_t size;
};

// MS_READ_STRATEGY_FILE if set (an existing file, e.g. bench_digest.sh's
// 4 GiB one, kept with KEEP_DATA=1), else 256 MiB of random bytes written
// for the run and removed after it.
const TestFile& test_file() {
  static const TestFile file = [] {
    if (const char* given = std::getenv("MS_READ_STRATEGY_FILE"); given && *given) {
      struct stat st;
      if (::stat(given, &st) != 0) std::abort();
      return TestFile{given, static_cast<std::size_t>(st.st_size)};
    }
    std::string p = model_signing::bench::scratch_path("read-strategy.bin");
    model_signing::bench::write_random_file(p, kScratchSize, 42);
    std::atexit([] { ::unlink(model_signing::bench::scratch_path("read-strategy.bin").c_str()); });
    return TestFile{p, kScratchSize};
  }();
  return file;
}

struct Sha256 {
  Sha256() : md(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex2(ctx, md, nullptr);
  }
  ~Sha256() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  void update(const void* p, std::size_t n) { EVP_DigestUpdate(ctx, p, n); }
  void finish() {
    unsigned char out[32];
    unsigned int len;
    EVP_DigestFinal_ex(ctx, out, &len);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD* md;
  EVP_MD_CTX* ctx;
};

void BM_Pread(benchmark::State& state) {
  const std::size_t buffer_size = static_cast<std::size_t>(state.range(0));
  int fd = ::open(test_file().path.c_str(), O_RDONLY);
  auto* buffer = static_cast<unsigned char*>(std::aligned_alloc(4096, buffer_size));
  for (auto _ : state) {
    Sha256 sha;
    for (std::size_t off = 0; off < test_file().size;) {
      ssize_t n = ::pread(fd, buffer, buffer_size, static_cast<off_t>(off));
      if (n <= 0) std::abort();
      sha.update(buffer, static_cast<std::size_t>(n));
      off += static_cast<std::size_t>(n);
    }
    sha.finish();
  }
  std::free(buffer);
  ::close(fd);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * test_file().size));
}
BENCHMARK(BM_Pread)
    ->Arg(64 << 10)->Arg(256 << 10)->Arg(1 << 20)->Arg(4 << 20)
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Mmap(benchmark::State& state) {
  const std::size_t window = std::size_t{64} << 20;
  const int flags = MAP_PRIVATE | (state.range(0) ? MAP_POPULATE : 0);
  int fd = ::open(test_file().path.c_str(), O_RDONLY);
  for (auto _ : state) {
    Sha256 sha;
    for (std::size_t off = 0; off < test_file().size; off += window) {
      std::size_t length = std::min(window, test_file().size - off);
      void* p = ::mmap(nullptr, length, PROT_READ, flags, fd, static_cast<off_t>(off));
      if (p == MAP_FAILED) std::abort();
      sha.update(p, length);
      ::munmap(p, length);
    }
    sha.finish();
  }
  ::close(fd);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * test_file().size));
}
BENCHMARK(BM_Mmap)
    ->Arg(0)->Arg(1)->ArgName("populate")
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
