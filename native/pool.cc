// NHWC max and average pooling, forward and backward. Padded cells never count: a window's
// max ignores them and its average divides by the number of real cells (Keras/TF).
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "simd.h"
#include "threadpool.h"

namespace dt {
namespace {

// The in-image part of output pixel (oy, ox)'s window.
struct Window {
  int64_t y0, y1, x0, x1;
  int64_t cells() const { return (y1 - y0) * (x1 - x0); }
};

Window window(const PoolGeom& g, int64_t oy, int64_t ox) {
  const int64_t y = oy * g.strideH - g.padTop, x = ox * g.strideW - g.padLeft;
  Window w{std::max<int64_t>(y, 0), std::min<int64_t>(y + g.poolH, g.inH), std::max<int64_t>(x, 0),
           std::min<int64_t>(x + g.poolW, g.inW)};
  w.y1 = std::max(w.y1, w.y0);
  w.x1 = std::max(w.x1, w.x0);
  return w;
}

// NaN wins and stays, as Math.max does.
DT_CLONES void max_into(float* m, const float* x, int64_t n) {
  for (int64_t c = 0; c < n; c++) m[c] = (x[c] > m[c] || x[c] != x[c]) ? x[c] : m[c];
}

DT_CLONES void add_into(float* s, const float* x, int64_t n) {
  for (int64_t c = 0; c < n; c++) s[c] += x[c];
}

DT_CLONES void scale(float* s, float k, int64_t n) {
  for (int64_t c = 0; c < n; c++) s[c] *= k;
}

DT_CLONES void add_scaled(float* s, const float* x, float k, int64_t n) {
  for (int64_t c = 0; c < n; c++) s[c] += x[c] * k;
}

// Keeps, per channel, the first cell holding the window's maximum (strictly greater wins).
DT_CLONES void argmax_into(float* best, int64_t* where, const float* x, int64_t cell, int64_t n) {
  for (int64_t c = 0; c < n; c++) {
    const bool better = x[c] > best[c];
    best[c] = better ? x[c] : best[c];
    where[c] = better ? cell : where[c];
  }
}

// Forward passes: one task per output row; every output pixel reduces its window's cells.
template <typename Reduce>
void pool_forward(float* y, const float* x, const PoolGeom& g, Reduce reduce) {
  const int64_t C = g.channels;
  parallel_for(int64_t(g.batch) * g.outH, [&](int64_t row, int) {
    const int64_t b = row / g.outH, oy = row % g.outH;
    for (int64_t ox = 0; ox < g.outW; ox++) {
      const Window w = window(g, oy, ox);
      reduce(y + ((b * g.outH + oy) * g.outW + ox) * C, x + b * g.inH * g.inW * C, w);
    }
  });
}

// Backward passes scatter into dx, so tasks own whole images or channel slices, never a
// pixel another task may touch through an overlapping window.
template <typename Scatter>
void pool_backward(float* dx, const PoolGeom& g, Scatter scatter) {
  const int64_t C = g.channels, image = int64_t(g.inH) * g.inW * C;
  const int64_t slices = g.batch >= 2 * num_threads() ? 1 : std::max<int64_t>(1, std::min<int64_t>(C / 16, 4 * num_threads()));
  const int64_t width = (C + slices - 1) / slices;
  parallel_for(int64_t(g.batch) * slices, [&](int64_t task, int thread) {
    const int64_t b = task / slices, c0 = (task % slices) * width, c1 = std::min(C, c0 + width);
    if (c0 >= c1) return;
    float* dimg = dx + b * image;
    for (int64_t p = 0; p < int64_t(g.inH) * g.inW; p++) std::memset(dimg + p * C + c0, 0, size_t(c1 - c0) * 4);
    for (int64_t oy = 0; oy < g.outH; oy++)
      for (int64_t ox = 0; ox < g.outW; ox++) scatter(dimg, b, ((b * g.outH + oy) * g.outW + ox) * C, window(g, oy, ox), c0, c1, thread);
  });
}

}  // namespace

void max_pool(float* y, const float* x, PoolGeom g) {
  const int64_t C = g.channels;
  pool_forward(y, x, g, [&](float* out, const float* img, const Window& w) {
    std::fill(out, out + C, -std::numeric_limits<float>::infinity());
    for (int64_t iy = w.y0; iy < w.y1; iy++)
      for (int64_t ix = w.x0; ix < w.x1; ix++) max_into(out, img + (iy * g.inW + ix) * C, C);
  });
}

void avg_pool(float* y, const float* x, PoolGeom g) {
  const int64_t C = g.channels;
  pool_forward(y, x, g, [&](float* out, const float* img, const Window& w) {
    std::fill(out, out + C, 0.0f);
    for (int64_t iy = w.y0; iy < w.y1; iy++)
      for (int64_t ix = w.x0; ix < w.x1; ix++) add_into(out, img + (iy * g.inW + ix) * C, C);
    scale(out, 1.0f / float(w.cells()), C);
  });
}

void max_pool_backward(float* dx, const float* x, const float* dy, PoolGeom g) {
  const int64_t C = g.channels, image = int64_t(g.inH) * g.inW * C;
  const size_t threads = size_t(num_threads());
  std::vector<std::vector<float>> best(threads, std::vector<float>(static_cast<size_t>(C)));
  std::vector<std::vector<int64_t>> where(threads, std::vector<int64_t>(static_cast<size_t>(C)));
  pool_backward(dx, g, [&](float* dimg, int64_t b, int64_t out, const Window& w, int64_t c0, int64_t c1, int thread) {
    if (w.cells() == 0) return;
    const float* img = x + b * image;
    float* bv = best[size_t(thread)].data();
    int64_t* bw = where[size_t(thread)].data();
    const int64_t first = w.y0 * g.inW + w.x0;
    std::memcpy(bv, img + first * C + c0, size_t(c1 - c0) * 4);
    std::fill(bw, bw + (c1 - c0), first);
    for (int64_t iy = w.y0; iy < w.y1; iy++)
      for (int64_t ix = w.x0; ix < w.x1; ix++) {
        const int64_t cell = iy * g.inW + ix;
        argmax_into(bv, bw, img + cell * C + c0, cell, c1 - c0);
      }
    for (int64_t c = c0; c < c1; c++) dimg[bw[c - c0] * C + c] += dy[out + c];
  });
}

void avg_pool_backward(float* dx, const float* dy, PoolGeom g) {
  const int64_t C = g.channels;
  pool_backward(dx, g, [&](float* dimg, int64_t, int64_t out, const Window& w, int64_t c0, int64_t c1, int) {
    if (w.cells() == 0) return;
    const float k = 1.0f / float(w.cells());
    for (int64_t iy = w.y0; iy < w.y1; iy++)
      for (int64_t ix = w.x0; ix < w.x1; ix++) add_scaled(dimg + (iy * g.inW + ix) * C + c0, dy + out + c0, k, c1 - c0);
  });
}

}  // namespace dt
