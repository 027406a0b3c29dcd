// The augmentation's affine resampling (scipy's affine_transform, order 1, no prefilter), the
// same arithmetic as src/data/warp.ts in the same order, in double precision as JS computes it,
// so both give identical pixels. Kept scalar and off the FMA clones: a fused multiply-add would
// round differently from JS.
#include <cmath>
#include <cstdint>

#include "kernels.h"
#include "threadpool.h"

namespace dt {
namespace {

struct WarpGeom {
  int64_t height, width, channels;
  const double* map;  // rr, rc, r0, cr, cc, c0: u = r0 + rr·row + rc·col, v = c0 + cr·row + cc·col
  FillMode fill_mode;
  float cval;
  float scale;
};

// scipy's integer-truncating arithmetic (fill-mode.ts explains the two modes).
double wrap_coordinate(double u, double period) {
  if (u < 0) return u + period * (std::trunc(-u / period) + 1);
  return u - period * std::trunc(u / period);
}

double reflect_coordinate(double u, double n) {
  const double span = 2 * n;
  if (u < 0) {
    if (u < -span) u += span * std::trunc(-u / span);
    return u < -n ? u + span : (u > -1e-15 ? 1e-15 : -u) - 1;
  }
  u -= span * std::trunc(u / span);
  return u >= n ? span - u - 1 : u;
}

// The two samples for linear interpolation at u on an axis of n samples, and the weight of the
// second; -1 where the point takes cval (fill-mode.ts's axisTaps).
double axis_taps(double u, int64_t n, FillMode mode, int64_t& t0, int64_t& t1) {
  const int64_t last = n - 1;
  if (u < 0 || u > double(last)) {
    if (mode == FillMode::Constant) return -1;
    if (mode == FillMode::Nearest || n == 1) u = u < 0 ? 0 : double(last);
    else if (mode == FillMode::Wrap) u = wrap_coordinate(u, double(last));
    else u = reflect_coordinate(u, double(n));
  }
  const int64_t i0 = int64_t(std::floor(u));
  t0 = i0 < 0 ? 0 : i0 > last ? last : i0;
  t1 = i0 + 1 > last ? last : i0 + 1 < 0 ? 0 : i0 + 1;
  return u - double(i0);
}

template <typename T>
void warp_rows(float* out, const T* src, const WarpGeom& g, int64_t r_begin, int64_t r_end) {
  const int64_t channels = g.channels, row_stride = g.width * channels, last_row = g.height - 1,
                last_col = g.width - 1;
  const double* m = g.map;
  for (int64_t r = r_begin; r < r_end; r++) {
    const double u_base = m[2] + m[0] * double(r), v_base = m[5] + m[3] * double(r);
    float* o = out + r * row_stride;
    for (int64_t c = 0; c < g.width; c++, o += channels) {
      const double u = u_base + m[1] * double(c), v = v_base + m[4] * double(c);
      int64_t r0, r1, c0, c1;
      double fr, fc;
      if (u >= 0 && u < double(last_row) && v >= 0 && v < double(last_col)) {
        r0 = int64_t(u), r1 = r0 + 1, fr = u - double(r0);
        c0 = int64_t(v), c1 = c0 + 1, fc = v - double(c0);
      } else {
        fr = axis_taps(u, g.height, g.fill_mode, r0, r1);
        fc = fr < 0 ? -1 : axis_taps(v, g.width, g.fill_mode, c0, c1);
        if (fc < 0) {
          for (int64_t k = 0; k < channels; k++) o[k] = g.cval * g.scale;
          continue;
        }
      }
      const double w00 = (1 - fr) * (1 - fc), w01 = (1 - fr) * fc, w10 = fr * (1 - fc), w11 = fr * fc;
      const T *p00 = src + r0 * row_stride + c0 * channels, *p01 = src + r0 * row_stride + c1 * channels,
              *p10 = src + r1 * row_stride + c0 * channels, *p11 = src + r1 * row_stride + c1 * channels;
      // Rounded to float32 before the scale, as the unfused warp and rescale passes round.
      for (int64_t k = 0; k < channels; k++)
        o[k] = float(w00 * double(p00[k]) + w01 * double(p01[k]) + w10 * double(p10[k]) + w11 * double(p11[k])) * g.scale;
    }
  }
}

template <typename T>
void warp(float* out, const T* src, const WarpGeom& g) {
  parallel_range(g.height, 8, [&](int64_t begin, int64_t end, int) { warp_rows(out, src, g, begin, end); });
}

}  // namespace

void affine_warp(float* out, const float* src, int64_t height, int64_t width, int64_t channels, const double* map,
                 FillMode fill_mode, float cval, float scale) {
  warp(out, src, WarpGeom{height, width, channels, map, fill_mode, cval, scale});
}

void affine_warp_u8(float* out, const uint8_t* src, int64_t height, int64_t width, int64_t channels, const double* map,
                    FillMode fill_mode, float cval, float scale) {
  warp(out, src, WarpGeom{height, width, channels, map, fill_mode, cval, scale});
}

void scale_u8(float* out, const uint8_t* src, int64_t n, float scale) {
  parallel_range(n, 1 << 14, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; i++) out[i] = float(src[i]) * scale;
  });
}

}  // namespace dt
