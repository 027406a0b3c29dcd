// The backward pass of conv2d_max_pool. Its forward kept, for each pooled output, the window
// cell it came from; every other cell of the convolution's output has a zero gradient.
//
// On AVX-512 the kernel's gradient of a convolution Winograd does not take (a first layer's)
// comes straight from those cells (winners_filter_grad). Winograd's gradients read the pooled
// gradient through the winners tile by tile (RoutedGrad). Any other path gets the pooled
// gradient routed to a full-size one first and runs the convolution's own backward.
#include <algorithm>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "activation.h"
#include "conv_winograd.h"
#include "gemm.h"
#include "kernels.h"
#include "memory.h"
#include "pool.h"
#include "threadpool.h"

namespace dt {
namespace {

#if defined(__x86_64__) && defined(__GNUC__)
#define DT_WINNERS_GRAD_AVX512 1

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// dpool[i], or 0 where relu's output relu_y[i] is (relu's derivative, when relu_y is given).
inline float masked_gradient(const float* dpool, const float* relu_y, int64_t i) {
  return relu_y && !(relu_y[i] > 0) ? 0.0f : dpool[i];
}

// Registers summed at once: a patch (kh rows of ⌈kw·inC / 16⌉ vectors) is taken in groups of at
// most this many vectors, of up to three whole rows or a run of one row's vectors.
constexpr int kMaxVectors = 24;

// acc[r·S + s] += d · vector s of row r of the patch at `patch`, rows row_stride floats apart;
// with Tail, each row's last vector holds only the lanes under `tail`. Offsets are immediates
// and full vectors are read straight into the multiply-add.
template <int R, int S, bool Tail>
__attribute__((target("avx512f"), always_inline)) inline void add_patch(__m512 (&acc)[R * S], const float* patch,
                                                                       float d, int64_t row_stride, __mmask16 tail) {
  const __m512 scale = _mm512_set1_ps(d);
#pragma GCC unroll 3
  for (int r = 0; r < R; r++) {
    const float* row = patch + r * row_stride;
#pragma GCC unroll 24
    for (int s = 0; s < S; s++) {
      const __m512 v = Tail && s == S - 1 ? _mm512_maskz_loadu_ps(tail, row + 16 * s) : _mm512_loadu_ps(row + 16 * s);
      acc[r * S + s] = _mm512_fmadd_ps(scale, v, acc[r * S + s]);
    }
  }
}

// One group's sums for one output channel over one pooled row: sum[r·sum_row + 16·s] +=
// Σ over the row's outputs of d · the group's vector (r, s) of the winning cell's patch
// (its origin at image + origins[output·cells + winner]), d = dpool masked where relu_y ≤ 0
// (when given). dpool, relu_y and winners are `channels` apart. Small groups keep two sets of
// registers for alternate outputs, so that each addition waits on one from two outputs back.
template <int R, int S, bool Tail>
__attribute__((target("avx512f"))) void sum_winning_patches(float* sum, int64_t sum_row, const float* image,
                                                            int64_t row_stride, const int64_t* origins,
                                                            __mmask16 tail, const float* dpool,
                                                            const float* relu_y, const uint8_t* winners,
                                                            int64_t channels, int64_t outputs, int64_t cells) {
  constexpr int N = R * S;
  constexpr bool kPairs = N <= 8;
  __m512 even[N], odd[N];
#pragma GCC unroll 24
  for (int v = 0; v < N; v++) even[v] = odd[v] = _mm512_setzero_ps();
  int64_t px = 0;
  const auto patch = [&](int64_t at) { return image + origins[at * cells + winners[at * channels]]; };
  const auto d = [&](int64_t at) { return masked_gradient(dpool, relu_y, at * channels); };
  if (kPairs) {
    for (; px + 1 < outputs; px += 2) {
      add_patch<R, S, Tail>(even, patch(px), d(px), row_stride, tail);
      add_patch<R, S, Tail>(odd, patch(px + 1), d(px + 1), row_stride, tail);
    }
  }
  for (; px < outputs; px++) add_patch<R, S, Tail>(even, patch(px), d(px), row_stride, tail);
#pragma GCC unroll 3
  for (int r = 0; r < R; r++)
#pragma GCC unroll 24
    for (int s = 0; s < S; s++) {
      const int v = r * S + s;
      float* out = sum + r * sum_row + 16 * s;
      _mm512_storeu_ps(out, _mm512_add_ps(_mm512_loadu_ps(out), kPairs ? _mm512_add_ps(even[v], odd[v]) : even[v]));
    }
}

using SumFn = void (*)(float*, int64_t, const float*, int64_t, const int64_t*, __mmask16, const float*, const float*,
                       const uint8_t*, int64_t, int64_t, int64_t);

template <int R, int... S>
SumFn sum_fn_of(int64_t segments, bool tail, std::integer_sequence<int, S...>) {
  SumFn fn = nullptr;
  ((segments == S + 1 ? (fn = tail ? &sum_winning_patches<R, S + 1, true> : &sum_winning_patches<R, S + 1, false>, 0)
                      : 0),
   ...);
  return fn;
}

SumFn sum_fn(int64_t rows, int64_t segments, bool tail) {
  if (rows == 1) return sum_fn_of<1>(segments, tail, std::make_integer_sequence<int, kMaxVectors>());
  if (rows == 2) return sum_fn_of<2>(segments, tail, std::make_integer_sequence<int, kMaxVectors / 2>());
  return sum_fn_of<3>(segments, tail, std::make_integer_sequence<int, kMaxVectors / 3>());
}

// Vectors [s0, s0 + segments) of patch rows [i0, i0 + rows), summed together.
struct Group {
  int64_t i0, rows, s0, segments;
  SumFn fn;
};

// Whole rows, up to three at a time, while a row fits a group; else each row in near-equal runs.
std::vector<Group> patch_groups(int64_t kernel_rows, int64_t row_segments, bool row_tail) {
  std::vector<Group> groups;
  if (row_segments <= kMaxVectors) {
    const int64_t per = std::min<int64_t>(3, kMaxVectors / row_segments);
    for (int64_t i0 = 0; i0 < kernel_rows; i0 += per) {
      const int64_t rows = std::min(per, kernel_rows - i0);
      groups.push_back({i0, rows, 0, row_segments, sum_fn(rows, row_segments, row_tail)});
    }
    return groups;
  }
  const int64_t runs = ceil_div(row_segments, kMaxVectors), per = ceil_div(row_segments, runs);
  for (int64_t i = 0; i < kernel_rows; i++)
    for (int64_t s0 = 0; s0 < row_segments; s0 += per) {
      const int64_t n = std::min(per, row_segments - s0);
      groups.push_back({i, 1, s0, n, sum_fn(1, n, row_tail && s0 + n == row_segments)});
    }
  return groups;
}

// The outer-product form, for narrow patch rows (a first layer's kw·C values). Summing one
// winning patch per channel loads a patch row for every channel, and the row is narrower than a
// vector; instead, each cell's patch value is broadcast and multiplied by the pooled gradients of
// all the channels it won (a masked multiply-add over 16 channels at once). That does `cells`
// times the products, all of them full vectors with no per-channel work.
constexpr int kOuterRegisters = 24;

// The NV channel vectors' pooled gradients of output `at`: zero in lanes past the channels, and
// where relu's output (when given) is not positive.
template <int NV>
__attribute__((target("avx512f"), always_inline)) inline void load_gradients(__m512 (&d)[NV], __m512i (&won)[NV],
                                                                            const float* dpool, const float* relu_y,
                                                                            const uint8_t* winners, int64_t at,
                                                                            const __mmask16 (&lanes)[NV]) {
#pragma GCC unroll 2
  for (int v = 0; v < NV; v++) {
    const int64_t c = at + 16 * v;
    d[v] = _mm512_maskz_loadu_ps(lanes[v], dpool + c);
    if (relu_y)
      d[v] = _mm512_maskz_mov_ps(
          _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(lanes[v], relu_y + c), _mm512_setzero_ps(), _CMP_GT_OQ), d[v]);
    if (lanes[v] == 0xFFFF) {
      won[v] = _mm512_maskz_cvtepu8_epi32(0xFFFF, _mm_loadu_si128(reinterpret_cast<const __m128i*>(winners + c)));
    } else {
      alignas(16) uint8_t part[16] = {};
      for (int lane = 0; lane < 16; lane++)
        if (lanes[v] >> lane & 1) part[lane] = winners[c + lane];
      won[v] = _mm512_maskz_cvtepu8_epi32(0xFFFF, _mm_load_si128(reinterpret_cast<const __m128i*>(part)));
    }
  }
}

// For one patch row of J values and NV vectors of channels (from channel 0 of dpool, relu_y and
// winners, whose outputs are `channels` apart): sum[j·channels + 16·v + lane] += Σ over the pooled
// row's outputs px and their window's cells q, where the lane's channel won q, of the value j of
// cell q's patch row (at row + origins[px·cells + q]) times the channel's gradient. With bias,
// bias[16·v + lane] += Σ of the gradients.
template <int J, int NV>
__attribute__((target("avx512f"))) void outer_winning_patches(float* sum, float* bias, const float* row,
                                                              const int64_t* origins, const float* dpool,
                                                              const float* relu_y, const uint8_t* winners,
                                                              int64_t channels, int64_t outputs, int64_t cells,
                                                              const __mmask16 (&lanes)[NV]) {
  __m512 acc[J][NV], bias_acc[NV];
#pragma GCC unroll 24
  for (int j = 0; j < J; j++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) acc[j][v] = _mm512_setzero_ps();
#pragma GCC unroll 2
  for (int v = 0; v < NV; v++) bias_acc[v] = _mm512_setzero_ps();
  for (int64_t px = 0; px < outputs; px++) {
    __m512 d[NV];
    __m512i won[NV];
    load_gradients<NV>(d, won, dpool, relu_y, winners, px * channels, lanes);
    if (bias)
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) bias_acc[v] = _mm512_add_ps(bias_acc[v], d[v]);
    for (int64_t q = 0; q < cells; q++) {
      __mmask16 mask[NV], any = 0;
#pragma GCC unroll 2
      for (int v = 0; v < NV; v++) any |= mask[v] = _mm512_cmpeq_epi32_mask(won[v], _mm512_set1_epi32(int(q)));
      if (!any) continue;  // no channel won this cell (or it lies outside the convolution's output)
      const float* patch = row + origins[px * cells + q];
#pragma GCC unroll 24
      for (int j = 0; j < J; j++) {
        const __m512 value = _mm512_set1_ps(patch[j]);
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++) acc[j][v] = _mm512_mask3_fmadd_ps(value, d[v], acc[j][v], mask[v]);
      }
    }
  }
#pragma GCC unroll 24
  for (int j = 0; j < J; j++)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) {
      float* out = sum + j * channels + 16 * v;
      _mm512_mask_storeu_ps(out, lanes[v], _mm512_add_ps(_mm512_maskz_loadu_ps(lanes[v], out), acc[j][v]));
    }
  if (bias)
#pragma GCC unroll 2
    for (int v = 0; v < NV; v++) _mm512_mask_storeu_ps(bias + 16 * v, lanes[v], bias_acc[v]);
}

template <int NV>
using OuterFn = void (*)(float*, float*, const float*, const int64_t*, const float*, const float*, const uint8_t*,
                         int64_t, int64_t, int64_t, const __mmask16 (&)[NV]);

template <int NV, int... J>
OuterFn<NV> outer_fn_of(int64_t values, std::integer_sequence<int, J...>) {
  OuterFn<NV> fn = nullptr;
  ((values == J + 1 ? (fn = &outer_winning_patches<J + 1, NV>, 0) : 0), ...);
  return fn;
}

// The input as the patches read it: zero-padded where the convolution pads, so every patch lies
// inside. Pixel (r, c) of image b is input pixel (r - padTop, c - padLeft).
struct PaddedInput {
  const float* pixels;
  int64_t height, width;
  float* owned = nullptr;
  size_t owned_size = 0;

  PaddedInput(const float* x, const ConvGeom& g)
      : pixels(x),
        height(std::max<int64_t>(int64_t(g.inH) + g.padTop, int64_t(g.outH - 1) * g.strideH + g.kernelH)),
        width(std::max<int64_t>(int64_t(g.inW) + g.padLeft, int64_t(g.outW - 1) * g.strideW + g.kernelW)) {
    if (height == g.inH && width == g.inW) return;  // no padding: x itself
    const int64_t C = g.inC, row = width * C;
    owned_size = size_t(g.batch * height * row);
    owned = buffer_acquire(owned_size);
    parallel_for(int64_t(g.batch) * height, [&](int64_t r, int) {
      float* dst = owned + r * row;
      const int64_t b = r / height, iy = r % height - g.padTop;
      std::fill(dst, dst + row, 0.0f);
      if (iy >= 0 && iy < g.inH) {
        const float* src = x + (b * g.inH + iy) * g.inW * C;
        std::copy(src, src + int64_t(g.inW) * C, dst + int64_t(g.padLeft) * C);
      }
    });
    pixels = owned;
  }
  ~PaddedInput() {
    if (owned) buffer_return(owned, owned_size);
  }
};

// The winners' sums' shared parts: the padded input, and where each cell's patch starts.
struct WinnersLayout {
  PaddedInput image;
  int64_t row_stride, cells;
  std::vector<int64_t> origins;  // of the patch under cell q of pooled column px, from the pooled row's first input row

  WinnersLayout(const float* x, const ConvGeom& g, const PoolGeom& p)
      : image(x, g), row_stride(image.width * g.inC), cells(int64_t(p.poolH) * p.poolW),
        origins(size_t(p.outW * cells), 0) {
    // Cells outside the convolution's output never win.
    for (int64_t px = 0; px < p.outW; px++)
      for (int64_t q = 0; q < cells; q++) {
        const int64_t ox = px * p.strideW - p.padLeft + q % p.poolW;
        if (ox >= 0 && ox < g.outW) origins[px * cells + q] = q / p.poolW * g.strideH * row_stride + ox * g.strideW * g.inC;
      }
  }
  // The first input row that pooled row py of image b reads.
  const float* first_row(const ConvGeom& g, const PoolGeom& p, int64_t b, int64_t py) const {
    return image.pixels + (b * image.height + (py * p.strideH - p.padTop) * g.strideH) * row_stride;
  }
};

// The outer-product form over NV vectors of channels at a time; see outer_winning_patches.
template <int NV>
void outer_filter_grad(float* dkernel, std::vector<double>& bias_sums, const WinnersLayout& layout,
                       const float* dpool, const float* relu_y, const uint8_t* winners, const ConvGeom& g,
                       const PoolGeom& p) {
  const int64_t K = g.outC, row_values = int64_t(g.kernelW) * g.inC, block = 16 * NV, blocks = ceil_div(K, block);
  const OuterFn<NV> fn = outer_fn_of<NV>(row_values, std::make_integer_sequence<int, kOuterRegisters / NV>());
  ThreadPartials sums(g.kernelH * row_values * K);  // laid out as dkernel
  parallel_for(int64_t(p.batch) * p.outH * blocks, [&](int64_t task, int thread) {
    float* sum = sums.zeroed(thread);
    const int64_t row = task / blocks, k0 = task % blocks * block;
    __mmask16 lanes[NV];
    for (int v = 0; v < NV; v++) {
      const int64_t n = std::clamp<int64_t>(K - k0 - 16 * v, 0, 16);
      lanes[v] = __mmask16((1u << n) - 1);
    }
    const float* first = layout.first_row(g, p, row / p.outH, row % p.outH);
    const int64_t at = row * p.outW * K + k0;
    alignas(64) float bias[16 * NV];
    for (int64_t i = 0; i < g.kernelH; i++)
      fn(sum + i * row_values * K + k0, i == 0 && !bias_sums.empty() ? bias : nullptr, first + i * layout.row_stride,
         layout.origins.data(), dpool + at, relu_y ? relu_y + at : nullptr, winners + at, K, p.outW, layout.cells,
         lanes);
    if (!bias_sums.empty())
      for (int64_t k = k0; k < std::min(K, k0 + block); k++) bias_sums[size_t(row * K + k)] = bias[k - k0];
  });
  sums.sum_into(dkernel, g.kernelH * row_values, K, K);
}

// The summed form: for each output channel, the sum over pooled outputs of the gradient times
// the patch under the winning cell, each pooled row's outputs summed in registers.
void sparse_filter_grad(float* dkernel, std::vector<double>& bias_sums, const WinnersLayout& layout,
                        const float* dpool, const float* relu_y, const uint8_t* winners, const ConvGeom& g,
                        const PoolGeom& p) {
  const int64_t C = g.inC, K = g.outC, row_values = int64_t(g.kernelW) * C, segments = ceil_div(row_values, 16);
  const int64_t row_stride = layout.row_stride, cells = layout.cells;
  const __mmask16 tail = __mmask16((1u << (row_values - (segments - 1) * 16)) - 1);
  const std::vector<Group> groups = patch_groups(g.kernelH, segments, row_values % 16 != 0);
  const int64_t width = g.kernelH * segments * 16;  // one channel's sums, row after row
  // A task sums one pooled row into its thread's partial sums for a run of channels: the rows the
  // windows read stay in L1 across the run, whose sums (channels × patch) stay in L2.
  const int64_t per_task = std::clamp<int64_t>((int64_t(1) << 16) / width, 1, K), runs = ceil_div(K, per_task);
  ThreadPartials sums(K * width);
  parallel_for(int64_t(p.batch) * p.outH * runs, [&](int64_t task, int thread) {
    float* sum = sums.zeroed(thread);
    const int64_t row = task / runs, k0 = task % runs * per_task, k1 = std::min(K, k0 + per_task);
    const float* first = layout.first_row(g, p, row / p.outH, row % p.outH);
    const int64_t at = row * p.outW * K;
    const float* mask = relu_y ? relu_y + at : nullptr;
    for (int64_t k = k0; k < k1; k++) {
      for (const Group& group : groups)
        group.fn(sum + k * width + (group.i0 * segments + group.s0) * 16, segments * 16,
                 first + group.i0 * row_stride + group.s0 * 16, row_stride, layout.origins.data(), tail,
                 dpool + at + k, mask ? mask + k : nullptr, winners + at + k, K, p.outW, cells);
      if (bias_sums.empty()) continue;
      double& bias = bias_sums[size_t(row * K + k)];
      for (int64_t px = 0; px < p.outW; px++) bias += masked_gradient(dpool + at, mask, px * K + k);
    }
  });
  // Element (k, i, r) of the sums (r < row_values of the row's segments · 16) is dkernel's (i, r, k).
  const int64_t padded = segments * 16;
  parallel_range(g.kernelH * row_values * K, 256, [&](int64_t e0, int64_t e1, int) {
    for (int64_t e = e0; e < e1; e++) {
      const int64_t i = e / (row_values * K), r = e / K % row_values, k = e % K;
      dkernel[e] = sums.total(k * width + i * padded + r);
    }
  });
}

// dkernel from dpool and the winners alone, a quarter of the dense product's terms under a 2×2
// pool. With relu_y, dpool is masked by relu's derivative as it is read; with dbias, the masked
// gradient is summed there too (per pooled row, then in row order, whatever the threads).
void winners_filter_grad(float* dkernel, float* dbias, const float* x, const float* dpool, const float* relu_y,
                         const uint8_t* winners, const ConvGeom& g, const PoolGeom& p) {
  const WinnersLayout layout(x, g, p);
  const int64_t K = g.outC, row_values = int64_t(g.kernelW) * g.inC, rows = int64_t(p.batch) * p.outH;
  std::vector<double> bias_sums(dbias ? size_t(rows * K) : 0, 0.0);
  // The outer products pay `cells` products per term the sums take, and save the sums' per-channel
  // work and lanes a narrow row leaves empty: taken while a row and its products fit the registers.
  if (row_values <= kOuterRegisters && layout.cells * row_values <= 4 * kOuterRegisters) {
    if (K > 16 && 2 * row_values <= kOuterRegisters)
      outer_filter_grad<2>(dkernel, bias_sums, layout, dpool, relu_y, winners, g, p);
    else
      outer_filter_grad<1>(dkernel, bias_sums, layout, dpool, relu_y, winners, g, p);
  } else {
    sparse_filter_grad(dkernel, bias_sums, layout, dpool, relu_y, winners, g, p);
  }
  if (dbias) sum_partials(dbias, bias_sums.data(), rows, K);
}

#endif

}  // namespace

void conv2d_max_pool_backward(float* dx, float* dkernel, float* dbias, const float* x, const float* kernel,
                              const float* y, Activation act, const float* dy_pooled, const uint8_t* winners,
                              ConvGeom g, PoolGeom p) {
  bool direct = false;
#ifdef DT_WINNERS_GRAD_AVX512
  // Winograd's kernel gradient takes about as many products as the winners' sums (2.25 per output
  // with 4×4 tiles) and runs them as GEMMs, faster than the sums' one load per multiply-add.
  direct = gemm_arch().isa == Isa::Avx512 && !winograd_applies(g);
#endif
  // Winograd's tiles read a 2×2 pool's gradient through the winners in place (RoutedGrad), so
  // the full-size gradient is written only for a gradient that other paths take.
  const bool routed_dk = !direct && winograd_pool_applies(g, p);
  const bool routed_dx = dx && pairs_pool(p) && backprop_input_reads_routed(g);
  // relu's derivative is a mask, applied where the pooled gradient is routed or read by the
  // winners' sums, and the bias's sums are taken there too. Other activations' derivatives, and
  // relu's when the tiles read the gradient, take a pass over the pooled gradient (a quarter of
  // the convolution's output under a 2×2 pool) that sums the bias as it goes.
  const bool unfolded = (act != Activation::Relu && act != Activation::Linear) || routed_dk || routed_dx;
  const float* relu_y = act == Activation::Relu && !unfolded ? y : nullptr;
  const size_t pooled = size_t(p.batch) * p.outH * p.outW * p.channels;
  float* masked = unfolded ? buffer_acquire(pooled) : nullptr;
  if (masked) activation_grad_bias(masked, dbias, act, y, dy_pooled, int64_t(pooled / p.channels), p.channels);
  const float* dpool = masked ? masked : dy_pooled;
  float* bias_left = masked ? nullptr : dbias;  // still to be summed
#ifdef DT_WINNERS_GRAD_AVX512
  if (direct) {
    winners_filter_grad(dkernel, bias_left, x, dpool, relu_y, winners, g, p);
    bias_left = nullptr;
  }
#endif
  const bool full = (dx && !routed_dx) || (!direct && !routed_dk);
  const size_t size = size_t(g.batch) * g.outH * g.outW * g.outC;
  float* dy = full ? buffer_acquire(size) : nullptr;
  if (full) max_pool_backward_winners(dy, winners, dpool, p, relu_y, bias_left);
  const RoutedGrad routed{dpool, winners, p.outH, p.outW, p.channels};
  if (routed_dx) conv2d_backprop_input_routed(dx, routed, kernel, g);
  else if (dx) conv2d_backprop_input(dx, dy, kernel, g);
  if (routed_dk) winograd_conv2d_backprop_filter(dkernel, x, routed, g);
  else if (!direct) conv2d_backprop_filter(dkernel, x, dy, g);
  if (full) buffer_return(dy, size);
  if (masked) buffer_return(masked, pooled);
}

}  // namespace dt
