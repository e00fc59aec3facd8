#include "hash/cpu_features.h"

#include <cstdint>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace model_signing::hash {

namespace {

#if defined(__x86_64__)
std::uint64_t read_xcr0() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return f;
  f.intel = ebx == 0x756E6547 && edx == 0x49656E69 && ecx == 0x6C65746E;  // "GenuineIntel"
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  f.sse41 = (ecx & (1u << 19)) != 0;
  bool osxsave = (ecx & (1u << 27)) != 0;
  bool avx = (ecx & (1u << 28)) != 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return f;
  f.sha_ni = f.sse41 && (ebx & (1u << 29)) != 0;
  if (!osxsave || !avx) return f;
  std::uint64_t xcr0 = read_xcr0();
  bool ymm_state = (xcr0 & 0x6) == 0x6;    // SSE and AVX registers
  bool zmm_state = (xcr0 & 0xE6) == 0xE6;  // plus opmask, ZMM_Hi256, Hi16_ZMM
  f.avx2 = f.sse41 && ymm_state && (ebx & (1u << 5)) != 0;
  bool avx512f = (ebx & (1u << 16)) != 0;
  bool avx512vl = (ebx & (1u << 31)) != 0;
  f.avx512 = f.avx2 && zmm_state && avx512f && avx512vl;
  return f;
}
#else
CpuFeatures detect() { return {}; }
#endif

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace model_signing::hash
