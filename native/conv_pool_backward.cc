// The backward pass of conv2d_max_pool. Its forward kept, for each pooled output, the window
// cell it came from; every other cell of the convolution's output has a zero gradient.
//
// A layer with few input channels (a first layer: 3×3×3 patches) takes its kernel gradient
// straight from those cells: for each output channel, Σ over pooled outputs of the gradient
// times the patch under the winning cell, a quarter of the dense product's terms under a 2×2
// pool, and the full-size gradient is never written. Each patch row is a few vectors read where
// it lies, summed in registers across a pooled row. Otherwise, and for the input's gradient, the
// pooled gradient is routed to a full-size one first and the convolution's own backward runs.
#include <algorithm>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "gemm.h"
#include "kernels.h"
#include "memory.h"
#include "pool.h"
#include "threadpool.h"

namespace dt {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

#if defined(__x86_64__) && defined(__GNUC__)
#define DT_WINNERS_GRAD_AVX512 1

// Registers per output channel: one per 16 values of each of the patch's kh rows.
constexpr int kMaxVectors = 12;

int64_t patch_vectors(const ConvGeom& g) { return g.kernelH * ceil_div(int64_t(g.kernelW) * g.inC, 16); }

// The input rows one pooled row's windows read, as a zero-padded image of their own: pixel
// (r, c) is input pixel (first_row + r, c - padLeft), so every patch lies inside. Rows wholly in
// the image with no padded columns are read in place.
struct RowBlock {
  int64_t rows, width;  // width in pixels
};

const float* padded_rows(float* scratch, const float* x, const ConvGeom& g, const RowBlock& block, int64_t b,
                         int64_t first_row) {
  const int64_t C = g.inC;
  if (g.padLeft == 0 && block.width == g.inW && first_row >= 0 && first_row + block.rows <= g.inH)
    return x + (b * g.inH + first_row) * g.inW * C;
  for (int64_t r = 0; r < block.rows; r++) {
    float* dst = scratch + r * block.width * C;
    const int64_t iy = first_row + r;
    std::fill(dst, dst + block.width * C, 0.0f);
    if (iy < 0 || iy >= g.inH) continue;
    const int64_t c0 = std::max<int64_t>(0, -int64_t(g.padLeft)), c1 = std::min<int64_t>(g.inW, block.width - g.padLeft);
    const float* src = x + ((b * g.inH + iy) * g.inW) * C;
    std::copy(src + c0 * C, src + c1 * C, dst + (c0 + g.padLeft) * C);
  }
  return scratch;
}

// sum[v·16 + lane] += Σ over the row's pooled outputs of dpool·patch vector v (lanes under
// mask[v], at offset[v] from the winning cell's patch origin) for one output channel, whose
// dpool and winners are `channels` apart. Two sets of registers take alternate outputs, so
// each addition waits on one from two outputs back.
template <int N>
__attribute__((target("avx512f"))) void sum_winning_patches(float* sum, const float* rows, const int64_t* origins,
                                                            const int64_t* offset, const __mmask16* mask,
                                                            const float* dpool, const uint8_t* winners,
                                                            int64_t channels, int64_t outputs, int64_t cells) {
  __m512 even[N], odd[N];
  int64_t off[N];
  __mmask16 lanes[N];
#pragma GCC unroll 16
  for (int v = 0; v < N; v++) even[v] = odd[v] = _mm512_setzero_ps(), off[v] = offset[v], lanes[v] = mask[v];
  int64_t px = 0;
  for (; px + 1 < outputs; px += 2) {
    const float* a = rows + origins[px * cells + winners[px * channels]];
    const float* b = rows + origins[(px + 1) * cells + winners[(px + 1) * channels]];
    const __m512 da = _mm512_set1_ps(dpool[px * channels]), db = _mm512_set1_ps(dpool[(px + 1) * channels]);
#pragma GCC unroll 16
    for (int v = 0; v < N; v++) {
      even[v] = _mm512_fmadd_ps(da, _mm512_maskz_loadu_ps(lanes[v], a + off[v]), even[v]);
      odd[v] = _mm512_fmadd_ps(db, _mm512_maskz_loadu_ps(lanes[v], b + off[v]), odd[v]);
    }
  }
  if (px < outputs) {
    const float* a = rows + origins[px * cells + winners[px * channels]];
    const __m512 da = _mm512_set1_ps(dpool[px * channels]);
#pragma GCC unroll 16
    for (int v = 0; v < N; v++) even[v] = _mm512_fmadd_ps(da, _mm512_maskz_loadu_ps(lanes[v], a + off[v]), even[v]);
  }
#pragma GCC unroll 16
  for (int v = 0; v < N; v++)
    _mm512_storeu_ps(sum + v * 16, _mm512_add_ps(_mm512_loadu_ps(sum + v * 16), _mm512_add_ps(even[v], odd[v])));
}

using SumFn = void (*)(float*, const float*, const int64_t*, const int64_t*, const __mmask16*, const float*,
                       const uint8_t*, int64_t, int64_t, int64_t);

template <int... N>
SumFn sum_fn_for(int64_t n, std::integer_sequence<int, N...>) {
  SumFn fn = nullptr;
  ((n == N + 1 ? (fn = &sum_winning_patches<N + 1>, 0) : 0), ...);
  return fn;
}

// dkernel from dpool and the winners alone. Tasks take pooled rows; each thread sums into its
// own [outC, vectors·16] partial, folded into the [kh, kw, inC, outC] kernel at the end.
void winners_filter_grad(float* dkernel, const float* x, const float* dpool, const uint8_t* winners,
                         const ConvGeom& g, const PoolGeom& p) {
  const int64_t C = g.inC, K = g.outC, row_values = int64_t(g.kernelW) * C, segments = ceil_div(row_values, 16);
  const int64_t vectors = patch_vectors(g), cells = int64_t(p.poolH) * p.poolW;
  const RowBlock block{int64_t(p.poolH - 1) * g.strideH + g.kernelH,
                       std::max<int64_t>(int64_t(g.inW) + g.padLeft, int64_t(g.outW - 1) * g.strideW + g.kernelW)};
  int64_t offset[kMaxVectors];
  __mmask16 mask[kMaxVectors];
  for (int64_t v = 0; v < vectors; v++) {
    const int64_t i = v / segments, s = v % segments, lanes = std::min<int64_t>(16, row_values - s * 16);
    offset[v] = i * block.width * C + s * 16;
    mask[v] = __mmask16((1u << lanes) - 1);
  }
  // Where the patch under cell q of pooled column px starts in a row block: its row within the
  // block does not depend on the pooled row. Cells outside the convolution's output never win.
  std::vector<int64_t> origins(size_t(p.outW * cells), 0);
  for (int64_t px = 0; px < p.outW; px++)
    for (int64_t q = 0; q < cells; q++) {
      const int64_t ox = px * p.strideW - p.padLeft + q % p.poolW;
      if (ox >= 0 && ox < g.outW) origins[px * cells + q] = (q / p.poolW * g.strideH * block.width + ox * g.strideW) * C;
    }
  const SumFn sum_patches = sum_fn_for(vectors, std::make_integer_sequence<int, kMaxVectors>());
  const int threads = num_threads();
  std::vector<float*> sums(threads);
  std::vector<char> touched(threads, 0);
  const size_t width = size_t(vectors * 16);
  for (int t = 0; t < threads; t++) sums[t] = thread_scratch(Scratch::Partial, t, K * width + block.rows * block.width * C);
  parallel_for(int64_t(p.batch) * p.outH, [&](int64_t row, int thread) {
    float* sum = sums[thread];
    if (!touched[thread]) std::fill(sum, sum + K * width, 0.0f);
    touched[thread] = 1;
    const int64_t b = row / p.outH, py = row % p.outH;
    const int64_t first_row = (py * p.strideH - p.padTop) * g.strideH - g.padTop;
    const float* rows = padded_rows(sum + K * width, x, g, block, b, first_row);
    const int64_t at = row * p.outW * K;
    for (int64_t k = 0; k < K; k++)
      sum_patches(sum + k * width, rows, origins.data(), offset, mask, dpool + at + k, winners + at + k, K, p.outW, cells);
  });
  std::fill(dkernel, dkernel + int64_t(g.kernelH) * row_values * K, 0.0f);
  for (int t = 0; t < threads; t++) {
    if (!touched[t]) continue;
    for (int64_t k = 0; k < K; k++)
      for (int64_t i = 0; i < g.kernelH; i++)
        for (int64_t r = 0; r < row_values; r++)
          dkernel[(i * row_values + r) * K + k] += sums[t][k * width + i * segments * 16 + r];
  }
}

bool winners_filter_grad_applies(const ConvGeom& g) {
  return gemm_arch().isa == Isa::Avx512 && patch_vectors(g) <= kMaxVectors;
}
#else
bool winners_filter_grad_applies(const ConvGeom&) { return false; }
void winners_filter_grad(float*, const float*, const float*, const uint8_t*, const ConvGeom&, const PoolGeom&) {}
#endif

}  // namespace

void conv2d_max_pool_backward(float* dx, float* dkernel, const float* x, const float* kernel, const float* dpool,
                              const uint8_t* winners, ConvGeom g, PoolGeom p) {
  const bool direct = winners_filter_grad_applies(g);
  if (direct) winners_filter_grad(dkernel, x, dpool, winners, g, p);
  if (direct && !dx) return;
  const size_t size = size_t(g.batch) * g.outH * g.outW * g.outC;
  float* dy = buffer_acquire(size);
  max_pool_backward_winners(dy, winners, dpool, p);
  if (dx) conv2d_backprop_input(dx, dy, kernel, g);
  if (!direct) conv2d_backprop_filter(dkernel, x, dy, g);
  buffer_return(dy, size);
}

}  // namespace dt
