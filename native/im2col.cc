#include "im2col.h"

#include <algorithm>
#include <cstring>

#include "simd.h"

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
DT_INLINE void for_each_stretch(T* x, const PixelCursor& at, int64_t q0, int64_t len, Run run, Gap gap) {
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

// Copies of a few dozen floats, inlined as whole vector moves of the caller's ISA: a call to
// memcpy per stretch costs as much as the copy at these lengths. Fixed-size memcpy never
// becomes a call; the tails overlap instead of looping.
DT_INLINE void copy_floats(float* dst, const float* src, int64_t n) {
  for (; n >= 16; n -= 16, dst += 16, src += 16) std::memcpy(dst, src, 64);
  if (n >= 8) {
    std::memcpy(dst, src, 32);
    std::memcpy(dst + n - 8, src + n - 8, 32);
  } else if (n >= 4) {
    std::memcpy(dst, src, 16);
    std::memcpy(dst + n - 4, src + n - 4, 16);
  } else {
    for (int64_t i = 0; i < n; i++) dst[i] = src[i];
  }
}

DT_INLINE void zero_floats(float* dst, int64_t n) {
  static constexpr float zeros[16] = {};
  for (; n > 0; n -= 16, dst += 16) std::memcpy(dst, zeros, size_t(std::min<int64_t>(n, 16)) * 4);
}

DT_INLINE void patch_row(const float* x, const PixelCursor& at, int64_t q0,
                                                     int64_t len, float* dst) {
  for_each_stretch(
      x, at, q0, len, [&](int64_t q, int64_t n, const float* src) { copy_floats(dst + (q - q0), src, n); },
      [&](int64_t q, int64_t n) { zero_floats(dst + (q - q0), n); });
}

// Row r of the block: pixel i0 + r's patch columns [p0, p0+depth), rows `stride` apart.
// Windows inside the image (most pixels) take a short path: the columns [q0, q0+len) fall
// into the same few contiguous stretches, at the same offsets, for every such pixel.
class InteriorCopy {
 public:
  InteriorCopy(const ConvGeom& g, int64_t q0, int64_t len) : g_(g) {
    const int64_t row_len = int64_t(g.kernelW) * g.inC;
    int64_t q = q0;
    for (; q < q0 + len && count_ < kMax; count_++) {
      const int64_t ky = q / row_len, r = q - ky * row_len, n = std::min(row_len - r, q0 + len - q);
      stretches_[count_] = {q - q0, ky * g.inW * g.inC + r, n};
      q += n;
    }
    usable_ = q == q0 + len;
  }

  // Copies the pixel's columns to dst and returns true, or returns false for a border pixel.
  DT_INLINE bool operator()(const float* x, const PixelCursor& at, float* dst) const {
    const int64_t iy = at.oy * g_.strideH - g_.padTop, ix = at.ox * g_.strideW - g_.padLeft;
    if (!usable_ || iy < 0 || ix < 0 || iy + g_.kernelH > g_.inH || ix + g_.kernelW > g_.inW) return false;
    const float* src = x + ((at.b * g_.inH + iy) * g_.inW + ix) * g_.inC;
    for (int i = 0; i < count_; i++) copy_floats(dst + stretches_[i].to, src + stretches_[i].from, stretches_[i].len);
    return true;
  }

 private:
  struct Stretch {
    int64_t to, from, len;
  };
  static constexpr int kMax = 16;
  const ConvGeom& g_;
  Stretch stretches_[kMax];
  int count_ = 0;
  bool usable_ = false;
};

// Row r of the block: pixel i0 + r's patch columns [p0, p0+depth), rows `stride` apart.
DT_CLONES void pack_rows(const float* x, const ConvGeom& g, int64_t i0, int64_t rows, int64_t p0, int64_t depth,
                         int64_t stride, float* dst) {
  const InteriorCopy interior(g, p0, depth);
  PixelCursor at(g, i0);
  for (int64_t r = 0; r < rows; r++, at.next()) {
    if (!interior(x, at, dst + r * stride)) patch_row(x, at, p0, depth, dst + r * stride);
  }
}

// Row k of the block: pixel p0 + k's patch columns [i0, i0+rows), contiguous. (Cutting them
// into mr-row micro-panels, as MatrixA does for Aᵀ, measured slower here: the copies split.)
DT_CLONES void pack_cols(const float* x, const ConvGeom& g, int64_t i0, int64_t rows, int64_t p0, int64_t depth,
                         float* dst) {
  const InteriorCopy interior(g, i0, rows);
  PixelCursor at(g, p0);
  for (int64_t k = 0; k < depth; k++, at.next()) {
    if (!interior(x, at, dst + k * rows)) patch_row(x, at, i0, rows, dst + k * rows);
  }
}

}  // namespace

DT_CLONES void scatter_add_rows(const float* cols, const ConvGeom& g, int64_t pixel, int64_t rows, float* x) {
  const int64_t depth = int64_t(g.kernelH) * g.kernelW * g.inC, row_len = int64_t(g.kernelW) * g.inC;
  PixelCursor at(g, pixel);
  for (int64_t r = 0; r < rows; r++, at.next()) {
    const float* row = cols + r * depth;
    const int64_t iy = at.oy * g.strideH - g.padTop, ix = at.ox * g.strideW - g.padLeft;
    if (iy >= 0 && ix >= 0 && iy + g.kernelH <= g.inH && ix + g.kernelW <= g.inW) {
      float* dst = x + ((at.b * g.inH + iy) * g.inW + ix) * g.inC;
      for (int64_t ky = 0; ky < g.kernelH; ky++)
        for (int64_t i = 0; i < row_len; i++) dst[ky * g.inW * g.inC + i] += row[ky * row_len + i];
      continue;
    }
    for_each_stretch(
        x, at, 0, depth,
        [&](int64_t q, int64_t n, float* dst) {
          for (int64_t i = 0; i < n; i++) dst[i] += row[q + i];
        },
        [](int64_t, int64_t) {});
  }
}

AView PatchRows::block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
                      float* scratch) const {
  pack_rows(x_, g_, i0, rows, p0, depth, shape.row_stride, scratch);
  return AView{scratch, shape.row_stride, 1, shape.mr * shape.row_stride};
}

AView PatchCols::block(int64_t i0, int64_t rows, int64_t p0, int64_t depth, const PackShape& shape,
                      float* scratch) const {
  pack_cols(x_, g_, i0, rows, p0, depth, scratch);
  return AView{scratch, 1, rows, shape.mr};
}

}  // namespace dt
