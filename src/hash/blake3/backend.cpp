// The dispatcher: the backends (chosen through hash/backend_dispatch.h),
// force_backend(), and the kernels of the chosen backend.
#include "hash/blake3/backend.h"

#include <atomic>
#include <string>

#include "hash/blake3/backend_kernels.h"
#include "model_signing/error.h"

namespace model_signing::hash::blake3 {

namespace {

constexpr Kernels kPortable{Backend::kPortable, 1, portable::compress_in_place,
                            portable::compress_xof, portable::hash_many, ""};
#if defined(MS_BLAKE3_X86)
constexpr Kernels kSse41{Backend::kSse41, 8, portable::compress_in_place, portable::compress_xof,
                         sse41::hash_many, ""};
// Like AVX-512's, both AVX2 kernels take 32 inputs per call (the pipelined
// one does them as four batches of 8 without a break).
constexpr Kernels kAvx2{Backend::kAvx2, 32, portable::compress_in_place, portable::compress_xof,
                        avx2::hash_many, "pipelined"};
constexpr Kernels kAvx2Wide{Backend::kAvx2, 32, portable::compress_in_place,
                            portable::compress_xof, avx2::hash_many_wide, "wide"};
// Both AVX-512 kernels take 32 inputs per call: the tree code hands over
// 32 consecutive chunks and 32 parents per level (the pipelined kernel does
// them as two batches of 16 without a break; 64 or 128 per call measured the
// same).
constexpr Kernels kAvx512{Backend::kAvx512, 32, portable::compress_in_place, portable::compress_xof,
                          avx512::hash_many, "pipelined"};
constexpr Kernels kAvx512Wide{Backend::kAvx512, 32, portable::compress_in_place,
                              portable::compress_xof, avx512::hash_many_wide, "wide"};
#endif

const Kernels& kernels_of(Backend backend) {
  switch (backend) {
#if defined(MS_BLAKE3_X86)
    case Backend::kSse41:
      return kSse41;
    case Backend::kAvx2:
      return kAvx2;
    case Backend::kAvx512:
      return cpu_features().intel ? kAvx512 : kAvx512Wide;
#endif
    default:
      return kPortable;
  }
}

std::atomic<const Kernels*> g_forced{nullptr};

}  // namespace

const BackendDispatch<Backend, 4>& backends() {
  static const BackendDispatch<Backend, 4> all(
      "BLAKE3", "MS_BLAKE3_BACKEND",
      {{{Backend::kPortable, {"portable", nullptr, 1}},
        {Backend::kSse41, {"sse41", &CpuFeatures::sse41, 2}},
        {Backend::kAvx2, {"avx2", &CpuFeatures::avx2, 3}},
        {Backend::kAvx512, {"avx512", &CpuFeatures::avx512, 4}}}});
  return all;
}

std::vector<Backend> supported_backends() {
  std::vector<Backend> out;
  for (Backend b : backends().all()) {
    if (backends().supported(b)) out.push_back(b);
  }
  return out;
}

const Kernels& kernels_for(Backend backend) {
  if (!backends().supported(backend)) {
    throw Error(ErrorKind::kUnsupported, "BLAKE3 backend " + std::string(to_string(backend)) +
                                             " is not supported by this CPU");
  }
  return kernels_of(backend);
}

std::vector<const Kernels*> kernel_variants(Backend backend) {
  const Kernels& chosen = kernels_for(backend);
  std::vector<const Kernels*> out{&chosen};
#if defined(MS_BLAKE3_X86)
  if (backend == Backend::kAvx512) out.push_back(&chosen == &kAvx512 ? &kAvx512Wide : &kAvx512);
  if (backend == Backend::kAvx2) out.push_back(&kAvx2Wide);
#endif
  return out;
}

const Kernels& active_kernels() {
  if (const Kernels* forced = g_forced.load(std::memory_order_acquire)) return *forced;
  return kernels_of(backends().selected());
}

void force_backend(std::optional<Backend> backend) {
  g_forced.store(backend ? &kernels_for(*backend) : nullptr, std::memory_order_release);
}

}  // namespace model_signing::hash::blake3
