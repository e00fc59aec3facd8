// Why the hashing engine reads with pread() into a 256 KiB buffer: reading
// and SHA-256-hashing a warm 256 MiB file with pread at several buffer sizes
// versus mmap (plain, MAP_POPULATE), on one thread and on two at once (two
// workers, as on a 2-core machine). Run: build/bench/read_strategy_bench
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "bench_files.h"

namespace {

constexpr std::size_t kFileSize = std::size_t{256} << 20;

const std::string& test_file() {
  static const std::string path = [] {
    std::string p = model_signing::bench::scratch_path("read-strategy.bin");
    model_signing::bench::write_random_file(p, kFileSize, 42);
    std::atexit([] { ::unlink(model_signing::bench::scratch_path("read-strategy.bin").c_str()); });
    return p;
  }();
  return path;
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
  int fd = ::open(test_file().c_str(), O_RDONLY);
  auto* buffer = static_cast<unsigned char*>(std::aligned_alloc(4096, buffer_size));
  for (auto _ : state) {
    Sha256 sha;
    for (std::size_t off = 0; off < kFileSize;) {
      ssize_t n = ::pread(fd, buffer, buffer_size, static_cast<off_t>(off));
      if (n <= 0) std::abort();
      sha.update(buffer, static_cast<std::size_t>(n));
      off += static_cast<std::size_t>(n);
    }
    sha.finish();
  }
  std::free(buffer);
  ::close(fd);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kFileSize));
}
BENCHMARK(BM_Pread)
    ->Arg(64 << 10)->Arg(256 << 10)->Arg(1 << 20)->Arg(4 << 20)
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Mmap(benchmark::State& state) {
  const std::size_t window = std::size_t{64} << 20;
  const int flags = MAP_PRIVATE | (state.range(0) ? MAP_POPULATE : 0);
  int fd = ::open(test_file().c_str(), O_RDONLY);
  for (auto _ : state) {
    Sha256 sha;
    for (std::size_t off = 0; off < kFileSize; off += window) {
      void* p = ::mmap(nullptr, window, PROT_READ, flags, fd, static_cast<off_t>(off));
      if (p == MAP_FAILED) std::abort();
      sha.update(p, window);
      ::munmap(p, window);
    }
    sha.finish();
  }
  ::close(fd);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kFileSize));
}
BENCHMARK(BM_Mmap)
    ->Arg(0)->Arg(1)->ArgName("populate")
    ->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
