#include "conv_winograd.h"

#include <algorithm>
#include <vector>

#include "activation.h"
#include "memory.h"
#include "pool.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

// F(m×m, 3×3) takes an (m+2)×(m+2) input patch to an m×m output tile through `positions`
// transformed values. Each size gives its three 1-D transforms; the 2-D ones apply them to the
// columns and then the rows, vectorised over channels.
template <int M>
struct Tile;

// F(2×2, 3×3): G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1], Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],
// Aᵀ = [1 1 1 0; 0 1 -1 -1]. Coefficients 0, ±1 and ±½: results agree with the direct sum to
// within a few roundings of its terms.
template <>
struct Tile<2> {
  static constexpr int n = 4, positions = 16;
  static DT_INLINE void kernel(const float (&g)[3], float (&u)[n]) {
    u[0] = g[0];
    u[1] = 0.5f * (g[0] + g[1] + g[2]);
    u[2] = 0.5f * (g[0] - g[1] + g[2]);
    u[3] = g[2];
  }
  static DT_INLINE void patch(const float (&d)[n], float (&v)[n]) {
    v[0] = d[0] - d[2];
    v[1] = d[1] + d[2];
    v[2] = d[2] - d[1];
    v[3] = d[1] - d[3];
  }
  static DT_INLINE void output(const float (&m)[n], float (&y)[2]) {
    y[0] = m[0] + m[1] + m[2];
    y[1] = m[1] - m[2] - m[3];
  }
  // The gradient's transforms, the transposes: A·dy with A = [1 0; 1 1; 1 -1; 0 -1], and
  // Gᵀ·z with Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1].
  static DT_INLINE void output_grad(const float (&y)[2], float (&d)[n]) {
    d[0] = y[0];
    d[1] = y[0] + y[1];
    d[2] = y[0] - y[1];
    d[3] = -y[1];
  }
  static DT_INLINE void kernel_grad(const float (&z)[n], float (&w)[3]) {
    const float half = 0.5f * (z[1] + z[2]);
    w[0] = z[0] + half;
    w[1] = 0.5f * (z[1] - z[2]);
    w[2] = half + z[3];
  }
};

// F(4×4, 3×3) at the points 0, ±1, ±2, ∞ (Lavin & Gray's): 36 products per 16 outputs where
// F(2×2) takes 64, so 1.78× less arithmetic again. Its coefficients reach 8 and ¹⁄₂₄, so its
// rounding error is a few times F(2×2)'s: still within the tests' bounds at the scales layers
// initialise and train at.
template <>
struct Tile<4> {
  static constexpr int n = 6, positions = 36;
  static DT_INLINE void kernel(const float (&g)[3], float (&u)[n]) {
    // G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; ¹⁄₂₄ ¹⁄₁₂ ⅙; ¹⁄₂₄ -¹⁄₁₂ ⅙; 0 0 1]
    const float even = g[0] + g[2], odd = g[1];
    u[0] = 0.25f * g[0];
    u[1] = (-1.0f / 6) * (even + odd);
    u[2] = (-1.0f / 6) * (even - odd);
    const float a = (1.0f / 24) * g[0] + (1.0f / 6) * g[2], b = (1.0f / 12) * g[1];
    u[3] = a + b;
    u[4] = a - b;
    u[5] = g[2];
  }
  static DT_INLINE void patch(const float (&d)[n], float (&v)[n]) {
    // Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
    const float s1 = d[4] - 4.0f * d[2], d1 = d[3] - 4.0f * d[1];
    const float s2 = d[4] - d[2], d2 = 2.0f * (d[3] - d[1]);
    v[0] = 4.0f * d[0] - 5.0f * d[2] + d[4];
    v[1] = s1 + d1;
    v[2] = s1 - d1;
    v[3] = s2 + d2;
    v[4] = s2 - d2;
    v[5] = 4.0f * d[1] - 5.0f * d[3] + d[5];
  }
  static DT_INLINE void output(const float (&m)[n], float (&y)[4]) {
    // Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
    const float s12 = m[1] + m[2], d12 = m[1] - m[2], s34 = m[3] + m[4], d34 = m[3] - m[4];
    y[0] = m[0] + s12 + s34;
    y[1] = d12 + 2.0f * d34;
    y[2] = s12 + 4.0f * s34;
    y[3] = d12 + 8.0f * d34 + m[5];
  }
  static DT_INLINE void output_grad(const float (&y)[4], float (&d)[n]) {
    // A = [1 0 0 0; 1 1 1 1; 1 -1 1 -1; 1 2 4 8; 1 -2 4 -8; 0 0 0 1]
    const float even = y[0] + y[2], odd = y[1] + y[3], even4 = y[0] + 4.0f * y[2], odd4 = 2.0f * y[1] + 8.0f * y[3];
    d[0] = y[0];
    d[1] = even + odd;
    d[2] = even - odd;
    d[3] = even4 + odd4;
    d[4] = even4 - odd4;
    d[5] = y[3];
  }
  static DT_INLINE void kernel_grad(const float (&z)[n], float (&w)[3]) {
    // Gᵀ = [¼ -⅙ -⅙ ¹⁄₂₄ ¹⁄₂₄ 0; 0 -⅙ ⅙ ¹⁄₁₂ -¹⁄₁₂ 0; 0 -⅙ -⅙ ⅙ ⅙ 1]
    const float s12 = z[1] + z[2], d12 = z[1] - z[2], s34 = z[3] + z[4], d34 = z[3] - z[4];
    w[0] = 0.25f * z[0] - (1.0f / 6) * s12 + (1.0f / 24) * s34;
    w[1] = (1.0f / 12) * d34 - (1.0f / 6) * d12;
    w[2] = (1.0f / 6) * (s34 - s12) + z[5];
  }
};

// Every transform is separable: the same 1-D transform f (In values to Out) applied to each
// column of an In×In block and then to each row of the result, giving Out×Out values. load(i, j)
// reads element (i, j) of the block; store(i, j, value) takes element (i, j) of the result.
template <int In, int Out, typename F, typename Load, typename Store>
DT_INLINE void separable(F&& f, Load&& load, Store&& store) {
  float t[Out][In];
#pragma GCC unroll 16
  for (int j = 0; j < In; j++) {
    float column[In], transformed[Out];
#pragma GCC unroll 16
    for (int i = 0; i < In; i++) column[i] = load(i, j);
    f(column, transformed);
#pragma GCC unroll 16
    for (int i = 0; i < Out; i++) t[i][j] = transformed[i];
  }
#pragma GCC unroll 16
  for (int i = 0; i < Out; i++) {
    float row[Out];
    f(t[i], row);
#pragma GCC unroll 16
    for (int j = 0; j < Out; j++) store(i, j, row[j]);
  }
}

// separable over channels [0, channels) of In×In blocks: value (i, j) of channel c at
// in[In·i + j][c], result (i, j) to out[Out·i + j][c]. A block of channels at a time, the columns'
// results going through L1. For F(4×4)'s patch (36 pointers, 36 intermediate vectors: more than
// the registers hold) this cost less than one loop that spills (perf, model A's step); for the
// output gradient's 4×4 → 6×6 it cost more.
// One line of a pass: dst[k][c] = f(src[0][c], …, src[In-1][c])[k] for c < width.
template <int In, int Out, typename F>
DT_INLINE void transform_line(F&& f, const float* const (&src)[In], float* const (&dst)[Out], int64_t width) {
#pragma GCC ivdep
  for (int64_t c = 0; c < width; c++) {
    float a[In], b[Out];
#pragma GCC unroll 8
    for (int i = 0; i < In; i++) a[i] = src[i][c];
    f(a, b);
#pragma GCC unroll 8
    for (int i = 0; i < Out; i++) dst[i][c] = b[i];
  }
}

template <int In, int Out, typename F>
DT_INLINE void separable_channels(F&& f, const float* const* in, float* const* out, int64_t channels) {
  constexpr int64_t kBlock = 64;
  float t[Out][In][kBlock];
  for (int64_t c0 = 0; c0 < channels; c0 += kBlock) {
    const int64_t width = std::min(kBlock, channels - c0);
#pragma GCC unroll 8
    for (int j = 0; j < In; j++) {  // column j into t[·][j]
      const float* src[In];
      float* dst[Out];
#pragma GCC unroll 8
      for (int i = 0; i < In; i++) src[i] = in[In * i + j] + c0;
#pragma GCC unroll 8
      for (int i = 0; i < Out; i++) dst[i] = t[i][j];
      transform_line<In, Out>(f, src, dst, width);
    }
#pragma GCC unroll 8
    for (int i = 0; i < Out; i++) {  // row i of t into the output
      const float* src[In];
      float* dst[Out];
#pragma GCC unroll 8
      for (int j = 0; j < In; j++) src[j] = t[i][j];
#pragma GCC unroll 8
      for (int j = 0; j < Out; j++) dst[j] = out[Out * i + j] + c0;
      transform_line<In, Out>(f, src, dst, width);
    }
  }
}

// The three transforms, written for one value per channel and vectorised over channels.
// Kernel: U = G·g·Gᵀ for kernel rows [c0, c1) of the [3, 3, inC, outC] kernel. Position ξ's
// [inC, outC] matrix is written at u + ξ·position_size, already cut into the GEMM's B panels
// (`layout`), so the products read it in place.
struct PanelLayout {
  int64_t kc, nr, block_stride, position_size;
};

template <int M>
DT_INLINE void transform_kernel_of(float* u, const float* kernel, int64_t C, int64_t K, int64_t c0, int64_t c1,
                                   PanelLayout layout) {
  using T = Tile<M>;
  const int64_t n = C * K, nr = layout.nr, ps = layout.position_size;
  for (int64_t c = c0; c < c1; c++) {
    const float* g = kernel + c * K;
    for (int64_t j0 = 0; j0 < K; j0 += nr) {
      const int64_t lanes = std::min(nr, K - j0);
      // Row c of the panel holding columns [j0, j0 + nr), offset so that dst[o] is column o's lane.
      float* dst = u + c / layout.kc * layout.block_stride + j0 / nr * layout.kc * nr + c % layout.kc * nr - j0;
#pragma GCC ivdep
      for (int64_t o = j0; o < j0 + lanes; o++) {
        separable<3, T::n>(
            T::kernel, [&](int i, int j) { return g[(3 * i + j) * n + o]; },
            [&](int i, int j, float value) { dst[(T::n * i + j) * ps + o] = value; });
      }
      for (int xi = 0; xi < T::positions; xi++) std::fill(dst + xi * ps + j0 + lanes, dst + xi * ps + j0 + nr, 0.0f);
    }
  }
}

DT_CLONES void transform_kernel(int tile, float* u, const float* kernel, int64_t C, int64_t K, int64_t c0, int64_t c1,
                                PanelLayout layout) {
  if (tile == 4) transform_kernel_of<4>(u, kernel, C, K, c0, c1, layout);
  else transform_kernel_of<2>(u, kernel, C, K, c0, c1, layout);
}

// Patch: V = Bᵀ·d·B for channels [c0, c0 + channels). Pixel (i, j) of the patch starts at
// pixel[n·i + j] (a zero row where it lies in the padding); position ξ of channel c0 + c goes
// to v[ξ·v_stride + c].
template <int M>
DT_INLINE void transform_patch_of(float* v, int64_t v_stride, const float* const* pixel, int64_t c0,
                                  int64_t channels) {
  using T = Tile<M>;
  const float* in[T::positions];
  float* out[T::positions];
#pragma GCC unroll 16
  for (int k = 0; k < T::positions; k++) in[k] = pixel[k] + c0, out[k] = v + k * v_stride;
  separable_channels<T::n, T::n>(T::patch, in, out, channels);
}

DT_CLONES void transform_patch(int tile, float* v, int64_t v_stride, const float* const* pixel, int64_t c0,
                               int64_t channels) {
  if (tile == 4) transform_patch_of<4>(v, v_stride, pixel, c0, channels);
  else transform_patch_of<2>(v, v_stride, pixel, c0, channels);
}

inline float relu_if(bool apply, float v) { return apply ? relu(v) : v; }

// The larger of a and b, NaN when either is (as the max pools: a NaN output must not vanish).
// Two plain selects: written as one with `||`, the condition keeps GCC from vectorising the
// loops that call it.
inline float nan_max(float a, float b) {
  const float larger = a > b ? a : b;
  return a != a ? a : larger;
}

// Output: Y = Aᵀ·M·A for channel o, M's position ξ at m[ξ·m_stride + o]; y[M·a + b] is output
// pixel (a, b) of the tile, before the bias.
template <int M>
DT_INLINE void output_tile(const float* m, int64_t m_stride, int64_t o, float (&y)[M * M]) {
  using T = Tile<M>;
  separable<T::n, M>(
      T::output, [&](int i, int j) { return m[(T::n * i + j) * m_stride + o]; },
      [&](int a, int b, float value) { y[M * a + b] = value; });
}

// out[M·a + b] receives output pixel (a, b) of the tile, + bias, relu if asked. (Relu is a
// template argument: tested inside the loop, it stops GCC vectorising the stores.)
template <int M, bool Relu>
DT_INLINE void transform_tile_of(float* const* out, const float* m, int64_t m_stride, const float* bias,
                                 int64_t channels) {
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float y[M * M];
    output_tile<M>(m, m_stride, o, y);
    const float b = bias[o];
#pragma GCC unroll 16
    for (int i = 0; i < M * M; i++) out[i][o] = relu_if(Relu, y[i] + b);
  }
}

DT_CLONES void transform_tile(int tile, float* const* out, const float* m, int64_t m_stride, const float* bias,
                              bool relu, int64_t channels) {
  if (tile == 4) {
    if (relu) transform_tile_of<4, true>(out, m, m_stride, bias, channels);
    else transform_tile_of<4, false>(out, m, m_stride, bias, channels);
  } else {
    if (relu) transform_tile_of<2, true>(out, m, m_stride, bias, channels);
    else transform_tile_of<2, false>(out, m, m_stride, bias, channels);
  }
}

// The same, max-pooled 2×2 with stride 2: out[(M/2)·a + b] = the max of pool window (a, b)'s
// four outputs, + bias, relu if asked (every activation is non-decreasing, so it commutes with
// the max). With Winners, codes[((M/2)·a + b)·channels + o] also notes which of the window's
// pixels won: the first maximal one in row-major order, strictly greater winning (before bias
// and activation, which keep the order). (As int32: uint8 stores beside the float ones stop
// GCC vectorising the loop.)
template <int M, bool Relu, bool Winners>
DT_INLINE void transform_tile_max_of(float* const* out, int32_t* codes, const float* m, int64_t m_stride,
                                     const float* bias, int64_t channels) {
  constexpr int W = M / 2;
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float y[M * M];
    output_tile<M>(m, m_stride, o, y);
#pragma GCC unroll 16
    for (int a = 0; a < W; a++)
#pragma GCC unroll 16
      for (int b = 0; b < W; b++) {
        const float* top = y + 2 * a * M + 2 * b;
        const float v[4] = {top[0], top[1], top[M], top[M + 1]};
        if (Winners) {
          float best = v[0];
          int32_t where = 0;
#pragma GCC unroll 16
          for (int i = 1; i < 4; i++) {
            where = v[i] > best ? i : where;
            best = v[i] > best ? v[i] : best;
          }
          codes[(W * a + b) * channels + o] = where;
        }
        out[W * a + b][o] = relu_if(Relu, nan_max(nan_max(v[0], v[1]), nan_max(v[2], v[3])) + bias[o]);
      }
  }
}

template <int M, bool Relu>
DT_INLINE void transform_tile_max_as(float* const* out, uint8_t* const* winners, int32_t* codes, const float* m,
                                     int64_t m_stride, const float* bias, int64_t channels) {
  if (!winners) return transform_tile_max_of<M, Relu, false>(out, codes, m, m_stride, bias, channels);
  transform_tile_max_of<M, Relu, true>(out, codes, m, m_stride, bias, channels);
  for (int i = 0; i < M * M / 4; i++) {
    uint8_t* to = winners[i];
    const int32_t* from = codes + i * channels;
#pragma GCC ivdep
    for (int64_t o = 0; o < channels; o++) to[o] = uint8_t(from[o]);
  }
}

// winners (null when not wanted): where each window's winning pixel goes, through codes
// ((M/2)² · channels int32 of scratch).
DT_CLONES void transform_tile_max(int tile, float* const* out, uint8_t* const* winners, int32_t* codes,
                                  const float* m, int64_t m_stride, const float* bias, bool relu, int64_t channels) {
  if (tile == 4) {
    if (relu) transform_tile_max_as<4, true>(out, winners, codes, m, m_stride, bias, channels);
    else transform_tile_max_as<4, false>(out, winners, codes, m, m_stride, bias, channels);
  } else {
    if (relu) transform_tile_max_as<2, true>(out, winners, codes, m, m_stride, bias, channels);
    else transform_tile_max_as<2, false>(out, winners, codes, m, m_stride, bias, channels);
  }
}

// The filter gradient runs the forward in reverse (dU = (A·dy·Aᵀ) ⊙ V summed over tiles,
// dg = Gᵀ·dU·G). Output gradient tile: D = A·dy·Aᵀ, pixel (a, b) of the M×M tile at
// pixel[M·a + b] (a zero row past the edge); position ξ of channel o to d[ξ·d_stride + o].
template <int M>
DT_INLINE void transform_output_grad_of(float* d, int64_t d_stride, const float* const* pixel, int64_t channels) {
  using T = Tile<M>;
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    separable<M, T::n>(
        T::output_grad, [&](int a, int b) { return pixel[M * a + b][o]; },
        [&](int i, int j, float value) { d[(T::n * i + j) * d_stride + o] = value; });
  }
}

DT_CLONES void transform_output_grad(int tile, float* d, int64_t d_stride, const float* const* pixel,
                                     int64_t channels) {
  if (tile == 4) transform_output_grad_of<4>(d, d_stride, pixel, channels);
  else transform_output_grad_of<2>(d, d_stride, pixel, channels);
}

// Kernel gradient: dg = Gᵀ·Z·G for elements [begin, end) of the [inC, outC] matrices, Z's
// position ξ at z[ξ·n + e]; written to the [3, 3, inC, outC] gradient.
template <int M>
DT_INLINE void transform_kernel_grad_of(float* dkernel, const float* z, int64_t n, int64_t begin, int64_t end) {
  using T = Tile<M>;
#pragma GCC ivdep
  for (int64_t e = begin; e < end; e++) {
    separable<T::n, 3>(
        T::kernel_grad, [&](int i, int j) { return z[(T::n * i + j) * n + e]; },
        [&](int i, int j, float value) { dkernel[(3 * i + j) * n + e] = value; });
  }
}

DT_CLONES void transform_kernel_grad(int tile, float* dkernel, const float* z, int64_t n, int64_t begin, int64_t end) {
  if (tile == 4) transform_kernel_grad_of<4>(dkernel, z, n, begin, end);
  else transform_kernel_grad_of<2>(dkernel, z, n, begin, end);
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The tiles of a batch, image by image, row by row: tile (ty, tx) is output pixels
// [M·ty, M·ty + M) × [M·tx, M·tx + M).
struct Tiling {
  int64_t rows, cols;
  int64_t per_image() const { return rows * cols; }
};

// Walks tiles in order without a division per tile.
struct TileCursor {
  const Tiling& tiling;
  int64_t b, ty, tx;
  TileCursor(const Tiling& t, int64_t tile)
      : tiling(t), b(tile / t.per_image()), ty(tile % t.per_image() / t.cols), tx(tile % t.cols) {}
  void next() {
    if (++tx == tiling.cols) {
      tx = 0;
      if (++ty == tiling.rows) ty = 0, b++;
    }
  }
};

constexpr int kMaxPositions = Tile<4>::positions;

// A [batch, H, W, C] map the tiles read n×n blocks of: a plain one in place, or a max pool's
// gradient routed to its winners, block by block into the thread's scratch (`floats(n)` of it).
struct TileSource {
  const float* map;
  const RoutedGrad* routed;
  int64_t H, W, C;
  static TileSource plain(const float* map, int64_t H, int64_t W, int64_t C) { return {map, nullptr, H, W, C}; }
  static TileSource of(const RoutedGrad& dy, int64_t H, int64_t W) { return {nullptr, &dy, H, W, dy.channels}; }
  int64_t floats(int64_t n) const { return routed ? n * n * C : 0; }
  // pixel[n·i + j]: where pixel (y0 + i, x0 + j) of image b starts, `zeros` outside the map.
  void block(const float* (&pixel)[kMaxPositions], int64_t n, int64_t b, int64_t y0, int64_t x0, const float* zeros,
             float* scratch) const {
    if (routed) return routed_block(pixel, scratch, *routed, b, y0, x0, n, zeros);
    const float* corner = map + ((b * H + y0) * W + x0) * C;
    const bool inside = y0 >= 0 && y0 + n <= H && x0 >= 0 && x0 + n <= W;
    for (int64_t i = 0; i < n; i++) {
      for (int64_t j = 0; j < n; j++) {
        const bool in = inside || (y0 + i >= 0 && y0 + i < H && x0 + j >= 0 && x0 + j < W);
        pixel[n * i + j] = in ? corner + (i * W + j) * C : zeros;
      }
    }
  }
};

// Rows already where the row-major micro-kernel reads them: depth block b (columns [b·kc,
// (b+1)·kc)) of row r at p[b·block_stride + r·row_stride], row_stride being the ISA's.
class PackedRows final : public AOperand {
 public:
  PackedRows(const float* p, int64_t kc, int64_t block_stride) : p_(p), kc_(kc), block_stride_(block_stride) {}
  AView block(int64_t i0, int64_t, int64_t p0, int64_t, const PackShape& shape, float*) const override {
    return AView{p_ + p0 / kc_ * block_stride_ + i0 * shape.row_stride, shape.row_stride, 1,
                 shape.mr * shape.row_stride};
  }

 private:
  const float* p_;
  int64_t kc_, block_stride_;
};

// Where a tile's outputs past the edge of the map go (K floats, and K winners), and the winners'
// codes as transform_tile_max notes them (4·K int32).
struct Spare {
  float* values;
  uint8_t* winners;
  int32_t* codes;
};

// Runs the convolution over every tile of `tiling` (F(tile×tile, 3×3)), in tasks of a few dozen
// tiles whose transformed patches and products stay in the thread's cache; emit(b, ty, tx, m,
// m_stride, bias, spare) turns each tile's products back into outputs, with `bias` the
// epilogue's or zeros (a test for a null bias in the loop stops GCC vectorising it).
template <typename Emit>
void run_tiles(int tile, const TileSource& x, const float* kernel, const ConvGeom& g, const float* bias, Tiling tiling,
               Emit&& emit) {
  const int64_t C = g.inC, K = g.outC, positions = (tile + 2) * (tile + 2);
  const MatrixA no_rows(nullptr, C, false);
  const Gemm shape = plan_gemm_in_task(0, K, C, no_rows, nullptr, 0, nullptr, K, {});
  const int64_t mr = shape.arch->mr, nr = shape.arch->nr, panels = ceil_div(K, nr);
  const PanelLayout layout{shape.kc, nr, panels * shape.kc * nr, ceil_div(C, shape.kc) * panels * shape.kc * nr};
  float* u = shared_scratch(Scratch::TransformedKernel, size_t(positions * layout.position_size));
  parallel_range(C, 4, [&](int64_t c0, int64_t c1, int) { transform_kernel(tile, u, kernel, C, K, c0, c1, layout); });

  const int64_t tiles = g.batch * tiling.per_image();
  // A few micro-panels of tiles per task, while their transformed patches and products
  // (positions·mr·(inC + outC) floats a panel) fit 1 MiB of L2: at most four with 2×2 tiles,
  // two with 4×4 ones. Measured over model A's and VGG16's layers in alternating runs: as fast
  // or faster than tasks sized to fill the 1 MiB, or (4×4) than one or four panels, though each
  // task reads the whole transformed kernel. Enough tasks, too, to keep every thread busy.
  const int64_t most = tile == 4 ? 2 : 4;
  const int64_t fit = std::clamp<int64_t>((int64_t(1) << 18) / (positions * mr * (C + K)), 1, most);
  const int64_t spread = ceil_div(ceil_div(tiles, 4 * int64_t(num_threads())), mr) * mr;
  const int64_t per_task = std::min(fit * mr, spread);
  const int64_t tasks = ceil_div(tiles, per_task);
  // Transformed patches go straight into the GEMM's packed A layout: per position, per depth
  // block, per_task rows of the ISA's row stride.
  const int64_t kc = shape.kc, kblocks = ceil_div(C, kc), depth_block = per_task * shape.arch->kc;
  const int64_t position = kblocks * depth_block;
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t first = task * per_task, count = std::min(per_task, tiles - first);
    const int64_t zeros_size = std::max(C, K);
    // Transformed patches, products, a zero pixel, spare outputs, winners' codes, spare winners
    // and a routed patch.
    const int64_t spare_size = 5 * K + ceil_div(K, 4);
    const int64_t size = positions * (position + per_task * K) + zeros_size + spare_size + x.floats(tile + 2);
    float* v = thread_scratch(Scratch::Tiles, thread, size_t(size));
    float* m = v + positions * position;
    float* zeros = m + positions * per_task * K;  // a pixel in the padding, or no bias
    float* spare_values = zeros + zeros_size;
    float* routed = spare_values + spare_size;
    const Spare spare{spare_values, reinterpret_cast<uint8_t*>(spare_values + 5 * K),
                      reinterpret_cast<int32_t*>(spare_values + K)};
    std::fill(zeros, zeros + zeros_size, 0.0f);
    TileCursor at(tiling, first);
    for (int64_t r = 0; r < count; r++, at.next()) {
      const float* pixel[kMaxPositions];
      x.block(pixel, tile + 2, at.b, tile * at.ty - g.padTop, tile * at.tx - g.padLeft, zeros, routed);
      for (int64_t kb = 0; kb < kblocks; kb++)
        transform_patch(tile, v + kb * depth_block + r * shape.arch->kc, position, pixel, kb * kc,
                        std::min(kc, C - kb * kc));
    }
    for (int64_t xi = 0; xi < positions; xi++) {
      const PackedRows a(v + xi * position, kc, depth_block);
      Gemm product = shape;
      product.m = count;
      product.a = &a;
      product.b = BPanels{u + xi * layout.position_size, nr, true, layout.block_stride};
      product.c = m + xi * per_task * K;
      gemm_serial(product, thread);
    }
    TileCursor out(tiling, first);
    for (int64_t r = 0; r < count; r++, out.next())
      emit(out.b, out.ty, out.tx, m + r * K, per_task * K, bias ? bias : zeros, spare);
  });
}

int largest_tile = 4;

}  // namespace

void set_winograd(int tile) { largest_tile = tile; }

int winograd_tile(const ConvGeom& g) {
  if (largest_tile == 0) return 0;
  if (g.kernelH != 3 || g.kernelW != 3 || g.strideH != 1 || g.strideW != 1) return 0;
  // Measured against the GEMM, alternating in one process: 1.45–1.8× faster from 64 input
  // channels (VGG16's and model A's layers), 1.2× at 32, none at 16 (SqueezeNet's first fire
  // modules: the transforms then cost as much as the products save).
  if (g.inC < 32 || g.outC < 16) return 0;
  // 16 products per 2×2 tile against 9 per output pixel: worth it while overhanging tiles (odd
  // sizes, tiny maps) leave the saving above a third.
  const int64_t tiles2 = ceil_div(g.outH, 2) * ceil_div(g.outW, 2);
  if (3 * Tile<2>::positions * tiles2 > 2 * 9 * int64_t(g.outH) * g.outW) return 0;
  // 36 per 4×4 tile: taken where they are at most ¾ of the 2×2 tiles' products, its larger
  // transforms being paid from the rest.
  const int64_t tiles4 = ceil_div(g.outH, 4) * ceil_div(g.outW, 4);
  return largest_tile >= 4 && 4 * Tile<4>::positions * tiles4 <= 3 * Tile<2>::positions * tiles2 ? 4 : 2;
}

bool winograd_applies(const ConvGeom& g) { return winograd_tile(g) != 0; }

namespace {

void conv2d_tiles(float* y, int64_t y_channels, int64_t y_offset, const TileSource& x, const float* kernel,
                  const ConvGeom& g, const Epilogue& ep) {
  const bool relu = ep.act == Activation::Relu, after = activates_after_tile(ep.act);
  const int64_t K = g.outC;
  const int tile = winograd_tile(g);
  run_tiles(tile, x, kernel, g, ep.bias, Tiling{ceil_div(g.outH, tile), ceil_div(g.outW, tile)},
            [&](int64_t b, int64_t ty, int64_t tx, const float* m, int64_t m_stride, const float* bias, Spare spare) {
              float* out[Tile<4>::positions];
              for (int a = 0; a < tile; a++) {
                for (int c = 0; c < tile; c++) {
                  const int64_t oy = tile * ty + a, ox = tile * tx + c;
                  const bool inside = oy < g.outH && ox < g.outW;
                  out[tile * a + c] =
                      inside ? y + ((b * g.outH + oy) * g.outW + ox) * y_channels + y_offset : spare.values;
                }
              }
              transform_tile(tile, out, m, m_stride, bias, relu, K);
              if (after) {
                for (int i = 0; i < tile * tile; i++)
                  if (out[i] != spare.values) bias_activate(out[i], K, 1, K, nullptr, ep.act);
              }
            });
}

}  // namespace

void winograd_conv2d(float* y, int64_t y_channels, int64_t y_offset, const float* x, const float* kernel,
                     const ConvGeom& g, const Epilogue& ep) {
  conv2d_tiles(y, y_channels, y_offset, TileSource::plain(x, g.inH, g.inW, g.inC), kernel, g, ep);
}

void winograd_conv2d_routed(float* y, const RoutedGrad& x, const float* kernel, const ConvGeom& g) {
  conv2d_tiles(y, g.outC, 0, TileSource::of(x, g.inH, g.inW), kernel, g, {nullptr, Activation::Linear});
}

bool winograd_pool_applies(const ConvGeom& g, const PoolGeom& p) {
  return winograd_applies(g) && pairs_pool(p);
}

void winograd_conv2d_max_pool(float* y, int64_t y_channels, int64_t y_offset, uint8_t* winners, const float* x,
                              const float* kernel, const ConvGeom& g, const Epilogue& ep, const PoolGeom& p) {
  const bool relu = ep.act == Activation::Relu, after = activates_after_tile(ep.act);
  const int64_t K = g.outC;
  const int tile = winograd_tile(g), windows = tile / 2;
  // A tile covers windows × windows pool windows. A floor-sized pool leaves an odd last row or
  // column out: so do the tiles, and windows past the pool's edge go to the spare outputs.
  run_tiles(tile, TileSource::plain(x, g.inH, g.inW, g.inC), kernel, g, ep.bias,
            Tiling{ceil_div(p.outH, windows), ceil_div(p.outW, windows)},
            [&](int64_t b, int64_t ty, int64_t tx, const float* m, int64_t m_stride, const float* bias, Spare spare) {
              float* out[4];
              uint8_t* won[4];
              for (int a = 0; a < windows; a++) {
                for (int c = 0; c < windows; c++) {
                  const int64_t py = windows * ty + a, px = windows * tx + c;
                  const bool inside = py < p.outH && px < p.outW;
                  const int64_t pixel = (b * p.outH + py) * p.outW + px;
                  out[windows * a + c] = inside ? y + pixel * y_channels + y_offset : spare.values;
                  won[windows * a + c] = !winners ? nullptr : inside ? winners + pixel * K : spare.winners;
                }
              }
              transform_tile_max(tile, out, winners ? won : nullptr, spare.codes, m, m_stride, bias, relu, K);
              if (after) {
                for (int i = 0; i < windows * windows; i++)
                  if (out[i] != spare.values) bias_activate(out[i], K, 1, K, nullptr, ep.act);
              }
            });
}

namespace {

// dkernel = Σ over tiles, as above. Each thread sums its tiles' products into its own partial
// [positions, inC, outC]; the partials are added and transformed back once at the end.
void backprop_filter_tiles(float* dkernel, const float* x, const TileSource& dy, const ConvGeom& g) {
  const int64_t C = g.inC, K = g.outC, n = C * K;
  const int tile = winograd_tile(g);
  const int64_t positions = (tile + 2) * (tile + 2);
  const Tiling tiling{ceil_div(g.outH, tile), ceil_div(g.outW, tile)};
  const int64_t tiles = g.batch * tiling.per_image();
  const int threads = num_threads();
  // As many tiles per task as keep the transformed tiles in a quarter of L2 (the products' packed
  // operands and the partial share it), and at least as many as make the partial's read and write
  // (positions·inC·outC each way) no more than the tiles' own traffic. In alternating calls,
  // a quarter of a 1 MiB L2 rather than 2 MiB made model A's conv2 (32→64 channels at 72×72)
  // ≈ 10% faster and its conv3 ≈ 2%; VGG16's block1_conv2 did not change measurably.
  int64_t per_task = std::max((int64_t(1) << 16) / (positions * (C + K)), n / (C + K));
  per_task = std::max<int64_t>(1, std::min(per_task, ceil_div(tiles, threads)));
  const int64_t tasks = ceil_div(tiles, per_task);
  // The product's rows are inC or outC, whichever fills the micro-tiles better (model A's 32
  // input channels fill 32 of 42 rows; its 64 outputs fill 64 of 70).
  const auto padded = [](int64_t rows, int64_t cols) {
    const GemmArch& arch = gemm_arch_for_columns(cols);
    return ceil_div(rows, arch.mr) * arch.mr * ceil_div(cols, arch.nr) * arch.nr;
  };
  const bool by_output = padded(K, C) < padded(C, K);
  ThreadPartials partials(positions * n);
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t first = task * per_task, count = std::min(per_task, tiles - first);
    const int64_t zeros_size = std::max(C, K);
    float* v = thread_scratch(Scratch::Tiles, thread,
                              size_t(positions * per_task * (C + K) + zeros_size + dy.floats(tile)));
    float* d = v + positions * per_task * C;
    float* zeros = d + positions * per_task * K;
    float* routed = zeros + zeros_size;
    std::fill(zeros, zeros + zeros_size, 0.0f);
    const TileSource input = TileSource::plain(x, g.inH, g.inW, C);
    TileCursor at(tiling, first);
    for (int64_t r = 0; r < count; r++, at.next()) {
      const float* pixel[kMaxPositions];
      input.block(pixel, tile + 2, at.b, tile * at.ty - g.padTop, tile * at.tx - g.padLeft, zeros, nullptr);
      transform_patch(tile, v + r * C, per_task * C, pixel, 0, C);
      const float* grad[kMaxPositions];
      dy.block(grad, tile, at.b, tile * at.ty, tile * at.tx, zeros, routed);
      transform_output_grad(tile, d + r * K, per_task * K, grad, K);
    }
    // Z_ξ[inC, outC] (+)= V_ξᵀ·D_ξ, the tiles being the depth; or its transpose D_ξᵀ·V_ξ.
    for (int xi = 0; xi < positions; xi++) {
      const float *vx = v + xi * per_task * C, *dx = d + xi * per_task * K;
      const MatrixA lhs(by_output ? dx : vx, by_output ? K : C, true);
      const Gemm product = by_output ? plan_gemm_in_task(K, C, count, lhs, vx, C, partials.of(thread) + xi * n, C, {})
                                     : plan_gemm_in_task(C, K, count, lhs, dx, K, partials.of(thread) + xi * n, K, {});
      gemm_serial(product, thread, partials.written(thread));
    }
    partials.wrote(thread);
  });
  float* z = shared_scratch(Scratch::Product, size_t(positions * n));
  partials.sum_into(z, positions, n, n);
  if (!by_output) {
    parallel_range(n, 1 << 12, [&](int64_t begin, int64_t end, int) { transform_kernel_grad(tile, dkernel, z, n, begin, end); });
    return;
  }
  float* turned = shared_scratch(Scratch::Kernel, size_t(9 * n));  // [3, 3, outC, inC]
  parallel_range(n, 1 << 12, [&](int64_t begin, int64_t end, int) { transform_kernel_grad(tile, turned, z, n, begin, end); });
  const int32_t shape[] = {9, int32_t(K), int32_t(C)}, perm[] = {0, 2, 1};
  transpose(dkernel, turned, {shape, 3}, {perm, 3});
}

}  // namespace

void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, const ConvGeom& g) {
  backprop_filter_tiles(dkernel, x, TileSource::plain(dy, g.outH, g.outW, g.outC), g);
}

void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const RoutedGrad& dy, const ConvGeom& g) {
  backprop_filter_tiles(dkernel, x, TileSource::of(dy, g.outH, g.outW), g);
}

}  // namespace dt
