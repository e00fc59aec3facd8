// BLAKE2b-512 throughput on one core, every implementation in one run:
// OpenSSL (EVP), our portable kernel, our SIMD kernels on one input and on
// two inputs at once (update_pair, as the engine's workers hash two files).
//
//   Buffer/*   an in-cache buffer of 1 MiB (and 4 KiB, 128 bytes: per-input
//              costs); */pair: two of them at once, bytes of both
//   Kernel/*   the bare compression loop on 1 MiB, one input
//   File/*     files through 4 MiB MAP_POPULATE windows as the engine reads
//              them (OpenSSL and portable fed in prefetched 1 KiB pieces,
//              as the engine does for hashers whose prefetch_stride() is not 0)
//
// File/* reads MS_BLAKE2B_BENCH_FILE, one path or several separated by ':'
// (pairs take the files two at a time; a single file is paired as its two
// halves). Unset, the File/* benchmarks are skipped. For example:
//
//   MS_BLAKE2B_BENCH_FILE=$(ls /tmp/ms-bench/sixteen/shard-0[0-7].bin | paste -sd:)
//   build/bench/blake2b_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "hash/blake2b/blake2b_hasher.h"
#include "hash/evp_hasher.h"

namespace model_signing::hash {
namespace {

constexpr std::size_t kBufferSize = std::size_t{1} << 20;
constexpr std::size_t kWindow = std::size_t{4} << 20;
constexpr std::size_t kPrefetchPiece = 1024;

std::vector<std::uint8_t> random_input(std::size_t size, std::uint64_t seed) {
  std::vector<std::uint8_t> data(size);
  std::mt19937_64 rng(seed);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  return data;
}

std::unique_ptr<Hasher> make(Blake2bBackend backend) {
  if (backend == Blake2bBackend::kOpenSsl) return std::make_unique<EvpHasher>("BLAKE2B-512");
  return std::make_unique<Blake2bHasher>(backend);
}

// As the engine feeds mapped input: prefetched pieces unless the hasher
// prefetches itself.
void feed(Hasher& hasher, const std::uint8_t* data, std::size_t size) {
  std::size_t piece = hasher.prefetch_stride();
  if (piece == 0) {
    hasher.update(data, size);
    return;
  }
  for (std::size_t at = 0; at < size; at += piece) {
    for (std::size_t line = at + piece; line < at + 2 * piece && line < size; line += 64) {
      __builtin_prefetch(data + line, 0, 3);
    }
    hasher.update(data + at, std::min(piece, size - at));
  }
}

void buffer_single(benchmark::State& state, Blake2bBackend backend) {
  auto data = random_input(static_cast<std::size_t>(state.range(0)), 1);
  auto hasher = make(backend);
  std::uint8_t out[64];
  for (auto _ : state) {
    hasher->reset();
    hasher->update(data.data(), data.size());
    hasher->finish(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

void buffer_pair(benchmark::State& state, Blake2bBackend backend) {
  const auto size = static_cast<std::size_t>(state.range(0));
  auto a = random_input(size, 1), b = random_input(size, 2);
  auto ha = make(backend), hb = make(backend);
  if (!ha->pairs_with(*hb)) {
    state.SkipWithError("does not pair");
    return;
  }
  std::uint8_t out[64];
  for (auto _ : state) {
    ha->reset();
    hb->reset();
    ha->update_pair(*hb, a.data(), b.data(), size);
    ha->finish(out);
    benchmark::DoNotOptimize(out);
    hb->finish(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * 2 * size));
}

void kernel(benchmark::State& state, blake2b::CompressFn compress) {
  auto data = random_input(kBufferSize, 1);
  std::uint64_t h[8], t[2] = {0, 0};
  std::copy(std::begin(blake2b::kInitialState), std::end(blake2b::kInitialState), h);
  for (auto _ : state) {
    compress(h, t, data.data(), kBufferSize / blake2b::kBlockSize);
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBufferSize));
}

// One input of the mapped-file runs: a byte range of a file.
struct Input {
  std::string path;
  std::size_t offset, size;
};

std::vector<Input> file_inputs() {
  std::vector<Input> inputs;
  const char* env = std::getenv("MS_BLAKE2B_BENCH_FILE");
  if (!env || !*env) return inputs;
  std::string list(env);
  for (std::size_t at = 0; at <= list.size();) {
    std::size_t end = std::min(list.find(':', at), list.size());
    std::string path = list.substr(at, end - at);
    at = end + 1;
    if (path.empty()) continue;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      std::fprintf(stderr, "MS_BLAKE2B_BENCH_FILE: cannot stat %s\n", path.c_str());
      std::exit(2);
    }
    inputs.push_back({path, 0, static_cast<std::size_t>(st.st_size)});
  }
  if (inputs.size() == 1) {  // pair its two halves
    std::size_t half = inputs[0].size / 2;
    inputs.push_back({inputs[0].path, half, inputs[0].size - half});
    inputs[0].size = half;
  }
  return inputs;
}

const std::vector<Input>& inputs() {
  static const std::vector<Input> all = file_inputs();
  return all;
}

std::size_t total_size() {
  std::size_t n = 0;
  for (const Input& in : inputs()) n += in.size;
  return n;
}

// Maps windows of one input in turn, as the engine's reader does.
class Reader {
 public:
  explicit Reader(const Input& in) : in_(in), fd_(::open(in.path.c_str(), O_RDONLY)) {
    if (fd_ < 0) std::abort();
  }
  ~Reader() {
    release();
    ::close(fd_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  std::size_t left() const { return in_.size - done_; }
  // The next `size` bytes (at most kWindow).
  const std::uint8_t* next(std::size_t size) {
    release();
    std::size_t at = in_.offset + done_;
    std::size_t start = at & ~static_cast<std::size_t>(::sysconf(_SC_PAGESIZE) - 1);
    length_ = size + (at - start);
    map_ = ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_,
                  static_cast<off_t>(start));
    if (map_ == MAP_FAILED) std::abort();
    done_ += size;
    return static_cast<const std::uint8_t*>(map_) + (at - start);
  }

 private:
  void release() {
    if (map_) ::munmap(map_, length_);
    map_ = nullptr;
  }
  const Input& in_;
  int fd_;
  std::size_t done_ = 0;
  void* map_ = nullptr;
  std::size_t length_ = 0;
};

void file_single(benchmark::State& state, Blake2bBackend backend) {
  if (inputs().empty()) {
    state.SkipWithError("set MS_BLAKE2B_BENCH_FILE");
    return;
  }
  auto hasher = make(backend);
  std::uint8_t out[64];
  for (auto _ : state) {
    for (const Input& in : inputs()) {
      hasher->reset();
      Reader r(in);
      while (r.left() > 0) {
        std::size_t n = std::min(kWindow, r.left());
        feed(*hasher, r.next(n), n);
      }
      hasher->finish(out);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_size()));
}

void file_pair(benchmark::State& state, Blake2bBackend backend) {
  if (inputs().empty()) {
    state.SkipWithError("set MS_BLAKE2B_BENCH_FILE");
    return;
  }
  auto ha = make(backend), hb = make(backend);
  if (!ha->pairs_with(*hb)) {
    state.SkipWithError("does not pair");
    return;
  }
  std::uint8_t out[64];
  for (auto _ : state) {
    for (std::size_t i = 0; i < inputs().size(); i += 2) {
      ha->reset();
      Reader ra(inputs()[i]);
      if (i + 1 == inputs().size()) {  // an odd one out, on its own
        while (ra.left() > 0) {
          std::size_t n = std::min(kWindow, ra.left());
          feed(*ha, ra.next(n), n);
        }
      } else {
        hb->reset();
        Reader rb(inputs()[i + 1]);
        while (ra.left() > 0 && rb.left() > 0) {
          std::size_t n = std::min({kWindow, ra.left(), rb.left()});
          const std::uint8_t* a = ra.next(n);
          ha->update_pair(*hb, a, rb.next(n), n);
        }
        for (Reader* r : {&ra, &rb}) {
          Hasher& h = r == &ra ? *ha : *hb;
          while (r->left() > 0) {
            std::size_t n = std::min(kWindow, r->left());
            feed(h, r->next(n), n);
          }
        }
        hb->finish(out);
        benchmark::DoNotOptimize(out);
      }
      ha->finish(out);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_size()));
}

// Registers every benchmark for every backend this CPU runs.
[[maybe_unused]] const bool registered = [] {
  struct Simd {
    Blake2bBackend backend;
    blake2b::CompressFn compress;
  };
  std::vector<Simd> simd;
#if defined(__x86_64__)
  if (blake2b_backends().supported(Blake2bBackend::kAvx2)) {
    simd.push_back({Blake2bBackend::kAvx2, blake2b::compress_avx2});
  }
  if (blake2b_backends().supported(Blake2bBackend::kAvx512)) {
    simd.push_back({Blake2bBackend::kAvx512, blake2b::compress_avx512});
  }
#endif
  auto name = [](const char* kind, Blake2bBackend b) {
    return std::string(kind) + "/" + std::string(to_string(b));
  };
  for (const char* kind : {"Buffer", "File"}) {
    bool file = kind == std::string("File");
    auto single = file ? file_single : buffer_single;
    auto pair = file ? file_pair : buffer_pair;
    std::vector<benchmark::internal::Benchmark*> all;
    all.push_back(benchmark::RegisterBenchmark(name(kind, Blake2bBackend::kOpenSsl).c_str(),
                                               single, Blake2bBackend::kOpenSsl));
    all.push_back(benchmark::RegisterBenchmark(name(kind, Blake2bBackend::kPortable).c_str(),
                                               single, Blake2bBackend::kPortable));
    for (const Simd& s : simd) {
      all.push_back(benchmark::RegisterBenchmark((name(kind, s.backend) + "/single").c_str(),
                                                 single, s.backend));
      all.push_back(benchmark::RegisterBenchmark((name(kind, s.backend) + "/pair").c_str(), pair,
                                                 s.backend));
    }
    for (auto* b : all) {
      if (file) {
        b->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
      } else {
        b->Unit(benchmark::kMicrosecond)->Arg(kBufferSize)->Arg(4096)->Arg(128);
      }
    }
  }
  benchmark::RegisterBenchmark("Kernel/portable", kernel, blake2b::compress_portable);
  for (const Simd& s : simd) {
    benchmark::RegisterBenchmark(name("Kernel", s.backend).c_str(), kernel, s.compress);
  }
  return true;
}();

}  // namespace
}  // namespace model_signing::hash

BENCHMARK_MAIN();
