// The augmentation's affine resampling (scipy's affine_transform, order 1, no prefilter), the
// same arithmetic as src/data/warp.ts in the same order, in double precision as JS computes it,
// so both give identical pixels. Off the FMA clones: a fused multiply-add would round
// differently from JS; 8-bit RGB photos on AVX-512 take eight pixels a vector, the same
// arithmetic in the same order.
#include <cmath>
#include <cstdint>
#include <type_traits>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#endif

#include "gemm.h"
#include "kernels.h"
#include "platform/platform.h"
#include "threadpool.h"

// No fused multiply-adds anywhere in this file: GCC contracts a·b + c by default where the ISA
// has an FMA (every arm64 build), and a fused product rounds differently from the js warp's.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace dt {
namespace {

struct WarpGeom {
  int64_t height, width, channels;
  const double* map;  // rr, rc, r0, cr, cc, c0: u = r0 + rr·row + rc·col, v = c0 + cr·row + cc·col
  FillMode fill_mode;
  float cval;
  float scale;
  bool flip_horizontal, flip_vertical;  // where each output pixel is stored: mirrored columns, rows

  int64_t out_col(int64_t c) const { return flip_horizontal ? width - 1 - c : c; }
  int64_t out_row(int64_t r) const { return flip_vertical ? height - 1 - r : r; }
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

// One output pixel at (u, v) in the source.
template <typename T>
inline void warp_pixel(float* o, const T* src, const WarpGeom& g, double u, double v) {
  const int64_t channels = g.channels, row_stride = g.width * channels;
  int64_t r0, r1, c0, c1;
  double fr, fc;
  if (u >= 0 && u < double(g.height - 1) && v >= 0 && v < double(g.width - 1)) {
    r0 = int64_t(u), r1 = r0 + 1, fr = u - double(r0);
    c0 = int64_t(v), c1 = c0 + 1, fc = v - double(c0);
  } else {
    fr = axis_taps(u, g.height, g.fill_mode, r0, r1);
    fc = fr < 0 ? -1 : axis_taps(v, g.width, g.fill_mode, c0, c1);
    if (fc < 0) {
      for (int64_t k = 0; k < channels; k++) o[k] = g.cval * g.scale;
      return;
    }
  }
  const double w00 = (1 - fr) * (1 - fc), w01 = (1 - fr) * fc, w10 = fr * (1 - fc), w11 = fr * fc;
  const T *p00 = src + r0 * row_stride + c0 * channels, *p01 = src + r0 * row_stride + c1 * channels,
          *p10 = src + r1 * row_stride + c0 * channels, *p11 = src + r1 * row_stride + c1 * channels;
  // Rounded to float32 before the scale, as the unfused warp and rescale passes round.
  for (int64_t k = 0; k < channels; k++)
    o[k] = float(w00 * double(p00[k]) + w01 * double(p01[k]) + w10 * double(p10[k]) + w11 * double(p11[k])) * g.scale;
}

// GCC only: clang ignores optimize("fp-contract=off"), and might fuse the products into FMAs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DT_WARP_AVX512 1

// Which of [R, G | B] (eight lanes each) goes to each of eight RGB pixels' 24 floats, the pixels
// in lane order or, flipped, reversed: value i is channel i % 3 of pixel i / 3.
struct Interleave {
  int32_t first[16], last[16];
};

constexpr Interleave interleave(bool flipped) {
  Interleave order{};
  for (int i = 0; i < 24; i++) {
    const int slot = i / 3, lane = flipped ? 7 - slot : slot;
    (i < 16 ? order.first[i] : order.last[i - 16]) = 8 * (i % 3) + lane;
  }
  return order;
}

constexpr Interleave kInterleave[2] = {interleave(false), interleave(true)};

// Columns [c, c + 8) of row r of an 8-bit RGB image (the photos augmentation warps), written to
// `group`, their pixels' 24 floats (in reverse order when flipped): warp_pixel's arithmetic in
// the same order, eight pixels to a vector. In nearest mode every lane is done, since clamping a
// point into the image picks the taps and weights axis_taps does; in the other modes only lanes
// that sample inside the image, and warp_pixel overwrites the rest. Each tap's three bytes are
// gathered as one 32-bit word; the image's last pixel's word would end past the data, so it is
// read a byte early and shifted. Returns the lanes done.
// (fp-contract off: a fused multiply-add would round differently from JS.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12's own masked-conversion intrinsics
__attribute__((target("arch=x86-64-v4"), optimize("fp-contract=off"))) __mmask8 warp_rgb8_x8(
    float* group, bool flipped, const uint8_t* src, const WarpGeom& g, double u_base, double v_base, int64_t c) {
  const double* m = g.map;
  const __m512d col = _mm512_add_pd(_mm512_set1_pd(double(c)), _mm512_set_pd(7, 6, 5, 4, 3, 2, 1, 0));
  const __m512d u = _mm512_add_pd(_mm512_set1_pd(u_base), _mm512_mul_pd(_mm512_set1_pd(m[1]), col));
  const __m512d v = _mm512_add_pd(_mm512_set1_pd(v_base), _mm512_mul_pd(_mm512_set1_pd(m[4]), col));
  const __m512d zero = _mm512_setzero_pd();
  const __m512d last_row = _mm512_set1_pd(double(g.height - 1)), last_col = _mm512_set1_pd(double(g.width - 1));
  __mmask8 lanes = 0xff;
  __m512d us, vs;
  if (g.fill_mode == FillMode::Nearest) {
    us = _mm512_min_pd(_mm512_max_pd(u, zero), last_row);
    vs = _mm512_min_pd(_mm512_max_pd(v, zero), last_col);
  } else {
    lanes = _mm512_cmp_pd_mask(u, zero, _CMP_GE_OQ) & _mm512_cmp_pd_mask(u, last_row, _CMP_LT_OQ) &
            _mm512_cmp_pd_mask(v, zero, _CMP_GE_OQ) & _mm512_cmp_pd_mask(v, last_col, _CMP_LT_OQ);
    if (!lanes) return 0;
    // Outside lanes sample (0, 0) until the mask drops them.
    us = _mm512_maskz_mov_pd(lanes, u), vs = _mm512_maskz_mov_pd(lanes, v);
  }
  const __m256i r0 = _mm512_cvttpd_epi32(us), c0 = _mm512_cvttpd_epi32(vs);
  const __m512d fr = _mm512_sub_pd(us, _mm512_cvtepi32_pd(r0)), fc = _mm512_sub_pd(vs, _mm512_cvtepi32_pd(c0));
  const __m256i one_i = _mm256_set1_epi32(1), three = _mm256_set1_epi32(3), width = _mm256_set1_epi32(int(g.width));
  const __m256i r1 = _mm256_min_epi32(_mm256_add_epi32(r0, one_i), _mm256_set1_epi32(int(g.height - 1))),
                c1 = _mm256_min_epi32(_mm256_add_epi32(c0, one_i), _mm256_set1_epi32(int(g.width - 1)));
  const __m256i last_word = _mm256_set1_epi32(int(g.height * g.width * 3 - 4));
  const int* base = reinterpret_cast<const int*>(src);
  const __m256i none = _mm256_setzero_si256(), byte_mask = _mm256_set1_epi32(0xff);
  // The tap's pixel as one word, its first byte lowest.
  const auto tap = [&](__m256i row, __m256i column) {
    const __m256i at = _mm256_mullo_epi32(_mm256_add_epi32(_mm256_mullo_epi32(row, width), column), three);
    const __m256i safe = _mm256_min_epi32(at, last_word);
    const __m256i word = _mm256_mmask_i32gather_epi32(none, lanes, safe, base, 1);
    return _mm256_srlv_epi32(word, _mm256_slli_epi32(_mm256_sub_epi32(at, safe), 3));
  };
  const __m256i t00 = tap(r0, c0), t01 = tap(r0, c1), t10 = tap(r1, c0), t11 = tap(r1, c1);
  const __m512d one = _mm512_set1_pd(1);
  const __m512d gr = _mm512_sub_pd(one, fr), gc = _mm512_sub_pd(one, fc);
  const __m512d w00 = _mm512_mul_pd(gr, gc), w01 = _mm512_mul_pd(gr, fc), w10 = _mm512_mul_pd(fr, gc),
                w11 = _mm512_mul_pd(fr, fc);
  const __m256 scale = _mm256_set1_ps(g.scale);
  __m256 channel[3];
  for (int k = 0; k < 3; k++) {
    const auto byte = [&](__m256i word) {
      return _mm512_cvtepi32_pd(_mm256_and_si256(_mm256_srli_epi32(word, 8 * k), byte_mask));
    };
    __m512d sum = _mm512_mul_pd(w00, byte(t00));
    sum = _mm512_add_pd(sum, _mm512_mul_pd(w01, byte(t01)));
    sum = _mm512_add_pd(sum, _mm512_mul_pd(w10, byte(t10)));
    sum = _mm512_add_pd(sum, _mm512_mul_pd(w11, byte(t11)));
    channel[k] = _mm256_mul_ps(_mm512_cvtpd_ps(sum), scale);
  }
  const __m512 rg = _mm512_insertf32x8(_mm512_castps256_ps512(channel[0]), channel[1], 1);
  const __m512 b = _mm512_castps256_ps512(channel[2]);
  const Interleave& order = kInterleave[flipped];
  _mm512_storeu_ps(group, _mm512_permutex2var_ps(rg, _mm512_loadu_si512(order.first), b));
  _mm256_storeu_ps(group + 16, _mm512_castps512_ps256(_mm512_permutex2var_ps(rg, _mm512_loadu_si512(order.last), b)));
  return lanes;
}
#pragma GCC diagnostic pop
#endif

template <typename T>
void warp_rows(float* out, const T* src, const WarpGeom& g, int64_t r_begin, int64_t r_end) {
  const int64_t channels = g.channels, row_stride = g.width * channels;
  const double* m = g.map;
#ifdef DT_WARP_AVX512
  constexpr bool rgb8_type = std::is_same_v<T, uint8_t>;
  const bool rgb8 = rgb8_type && channels == 3 && gemm_arch().isa == Isa::Avx512;
#endif
  for (int64_t r = r_begin; r < r_end; r++) {
    const double u_base = m[2] + m[0] * double(r), v_base = m[5] + m[3] * double(r);
    float* o = out + g.out_row(r) * row_stride;
    int64_t c = 0;
#ifdef DT_WARP_AVX512
    if constexpr (rgb8_type) {
      for (; rgb8 && c + 8 <= g.width; c += 8) {
        const int64_t first = g.flip_horizontal ? g.out_col(c + 7) : c;  // the group's lowest address
        const unsigned done = warp_rgb8_x8(o + first * 3, g.flip_horizontal, src, g, u_base, v_base, c);
        for (int64_t p = 0; p < 8; p++)
          if (!(done >> p & 1))
            warp_pixel(o + g.out_col(c + p) * 3, src, g, u_base + m[1] * double(c + p), v_base + m[4] * double(c + p));
      }
    }
#endif
    for (; c < g.width; c++)
      warp_pixel(o + g.out_col(c) * channels, src, g, u_base + m[1] * double(c), v_base + m[4] * double(c));
  }
}

// The source into cache in order, before rows sample it along rotated lines.
template <typename T>
void prefetch(const T* src, const WarpGeom& g) {
  const char* bytes = reinterpret_cast<const char*>(src);
  const int64_t n = g.height * g.width * g.channels * int64_t(sizeof(T));
  for (int64_t i = 0; i < n; i += 64) DT_PREFETCH(bytes + i);
}

template <typename T>
void warp(float* out, const T* src, const WarpGeom& g) {
  prefetch(src, g);
  parallel_range(g.height, 8, [&](int64_t begin, int64_t end, int) { warp_rows(out, src, g, begin, end); });
}

}  // namespace

void affine_warp(float* out, const float* src, int64_t height, int64_t width, int64_t channels, const double* map,
                 FillMode fill_mode, float cval, float scale, bool flip_horizontal, bool flip_vertical) {
  warp(out, src, WarpGeom{height, width, channels, map, fill_mode, cval, scale, flip_horizontal, flip_vertical});
}

void affine_warp_u8(float* out, const uint8_t* src, int64_t height, int64_t width, int64_t channels, const double* map,
                    FillMode fill_mode, float cval, float scale, bool flip_horizontal, bool flip_vertical) {
  warp(out, src, WarpGeom{height, width, channels, map, fill_mode, cval, scale, flip_horizontal, flip_vertical});
}

void affine_warp_batch_u8(float* out, const uint8_t* const* sources, int64_t images, int64_t height, int64_t width,
                          int64_t channels, const double* maps, const uint8_t* flips, FillMode fill_mode, float cval,
                          float scale) {
  const int64_t size = height * width * channels;
  const auto geometry = [&](int64_t j) {
    return WarpGeom{height, width, channels, maps + 6 * j, fill_mode, cval, scale, bool(flips[j] & 1), bool(flips[j] & 2)};
  };
  if (images < 2 * num_threads()) {
    for (int64_t j = 0; j < images; j++) warp(out + j * size, sources[j], geometry(j));
    return;
  }
  // Whole images to a task: each source is read by one core, and the pool is woken once.
  parallel_for(images, [&](int64_t j, int) {
    const WarpGeom g = geometry(j);
    prefetch(sources[j], g);
    warp_rows(out + j * size, sources[j], g, 0, height);
  });
}

void scale_u8(float* out, const uint8_t* src, int64_t n, float scale) {
  parallel_range(n, 1 << 14, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; i++) out[i] = float(src[i]) * scale;
  });
}

}  // namespace dt
