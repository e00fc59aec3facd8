// The dispatcher: detects the CPU once, honours MS_BLAKE3_BACKEND and
// force_backend(), and hands out the kernels of the chosen backend.
#include "hash/blake3/backend.h"

#include <atomic>
#include <cstdlib>
#include <string>

#include "hash/blake3/backend_kernels.h"
#include "model_signing/error.h"
#include "util/cpu_features.h"

namespace model_signing::hash::blake3 {

namespace {

constexpr Kernels kPortable{Backend::kPortable, 1, portable::compress_in_place,
                            portable::compress_xof, portable::hash_many, ""};
#if defined(MS_BLAKE3_X86)
constexpr Kernels kSse41{Backend::kSse41, 8, portable::compress_in_place, portable::compress_xof,
                         sse41::hash_many, ""};
constexpr Kernels kAvx2{Backend::kAvx2, 16, portable::compress_in_place, portable::compress_xof,
                        avx2::hash_many, ""};
// Both AVX-512 kernels take 32 inputs per call: the tree code hands over
// 32 consecutive chunks and 32 parents per level (the pipelined kernel does
// them as two batches of 16 without a break; 64 or 128 per call measured the
// same).
constexpr Kernels kAvx512{Backend::kAvx512, 32, portable::compress_in_place, portable::compress_xof,
                          avx512::hash_many, "pipelined"};
constexpr Kernels kAvx512Wide{Backend::kAvx512, 32, portable::compress_in_place,
                              portable::compress_xof, avx512::hash_many_wide, "wide"};
#endif

constexpr Backend kAllBackends[] = {Backend::kPortable, Backend::kSse41, Backend::kAvx2,
                                    Backend::kAvx512};

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

Backend best_backend() {
  if (cpu_features().avx512) return Backend::kAvx512;
  if (cpu_features().avx2) return Backend::kAvx2;
  if (cpu_features().sse41) return Backend::kSse41;
  return Backend::kPortable;
}

// The automatic choice: MS_BLAKE3_BACKEND if set, else the best available.
// Decided once; a bad variable is reported every time kernels are asked for.
struct AutomaticChoice {
  const Kernels* kernels = nullptr;
  std::string error;
};

const AutomaticChoice& automatic_choice() {
  static const AutomaticChoice choice = [] {
    AutomaticChoice c;
    const char* env = std::getenv("MS_BLAKE3_BACKEND");
    if (env == nullptr || *env == '\0') {
      c.kernels = &kernels_of(best_backend());
      return c;
    }
    std::optional<Backend> forced = parse_backend(env);
    if (!forced) {
      c.error = std::string("MS_BLAKE3_BACKEND=") + env +
                ": unknown BLAKE3 backend (expected portable, sse41, avx2 or avx512)";
    } else if (!backend_supported(*forced)) {
      c.error = std::string("MS_BLAKE3_BACKEND=") + env + ": this CPU cannot run that backend";
    } else {
      c.kernels = &kernels_of(*forced);
    }
    return c;
  }();
  return choice;
}

std::atomic<const Kernels*> g_forced{nullptr};

}  // namespace

std::string_view to_string(Backend backend) {
  switch (backend) {
    case Backend::kPortable:
      return "portable";
    case Backend::kSse41:
      return "sse41";
    case Backend::kAvx2:
      return "avx2";
    case Backend::kAvx512:
      return "avx512";
  }
  return "unknown";
}

std::optional<Backend> parse_backend(std::string_view name) {
  for (Backend b : kAllBackends) {
    if (to_string(b) == name) return b;
  }
  return std::nullopt;
}

bool backend_supported(Backend backend) {
  switch (backend) {
    case Backend::kPortable:
      return true;
    case Backend::kSse41:
      return cpu_features().sse41;
    case Backend::kAvx2:
      return cpu_features().avx2;
    case Backend::kAvx512:
      return cpu_features().avx512;
  }
  return false;
}

std::vector<Backend> supported_backends() {
  std::vector<Backend> out;
  for (Backend b : kAllBackends) {
    if (backend_supported(b)) out.push_back(b);
  }
  return out;
}

const Kernels& kernels_for(Backend backend) {
  if (!backend_supported(backend)) {
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
#endif
  return out;
}

const Kernels& active_kernels() {
  if (const Kernels* forced = g_forced.load(std::memory_order_acquire)) return *forced;
  const AutomaticChoice& choice = automatic_choice();
  if (!choice.kernels) throw Error(ErrorKind::kInvalidArgument, choice.error);
  return *choice.kernels;
}

void force_backend(std::optional<Backend> backend) {
  g_forced.store(backend ? &kernels_for(*backend) : nullptr, std::memory_order_release);
}

}  // namespace model_signing::hash::blake3
