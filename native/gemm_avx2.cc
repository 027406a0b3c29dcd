// AVX2+FMA micro-kernel: 6 rows × 16 columns (12 ymm accumulators, 2 for B, 1 broadcast).
// Compiled for AVX2 through the target pragma only; cpu.cc decides whether it may run.
#include "microkernel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

DT_TARGET_BEGIN("avx2,fma")

namespace dt {
namespace {

constexpr int MR = 6;
constexpr int NR = 16;
constexpr int KC = 256;  // also the row stride of row-major A blocks

// Lanes below n set: maskload/maskstore never touch the others, even past the array's end.
__m256i lane_mask(int n) {
  alignas(32) static const int32_t ramp[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_load_si256(reinterpret_cast<const __m256i*>(ramp)));
}

template <int R, bool KMajor>
void tile(const MicroTile& t) {
  __m256 c0[R], c1[R];
#pragma GCC unroll 6
  for (int r = 0; r < R; r++) c0[r] = c1[r] = _mm256_setzero_ps();
  const __m256i m0 = lane_mask(t.nr), m1 = lane_mask(t.nr - 8);
  const float* a = t.a;
  const float* b = t.b;
  const int64_t cs = t.a_cs, ldb = t.ldb, kc = t.kc;
  // Unrolled 4×: the rolled loop's overhead costs a quarter of the FMA peak (see gemm_avx512.cc).
  if (t.nr == NR) {
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; k++) {
      const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
      for (int r = 0; r < R; r++) {
        const __m256 av = _mm256_broadcast_ss(KMajor ? a + r : a + r * KC);
        c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
        c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
      }
      a += cs;
      b += ldb;
    }
  } else {
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; k++) {
      const __m256 b0 = _mm256_maskload_ps(b, m0), b1 = _mm256_maskload_ps(b + 8, m1);
#pragma GCC unroll 6
      for (int r = 0; r < R; r++) {
        const __m256 av = _mm256_broadcast_ss(KMajor ? a + r : a + r * KC);
        c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
        c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
      }
      a += cs;
      b += ldb;
    }
  }
  const __m256 zero = _mm256_setzero_ps();
  const __m256 bias0 = t.bias ? _mm256_maskload_ps(t.bias, m0) : zero;
  const __m256 bias1 = t.bias ? _mm256_maskload_ps(t.bias + 8, m1) : zero;
#pragma GCC unroll 6
  for (int r = 0; r < R; r++) {
    float* c = t.c + r * t.ldc;
    __m256 v0 = _mm256_add_ps(c0[r], bias0), v1 = _mm256_add_ps(c1[r], bias1);
    if (t.accumulate) {
      v0 = _mm256_add_ps(v0, _mm256_maskload_ps(c, m0));
      v1 = _mm256_add_ps(v1, _mm256_maskload_ps(c + 8, m1));
    }
    if (t.relu) {  // keeps the lanes that are not <= 0 (NaN included), as relu() does
      v0 = _mm256_and_ps(v0, _mm256_cmp_ps(v0, zero, _CMP_NLE_UQ));
      v1 = _mm256_and_ps(v1, _mm256_cmp_ps(v1, zero, _CMP_NLE_UQ));
    }
    _mm256_maskstore_ps(c, m0, v0);
    _mm256_maskstore_ps(c + 8, m1, v1);
  }
}

template <bool KMajor>
struct Tiles {
  template <int R>
  static void rows(const MicroTile& t) { tile<R, KMajor>(t); }
};

}  // namespace

const GemmArch* avx2_arch() {
  static const GemmArch arch{Isa::Avx2, MR, NR, KC, MR * 24, &by_rows<MR, Tiles<false>>,
                             &by_rows<MR, Tiles<true>>, nullptr, nullptr, nullptr};
  return &arch;
}

}  // namespace dt

DT_TARGET_END
#else
namespace dt {
const GemmArch* avx2_arch() { return nullptr; }
}  // namespace dt
#endif
