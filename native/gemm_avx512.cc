// AVX-512 micro-kernels: 14 rows × 32 columns (28 zmm accumulators, 2 for B, 1 broadcast), for
// packed GEMM blocks and for direct convolution of few-channel images; 28 × 16 for narrow products.
// Compiled for AVX-512 through the target pragma only; cpu.cc decides whether it may run.
#include "microkernel.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include <array>
#include <utility>

DT_TARGET_BEGIN("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")
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

// Rows r < rows of the accumulators (V vectors of 16 columns each) to row_at(r), skipping
// rows it gives as null: (+ the row's contents) + bias, then relu, in lanes m[v].
template <int R, int V, typename RowAt>
DT_INLINE void store_rows_at(const __m512 (&acc)[R][V], int rows, RowAt row_at,
                                                         const __mmask16* m, bool accumulate, const float* bias,
                                                         bool relu) {
  const __m512 zero = _mm512_setzero_ps();
  __m512 bias_v[V];
  for (int v = 0; v < V; v++) bias_v[v] = bias ? _mm512_maskz_loadu_ps(m[v], bias + 16 * v) : zero;
#pragma GCC unroll 28
  for (int r = 0; r < R; r++) {
    if (r >= rows) break;
    float* row = row_at(r);
    if (!row) continue;
#pragma GCC unroll 4
    for (int v = 0; v < V; v++) {
      __m512 x = _mm512_add_ps(acc[r][v], bias_v[v]);
      if (accumulate) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m[v], row + 16 * v));
      // relu zeroes the lanes <= 0 and keeps the rest (NaN included), as relu() does
      if (relu) x = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, zero, _CMP_NLE_UQ), x);
      _mm512_mask_storeu_ps(row + 16 * v, m[v], x);
    }
  }
}

// The same for rows ldc floats apart from c.
template <int R, int V>
DT_INLINE void store_rows(const __m512 (&acc)[R][V], int rows, float* c, int64_t ldc,
                                                      const __mmask16* m, bool accumulate, const float* bias,
                                                      bool relu) {
  store_rows_at<R, V>(acc, rows, [&](int r) { return c + r * ldc; }, m, accumulate, bias, relu);
}

// R rows × V·16 columns. Full-width tiles load B unmasked: masked loads in the loop cost as
// much as a third of it. The k loop is unrolled 4× (measured: ~70% of the FMA peak rolled,
// ~95% unrolled).
// Element (r, k) of A at a[r·RS + k·cs]: RS is 1 for k-major blocks, KC for row-major ones,
// or the row stride of a matrix read in place.
template <int R, int V, int RS, bool Full>
void tile(const MicroTile& t) {
  __m512 acc[R][V];
#pragma GCC unroll 28
  for (int r = 0; r < R; r++)
    for (int v = 0; v < V; v++) acc[r][v] = _mm512_setzero_ps();
  const __mmask16 m[2] = {lane_mask(t.nr), lane_mask(t.nr - 16)};
  const float* a = t.a;
  const float* b = t.b;
  const int64_t cs = t.a_cs, ldb = t.ldb, kc = t.kc;
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; k++) {
    __m512 bv[V];
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) bv[v] = Full ? _mm512_loadu_ps(b + 16 * v) : _mm512_maskz_loadu_ps(m[v], b + 16 * v);
#pragma GCC unroll 28
    for (int r = 0; r < R; r++) {
      const __m512 av = _mm512_set1_ps(a[r * RS]);
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
    a += cs;
    b += ldb;
  }
  store_rows<R, V>(acc, R, t.c, t.ldc, m, t.accumulate, t.bias, t.relu);
}

// Direct convolution of few-channel images (see DirectTile), R pixels × V·16 channels: every
// pixel of the tile is computed from the zero-padded band the caller provides; those with an
// output pixel are stored.
template <int R, int V, int Step, bool Full>
void direct_tile(const DirectTile& t) {
  __m512 acc[R][V];
#pragma GCC unroll 14
  for (int r = 0; r < R; r++)
#pragma GCC unroll 4
    for (int v = 0; v < V; v++) acc[r][v] = _mm512_setzero_ps();
  __mmask16 m[V];
  for (int v = 0; v < V; v++) m[v] = lane_mask(t.nr - 16 * v);
  const float* b = t.b;
  for (int ky = 0; ky < t.kernel_h; ky++) {
    const float* a = t.a + ky * t.a_row;
#pragma GCC unroll 4
    for (int j = 0; j < t.taps_w; j++) {
      __m512 bv[V];
#pragma GCC unroll 4
      for (int v = 0; v < V; v++) bv[v] = Full ? _mm512_loadu_ps(b + 16 * v) : _mm512_maskz_loadu_ps(m[v], b + 16 * v);
#pragma GCC unroll 14
      for (int r = 0; r < R; r++) {
        const __m512 av = _mm512_set1_ps(a[r * Step + j]);
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
      }
      b += t.ldb;
    }
  }
  if (t.rows) store_rows_at<R, V>(acc, t.mr, [&](int r) { return t.rows[r]; }, m, false, t.bias, t.relu);
  else store_rows<R, V>(acc, t.mr, t.c, t.ldc, m, false, t.bias, t.relu);
}

template <int R, int V, int Step>
DirectTiles direct_tiles() {
  return {&direct_tile<R, V, Step, true>, &direct_tile<R, V, Step, false>, R, 16 * V};
}

// Outputs in whole panels of 64 channels take tiles of 7 pixels × 4 vectors: each tap's 4
// kernel loads and 7 broadcasts feed 28 multiply-adds, where 14 × 2 needs 2 and 14.
// Measured 8–12% faster on SqueezeNet's conv1 and fire2–3 expand3x3, 5–8% on VGG16's block1_conv1.
template <int Step>
DirectTiles direct_tiles_for(int64_t out_c) {
  return out_c % 64 == 0 ? direct_tiles<7, 4, Step>() : direct_tiles<MR, 2, Step>();
}

template <int V, int RS, bool Full, size_t... R>
constexpr auto tile_table(std::index_sequence<R...>) {
  return std::array<MicroKernel, sizeof...(R)>{{(R == 0 ? nullptr : &tile<R == 0 ? 1 : int(R), V, RS, Full>)...}};
}

// Tiles of up to MaxR rows × V·16 columns, by their row count and whether they are full width.
template <int MaxR, int V, int RS>
void dispatch(const MicroTile& t) {
  static constexpr auto full = tile_table<V, RS, true>(std::make_index_sequence<MaxR + 1>());
  static constexpr auto part = tile_table<V, RS, false>(std::make_index_sequence<MaxR + 1>());
  (t.nr == 16 * V ? full : part)[t.mr](t);
}

// Steps of an RGB or grey input layer at strides 1 and 2 (and 4-channel images), and of
// 16-channel inputs at stride 1 (SqueezeNet's first fire modules).
DirectTiles direct(int step, int64_t out_c) {
  switch (step) {
    case 1: return direct_tiles_for<1>(out_c);
    case 2: return direct_tiles_for<2>(out_c);
    case 3: return direct_tiles_for<3>(out_c);
    case 4: return direct_tiles_for<4>(out_c);
    case 6: return direct_tiles_for<6>(out_c);
    case 8: return direct_tiles_for<8>(out_c);
    case 16: return direct_tiles_for<16>(out_c);
    default: return {};
  }
}

// Full-height tiles whose A rows are read in place, RS floats apart (a pointwise convolution's
// image, rows of inC channels): no copy into a packed block.
template <int MaxR, int V, int RS>
void in_place_tile(const MicroTile& t) {
  (t.nr == 16 * V ? &tile<MaxR, V, RS, true> : &tile<MaxR, V, RS, false>)(t);
}

// The channel counts of SqueezeNet's pointwise convolutions, less those whose MaxR rows would
// crowd into few L1 sets: rows 2 KiB apart fall on two set offsets of the L1's 4 KiB way, so 14
// rows put 7 lines in a set (it has 12 ways) and 28 would put 14.
template <int MaxR, int V>
MicroKernel in_place(int64_t row_stride) {
  switch (row_stride) {
    case 16: return &in_place_tile<MaxR, V, 16>;
    case 32: return &in_place_tile<MaxR, V, 32>;
    case 48: return &in_place_tile<MaxR, V, 48>;
    case 64: return &in_place_tile<MaxR, V, 64>;
    case 128: return &in_place_tile<MaxR, V, 128>;
    case 256: return &in_place_tile<MaxR, V, 256>;
    case 384: return &in_place_tile<MaxR, V, 384>;
    case 512: return MaxR <= 14 ? &in_place_tile<MaxR, V, 512> : nullptr;
    default: return nullptr;
  }
}

}  // namespace

const GemmArch* avx512_arch() {
  // Products at most 16 columns wide (SqueezeNet's 16-channel squeeze convolutions, small
  // dense heads) would leave half of each 14×32 tile idle: a 28×16 tile keeps 28 accumulators.
  static const GemmArch narrow{Isa::Avx512, 28, 16, KC, 28 * 6, &dispatch<28, 1, KC>, &dispatch<28, 1, 1>,
                               &in_place<28, 1>, nullptr, nullptr};
  static const GemmArch arch{Isa::Avx512, MR, NR, KC, MR * 12, &dispatch<MR, 2, KC>, &dispatch<MR, 2, 1>,
                             &in_place<MR, 2>, &direct, &narrow};
  return &arch;
}

}  // namespace dt

DT_TARGET_END
#else
namespace dt {
const GemmArch* avx512_arch() { return nullptr; }
}  // namespace dt
#endif
