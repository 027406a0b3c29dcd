#include "conv_winograd.h"

#include <algorithm>
#include <vector>

#include "activation.h"
#include "memory.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

constexpr int kPositions = 16;  // a 4×4 patch, transformed

// The three transforms, written for one value per channel and vectorised over channels.
// Kernel: U = G·g·Gᵀ with G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1], for kernel rows [c0, c1) of the
// [3, 3, inC, outC] kernel. Position ξ's [inC, outC] matrix is written at u + ξ·position_size,
// already cut into the GEMM's B panels (`layout`), so the 16 products read it in place.
struct PanelLayout {
  int64_t kc, nr, block_stride, position_size;
};

DT_CLONES void transform_kernel(float* u, const float* kernel, int64_t C, int64_t K, int64_t c0, int64_t c1,
                                PanelLayout layout) {
  const int64_t n = C * K, nr = layout.nr, ps = layout.position_size;
  for (int64_t c = c0; c < c1; c++) {
    const float* g = kernel + c * K;
    for (int64_t j0 = 0; j0 < K; j0 += nr) {
      const int64_t lanes = std::min(nr, K - j0);
      // Row c of the panel holding columns [j0, j0 + nr), offset so that dst[o] is column o's lane.
      float* dst = u + c / layout.kc * layout.block_stride + j0 / nr * layout.kc * nr + c % layout.kc * nr - j0;
#pragma GCC ivdep
      for (int64_t o = j0; o < j0 + lanes; o++) {
        float t[4][3];
        for (int j = 0; j < 3; j++) {
          const float g0 = g[j * n + o], g1 = g[(3 + j) * n + o], g2 = g[(6 + j) * n + o];
          t[0][j] = g0;
          t[1][j] = 0.5f * (g0 + g1 + g2);
          t[2][j] = 0.5f * (g0 - g1 + g2);
          t[3][j] = g2;
        }
        for (int i = 0; i < 4; i++) {
          dst[(4 * i) * ps + o] = t[i][0];
          dst[(4 * i + 1) * ps + o] = 0.5f * (t[i][0] + t[i][1] + t[i][2]);
          dst[(4 * i + 2) * ps + o] = 0.5f * (t[i][0] - t[i][1] + t[i][2]);
          dst[(4 * i + 3) * ps + o] = t[i][2];
        }
      }
      for (int xi = 0; xi < kPositions; xi++) std::fill(dst + xi * ps + j0 + lanes, dst + xi * ps + j0 + nr, 0.0f);
    }
  }
}

// Patch: V = Bᵀ·d·B with Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], for channels
// [c0, c0 + channels). Pixel (i, j) of the patch starts at pixel[4i + j] (a zero row where it
// lies in the padding); position ξ of channel c0 + c goes to v[ξ·v_stride + c].
DT_CLONES void transform_patch(float* v, int64_t v_stride, const float* const (&pixel)[kPositions], int64_t c0,
                               int64_t channels) {
  const float* p[kPositions];
  for (int k = 0; k < kPositions; k++) p[k] = pixel[k] + c0;
#pragma GCC ivdep
  for (int64_t c = 0; c < channels; c++) {
    float t[4][4];
    for (int j = 0; j < 4; j++) {
      const float d0 = p[j][c], d1 = p[4 + j][c], d2 = p[8 + j][c], d3 = p[12 + j][c];
      t[0][j] = d0 - d2;
      t[1][j] = d1 + d2;
      t[2][j] = d2 - d1;
      t[3][j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) {
      v[(4 * i) * v_stride + c] = t[i][0] - t[i][2];
      v[(4 * i + 1) * v_stride + c] = t[i][1] + t[i][2];
      v[(4 * i + 2) * v_stride + c] = t[i][2] - t[i][1];
      v[(4 * i + 3) * v_stride + c] = t[i][1] - t[i][3];
    }
  }
}

inline float relu_if(bool apply, float v) { return apply ? relu(v) : v; }

// The larger of a and b, NaN when either is (as the max pools: a NaN output must not vanish).
// Two plain selects: written as one with `||`, the condition keeps GCC from vectorising the
// loops that call it.
inline float nan_max(float a, float b) {
  const float larger = a > b ? a : b;
  return a != a ? a : larger;
}

// Aᵀ·M for channel o of the products, M's position ξ at m[ξ·m_stride + o]: the tile's two
// rows, each still to be multiplied by A.
DT_INLINE void output_rows(const float* m, int64_t m_stride, int64_t o, float (&s)[2][4]) {
  for (int j = 0; j < 4; j++) {
    const float m0 = m[j * m_stride + o], m1 = m[(4 + j) * m_stride + o], m2 = m[(8 + j) * m_stride + o],
                m3 = m[(12 + j) * m_stride + o];
    s[0][j] = m0 + m1 + m2;
    s[1][j] = m1 - m2 - m3;
  }
}

// Output: Y = Aᵀ·M·A with Aᵀ = [1 1 1 0; 0 1 -1 -1], M's position ξ at m[ξ·m_stride + o].
// out[2a + b] receives output pixel (a, b) of the tile, + bias, relu if asked. (Relu is a
// template argument: tested inside the loop, it stops GCC vectorising the four stores.)
template <bool Relu>
DT_INLINE void transform_tile_of(float* const (&out)[4], const float* m, int64_t m_stride,
                                                             const float* bias, int64_t channels) {
  float *y0 = out[0], *y1 = out[1], *y2 = out[2], *y3 = out[3];
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float s[2][4];
    output_rows(m, m_stride, o, s);
    const float b = bias[o];
    y0[o] = relu_if(Relu, s[0][0] + s[0][1] + s[0][2] + b);
    y1[o] = relu_if(Relu, s[0][1] - s[0][2] - s[0][3] + b);
    y2[o] = relu_if(Relu, s[1][0] + s[1][1] + s[1][2] + b);
    y3[o] = relu_if(Relu, s[1][1] - s[1][2] - s[1][3] + b);
  }
}

DT_CLONES void transform_tile(float* const (&out)[4], const float* m, int64_t m_stride, const float* bias, bool relu,
                              int64_t channels) {
  if (relu) transform_tile_of<true>(out, m, m_stride, bias, channels);
  else transform_tile_of<false>(out, m, m_stride, bias, channels);
}

// The same, pooled: out[o] = max of the tile's four outputs, + bias, relu if asked (every
// activation is non-decreasing, so it commutes with the max).
template <bool Relu>
DT_INLINE void transform_tile_max_of(float* out, const float* m, int64_t m_stride, const float* bias,
                                     int64_t channels) {
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float s[2][4];
    output_rows(m, m_stride, o, s);
    const float top = nan_max(s[0][0] + s[0][1] + s[0][2], s[0][1] - s[0][2] - s[0][3]);
    const float bottom = nan_max(s[1][0] + s[1][1] + s[1][2], s[1][1] - s[1][2] - s[1][3]);
    out[o] = relu_if(Relu, nan_max(top, bottom) + bias[o]);
  }
}

DT_CLONES void transform_tile_max(float* out, const float* m, int64_t m_stride, const float* bias, bool relu,
                                  int64_t channels) {
  if (relu) transform_tile_max_of<true>(out, m, m_stride, bias, channels);
  else transform_tile_max_of<false>(out, m, m_stride, bias, channels);
}

// transform_tile_max, also noting which of the tile's pixels won: the first maximal one in
// row-major order, strictly greater winning (before bias and activation, which keep the order).
template <bool Relu>
DT_INLINE void transform_tile_max_winners_of(float* out, uint8_t* winners, const float* m, int64_t m_stride,
                                             const float* bias, int64_t channels) {
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float s[2][4];
    output_rows(m, m_stride, o, s);
    const float v[4] = {s[0][0] + s[0][1] + s[0][2], s[0][1] - s[0][2] - s[0][3], s[1][0] + s[1][1] + s[1][2],
                        s[1][1] - s[1][2] - s[1][3]};
    float best = v[0];
    uint8_t where = 0;
    for (int i = 1; i < 4; i++) {
      where = v[i] > best ? uint8_t(i) : where;
      best = v[i] > best ? v[i] : best;
    }
    winners[o] = where;
    out[o] = relu_if(Relu, nan_max(nan_max(v[0], v[1]), nan_max(v[2], v[3])) + bias[o]);
  }
}

DT_CLONES void transform_tile_max_winners(float* out, uint8_t* winners, const float* m, int64_t m_stride,
                                          const float* bias, bool relu, int64_t channels) {
  if (relu) transform_tile_max_winners_of<true>(out, winners, m, m_stride, bias, channels);
  else transform_tile_max_winners_of<false>(out, winners, m, m_stride, bias, channels);
}

// The filter gradient runs the forward in reverse (dU = (A·dy·Aᵀ) ⊙ V summed over tiles,
// dg = Gᵀ·dU·G). Output gradient tile: D = A·dy·Aᵀ with A = [1 0; 1 1; 1 -1; 0 -1], pixel
// (a, b) of the 2×2 tile at pixel[2a + b] (a zero row past the edge); position ξ of channel
// o to d[ξ·d_stride + o].
DT_CLONES void transform_output_grad(float* d, int64_t d_stride, const float* const (&pixel)[4], int64_t channels) {
  const float *p00 = pixel[0], *p01 = pixel[1], *p10 = pixel[2], *p11 = pixel[3];
#pragma GCC ivdep
  for (int64_t o = 0; o < channels; o++) {
    float r[4][2];
    for (int b = 0; b < 2; b++) {
      const float top = b ? p01[o] : p00[o], bottom = b ? p11[o] : p10[o];
      r[0][b] = top;
      r[1][b] = top + bottom;
      r[2][b] = top - bottom;
      r[3][b] = -bottom;
    }
    for (int i = 0; i < 4; i++) {
      d[(4 * i) * d_stride + o] = r[i][0];
      d[(4 * i + 1) * d_stride + o] = r[i][0] + r[i][1];
      d[(4 * i + 2) * d_stride + o] = r[i][0] - r[i][1];
      d[(4 * i + 3) * d_stride + o] = -r[i][1];
    }
  }
}

// Kernel gradient: dg = Gᵀ·Z·G for elements [begin, end) of the [inC, outC] matrices, Z's
// position ξ at z[ξ·n + e]; written to the [3, 3, inC, outC] gradient.
DT_CLONES void transform_kernel_grad(float* dkernel, const float* z, int64_t n, int64_t begin, int64_t end) {
#pragma GCC ivdep
  for (int64_t e = begin; e < end; e++) {
    float w[3][4];  // Gᵀ·Z, Gᵀ = [1 ½ ½ 0; 0 ½ -½ 0; 0 ½ ½ 1]
    for (int j = 0; j < 4; j++) {
      const float z0 = z[j * n + e], z1 = z[(4 + j) * n + e], z2 = z[(8 + j) * n + e], z3 = z[(12 + j) * n + e];
      w[0][j] = z0 + 0.5f * (z1 + z2);
      w[1][j] = 0.5f * (z1 - z2);
      w[2][j] = 0.5f * (z1 + z2) + z3;
    }
    for (int i = 0; i < 3; i++) {
      dkernel[(3 * i) * n + e] = w[i][0] + 0.5f * (w[i][1] + w[i][2]);
      dkernel[(3 * i + 1) * n + e] = 0.5f * (w[i][1] - w[i][2]);
      dkernel[(3 * i + 2) * n + e] = 0.5f * (w[i][1] + w[i][2]) + w[i][3];
    }
  }
}

DT_CLONES void add_into(float* sum, const float* part, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; i++) sum[i] += part[i];
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The tiles of a batch, image by image, row by row: tile (ty, tx) is output pixels
// [2ty, 2ty+2) × [2tx, 2tx+2).
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

// Where each pixel of the tile's 4×4 input patch starts, `zeros` for those in the padding.
void patch_pixels(const float* (&pixel)[kPositions], const float* x, const ConvGeom& g, const TileCursor& at,
                  const float* zeros) {
  const int64_t iy0 = 2 * at.ty - g.padTop, ix0 = 2 * at.tx - g.padLeft;
  const float* corner = x + ((at.b * g.inH + iy0) * g.inW + ix0) * g.inC;
  const bool inside = iy0 >= 0 && iy0 + 4 <= g.inH && ix0 >= 0 && ix0 + 4 <= g.inW;
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < 4; j++) {
      const bool in = inside || (iy0 + i >= 0 && iy0 + i < g.inH && ix0 + j >= 0 && ix0 + j < g.inW);
      pixel[4 * i + j] = in ? corner + (i * g.inW + j) * g.inC : zeros;
    }
  }
}

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

// Runs the convolution over every tile of `tiling`, in tasks of a few dozen tiles whose
// transformed patches and products stay in the thread's cache; emit(b, ty, tx, m, m_stride,
// bias, spare) turns each tile's products back into outputs, with `bias` the epilogue's or
// zeros (a test for a null bias in the loop stops GCC vectorising it).
template <typename Emit>
void run_tiles(const float* x, const float* kernel, const ConvGeom& g, const float* bias, Tiling tiling, Emit&& emit) {
  const int64_t C = g.inC, K = g.outC;
  const MatrixA no_rows(nullptr, C, false);
  const Gemm shape = plan_gemm_in_task(0, K, C, no_rows, nullptr, 0, nullptr, K, {});
  const int64_t mr = shape.arch->mr, nr = shape.arch->nr, panels = ceil_div(K, nr);
  const PanelLayout layout{shape.kc, nr, panels * shape.kc * nr, ceil_div(C, shape.kc) * panels * shape.kc * nr};
  float* u = shared_scratch(Scratch::TransformedKernel, size_t(kPositions * layout.position_size));
  parallel_range(C, 4, [&](int64_t c0, int64_t c1, int) { transform_kernel(u, kernel, C, K, c0, c1, layout); });

  const int64_t tiles = g.batch * tiling.per_image();
  // Four micro-panels of tiles per task: their transformed patches and products (16·4·mr·(inC
  // + outC) floats) stay in L2. Measured over model A's and VGG16's layers, against tasks sized to
  // fill 1 MiB: as fast or faster everywhere (1.1–1.4× at 32–64 channels), though each task
  // reads the whole transformed kernel. Enough tasks, too, to keep every thread busy to the end.
  const int64_t spread = ceil_div(ceil_div(tiles, 4 * int64_t(num_threads())), mr) * mr;
  const int64_t per_task = std::min(4 * mr, spread);
  const int64_t tasks = ceil_div(tiles, per_task);
  // Transformed patches go straight into the GEMM's packed A layout: per position, per depth
  // block, per_task rows of the ISA's row stride.
  const int64_t kc = shape.kc, kblocks = ceil_div(C, kc), depth_block = per_task * shape.arch->kc;
  const int64_t position = kblocks * depth_block;
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t first = task * per_task, count = std::min(per_task, tiles - first);
    const int64_t zeros_size = std::max(C, K);
    float* v = thread_scratch(Scratch::Tiles, thread, size_t(kPositions * (position + per_task * K) + zeros_size + K));
    float* m = v + kPositions * position;
    float* zeros = m + kPositions * per_task * K;  // a pixel in the padding, or no bias
    float* spare = zeros + zeros_size;             // where outputs past the edge go
    std::fill(zeros, zeros + zeros_size, 0.0f);
    TileCursor at(tiling, first);
    for (int64_t r = 0; r < count; r++, at.next()) {
      const float* pixel[kPositions];
      patch_pixels(pixel, x, g, at, zeros);
      for (int64_t kb = 0; kb < kblocks; kb++)
        transform_patch(v + kb * depth_block + r * shape.arch->kc, position, pixel, kb * kc, std::min(kc, C - kb * kc));
    }
    for (int xi = 0; xi < kPositions; xi++) {
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

bool winograd_enabled = true;

}  // namespace

void set_winograd(bool enabled) { winograd_enabled = enabled; }

bool winograd_applies(const ConvGeom& g) {
  if (!winograd_enabled) return false;
  if (g.kernelH != 3 || g.kernelW != 3 || g.strideH != 1 || g.strideW != 1) return false;
  // Measured against the GEMM, alternating in one process: 1.45–1.8× faster from 64 input
  // channels (VGG16's and model A's layers), 1.2× at 32, none at 16 (SqueezeNet's first fire
  // modules: the transforms then cost as much as the products save).
  if (g.inC < 32 || g.outC < 16) return false;
  // 16 products per tile against 9 per output pixel: worth it while overhanging tiles (odd
  // sizes, tiny maps) leave the saving above a third.
  const int64_t tiles = ceil_div(g.outH, 2) * ceil_div(g.outW, 2);
  return 3 * kPositions * tiles <= 2 * 9 * int64_t(g.outH) * g.outW;
}

void winograd_conv2d(float* y, int64_t y_channels, int64_t y_offset, const float* x, const float* kernel,
                     const ConvGeom& g, const Epilogue& ep) {
  const bool relu = ep.act == Activation::Relu, after = activates_after_tile(ep.act);
  const int64_t K = g.outC;
  run_tiles(x, kernel, g, ep.bias, Tiling{ceil_div(g.outH, 2), ceil_div(g.outW, 2)},
            [&](int64_t b, int64_t ty, int64_t tx, const float* m, int64_t m_stride, const float* bias, float* spare) {
              float* out[4];
              for (int a = 0; a < 2; a++) {
                for (int c = 0; c < 2; c++) {
                  const int64_t oy = 2 * ty + a, ox = 2 * tx + c;
                  const bool inside = oy < g.outH && ox < g.outW;
                  out[2 * a + c] = inside ? y + ((b * g.outH + oy) * g.outW + ox) * y_channels + y_offset : spare;
                }
              }
              transform_tile(out, m, m_stride, bias, relu, K);
              if (after) {
                for (float* pixel : out) bias_activate(pixel, K, 1, K, nullptr, ep.act);
              }
            });
}

bool winograd_pool_applies(const ConvGeom& g, const PoolGeom& p) {
  return winograd_applies(g) && p.poolH == 2 && p.poolW == 2 && p.strideH == 2 && p.strideW == 2 && p.padTop == 0 &&
         p.padLeft == 0;
}

void winograd_conv2d_max_pool(float* y, int64_t y_channels, int64_t y_offset, uint8_t* winners, const float* x,
                              const float* kernel, const ConvGeom& g, const Epilogue& ep, const PoolGeom& p) {
  const bool relu = ep.act == Activation::Relu, after = activates_after_tile(ep.act);
  const int64_t K = g.outC;
  // A floor-sized pool leaves an odd last row or column out: so do the tiles.
  run_tiles(x, kernel, g, ep.bias, Tiling{p.outH, p.outW},
            [&](int64_t b, int64_t ty, int64_t tx, const float* m, int64_t m_stride, const float* bias, float*) {
              const int64_t pixel = (b * p.outH + ty) * p.outW + tx;
              float* out = y + pixel * y_channels + y_offset;
              if (winners) transform_tile_max_winners(out, winners + pixel * K, m, m_stride, bias, relu, K);
              else transform_tile_max(out, m, m_stride, bias, relu, K);
              if (after) bias_activate(out, K, 1, K, nullptr, ep.act);
            });
}

// dkernel = Σ over tiles, as above. Each thread sums its tiles' 16 products into its own
// partial [16, inC, outC]; the partials are added and transformed back once at the end.
void winograd_conv2d_backprop_filter(float* dkernel, const float* x, const float* dy, const ConvGeom& g) {
  const int64_t C = g.inC, K = g.outC, n = C * K;
  const Tiling tiling{ceil_div(g.outH, 2), ceil_div(g.outW, 2)};
  const int64_t tiles = g.batch * tiling.per_image();
  const int threads = num_threads();
  // As many tiles per task as keep the transformed tiles in L2, and at least as many as make
  // the partial's read and write (16·inC·outC each way) no more than the tiles' own traffic.
  int64_t per_task = std::max((int64_t(1) << 14) / (C + K), n / (C + K));
  per_task = std::max<int64_t>(1, std::min(per_task, ceil_div(tiles, threads)));
  const int64_t tasks = ceil_div(tiles, per_task);
  // The product's rows are inC or outC, whichever fills the micro-tiles better (model A's 32
  // input channels fill 32 of 42 rows; its 64 outputs fill 64 of 70).
  const auto padded = [](int64_t rows, int64_t cols) {
    const GemmArch& arch = gemm_arch_for_columns(cols);
    return ceil_div(rows, arch.mr) * arch.mr * ceil_div(cols, arch.nr) * arch.nr;
  };
  const bool by_output = padded(K, C) < padded(C, K);
  std::vector<float*> partial(threads);
  std::vector<char> touched(threads, 0);
  for (int t = 0; t < threads; t++) partial[t] = thread_scratch(Scratch::Partial, t, size_t(kPositions * n));
  parallel_for(tasks, [&](int64_t task, int thread) {
    const int64_t first = task * per_task, count = std::min(per_task, tiles - first);
    const int64_t zeros_size = std::max(C, K);
    float* v = thread_scratch(Scratch::Tiles, thread, size_t(kPositions * per_task * (C + K) + zeros_size));
    float* d = v + kPositions * per_task * C;
    float* zeros = d + kPositions * per_task * K;
    std::fill(zeros, zeros + zeros_size, 0.0f);
    TileCursor at(tiling, first);
    for (int64_t r = 0; r < count; r++, at.next()) {
      const float* pixel[kPositions];
      patch_pixels(pixel, x, g, at, zeros);
      transform_patch(v + r * C, per_task * C, pixel, 0, C);
      const float* grad[4];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          const int64_t oy = 2 * at.ty + a, ox = 2 * at.tx + b;
          grad[2 * a + b] = oy < g.outH && ox < g.outW ? dy + ((at.b * g.outH + oy) * g.outW + ox) * K : zeros;
        }
      }
      transform_output_grad(d + r * K, per_task * K, grad, K);
    }
    // Z_ξ[inC, outC] (+)= V_ξᵀ·D_ξ, the tiles being the depth; or its transpose D_ξᵀ·V_ξ.
    for (int xi = 0; xi < kPositions; xi++) {
      const float *vx = v + xi * per_task * C, *dx = d + xi * per_task * K;
      const MatrixA lhs(by_output ? dx : vx, by_output ? K : C, true);
      const Gemm product = by_output ? plan_gemm_in_task(K, C, count, lhs, vx, C, partial[thread] + xi * n, C, {})
                                     : plan_gemm_in_task(C, K, count, lhs, dx, K, partial[thread] + xi * n, K, {});
      gemm_serial(product, thread, touched[thread] != 0);
    }
    touched[thread] = 1;
  });
  float* z = nullptr;
  for (int t = 0; t < threads; t++) {
    if (!touched[t]) continue;
    if (!z) {
      z = partial[t];
      continue;
    }
    parallel_range(kPositions * n, 1 << 14, [&](int64_t begin, int64_t end, int) { add_into(z, partial[t], begin, end); });
  }
  if (!by_output) {
    parallel_range(n, 1 << 12, [&](int64_t begin, int64_t end, int) { transform_kernel_grad(dkernel, z, n, begin, end); });
    return;
  }
  float* turned = shared_scratch(Scratch::Kernel, size_t(9 * n));  // [3, 3, outC, inC]
  parallel_range(n, 1 << 12, [&](int64_t begin, int64_t end, int) { transform_kernel_grad(turned, z, n, begin, end); });
  const int32_t shape[] = {9, int32_t(K), int32_t(C)}, perm[] = {0, 2, 1};
  transpose(dkernel, turned, {shape, 3}, {perm, 3});
}

}  // namespace dt
