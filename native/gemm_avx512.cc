// AVX-512 micro-kernels: 14 rows × 32 columns (28 zmm accumulators, 2 for B, 1 broadcast), for
// packed GEMM blocks and for direct convolution of few-channel images.
// Compiled for AVX-512 through the target pragma only; cpu.cc decides whether it may run.
#include "microkernel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include <array>
#include <utility>

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
// The direct tile reads overlapping pixels (a[r·step + j] is a[(r+1)·step + j - step]);
// predictive commoning then carries those values across iterations in registers the
// accumulators need, and spills (measured: 1,100 stack moves per tile, 2× slower).
#pragma GCC optimize("no-predictive-commoning")

namespace dt {
namespace {

constexpr int MR = 14;
constexpr int NR = 32;
constexpr int KC = 320;  // also the row stride of row-major A blocks

__mmask16 lane_mask(int n) { return n >= 16 ? __mmask16(0xFFFF) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1); }

// Rows r < rows of the accumulators to c: (+ c's contents) + bias, then relu, in lanes m0/m1.
template <int R>
inline __attribute__((always_inline)) void store_rows(const __m512 (&c0)[R], const __m512 (&c1)[R], int rows,
                                                      float* c, int64_t ldc, __mmask16 m0, __mmask16 m1,
                                                      bool accumulate, const float* bias, bool relu) {
  const __m512 zero = _mm512_setzero_ps();
  const __m512 bias0 = bias ? _mm512_maskz_loadu_ps(m0, bias) : zero;
  const __m512 bias1 = bias ? _mm512_maskz_loadu_ps(m1, bias + 16) : zero;
#pragma GCC unroll 14
  for (int r = 0; r < R; r++) {
    if (r >= rows) break;
    float* row = c + r * ldc;
    __m512 v0 = _mm512_add_ps(c0[r], bias0), v1 = _mm512_add_ps(c1[r], bias1);
    if (accumulate) {
      v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, row));
      v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, row + 16));
    }
    if (relu) {  // keep lanes > 0, zero the rest (NaN included), as `v > 0 ? v : 0` does
      v0 = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v0, zero, _CMP_GT_OQ), v0);
      v1 = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v1, zero, _CMP_GT_OQ), v1);
    }
    _mm512_mask_storeu_ps(row, m0, v0);
    _mm512_mask_storeu_ps(row + 16, m1, v1);
  }
}

// Full-width tiles load B unmasked: masked loads in the loop cost as much as a third of it.
// The k loop is unrolled 4× (measured: ~70% of the FMA peak rolled, ~95% unrolled).
template <int R, bool KMajor, bool Full>
void tile(const MicroTile& t) {
  __m512 c0[R], c1[R];
#pragma GCC unroll 14
  for (int r = 0; r < R; r++) c0[r] = c1[r] = _mm512_setzero_ps();
  const __mmask16 m0 = lane_mask(t.nr), m1 = lane_mask(t.nr - 16);
  const float* a = t.a;
  const float* b = t.b;
  const int64_t cs = t.a_cs, ldb = t.ldb, kc = t.kc;
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; k++) {
    const __m512 b0 = Full ? _mm512_loadu_ps(b) : _mm512_maskz_loadu_ps(m0, b);
    const __m512 b1 = Full ? _mm512_loadu_ps(b + 16) : _mm512_maskz_loadu_ps(m1, b + 16);
#pragma GCC unroll 14
    for (int r = 0; r < R; r++) {
      const __m512 av = _mm512_set1_ps(KMajor ? a[r] : a[r * KC]);
      c0[r] = _mm512_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm512_fmadd_ps(av, b1, c1[r]);
    }
    a += cs;
    b += ldb;
  }
  store_rows<R>(c0, c1, R, t.c, t.ldc, m0, m1, t.accumulate, t.bias, t.relu);
}

// Direct convolution of few-channel images (see DirectTile): every pixel of the tile is
// computed, rows past the image's edge from the zero-padded band the caller provides.
template <int Step, bool Full>
void direct_tile(const DirectTile& t) {
  __m512 c0[MR], c1[MR];
#pragma GCC unroll 14
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm512_setzero_ps();
  const __mmask16 m0 = lane_mask(t.nr), m1 = lane_mask(t.nr - 16);
  const float* b = t.b;
  for (int ky = 0; ky < t.kernel_h; ky++) {
    const float* a = t.a + ky * t.a_row;
#pragma GCC unroll 4
    for (int j = 0; j < t.taps_w; j++) {
      const __m512 b0 = Full ? _mm512_loadu_ps(b) : _mm512_maskz_loadu_ps(m0, b);
      const __m512 b1 = Full ? _mm512_loadu_ps(b + 16) : _mm512_maskz_loadu_ps(m1, b + 16);
#pragma GCC unroll 14
      for (int r = 0; r < MR; r++) {
        const __m512 av = _mm512_set1_ps(a[r * Step + j]);
        c0[r] = _mm512_fmadd_ps(av, b0, c0[r]);
        c1[r] = _mm512_fmadd_ps(av, b1, c1[r]);
      }
      b += t.ldb;
    }
  }
  store_rows<MR>(c0, c1, t.mr, t.c, t.ldc, m0, m1, false, t.bias, t.relu);
}

template <bool KMajor, bool Full, size_t... R>
constexpr auto tile_table(std::index_sequence<R...>) {
  return std::array<MicroKernel, sizeof...(R)>{{(R == 0 ? nullptr : &tile<R == 0 ? 1 : int(R), KMajor, Full>)...}};
}

template <bool KMajor>
void dispatch(const MicroTile& t) {
  static constexpr auto full = tile_table<KMajor, true>(std::make_index_sequence<MR + 1>());
  static constexpr auto part = tile_table<KMajor, false>(std::make_index_sequence<MR + 1>());
  (t.nr == NR ? full : part)[t.mr](t);
}

// Steps of an RGB or grey input layer at strides 1 and 2 (and 4-channel images).
DirectKernel direct(int step, bool full_width) {
  switch (step) {
    case 1: return full_width ? &direct_tile<1, true> : &direct_tile<1, false>;
    case 2: return full_width ? &direct_tile<2, true> : &direct_tile<2, false>;
    case 3: return full_width ? &direct_tile<3, true> : &direct_tile<3, false>;
    case 4: return full_width ? &direct_tile<4, true> : &direct_tile<4, false>;
    case 6: return full_width ? &direct_tile<6, true> : &direct_tile<6, false>;
    case 8: return full_width ? &direct_tile<8, true> : &direct_tile<8, false>;
    default: return nullptr;
  }
}

}  // namespace

const GemmArch* avx512_arch() {
  static const GemmArch arch{Isa::Avx512, MR, NR, KC, MR * 12, &dispatch<false>, &dispatch<true>, &direct};
  return &arch;
}

}  // namespace dt

#pragma GCC pop_options
#else
namespace dt {
const GemmArch* avx512_arch() { return nullptr; }
}  // namespace dt
#endif
