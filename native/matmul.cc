#include "activation.h"
#include "gemm.h"
#include "kernels.h"
#include "memory.h"

namespace dt {

// C = op(A)·Bᵀ with few rows and a wide B (a dense layer's input gradient, dy·Wᵀ) would
// spend its time transposing B into panels. Cᵀ = B·op(A)ᵀ reads B's rows in place instead;
// only the small Cᵀ is transposed back.
static void matmul_transposed(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, bool transA,
                              const float* bias, Activation act) {
  float* ct = shared_scratch(Scratch::Product, size_t(n * m));
  const MatrixA rows_of_b(b, k, false);
  gemm_parallel(plan_gemm(n, m, k, rows_of_b, a, transA ? m : k, !transA, ct, m, {}));
  const int32_t shape[2] = {int32_t(n), int32_t(m)}, perm[2] = {1, 0};
  transpose(c, ct, IntSpan{shape, 2}, IntSpan{perm, 2});
  bias_activate(c, n, m, n, bias, act);
}

void matmul(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, bool transA, bool transB,
            const float* bias, Activation act) {
  if (transB && m <= 2 * gemm_arch().mr && n >= 8 * m && n * m < (int64_t(1) << 31)) {
    return matmul_transposed(c, a, b, m, k, n, transA, bias, act);
  }
  const MatrixA left(a, transA ? m : k, transA);
  gemm_parallel(plan_gemm(m, n, k, left, b, transB ? k : n, transB, c, n, {bias, act}));
}

}  // namespace dt
