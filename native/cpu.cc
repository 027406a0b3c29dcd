#include "cpu.h"

#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace dt {

bool cpu_supports(Isa isa) {
  switch (isa) {
    case Isa::Scalar:
      return true;
#if defined(__x86_64__) && defined(__GNUC__)
    // libgcc also checks XCR0, so an OS that does not save zmm state reports no AVX-512.
    case Isa::Avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    case Isa::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
    // Advanced SIMD with fused multiply-add is part of every AArch64 CPU.
    case Isa::Neon:
      return true;
#endif
    default:
      return false;
  }
}

std::vector<const char*> cpu_features() {
  std::vector<const char*> found;
#if defined(__x86_64__) && defined(__GNUC__)
  // __builtin_cpu_supports takes literals only.
#define DT_FEATURE(name) \
  if (__builtin_cpu_supports(name)) found.push_back(name);
  DT_FEATURE("sse4.2") DT_FEATURE("avx") DT_FEATURE("avx2") DT_FEATURE("fma")
  DT_FEATURE("avx512f") DT_FEATURE("avx512bw") DT_FEATURE("avx512dq") DT_FEATURE("avx512vl")
#undef DT_FEATURE
#elif defined(__aarch64__) || defined(_M_ARM64)
  found.push_back("neon");
#endif
  return found;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    case Isa::Neon: return "neon";
    case Isa::Scalar: return "scalar";
  }
  return "scalar";
}

Isa detected_isa() {
  Isa best = Isa::Scalar;
  for (Isa isa : {Isa::Avx2, Isa::Avx512, Isa::Neon}) {
    if (cpu_supports(isa)) best = isa;
  }
  const char* want = std::getenv("DEEPTYPE_ISA");
  if (!want) return best;
  for (Isa isa : kIsas) {
    if (std::strcmp(want, isa_name(isa)) == 0 && cpu_supports(isa)) return isa;
  }
  return best;
}

}  // namespace dt
