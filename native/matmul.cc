#include "gemm.h"
#include "kernels.h"

namespace dt {

void matmul(float* c, const float* a, const float* b, int64_t m, int64_t k, int64_t n, bool transA, bool transB,
            const float* bias, Activation act) {
  const MatrixA left(a, transA ? m : k, transA);
  gemm_parallel(plan_gemm(m, n, k, left, b, transB ? k : n, transB, c, n, {bias, act}));
}

}  // namespace dt
