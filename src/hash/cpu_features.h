// The x86-64 instruction-set extensions the hash kernels use, detected once
// per process (CPUID traps to the hypervisor on a VM, so it is slow), with
// the OS's register-state support checked for AVX and AVX-512. All false on
// other architectures.
#pragma once

namespace model_signing::hash {

struct CpuFeatures {
  bool sse41 = false;
  bool avx2 = false;    // with the OS saving the YMM registers
  bool avx512 = false;  // F and VL, with the OS saving the ZMM and opmask state
  bool sha_ni = false;  // the SHA extensions (with SSE4.1)
  bool intel = false;   // GenuineIntel (BLAKE3 picks its AVX-512 kernel by it)
};

const CpuFeatures& cpu_features();

}  // namespace model_signing::hash
