#include "im2col.h"

#include <algorithm>
#include <cstring>

namespace dt {

PixelCursor::PixelCursor(const ConvGeom& geom, int64_t pixel) : g(geom) {
  const int64_t per_image = int64_t(g.outH) * g.outW;
  b = pixel / per_image;
  const int64_t rest = pixel - b * per_image;
  oy = rest / g.outW;
  ox = rest - oy * g.outW;
}

namespace {

// Calls run(q, len, src) for each maximal stretch [q, q+len) of [q0, q0+len) that lies on
// image pixels (src points at column q's value) and gap(q, len) for each padded stretch.
// Columns (kx, c) of one kernel row ky are contiguous in NHWC, so stretches are long.
template <typename T, typename Run, typename Gap>
void for_each_stretch(T* x, const PixelCursor& at, int64_t q0, int64_t len, Run run, Gap gap) {
  const ConvGeom& g = at.g;
  const int64_t row_len = int64_t(g.kernelW) * g.inC;
  const int64_t iy0 = at.oy * g.strideH - g.padTop, ix0 = at.ox * g.strideW - g.padLeft;
  const int64_t lo = std::max<int64_t>(0, -ix0) * g.inC;
  const int64_t hi = std::max(lo, std::min<int64_t>(g.kernelW, g.inW - ix0) * g.inC);
  const int64_t end = q0 + len;
  int64_t ky = q0 / row_len, r = q0 - ky * row_len;
  for (int64_t q = q0; q < end; ky++, r = 0) {
    const int64_t r_end = std::min(row_len, r + (end - q));
    const int64_t iy = iy0 + ky;
    if (iy < 0 || iy >= g.inH || lo >= hi) {
      gap(q, r_end - r);
    } else {
      T* src = x + ((at.b * g.inH + iy) * g.inW + ix0) * g.inC;
      const int64_t a = std::min(std::max(r, lo), r_end), z = std::max(a, std::min(r_end, hi));
      if (a > r) gap(q, a - r);
      if (z > a) run(q + (a - r), z - a, src + a);
      if (r_end > z) gap(q + (z - r), r_end - z);
    }
    q += r_end - r;
  }
}

}  // namespace

void patch_row(const float* x, const PixelCursor& at, int64_t q0, int64_t len, float* dst) {
  for_each_stretch(
      x, at, q0, len, [&](int64_t q, int64_t n, const float* src) { std::memcpy(dst + (q - q0), src, n * 4); },
      [&](int64_t q, int64_t n) { std::memset(dst + (q - q0), 0, n * 4); });
}

void patch_row_scatter_add(const float* row, const PixelCursor& at, float* x) {
  const ConvGeom& g = at.g;
  for_each_stretch(
      x, at, 0, int64_t(g.kernelH) * g.kernelW * g.inC,
      [&](int64_t q, int64_t n, float* dst) {
        for (int64_t i = 0; i < n; i++) dst[i] += row[q + i];
      },
      [](int64_t, int64_t) {});
}

AView PatchRows::block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, int64_t row_stride,
                      float* scratch) const {
  PixelCursor at(g_, i0);
  for (int64_t r = 0; r < rows; r++, at.next()) patch_row(x_, at, p0, depth, scratch + r * row_stride);
  return AView{scratch, row_stride, 1};
}

AView PatchCols::block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, int64_t,
                      float* scratch) const {
  PixelCursor at(g_, p0);
  for (int64_t k = 0; k < depth; k++, at.next()) patch_row(x_, at, i0, rows, scratch + k * rows);
  return AView{scratch, 1, rows};
}

}  // namespace dt
