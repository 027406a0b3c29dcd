// The FMA throughput this machine reaches on all pool threads with the current micro-kernel's
// instruction set: the denominator for the benchmark's "% of peak" (bench/kernels.ts).
#include <chrono>

#include "cpu.h"
#include "gemm.h"
#include "kernels.h"
#include "threadpool.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#include <arm_neon.h>
#endif

namespace dt {
namespace {

constexpr int kChains = 12;  // independent accumulators: more than latency × ports
constexpr int64_t kIters = 1 << 20;

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f"))) float chains512() {
  __m512 acc[kChains];
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int c = 0; c < kChains; c++) acc[c] = _mm512_set1_ps(float(c));
  for (int64_t i = 0; i < kIters; i++) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; c++) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  }
  for (int c = 1; c < kChains; c++) acc[0] = _mm512_add_ps(acc[0], acc[c]);
  alignas(64) float out[16];
  _mm512_store_ps(out, acc[0]);
  return out[0];
}

__attribute__((target("avx2,fma"))) float chains256() {
  __m256 acc[kChains];
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int c = 0; c < kChains; c++) acc[c] = _mm256_set1_ps(float(c));
  for (int64_t i = 0; i < kIters; i++) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; c++) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  }
  for (int c = 1; c < kChains; c++) acc[0] = _mm256_add_ps(acc[0], acc[c]);
  alignas(32) float out[8];
  _mm256_store_ps(out, acc[0]);
  return out[0];
}
#endif

#if defined(__aarch64__) || defined(_M_ARM64)
float chains_neon() {
  float32x4_t acc[kChains];
  const float32x4_t a = vdupq_n_f32(0.999999f), b = vdupq_n_f32(1e-7f);
  for (int c = 0; c < kChains; c++) acc[c] = vdupq_n_f32(float(c));
  for (int64_t i = 0; i < kIters; i++) {
#pragma GCC unroll 12
    for (int c = 0; c < kChains; c++) acc[c] = vfmaq_f32(b, acc[c], a);
  }
  for (int c = 1; c < kChains; c++) acc[0] = vaddq_f32(acc[0], acc[c]);
  return vgetq_lane_f32(acc[0], 0);
}
#endif

float chains_scalar() {
  float acc[kChains];
  for (int c = 0; c < kChains; c++) acc[c] = float(c);
  for (int64_t i = 0; i < kIters; i++)
    for (int c = 0; c < kChains; c++) acc[c] = acc[c] * 0.999999f + 1e-7f;
  return acc[0];
}

}  // namespace

double fma_peak_gflops() {
  const Isa isa = gemm_arch().isa;
  const int lanes = isa == Isa::Avx512 ? 16 : isa == Isa::Avx2 ? 8 : isa == Isa::Neon ? 4 : 1;
  const int64_t tasks = int64_t(num_threads()) * 8;
  volatile float sink = 0;
  const auto start = std::chrono::steady_clock::now();
  parallel_for(tasks, [&](int64_t, int) {
#if defined(__x86_64__) && defined(__GNUC__)
    sink = isa == Isa::Avx512 ? chains512() : isa == Isa::Avx2 ? chains256() : chains_scalar();
#elif defined(__aarch64__) || defined(_M_ARM64)
    sink = isa == Isa::Neon ? chains_neon() : chains_scalar();
#else
    sink = chains_scalar();
#endif
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return double(tasks) * kIters * kChains * lanes * 2 / seconds / 1e9;
}

}  // namespace dt
