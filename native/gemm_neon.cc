// AArch64 Advanced SIMD micro-kernel: 8 rows × 12 columns (24 q-register accumulators, 3 for
// B, 1 for the broadcast A value), fused multiply-adds throughout. Advanced SIMD is part of
// every AArch64 CPU, so cpu.cc needs no run-time check beyond the architecture.
#include "microkernel.h"

#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>

#include <array>
#include <cstring>
#include <utility>

namespace dt {
namespace {

constexpr int MR = 8;
constexpr int NR = 12;
constexpr int KC = 256;  // also the row stride of row-major A blocks

// B's rows are nr wide: a part-width tile reads them through a zero-padded copy (NEON has no
// masked loads), so it never touches floats past a row's end.
template <int R, bool KMajor, bool Full>
DT_INLINE void accumulate(const MicroTile& t, float32x4_t (&c)[R][3]) {
  const float* a = t.a;
  const float* b = t.b;
  const int64_t cs = t.a_cs, ldb = t.ldb, kc = t.kc;
  alignas(16) float padded[NR] = {};
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; k++) {
    const float* row = b;
    if (!Full) {
      std::memcpy(padded, b, size_t(t.nr) * sizeof(float));
      row = padded;
    }
    const float32x4_t b0 = vld1q_f32(row), b1 = vld1q_f32(row + 4), b2 = vld1q_f32(row + 8);
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) {
      const float32x4_t av = vld1q_dup_f32(KMajor ? a + r : a + r * KC);
      c[r][0] = vfmaq_f32(c[r][0], b0, av);
      c[r][1] = vfmaq_f32(c[r][1], b1, av);
      c[r][2] = vfmaq_f32(c[r][2], b2, av);
    }
    a += cs;
    b += ldb;
  }
}

template <int R, bool KMajor>
void tile(const MicroTile& t) {
  float32x4_t c[R][3];
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) c[r][0] = c[r][1] = c[r][2] = vdupq_n_f32(0.0f);
  if (t.nr == NR) accumulate<R, KMajor, true>(t, c);
  else accumulate<R, KMajor, false>(t, c);

  alignas(16) float bias[NR] = {};
  if (t.bias) std::memcpy(bias, t.bias, size_t(t.nr) * sizeof(float));
  const float32x4_t bias0 = vld1q_f32(bias), bias1 = vld1q_f32(bias + 4), bias2 = vld1q_f32(bias + 8);
  const float32x4_t zero = vdupq_n_f32(0.0f);
  for (int r = 0; r < R; r++) {
    float* out = t.c + r * t.ldc;
    // A part-width row goes through a copy, as B's rows do.
    alignas(16) float part[NR] = {};
    float* row = t.nr == NR ? out : part;
    if (row == part && t.accumulate) std::memcpy(part, out, size_t(t.nr) * sizeof(float));
    float32x4_t v0 = vaddq_f32(c[r][0], bias0), v1 = vaddq_f32(c[r][1], bias1), v2 = vaddq_f32(c[r][2], bias2);
    if (t.accumulate) {
      v0 = vaddq_f32(v0, vld1q_f32(row));
      v1 = vaddq_f32(v1, vld1q_f32(row + 4));
      v2 = vaddq_f32(v2, vld1q_f32(row + 8));
    }
    if (t.relu) {
      v0 = vmaxq_f32(v0, zero);
      v1 = vmaxq_f32(v1, zero);
      v2 = vmaxq_f32(v2, zero);
    }
    vst1q_f32(row, v0);
    vst1q_f32(row + 4, v1);
    vst1q_f32(row + 8, v2);
    if (row == part) std::memcpy(out, part, size_t(t.nr) * sizeof(float));
  }
}

template <bool KMajor, size_t... R>
constexpr auto tile_table(std::index_sequence<R...>) {
  return std::array<MicroKernel, sizeof...(R)>{{(R == 0 ? nullptr : &tile<R == 0 ? 1 : int(R), KMajor>)...}};
}

template <bool KMajor>
void dispatch(const MicroTile& t) {
  static constexpr auto table = tile_table<KMajor>(std::make_index_sequence<MR + 1>());
  table[t.mr](t);
}

}  // namespace

const GemmArch* neon_arch() {
  static const GemmArch arch{Isa::Neon, MR, NR, KC, MR * 16, &dispatch<false>, &dispatch<true>, nullptr, nullptr,
                             nullptr};
  return &arch;
}

}  // namespace dt
#else
namespace dt {
const GemmArch* neon_arch() { return nullptr; }
}  // namespace dt
#endif
