// AArch64 Advanced SIMD micro-kernels: 8 rows × 12 columns (24 q-register accumulators, 3 for
// B, 1 for the broadcast A value), fused multiply-adds throughout; the same tile reads
// few-channel images in place for direct convolutions. Advanced SIMD is part of every AArch64
// CPU, so cpu.cc needs no run-time check beyond the architecture.
#include "microkernel.h"

#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>

namespace dt {
namespace {

constexpr int MR = 8;
constexpr int NR = 12;
constexpr int KC = 256;  // also the row stride of row-major A blocks

// The first n of 4 lanes at p (n may be ≤ 0 or ≥ 4), the others zero: a part-width tile's rows
// of B (nr wide) are read without touching floats past their end. NEON has no masked loads, and
// a call to memcpy in the loop would make the compiler spill every accumulator around it.
DT_INLINE float32x4_t load_lanes(const float* p, int n) {
  if (n >= 4) return vld1q_f32(p);
  float32x4_t v = vdupq_n_f32(0.0f);
  if (n > 0) v = vld1q_lane_f32(p, v, 0);
  if (n > 1) v = vld1q_lane_f32(p + 1, v, 1);
  if (n > 2) v = vld1q_lane_f32(p + 2, v, 2);
  return v;
}

DT_INLINE void store_lanes(float* p, float32x4_t v, int n) {
  if (n >= 4) return vst1q_f32(p, v);
  if (n > 0) vst1q_lane_f32(p, v, 0);
  if (n > 1) vst1q_lane_f32(p + 1, v, 1);
  if (n > 2) vst1q_lane_f32(p + 2, v, 2);
}

// One k step: B's row (nr wide) times row r's value of A, at a_at(r), into the accumulators.
template <int R, typename AAt>
DT_INLINE void fma_step(float32x4_t (&c)[R][3], const float* b, int nr, AAt a_at) {
  const float32x4_t b0 = load_lanes(b, nr), b1 = load_lanes(b + 4, nr - 4), b2 = load_lanes(b + 8, nr - 8);
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
    const float32x4_t av = vld1q_dup_f32(a_at(r));
    c[r][0] = vfmaq_f32(c[r][0], b0, av);
    c[r][1] = vfmaq_f32(c[r][1], b1, av);
    c[r][2] = vfmaq_f32(c[r][2], b2, av);
  }
}

template <int R, bool KMajor, bool Full>
DT_INLINE void accumulate(const MicroTile& t, float32x4_t (&c)[R][3]) {
  const float* a = t.a;
  const float* b = t.b;
  const int64_t cs = t.a_cs, ldb = t.ldb, kc = t.kc;
  const int nr = Full ? NR : t.nr;
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; k++) {
    fma_step<R>(c, b, nr, [&](int r) { return KMajor ? a + r : a + r * KC; });
    a += cs;
    b += ldb;
  }
}

// Rows r < rows of the accumulators, nr columns wide, to row_at(r) (skipped where it gives
// null): (+ the row's contents) + bias, then relu.
template <int R, typename RowAt>
DT_INLINE void store_rows(float32x4_t (&c)[R][3], int rows, int nr, RowAt row_at, bool accumulate, const float* bias,
                          bool relu) {
  const float32x4_t zero = vdupq_n_f32(0.0f);
  const float32x4_t bias0 = bias ? load_lanes(bias, nr) : zero, bias1 = bias ? load_lanes(bias + 4, nr - 4) : zero,
                    bias2 = bias ? load_lanes(bias + 8, nr - 8) : zero;
  for (int r = 0; r < R && r < rows; r++) {
    float* row = row_at(r);
    if (!row) continue;
    float32x4_t v0 = vaddq_f32(c[r][0], bias0), v1 = vaddq_f32(c[r][1], bias1), v2 = vaddq_f32(c[r][2], bias2);
    if (accumulate) {
      v0 = vaddq_f32(v0, load_lanes(row, nr));
      v1 = vaddq_f32(v1, load_lanes(row + 4, nr - 4));
      v2 = vaddq_f32(v2, load_lanes(row + 8, nr - 8));
    }
    if (relu) {
      v0 = vmaxq_f32(v0, zero);
      v1 = vmaxq_f32(v1, zero);
      v2 = vmaxq_f32(v2, zero);
    }
    store_lanes(row, v0, nr);
    store_lanes(row + 4, v1, nr - 4);
    store_lanes(row + 8, v2, nr - 8);
  }
}

template <int R, bool KMajor>
void tile(const MicroTile& t) {
  float32x4_t c[R][3];
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) c[r][0] = c[r][1] = c[r][2] = vdupq_n_f32(0.0f);
  if (t.nr == NR) accumulate<R, KMajor, true>(t, c);
  else accumulate<R, KMajor, false>(t, c);
  store_rows<R>(c, R, t.nr, [&](int r) { return t.c + r * t.ldc; }, t.accumulate, t.bias, t.relu);
}

// Direct convolution of few-channel images (see DirectTile): MR pixels × 12 channels, every
// pixel computed from the zero-padded band the caller provides, those with an output stored.
template <int Step, bool Full>
void direct_tile(const DirectTile& t) {
  float32x4_t c[MR][3];
#pragma GCC unroll 8
  for (int r = 0; r < MR; r++) c[r][0] = c[r][1] = c[r][2] = vdupq_n_f32(0.0f);
  const int nr = Full ? NR : t.nr;
  const float* b = t.b;
  for (int ky = 0; ky < t.kernel_h; ky++) {
    const float* a = t.a + ky * t.a_row;
#pragma GCC unroll 4
    for (int j = 0; j < t.taps_w; j++) {
      fma_step<MR>(c, b, nr, [&](int r) { return a + r * Step + j; });
      b += t.ldb;
    }
  }
  if (t.rows) store_rows<MR>(c, t.mr, t.nr, [&](int r) { return t.rows[r]; }, false, t.bias, t.relu);
  else store_rows<MR>(c, t.mr, t.nr, [&](int r) { return t.c + r * t.ldc; }, false, t.bias, t.relu);
}

template <int Step>
DirectTiles direct_tiles() {
  return {&direct_tile<Step, true>, &direct_tile<Step, false>, MR, NR};
}

// The steps conv_direct.cc asks for, as on AVX-512: RGB, grey and 4-channel input layers at
// strides 1 and 2, and 16-channel inputs at stride 1.
DirectTiles direct(int step, int64_t) {
  switch (step) {
    case 1: return direct_tiles<1>();
    case 2: return direct_tiles<2>();
    case 3: return direct_tiles<3>();
    case 4: return direct_tiles<4>();
    case 6: return direct_tiles<6>();
    case 8: return direct_tiles<8>();
    case 16: return direct_tiles<16>();
    default: return {};
  }
}

template <bool KMajor>
struct Tiles {
  template <int R>
  static void rows(const MicroTile& t) { tile<R, KMajor>(t); }
};

}  // namespace

const GemmArch* neon_arch() {
  static const GemmArch arch{Isa::Neon, MR, NR, KC, MR * 16, &by_rows<MR, Tiles<false>>,
                             &by_rows<MR, Tiles<true>>, nullptr, &direct, nullptr};
  return &arch;
}

}  // namespace dt
#else
namespace dt {
const GemmArch* neon_arch() { return nullptr; }
}  // namespace dt
#endif
