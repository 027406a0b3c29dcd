// NHWC max and average pooling, forward and backward. Padded cells never count: a window's
// max ignores them and its average divides by the number of real cells (Keras/TF).
// Each task runs one ISA-specific function over a whole output row or image slice, with the
// per-channel loops inlined and vectorised inside it.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

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

// One output row (b, oy): every pixel's window max (NaN wins and stays, as Math.max) or mean.
DT_CLONES void pool_row(float* y, const float* img, const PoolGeom& g, int64_t oy, bool max) {
  const int64_t C = g.channels;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    const Window w = window(g, oy, ox);
    float* out = y + ox * C;
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

// dx of one image's channels [c0, c1): each dy routed to the first maximal cell of its window
// (strictly greater wins) or spread evenly over its real cells. When windows never overlap
// (stride ≥ pool, the usual 2×2/2) each covered cell is written once, not zeroed and then
// added to: this kernel is memory-bound and that halves its traffic.
DT_CLONES void pool_backward_image(float* dx, const float* img, const float* dy, const PoolGeom& g, int64_t c0,
                                   int64_t c1, bool max, bool disjoint, const char* covered_row,
                                   const char* covered_col) {
  const int64_t C = g.channels;
  for (int64_t iy = 0; iy < g.inH; iy++)
    for (int64_t ix = 0; ix < g.inW; ix++)
      if (!disjoint || !covered_row[iy] || !covered_col[ix]) {
        float* o = dx + (iy * g.inW + ix) * C;
        std::fill(o + c0, o + c1, 0.0f);
      }
  for (int64_t s0 = c0; s0 < c1; s0 += kSlice) {
    const int64_t n = std::min(kSlice, c1 - s0);
    float best[kSlice];
    int32_t where[kSlice];
    for (int64_t oy = 0; oy < g.outH; oy++) {
      for (int64_t ox = 0; ox < g.outW; ox++) {
        const Window w = window(g, oy, ox);
        if (w.cells() == 0) continue;
        const float* d = dy + (oy * g.outW + ox) * C + s0;
        if (max) {
          const float* first = img + (w.y0 * g.inW + w.x0) * C + s0;
          for (int64_t c = 0; c < n; c++) best[c] = first[c], where[c] = 0;
          int32_t cell = 0;
          for (int64_t iy = w.y0; iy < w.y1; iy++)
            for (int64_t ix = w.x0; ix < w.x1; ix++, cell++) {
              const float* in = img + (iy * g.inW + ix) * C + s0;
              for (int64_t c = 0; c < n; c++) {
                const bool better = in[c] > best[c];
                best[c] = better ? in[c] : best[c];
                where[c] = better ? cell : where[c];
              }
            }
        }
        const float k = max ? 1.0f : 1.0f / float(w.cells());
        int32_t cell = 0;
        for (int64_t iy = w.y0; iy < w.y1; iy++)
          for (int64_t ix = w.x0; ix < w.x1; ix++, cell++) {
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

void pool_forward(float* y, const float* x, const PoolGeom& g, bool max) {
  const int64_t C = g.channels, image = int64_t(g.inH) * g.inW * C;
  parallel_for(int64_t(g.batch) * g.outH, [&](int64_t row, int) {
    const int64_t b = row / g.outH, oy = row % g.outH;
    pool_row(y + row * g.outW * C, x + b * image, g, oy, max);
  });
}

// Tasks own whole images, or channel slices of them when the batch is small: never a cell
// that another task's overlapping window could also write.
void pool_backward(float* dx, const float* x, const float* dy, const PoolGeom& g, bool max) {
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
  parallel_for(int64_t(g.batch) * slices, [&](int64_t task, int) {
    const int64_t b = task / slices, c0 = (task % slices) * width, c1 = std::min(C, c0 + width);
    if (c0 < c1) {
      pool_backward_image(dx + b * image, x ? x + b * image : nullptr, dy + b * out_image, g, c0, c1, max, disjoint,
                          covered_row.data(), covered_col.data());
    }
  });
}

}  // namespace

void max_pool_row(float* y, const float* x, const PoolGeom& g, int64_t oy) { pool_row(y, x, g, oy, true); }

void max_pool(float* y, const float* x, PoolGeom g) { pool_forward(y, x, g, true); }

void avg_pool(float* y, const float* x, PoolGeom g) { pool_forward(y, x, g, false); }

void max_pool_backward(float* dx, const float* x, const float* dy, PoolGeom g) { pool_backward(dx, x, dy, g, true); }

void avg_pool_backward(float* dx, const float* dy, PoolGeom g) { pool_backward(dx, nullptr, dy, g, false); }

}  // namespace dt
