// NHWC max and average pooling, forward and backward. Padded cells never count: a window's
// max ignores them and its average divides by the number of real cells (Keras/TF).
// Each task runs one ISA-specific function over a whole output row or image slice, with the
// per-channel loops inlined and vectorised inside it.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#endif

#include "gemm.h"
#include "kernels.h"
#include "pool.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

// The in-image part of output pixel (oy, ox)'s window.
struct Window {
  int64_t y0, y1, x0, x1;
  int64_t cells() const { return (y1 - y0) * (x1 - x0); }
};

inline Window window(const PoolGeom& g, int64_t oy, int64_t ox) {
  const int64_t y = oy * g.strideH - g.padTop, x = ox * g.strideW - g.padLeft;
  Window w{std::max<int64_t>(y, 0), std::min<int64_t>(y + g.poolH, g.inH), std::max<int64_t>(x, 0),
           std::min<int64_t>(x + g.poolW, g.inW)};
  w.y1 = std::max(w.y1, w.y0);
  w.x1 = std::max(w.x1, w.x0);
  return w;
}

// Channels are processed in slices of this many lanes so per-lane state lives on the stack.
constexpr int64_t kSlice = 64;

// One output row (b, oy): every pixel's window max (NaN wins and stays, as Math.max) or mean,
// output pixels y_stride floats apart.
DT_CLONES void pool_row(float* y, int64_t y_stride, const float* img, const PoolGeom& g, int64_t oy, bool max) {
  const int64_t C = g.channels;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    const Window w = window(g, oy, ox);
    float* out = y + ox * y_stride;
    const float init = max ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int64_t c = 0; c < C; c++) out[c] = init;
    for (int64_t iy = w.y0; iy < w.y1; iy++) {
      for (int64_t ix = w.x0; ix < w.x1; ix++) {
        const float* in = img + (iy * g.inW + ix) * C;
        if (max) {
          for (int64_t c = 0; c < C; c++) out[c] = (in[c] > out[c] || in[c] != in[c]) ? in[c] : out[c];
        } else {
          for (int64_t c = 0; c < C; c++) out[c] += in[c];
        }
      }
    }
    if (!max) {
      const float k = 1.0f / float(w.cells());
      for (int64_t c = 0; c < C; c++) out[c] *= k;
    }
  }
}

// Where window (oy, ox) would start were it not clipped: cell ky·poolW + kx is its (ky, kx).
inline int64_t window_cell(const PoolGeom& g, int64_t oy, int64_t ox, int64_t iy, int64_t ix) {
  return (iy - (oy * g.strideH - g.padTop)) * g.poolW + (ix - (ox * g.strideW - g.padLeft));
}

#if defined(__x86_64__) && defined(__GNUC__)
#define DT_POOL_AVX512 1
// pool_row's max for AVX-512: 16 channels held in a register across the window's cells, the
// cells of the usual 2×2 and 3×3 windows unrolled. GCC keeps pool_row's running max in memory
// and loops over cells at run time: 3× the time on model A's first pooling (32 channels, from
// cache). MAXPS keeps its second operand when either is NaN, so NaN cells are noted apart
// and win at the end, as in pool_row. With Winners, each lane also follows its first strictly
// greatest cell (window cell first_cell + iy·pool_w + ix), written out as bytes.
template <int PH, int PW, bool Winners>
__attribute__((target("avx512f"), always_inline)) inline void max_pixel_avx512(float* out, uint8_t* winners,
                                                                              const float* corner, int64_t ph,
                                                                              int64_t pw, int64_t row, int64_t C,
                                                                              int32_t first_cell, int64_t pool_w) {
  for (int64_t c = 0; c < C; c += 16) {
    const __mmask16 m = C - c >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (C - c)) - 1);
    __m512 acc = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    __m512 best = _mm512_maskz_loadu_ps(m, corner + c);
    __m512i where = _mm512_set1_epi32(first_cell);
    __mmask16 nan = 0;
    const int64_t h = PH ? PH : ph, w = PW ? PW : pw;
#pragma GCC unroll 3
    for (int64_t iy = 0; iy < h; iy++)
#pragma GCC unroll 3
      for (int64_t ix = 0; ix < w; ix++) {
        const __m512 v = _mm512_maskz_loadu_ps(m, corner + iy * row + ix * C + c);
        acc = _mm512_mask_max_ps(acc, m, v, acc);  // v > acc ? v : acc, and acc when either is NaN
        nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        if (Winners) {
          const __mmask16 greater = _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ);
          best = _mm512_mask_mov_ps(best, greater, v);
          where = _mm512_mask_mov_epi32(where, greater, _mm512_set1_epi32(first_cell + int32_t(iy * pool_w + ix)));
        }
      }
    acc = _mm512_mask_mov_ps(acc, nan, _mm512_set1_ps(std::numeric_limits<float>::quiet_NaN()));
    _mm512_mask_storeu_ps(out + c, m, acc);
    if (Winners) _mm512_mask_cvtepi32_storeu_epi8(winners + c, m, where);
  }
}

template <bool Winners>
__attribute__((target("avx512f"))) void max_pool_row_avx512(float* y, int64_t y_stride, uint8_t* winners,
                                                            const float* img, const PoolGeom& g, int64_t oy) {
  const int64_t C = g.channels, row = int64_t(g.inW) * C;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    const Window w = window(g, oy, ox);
    const int64_t ph = w.y1 - w.y0, pw = w.x1 - w.x0;
    const float* corner = img + (w.y0 * g.inW + w.x0) * C;
    const int32_t first = int32_t(window_cell(g, oy, ox, w.y0, w.x0));
    float* out = y + ox * y_stride;
    uint8_t* won = Winners ? winners + ox * C : nullptr;
    if (ph == 2 && pw == 2) max_pixel_avx512<2, 2, Winners>(out, won, corner, ph, pw, row, C, first, g.poolW);
    else if (ph == 3 && pw == 3) max_pixel_avx512<3, 3, Winners>(out, won, corner, ph, pw, row, C, first, g.poolW);
    else max_pixel_avx512<0, 0, Winners>(out, won, corner, ph, pw, row, C, first, g.poolW);
  }
}
#endif

#if defined(__aarch64__) || defined(_M_ARM64)
#define DT_POOL_NEON 1
// pool_row's max for NEON, as max_pixel_avx512 for AVX-512: 8 channels in two registers across
// the window's cells (GCC leaves the winners loop scalar here). FMAX gives NaN when either
// operand is NaN, so NaN wins the value with no separate note, and never the cell: a NaN is
// never strictly greater.
template <bool Winners>
DT_INLINE void max_pixel_neon(float* out, uint8_t* winners, const float* corner, int64_t ph, int64_t pw, int64_t row,
                              int64_t C, int32_t first_cell, int64_t pool_w) {
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    float32x4_t acc0 = vld1q_f32(corner + c), acc1 = vld1q_f32(corner + c + 4);
    float32x4_t best0 = acc0, best1 = acc1;
    uint32x4_t where0 = vdupq_n_u32(uint32_t(first_cell)), where1 = where0;
    for (int64_t iy = 0; iy < ph; iy++)
      for (int64_t ix = 0; ix < pw; ix++) {
        const float* p = corner + iy * row + ix * C + c;
        const float32x4_t v0 = vld1q_f32(p), v1 = vld1q_f32(p + 4);
        acc0 = vmaxq_f32(acc0, v0);
        acc1 = vmaxq_f32(acc1, v1);
        if (Winners) {
          const uint32x4_t cell = vdupq_n_u32(uint32_t(first_cell + iy * pool_w + ix));
          const uint32x4_t greater0 = vcgtq_f32(v0, best0), greater1 = vcgtq_f32(v1, best1);
          best0 = vbslq_f32(greater0, v0, best0);
          best1 = vbslq_f32(greater1, v1, best1);
          where0 = vbslq_u32(greater0, cell, where0);
          where1 = vbslq_u32(greater1, cell, where1);
        }
      }
    vst1q_f32(out + c, acc0);
    vst1q_f32(out + c + 4, acc1);
    if (Winners) vst1_u8(winners + c, vmovn_u16(vcombine_u16(vmovn_u32(where0), vmovn_u32(where1))));
  }
  for (; c < C; c++) {
    float value = corner[c], best = value;
    int32_t where = first_cell;
    for (int64_t iy = 0; iy < ph; iy++)
      for (int64_t ix = 0; ix < pw; ix++) {
        const float v = corner[iy * row + ix * C + c];
        value = (v > value || v != v) ? v : value;
        if (v > best) best = v, where = first_cell + int32_t(iy * pool_w + ix);
      }
    out[c] = value;
    if (Winners) winners[c] = uint8_t(where);
  }
}

template <bool Winners>
void max_pool_row_neon(float* y, int64_t y_stride, uint8_t* winners, const float* img, const PoolGeom& g, int64_t oy) {
  const int64_t C = g.channels, row = int64_t(g.inW) * C;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    const Window w = window(g, oy, ox);
    const float* corner = img + (w.y0 * g.inW + w.x0) * C;
    max_pixel_neon<Winners>(y + ox * y_stride, Winners ? winners + ox * C : nullptr, corner, w.y1 - w.y0, w.x1 - w.x0, row, C,
                            int32_t(window_cell(g, oy, ox, w.y0, w.x0)), g.poolW);
  }
}
#endif

// dx of one image's channels [c0, c1): each dy routed to the first maximal cell of its window
// (strictly greater wins; read from `winners` when given, found in img otherwise) or spread
// evenly over its real cells. When windows never overlap (stride ≥ pool, the usual 2×2/2) each
// covered cell is written once, not zeroed and then added to: this kernel is memory-bound and
// that halves its traffic. With winners, relu_y and bias as max_pool_backward_winners's (bias:
// this image's sums, added to).
DT_CLONES void pool_backward_image(float* dx, const float* img, const uint8_t* winners, const float* dy,
                                   const float* relu_y, double* bias, const PoolGeom& g, int64_t c0, int64_t c1,
                                   bool max, bool disjoint, const char* covered_row, const char* covered_col) {
  const int64_t C = g.channels;
  for (int64_t iy = 0; iy < g.inH; iy++)
    for (int64_t ix = 0; ix < g.inW; ix++)
      if (!disjoint || !covered_row[iy] || !covered_col[ix]) {
        float* o = dx + (iy * g.inW + ix) * C;
        std::fill(o + c0, o + c1, 0.0f);
      }
  for (int64_t s0 = c0; s0 < c1; s0 += kSlice) {
    const int64_t n = std::min(kSlice, c1 - s0);
    float best[kSlice], masked[kSlice];
    int32_t where[kSlice];
    for (int64_t oy = 0; oy < g.outH; oy++) {
      for (int64_t ox = 0; ox < g.outW; ox++) {
        const Window w = window(g, oy, ox);
        const int64_t at = (oy * g.outW + ox) * C + s0;
        const float* d = dy + at;
        if (relu_y) {
          for (int64_t c = 0; c < n; c++) masked[c] = relu_y[at + c] > 0 ? d[c] : 0.0f;
          d = masked;
        }
        if (bias)
          for (int64_t c = 0; c < n; c++) bias[s0 + c] += double(d[c]);
        if (w.cells() == 0) continue;
        if (max && winners) {
          for (int64_t c = 0; c < n; c++) where[c] = winners[at + c];
        } else if (max) {
          const float* first = img + (w.y0 * g.inW + w.x0) * C + s0;
          const int32_t first_cell = int32_t(window_cell(g, oy, ox, w.y0, w.x0));
          for (int64_t c = 0; c < n; c++) best[c] = first[c], where[c] = first_cell;
          for (int64_t iy = w.y0; iy < w.y1; iy++)
            for (int64_t ix = w.x0; ix < w.x1; ix++) {
              const int32_t cell = int32_t(window_cell(g, oy, ox, iy, ix));
              const float* in = img + (iy * g.inW + ix) * C + s0;
              for (int64_t c = 0; c < n; c++) {
                const bool better = in[c] > best[c];
                best[c] = better ? in[c] : best[c];
                where[c] = better ? cell : where[c];
              }
            }
        }
        const float k = max ? 1.0f : 1.0f / float(w.cells());
        for (int64_t iy = w.y0; iy < w.y1; iy++)
          for (int64_t ix = w.x0; ix < w.x1; ix++) {
            const int32_t cell = int32_t(window_cell(g, oy, ox, iy, ix));
            float* o = dx + (iy * g.inW + ix) * C + s0;
            if (max && disjoint) {
              for (int64_t c = 0; c < n; c++) o[c] = where[c] == cell ? d[c] : 0.0f;
            } else if (max) {
              for (int64_t c = 0; c < n; c++) o[c] += where[c] == cell ? d[c] : 0.0f;
            } else if (disjoint) {
              for (int64_t c = 0; c < n; c++) o[c] = d[c] * k;
            } else {
              for (int64_t c = 0; c < n; c++) o[c] += d[c] * k;
            }
          }
      }
    }
  }
}

// max_pool_row's values, and for each the cell it came from: the first maximal one, strictly
// greater winning, as pool_backward_image finds it (NaN still wins the value, never the cell).
DT_CLONES void max_pool_row_winners_of(float* y, uint8_t* winners, const float* img, const PoolGeom& g, int64_t oy) {
  const int64_t C = g.channels;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    const Window w = window(g, oy, ox);
    for (int64_t s0 = 0; s0 < C; s0 += kSlice) {
      const int64_t n = std::min(kSlice, C - s0);
      float* out = y + ox * C + s0;
      uint8_t* where = winners + ox * C + s0;
      float best[kSlice];
      const float* first = img + (w.y0 * g.inW + w.x0) * C + s0;
      const uint8_t first_cell = uint8_t(window_cell(g, oy, ox, w.y0, w.x0));
      for (int64_t c = 0; c < n; c++) best[c] = out[c] = first[c], where[c] = first_cell;
      for (int64_t iy = w.y0; iy < w.y1; iy++)
        for (int64_t ix = w.x0; ix < w.x1; ix++) {
          const uint8_t cell = uint8_t(window_cell(g, oy, ox, iy, ix));
          const float* in = img + (iy * g.inW + ix) * C + s0;
#pragma GCC ivdep
          for (int64_t c = 0; c < n; c++) {
            const bool better = in[c] > best[c];
            best[c] = better ? in[c] : best[c];
            where[c] = better ? cell : where[c];
            out[c] = (in[c] > out[c] || in[c] != in[c]) ? in[c] : out[c];
          }
        }
    }
  }
}

// out[k·C + c] = grad[k][c] where cell[k] won its window in channel c, else 0.
DT_CLONES void route_cells(float* out, int64_t count, const float* const* grad, const uint8_t* const* won,
                           const uint8_t* cell, int64_t C) {
  for (int64_t k = 0; k < count; k++) {
    const float* g = grad[k];
    const uint8_t* w = won[k];
    const uint8_t mine = cell[k];
    float* o = out + k * C;
#pragma GCC ivdep
    for (int64_t c = 0; c < C; c++) o[c] = w[c] == mine ? g[c] : 0.0f;
  }
}

// The same for whole windows: out[(4k + cell)·C + c] for each of window k's four cells.
DT_CLONES void route_windows(float* out, int64_t count, const float* const* grad, const uint8_t* const* won, int64_t C) {
  for (int64_t k = 0; k < count; k++) {
    const float* g = grad[k];
    const uint8_t* w = won[k];
    float* o = out + 4 * k * C;
#pragma GCC ivdep
    for (int64_t c = 0; c < C; c++) {
      const float v = g[c];
      const uint8_t cell = w[c];
      o[c] = cell == 0 ? v : 0.0f;
      o[C + c] = cell == 1 ? v : 0.0f;
      o[2 * C + c] = cell == 2 ? v : 0.0f;
      o[3 * C + c] = cell == 3 ? v : 0.0f;
    }
  }
}

void pool_forward(float* y, const float* x, const PoolGeom& g, bool max) {
  const int64_t C = g.channels, image = int64_t(g.inH) * g.inW * C;
  parallel_for(int64_t(g.batch) * g.outH, [&](int64_t row, int) {
    const int64_t b = row / g.outH, oy = row % g.outH;
    if (max) max_pool_row(y + row * g.outW * C, C, x + b * image, g, oy);
    else pool_row(y + row * g.outW * C, C, x + b * image, g, oy, false);
  });
}

// Tasks own whole images, or channel slices of them when the batch is small: never a cell
// that another task's overlapping window could also write.
void pool_backward(float* dx, const float* x, const uint8_t* winners, const float* dy, const PoolGeom& g, bool max,
                   const float* relu_y = nullptr, float* dbias = nullptr) {
  const int64_t C = g.channels, image = int64_t(g.inH) * g.inW * C, out_image = int64_t(g.outH) * g.outW * C;
  const int64_t threads = num_threads();
  const int64_t slices = g.batch >= 2 * threads ? 1 : std::max<int64_t>(1, std::min(C / 16, 4 * threads));
  const int64_t width = (C + slices - 1) / slices;
  // Windows form a grid, so a cell is covered when its row and its column are.
  const bool disjoint = g.strideH >= g.poolH && g.strideW >= g.poolW;
  std::vector<char> covered_row(size_t(g.inH), 0), covered_col(size_t(g.inW), 0);
  for (int64_t o = 0; o < g.outH; o++) {
    const Window w = window(g, o, 0);
    std::fill(covered_row.begin() + w.y0, covered_row.begin() + w.y1, 1);
  }
  for (int64_t o = 0; o < g.outW; o++) {
    const Window w = window(g, 0, o);
    std::fill(covered_col.begin() + w.x0, covered_col.begin() + w.x1, 1);
  }
  // Bias sums per image, added up in image order afterwards.
  std::vector<double> sums(dbias ? size_t(g.batch * C) : 0, 0.0);
  parallel_for(int64_t(g.batch) * slices, [&](int64_t task, int) {
    const int64_t b = task / slices, c0 = (task % slices) * width, c1 = std::min(C, c0 + width);
    if (c0 < c1) {
      pool_backward_image(dx + b * image, x ? x + b * image : nullptr, winners ? winners + b * out_image : nullptr,
                          dy + b * out_image, relu_y ? relu_y + b * out_image : nullptr,
                          dbias ? sums.data() + b * C : nullptr, g, c0, c1, max, disjoint, covered_row.data(),
                          covered_col.data());
    }
  });
  if (dbias) sum_partials(dbias, sums.data(), g.batch, C);
}

}  // namespace

// On the kernels' instruction set, which the tests switch.
void max_pool_row(float* y, int64_t y_stride, const float* x, const PoolGeom& g, int64_t oy) {
#ifdef DT_POOL_AVX512
  if (gemm_arch().isa == Isa::Avx512) return max_pool_row_avx512<false>(y, y_stride, nullptr, x, g, oy);
#endif
#ifdef DT_POOL_NEON
  if (gemm_arch().isa == Isa::Neon) return max_pool_row_neon<false>(y, y_stride, nullptr, x, g, oy);
#endif
  pool_row(y, y_stride, x, g, oy, true);
}

void max_pool_row_winners(float* y, uint8_t* winners, const float* x, const PoolGeom& g, int64_t oy) {
#ifdef DT_POOL_AVX512
  if (gemm_arch().isa == Isa::Avx512) return max_pool_row_avx512<true>(y, g.channels, winners, x, g, oy);
#endif
#ifdef DT_POOL_NEON
  if (gemm_arch().isa == Isa::Neon) return max_pool_row_neon<true>(y, g.channels, winners, x, g, oy);
#endif
  max_pool_row_winners_of(y, winners, x, g, oy);
}

void max_pool(float* y, const float* x, PoolGeom g) { pool_forward(y, x, g, true); }

void avg_pool(float* y, const float* x, PoolGeom g) { pool_forward(y, x, g, false); }

void max_pool_backward(float* dx, const float* x, const float* dy, PoolGeom g) {
  pool_backward(dx, x, nullptr, dy, g, true);
}

void max_pool_backward_winners(float* dx, const uint8_t* winners, const float* dy, const PoolGeom& g,
                               const float* relu_y, float* dbias) {
  pool_backward(dx, nullptr, winners, dy, g, true, relu_y, dbias);
}

bool pairs_pool(const PoolGeom& p) {
  return p.poolH == 2 && p.poolW == 2 && p.strideH == 2 && p.strideW == 2 && p.padTop == 0 && p.padLeft == 0;
}

void routed_block(const float** pixel, float* out, const RoutedGrad& dy, int64_t b, int64_t y0, int64_t x0, int64_t n,
                  const float* zeros) {
  const float* grad[64];
  const uint8_t* won[64];
  int64_t count = 0;
  const auto window = [&](int64_t py, int64_t px) -> bool {
    if (py < 0 || px < 0 || py >= dy.rows || px >= dy.cols) return false;
    const int64_t at = ((b * dy.rows + py) * dy.cols + px) * dy.channels;
    grad[count] = dy.grad + at;
    won[count] = dy.winners + at;
    return true;
  };
  if (y0 % 2 == 0 && x0 % 2 == 0 && n % 2 == 0) {
    // Aligned with the windows: each routed whole, its gradient and winners read once.
    for (int64_t i = 0; i < n; i += 2) {
      for (int64_t j = 0; j < n; j += 2) {
        const bool in = window((y0 + i) / 2, (x0 + j) / 2);
        for (int64_t cell = 0; cell < 4; cell++)
          pixel[n * (i + cell / 2) + j + cell % 2] = in ? out + (4 * count + cell) * dy.channels : zeros;
        count += in;
      }
    }
    return route_windows(out, count, grad, won, dy.channels);
  }
  uint8_t cell[64];
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = 0; j < n; j++) {
      const int64_t y = y0 + i, x = x0 + j;
      if (y < 0 || x < 0 || !window(y / 2, x / 2)) {
        pixel[n * i + j] = zeros;
        continue;
      }
      cell[count] = uint8_t(2 * (y % 2) + x % 2);
      pixel[n * i + j] = out + count * dy.channels;
      count++;
    }
  }
  route_cells(out, count, grad, won, cell, dy.channels);
}

void avg_pool_backward(float* dx, const float* dy, PoolGeom g) { pool_backward(dx, nullptr, nullptr, dy, g, false); }

}  // namespace dt
